#!/bin/bash
# The headless artifact's check: unpacks the archive, makes sure it carries no SWT, GTK or OSGi framework, then
# runs what it is for with no display: its gateway (echo agent) on a free loopback port, pairing, and the
# command-line client creating a session with a prompt, listing it, and refusing a bad command with status 64.
set -euo pipefail
archive="$1"
work="$2"
rm -rf "$work"
mkdir -p "$work"
tar -xzf "$archive" -C "$work"
root="$work/agentchannels-headless"
fail() { echo "check-headless: $*" >&2; [[ -f "$work/gateway.log" ]] && cat "$work/gateway.log" >&2; exit 1; }

[[ -x "$root/bin/agentchannels-gateway" && -x "$root/bin/agentchannels" ]] || fail "bin/ lacks its launchers"
if ls "$root/lib" | grep -Eiq 'swt|gtk|jface|org\.eclipse\.osgi_|org\.eclipse\.ui'; then
  fail "lib/ carries desktop bundles: $(ls "$root/lib" | grep -Ei 'swt|gtk|jface|org\.eclipse\.osgi_|org\.eclipse\.ui' | tr '\n' ' ')"
fi
unset DISPLAY WAYLAND_DISPLAY

port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 40000))
  (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null || { port="$candidate"; break; }
done
[[ -n "$port" ]] || fail "no free port"
endpoint="ws://127.0.0.1:$port/api/ws"
# team presence: Paho on a plain class path, connected to a real Mosquitto when there is one (./agentchannels test
# installs it), else refused by a closed port, which the gateway must survive and say
broker_port=$((port + 1))
broker=""
if [[ -x /usr/sbin/mosquitto ]]; then
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nuser root\n' "$broker_port" >"$work/mosquitto.conf"
  /usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
  broker=$!
fi
"$root/bin/agentchannels-gateway" --home "$work/home" --port "$port" --device-name headless-check \
  --presence-broker "mqtt://127.0.0.1:$broker_port/headless-check" >"$work/gateway.log" 2>&1 &
gateway=$!
trap 'kill "$gateway" 2>/dev/null || true; [[ -z "$broker" ]] || kill "$broker" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  grep -q "listening on $endpoint" "$work/gateway.log" && break
  kill -0 "$gateway" 2>/dev/null || fail "the gateway exited early"
  sleep 0.1
done
grep -q "listening on $endpoint" "$work/gateway.log" || fail "the gateway does not say it listens on $endpoint"
if [[ -n "$broker" ]]; then broker_line="connected to the presence broker"; else broker_line="cannot connect to the presence broker"; fi
for _ in $(seq 1 300); do
  grep -q "$broker_line" "$work/gateway.log" && break
  sleep 0.1
done
grep -q "$broker_line" "$work/gateway.log" || fail "the gateway does not say '$broker_line mqtt://127.0.0.1:$broker_port/headless-check'"

(umask 077 && "$root/bin/agentchannels-gateway" pair --owner-token --home "$work/home" >"$work/pairings") || fail "pair failed"
# a pairing code for a gateway the network reaches (TLS), with its QR code: ZXing is on the class path
"$root/bin/agentchannels-gateway" pair --qr --home "$work/lan-home" --bind 0.0.0.0 --port 8999 >"$work/invitation" 2>"$work/invitation.err" \
  || fail "pair --qr failed: $(cat "$work/invitation.err")"
head -1 "$work/invitation" | grep -q '^agentchannels://[^?]*:8999?fp=sha256:[A-Za-z0-9_-]\{43\}&code=[A-Z2-9-]\{14\}$' \
  || fail "pair printed no pairing line"
[ "$(wc -l <"$work/invitation")" -gt 10 ] || fail "pair --qr drew no QR code"
grep -q "^$endpoint [^ ]\{16,\} fp=sha256:[A-Za-z0-9_-]\{43\}$" "$work/pairings" || fail "pair printed '$(cut -d' ' -f1 "$work/pairings") ...', not '$endpoint <token> fp=<fingerprint>'"

"$root/bin/agentchannels" new --gateway "$endpoint" --token-file "$work/pairings" --title "Headless check" \
  --send "hello from the check" --timeout 60 >"$work/new.log" 2>&1 || fail "new failed: $(cat "$work/new.log")"
grep -q "^user.*: hello from the check" "$work/new.log" && grep -q "^assistant" "$work/new.log" \
  || fail "new did not show the turn: $(cat "$work/new.log")"
"$root/bin/agentchannels" sessions --gateway "$endpoint" --token-file "$work/pairings" >"$work/sessions.log" 2>&1 \
  || fail "sessions failed: $(cat "$work/sessions.log")"
grep -q "Headless check" "$work/sessions.log" || fail "sessions does not list the new session: $(cat "$work/sessions.log")"
status=0
"$root/bin/agentchannels" frobnicate >/dev/null 2>&1 || status=$?
[[ "$status" -eq 64 ]] || fail "an unknown command exited with $status, not 64"

kill "$gateway"
wait "$gateway" 2>/dev/null || true
echo "check-headless: the gateway and the client run from $(basename "$archive") with a Java runtime alone"
