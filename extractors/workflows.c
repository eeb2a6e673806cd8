/*
 * workflows.c: converging workflows, as runs of actions.
 *
 * A session becomes a list of actions: a shell call's head ("pytest"), any
 * other tool as its name and file type ("Edit *.py"). Bookkeeping tools
 * (workflow-skip rules) and rejected calls are left out and repeats in a row
 * count once. Every distinct run of 2..6 actions is one observation with
 * count = its occurrences and succeeded = one of them ended in a call that
 * worked. Steps before the last must have worked: a failure followed by its
 * fix is a mistake (failing-calls), not a workflow. A session gives at most
 * STEPS_MAX steps and GRAMS_MAX n-grams. The curator decides what
 * converges (enough sessions, two users or agents) and keeps the maximal
 * runs with workflow_maximal().
 */
#include <stdlib.h>
#include <string.h>

#include "extractors/builtin.h"
#include "extractors/calls.h"
#include "extractors/words.h"
#include "extractors/workflows.h"
#include "extractors/xbuf.h"

#define KEY_MAX 600

/*
 * A session gives at most STEPS_MAX steps (the first) and GRAMS_MAX
 * n-grams (the most frequent in it, then in key order): a few hundred is a
 * long session, and a transcript of a hundred thousand made-up commands must
 * not cost gigabytes.
 */
#define STEPS_MAX 4096
#define GRAMS_MAX 2048

struct wstate {
	struct xrules x;
};

struct step {
	const char *action;
	size_t call;
	int readonly, ok;
};

struct gram {
	char *key;
	size_t ev;
	unsigned count;
	int ok;
};

/* One distinct n-gram of the session: its first entry in the sorted grams. */
struct distinct {
	size_t first;
	unsigned count;
	int ok;
	const char *key;
};

static int winit(void **state, const struct rule_set *rules, char **cause)
{
	struct wstate *s = calloc(1, sizeof(*s));

	if (!s) {
		*cause = xstrfmt("out of memory");
		return -1;
	}
	if (xrules_init(&s->x, rules, cause) < 0) {
		free(s);
		return -1;
	}
	*state = s;
	return 0;
}

static void wfree(void *state)
{
	struct wstate *s = state;

	if (!s)
		return;
	xrules_release(&s->x);
	free(s);
}

static int cmp_gram(const void *a, const void *b)
{
	const struct gram *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->ev > y->ev) - (x->ev < y->ev);
}

static int cmp_frequent(const void *a, const void *b)
{
	const struct distinct *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int cmp_first(const void *a, const void *b)
{
	const struct distinct *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

static int trivial(const struct step *s, size_t len)
{
	size_t i;
	int all_same = 1, all_ro = 1;

	for (i = 0; i + 1 < len; i++)
		if (!s[i].ok)
			return 1;
	for (i = 0; i < len; i++) {
		if (strcmp(s[i].action, s[0].action))
			all_same = 0;
		if (!s[i].readonly)
			all_ro = 0;
	}
	return all_same || all_ro || s[len - 1].readonly;
}

static int wfeed(void *state, const struct session_view *v, extractor_emit_fn emit,
		 void *emit_data, char **cause)
{
	const struct session_meta *meta = v->meta;
	const struct event *ev = v->events;
	pcre2_match_data *md = matcher_data();
	const struct calls *cs = v->calls;
	struct step *st = NULL;
	struct gram *g = NULL;
	struct distinct *d = NULL;
	size_t i, j, len, ns = 0, ng = 0, nd = 0, galloc = 0;
	int ret = -1;

	if (!md)
		goto oom;
	st = calloc(cs->n + 1, sizeof(*st));
	if (!st)
		goto oom;
	for (i = 0; i < cs->n; i++) {
		const struct call *c = &cs->c[i];

		if (c->skip || c->rejected || ev[c->ev].subagent)
			continue;
		if (ns == STEPS_MAX)
			break;
		if (ns && !strcmp(st[ns - 1].action, c->action)) {
			st[ns - 1].call = i;
			st[ns - 1].ok = call_succeeded(c);
			continue;
		}
		st[ns].action = c->action;
		st[ns].call = i;
		st[ns].readonly = c->readonly;
		st[ns].ok = call_succeeded(c);
		ns++;
	}
	for (i = 0; i < ns; i++)
		for (len = WORKFLOW_MIN; len <= WORKFLOW_MAX && i + len <= ns; len++) {
			struct xbuf b;
			size_t k;

			if (trivial(st + i, len))
				continue;
			xbuf_init(&b, KEY_MAX);
			for (k = 0; k < len; k++) {
				if (k)
					xbuf_addstr(&b, WORKFLOW_SEP);
				xbuf_addstr(&b, st[i + k].action);
			}
			if (b.cut) {
				xbuf_release(&b);
				continue;
			}
			if (ng == galloc) {
				size_t alloc = galloc ? 2 * galloc : 64;
				struct gram *p = realloc(g, alloc * sizeof(*p));

				if (!p) {
					xbuf_release(&b);
					goto oom;
				}
				g = p;
				galloc = alloc;
			}
			g[ng].key = xbuf_detach(&b);
			if (!g[ng].key)
				goto oom;
			g[ng].ev = cs->c[st[i].call].ev;
			g[ng].count = 1;
			g[ng].ok = st[i + len - 1].ok;
			ng++;
		}
	if (ng)
		qsort(g, ng, sizeof(*g), cmp_gram);
	d = calloc(ng + 1, sizeof(*d));
	if (!d)
		goto oom;
	for (i = 0; i < ng; i = j) {
		d[nd].first = i;
		d[nd].key = g[i].key;
		for (j = i; j < ng && !strcmp(g[j].key, g[i].key); j++) {
			d[nd].count++;
			d[nd].ok |= g[j].ok;
		}
		nd++;
	}
	if (nd > GRAMS_MAX) {
		qsort(d, nd, sizeof(*d), cmp_frequent);
		nd = GRAMS_MAX;
		qsort(d, nd, sizeof(*d), cmp_first);
	}
	for (i = 0; i < nd; i++) {
		struct observation o = { 0 };

		o.extractor = "workflows";
		o.kind = "workflow";
		o.key = d[i].key;
		o.subject = d[i].key;
		o.excerpt = d[i].key;
		o.behaviour = 1;
		o.succeeded = d[i].ok;
		o.count = d[i].count;
		obs_evidence(&o, meta, &ev[g[d[i].first].ev]);
		if (emit(emit_data, &o) < 0) {
			*cause = xstrfmt("cannot keep an observation of '%s'", o.key);
			goto cleanup;
		}
	}
	ret = 0;
	goto cleanup;
oom:
	*cause = xstrfmt("out of memory in workflows");
cleanup:
	for (i = 0; i < ng; i++)
		free(g[i].key);
	free(g);
	free(d);
	free(st);
	pcre2_match_data_free(md);
	return ret;
}

int workflow_contains(const char *b, const char *a)
{
	size_t la = strlen(a), lb = strlen(b), sl = strlen(WORKFLOW_SEP);
	const char *p = b;

	if (la >= lb)
		return 0;
	while ((p = strstr(p, a))) {
		int start = p == b || ((size_t)(p - b) >= sl && !strncmp(p - sl, WORKFLOW_SEP, sl));
		int end = p + la == b + lb || !strncmp(p + la, WORKFLOW_SEP, sl);

		if (start && end)
			return 1;
		p++;
	}
	return 0;
}

void workflow_maximal(struct workflow_candidate *c, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		c[i].keep = 1;
		for (j = 0; j < n && c[i].keep; j++)
			if (j != i && c[j].support == c[i].support &&
			    workflow_contains(c[j].key, c[i].key))
				c[i].keep = 0;
	}
}

static int wdescribe(const struct candidate_summary *c, char **title, char **body,
		     char **cause)
{
	struct xbuf t, b;
	const char *p = c->key, *q;
	int first = 1;

	xbuf_init(&t, 300);
	xbuf_init(&b, 2000);
	xbuf_addstr(&t, "Workflow: ");
	xbuf_addstr(&t, c->key);
	xbuf_addstr(&b, "A sequence agents converged on: ");
	for (;;) {
		char *step;

		q = strstr(p, WORKFLOW_SEP);
		step = strndup(p, q ? (size_t)(q - p) : strlen(p));
		if (!step) {
			xbuf_release(&t);
			xbuf_release(&b);
			*cause = xstrfmt("out of memory");
			return -1;
		}
		if (!first)
			xbuf_addstr(&b, ", then ");
		words_code(&b, step, 120);
		free(step);
		first = 0;
		if (!q)
			break;
		p = q + strlen(WORKFLOW_SEP);
	}
	xbuf_addstr(&b, " (");
	words_support(&b, c);
	if (c->succeeded_sessions > 0)
		xbuf_addf(&b, "; it ended in success in %d", c->succeeded_sessions);
	xbuf_addstr(&b, ").");
	return words_finish(&t, &b, title, body, cause);
}

const struct extractor_ops workflows_ops = {
	.version = EXTRACTOR_VERSION,
	.name = "workflows",
	.init = winit,
	.feed = wfeed,
	.describe = wdescribe,
	.free = wfree,
};
