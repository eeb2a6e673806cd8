#!/bin/sh
# export --write never loses a user's text: ambiguous marker layouts are
# refused with the file left byte for byte; markers count only at the start
# of a line outside code fences; symlinks are written through, mode and
# owner kept, read-only files and directories refused (exit 73).
. "$TOP/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (make deps-test)"; exit 77; }
new_store || fail "cannot create the store"
sqlite3 "$DREAMD_DB" < "$TOP/tests/data/report-scenario.sql" || fail "fixture"
"$DREAMD" export > block.md || fail "export"
B='<!-- dreamd:begin -->' E='<!-- dreamd:end -->'

# refused NAME LINES: export --write NAME exits 73, names LINES, changes nothing.
refused() {
	cp "$1" "$1.orig"
	"$DREAMD" export --write "$1" 2> err
	rc=$?
	[ $rc -eq 73 ] || fail "$1: exit $rc, expected 73 ($(cat err))"
	grep -q "dreamd: error: .*$2" err || fail "$1: '$2' not in '$(cat err)'"
	expect_eq "$1: one line" 1 "$(wc -l < err)"
	cmp -s "$1.orig" "$1" || fail "$1 was changed"
}

printf 'keep\n%s\nmine\n%s\nold\n%s\ntail\n' "$B" "$B" "$E" > two-begins.md
refused two-begins.md "begin markers at lines 2, 4; end marker at line 6"
printf '%s\n1\n%s\n%s\n2\n%s\n' "$B" "$E" "$B" "$E" > two-blocks.md
refused two-blocks.md "begin markers at lines 1, 4; end markers at lines 3, 6"
printf 'a\n%s\nb\n%s\n' "$E" "$B" > end-first.md
refused end-first.md "the end first.*end-first.md:2'"
printf 'a\n%s\n' "$E" > end-only.md
refused end-only.md "no begin marker.*end-only.md:2'"
printf 'a\n```sh\nls\n' > open-fence.md
refused open-fence.md "code fence never closed.*open-fence.md:2'"

# Markers shown in a fence or indented are the user's text: a block is
# appended after them, once.
printf 'Example:\n\n```md\n%s\nexample\n%s\n```\n\n    %s\n' "$B" "$E" "$B" > fenced.md
cp fenced.md fenced.orig
"$DREAMD" export --write fenced.md || fail "fenced"
{ cat fenced.orig; echo; cat block.md; } > fenced.expected
compare fenced.expected fenced.md
"$DREAMD" export --write fenced.md || fail "fenced again"
compare fenced.expected fenced.md

# Through a symlink: the link stays, its target gets the block.
printf 'agents\n' > AGENTS.md
ln -s AGENTS.md CLAUDE.md
"$DREAMD" export --write CLAUDE.md || fail "symlink"
[ -L CLAUDE.md ] || fail "the symlink was replaced by a file"
{ printf 'agents\n\n'; cat block.md; } > agents.expected
compare agents.expected AGENTS.md

# Mode kept; a read-only file is refused, even for root.
printf 'x\n' > m640.md && chmod 640 m640.md
"$DREAMD" export --write m640.md || fail "640"
expect_eq "mode" 640 "$(stat -c %a m640.md)"
printf 'x\n' > ro.md && chmod 444 ro.md
refused ro.md "read-only.*ro.md'"
expect_eq "read-only mode" 444 "$(stat -c %a ro.md)"

# Owner kept (root can give the file away first).
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	printf 'x\n' > owned.md && chmod 664 owned.md && chown nobody owned.md
	"$DREAMD" export --write owned.md || fail "owned"
	expect_eq "owner" nobody "$(stat -c %U owned.md)"
	expect_eq "mode" 664 "$(stat -c %a owned.md)"
fi

# 73 is documented where users look: --help, export --help, the man page.
"$DREAMD" --help | tr '\n' ' ' | grep -q "73 export --write cannot write its file" ||
	fail "dreamd --help does not name exit 73"
"$DREAMD" export --help 2>&1 | grep -q "^Exit status: .*73 when --write" || fail "export --help does not name exit 73"
grep -q "directory is refused with exit 73" "$TOP/dreamd/dreamd.1" || fail "the man page does not name exit 73"

# A directory: exit 73 and a clear line, for markdown and json.
mkdir dir
"$DREAMD" export --write dir 2> err
expect_eq "directory exit" 73 "$?"
grep -q "dreamd: error: cannot write a directory.*'dir'" err || fail "directory: $(cat err)"
"$DREAMD" export --format json --write dir 2> err
expect_eq "json directory exit" 73 "$?"
ls -a | grep -q '\.tmp\.' && fail "a temp file was left behind"
exit 0
