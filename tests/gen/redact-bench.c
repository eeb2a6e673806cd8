/*
 * redact-bench.c: `make bench`'s adversarial part. Times each redaction
 * rule alone over the lines of adversarial.h (1 MB each, built to hit that
 * rule's worst case, plus the lines every rule sees) and prints each rule's
 * MB/s, slowest first, then the slowest against the target.
 *
 * usage: redact-bench [MB]   (MB: the size of one line, default 1)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dreamd/config.h"
#include "dreamd/redact.h"
#include "dreamd/util.h"
#include "tests/gen/adversarial.h"

#define TARGET_MBS 50.0

struct result {
	const char *name;
	double mbs;
	size_t bytes;
	int limits;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_speed(const void *a, const void *b)
{
	const struct result *x = a, *y = b;

	return x->mbs < y->mbs ? -1 : x->mbs > y->mbs;
}

/* rule alone over its lines: MB/s of CPU time (not of a busy machine's clock), and how many lines hit a limit. */
static void time_rule(const struct rule *rule, size_t size, struct result *res)
{
	struct rule_set one = { (struct rule *)rule, 1 };
	struct redactor *r;
	char *cause = NULL, *line;
	double secs = 0;
	size_t i;

	if (redactor_new(&r, &one, &cause) < 0)
		die(1, "%s", cause);
	res->name = rule->name;
	for (i = 0; (line = adv_line(rule->literals, rule->nliterals, i, size)); i++) {
		size_t len = strlen(line);
		double t0 = now();

		redact(r, &line, &len);
		secs += now() - t0;
		res->limits += !strcmp(line, "[REDACTED:limit]");
		res->bytes += size;
		free(line);
	}
	res->mbs = secs > 0 ? (double)res->bytes / 1048576.0 / secs : 1e9;
	redactor_free(r);
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct rule_set set;
	struct result *res;
	size_t size = (size_t)((argc > 1 ? atof(argv[1]) : 1.0) * 1048576), i, n = 0;

	if (config_load(&cfg, getenv("DREAMD_CONFIG")) < 0)
		return 1;
	set = config_rule_group(&cfg, "redact");
	res = xcalloc(set.n ? set.n : 1, sizeof(*res));
	for (i = 0; i < set.n; i++)
		if (!set.rules[i].disabled)
			time_rule(&set.rules[i], size, &res[n++]);
	qsort(res, n, sizeof(*res), by_speed);
	printf("%-28s %10s %8s %s\n", "redaction rule", "MB/s", "MB", "lines at a limit");
	for (i = 0; i < n; i++)
		printf("%-28s %10.1f %8.0f %d\n", res[i].name, res[i].mbs,
		       (double)res[i].bytes / 1048576.0, res[i].limits);
	if (n)
		printf("slowest rule on adversarial %.2g MB lines: %s, %.1f MB/s   target >= %.0f MB/s: %s\n",
		       (double)size / 1048576.0, res[0].name, res[0].mbs, TARGET_MBS,
		       res[0].mbs >= TARGET_MBS ? "ok" : "MISSED");
	free(res);
	config_release(&cfg);
	return 0;
}
