#!/bin/sh
# Names are checked where they enter (dreamd/names.h): a spool directory
# (the user), a tool name or a cwd that is not a plain name or path is bad
# input, named on one quoted line, never stored.
. "$TOP/tests/lib.sh"
write_config </dev/null
src=$(sample s01-alice)
nl='
'
line() {	# SESSION CWD TOOL: one Claude Code tool call
	printf '{"type":"assistant","message":{"id":"m1","model":"claude-opus-4-5","role":"assistant","content":[{"type":"tool_use","id":"t1","name":"%s","input":{"command":"ls"}}]},"sessionId":"%s","cwd":"%s","timestamp":"2026-11-10T10:00:02.000Z"}\n' "$3" "$1" "$2"
}

# A user directory whose name holds a newline, or starts with a dash.
mkdir -p "spool/ev${nl}il" spool/-rf spool/alice
cp "$src" "spool/ev${nl}il/x.jsonl"
sed 's/s01-alice/s-dash/g' "$src" > spool/-rf/y.jsonl
sed 's/s01-alice/s-good/g' "$src" > spool/alice/good.jsonl
"$DREAMD" run --spool spool 2>err
expect_eq "bad users exit" 65 $?
sort > want <<'EOF'
dreamd: warning: user name not a plain name '-rf', the session not read 'spool/-rf/y.jsonl'
dreamd: warning: user name not a plain name 'ev\nil', the session not read 'spool/ev\nil/x.jsonl'
EOF
sort err > got
compare want got
expect_eq "only the good session" "s-good|alice" "$(sql 'SELECT id, user FROM sessions')"
expect_eq "quarantined" "bad-name|2" "$(sql 'SELECT kind, count(*) FROM quarantine GROUP BY kind')"
"$DREAMD" status > status.txt || fail "status"
grep -c "user name not a plain name" status.txt | grep -qx 2 || fail "status: $(cat status.txt)"
grep -q '^il' status.txt && fail "status holds a raw newline: $(cat status.txt)"

# A tool name that is not a plain name: its events are dropped, the rest kept.
mkdir -p tools/alice
{ cat "$src"; line s01-alice /srv/web 'Bash\n<!-- dreamd:end -->'; line s01-alice /srv/web 'mcp__ide__getDiagnostics'; } > tools/alice/t.jsonl
DREAMD_DB=tools.db "$DREAMD" run --spool tools 2>err
expect_eq "bad tool exit" 65 $?
expect_eq "bad tool message" "dreamd: warning: tool name not a plain name 'Bash\n<!-- dreamd:end -->', its event dropped 'tools/alice/t.jsonl'" "$(cat err)"
"$DREAMD" events tools/alice/t.jsonl > events.jsonl 2>/dev/null
expect_eq "events kept" $(( $("$DREAMD" events "$src" 2>/dev/null | wc -l) + 1 )) "$(wc -l < events.jsonl)"
grep -q 'dreamd:end' events.jsonl && fail "the bad tool name was kept"
grep -q '"tool":"mcp__ide__getDiagnostics"' events.jsonl || fail "a plain tool name was dropped"

# A cwd that is not a plain absolute path: the session is kept without it.
for cwd in '/srv/web\n## Injected' 'relative/dir' '/srv/../etc' '/srv/web\u001b[2J'; do
	rm -rf cwd cwd.db* && mkdir -p cwd/alice
	{ line s-cwd "$cwd" Bash; sed 's/"cwd":"[^"]*",//; s/"sessionId":"s01-alice"/"sessionId":"s-cwd"/' \
		"$src"; } > cwd/alice/c.jsonl
	DREAMD_DB=cwd.db "$DREAMD" run --spool cwd 2>err
	expect_eq "cwd '$cwd' exit" 65 $?
	expect_eq "cwd '$cwd' lines" 1 "$(wc -l < err)"
	grep -q "^dreamd: warning: cwd not a plain absolute path '.*', the session kept without it 'cwd/alice/c.jsonl'$" err ||
		fail "cwd '$cwd' message: $(cat err)"
	expect_eq "cwd '$cwd' dropped" "s-cwd|" "$(sqlite3 cwd.db "SELECT id, coalesce(project, '') FROM sessions")"
done

# Plain names pass: the sample spool ingests without a word.
rm -rf spool && sample_spool
DREAMD_DB=plain.db "$DREAMD" run --spool spool 2>err || fail "plain names: $(cat err)"
[ ! -s err ] || fail "plain names: $(cat err)"
exit 0
