#!/bin/sh
# The rules of README's Hacking section that a script can check: no source
# file over 800 lines, no function over 80 (tests/lint-functions.sh), the
# layers (common <- store, extractors <- dreamd), the memory tables read and
# written by store/ alone, the ingest's tables written and read by it alone
# (but for the commands whose whole job they are), and commands that leave opening the store to main.c.
. "$TOP/tests/lib.sh"
cd "$TOP" || fail "no tree at '$TOP'"
src="dreamd/*.c dreamd/common/*.c extractors/*.c store/*.c"

# shellcheck disable=SC2086
long=$(wc -l $src | awk '$2 != "total" && $1 > 800 { print $2 ": " $1 " lines" }')
[ -z "$long" ] || fail "files over 800 lines: $long"

sh tests/lint-functions.sh > "$T/functions.txt" || fail "functions over 80 lines: $(cat "$T/functions.txt")"

# Layers: common/ includes only itself and the event header; store/ and extractors/ the common
# layer and themselves (and the event header schemas/ holds); neither the other.
bad=$(grep -n '#include "' dreamd/common/*.[ch] | grep -v '#include "\(dreamd/common\|schemas\)/')
[ -z "$bad" ] || fail "common/ includes more than itself: $bad"
bad=$(grep -n '#include "' store/*.[ch] | grep -v '#include "\(dreamd/common\|store\|schemas\)/')
[ -z "$bad" ] || fail "store/ includes more than common/, store/ and schemas/: $bad"
bad=$(grep -n '#include "' extractors/*.[ch] |
	grep -v '#include "\(dreamd/common\|extractors\|schemas\)/')
[ -z "$bad" ] || fail "extractors/ includes more than common/, extractors/ and schemas/: $bad"

# The memory record's tables are read and written by store/ alone.
bad=$(grep -nE "(FROM|JOIN|INTO|UPDATE) (main\.)?(memories|memory_versions|generations|generation_members)\b" dreamd/*.c)
[ -z "$bad" ] || fail "memory tables queried outside store/: $bad"

# The ingest's tables that store/ owns are written by store/ alone, but for
# merge's copies of an attached partial's rows into main (their SQL is the
# copy: cmd-merge.c's opening comment).
owned="runs|shards|observations|sessions|files|quarantine|session_workflows"
bad=$(grep -nE "(INTO|UPDATE|DELETE FROM) (main\.)?($owned)\b" dreamd/*.c |
	grep -vE "^dreamd/cmd-merge\.c:[0-9]+:.*(INTO|DELETE FROM) main\.")
[ -z "$bad" ] || fail "store/'s ingest tables written outside store/: $bad"
# And read by store/ alone but for status's counts and merge's copies.
bad=$(grep -nE "(FROM|JOIN) (main\.)?($owned)\b" dreamd/*.c |
	grep -vE "^dreamd/cmd-status\.c:|^dreamd/cmd-merge\.c:[0-9]+:.*main\.")
[ -z "$bad" ] || fail "store/'s ingest tables read outside store/: $bad"

# A command's store and writer's frame come from main.c (CMD_STORE_READ,
# CMD_STORE_WRITE), never from the command itself.
bad=$(grep -nE '\b(store_open|store_open_read|writer_start|db_lock)\(' dreamd/cmd-*.c)
[ -z "$bad" ] || fail "a command opens the store itself: $bad"
exit 0
