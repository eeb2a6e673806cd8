/*
 * pool.h: items worked on by parallel workers and taken back in order.
 *
 * Workers take items in index order; the calling thread takes item i only
 * after items 0..i-1, so what it writes is the same whatever the number of
 * workers. `run` and `reconsolidate` both work this way: workers decode,
 * parse and extract, the caller is the one writer to the store.
 */
#ifndef DREAMD_POOL_H
#define DREAMD_POOL_H

#include <stddef.h>

struct pool_ops {
	/* A worker's own state (an extractor set); NULL on failure, reported. */
	void *(*start)(void *data);
	void (*stop)(void *state);
	/* Works on item i, in a worker (or the caller, with one job). */
	void (*work)(void *data, void *state, size_t i);
	/* Takes item i, in order, in the caller's thread; < 0 stops the pool. */
	int (*take)(void *data, size_t i);
	/* Frees item i when the pool stops before taking it. */
	void (*drop)(void *data, size_t i);
};

/*
 * Works on items 0..n-1 with `jobs` workers, at most `window` items ahead of
 * the last one taken (what a finished item holds waits in memory). With
 * jobs <= 1, or when no thread can be started, everything happens in the
 * caller's thread. Returns 0 when every item was taken, -1 when take failed
 * or a worker could not start (reported).
 */
int pool_run(const struct pool_ops *ops, void *data, size_t n, int jobs, size_t window);

#endif
