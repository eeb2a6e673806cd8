#!/bin/sh
# SWE-agent trajectories (.traj), 1.x and 0.x, from fixtures of our own:
# each step is the model's thought, a shell call and its output; the task
# is the one user turn, ahead of the steps though history comes after them;
# the cwd from each step's state (a JSON string in 0.x); the session id
# from `environment` in 1.x, the file name in 0.x. The real ones are t1014's.
. "$TOP/tests/lib.sh"
data=$TOP/tests/data/formats/swe-agent

cat > want1.jsonl <<'JSONL'
{"kind":"user","tool":null,"text":"<pr_description>\nDates are written as integers\n</pr_description>","is_error":null,"exit_code":null}
{"kind":"assistant","tool":null,"text":"Let me reproduce it.","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"bash","text":"cd /testbed && python repro.py","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"bash","text":"Traceback (most recent call last):\r\n  File \"repro.py\", line 1\r\nModuleNotFoundError: No module named 'duckdb'","is_error":null,"exit_code":null}
{"kind":"assistant","tool":null,"text":"Install the module.","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"bash","text":"pip install duckdb","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"bash","text":"Successfully installed duckdb-1.0.0","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"bash","text":"submit","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"bash","text":"diff --git a/io/sql.py b/io/sql.py","is_error":null,"exit_code":null}
JSONL
cat > want0.jsonl <<'JSONL'
{"kind":"user","tool":null,"text":"We're currently solving the following issue within our repository.\nISSUE:\nadd() subtracts","is_error":null,"exit_code":null}
{"kind":"assistant","tool":null,"text":"DISCUSSION\nOpen it.\n","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"bash","text":"open src/app.py","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"bash","text":"[File: /repo/src/app.py (10 lines total)]","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"bash","text":"edit 3:3\n    return a + b\nend_of_edit","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"bash","text":"Your proposed edit has introduced new syntax error(s).","is_error":null,"exit_code":null}
JSONL
expect_events want1.jsonl "$data/pandas__pandas-53856.traj"
expect_eq "1.x header" '"pandas__pandas-53856 swe-agent claude-3-7-sonnet-20250219 /testbed"' \
	"$(jq -c 'select(.dreamd_events) | "\(.session) \(.agent) \(.model) \(.project)"' out.jsonl)"
zstd -q -o calc__calc-12.traj.zst "$data/calc__calc-12.traj" || fail zstd
expect_events want0.jsonl calc__calc-12.traj.zst
expect_eq "0.x header" '"calc__calc-12 swe-agent /repo"' \
	"$(jq -c 'select(.dreamd_events) | "\(.session) \(.agent) \(.project)"' out.jsonl)"
# Minified on one line, it reads the same.
jq -c . "$data/calc__calc-12.traj" > one.traj
expect_events want0.jsonl one.traj

# collect takes .traj files (and not the run's other files) from a run
# directory; run counts the other files a spool holds and passes them over.
mkdir -p runs/default/calc__calc-12
cp "$data/calc__calc-12.traj" runs/default/calc__calc-12/
echo 'agent: {}' > runs/default/args.yaml
echo 'diff' > runs/default/calc__calc-12/calc__calc-12.patch
"$DREAMD" -q collect --agent swe-agent --from runs --to spool --user bob || fail collect
expect_eq "collected" "spool/bob/swe-agent/default/calc__calc-12/calc__calc-12.traj.zst" "$(find spool -type f)"
# A spool holding a run's other files passes over them, counted, not quarantined.
cp runs/default/args.yaml spool/bob/swe-agent/default/
cp runs/default/calc__calc-12/calc__calc-12.patch spool/bob/swe-agent/default/calc__calc-12/
write_config < /dev/null
"$DREAMD" -v run --spool spool > out.txt 2> err.txt || fail "run: $(cat err.txt)"
grep -q '2 files that are no transcript passed over' out.txt err.txt || fail "run summary: $(cat out.txt err.txt)"
expect_eq "quarantined" 0 "$(sqlite3 "$DREAMD_DB" 'SELECT count(*) FROM quarantine')"
expect_eq "sessions stored" "calc__calc-12|swe-agent|1|2" "$(sqlite3 "$DREAMD_DB" \
	"SELECT id, agent, user_turns, tool_calls FROM sessions")"
