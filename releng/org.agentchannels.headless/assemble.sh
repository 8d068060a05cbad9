#!/bin/bash
# Lays out the headless artifact, bin/ (the launchers) and lib/ (the bundles of the p2 repository this module
# built, as plain jars), in <target>/agentchannels-headless, and archives it as <target>/<archive>.tar.gz.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"
archive="$2"
root="$target/agentchannels-headless"
rm -rf "$root"
mkdir -p "$root/bin" "$root/lib"
cp "$here"/launchers/* "$root/bin/"
chmod 755 "$root"/bin/*
cp "$target"/repository/plugins/*.jar "$root/lib/"
tar -czf "$target/$archive.tar.gz" -C "$target" agentchannels-headless
echo "assemble: $target/$archive.tar.gz ($(ls "$root/lib" | wc -l) jars)"
