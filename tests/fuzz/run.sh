#!/bin/sh
# tests/fuzz/run.sh: `make fuzz`. Builds the seed corpora from the real
# transcripts and the rule files, then runs every libFuzzer target for
# SECONDS. A crash is kept in DIR/crashes/ and fails the run; turn each one
# into a regression test (tests/tNNNN or a unit test) before fixing it.
#
# usage: sh tests/fuzz/run.sh DIR SECONDS
set -u
dir=${1:?usage: run.sh DIR SECONDS}
secs=${2:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
real=${DREAMD_REAL_TRANSCRIPTS:-$top/../shared/transcripts}
seeds=$dir/seeds
mkdir -p "$dir/crashes" "$dir/corpus"

# YAML: the built-in rule files and a few settings files.
rm -rf "$seeds" && mkdir -p "$seeds/yaml" "$seeds/lines" "$seeds/zst"
i=0
for f in "$top"/extractors/rules/*.yaml "$top"/dreamd/rules/*.yaml; do
	[ -f "$f" ] && cp "$f" "$seeds/yaml/rules-$i.yaml" && i=$((i + 1))
done
printf 'ingest:\n  idle_minutes: 0\n  max_line: 1048576\n' > "$seeds/yaml/c1.yaml"
printf 'run:\n  jobs: 2\n  spools: [/srv/spool, "/tmp/x"]\ncurate:\n  min_sessions: 3\n' > "$seeds/yaml/c2.yaml"
printf 'a: &x [1, 2]\nb: *x\n' > "$seeds/yaml/alias.yaml"
printf '%s\n' '- {a: [b, {c: "d\u00e9"}]}' '- !!str 1' '- |' '  text' > "$seeds/yaml/flow.yaml"

# Transcripts: single lines (up to 8 KB) and runs of 20 lines, from every
# real file; the runs also as small zstd files.
n=0
for f in "$real"/claude-code/*.jsonl "$real"/claude-code/*/subagents/*.jsonl \
	"$real"/codex/*.jsonl; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	awk -v out="$seeds/lines/$n" 'length($0) <= 8192 && NR % 7 == 1 && k < 60 {
		k++; print > (out "-" k ".jsonl"); close(out "-" k ".jsonl") }' "$f"
	awk -v out="$seeds/lines/$n-run" 'NR <= 400 && length($0) <= 8192 {
		k = int((NR - 1) / 20); print > (out k ".jsonl") }' "$f"
done
# The other agents' formats (JSON documents, markdown, events): the
# fixtures whole and the first 200 lines of each real sample.
for f in "$top"/tests/data/formats/*/* "$top"/tests/data/formats/*/.[a-z]*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	cp "$f" "$seeds/lines/fmt-$n.jsonl"
done
for f in "$real"/gemini-cli/* "$real"/openhands/*.json "$real"/swe-agent/* \
	"$real"/copilot-cli/* "$real"/opencode/* "$real"/aider/*/.aider.chat.history.md; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	head -n 200 "$f" | head -c 65536 > "$seeds/lines/agent-$n.jsonl"
done
for f in "$seeds"/lines/*-run*.jsonl; do
	zstd -q -c "$f" > "$seeds/zst/$(basename "$f").zst"
done
echo "fuzz: seeds: $(ls "$seeds/yaml" | wc -l) yaml, $(ls "$seeds/lines" | wc -l) transcript, $(ls "$seeds/zst" | wc -l) zstd"

failed=
for bin in "$dir"/fuzzers/fuzz-*; do
	[ -x "$bin" ] || continue
	t=$(basename "$bin")
	case $t in
	*yaml*|*config*) seed=$seeds/yaml max=65536 ;;
	*zst*) seed=$seeds/zst max=262144 ;;
	*) seed=$seeds/lines max=262144 ;;
	esac
	mkdir -p "$dir/corpus/$t"
	echo "fuzz: $t for ${secs}s"
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$max" \
		-close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$dir/crashes/$t-" \
		"$dir/corpus/$t" "$seed" > "$dir/$t.log" 2>&1; then
		grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$dir/$t.log" | sed 's/^/  /'
	else
		failed="$failed $t"
		echo "fuzz: $t FAILED; see $dir/$t.log:"
		grep -E 'ERROR|SUMMARY|Test unit written' "$dir/$t.log" | head -5 | sed 's/^/  /'
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: crashes in:$failed (inputs in $dir/crashes)"
	exit 1
fi
echo "fuzz: no crash"
