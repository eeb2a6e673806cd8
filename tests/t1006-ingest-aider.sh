#!/bin/sh
# aider's .aider.chat.history.md: the events of a history of our own (user
# prompts over several lines, edits, commits, lint, accepted and declined
# shell commands, /run and /test, ^C, /code and its echo, the model's own
# "#### " and "> " lines), told apart by content whatever its
# name; collected and run from the spool under aider's own hidden name.
# The real histories are t1007's.
. "$TOP/tests/lib.sh"
data=$TOP/tests/data/formats/aider

cat > want.jsonl <<'JSONL'
{"kind":"user","tool":null,"text":"fix the failing test in calc.py\nand keep the API","is_error":null,"exit_code":null}
{"kind":"assistant","tool":null,"text":"I will change `add`.\ncalc.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"edit","text":"calc.py","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"edit","text":"","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"commit","text":"1b2614a fix: add returns the sum","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"commit","text":"","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"lint","text":"flake8 calc.py","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"lint","text":"calc.py:3:1: E302 expected 2 blank lines","is_error":true,"exit_code":null}
{"kind":"rejected","tool":null,"text":"Fix lint errors in calc.py? (Y)es/(N)o [Yes]: n","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"shell","text":"python -m pytest -q","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"shell","text":"1 failed, exit code 1\nrm -rf build","is_error":true,"exit_code":1}
{"kind":"tool_call","tool":"shell","text":"rm -rf build","is_error":null,"exit_code":null}
{"kind":"rejected","tool":null,"text":"Run shell command? (Y)es/(N)o/(S)kip all/(D)on't ask again [Yes]: n","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"shell","text":"make check","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"shell","text":"make: *** [check] Error 2","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"test","text":"npm test","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"test","text":"Added 12 lines of output to the chat.","is_error":true,"exit_code":null}
{"kind":"user","tool":null,"text":"stop","is_error":null,"exit_code":null}
{"kind":"interrupted","tool":null,"text":"^C again to exit","is_error":null,"exit_code":null}
{"kind":"user","tool":null,"text":"add a --verbose flag","is_error":null,"exit_code":null}
{"kind":"assistant","tool":null,"text":"#### Steps\nAdd the flag to `main.c`.\n> quoted by the model","is_error":null,"exit_code":null}
JSONL

# Any name, compressed or not: the content tells.
cp "$data/history.md" plain.txt
zstd -q -o hist.zst "$data/history.md" || fail zstd
for f in plain.txt hist.zst; do
	"$DREAMD" events --user alice "$f" > out.jsonl 2> err.txt || fail "events $f: $(cat err.txt)"
	expect_eq "$f warnings" "" "$(cat err.txt)"
	jq -c 'select(.kind) | {kind, tool, text, is_error, exit_code}' out.jsonl > got.jsonl
	compare want.jsonl got.jsonl
	expect_eq "$f header" \
		'{"agent":"aider","agent_version":"0.86.1","model":"openai/gpt-4o","started":"2026-03-01T10:00:00.000Z","ended":"2026-03-03T08:00:00.000Z"}' \
		"$(jq -c 'select(.dreamd_events) | {agent, agent_version, model, started, ended}' out.jsonl)"
done
# The session id is derived from the file and its first start, so a second
# project's history (same name, other directory) is another session.
"$DREAMD" events plain.txt > out1.jsonl || fail "events plain"
id1=$(jq -r 'select(.dreamd_events) | .session' out1.jsonl)
case $id1 in aider-????????????????) ;; *) fail "session id '$id1'" ;; esac
mkdir -p other && cp "$data/history.md" other/plain.txt
"$DREAMD" events other/plain.txt > out2.jsonl || fail "events other"
id2=$(jq -r 'select(.dreamd_events) | .session' out2.jsonl)
[ "$id1" != "$id2" ] || fail "two histories share the id $id1"
"$DREAMD" events plain.txt > out3.jsonl || fail "events again"
expect_eq "id is stable" "$id1" "$(jq -r 'select(.dreamd_events) | .session' out3.jsonl)"

# collect takes the history from a project directory under its hidden name;
# the spool and run read it from there.
mkdir -p raw/calc
cp "$data/history.md" raw/calc/.aider.chat.history.md
"$DREAMD" -q collect --from raw --to spool --user alice || fail collect
[ -f spool/alice/calc/.aider.chat.history.md.zst ] || fail "not collected: $(find spool)"
write_config < /dev/null
"$DREAMD" -q run --spool spool 2> err.txt || fail "run: $(cat err.txt)"
expect_eq "run warnings" "" "$(cat err.txt)"
expect_eq "sessions stored" "1|aider|3|7|3" "$(sqlite3 "$DREAMD_DB" \
	"SELECT count(*), agent, user_turns, tool_calls, tool_errors FROM sessions")"
expect_eq "quarantined" 0 "$(sqlite3 "$DREAMD_DB" 'SELECT count(*) FROM quarantine')"
