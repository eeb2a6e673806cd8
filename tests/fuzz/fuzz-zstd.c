/*
 * fuzz-zstd.c: libFuzzer target for the zstd ingest path: the input is a
 * .jsonl.zst spool file (frames, skippable frames, garbage), read with
 * ingest_unit().
 */
#include "fuzz-ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest(data, size, "session.jsonl.zst");
}
