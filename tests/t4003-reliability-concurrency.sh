#!/bin/sh
# Readers never see a half-written generation: `export` in a loop while
# runs and reconsolidate write; every read parses, names a generation that
# was published and holds that generation's memories; "database is locked"
# never reaches the user. Two runs at once: the second exits 75.
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"
need run export reconsolidate
write_config < /dev/null

spool_part 1
spool_run 1
export_json now.json
jq -r '"\(.generation) \(.memories | length)"' now.json > published

# The writer: more sessions, a run, a reconsolidate, and so on; after each
# step it notes the generation and memory count it published.
(
	for i in 1 2 3 4; do
		corpus_gen -f $((100 + i * 10)) -n 4 -t 4 -u 3 -p 2 "$T/gen$i"
		zstd_all "$T/gen$i"
		cp -R "$T/gen$i"/. "$T/spool/"
		"$DREAMD" run --spool "$T/spool" > /dev/null 2>> writer.err
		"$DREAMD" export --format json --all 2>> writer.err |
			jq -r '"\(.generation) \(.memories | length)"' >> published
		"$DREAMD" reconsolidate > /dev/null 2>> writer.err
		"$DREAMD" export --format json --all 2>> writer.err |
			jq -r '"\(.generation) \(.memories | length)"' >> published
	done
	touch writer.done
) &
writer=$!

reads=0
while [ ! -f writer.done ]; do
	reads=$((reads + 1))
	"$DREAMD" export --format json --all > "read-$reads.json" 2> "read-$reads.err"
	rc=$?
	[ $rc -eq 0 ] || fail "export exited $rc during a write: $(cat "read-$reads.err")"
done
wait $writer
grep -i 'locked\|busy' writer.err read-*.err && fail "a lock error reached the user"
if grep -v '^dreamd: warning: ' writer.err; then fail "the writer failed"; fi
[ "$(sort -u published | wc -l)" -ge 3 ] || fail "too few generations published: $(cat published)"
[ $reads -ge 5 ] || fail "only $reads reads during the writes"
i=0
while [ $i -lt $reads ]; do
	i=$((i + 1))
	got=$(jq -r '"\(.generation) \(.memories | length)"' "read-$i.json") ||
		fail "read $i is not JSON"
	grep -qx "$got" published || fail "read $i saw generation/count '$got', never published: $(cat published)"
done
echo "$reads reads, all of published generations"

# Two runs at once: one holds the lock, the other exits 75 at once. The
# first is held just after it took the lock (DREAMD_PAUSE), so they overlap
# whatever the machine's load.
paused locked a.out "$DREAMD" run --spool "$T/spool"
"$DREAMD" run --spool "$T/spool" > /dev/null 2> b.err
rb=$?
resume
[ $rc -eq 0 ] || [ $rc -eq 65 ] || fail "the first run exited $rc: $(cat a.out.err)"
expect_eq "the second run's exit" 75 $rb
[ "$(wc -l < b.err)" -eq 1 ] || fail "the locked run said more than one line: $(cat b.err)"
grep -q "another run holds the lock" b.err || fail "no lock message: $(cat b.err)"

# The lock is the store's, whatever the path: through a symlink or a hard
# link to the held store, a second run exits 75 too.
ln -s "$DREAMD_DB" "$T/link.db" && ln "$DREAMD_DB" "$T/hard.db" || fail "links"
for other in link.db hard.db; do
	paused locked a.out "$DREAMD" run --spool "$T/spool"
	DREAMD_DB=$T/$other "$DREAMD" run --spool "$T/spool" > /dev/null 2> b.err
	rb=$?
	resume
	[ $rc -eq 0 ] || [ $rc -eq 65 ] || fail "the first run exited $rc: $(cat a.out.err)"
	expect_eq "a second run through $other" 75 $rb
done
