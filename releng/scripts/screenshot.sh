#!/usr/bin/env bash
# ./agentchannels screenshot: the demo's devices plus an idle third, the product on the display $DISPLAY (a
# virtual one), and docs/screenshots/*.png taken of its window with ImageMagick.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/devices.sh"
shots="$AGENTCHANNELS_ROOT/docs/screenshots"
mkdir -p "$shots"
demo_setup
trap 'kill "$PRODUCT_PID" 2>/dev/null || true; demo_cleanup' EXIT
# a second remote device, idle, so the Live view shows two
start_device build-box
cli new --gateway "$DEVICE_ENDPOINT" --token-file "$DEMO_DIR/pairings" --title "Nightly build" \
  --send "how did last night's build go?" >/dev/null 2>&1
sleep 6 # other-device's turn is well under way

# The id of the largest X window whose name contains $1, waiting up to $2 seconds for it.
wait_for_window() {
  local title="$1" deadline=$((SECONDS + $2)) id
  while (( SECONDS < deadline )); do
    id="$(xwininfo -root -tree 2>/dev/null | grep -F "\"$title" \
          | sed -n 's/^ *\(0x[0-9a-f]*\) .* \([0-9]*\)x\([0-9]*\)+.*/\2 \3 \1/p' \
          | awk '$1 >= 400 && $2 >= 300 { print $1 * $2, $3 }' | sort -rn | head -n 1 | cut -d' ' -f2)"
    [[ -n "$id" ]] && { echo "$id"; return 0; }
    kill -0 "$PRODUCT_PID" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

for shot in "live-view-en:en:false:false:" "chat-streaming-en:en:true:false:" \
            "chat-streaming-dark-en:en:true:false:org.eclipse.e4.ui.css.theme.e4_dark" "live-view-ja:ja:false:false:" \
            "preferences-en:en:false:true:"; do
  IFS=: read -r name lang open prefs theme <<<"$shot"
  # the chat shot opens the newest session on its own, as a double-click would; the preferences shot opens
  # the Agent Channels preference page
  workbench_args "org.agentchannels.ui/openFirstLiveSession=$open
org.agentchannels.product/openPreferencesAtStart=$prefs"
  start_product screenshot -nl "$lang" ${theme:+-cssTheme "$theme"} "${WORKBENCH_ARGS[@]}"
  window="$(wait_for_window "Agent Channels" 60)" || die "the product window did not appear (see .run/product.log)"
  if [[ "$prefs" == true ]]; then
    window="$(wait_for_window "Preferences" 30)" || die "the preferences did not open (see .run/product.log)"
  fi
  sleep 8 # the first layout, the presence poll, and a few seconds of streaming
  import -window "$window" "$shots/$name.png"
  say "wrote docs/screenshots/$name.png"
  kill "$PRODUCT_PID" 2>/dev/null || true
  wait "$PRODUCT_PID" 2>/dev/null || true
done

# A coding agent at work (releng/scripts/DemoAcpAgent.java, an ACP agent process): the chat shows its plan as a
# checklist, its tool calls as rows, the edit it asks permission for as a coloured diff, and its own options as
# the buttons (docs/agents.md); in the light theme, in the dark one, and in Japanese. Its prompt is sent in the
# background: the turn waits for the approval, so the command-line client is left waiting until the cleanup ends it.
# The other remote devices go first, so the chat that opens is this one.
stop_device build-box
stop_device other-device
start_device agent-box --agent acp --acp-command "$JAVA_HOME/bin/java $(dirname "${BASH_SOURCE[0]}")/DemoAcpAgent.java"
cli new --gateway "$DEVICE_ENDPOINT" --token-file "$DEMO_DIR/pairings" --title "Limit the parser's depth" \
  --send "the parser recurses forever on deeply nested input: limit it" >/dev/null 2>&1 &
DEMO_PIDS+=("$!")
sleep 8 # the agent started, and asks
for shot in "chat-acp-approval-en:en:" "chat-acp-approval-dark-en:en:org.eclipse.e4.ui.css.theme.e4_dark" \
            "chat-acp-approval-ja:ja:"; do
  IFS=: read -r name lang theme <<<"$shot"
  workbench_args "org.agentchannels.ui/openFirstLiveSession=true
org.agentchannels.product/openPreferencesAtStart=false"
  start_product screenshot -nl "$lang" ${theme:+-cssTheme "$theme"} "${WORKBENCH_ARGS[@]}"
  window="$(wait_for_window "Agent Channels" 60)" || die "the product window did not appear (see .run/product.log)"
  sleep 8
  import -window "$window" "$shots/$name.png"
  say "wrote docs/screenshots/$name.png"
  kill "$PRODUCT_PID" 2>/dev/null || true
  wait "$PRODUCT_PID" 2>/dev/null || true
done
