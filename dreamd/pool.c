/*
 * pool.c: parallel workers, in-order takes (pool.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/pool.h"
#include "dreamd/util.h"

struct pool {
	const struct pool_ops *ops;
	void *data;
	unsigned char *done;	/* per item: a worker finished it */
	size_t n;
	size_t next;		/* the next item a worker takes */
	size_t taken;		/* items the caller has taken */
	size_t window;
	int failed;		/* a worker could not start */
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	void *state = p->ops->start(p->data);

	pthread_mutex_lock(&p->mu);
	if (!state) {
		p->failed = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		return NULL;
	}
	for (;;) {
		size_t i;

		while (p->next < p->n && p->next >= p->taken + p->window)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->next >= p->n)
			break;
		i = p->next++;
		pthread_mutex_unlock(&p->mu);

		p->ops->work(p->data, state, i);

		pthread_mutex_lock(&p->mu);
		p->done[i] = 1;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	p->ops->stop(state);
	return NULL;
}

static void drop_from(const struct pool_ops *ops, void *data, size_t i, size_t n)
{
	for (; i < n; i++)
		ops->drop(data, i);
}

static int run_here(const struct pool_ops *ops, void *data, size_t n)
{
	void *state = ops->start(data);
	size_t i;

	if (!state) {
		drop_from(ops, data, 0, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		ops->work(data, state, i);
		if (ops->take(data, i) < 0) {
			drop_from(ops, data, i + 1, n);
			break;
		}
	}
	ops->stop(state);
	return i == n ? 0 : -1;
}

int pool_run(const struct pool_ops *ops, void *data, size_t n, int jobs, size_t window)
{
	struct pool p;
	pthread_t *threads;
	int nthreads, err;
	size_t i, undropped;

	if (jobs <= 1 || n <= 1)
		return run_here(ops, data, n);
	memset(&p, 0, sizeof(p));
	p.ops = ops;
	p.data = data;
	p.n = n;
	p.window = window ? window : 1;
	p.done = xcalloc(n, 1);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	threads = xcalloc((size_t)jobs, sizeof(*threads));
	for (nthreads = 0; nthreads < jobs; nthreads++)
		if ((err = pthread_create(&threads[nthreads], NULL, worker, &p))) {
			error("cannot start a worker thread: %s", strerror(err));
			break;
		}
	if (!nthreads) {
		free(threads);
		free(p.done);
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.cv);
		return run_here(ops, data, n);
	}
	undropped = n;
	for (i = 0; i < n; i++) {
		int ready, r;

		pthread_mutex_lock(&p.mu);
		while (!p.done[i] && !p.failed)
			pthread_cond_wait(&p.cv, &p.mu);
		ready = p.done[i];
		pthread_mutex_unlock(&p.mu);
		if (!ready) {
			undropped = i;
			break;
		}
		r = ops->take(data, i);
		pthread_mutex_lock(&p.mu);
		p.taken = i + 1;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
		if (r < 0) {
			undropped = i + 1;
			break;
		}
	}
	/* On failure: start no more, let the running ones finish, drop the rest. */
	pthread_mutex_lock(&p.mu);
	p.next = p.n;
	p.taken = p.n;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	while (nthreads--)
		pthread_join(threads[nthreads], NULL);
	drop_from(ops, data, undropped, n);
	free(threads);
	free(p.done);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	return i == n ? 0 : -1;
}
