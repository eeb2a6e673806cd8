/*
 * fuzz-transcript.c: libFuzzer target for the transcript parsers: the input
 * is a plain .jsonl spool file (Claude Code, Codex, or anything), read with
 * ingest_unit() through format detection, parsing and redaction.
 */
#include "fuzz-ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest(data, size, "session.jsonl");
}
