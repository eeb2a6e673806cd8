#!/bin/sh
# Every real transcript, compressed as the spool holds it, through
# `dreamd events`: sessions, user turns, tool calls and failing tool calls
# must equal what jq counts independently from the raw file.
. "$TOP/tests/lib.sh"
need_real_transcripts
src=$REAL

# z FILE: the file compressed into $T/z, mirroring its path; prints the new path.
z() {
	out=$T/z/${1#$src/}.zst
	mkdir -p "$(dirname "$out")"
	[ -f "$out" ] || zstd -q -f -o "$out" "$1" || fail "zstd $1"
	echo "$out"
}

# check NAME JQ-PROGRAM DREAMD-ARGS... : compares the counts.
check() {
	name=$1 prog=$2; shift 2
	"$DREAMD" events --user alice "$@" > out.jsonl 2> err.txt ||
		fail "$name: dreamd events failed: $(cat err.txt)"
	[ -s err.txt ] && fail "$name: unexpected warnings: $(cat err.txt)"
	expect_eq "$name sessions" 1 "$(jq -s 'map(select(.dreamd_events)) | length' out.jsonl)"
	got=$(jq -c 'select(.dreamd_events) | {user_turns, tool_calls, tool_errors}' out.jsonl)
	# The counts in the header must agree with the events printed.
	evs=$(jq -s -c '{user_turns: map(select(.kind == "user" and (.subagent | not))) | length,
		tool_calls: map(select(.kind == "tool_call")) | length,
		tool_errors: map(select(.kind == "tool_result" and .is_error)) | length}' out.jsonl)
	expect_eq "$name header vs events" "$got" "$evs"
	expect_eq "$name counts" "$want" "$got"
	expect_eq "$name user" alice "$(jq -r 'select(.dreamd_events) | .user' out.jsonl)"
}

n=0
for f in "$src"/claude-code/*.jsonl "$src"/claude-code/*/subagents/*.jsonl; do
	dir=${f%.jsonl}
	subs=
	case $f in
	*/subagents/*)
		# Alone, a subagent file is its own session: no user turns.
		want=$(jq -s -c -f "$TOP/tests/jq/claude-counts.jq" "$f")
		check "${f#$src/}" claude "$(z "$f")"
		expect_eq "${f#$src/} subagent flag" true \
			"$(jq -s 'map(select(.kind)) | all(.subagent == true)' out.jsonl)"
		n=$((n + 1))
		continue ;;
	esac
	if [ -d "$dir/subagents" ]; then
		subs=$(ls "$dir"/subagents/*.jsonl)
	fi
	# The unit: parent and subagents together.
	want=$(cat "$f" $subs | jq -s -c -f "$TOP/tests/jq/claude-counts.jq")
	zsubs=
	for s in $subs; do zsubs="$zsubs $(z "$s")"; done
	check "${f#$src/}" claude "$(z "$f")" $zsubs
	sid=$(jq -r 'select(.sessionId) | .sessionId' "$f" | head -n 1)
	expect_eq "${f#$src/} session id" "$sid" "$(jq -r 'select(.dreamd_events) | .session' out.jsonl)"
	expect_eq "${f#$src/} agent" claude-code "$(jq -r 'select(.dreamd_events) | .agent' out.jsonl)"
	n=$((n + 1))
done

# The parentless subagent file becomes its own session, id from its content.
orphan=$src/claude-code/6c2214d7-b87e-4432-8e41-22ba294ea584/subagents/agent-afc096d.jsonl
"$DREAMD" events "$(z "$orphan")" > out.jsonl || fail "orphan"
expect_eq "orphan session" 6c2214d7-b87e-4432-8e41-22ba294ea584 \
	"$(jq -r 'select(.dreamd_events) | .session' out.jsonl)"

for f in "$src"/codex/*.jsonl; do
	want=$(jq -s -c -f "$TOP/tests/jq/codex-counts.jq" "$f")
	check "${f#$src/}" codex "$(z "$f")"
	expect_eq "${f#$src/} agent" codex "$(jq -r 'select(.dreamd_events) | .agent' out.jsonl)"
	n=$((n + 1))
done
[ $n -ge 20 ] || fail "only $n transcripts checked"

# Counts that pin the rules down, on files the README describes.
f=$src/codex/rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl
"$DREAMD" events "$(z "$f")" > out.jsonl
expect_eq "codex failed commands" 4 "$(jq 'select(.dreamd_events) | .tool_errors' out.jsonl)"
expect_eq "codex model" gpt-5.5 "$(jq -r 'select(.dreamd_events) | .model' out.jsonl)"
expect_eq "codex apply_patch" 3 "$(jq -s 'map(select(.kind == "tool_call" and .tool == "apply_patch" and (.text | startswith("*** Begin Patch")))) | length' out.jsonl)"
expect_eq "codex no injected user text" 0 "$(jq -s 'map(select(.kind == "user" and (.text | test("environment_context|AGENTS.md")))) | length' out.jsonl)"
f=$src/codex/legacy-2025-09.jsonl
"$DREAMD" events "$(z "$f")" > out.jsonl
expect_eq "legacy cwd" /home/user/projects/codex-session-viewer "$(jq -r 'select(.dreamd_events) | .project' out.jsonl)"
expect_eq "legacy shell wrapper dropped" ls\ -la "$(jq -r 'select(.kind == "tool_call" and .tool == "shell") | .text' out.jsonl | head -n 1)"
f=$src/claude-code/short.jsonl
"$DREAMD" events "$(z "$f")" > out.jsonl
expect_eq "rejections" "Bash Glob" "$(jq -r 'select(.kind == "rejected") | .tool' out.jsonl | tr '\n' ' ' | sed 's/ $//')"
expect_eq "interrupted" 1 "$(jq -s 'map(select(.kind == "interrupted")) | length' out.jsonl)"
expect_eq "one merged response" 1 "$(jq -s 'map(select(.kind == "assistant")) | length' out.jsonl)"

# Round trip: dreamd's own JSONL reads back to the same events.
"$DREAMD" events "$(z "$src/claude-code/tool_heavy.jsonl")" > a.jsonl
"$DREAMD" events a.jsonl > b.jsonl || fail "reading dreamd events back"
compare a.jsonl b.jsonl
