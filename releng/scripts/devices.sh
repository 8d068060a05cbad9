# Sourced by demo.sh and screenshot.sh: devices on this machine, each a gateway from the headless artifact
# ($AGENTCHANNELS_HEADLESS) with its own home under $DEMO_DIR, one shared presence folder, all paired.
say() { printf 'agentchannels: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

DEMO_DIR="$AGENTCHANNELS_RUN/demo"
DEMO_PIDS=()
demo_cleanup() {
  local pid
  for pid in "${DEMO_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${DEMO_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  DEMO_PIDS=()
}

cli() { "$AGENTCHANNELS_HEADLESS/bin/agentchannels" "$@"; }

# A free loopback port: one nobody answers on.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  die "no free port found"
}

# start_device <name> <gateway options...>: starts that device's gateway, waits until it listens, adds its
# pairing line to $DEMO_DIR/pairings and sets DEVICE_ENDPOINT. (Not run in $(...): the pid must stay ours.)
DEVICE_ENDPOINT=""
declare -A DEVICE_PID=()
start_device() {
  local name="$1" home="$DEMO_DIR/$1" port
  shift
  port="$(free_port)"
  mkdir -p "$home"
  "$AGENTCHANNELS_HEADLESS/bin/agentchannels-gateway" --home "$home" --port "$port" \
    --advertise "ws://127.0.0.1:$port/api/ws" --device-name "$name" --presence-dir "$DEMO_DIR/presence" "$@" \
    >"$DEMO_DIR/$name-gateway.log" 2>&1 &
  DEMO_PIDS+=("$!")
  DEVICE_PID[$name]=$!
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      DEVICE_ENDPOINT="ws://127.0.0.1:$port/api/ws"
      "$AGENTCHANNELS_HEADLESS/bin/agentchannels-gateway" pair --owner-token --home "$home" --advertise "$DEVICE_ENDPOINT" \
        >>"$DEMO_DIR/pairings"
      chmod 600 "$DEMO_DIR/pairings"
      return 0
    fi
    sleep 0.1
  done
  die "the $name gateway did not start (see $DEMO_DIR/$name-gateway.log)"
}

# stop_device <name>: stops that device's gateway cleanly, so its presence records go with it.
stop_device() {
  local pid="${DEVICE_PID[$1]:-}"
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# this-device and other-device, sharing a presence folder, paired; on other-device a session whose agent
# streams for about three minutes. Sets DEMO_THIS and DEMO_OTHER.
demo_setup() {
  rm -rf "$DEMO_DIR"
  mkdir -p "$DEMO_DIR/presence"
  trap demo_cleanup EXIT
  start_device this-device
  DEMO_THIS="$DEVICE_ENDPOINT"
  # the slow demo agent by default, and echo beside it: its /approve asks an approval of whoever has the chat open
  start_device other-device --agent exec --exec-command "$(dirname "${BASH_SOURCE[0]}")/demo-agent.sh" --agent echo
  DEMO_OTHER="$DEVICE_ENDPOINT"
  say "this-device's gateway:  $DEMO_THIS"
  say "other-device's gateway: $DEMO_OTHER (sharing the presence folder $DEMO_DIR/presence)"
  say "on other-device: a new session, and a turn that runs for about three minutes"
  cli new --gateway "$DEMO_OTHER" --token-file "$DEMO_DIR/pairings" --title "Release checklist" \
    --send "what is left before the release?" --timeout 300 >"$DEMO_DIR/other-device-turn.log" 2>&1 &
  DEMO_PIDS+=("$!")
  for _ in $(seq 1 100); do
    ls "$DEMO_DIR/presence"/*.json >/dev/null 2>&1 && break
    sleep 0.1
  done
}

# The workbench's preferences and Secure Storage for the demo: this-device, paired with every gateway.
# Extra preference lines may follow as $1. Sets WORKBENCH_ARGS.
workbench_args() {
  cat >"$DEMO_DIR/customization.ini" <<CUSTOM
org.agentchannels.ui/deviceName=this-device
org.agentchannels.ui/localGateway=$DEMO_THIS
org.agentchannels.ui/presenceDirectory=$DEMO_DIR/presence
org.agentchannels.ui/pairingFile=$DEMO_DIR/pairings
CUSTOM
  printf '%s\n' "${1:-}" >>"$DEMO_DIR/customization.ini"
  printf 'agentchannels-demo\n' >"$DEMO_DIR/secure-storage-password"
  WORKBENCH_ARGS=(-pluginCustomization "$DEMO_DIR/customization.ini"
    -eclipse.keyring "$DEMO_DIR/secure_storage" -eclipse.password "$DEMO_DIR/secure-storage-password")
}

# start_product <workspace name> <args...>: the desktop product in the background; sets PRODUCT_PID.
PRODUCT_PID=""
start_product() {
  local data="$AGENTCHANNELS_RUN/workspace-$1"
  shift
  rm -rf "$data" # a fresh workspace: the preferences are this run's, not an earlier one's
  "$AGENTCHANNELS_PRODUCT/agentchannels.sh" -data "$data" "$@" >"$AGENTCHANNELS_RUN/product.log" 2>&1 &
  PRODUCT_PID=$!
}
