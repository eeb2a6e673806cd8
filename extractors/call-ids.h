/*
 * call-ids.h: a session's tool calls found by their call id, and the list
 * of those that have none, so that pairing a result with its call costs the
 * same at the 100,000th call as at the first (calls.c). A hostile session
 * of results naming no call made every pairing a walk over all the calls.
 */
#ifndef DREAMD_CALL_IDS_H
#define DREAMD_CALL_IDS_H

#include <stddef.h>

#include "extractors/calls.h"

struct call_ids {
	size_t *slot;		/* open addressing: call index + 1, 0 empty */
	size_t cap, used;
	size_t *noid;		/* the calls without a call id, in order */
	size_t nnoid, anoid;
};

void call_ids_init(struct call_ids *ix);
void call_ids_release(struct call_ids *ix);
/* Adds call k of cs (its event in ev); a later call of an id wins. -1: no memory. */
int call_ids_add(struct call_ids *ix, const struct calls *cs, const struct event *ev, size_t k);
/* The latest call whose id is id, or -1. */
long call_ids_find(const struct call_ids *ix, const struct calls *cs, const struct event *ev,
		   const char *id);

#endif
