#!/usr/bin/env bash
# ./agentchannels bench: the benchmarks (tests/org.agentchannels.bench) on a plain class path, the bench jar,
# tests.support's (B8 starts its Mosquitto), the headless artifact's lib/ (gateway, connector, Jetty's server and
# client, Paho) and the bench's own target/lib/ (JFreeChart, which its build copies there: the charts are a
# bench-only tool, no artifact ships it); B6 starts the desktop product on $DISPLAY, the charts are drawn headless.
# They measure and print; they assert nothing.
set -euo pipefail
bench="$AGENTCHANNELS_ROOT/tests/org.agentchannels.bench/target"
jar="$(ls "$bench"/org.agentchannels.bench-*.jar | grep -v sources | head -n 1)"
support="$(ls "$AGENTCHANNELS_ROOT"/tests/org.agentchannels.tests.support/target/org.agentchannels.tests.support-*.jar | grep -v sources | head -n 1)"
ls "$bench"/lib/jfreechart-*.jar >/dev/null 2>&1 \
  || { printf 'agentchannels: %s\n' "no chart library in $bench/lib: build again (./agentchannels build)" >&2; exit 1; }
printf 'agentchannels: %s\n' "running the benchmarks (a few minutes); they measure and print, they assert nothing" >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Xms1g -Xmx1g -Djava.awt.headless=true -Dagentchannels.root="$AGENTCHANNELS_ROOT" \
  -cp "$jar:$support:$AGENTCHANNELS_HEADLESS/lib/*:$bench/lib/*" org.agentchannels.bench.Benchmarks \
  "$AGENTCHANNELS_ROOT/docs/benchmarks.md" "$AGENTCHANNELS_PRODUCT"
