#!/bin/sh
# lint-functions.sh [FILE...]: no function of dreamd/, extractors/ or store/
# over MAX lines (its body, from the opening brace to the closing one), but
# for the table-driven ones named in ALLOW, whose length is their table.
# Prints each one over, with its length, and exits 1 if there is any; with
# no FILE, reads every .c file of those folders. Functions are found as the
# house style writes them (style(9)): the braces of a body alone on their
# lines at column 0. t0009 runs it.
MAX=80
# FILE:FUNCTION per line: a switch over every case or a list of rules in
# code, where splitting would only scatter the table. None today.
ALLOW="
"
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
[ $# -gt 0 ] || set -- dreamd/*.c dreamd/common/*.c extractors/*.c store/*.c
awk -v max="$MAX" -v allow="$ALLOW" '
BEGIN { n = split(allow, a, "\n"); for (i = 1; i <= n; i++) if (a[i] != "") ok[a[i]] = 1 }
FNR == 1 { start = 0 }
/^[A-Za-z_].*\(/ { head = $0 }
$0 == "{" {
	name = head; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
	start = FNR
	next
}
$0 == "}" && start {
	len = FNR - start + 1
	key = FILENAME ":" name
	if (len > max && !(key in ok)) {
		printf "%s: %d lines (at most %d)\n", key, len, max
		bad = 1
	}
	start = 0
}
END { exit bad }
' "$@"
