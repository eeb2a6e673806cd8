#!/bin/sh
# diff --exit-code: 1 with changes, 0 without; bad generations exit 64
# (out of range ones too, for diff and rollback);
# colour only when asked or on a terminal without NO_COLOR.
. "$TOP/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (make deps-test)"; exit 77; }
new_store || fail "cannot create the store"

# An empty store: generation 0 against itself, no changes.
expect_exit 0 "$DREAMD" diff --exit-code
sqlite3 "$DREAMD_DB" < "$TOP/tests/data/report-scenario.sql" || fail "fixture"

expect_exit 1 "$DREAMD" diff --exit-code
expect_exit 1 "$DREAMD" diff 0 1 --exit-code --format json
expect_exit 0 "$DREAMD" diff 3 3 --exit-code
expect_exit 1 "$DREAMD" diff 1 2 --exit-code
expect_exit 0 "$DREAMD" diff	# without --exit-code, changes are no failure

"$DREAMD" diff 7 > out 2> err
expect_eq "exit for a missing generation" 64 $?
expect_eq message "dreamd: error: no generation '7' (the current one is 3)" "$(cat err)"
[ -s out ] && fail "output for a bad generation"
expect_exit 64 "$DREAMD" diff -1
expect_exit 64 "$DREAMD" diff abc
expect_exit 64 "$DREAMD" diff 1 2 3
expect_exit 64 "$DREAMD" diff --format yaml
# Numbers are whole, digits only, and in range: never quietly clamped.
for g in 9223372036854775808 99999999999999999999 ' 1' +1 1x 0x1 ''; do
	for cmd in diff rollback; do
		"$DREAMD" $cmd "$g" > out 2> err
		expect_eq "$cmd '$g' exit" 64 $?
		case $g in
		9* | 99*) want="generation out of range '$g'" ;;
		*) want="not a generation '$g'" ;;
		esac
		grep -qF "dreamd: error: $want" err || fail "$cmd '$g': $(cat err)"
	done
done
expect_exit 64 "$DREAMD" run --jobs ' 2' --spool .
expect_exit 64 "$DREAMD" run --jobs 257 --spool .

# Unknown ids.
"$DREAMD" show m-nothere 2> err
expect_eq "show exit" 66 $?
expect_eq "show message" "dreamd: error: no memory 'm-nothere'" "$(cat err)"
expect_exit 66 "$DREAMD" log m-nothere

esc=$(printf '\033')
"$DREAMD" diff > plain.txt
grep -q "$esc" plain.txt && fail "escape codes on a pipe"
"$DREAMD" diff --color=always > color.txt
grep -q "$esc\[32m" color.txt || fail "no colour with --color=always"
# Without the escapes, the coloured report is the plain one.
sed "s/$esc\[[0-9;]*m//g" color.txt > stripped.txt
compare plain.txt stripped.txt
# A terminal: colour unless NO_COLOR is set.
if command -v script >/dev/null; then
	script -qec "'$DREAMD' diff" /dev/null > tty.txt
	grep -q "$esc\[" tty.txt || fail "no colour on a terminal"
	NO_COLOR=1 script -qec "'$DREAMD' diff" /dev/null > tty-nc.txt
	grep -q "$esc\[" tty-nc.txt && fail "colour on a terminal with NO_COLOR"
fi
exit 0
