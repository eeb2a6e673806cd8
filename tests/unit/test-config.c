/*
 * test-config.c: config_fingerprint() covers every setting curation reads,
 * as the settings table says: each curate.* setting (so a new one that the
 * table does not mark fails here), ingest.max_text and extract.disable
 * change it when set; a setting curation never reads does not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dreamd/config.h"
#include "tests/unit/unit.h"

static char path[64];

/* The fingerprint of the defaults with yaml on top. */
static void fingerprint_with(const char *yaml, char out[17])
{
	struct config cfg;
	FILE *f = fopen(path, "w");

	CHECK(f && fputs(yaml, f) >= 0 && !fclose(f));
	CHECK(config_load(&cfg, path) == 0);
	config_fingerprint(&cfg, out);
	config_release(&cfg);
}

static void test_every_curate_setting(const char *base)
{
	const char *section, *name;
	double max;
	int curation, ncurate = 0;
	size_t i;

	for (i = 0; config_setting_at(i, &section, &name, &max, &curation); i++) {
		char yaml[256], fp[17];

		if (strcmp(section, "curate"))
			continue;
		ncurate++;
		/* The largest value: no default is at its ceiling. */
		snprintf(yaml, sizeof(yaml), "%s:\n  %s: %.17g\n", section, name, max);
		fingerprint_with(yaml, fp);
		if (!strcmp(fp, base) || !curation)
			fprintf(stderr, "curate.%s is not in the fingerprint\n", name);
		CHECK(curation);
		CHECK(strcmp(fp, base) != 0);
	}
	CHECK(ncurate >= 12);
}

static void test_others(const char *base)
{
	char fp[17];

	fingerprint_with("ingest:\n  max_text: 1024\n", fp);
	CHECK(strcmp(fp, base) != 0);
	fingerprint_with("extract:\n  disable: [workflows]\n", fp);
	CHECK(strcmp(fp, base) != 0);
	/* Curation does not read these. */
	fingerprint_with("run:\n  jobs: 2\n", fp);
	CHECK_STR(fp, base);
	fingerprint_with("export:\n  budget: 500\n", fp);
	CHECK_STR(fp, base);
}

int main(void)
{
	struct config cfg;
	char base[17], again[17];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test-config.XXXXXX");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	CHECK(config_load(&cfg, NULL) == 0);
	config_fingerprint(&cfg, base);
	config_release(&cfg);
	fingerprint_with("curate: {}\n", again);
	CHECK_STR(again, base);
	test_every_curate_setting(base);
	test_others(base);
	unlink(path);
	return unit_done();
}
