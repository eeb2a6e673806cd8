#!/bin/sh
# Readers open the store read-only and never migrate: the README's set-up
# (the store in a folder only the dreamd user writes) serves a second user's
# export and status, and a store that needs migrating is named to readers.
. "$TOP/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (make deps-test)"; exit 77; }
write_config < /dev/null
mkdir -p spool/alice
zstd -q -dc "$TOP/tests/data/samples/alice/s01-alice.jsonl.zst" > spool/alice/s01.jsonl
"$DREAMD" run --spool spool 2> run.err || fail "run: $(cat run.err)"

# A store that needs migrating: readers say so and change nothing.
cp "$DREAMD_DB" old.db
sqlite3 old.db 'PRAGMA user_version=2' || fail "user_version"
cp old.db old.orig
"$DREAMD" --db old.db status 2> err
expect_eq "old store exit" 74 "$?"
grep -q "dreamd: error: store needs migrating from schema 2 to .*'old.db'" err ||
	fail "no migration message: $(cat err)"
cmp -s old.db old.orig || fail "a reader changed the store"

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
exit 0
