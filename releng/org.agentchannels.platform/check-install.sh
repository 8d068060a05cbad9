#!/bin/bash
# The install check's last step: starts the plain Eclipse platform into which the p2 director installed
# org.agentchannels.feature, opens the Agent Channels perspective, and asks the OSGi console whether the
# Agent Channels bundles resolved and started (the views' classes load when the perspective shows them).
# Fails when one did not, or when the workbench logged an error from them. Needs a display (DISPLAY).
set -euo pipefail
platform="$1"
work="$2"
rm -rf "$work"
mkdir -p "$work"
[[ -n "${DISPLAY:-}" ]] || { echo "check-install: no DISPLAY; the workbench needs one" >&2; exit 1; }
launcher="$(ls "$platform"/plugins/org.eclipse.equinox.launcher_*.jar | head -n 1)"
grep -q "^org.agentchannels.ui," "$platform/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" \
  || { echo "check-install: the director did not add org.agentchannels.ui to the platform" >&2; exit 1; }

mkfifo "$work/console-in"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -Xmx1g -jar "$launcher" -install "$platform" -data "$work/workspace" -nosplash \
  -perspective org.agentchannels.ui.perspective -console -consoleLog \
  <"$work/console-in" >"$work/console.log" 2>&1 &
pid=$!
exec 3>"$work/console-in" # keeps the console's input open until the check is done
cleanup() { exec 3>&- || true; kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT

bundles=(org.agentchannels.core org.agentchannels.connector org.agentchannels.presence org.agentchannels.ui)
deadline=$((SECONDS + 120))
ok=false
while (( SECONDS < deadline )); do
  kill -0 "$pid" 2>/dev/null || { echo "check-install: the platform exited early; see $work/console.log" >&2; exit 1; }
  echo "ss org.agentchannels" >&3
  sleep 2
  # the UI bundle starts only when the perspective's views are made
  if grep -Eq "ACTIVE +org\.agentchannels\.ui_" "$work/console.log"; then
    ok=true
    break
  fi
done
$ok || { echo "check-install: org.agentchannels.ui never started; see $work/console.log" >&2; exit 1; }
sleep 3 # the views' first paint and the services they ask for
echo "ss org.agentchannels" >&3
echo "scr:list" >&3
sleep 2
for b in "${bundles[@]}"; do
  state="$(grep -E " ${b//./\\.}_" "$work/console.log" | tail -n 1 | awk '{print $2}')"
  case "$state" in
    ACTIVE|RESOLVED|STARTING) echo "check-install: $b $state" ;;
    *) echo "check-install: $b is ${state:-missing}; see $work/console.log" >&2; exit 1 ;;
  esac
done
grep -q "org.agentchannels.connector.internal\|DefaultGatewayConnector" "$work/console.log" \
  && echo "check-install: the connector's component is registered" \
  || { echo "check-install: no Agent Channels component in scr:list; see $work/console.log" >&2; exit 1; }
if command -v import >/dev/null; then
  import -window root "$work/workbench.png" 2>/dev/null || true
fi
log="$work/workspace/.metadata/.log"
if [[ -f "$log" ]] && grep -A3 "^!ENTRY" "$log" | grep -q "org.agentchannels\|Unable to create view\|PartInitException"; then
  echo "check-install: the workbench logged errors from Agent Channels:" >&2
  cat "$log" >&2
  exit 1
fi
echo "close" >&3
for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
echo "check-install: Agent Channels installed from the update site runs in a plain Eclipse platform"
