#!/bin/sh
# GitHub Copilot CLI's events.jsonl, from a fixture of our own: prompts,
# replies, calls from tool.execution_start joined to their completion
# (the shell's exit code from its text, a failed edit, a call the user
# rejected) and an abort; collected from ~/.copilot/session-state. The
# real ones are t1014's.
. "$TOP/tests/lib.sh"
data=$TOP/tests/data/formats/copilot

cat > want.jsonl <<'JSONL'
{"kind":"user","tool":null,"text":"fix the failing build","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"bash","text":"make","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"bash","text":"cc: error: app.c: No such file\n<shellId: 0 completed with exit code 2>","is_error":true,"exit_code":2}
{"kind":"tool_call","tool":"edit","text":"{\"path\":\"/home/dev/shop/Makefile\",\"old_str\":\"app.c\",\"new_str\":\"src/app.c\"}","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"edit","text":"No match found for old_str","is_error":true,"exit_code":null}
{"kind":"tool_call","tool":"bash","text":"git push --force","is_error":null,"exit_code":null}
{"kind":"rejected","tool":"bash","text":"The user rejected this tool call.","is_error":null,"exit_code":null}
{"kind":"assistant","tool":null,"text":"The Makefile names app.c, which moved to src/.","is_error":null,"exit_code":null}
{"kind":"user","tool":null,"text":"stop","is_error":null,"exit_code":null}
{"kind":"interrupted","tool":null,"text":"user initiated","is_error":null,"exit_code":null}
JSONL
expect_events want.jsonl "$data/events.jsonl"
expect_eq "header" '"5a1e9c3d-7b2f-4e60-9d14-2c8b0f6a7e31 copilot-cli 1.0.70 claude-sonnet-4.5 /home/dev/shop 2 3 2"' \
	"$(jq -c 'select(.dreamd_events) | "\(.session) \(.agent) \(.agent_version) \(.model) \(.project) \(.user_turns) \(.tool_calls) \(.tool_errors)"' out.jsonl)"

mkdir -p home/.copilot/session-state/5a1e9c3d-7b2f-4e60-9d14-2c8b0f6a7e31
cp "$data/events.jsonl" home/.copilot/session-state/5a1e9c3d-7b2f-4e60-9d14-2c8b0f6a7e31/
echo 'cwd: /home/dev/shop' > home/.copilot/session-state/5a1e9c3d-7b2f-4e60-9d14-2c8b0f6a7e31/workspace.yaml
HOME=$T/home "$DREAMD" -q collect --agent copilot-cli --to spool --user carol || fail collect
expect_eq "collected" "spool/carol/copilot-cli/5a1e9c3d-7b2f-4e60-9d14-2c8b0f6a7e31/events.jsonl.zst" "$(find spool -type f)"
write_config < /dev/null
"$DREAMD" -q run --spool spool 2> err.txt || fail "run: $(cat err.txt)"
expect_eq "sessions stored" "5a1e9c3d-7b2f-4e60-9d14-2c8b0f6a7e31|copilot-cli|carol|2|3|2" "$(sqlite3 "$DREAMD_DB" \
	"SELECT id, agent, user, user_turns, tool_calls, tool_errors FROM sessions")"
