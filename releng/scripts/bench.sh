#!/usr/bin/env bash
# ./agentchannels bench: the benchmarks (tests/org.agentchannels.bench) on a plain class path, the bench jar,
# tests.support's (B8 starts its Mosquitto) and the headless artifact's lib/ (gateway, connector, Jetty's server
# and client, Paho); B6 starts the desktop product on $DISPLAY. They measure and print; they assert nothing.
set -euo pipefail
jar="$(ls "$AGENTCHANNELS_ROOT"/tests/org.agentchannels.bench/target/org.agentchannels.bench-*.jar | grep -v sources | head -n 1)"
support="$(ls "$AGENTCHANNELS_ROOT"/tests/org.agentchannels.tests.support/target/org.agentchannels.tests.support-*.jar | grep -v sources | head -n 1)"
printf 'agentchannels: %s\n' "running the benchmarks (a few minutes); they measure and print, they assert nothing" >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Xms1g -Xmx1g -Dagentchannels.root="$AGENTCHANNELS_ROOT" -cp "$jar:$support:$AGENTCHANNELS_HEADLESS/lib/*" org.agentchannels.bench.Benchmarks \
  "$AGENTCHANNELS_ROOT/docs/benchmarks.md" "$AGENTCHANNELS_PRODUCT"
