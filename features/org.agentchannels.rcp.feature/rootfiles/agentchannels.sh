#!/bin/sh
# Starts the Agent Channels workbench. No native launcher exists for this build, so the Equinox launcher
# jar is run with a Java 21+ runtime: JAVA_HOME's when set, else the first java on the PATH.
# No part of the workbench draws with OpenGL, yet GTK opens the GL driver at start to choose its visuals: on a
# machine without a GPU that maps Mesa's software renderer and its LLVM, about 55 MB of the resident set.
# GDK_GL=disable keeps GTK from loading it; a user's own GDK_GL, even an empty one (GTK's default), is kept.
export GDK_GL="${GDK_GL-disable}"
HERE="$(cd "$(dirname "$0")" && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
LAUNCHER="$(ls "$HERE"/plugins/org.eclipse.equinox.launcher_*.jar 2>/dev/null | head -n 1)"
if [ -z "$LAUNCHER" ]; then
  echo "agentchannels: no launcher jar in $HERE/plugins" >&2
  exit 1
fi
# The optimizing compiler waits ten times longer than it would before it compiles a method: on two cores it
# otherwise competes with the start-up for the second one, and code that stays hot (a stream) still reaches it.
COMPILER="-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000"
# G1 grows its heap once collections take more than one part in 13 of the time (GCTimeRatio=12); one in 5 keeps
# the heap a start leaves about 15 MB smaller, and a young collection of a heap this size is a pause of a few ms.
COLLECTOR="-XX:GCTimeRatio=4"
# Class-data sharing: the JVM writes the classes a start loaded into an archive when it exits, and maps them at
# the next start instead of loading them again (about a fifth of the start-up). The archive is this user's, in
# an owner-only cache folder, one per installation; the JVM makes it again when it no longer fits (another Java,
# other bundles). Without such a folder (no home, another owner, a planted link) the workbench starts without it.
CACHE_HOME="${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}"
CACHE="$CACHE_HOME/agentchannels"
ARCHIVE="$CACHE/workbench-$(printf '%s' "$HERE" | cksum | cut -d ' ' -f 1).jsa"
if [ -n "$CACHE_HOME" ] && mkdir -p "$CACHE" 2>/dev/null && [ -d "$CACHE" ] && [ ! -L "$CACHE" ] && [ -O "$CACHE" ] && chmod 700 "$CACHE" \
    && [ ! -L "$ARCHIVE" ] && { [ ! -e "$ARCHIVE" ] || { [ -f "$ARCHIVE" ] && [ -O "$ARCHIVE" ]; }; }; then
  # its notes on classes it cannot keep (those of signed jars) are not for the user
  exec "$JAVA" -XX:+IgnoreUnrecognizedVMOptions -XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$ARCHIVE" -Xlog:cds=off -Xlog:cds+dynamic=off \
    $COMPILER $COLLECTOR -Dosgi.requiredJavaVersion=21 -Xms64m -Xmx1g -jar "$LAUNCHER" -install "$HERE" "$@"
fi
exec "$JAVA" $COMPILER $COLLECTOR -Dosgi.requiredJavaVersion=21 -Xms64m -Xmx1g -jar "$LAUNCHER" -install "$HERE" "$@"
