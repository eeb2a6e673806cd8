#!/bin/sh
# The man page: mandoc finds nothing worse than style in it, and as man(1)
# renders it every tag (a command's or an option's synopsis) stays a tag: no
# part of a synopsis spills into the text below it.
. "$TOP/tests/lib.sh"
page=$TOP/dreamd/dreamd.1

mandoc -T lint -W warning "$page" > lint.txt 2>&1 || fail "mandoc -T lint: $(cat lint.txt)"
[ ! -s lint.txt ] || fail "mandoc -T lint: $(cat lint.txt)"

MANWIDTH=100 man -l "$page" > page.txt 2> man.err || fail "man -l exited $?: $(cat man.err)"
grep -q '^       run \[--spool DIR\]\.\.\. \[--jobs N\]' page.txt || fail "no run entry: $(head -60 page.txt)"
# Text under a tag is indented 14; an option in brackets there is a broken tag.
if grep -nE '^              .*\[--[a-z-]+( [A-Z]+)?\]' page.txt > spilled.txt; then
	fail "a synopsis spilled into the text: $(cat spilled.txt)"
fi
exit 0
