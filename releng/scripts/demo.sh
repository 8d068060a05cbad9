#!/usr/bin/env bash
# ./agentchannels demo [--headless]: two devices on this machine (devices.sh), then the workbench of
# this-device, or with --headless the same flow through the command-line client.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/devices.sh"
demo_setup

if [[ "${1:-}" == "--headless" ]]; then
  local_args=(--gateway "$DEMO_THIS" --presence-dir "$DEMO_DIR/presence" --token-file "$DEMO_DIR/pairings")
  say "on this-device: what the Live on other devices list shows"
  cli live "${local_args[@]}"
  id="$(cli live --json "${local_args[@]}" | sed -n 's/.*"session_id": "\([^"]*\)".*/\1/p' | head -n 1)"
  [[ -n "$id" ]] || die "other-device's session did not appear"
  say "on this-device: opening session $id (transcript, then the live turn), and sending a prompt from here"
  sleep 3
  cli attach "$id" "${local_args[@]}" --send "thanks, from this-device" --timeout 300
  exit 0
fi

workbench_args
say "starting the Agent Channels workbench (log: .run/product.log); open 'Release checklist' in Live on other devices; close the window to stop everything"
start_product demo "${WORKBENCH_ARGS[@]}"
wait "$PRODUCT_PID" || true
