#!/bin/sh
# OpenHands: a saved trajectory (one JSON array over many lines) and
# evaluation output (one JSON line per instance with its history), from
# fixtures of our own: calls joined to the observations that name them as
# cause, exit codes, a failed edit, a malformed call, a rejection and a
# stop; run from the spool under a .json name. The real ones are t1014's.
. "$TOP/tests/lib.sh"
data=$TOP/tests/data/formats/openhands

cat > want.jsonl <<'JSONL'
{"kind":"user","tool":null,"text":"make the tests pass","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"run","text":"npm test","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"run","text":"Error: Cannot find module 'jest'","is_error":true,"exit_code":1}
{"kind":"tool_call","tool":"run","text":"npm install","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"run","text":"added 12 packages","is_error":null,"exit_code":0}
{"kind":"tool_call","tool":"edit","text":"{\"path\":\"/workspace/shop/cart.js\",\"command\":\"str_replace\",\"old_str\":\"x\",\"new_str\":\"y\"}","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"edit","text":"ERROR:\nNo replacement was performed, old_str `x` did not appear verbatim.","is_error":true,"exit_code":null}
{"kind":"tool_result","tool":"error","text":"Missing required argument \"path\"","is_error":true,"exit_code":null}
{"kind":"tool_call","tool":"run","text":"rm -rf node_modules","is_error":null,"exit_code":null}
{"kind":"rejected","tool":"run","text":"Action has been rejected by the user! Waiting for further user input.","is_error":null,"exit_code":null}
{"kind":"interrupted","tool":null,"text":"stopped","is_error":null,"exit_code":null}
{"kind":"user","tool":null,"text":"just run npm test again","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"run","text":"npm test","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"run","text":"3 passing","is_error":null,"exit_code":0}
{"kind":"assistant","tool":null,"text":"All tests pass now.","is_error":null,"exit_code":null}
JSONL
for f in "$data/trajectory.json" "$data/output.jsonl"; do
	zstd -q -f -o in.zst "$f" || fail zstd
	expect_events want.jsonl in.zst
done
# The instance id names the session (the first instance's); the model comes
# from the run's metadata.
expect_eq "output header" '"shop__cart-7 openhands anthropic/claude-sonnet-4 /workspace/shop 2 5 3"' \
	"$(jq -c 'select(.dreamd_events) | "\(.session) \(.agent) \(.model) \(.project) \(.user_turns) \(.tool_calls) \(.tool_errors)"' out.jsonl)"
# Results carry the call id of their action: the tool call's id, else its event id.
expect_eq "call ids" "toolu_01 toolu_01 oh-6 oh-6 toolu_03 toolu_03" \
	"$(jq -r 'select(.call_id) | .call_id' out.jsonl | head -6 | tr '\n' ' ' | sed 's/ $//')"
# The events, one JSON line each, read the same.
jq -c '.[]' "$data/trajectory.json" > events.jsonl
expect_events want.jsonl events.jsonl

spool_add alice "$data/trajectory.json" cart-7.json
write_config < /dev/null
"$DREAMD" -q run --spool spool 2> err.txt || fail "run: $(cat err.txt)"
expect_eq "sessions stored" "cart-7|openhands|2|5|3" "$(sqlite3 "$DREAMD_DB" \
	"SELECT id, agent, user_turns, tool_calls, tool_errors FROM sessions")"
