/*
 * fault.c: deterministic fault injection for the reliability suite.
 *
 * DREAMD_FAULT="WHERE:N" makes the Nth call of fault_hit("WHERE") fail (for
 * "write", "fsync", "alloc") or, for "abort", kill the process on the spot
 * as kill -9 would. Without the variable every call returns 0 at the cost of
 * one getenv on first use.
 */
#include "util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

int fault_hit(const char *where)
{
	static int loaded;
	static char kind[32];
	static long target, count;
	const char *env;

	if (!loaded) {
		loaded = 1;
		env = getenv("DREAMD_FAULT");
		if (env && strchr(env, ':')) {
			size_t n = (size_t)(strchr(env, ':') - env);

			if (n < sizeof(kind)) {
				memcpy(kind, env, n);
				kind[n] = '\0';
				target = strtol(env + n + 1, NULL, 10);
			}
		}
	}
	if (!target || strcmp(kind, where))
		return 0;
	if (++count != target)
		return 0;
	if (!strcmp(kind, "abort")) {
		signal(SIGKILL, SIG_DFL);
		raise(SIGKILL);
	}
	return 1;
}
