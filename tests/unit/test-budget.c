/*
 * test-budget.c: the run's tokens for big memory: never more holders than
 * tokens, nested holds free, a waiting thread gets the token back.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "dreamd/budget.h"
#include "dreamd/util.h"
#include "tests/unit/unit.h"

#define THREADS 8
#define ROUNDS 200

static atomic_int holders, most;

static void *worker(void *arg)
{
	struct timespec tick = { 0, 20000 };
	int i, now, seen;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		budget_hold();
		budget_hold();	/* nested: no second token, no wait */
		now = atomic_fetch_add(&holders, 1) + 1;
		seen = atomic_load(&most);
		while (now > seen && !atomic_compare_exchange_weak(&most, &seen, now))
			;
		nanosleep(&tick, NULL);
		atomic_fetch_sub(&holders, 1);
		budget_drop();
		budget_drop();
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	int i;

	/* Tokens: what fits, never none. */
	CHECK(budget_tokens((uint64_t)1 << 30, (size_t)64 << 20, (size_t)128 << 20) == 2);
	CHECK(budget_tokens(1, (size_t)64 << 20, (size_t)128 << 20) == 1);
	CHECK(budget_tokens((uint64_t)64 << 20, (size_t)8 << 20, (size_t)1 << 20) == 2);

	/* No budget: holds never wait. */
	budget_hold();
	budget_hold();
	budget_drop();
	budget_drop();

	budget_set(2);
	for (i = 0; i < THREADS; i++)
		CHECK(pthread_create(&t[i], NULL, worker, NULL) == 0);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(atomic_load(&most) >= 1 && atomic_load(&most) <= 2);
	CHECK(atomic_load(&holders) == 0);
	budget_set(0);
	return unit_done();
}
