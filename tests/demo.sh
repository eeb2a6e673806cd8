#!/bin/sh
# make demo: runs dreamd's nightly job on the bundled sample transcripts
# (tests/data/samples: Claude Code and Codex sessions of three users) into
# a store in demo/, then shows what an agent would load and the memory-diff
# report a reviewer would read.
set -eu
dreamd=$1
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/demo
rm -rf "$out"
mkdir -p "$out"
cp -R "$top/tests/data/samples" "$out/spool"
# Sample files are old news, not transcripts still being written.
find "$out/spool" -type f -exec touch -d '2 hours ago' {} +
export DREAMD_DB="$out/dreamd.db"

echo "== dreamd run --spool demo/spool"
"$dreamd" -v run --spool "$out/spool"
echo
echo "== dreamd export --format markdown (what an agent loads)"
"$dreamd" export --format markdown
echo
echo "== dreamd diff --format markdown (what a reviewer reads)"
"$dreamd" diff --format markdown
