#!/bin/sh
# A full disk: a run on a store in a small tmpfs fails with one error line
# that says the disk is full (never "not an error"), exits 74 and leaves a
# store that passes integrity_check. Needs mount: root, as CI runs, or
# anyone in a user and mount namespace of their own (unshare -rm), where the
# kernel allows one.
if [ "$(id -u)" -ne 0 ] && [ -z "${DREAMD_T4007_NS:-}" ] && unshare -rm true 2>/dev/null; then
	DREAMD_T4007_NS=1 exec unshare -rm sh "$0" "$@"
fi
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"
need run
write_config < /dev/null
mkdir -p "$T/m"
if ! mount -t tmpfs -o size=1m tmpfs "$T/m" 2>/dev/null; then
	echo "cannot mount a tmpfs (not root, and no unshare -rm): no full disk to try"
	exit 77
fi
umount "$T/m"
corpus_gen -m 16 "$T/big"
zstd_all "$T/big"
failed=0
full_fail() { umount "$T/m"; fail "$@"; }
# The sizes fill the disk at different points of the run (the page cache
# flush, a commit).
for size in 1m 2m 3m; do
	mount -t tmpfs -o size=$size tmpfs "$T/m" || fail "mount $size"
	DREAMD_DB=$T/m/store.db "$DREAMD" run --spool "$T/big" > /dev/null 2> full.err
	rc=$?
	if [ $rc -ne 0 ]; then
		failed=$((failed + 1))
		[ $rc -eq 74 ] || full_fail "$size: exited $rc, expected 74: $(cat full.err)"
		[ "$(grep -c '^dreamd: error: ' full.err)" -eq 1 ] ||
			full_fail "$size: not one error line: $(cat full.err)"
		grep -q 'disk is full' full.err && ! grep -q 'not an error' full.err ||
			full_fail "$size: the message does not say the disk is full: $(cat full.err)"
		r=$(sqlite3 "$T/m/store.db" 'PRAGMA integrity_check' 2>&1)
		[ "$r" = ok ] || full_fail "$size: integrity_check: $r"
	fi
	umount "$T/m"
done
[ $failed -gt 0 ] || fail "no size filled the disk"
echo "$failed of 3 sizes filled the disk"
