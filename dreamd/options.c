/*
 * options.c: the values of the options several commands share (--jobs,
 * --by).
 */
#include "dreamd/options.h"

#include <stdlib.h>
#include <unistd.h>

#include "dreamd/util.h"

int opt_jobs(const char *arg)
{
	int64_t n;

	return parse_whole(arg, 256, &n) == 0 && n >= 1 ? (int)n : 0;
}

int opt_jobs_or_cores(int jobs)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	n = n > 0 ? n : 1;
	if (jobs <= 0)
		return (int)n;
	/* More workers than four a core only add their buffers to the peak. */
	return jobs > 4 * n ? (int)(4 * n) : jobs;
}

const char *opt_reviewer(const char *by)
{
	const char *u = login_name();

	if (by && *by)
		return by;
	return u && *u ? u : "unknown";
}
