#!/bin/sh
# The demo's agent on other-device (run by its gateway's exec agent, the prompt on stdin): a short Markdown
# answer streamed slowly enough to watch it arrive, then about a minute of progress.
set -f
read -r prompt
for word in "## Release checklist" "(asked: $prompt)" "" "1. **Tests**: \`./agentchannels test\` is green" \
            "2. **Docs**: the user guide shows the chat" "3. **Ship**: tag and publish the update site" "" \
            "I will keep streaming for a while, so you can open this session on this-device and watch it live."; do
  for w in $word; do printf '%s ' "$w"; sleep 0.25; done
  printf '\n'
done
for i in $(seq 1 40); do printf 'Working on step %s. ' "$i"; sleep 0.5; done
printf '\nDone.'
