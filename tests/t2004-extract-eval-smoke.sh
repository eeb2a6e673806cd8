#!/bin/sh
# make eval's smoke test: the labelled corpus of tests/gen/eval.c is written
# and scored; the hard negatives dreamd already tells apart (grep/rg/diff
# exiting 1, Claude Code 1.0's rejection text, a rejection taken back with
# "continue", the cancelled sibling of a rejected call, a cancelled
# TaskOutput wait, the Go hint and npm banner lines, fix-less failures, a
# rejected Write named Edit, universal and filler workflows, one task's
# instructions, a hook's tag) stay at 0 active, the cases it recalls stay
# recalled, paraphrases are one memory and precision stays at 0.9 or more.
. "$TOP/tests/lib.sh"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O1 -o eval-gen "$TOP/tests/gen/eval.c" || fail "cc eval.c"
sh "$TOP/tests/eval.sh" "$DREAMD" ./eval-gen "$T/ev" >eval.out 2>eval.err || fail "eval.sh: $(cat eval.err)"
grep -q '^eval: recall ' eval.out || fail "no recall line"
grep -q '^eval: precision ' eval.out || fail "no precision line"
for c in rg-no-match diff-differs v1-rejection continue-rerun parallel-collateral \
	taskoutput-cancel go-hint-line npm-banner fixless-cat fixless-make write-not-edit \
	universal-workflow filler-workflow task-instruction hook-tag-only git-add-ignored \
	conflict-bun conflict-yarn; do
	grep -q "^eval: hard negative $c:" eval.out && fail "hard negative $c active: $(grep "($c)" eval.out)"
done
for c in npm-missing-module push-no-upstream go-missing-module pip-missing-module \
	next-build-module format-hook use-pnpm lint-before-commit no-force-push \
	parallel-rejected v1-rejected write-rejected cmake-workflow; do
	grep "^eval: missed:" eval.out | grep -qw -- "$c" && fail "case $c missed"
done
precision=$(sed -n 's/^eval: precision \([0-9.]*\) .*/\1/p' eval.out)
awk -v p="$precision" 'BEGIN { exit !(p >= 0.9) }' || fail "precision $precision under 0.9"
grep -q '^eval: hard negatives active: 0 of' eval.out || fail "$(grep '^eval: hard negatives' eval.out)"
# Paraphrases of one preference are one memory.
grep -q '(duplicate of ' eval.out && fail "$(grep '(duplicate of ' eval.out)"
# The same seed writes the same corpus and labels.
./eval-gen "$T/again" >/dev/null || fail "eval-gen again"
cmp -s "$T/ev/labels.tsv" "$T/again/labels.tsv" || fail "labels differ between runs"
exit 0
