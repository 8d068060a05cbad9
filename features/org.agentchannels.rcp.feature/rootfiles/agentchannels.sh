#!/bin/sh
# Starts the Agent Channels workbench. No native launcher exists for this build, so the Equinox launcher
# jar is run with a Java 21+ runtime: JAVA_HOME's when set, else the first java on the PATH.
HERE="$(cd "$(dirname "$0")" && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
LAUNCHER="$(ls "$HERE"/plugins/org.eclipse.equinox.launcher_*.jar 2>/dev/null | head -n 1)"
if [ -z "$LAUNCHER" ]; then
  echo "agentchannels: no launcher jar in $HERE/plugins" >&2
  exit 1
fi
exec "$JAVA" -Dosgi.requiredJavaVersion=21 -Xms64m -Xmx1g -jar "$LAUNCHER" -install "$HERE" "$@"
