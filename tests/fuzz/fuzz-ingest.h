/*
 * fuzz-ingest.h: shared by the ingest fuzz targets. Writes the input as one
 * spool file named NAME and reads it with ingest_unit(), with the default
 * settings and the built-in redaction rules, as `dreamd run` would.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dreamd/config.h"
#include "dreamd/ingest.h"
#include "dreamd/json-arena.h"
#include "dreamd/redact.h"

static char fuzz_dir[4096];
static char fuzz_file[4200];
static struct config fuzz_cfg;
static struct redactor *fuzz_redactor;

static void fuzz_cleanup(void)
{
	rmdir(fuzz_dir);
}

static void fuzz_setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char *cause = NULL;

	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/fuzz-ingest.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(fuzz_dir))
		abort();
	atexit(fuzz_cleanup);
	json_arena_install();	/* as dreamd's main() does */
	memset(&fuzz_cfg, 0, sizeof(fuzz_cfg));
	if (config_load(&fuzz_cfg, NULL) < 0)
		abort();
	{
		struct rule_set rs = config_rule_group(&fuzz_cfg, "redact");

		if (redactor_new(&fuzz_redactor, &rs, &cause) < 0)
			abort();
	}
}

static int fuzz_ingest(const uint8_t *data, size_t size, const char *name)
{
	struct ingest_opts opts;
	struct spool_file file;
	struct spool_unit unit;
	struct session s;
	FILE *f;

	if (!*fuzz_dir)
		fuzz_setup();
	snprintf(fuzz_file, sizeof(fuzz_file), "%s/%s", fuzz_dir, name);
	f = fopen(fuzz_file, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	memset(&opts, 0, sizeof(opts));
	opts.max_line = fuzz_cfg.max_line;
	/* Small enough that a bomb ends fast; the ceiling is what is tested. */
	opts.max_bytes = 64 << 20;
	opts.window_log_max = fuzz_cfg.window_log_max;
	opts.max_depth = fuzz_cfg.max_depth;
	opts.max_text = fuzz_cfg.max_text;
	opts.redact = fuzz_redactor;
	memset(&file, 0, sizeof(file));
	file.path = fuzz_file;
	file.size = (int64_t)size;
	file.mtime = 0;
	memset(&unit, 0, sizeof(unit));
	unit.user = (char *)"fuzz";
	unit.files = &file;
	unit.nfiles = 1;
	session_init(&s);
	ingest_unit(&unit, &opts, &s);
	session_release(&s);
	unlink(fuzz_file);
	return 0;
}
