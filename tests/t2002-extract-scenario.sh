#!/bin/sh
# The scenario (tests/scenario/gen.sh): four users, Claude Code and Codex.
# `dreamd run` must find every planted mistake, fix, workflow, preference and
# rejection with the right support, and none of the noise: one-off errors,
# a one-off remark, instructions that only appear inside tool output or
# injected context, assistant text.
. "$TOP/tests/lib.sh"

command -v jq >/dev/null || { echo "jq is missing"; exit 77; }
scenario_spool
write_config </dev/null
"$DREAMD" -q run --spool "$T/spool" || fail "dreamd run exited $?"
"$DREAMD" export --format json --all > all.json || fail "dreamd export exited $?"
"$DREAMD" export --format json > active.json || fail "dreamd export exited $?"

# support TITLE-PREFIX: "kind status sessions users agents" of that memory.
support() {
	jq -r --arg t "$1" '.memories[] | select(.title | startswith($t)) |
		"\(.kind) \(.status) \(.support.sessions) \(.support.users) \(.support.agents)"' all.json
}
body() {
	jq -r --arg t "$1" '.memories[] | select(.title | startswith($t)) | .body' all.json
}

# M1: npm test, Cannot find module 'left-pad', fixed by npm install.
expect_eq "M1 support" "mistake active 5 4 2" \
	"$(support "\`npm test\` fails with \`Error: Cannot find module 'left-pad'\`")"
expect_eq "M1 body" "When \`npm test\` fails with \`Error: Cannot find module 'left-pad'\`, run \`npm install\` first (fixed it in 5 of 5 sessions, 4 users)." \
	"$(body "\`npm test\` fails with")"

# M2: the branch names differ, the memory is one.
expect_eq "M2 support" "mistake active 3 3 2" \
	"$(support "\`git push\` fails with \`fatal: The current branch <branch>")"
expect_eq "M2 body" "When \`git push\` fails with \`fatal: The current branch <branch> has no upstream branch.\`, run \`git push --set-upstream origin <branch>\` instead (fixed it in 3 of 3 sessions, 3 users)." \
	"$(body "\`git push\` fails with")"

# W1: /srv/web's `make gen`, then its tests, by their command lines; the
# edit before and the commit after are in most sessions of both projects:
# filler, not part of the workflow.
expect_eq "W1 support" "workflow active 4 3 2" \
	"$(jq -r '.memories[] | select(.title == "Workflow: make gen -> pytest -q tools") |
		"\(.kind) \(.status) \(.support.sessions) \(.support.users) \(.support.agents)"' all.json)"
expect_eq "W1 alone" "Workflow: make gen -> pytest -q tools" \
	"$(jq -r '.memories[] | select(.kind == "workflow") | .title' active.json)"

# P1: three wordings, one preference, with its slot and value.
expect_eq "P1" "preference active 3 3 2" \
	"$(jq -r '.memories[] | select(.extractor == "preferences" and
		.slot == "preference:package-manager") |
		"\(.kind) \(.status) \(.support.sessions) \(.support.users) \(.support.agents)"' all.json)"
expect_eq "P1 count" 1 "$(jq '[.memories[] | select(.body | contains("Use `pnpm`"))] | length' all.json)"

# R1: -f and --force, in three sessions of two users, with the user's words.
r1=$(jq -r '.memories[] | select(.title | startswith("Users stopped `git push")) |
	"\(.support.sessions) \(.support.users)"' all.json)
expect_eq "R1 support" "3 2" "$r1"
body "Users stopped \`git push" | grep -q 'force push to main' || fail "R1 lost the user's words"

# Noise: nothing from tool output, injected context or the assistant.
for word in yarn bun cargo tabs "Never run the tests" "commit tests" "left-pad.*yarn"; do
	if jq -r '.memories[] | .title + " " + .body' all.json | grep -qi -- "$word"; then
		fail "noise became a memory: $word"
	fi
done
# A failure followed by its fix is a mistake, not a workflow.
if jq -r '.memories[] | select(.kind == "workflow") | .title' all.json |
	grep -q 'npm test -> npm install -> npm test'; then
	fail "the npm fix became a workflow"
fi
# What an agent loads is only active memories, each with evidence.
expect_eq "active without evidence" 0 \
	"$(jq '[.memories[] | select((.evidence | length) == 0)] | length' active.json)"
expect_eq "titles over one line" 0 \
	"$(jq '[.memories[] | select(.title | contains("\n"))] | length' all.json)"
exit 0
