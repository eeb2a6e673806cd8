#!/bin/sh
# Readers open the store read-only and never migrate: the README's set-up
# (the store in a folder only the dreamd user writes) serves a second user's
# export and status, and a store that needs migrating is named to readers.
# A reader during a run answers at once from the last published generation.
# Without a store, readers answer as from an empty one and create none.
# A reader's usage error never touches the store (main() opens it only when
# the command asks, after checking its arguments).
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (make deps-test)"; exit 77; }
write_config < /dev/null
mkdir -p spool/alice
zstd -q -dc "$TOP/tests/data/samples/alice/s01-alice.jsonl.zst" > spool/alice/s01.jsonl
"$DREAMD" run --spool spool 2> run.err || fail "run: $(cat run.err)"

# A reader during a run: the writer is held with its generation curated but
# not committed (DREAMD_PAUSE=publish) for as long as the readers read, so a
# reader that waited for it would give up (its busy timeout) and fail; they
# answer from the one before. Their times are printed, not judged: a loaded
# machine makes any bound flaky, and waiting is caught without one.
ms() { date +%s%N | cut -c1-13; }
best_read() {
	best=
	for i in 1 2 3; do
		t0=$(ms)
		"$DREAMD" export --format json --all > read.json 2> read.err ||
			fail "export exited $?: $(cat read.err)"
		t=$(($(ms) - t0))
		{ [ -z "$best" ] || [ $t -lt $best ]; } && best=$t
	done
	echo $best
}
gen0=$(sql 'SELECT max(gen) FROM generations')
idle=$(best_read)
zstd -q -dc "$TOP/tests/data/samples/bob/rollout-s02-bob.jsonl.zst" > spool/alice/s02.jsonl
paused publish writer.out "$DREAMD" run --spool spool
busy=$(best_read)
expect_eq "generation read during the run" "$gen0" "$(jq -r .generation read.json)"
"$DREAMD" status > status.out 2> status.err || fail "status during the run: $(cat status.err)"
kill -0 $paused_pid || fail "the writer was not held while the readers read"
resume
[ $rc -eq 0 ] || fail "the held run exited $rc: $(cat writer.out.err)"
[ "$(sql 'SELECT max(gen) FROM generations')" -gt "$gen0" ] || fail "the run published no generation"
echo "export: ${idle} ms alone, ${busy} ms during a run"

# A store that needs migrating: readers say so and change nothing.
cp "$DREAMD_DB" old.db
sqlite3 old.db 'PRAGMA user_version=2' || fail "user_version"
cp old.db old.orig
"$DREAMD" --db old.db status 2> err
expect_eq "old store exit" 74 "$?"
grep -q "dreamd: error: store needs migrating from schema 2 to .*'old.db'" err ||
	fail "no migration message: $(cat err)"
cmp -s old.db old.orig || fail "a reader changed the store"

# No store yet: readers answer as from an empty store and create none (a
# hook run in a project folder with the default ./dreamd.db must not leave a
# store there); a zero-byte file (made ready for a writer) stays as it is.
: > "$T/empty.db"
for db in "$T/absent.db" "$T/empty.db"; do
	for cmd in status export "export --format json" "export --format claude-hook" diff; do
		echo '{"cwd": "/srv/web"}' | "$DREAMD" --db "$db" $cmd > out 2> err ||
			fail "$cmd without a store exited $?: $(cat err)"
	done
	expect_eq "export without a store" 0 "$("$DREAMD" --db "$db" export --format json | jq '.memories | length')"
	expect_exit 66 "$DREAMD" --db "$db" show m-00000000 2> /dev/null
done
[ -e "$T/absent.db" ] && fail "a reader created the store: $(ls "$T")"
ls "$T"/absent.db-* "$T"/empty.db-* 2>/dev/null && fail "a reader left -wal or -shm files"
[ -s "$T/empty.db" ] && fail "a reader wrote into the empty store file"

# The second user: root only, as CI runs.
[ "$(id -u)" -eq 0 ] || { echo "not root: the second-user reader test needs useradd"; exit 77; }
command -v useradd >/dev/null && command -v setpriv >/dev/null ||
	{ echo "useradd or setpriv missing"; exit 77; }
reader=dreamd-t4006
id "$reader" >/dev/null 2>&1 || useradd -M -r "$reader" || fail "useradd"
mkdir -p lib && cp "$DREAMD_DB" lib/dreamd.db
"$DREAMD" --db lib/dreamd.db run --spool spool 2> run2.err || fail "run as owner: $(cat run2.err)"
chmod 755 "$T" lib && chmod 644 lib/dreamd.db*
ls lib/dreamd.db-wal lib/dreamd.db-shm >/dev/null || fail "the -wal and -shm were not kept"
uid=$(id -u "$reader") gid=$(id -g "$reader")
as_reader() { setpriv --reuid "$uid" --regid "$gid" --clear-groups "$@"; }
as_reader "$DREAMD" --db "$T/lib/dreamd.db" status > status.out 2> err ||
	fail "status as a second user: $(cat err)"
grep -q "generation" status.out || fail "status: $(cat status.out)"
echo '{"cwd": "/srv/web"}' | as_reader "$DREAMD" --db "$T/lib/dreamd.db" export --format claude-hook \
	> hook.out 2> err || fail "hook as a second user: $(cat err)"
grep -q hookSpecificOutput hook.out || fail "hook: $(cat hook.out)"

for cmd in "status --format bogus" "export --format bogus" "diff --format bogus" \
	"log --format bogus m-00000000" "show --format bogus m-00000000" "log" "show"; do
	"$DREAMD" --db "$T/none.db" $cmd > /dev/null 2> err
	expect_eq "$cmd: exit" 64 $?
	[ -e "$T/none.db" ] && fail "$cmd: a usage error created the store"
done
# The one read transaction is rolled back and the store closed after the
# command, as before: a reader leaves the store as it found it.
sum=$(cksum < "$DREAMD_DB")
for cmd in status "export --all" diff "log m-00000000" "show m-00000000"; do
	"$DREAMD" $cmd > /dev/null 2>&1
done
expect_eq "the store after the readers" "$sum" "$(cksum < "$DREAMD_DB")"
exit 0
