/*
 * fault.c: deterministic fault injection for the reliability suite.
 *
 * DREAMD_FAULT="WHERE:N" makes the Nth call of fault_hit("WHERE") fail (for
 * "write", "fsync", "alloc", "spill" and "spill-digest": a big session's
 * text or digest written to its temporary file) or, for "abort", kill the process on the spot
 * as kill -9 would. Without the variable every call returns 0 at the cost of
 * one getenv on first use. With --jobs workers, which allocation is the Nth
 * depends on how the threads interleave; the count itself is exact.
 *
 * DREAMD_PAUSE="WHERE:FILE" makes fault_pause("WHERE") create FILE and wait
 * until someone removes it (at most two minutes), so a test can act while a
 * writer is held at a named point ("locked": the run lock just taken;
 * "publish": curated, the generation not yet committed) instead of racing
 * it with sleep.
 */
#include "util.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

void fault_pause(const char *where)
{
	const char *env = getenv("DREAMD_PAUSE");
	const char *colon = env ? strchr(env, ':') : NULL;
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int fd, i;

	if (!colon || strlen(where) != (size_t)(colon - env) ||
	    strncmp(env, where, (size_t)(colon - env)))
		return;
	fd = open(colon + 1, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	close(fd);
	for (i = 0; i < 12000 && access(colon + 1, F_OK) == 0; i++)
		nanosleep(&tick, NULL);
}
