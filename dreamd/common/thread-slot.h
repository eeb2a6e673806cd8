/*
 * thread-slot.h: one object per thread, kept from one use to the next and
 * freed when its thread ends (a pthread key, made on first use).
 */
#ifndef DREAMD_THREAD_SLOT_H
#define DREAMD_THREAD_SLOT_H

#include <pthread.h>
#include <stdatomic.h>

struct thread_slot {
	void *(*make)(void);	/* a new object; dies rather than fail */
	void (*free)(void *);	/* at its thread's end */
	atomic_int ready;	/* key made */
	pthread_key_t key;
};

#define THREAD_SLOT_INIT(make, free) { (make), (free), 0, 0 }

/* This thread's object of slot s, made by s->make on the thread's first call. */
void *thread_slot_get(struct thread_slot *s);

#endif
