/*
 * budget.c: the run's memory for what is big, shared by the --jobs workers.
 *
 * Most of what a worker holds is small and bounded by itself (a 1 MiB line
 * buffer, a session of small events). What is not (a line longer than the
 * first buffer, a session whose text passed BUDGET_BIG_SESSION) needs one of
 * the run's few tokens, so the peak is the tokens' worth whatever --jobs
 * says. A thread holds at most one token however many times it asks
 * (budget_hold() nests), and waits only while it holds none, so a worker
 * that has one always finishes its work and gives it back: no deadlock. The
 * waiting changes when a session is read, never what is read, so the store
 * is the same for any --jobs.
 */
#include "dreamd/budget.h"

#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t freed = PTHREAD_COND_INITIALIZER;
static size_t tokens, in_use;		/* tokens 0: no budget */
static _Thread_local int depth;		/* this thread's holds */

void budget_set(size_t n)
{
	pthread_mutex_lock(&lock);
	tokens = n;
	pthread_mutex_unlock(&lock);
}

void budget_hold(void)
{
	if (depth++)
		return;
	pthread_mutex_lock(&lock);
	while (tokens && in_use >= tokens)
		pthread_cond_wait(&freed, &lock);
	in_use++;
	pthread_mutex_unlock(&lock);
}

void budget_drop(void)
{
	if (--depth)
		return;
	pthread_mutex_lock(&lock);
	in_use--;
	pthread_cond_signal(&freed);
	pthread_mutex_unlock(&lock);
}

size_t budget_tokens(uint64_t memory, size_t max_line, size_t max_session_bytes)
{
	uint64_t each = (uint64_t)BUDGET_LINE_COST * max_line +
		(uint64_t)BUDGET_SESSION_COST * max_session_bytes;
	uint64_t n = each ? memory / each : 1;

	return n ? (size_t)n : 1;
}
