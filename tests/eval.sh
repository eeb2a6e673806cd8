#!/bin/sh
# make eval: scores dreamd on the labelled corpus of tests/gen/eval.c.
# usage: tests/eval.sh DREAMD EVAL-GEN [DIR]
# Prints recall (the "keep" cases with an active memory of their kind
# matching their regex), precision (active memories that some "keep" case
# claims, a second memory for one case counting as a duplicate) and every
# active memory that is not kept, by case: the hard negative it matches,
# "duplicate of CASE" or "unlabelled". Exit 0 whatever the figures.
set -eu
dreamd=$1 gen=$2
dir=${3:-$(mktemp -d "${TMPDIR:-/tmp}/dreamd-eval.XXXXXX")}
rm -rf "$dir/spool" "$dir/dreamd.db"*
"$gen" "$dir" >/dev/null
find "$dir/spool" -name '*.jsonl' -exec zstd -q --rm {} \;
find "$dir/spool" -type f -exec touch -d '2 hours ago' {} +
export DREAMD_DB="$dir/dreamd.db"
# Every memory the corpus earns must show: scope gates stay at their
# defaults, only the clock is pinned after the newest session.
"$dreamd" run --spool "$dir/spool" >"$dir/run.out" 2>"$dir/run.err" || {
	echo "eval: dreamd run failed, see $dir/run.err" >&2
	exit 1
}
"$dreamd" export --format json --all >"$dir/export.json"
jq -r '.memories[] | select(.status == "active" or .status == "pinned") |
	[.id, .kind, ((.title // "") + " " + (.body // "") | gsub("[\t\n]"; " "))] | @tsv' \
	"$dir/export.json" | sort >"$dir/active.tsv"
awk -F'\t' -v active="$dir/active.tsv" '
BEGIN { IGNORECASE = 1 }
{ name[NR] = $1; label[NR] = $2; kind[NR] = $3; re[NR] = $4; n = NR }
END {
	while ((getline line < active) > 0) {
		split(line, f, "\t"); m++; id[m] = f[1]; mk[m] = f[2]; text[m] = f[3]
	}
	for (i = 1; i <= n; i++) {
		if (label[i] != "keep")
			continue
		keep++
		for (j = 1; j <= m; j++)
			if (mk[j] == kind[i] && tolower(text[j]) ~ tolower(re[i])) {
				if (!(i in hit)) { hit[i] = j; claimed[j] = name[i] }
				else if (!(j in claimed)) dup[j] = name[i]
			}
		if (i in hit) found++; else missed = missed " " name[i]
	}
	for (j = 1; j <= m; j++)
		if (j in claimed) tp++
	printf "eval: %d cases (%d keep, %d hard negatives), %d active memories\n", n, keep, n - keep, m
	printf "eval: recall %.2f (%d of %d)\n", keep ? found / keep : 0, found, keep
	printf "eval: precision %.2f (%d of %d)\n", m ? tp / m : 1, tp, m
	if (missed != "") printf "eval: missed:%s\n", missed
	bad = 0
	for (i = 1; i <= n; i++) {
		if (label[i] != "drop")
			continue
		c = 0
		for (j = 1; j <= m; j++)
			if (mk[j] == kind[i] && tolower(text[j]) ~ tolower(re[i])) {
				c++; fp[j] = name[i]
			}
		if (c) { printf "eval: hard negative %s: %d active\n", name[i], c; bad++ }
	}
	printf "eval: hard negatives active: %d of %d\n", bad, n - keep
	for (j = 1; j <= m; j++) {
		if (j in claimed) continue
		why = (j in fp) ? fp[j] : (j in dup) ? "duplicate of " dup[j] : "unlabelled"
		printf "eval: false positive (%s) %s %s: %s\n", why, id[j], mk[j], substr(text[j], 1, 110)
	}
}' "$dir/labels.tsv"
