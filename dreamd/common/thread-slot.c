/*
 * thread-slot.c: one object per thread (thread-slot.h).
 */
#include "dreamd/common/thread-slot.h"

#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

/* pthread_once takes no argument: a slot's key is made under this lock. */
static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char *what, int status)
{
	fprintf(stderr, "dreamd: error: %s\n", what);
	exit(status);
}

void *thread_slot_get(struct thread_slot *s)
{
	void *p;

	if (!atomic_load_explicit(&s->ready, memory_order_acquire)) {
		pthread_mutex_lock(&keys_lock);
		if (!atomic_load_explicit(&s->ready, memory_order_relaxed)) {
			if (pthread_key_create(&s->key, s->free))
				fail("cannot create a thread key", EX_OSERR);
			atomic_store_explicit(&s->ready, 1, memory_order_release);
		}
		pthread_mutex_unlock(&keys_lock);
	}
	p = pthread_getspecific(s->key);
	if (!p) {
		p = s->make();
		if (pthread_setspecific(s->key, p))
			fail("out of memory", EX_UNAVAILABLE);
	}
	return p;
}
