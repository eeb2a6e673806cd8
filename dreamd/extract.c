/*
 * extract.c: the extractors over one session: each thread's set of them,
 * the session's view (its call table built once for all), and what they
 * found, sorted.
 */
#include "dreamd/extract.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/util.h"

static int disabled(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nextractors_disabled; i++)
		if (!strcmp(cfg->extractors_disabled[i], name))
			return 1;
	return 0;
}

int extractor_set_init(struct extractor_set *set, const struct config *cfg)
{
	const struct extractor_ops *const *e;
	char *cause = NULL;

	memset(set, 0, sizeof(*set));
	if (calls_builder_init(&set->calls, &cfg->rules, &cause) < 0) {
		error("%s", cause ? cause : "cannot compile the call rules");
		free(cause);
		return -1;
	}
	for (e = extractor_table; *e; e++) {
		if (disabled(cfg, (*e)->name))
			continue;
		if ((*e)->version != EXTRACTOR_VERSION) {
			extractor_set_release(set);
			return error("extractor '%s' has unknown version %d", (*e)->name,
				     (*e)->version);
		}
		if (set->n == MAX_EXTRACTORS)
			die(EX_SOFTWARE, "too many extractors");
		if ((*e)->init(&set->state[set->n], &cfg->rules, &cause) < 0) {
			error("extractor '%s': %s", (*e)->name, cause ? cause : "init failed");
			free(cause);
			extractor_set_release(set);
			return -1;
		}
		set->ops[set->n++] = *e;
	}
	return 0;
}

void extractor_set_release(struct extractor_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		set->ops[i]->free(set->state[i]);
	set->n = 0;
	calls_builder_release(&set->calls);
}

struct extractor_set *extractor_set_new(const struct config *cfg)
{
	struct extractor_set *set = xmalloc(sizeof(*set));

	if (extractor_set_init(set, cfg) < 0) {
		free(set);
		return NULL;
	}
	return set;
}

void extractor_set_free(struct extractor_set *set)
{
	if (set)
		extractor_set_release(set);
	free(set);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int collect(void *data, const struct observation *o)
{
	struct obs_list *l = data;
	struct observation *c;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	c = &l->v[l->n++];
	*c = *o;
	c->key = xstrdup(o->key);
	c->slot = dup_or_null(o->slot);
	c->subject = dup_or_null(o->subject);
	c->detail = dup_or_null(o->detail);
	c->fix = dup_or_null(o->fix);
	c->value = dup_or_null(o->value);
	c->excerpt = dup_or_null(o->excerpt);
	c->session = xstrdup(o->session);
	c->user = xstrdup(o->user ? o->user : "unknown");
	c->agent = xstrdup(o->agent ? o->agent : "unknown");
	c->project = dup_or_null(o->project);
	return 0;
}

static int cmp_obs(const void *a, const void *b)
{
	const struct observation *x = a, *y = b;
	int c = strcmp(x->extractor, y->extractor);

	if (!c)
		c = strcmp(x->key, y->key);
	if (!c)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

int extract_session(struct extractor_set *set, const struct session *s,
		    struct obs_list *out, char **cause)
{
	struct calls cs;
	struct session_view v = { &s->meta, s->events, s->nevents, &cs };
	size_t i;

	if (calls_builder_build(&set->calls, &cs, s->events, s->nevents) < 0) {
		*cause = xasprintf("out of memory pairing the tool calls of %s", s->meta.id);
		return -1;
	}
	for (i = 0; i < set->n; i++) {
		if (set->ops[i]->feed(set->state[i], &v, collect, out, cause) < 0) {
			calls_release(&cs);
			return -1;
		}
	}
	calls_release(&cs);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_obs);
	return 0;
}

void obs_list_release(struct obs_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct observation *o = &l->v[i];

		free((char *)o->key);
		free((char *)o->slot);
		free((char *)o->subject);
		free((char *)o->detail);
		free((char *)o->fix);
		free((char *)o->value);
		free((char *)o->excerpt);
		free((char *)o->session);
		free((char *)o->user);
		free((char *)o->agent);
		free((char *)o->project);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
