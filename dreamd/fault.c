/*
 * fault.c: deterministic fault injection for the reliability suite.
 *
 * DREAMD_FAULT="WHERE:N" makes the Nth call of fault_hit("WHERE") fail (for
 * "write", "fsync", "alloc") or, for "abort", kill the process on the spot
 * as kill -9 would. Without the variable every call returns 0 at the cost of
 * one getenv on first use. With --jobs workers, which allocation is the Nth
 * depends on how the threads interleave; the count itself is exact.
 */
#include "util.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Read once; the count is shared by the --jobs workers. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char kind[32];
static long target;
static atomic_long count;

static void load(void)
{
	const char *env = getenv("DREAMD_FAULT");

	if (env && strchr(env, ':')) {
		size_t n = (size_t)(strchr(env, ':') - env);

		if (n < sizeof(kind)) {
			memcpy(kind, env, n);
			kind[n] = '\0';
			target = strtol(env + n + 1, NULL, 10);
		}
	}
}

int fault_hit(const char *where)
{
	pthread_once(&once, load);
	if (!target || strcmp(kind, where))
		return 0;
	if (atomic_fetch_add(&count, 1) + 1 != target)
		return 0;
	if (!strcmp(kind, "abort")) {
		signal(SIGKILL, SIG_DFL);
		raise(SIGKILL);
	}
	return 1;
}
