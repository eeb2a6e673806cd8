/*
 * test-fuzz-regressions.c: feeds every input that once crashed a fuzz target
 * (tests/fuzz/regressions/<target>/) through that target's entry point.
 * Under `make check` (ASan, UBSan, LeakSanitizer) a regression aborts.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/util.h"
#include "unit.h"

#define LLVMFuzzerTestOneInput fuzz_config_one
#include "../fuzz/fuzz-config.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_yaml_one
#include "../fuzz/fuzz-yaml.c"
#undef LLVMFuzzerTestOneInput
#include "../fuzz/fuzz-ingest.h"

static int fuzz_transcript_one(const uint8_t *data, size_t size)
{
	return fuzz_ingest(data, size, "session.jsonl");
}

static int fuzz_zstd_one(const uint8_t *data, size_t size)
{
	return fuzz_ingest(data, size, "session.jsonl.zst");
}

static const struct target {
	const char *name;
	int (*fn)(const uint8_t *data, size_t size);
} targets[] = {
	{ "fuzz-config", fuzz_config_one },
	{ "fuzz-yaml", fuzz_yaml_one },
	{ "fuzz-transcript", fuzz_transcript_one },
	{ "fuzz-zstd", fuzz_zstd_one },
};

static int run_dir(const struct target *t, const char *top)
{
	char *dir = xasprintf("%s/tests/fuzz/regressions/%s", top, t->name);
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(dir);

	if (!d) {
		free(dir);
		return 0;
	}
	while ((de = readdir(d))) {
		char *path, *data;
		size_t len;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (read_file(path, 64 << 20, &data, &len) < 0) {
			CHECK(!"cannot read a regression input");
		} else {
			fprintf(stderr, "%s: %s\n", t->name, de->d_name);
			t->fn((const uint8_t *)data, len);
			free(data);
			n++;
		}
		free(path);
	}
	closedir(d);
	free(dir);
	return n;
}

int main(void)
{
	const char *top = getenv("TOP");
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(targets) / sizeof(*targets); i++)
		n += run_dir(&targets[i], top ? top : ".");
	CHECK(n > 0);
	return unit_done();
}
