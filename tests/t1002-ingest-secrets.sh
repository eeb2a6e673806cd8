#!/bin/sh
# The secrets of tests/data/secrets.tsv (one line a form), embedded plainly,
# JSON-escaped, after a literal \n, inside tool output, base64-wrapped and
# (a long token) wrapped over two lines, in Claude Code and Codex transcripts
# (and the session's cwd): no secret, nor any 12-character piece of one, nor
# of a base64 wrapping, survives in `dreamd events`. gitleaks:allow markers
# are not honoured. The lines of tests/data/not-secrets.tsv come out whole.
. "$TOP/tests/lib.sh"
grep -v '^#' "$TOP/tests/data/secrets.tsv" |
	jq -R -c 'split("\t") | {kind: .[0], c: (.[1] | gsub("\\\\n"; "\n")), s: .[2:]}' > corpus.jsonl ||
	fail "cannot read tests/data/secrets.tsv"
corpus=corpus.jsonl
kinds=$(wc -l < "$corpus")
[ "$kinds" -ge 80 ] || fail "corpus has only $kinds kinds"

sid=11111111-2222-3333-4444-555555555555
# One Claude Code session that carries every secret eight ways.
jq -c --arg sid "$sid" '
	.c as $c | .kind as $k |
	{type: "user", sessionId: $sid, cwd: "/srv/app", version: "2.1.38",
	 timestamp: "2026-01-01T00:00:00Z", message: {role: "user", content: ("please use " + $c + " # gitleaks:allow")}},
	{type: "assistant", sessionId: $sid, timestamp: "2026-01-01T00:00:01Z",
	 message: {id: ("msg_" + $k), model: "m", role: "assistant", content: [
		{type: "tool_use", id: ("toolu_" + $k), name: "Bash", input: {command: ("echo \u0027" + $c + "\u0027")}}]}},
	{type: "assistant", sessionId: $sid, timestamp: "2026-01-01T00:00:01Z",
	 message: {id: ("msg_" + $k), model: "m", role: "assistant", content: [
		{type: "tool_use", id: ("toolu_w" + $k), name: "Write", input: {file_path: "/srv/app/.env", content: ("A=1\n" + $c + "\n")}}]}},
	{type: "user", sessionId: $sid, timestamp: "2026-01-01T00:00:02Z", message: {role: "user", content: [
		{type: "tool_result", tool_use_id: ("toolu_" + $k), content: ("line one\n" + $c + "\nline three")}]}},
	{type: "user", sessionId: $sid, timestamp: "2026-01-01T00:00:02Z", message: {role: "user", content: [
		{type: "tool_result", tool_use_id: ("toolu_w" + $k), content: [{type: "text", text: ({config: $c, note: "x"} | tojson)}]}]}},
	{type: "assistant", sessionId: $sid, timestamp: "2026-01-01T00:00:03Z",
	 message: {id: ("msg2_" + $k), model: "m", role: "assistant", content: [
		{type: "text", text: ("Escaped: " + ({env: ("X=1\n" + $c)} | tojson | tojson))}]}},
	{type: "user", sessionId: $sid, timestamp: "2026-01-01T00:00:04Z",
	 message: {role: "user", content: ("decode it: echo " + ($c | @base64) + " | base64 -d")}},
	{type: "user", sessionId: $sid, timestamp: "2026-01-01T00:00:05Z",
	 message: {role: "user", content: ("wrapped: " + reduce (.s[] | select(length >= 32 and (test("\\s") | not))) as $t
		($c; split($t) | join($t[0:(($t | length) / 2 | floor)] + "\n" + $t[(($t | length) / 2 | floor):])))}}
	' "$corpus" > claude.jsonl
# The cwd itself may carry a secret.
jq -c -n --arg sid "$sid" '{type: "user", sessionId: $sid, cwd: "/srv/ghp_R4nd0mT0k3nV4lu3Abcdefghij0123456789",
	timestamp: "2026-01-01T00:00:00Z", message: {role: "user", content: "hi"}}' > first.jsonl
cat first.jsonl claude.jsonl > claude2.jsonl
zstd -q -f claude2.jsonl -o claude.jsonl.zst

# A Codex rollout and a legacy one with the same corpus.
jq -c '
	.c as $c | .kind as $k |
	{timestamp: "2026-01-01T00:00:00Z", type: "event_msg", payload: {type: "user_message", message: $c}},
	{timestamp: "2026-01-01T00:00:01Z", type: "response_item", payload: {type: "function_call", name: "exec_command",
		arguments: ({cmd: ("printf %s \u0027" + $c + "\u0027"), workdir: "/srv"} | tojson), call_id: ("call_" + $k)}},
	{timestamp: "2026-01-01T00:00:02Z", type: "response_item", payload: {type: "function_call_output",
		call_id: ("call_" + $k), output: ("Chunk ID: 1\nProcess exited with code 0\nOutput:\n" + $c)}},
	{timestamp: "2026-01-01T00:00:02Z", type: "response_item", payload: {type: "custom_tool_call", name: "apply_patch",
		call_id: ("callp_" + $k), input: ("*** Begin Patch\n*** Add File: .env\n+" + $c + "\n*** End Patch")}},
	{timestamp: "2026-01-01T00:00:03Z", type: "response_item", payload: {type: "message", role: "assistant",
		content: [{type: "output_text", text: ("done: " + $c)}]}}
	' "$corpus" > codex-body.jsonl
{ jq -c -n '{timestamp: "2026-01-01T00:00:00Z", type: "session_meta", payload: {id: "codex-1", cwd: "/srv", cli_version: "0.125.0"}}'
  cat codex-body.jsonl; } > codex.jsonl
zstd -q -f codex.jsonl -o codex.jsonl.zst
{ jq -c -n '{id: "legacy-1", timestamp: "2025-09-10T18:58:38.331Z", instructions: "x"}'
  jq -c '.c as $c | .kind as $k |
	{type: "message", role: "user", content: [{type: "input_text", text: $c}]},
	{type: "function_call", name: "shell", arguments: ({command: ["bash", "-lc", ("echo " + $c)]} | tojson), call_id: ("c" + $k)},
	{type: "function_call_output", call_id: ("c" + $k), output: ({output: ("got " + $c), metadata: {exit_code: 1}} | tojson)}' "$corpus"
} > legacy.jsonl
zstd -q -f legacy.jsonl -o legacy.jsonl.zst

"$DREAMD" events claude.jsonl.zst codex.jsonl.zst legacy.jsonl.zst > out.jsonl 2> err.txt ||
	fail "dreamd events: $(cat err.txt)"
expect_eq "sessions" 3 "$(jq -s 'map(select(.dreamd_events)) | length' out.jsonl)"
# Every secret went through (the events are there), and was redacted.
expect_eq "claude tool calls" $((2 * kinds)) "$(jq -s 'map(select(.dreamd_events))[0].tool_calls' out.jsonl)"
expect_eq "codex tool calls" $((2 * kinds)) "$(jq -s 'map(select(.dreamd_events))[1].tool_calls' out.jsonl)"
expect_eq "legacy errors" "$kinds" "$(jq -s 'map(select(.dreamd_events))[2].tool_errors' out.jsonl)"
nred=$(grep -o 'REDACTED:[a-z-]*' out.jsonl | wc -l)
[ "$nred" -ge $((kinds * 14)) ] || fail "only $nred redactions"

# Also what jq decodes (escapes undone), so an escaped secret cannot hide.
jq -r '.. | strings' out.jsonl > decoded.txt
# Every 12-character piece of every secret, and of each base64 wrapping.
jq -r '.s[], (.c | @base64)' "$corpus" |
	awk '{ for (i = 1; i + 11 <= length($0); i++) print substr($0, i, 12) }' | sort -u > pieces
leaks=$(grep -o -h -F -f pieces out.jsonl decoded.txt | sort -u | wc -l)
if [ "$leaks" -gt 0 ]; then
	for p in $(grep -o -h -F -f pieces out.jsonl decoded.txt | sort -u | head -n 10); do
		echo "leak: '$p' ($(jq -r --arg p "$p" 'select((.s | map(contains($p)) | any) or (.c | @base64 | contains($p))) | .kind' "$corpus" | head -n 1))" >&2
	done
fi
expect_eq "leaks" 0 "$leaks"

# What only looks like a secret (code, placeholders, paths, ids) is kept.
grep -v '^#' "$TOP/tests/data/not-secrets.tsv" |
	jq -R -c --arg sid "$sid" 'split("\t") | {type: "user", sessionId: $sid, cwd: "/srv/app",
		timestamp: "2026-01-01T00:00:00Z", message: {role: "user", content: (.[1] | gsub("\\\\n"; "\n"))}}' > fp.jsonl
"$DREAMD" events fp.jsonl > fp-out.jsonl 2> err.txt || fail "dreamd events: $(cat err.txt)"
grep -v '^#' "$TOP/tests/data/not-secrets.tsv" | cut -f 2 | sed 's/\\n/\n/g' > fp-want.txt
jq -r 'select(.kind == "user") | .text' fp-out.jsonl > fp-got.txt
diff fp-want.txt fp-got.txt >&2 || fail "text that holds no secret was redacted"
