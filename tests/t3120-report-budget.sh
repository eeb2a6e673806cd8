#!/bin/sh
# export --budget never cuts silently: what was left out is named, with the
# count and every id, on stderr and in the block's footer, and it is exactly
# what is missing from the block.
. "$TOP/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (make deps-test)"; exit 77; }
new_store || fail "cannot create the store"
sqlite3 "$DREAMD_DB" < "$TOP/tests/data/report-scenario.sql" || fail "fixture"

ids() { grep -o '^- .*(m-[0-9a-f]*' "$1" | sed 's/.*(//' | sort; }

"$DREAMD" export --budget 0 > full.md 2> full.err || fail "export"
[ -s full.err ] && fail "no budget, yet stderr says '$(cat full.err)'"
ids full.md > all.ids
expect_eq "all five" 5 "$(wc -l < all.ids)"

for b in 100 60 1 400b; do
	"$DREAMD" export --budget $b > out.md 2> err || fail "export --budget $b"
	ids out.md > in.ids
	comm -23 all.ids in.ids > left.ids
	n=$(wc -l < left.ids)
	[ "$n" -gt 0 ] || fail "budget $b left nothing out"
	list=$(paste -sd, left.ids | sed 's/,/, /g')
	case $b in *b) unit="${b%b} bytes" ;; *) unit="$b tokens" ;; esac
	[ "$n" -eq 1 ] && what=memory || what=memories
	expect_eq "stderr ($b)" "dreamd: warning: budget of $unit left out $n $what: $list" "$(cat err)"
	grep -qF "_Left out for the budget of $unit: $n $what ($list); " out.md ||
		fail "footer for $b: $(grep 'Left out' out.md)"
	# Within the budget: the entries' bytes fit.
	case $b in *b) max=${b%b} ;; *) max=$((b * 4)) ;; esac
	used=$(grep '^- \*\*' out.md | wc -c)
	[ "$used" -le "$max" ] || fail "budget $b: $used bytes of entries"
done

# Pinned first: the pinned workflow survives a budget that fits one entry.
"$DREAMD" export --budget 40 > one.md 2>/dev/null
expect_eq pinned m-10000007 "$(ids one.md)"

# JSON lists what was left out too.
"$DREAMD" export --format json --budget 100 > out.json 2> err || fail "json"
jq -e '.left_out | length > 0' out.json >/dev/null || fail "json has no left_out"
expect_eq "json count" "$(jq '(.memories | length) + (.left_out | length)' out.json)" 5

# Bad budgets are usage errors.
expect_exit 64 "$DREAMD" export --budget -3
expect_exit 64 "$DREAMD" export --budget 12kb
exit 0
