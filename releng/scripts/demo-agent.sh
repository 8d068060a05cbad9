#!/bin/sh
# The demo's agent on other-device (run by its gateway's exec agent, the prompt on stdin): a one-line tip of what
# to try, a short Markdown answer (a list, a code block, a table) streamed slowly enough to watch it arrive, then
# about three minutes of progress, so that a workbench that starts slowly still finds the turn running.
set -f
read -r prompt
for word in "Try this: open 'Release checklist' in Live on other devices, type a prompt in its chat and watch it arrive here on other-device; for an approval, choose New Session on other-device there, pick echo, and send /approve ls." "" \
            "## Release checklist" "(asked: $prompt)" "" "1. **Tests**: \`./agentchannels test\` is green" \
            "2. **Docs**: the user guide shows the chat" "3. **Ship**: tag and publish the update site" "" \
            "I will keep streaming for a while, so you can open this session on this-device and watch it live."; do
  for w in $word; do printf '%s ' "$w"; sleep 0.2; done
  printf '\n'
done
# a code block and a table, a line at a time (their lines keep their spaces), as an agent's answer has them
while IFS= read -r line; do printf '%s\n' "$line"; sleep 0.3; done <<'ANSWER'

The release build, from the repository's root:

```sh
./agentchannels test 2>&1 | tee build.log | grep -E "Tests run:|FAIL|ERROR" --line-buffered --color=never | sed -e "s/^/[release] /"
git tag -s v0.1.0 -m "Agent Channels 0.1.0"
```

| Step | Owner | State |
|---|---|---|
| Tests | CI | green |
| Docs | you | in review |
| Update site | release bot | waiting |

ANSWER
for i in $(seq 1 180); do printf 'Working on step %s. ' "$i"; sleep 1; done
printf '\nDone.'
