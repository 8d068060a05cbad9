#!/bin/sh
# The demo's agent on other-device (run by its gateway's exec agent, the prompt on stdin): a one-line tip of what
# to try, a short Markdown answer streamed slowly enough to watch it arrive, then about three minutes of progress,
# so that a workbench that starts slowly still finds the turn running.
set -f
read -r prompt
for word in "Try this: open 'Release checklist' in Live on other devices, type a prompt in its chat and watch it arrive here on other-device; for an approval, choose New Session on other-device there, pick echo, and send /approve ls." "" \
            "## Release checklist" "(asked: $prompt)" "" "1. **Tests**: \`./agentchannels test\` is green" \
            "2. **Docs**: the user guide shows the chat" "3. **Ship**: tag and publish the update site" "" \
            "I will keep streaming for a while, so you can open this session on this-device and watch it live."; do
  for w in $word; do printf '%s ' "$w"; sleep 0.2; done
  printf '\n'
done
for i in $(seq 1 180); do printf 'Working on step %s. ' "$i"; sleep 1; done
printf '\nDone.'
