/*
 * fuzz-config.c: libFuzzer target for the settings loader: the input is
 * written to a file and read with config_load(), as --config would.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dreamd/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp_path[4096];

static void remove_file(void)
{
	unlink(tmp_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	FILE *f;

	if (!*tmp_path) {
		const char *tmp = getenv("TMPDIR");
		int fd;

		snprintf(tmp_path, sizeof(tmp_path), "%s/fuzz-config.XXXXXX", tmp ? tmp : "/tmp");
		fd = mkstemp(tmp_path);
		if (fd < 0)
			abort();
		close(fd);
		atexit(remove_file);
	}
	f = fopen(tmp_path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	memset(&cfg, 0, sizeof(cfg));
	config_load(&cfg, tmp_path);
	config_release(&cfg);
	return 0;
}
