#!/bin/sh
# The ingest ledger: a grown transcript is ingested again as the same
# session, the same content under a new name is not counted twice, files
# still being written are left for the next run, a second run at once exits
# 75, and the spool being gone does not lose anything.
. "$TOP/tests/lib.sh"
src=$(sample s03-carol)
write_config </dev/null

# The first 20 lines now, the rest later: an agent appending to a live file.
mkdir -p spool/alice
head -n 20 "$src" > spool/alice/live.jsonl
"$DREAMD" run --spool spool || fail "first run"
expect_eq "sessions" 1 "$(sql 'SELECT count(*) FROM sessions')"
events1=$(sql 'SELECT events FROM sessions')
cat "$src" > spool/alice/live.jsonl
"$DREAMD" run --spool spool || fail "second run"
expect_eq "sessions after growth" 1 "$(sql 'SELECT count(*) FROM sessions')"
events2=$(sql 'SELECT events FROM sessions')
[ "$events2" -gt "$events1" ] || fail "grown file not ingested again ($events1 -> $events2)"
expect_eq "no observations of the old version kept" 0 \
	"$(sql "SELECT count(*) FROM observations WHERE seq >= $events2")"

# The same content under another name (and compressed): counted once.
zstd -q -o spool/alice/copy.jsonl.zst spool/alice/live.jsonl
"$DREAMD" run --spool spool 2>dup.err || fail "third run"
expect_eq "sessions after copy" 1 "$(sql 'SELECT count(*) FROM sessions')"
sql "SELECT summary FROM runs ORDER BY id DESC LIMIT 1" | grep -q "1 duplicate" ||
	fail "copy not reported as a duplicate"

# Files modified within the idle window wait for the next run.
printf 'ingest:\n  idle_minutes: 15\n' > idle.yaml
cp "$(sample s01-alice)" spool/alice/fresh.jsonl
DREAMD_CONFIG=idle.yaml "$DREAMD" -v run --spool spool 2>idle.err || fail "idle run"
expect_eq "fresh file left alone" 1 "$(sql 'SELECT count(*) FROM sessions')"
# All three files of the spool are younger than 15 minutes.
grep -q "; 3 files modified in the last 15 minutes left for the next run (ingest.idle_minutes; --now takes them);" idle.err ||
	fail "the summary does not count the file left: $(cat idle.err)"
# --now takes it at once (in a copy of the store: the rest wants it later).
cp "$DREAMD_DB" now.db
DREAMD_DB=now.db DREAMD_CONFIG=idle.yaml "$DREAMD" -v run --now --spool spool 2>now.err || fail "run --now"
expect_eq "--now took the fresh file" 2 "$(sqlite3 now.db 'SELECT count(*) FROM sessions')"
grep -q "left for the next run" now.err && fail "--now left a file: $(cat now.err)"
touch -d '1 hour ago' spool/alice/fresh.jsonl
DREAMD_CONFIG=idle.yaml "$DREAMD" run --spool spool || fail "run after idle"
expect_eq "idle file ingested" 2 "$(sql 'SELECT count(*) FROM sessions')"

# One run at a time: a second one exits 75 at once.
flock "$DREAMD_DB" sleep 3 &
sleep 0.5
"$DREAMD" run --spool spool 2>lock.err
expect_eq "locked run exit" 75 $?
grep -q "another run holds the lock" lock.err || fail "no lock message: $(cat lock.err)"
wait

# An empty spool, and one with nothing to read: nothing to do, exit 0.
mkdir -p empty nojsonl/alice && echo notes > nojsonl/alice/notes.txt
DREAMD_DB=empty.db "$DREAMD" run --spool empty 2>empty.err || fail "empty spool: $(cat empty.err)"
DREAMD_DB=empty.db "$DREAMD" run --spool nojsonl 2>empty.err || fail "spool with no .jsonl: $(cat empty.err)"

# What is not a transcript is skipped, counted in the summary, named with -v:
# a .txt file, a FIFO (never opened), a directory named like a transcript
# (read as a directory).
mkdir -p odd/alice/dir.jsonl && echo notes > odd/alice/notes.txt && mkfifo odd/alice/pipe.jsonl &&
	cp "$(sample s01-alice)" odd/alice/dir.jsonl/s.jsonl || fail "odd spool"
DREAMD_DB=odd.db "$DREAMD" -v run --now --spool odd 2>odd.err || fail "odd spool: $(cat odd.err)"
grep -q "; 3 files that are no transcript passed over (-v names them);" odd.err || fail "summary: $(cat odd.err)"
grep -q "^dreamd: skipped 'odd/alice/dir.jsonl': a directory named like a transcript" odd.err &&
	grep -q "^dreamd: skipped 'odd/alice/notes.txt': not named as a transcript is" odd.err &&
	grep -q "^dreamd: skipped 'odd/alice/pipe.jsonl': not a regular file" odd.err ||
	fail "-v does not name what it skipped: $(cat odd.err)"
expect_eq "the transcript in the directory" 1 "$(sqlite3 odd.db 'SELECT count(*) FROM sessions')"
DREAMD_DB=odd.db "$DREAMD" run --now --spool odd 2>odd.err || fail "odd spool again"
grep -q skipped odd.err && fail "skips named without -v: $(cat odd.err)"

# A spool that is not there is input missing.
"$DREAMD" run --spool "$T/nowhere" 2>missing.err
expect_eq "missing spool exit" 66 $?
grep -q "spool missing '$T/nowhere'" missing.err || fail "message: $(cat missing.err)"

# The spool rotated away: reconsolidate still has every session's digest.
gens=$(sql 'SELECT count(*) FROM generations')
rm -rf spool
"$DREAMD" reconsolidate || fail "reconsolidate without spool"
expect_eq "sessions kept" 2 "$(sql 'SELECT count(*) FROM sessions')"
expect_eq "nothing changed" "$gens" "$(sql 'SELECT count(*) FROM generations')"
exit 0
