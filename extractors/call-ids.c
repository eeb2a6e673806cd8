/*
 * call-ids.c: tool calls by call id (call-ids.h).
 */
#include "extractors/call-ids.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/common/hash.h"

void call_ids_init(struct call_ids *ix)
{
	memset(ix, 0, sizeof(*ix));
}

void call_ids_release(struct call_ids *ix)
{
	free(ix->slot);
	free(ix->noid);
	memset(ix, 0, sizeof(*ix));
}

static const char *id_of(const struct calls *cs, const struct event *ev, size_t k)
{
	return ev[cs->c[k].ev].call_id;
}

/* The slot of id: the one holding it, else the empty one where it would go. */
static size_t probe(const struct call_ids *ix, const struct calls *cs, const struct event *ev,
		    const char *id)
{
	size_t i = (size_t)hash_fast(id, strlen(id), HASH64_SEED) & (ix->cap - 1);

	while (ix->slot[i] && strcmp(id_of(cs, ev, ix->slot[i] - 1), id))
		i = (i + 1) & (ix->cap - 1);
	return i;
}

static int grow(struct call_ids *ix, const struct calls *cs, const struct event *ev)
{
	struct call_ids bigger = *ix;
	size_t i;

	bigger.cap = ix->cap ? 2 * ix->cap : 64;
	bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
	if (!bigger.slot)
		return -1;
	for (i = 0; i < ix->cap; i++)
		if (ix->slot[i])
			bigger.slot[probe(&bigger, cs, ev, id_of(cs, ev, ix->slot[i] - 1))] = ix->slot[i];
	free(ix->slot);
	*ix = bigger;
	return 0;
}

int call_ids_add(struct call_ids *ix, const struct calls *cs, const struct event *ev, size_t k)
{
	const char *id = id_of(cs, ev, k);
	size_t i;

	if (!id) {
		if (ix->nnoid == ix->anoid) {
			size_t na = ix->anoid ? 2 * ix->anoid : 32;
			size_t *p = realloc(ix->noid, na * sizeof(*p));

			if (!p)
				return -1;
			ix->noid = p;
			ix->anoid = na;
		}
		ix->noid[ix->nnoid++] = k;
		return 0;
	}
	if (2 * (ix->used + 1) > ix->cap && grow(ix, cs, ev) < 0)
		return -1;
	i = probe(ix, cs, ev, id);
	ix->used += !ix->slot[i];
	ix->slot[i] = k + 1;
	return 0;
}

long call_ids_find(const struct call_ids *ix, const struct calls *cs, const struct event *ev,
		   const char *id)
{
	size_t i;

	if (!ix->cap)
		return -1;
	i = probe(ix, cs, ev, id);
	return ix->slot[i] ? (long)(ix->slot[i] - 1) : -1;
}
