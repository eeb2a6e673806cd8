#!/bin/sh
# No secret reaches any output: sessions carrying every form of secret in
# tests/data/secrets.tsv (in user text, commands, tool output, assistant
# text, Codex arguments and exec output) go through run, reconsolidate,
# export in every format, diff in every format, show, log and status; the
# store files (with -wal and the decompressed digests), every output and the
# stderr log hold none of the secrets, nor any 12-character piece of one.
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"
need run export diff status show log reconsolidate
write_config < /dev/null

# tests/data/secrets.tsv: form, text, the secrets in it (one line a form).
corpus=$TOP/tests/data/secrets.tsv
grep -v '^#' "$corpus" > secrets.tsv
[ "$(wc -l < secrets.tsv)" -ge 80 ] || fail "fewer than 80 forms of secret"
# Every 12-character piece of every secret.
awk -F '\t' '{ for (f = 3; f <= NF; f++) for (i = 1; i + 11 <= length($f); i++) print substr($f, i, 12) }' \
	secrets.tsv | sort -u > pieces
contexts=$(jq -R -s -c 'split("\n") | map(select(length > 0) | split("\t")[1] | gsub("\\\\n"; "\n"))' secrets.tsv)

# cc_session USER N: a Claude Code session where npm test fails with the
# secrets in its output, then npm install fixes it.
cc_session() {
	mkdir -p "$T/spool/$1/-srv-webapp"
	jq -n -c --argjson ctx "$contexts" --arg u "$1" --arg n "$2" '
	def head(i): {parentUuid: null, isSidechain: false, userType: "external",
		cwd: "/srv/webapp", sessionId: "s-\($u)-\($n)", version: "2.1.39",
		gitBranch: "main", uuid: "u-\($u)-\($n)-\(i)",
		timestamp: "2026-11-1\($n)T10:00:\(10 + i)Z"};
	def bash(i; id; cmd): head(i) + {type: "assistant", message: {model: "claude-opus-4-6",
		id: "msg_\(i)", type: "message", role: "assistant",
		content: [{type: "tool_use", id: id, name: "Bash", input: {command: cmd}}]}};
	def result(i; id; out; err): head(i) + {type: "user", message: {role: "user",
		content: [{type: "tool_result", tool_use_id: id, content: out, is_error: err}]},
		toolUseResult: ("Error: " + out)};
	head(0) + {type: "user", message: {role: "user", content:
		("Set up the app with these settings and run the tests. Always use pnpm.\n" + ($ctx | join("\n")))}},
	head(1) + {type: "assistant", message: {model: "claude-opus-4-6", id: "msg_1", type: "message",
		role: "assistant", content: [{type: "text", text: ("I will export " + ($ctx | join(" and ")))}]}},
	bash(2; "t1"; ($ctx | join(" && ")) + " && npm test"),
	result(3; "t1"; "Exit code 1\nError: Cannot find module '\''express'\''\nRequire stack:\n- /srv/webapp/src/server.js\nenv was:\n" + ($ctx | join("\n")); true),
	bash(4; "t2"; "npm install"),
	result(5; "t2"; "added 120 packages in 3s\n" + ($ctx[0:5] | join("\n")); false),
	bash(6; "t3"; "npm test"),
	result(7; "t3"; "PASS test/server.test.js\nTests: 12 passed"; false)
	' > "$T/spool/$1/-srv-webapp/s-$1-$2.jsonl" || fail "jq"
}

# cx_session USER N: the same as a Codex rollout.
cx_session() {
	mkdir -p "$T/spool/$1/codex"
	jq -n -c --argjson ctx "$contexts" --arg u "$1" --arg n "$2" '
	def item(i; t; p): {timestamp: "2026-11-1\($n)T11:00:\(10 + i)Z", type: t, payload: p};
	def call(i; id; cmd; out; code):
		item(i; "response_item"; {type: "function_call", name: "exec_command",
			arguments: ({cmd: cmd, workdir: "/srv/webapp"} | tojson), call_id: id}),
		item(i; "response_item"; {type: "function_call_output", call_id: id,
			output: ("Process exited with code \(code)\nOutput:\n" + out)}),
		item(i; "event_msg"; {type: "exec_command_end", call_id: id,
			command: ["/bin/zsh", "-lc", cmd], cwd: "/srv/webapp",
			aggregated_output: out, exit_code: code, status: (if code == 0 then "completed" else "failed" end)});
	item(0; "session_meta"; {id: "cx-\($u)-\($n)", timestamp: "2026-11-1\($n)T11:00:00Z",
		cwd: "/srv/webapp", originator: "codex-tui", cli_version: "0.125.0"}),
	item(1; "turn_context"; {turn_id: "t", cwd: "/srv/webapp", model: "gpt-5.5"}),
	item(2; "event_msg"; {type: "user_message", message: ("Run the tests with these: " + ($ctx | join("\n")))}),
	call(3; "c1"; ($ctx | join("; ")) + "; npm test";
		"Error: Cannot find module '\''express'\''\n" + ($ctx | join("\n")); 1),
	call(4; "c2"; "npm install"; "added 120 packages"; 0),
	call(5; "c3"; "npm test"; "Tests: 12 passed"; 0),
	item(6; "event_msg"; {type: "agent_message", message: ("Done; your key " + $ctx[1] + " works")})
	' > "$T/spool/$1/codex/rollout-cx-$1-$2.jsonl" || fail "jq"
}

for u in alice bob carol; do
	cc_session $u 1
	cc_session $u 2
	cx_session $u 3
done
zstd_all "$T/spool"

"$DREAMD" run --spool "$T/spool" > out-run1 2> err-run1
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 65 ] || fail "run exited $rc: $(cat err-run1)"
# The store as the run left it, -wal included, before anything else opens it.
for f in "$DREAMD_DB" "$DREAMD_DB-wal" "$DREAMD_DB-shm"; do
	[ -f "$f" ] && cp "$f" "store-$(basename "$f")"
done
# More sessions and a second run, so diff has two generations to compare.
cc_session dave 4
cc_session erin 5
zstd_all "$T/spool"
"$DREAMD" run --spool "$T/spool" > out-run2 2> err-run2
"$DREAMD" reconsolidate > out-recons 2> err-recons || fail "reconsolidate exited $?"
for f in "$DREAMD_DB" "$DREAMD_DB-wal"; do
	[ -f "$f" ] && cp "$f" "store2-$(basename "$f")"
done
sqlite3 "$DREAMD_DB" .dump > out-dump || fail "sqlite3 .dump"
mkdir digests
sqlite3 "$DREAMD_DB" "SELECT writefile('digests/' || rowid || '.zst', digest) FROM sessions" > /dev/null ||
	fail "cannot read the digests"
[ "$(ls digests | wc -l)" -ge 9 ] || fail "fewer digests than sessions"
for d in digests/*.zst; do
	zstd -q -dc "$d" > "out-digest-$(basename "$d" .zst)" || fail "digest $d"
done

for fmt in markdown json claude-hook; do
	"$DREAMD" export --format $fmt > "out-export-$fmt" 2>> err-export || fail "export --format $fmt"
	"$DREAMD" export --all --format $fmt > "out-export-all-$fmt" 2>> err-export || fail "export --all --format $fmt"
done
for fmt in text markdown json html; do
	"$DREAMD" diff --format $fmt > "out-diff-$fmt" 2>> err-diff
	"$DREAMD" diff 0 --format $fmt > "out-diff0-$fmt" 2>> err-diff
done
"$DREAMD" status > out-status 2>> err-status
"$DREAMD" status --format json > out-status-json 2>> err-status
n=$(jq '.memories | length' out-export-all-json)
for id in $(jq -r '.memories[].id' out-export-all-json); do
	"$DREAMD" show "$id" > "out-show-$id" 2>> err-show
	"$DREAMD" log "$id" > "out-log-$id" 2>> err-show
done

files=$(ls store-* store2-* out-* err-*)
leaks=$(grep -a -l -F -f pieces $files)
if [ -n "$leaks" ]; then
	for f in $leaks; do
		p=$(grep -a -o -F -f pieces "$f" | head -n 1)
		echo "$f: $(grep -F "$p" secrets.tsv | cut -f 1 | head -n 1) ('$p')"
	done
	fail "secrets leaked"
fi
[ "$n" -gt 0 ] || fail "no memory came out of the secret-laden sessions"
echo "$(wc -l < secrets.tsv) kinds of secret, $(echo $files | wc -w) outputs, $n memories: clean"
