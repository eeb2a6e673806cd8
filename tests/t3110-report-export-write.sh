#!/bin/sh
# export --write replaces only the dreamd block of a CLAUDE.md, appends one
# when absent, is idempotent, and refuses a block without its end marker.
. "$TOP/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (make deps-test)"; exit 77; }
new_store || fail "cannot create the store"
sqlite3 "$DREAMD_DB" < "$TOP/tests/data/report-scenario.sql" || fail "fixture"

"$DREAMD" export > block.md || fail "export"

# Content before and after an old block, no final newline at the end.
printf '# Project notes\r\n\nKeep `make check` green.\n\n<!-- dreamd:begin -->\nold line\n<!-- dreamd:end -->\n\n## After\ntrailing text without newline' > CLAUDE.md
head -c 44 CLAUDE.md > before.expected
printf '\n## After\ntrailing text without newline' > after.expected
"$DREAMD" export --write CLAUDE.md || fail "export --write"
head -c 44 CLAUDE.md > before.actual
compare before.expected before.actual
tail -c "$(wc -c < after.expected)" CLAUDE.md > after.actual
compare after.expected after.actual
{ cat before.expected; cat block.md; cat after.expected; } > whole.expected
compare whole.expected CLAUDE.md
grep -q 'old line' CLAUDE.md && fail "the old block is still there"

# Idempotent: a second run changes nothing.
cp CLAUDE.md first.md
"$DREAMD" export --write CLAUDE.md || fail "second export --write"
compare first.md CLAUDE.md

# No block yet: appended after a blank line, the rest kept.
printf 'line one\nline two' > AGENTS.md
"$DREAMD" export --write AGENTS.md || fail "append"
{ printf 'line one\nline two\n\n'; cat block.md; } > agents.expected
compare agents.expected AGENTS.md
"$DREAMD" export --write AGENTS.md || fail "append again"
compare agents.expected AGENTS.md
expect_eq "one block" 1 "$(grep -c 'dreamd:begin' AGENTS.md)"

# A missing file is created with the block alone.
"$DREAMD" export --write new.md || fail "create"
compare block.md new.md

# A begin marker without an end: refused, the file untouched.
printf 'a\n<!-- dreamd:begin -->\nhalf\n' > broken.md
cp broken.md broken.orig
"$DREAMD" export --write broken.md 2> err && fail "an unterminated block was accepted"
grep -q "dreamd: error: .*broken.md:2'" err || fail "no file:line in '$(cat err)'"
compare broken.orig broken.md
ls | grep -q '\.tmp\.' && fail "a temp file was left behind"
exit 0
