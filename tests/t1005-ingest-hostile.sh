#!/bin/sh
# Hostile or odd input that once broke runs: a timestamp in the future, a
# dreamd header without an agent, absurd numbers, a spool of symlinks that
# doubles at every level, links out of the spool, a session with endless
# events; quarantined files
# come back with --retry-quarantined.
. "$TOP/tests/lib.sh"
write_config </dev/null
src=$(sample s01-alice)
old() { touch -d '1 hour ago' "$@"; }

# A line from the year 9999: its time is dropped, the session kept.
mkdir -p spool/alice
cp "$src" spool/alice/short.jsonl
printf '{"type":"user","sessionId":"s01-alice","timestamp":"9999-12-31T00:00:00Z","message":{"role":"user","content":"hello"}}\n' >> spool/alice/short.jsonl
old spool/alice/short.jsonl
"$DREAMD" -v run --spool spool 2>err
expect_eq "future timestamp exit" 65 $?
grep -q "timestamps later than the file was written 'spool/alice/short.jsonl'" err ||
	fail "future timestamp message: $(cat err)"
[ "$(sql 'SELECT ended_at < 4102444800000 FROM sessions')" = 1 ] ||
	fail "a future time was stored: $(sql 'SELECT ended_at FROM sessions')"
# The run line and status count it alike (a bad input, no file quarantined)
# and status names the file once.
grep -q ", 0 quarantined, 1 bad inputs;" err || fail "run line: $(cat err)"
"$DREAMD" status > status.out || fail "status"
grep -q "^bad inputs: 1; files quarantined: 0$" status.out || fail "status: $(cat status.out)"
line=$(grep "future-timestamp: " status.out | head -n 1)
expect_eq "status names the file once" 1 "$(echo "$line" | grep -o "spool/alice/short.jsonl" | wc -l)"

# dreamd's own format without an agent, and with absurd numbers.
printf '{"dreamd_events":1,"session":"s1","started":1e300}\n{"kind":"user","text":"hi","ts":-5}\n{"kind":"tool_call","tool":"Bash","text":"ls","ts":1e300}\n' > spool/alice/own.jsonl
old spool/alice/own.jsonl
"$DREAMD" run --spool spool 2>err || fail "own format: $(cat err)"
expect_eq "agent of a header without one" unknown "$(sql "SELECT agent FROM sessions WHERE id = 's1'")"
expect_eq "absurd times dropped" "0|0" "$(sql "SELECT coalesce(started_at, 0), coalesce(ended_at, 0) FROM sessions WHERE id = 's1'")"

# Symlinks that double at every level: each directory is walked once.
mkdir -p links/bob/l0
i=0
while [ $i -lt 24 ]; do
	mkdir -p links/bob/l$((i + 1))
	ln -s ../l$((i + 1)) links/bob/l$i/a
	ln -s ../l$((i + 1)) links/bob/l$i/b
	i=$((i + 1))
done
cp "$(sample s03-carol)" links/bob/l24/t.jsonl
old links/bob/l24/t.jsonl
start=$(date +%s)
DREAMD_DB=links.db "$DREAMD" run --spool links 2>err || fail "symlink spool: $(cat err)"
[ $(( $(date +%s) - start )) -lt 20 ] || fail "the symlink spool took too long"
expect_eq "the linked transcript, once" 1 "$(sqlite3 links.db 'SELECT count(*) FROM files')"

# Links out of the spool are quarantined with their target named, never
# read or walked; a link inside it is passed over (its target is read where
# it is, under its own user).
mkdir -p out/alice out/mallory other/carol
cp "$src" out/alice/s.jsonl
sed 's/s01-alice/s-carol/g' "$src" > other/carol/c.jsonl
ln -s /etc/shadow out/mallory/shadow.jsonl
ln -s / out/mallory/root
ln -s "$T/other" out/mallory/spool2
ln -s "$T/other/carol/c.jsonl" out/mallory/c.jsonl
ln -s /nonexistent out/mallory/dead.jsonl
ln -s ../alice out/mallory/alice
ln -s ../alice/s.jsonl out/mallory/s.jsonl
ln -s / out/everything
find out other -exec touch -h -d '1 hour ago' {} +
start=$(date +%s)
DREAMD_DB=out.db "$DREAMD" run --spool out 2>err
expect_eq "links out exit" 65 $?
[ $(( $(date +%s) - start )) -lt 10 ] || fail "a link to / was walked"
expect_eq "only alice's session, as hers" "s01-alice|alice" "$(sqlite3 out.db 'SELECT id, user FROM sessions')"
sort err > err.sorted
sort > want.sorted <<EOF
dreamd: warning: link out of the spool to '/' 'out/everything'
dreamd: warning: link out of the spool to '/' 'out/mallory/root'
dreamd: warning: link out of the spool to '/etc/shadow' 'out/mallory/shadow.jsonl'
dreamd: warning: link out of the spool to '$T/other' 'out/mallory/spool2'
dreamd: warning: link out of the spool to '$T/other/carol/c.jsonl' 'out/mallory/c.jsonl'
dreamd: warning: link to nothing ('/nonexistent') 'out/mallory/dead.jsonl'
EOF
compare want.sorted err.sorted
expect_eq "quarantined links" 6 "$(sqlite3 out.db "SELECT count(*) FROM quarantine WHERE kind = 'outside-spool'")"
DREAMD_DB=out.db "$DREAMD" run --spool out 2>err || fail "links again: $(cat err)"
[ ! -s err ] || fail "links reported again: $(cat err)"

# Endless events: the session keeps what fits, the rest is dropped and said.
mkdir -p many/carol
awk 'BEGIN { for (i = 0; i < 400; i++)
	printf "{\"type\":\"user\",\"sessionId\":\"many\",\"timestamp\":\"2026-02-10T21:11:56.000Z\",\"message\":{\"role\":\"user\",\"content\":\"line %d\"}}\n", i }' > many/carol/many.jsonl
old many/carol/many.jsonl
printf 'ingest:\n  idle_minutes: 0\n  max_events: 100\n' > small.yaml
DREAMD_DB=many.db DREAMD_CONFIG=small.yaml "$DREAMD" run --spool many 2>err
expect_eq "too many events exit" 65 $?
grep -q "session over the event or size limit, the rest dropped 'many/carol/many.jsonl:101'" err ||
	fail "too many events message: $(cat err)"
expect_eq "events kept" 100 "$(sqlite3 many.db 'SELECT events FROM sessions')"

# A file over a limit is kept in part and quarantined, quietly, until a run
# is asked to read it again.
mkdir -p big/dave
cp "$(sample rollout-s05-dave)" big/dave/t.jsonl
old big/dave/t.jsonl
printf 'ingest:\n  idle_minutes: 0\n  max_file_bytes: 4000\n' > tiny.yaml
DREAMD_DB=big.db DREAMD_CONFIG=tiny.yaml "$DREAMD" run --spool big 2>err
expect_eq "size limit exit" 65 $?
grep -q "decompressed size over the limit\|file size over the limit" err || fail "size message: $(cat err)"
part=$(sqlite3 big.db 'SELECT events FROM sessions')
expect_eq "ledger" quarantined "$(sqlite3 big.db 'SELECT status FROM files')"
DREAMD_DB=big.db DREAMD_CONFIG=tiny.yaml "$DREAMD" run --spool big 2>err
expect_eq "quarantined file left alone" 0 $?
[ ! -s err ] || fail "a quarantined file was read again: $(cat err)"
DREAMD_DB=big.db "$DREAMD" run --spool big 2>err
expect_eq "raised limit, no retry asked" "$part" "$(sqlite3 big.db 'SELECT events FROM sessions')"
expect_eq "stored by the first run" 1 "$(sqlite3 big.db 'SELECT run FROM sessions')"
DREAMD_DB=big.db "$DREAMD" run --retry-quarantined --spool big 2>err || fail "retry: $(cat err)"
expect_eq "stored again by the retry" 4 "$(sqlite3 big.db 'SELECT run FROM sessions')"
[ "$(sqlite3 big.db 'SELECT events FROM sessions')" -ge "$part" ] || fail "retry lost events"
expect_eq "ledger after retry" ingested "$(sqlite3 big.db 'SELECT status FROM files')"

# A file name with a newline and an escape sequence cannot forge a message
# line or reach the terminal raw: stderr and status escape it (\n, \x1b).
name=$(printf 'evil\ndreamd: error: forged\033[2J.jsonl')
mkdir -p esc/alice && printf 'not json\n' > "esc/alice/$name" && old "esc/alice/$name"
DREAMD_DB=$T/esc.db "$DREAMD" -v run --spool esc 2> err
esc=$(printf '\033')
grep -q "$esc" err && fail "an escape byte reached stderr: $(cat -v err)"
grep -q '^dreamd: error: forged' err && fail "a forged message line: $(cat err)"
grep -v '^dreamd: ' err && fail "a stderr line that is not dreamd's"
grep -qF "evil\\ndreamd: error: forged\\x1b[2J.jsonl" err || fail "the name is not escaped: $(cat err)"
DREAMD_DB=$T/esc.db "$DREAMD" status > status.out || fail "status"
grep -q "$esc" status.out && fail "an escape byte reached status: $(cat -v status.out)"
grep -q '^dreamd: error: forged' status.out && fail "status printed the name raw: $(cat status.out)"
grep -qF "evil\\ndreamd: error: forged\\x1b[2J.jsonl" status.out || fail "status: $(cat status.out)"
exit 0
