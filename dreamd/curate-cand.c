/*
 * curate-cand.c: a curation candidate: its sessions, evidence and sets;
 * see curate-policy.h.
 */
#include "dreamd/curate-policy.h"

#include <stdlib.h>
#include <string.h>

void set_str(char **dst, const char *s)
{
	char *copy = s ? xstrdup(s) : NULL;	/* s may be *dst itself */

	free(*dst);
	*dst = copy;
}

size_t strset_find(const struct strset *s, const char *x, int *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = s->v[mid] == x ? 0 : strcmp(s->v[mid], x);

		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

size_t strset_add(struct strset *s, const char *x)
{
	int found;
	size_t i = strset_find(s, x, &found);

	if (found)
		return i;
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof(*s->v));
	s->v[i] = s->borrowed ? (char *)x : xstrdup(x);
	s->n++;
	return i;
}

void strset_release(struct strset *s)
{
	size_t i;

	if (!s->borrowed)
		for (i = 0; i < s->n; i++)
			free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Where id is in c->sess, or where it would go: *found says which. */
static size_t sess_index(const struct cand *c, const char *id, int *found)
{
	size_t lo = 0, hi = c->sess ? c->nsess : 0;

	*found = 0;
	/* Rows come in session order: most often id is the last one or after it. */
	if (hi && c->sess[hi - 1].id == id) {
		*found = 1;
		return hi - 1;
	}
	if (hi && strcmp(c->sess[hi - 1].id, id) < 0)
		lo = hi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->sess[mid].id, id);

		if (!cmp) {
			*found = 1;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct sess_info *cand_find_session(const struct cand *c, const char *id)
{
	int found;
	size_t i = sess_index(c, id, &found);

	return found ? &c->sess[i] : NULL;
}

struct sess_info *cand_session(struct cand *c, const char *id, int *added)
{
	int found;
	size_t lo = sess_index(c, id, &found);

	*added = 0;
	if (found)
		return &c->sess[lo];
	ALLOC_GROW(c->sess, c->nsess + 1, c->asess);
	memmove(c->sess + lo + 1, c->sess + lo, (c->nsess - lo) * sizeof(*c->sess));
	memset(&c->sess[lo], 0, sizeof(c->sess[lo]));
	c->sess[lo].id = id;
	c->nsess++;
	*added = 1;
	return &c->sess[lo];
}

static int cmp_evidence(const void *a, const void *b)
{
	const struct evidence *x = a, *y = b;
	int c;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	c = strcmp(x->session, y->session);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Keeps in set the MAX_EVIDENCE first by order (1: oldest, -1: newest),
 * one per session; e's strings but the excerpt are the pool's already.
 */
static void keep_evidence(struct strpool *pool, struct evidence *set, int *n,
			  const struct evidence *e, int order)
{
	int i;

	for (i = 0; i < *n; i++) {
		if (set[i].session != e->session)	/* both the pool's */
			continue;
		if (order * cmp_evidence(e, &set[i]) >= 0)
			return;
		set[i] = *e;
		set[i].excerpt = strpool_str(pool, e->excerpt);
		qsort(set, (size_t)*n, sizeof(*set), cmp_evidence);
		return;
	}
	if (*n == MAX_EVIDENCE) {
		/* sorted oldest first: the one to give way is at the end, or the start */
		struct evidence *out = order > 0 ? &set[MAX_EVIDENCE - 1] : &set[0];

		if (order * cmp_evidence(e, out) >= 0)
			return;
		*out = set[--*n];
	}
	set[*n] = *e;
	set[(*n)++].excerpt = strpool_str(pool, e->excerpt);
	qsort(set, (size_t)*n, sizeof(*set), cmp_evidence);
}

void cand_add_evidence(struct strpool *pool, struct cand *c, const struct evidence *e)
{
	keep_evidence(pool, c->ev, &c->nev, e, 1);
	keep_evidence(pool, c->recent, &c->nrecent, e, -1);
}

void cand_release(struct cand *c)
{
	size_t i;

	free(c->extractor);
	free(c->key);
	free(c->slot);
	free(c->subject);
	free(c->detail);
	free(c->value);
	for (i = 0; c->sess && i < c->nsess; i++)
		free(c->sess[i].fix);
	free(c->sess);
	strset_release(&c->users);
	strset_release(&c->agents);
	strset_release(&c->projects);
	free(c->scope);
	free(c->reason);
	free(c->title);
	free(c->body);
	free(c->superseded_by);
	free(c->conflict_with);
	free(c->fix);
}

void cand_merge(struct strpool *pool, struct cand *dst, struct cand *src)
{
	size_t i;
	int k, added;

	for (i = 0; i < src->nsess; i++) {
		struct sess_info *si = cand_session(dst, src->sess[i].id, &added);

		if (added) {
			si->run = src->sess[i].run;
			si->user = src->sess[i].user;
			si->project = src->sess[i].project;
		}
		if (src->sess[i].last_ts > si->last_ts)
			si->last_ts = src->sess[i].last_ts;
		if (!si->fix && src->sess[i].fix)
			si->fix = xstrdup(src->sess[i].fix);
		if (src->sess[i].succeeded && !si->succeeded) {
			si->succeeded = 1;
			dst->nsucceeded++;
		}
	}
	for (i = 0; i < src->users.n; i++)
		strset_add(&dst->users, src->users.v[i]);
	for (i = 0; i < src->agents.n; i++)
		strset_add(&dst->agents, src->agents.v[i]);
	for (i = 0; i < src->projects.n; i++)
		strset_add(&dst->projects, src->projects.v[i]);
	for (k = 0; k < src->nev; k++)
		keep_evidence(pool, dst->ev, &dst->nev, &src->ev[k], 1);
	for (k = 0; k < src->nrecent; k++)
		keep_evidence(pool, dst->recent, &dst->nrecent, &src->recent[k], -1);
	dst->occurrences += src->occurrences;
	if (src->first_seen < dst->first_seen)
		dst->first_seen = src->first_seen;
	if (src->last_seen > dst->last_seen)
		dst->last_seen = src->last_seen;
	src->dropped = 1;
}

