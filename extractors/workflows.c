/*
 * workflows.c: converging workflows, as runs of steps.
 *
 * A session becomes a list of steps: a shell call by its normalized
 * command line (`cmake --build build -j`), any other tool as its name and
 * file type ("Edit *.py"). Looking (read-only rules: Read, Grep, ls, git
 * status), bookkeeping (workflow-skip rules) and rejected calls are left
 * out, and repeats in a row count once. Every distinct run of 1..6 steps is
 * one observation with count = its occurrences and succeeded = one of them
 * ended in a call that worked. Steps before the last must have worked, and a
 * run holds no recovery (the steps after a failure up to the retry that
 * worked): a failure followed by its fix is a mistake (failing-calls), not
 * a workflow. Runs of one step are the background the curator weighs steps
 * by (workflow_noise(): filler steps, cohesion), never memories. A session
 * gives at most STEPS_MAX steps and GRAMS_MAX runs. The curator decides
 * what converges (enough sessions, two users or agents) and keeps the
 * maximal runs.
 */
#include <stdlib.h>
#include <string.h>

#include "extractors/builtin.h"
#include "extractors/calls.h"
#include "extractors/rules-state.h"
#include "extractors/words.h"
#include "extractors/workflows.h"
#include "dreamd/common/strbuf.h"
#include "dreamd/common/utf8.h"

#define KEY_MAX 600
#define STEP_NAME_MAX 80

/*
 * A session gives at most STEPS_MAX steps (the first) and GRAMS_MAX
 * n-grams (the most frequent in it, then in key order): a few hundred is a
 * long session, and a transcript of a hundred thousand made-up commands must
 * not cost gigabytes.
 */
#define STEPS_MAX 4096
#define GRAMS_MAX 2048

struct step {
	const char *action;
	size_t call;
	int ok;
	int fix;	/* 1: between a failure and the retry that worked; 2: that retry */
	int filler;	/* a workflow-filler rule matches it */
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
	/* own: "workflow-filler", steps every agent does anywhere */
	return rules_state_new(state, rules, 0, "workflow-filler", cause);
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

/*
 * A step's name: a shell command is named by its normalized command line
 * (`cmake --build build -j`, `git commit -m <message>`): the project's own
 * way of doing it, not the bare verb; an edit, another tool or a command
 * too long to recur is named by its action (`Edit *.py`, `git push`).
 */
static const char *step_name(const struct call *c)
{
	if (c->shell && !c->edit && c->command && strlen(c->command) <= STEP_NAME_MAX)
		return c->command;
	return c->action;
}

/*
 * Marks the steps of a recovery: after a step that failed, the steps up to
 * the first later one with the same name that worked. A failure and its fix
 * are a mistake (failing-calls), not a workflow.
 */
static void mark_fixes(struct step *st, size_t ns)
{
	size_t i, j, k;

	for (i = 0; i < ns; i++) {
		if (st[i].ok)
			continue;
		for (j = i + 1; j < ns && strcmp(st[j].action, st[i].action); j++)
			;
		if (j < ns && st[j].ok)
			for (k = i + 1; k <= j; k++)
				st[k].fix = k < j ? 1 : 2;
	}
}

/* Is the call a step every agent does anywhere (an edit, a commit)? */
static int filler_step(const struct rules_state *w, const struct call *c, pcre2_match_data *md)
{
	if (c->edit)
		return 1;
	if (c->shell)
		return c->command && matcher_first(&w->own, FIELD_COMMAND, c->command,
						   strlen(c->command), md) != NULL;
	return matcher_first(&w->own, FIELD_TOOL, c->head, strlen(c->head), md) != NULL;
}

static int trivial(const struct step *s, size_t len)
{
	size_t i, informative = 0;
	int all_same = 1;

	/* it must begin and end with, and hold two, steps not every agent does */
	if (s[0].filler || s[len - 1].filler)
		return 1;
	for (i = 0; i < len; i++)
		informative += !s[i].filler;
	if (informative < 2)
		return 1;

	for (i = 0; i + 1 < len; i++)
		if (!s[i].ok)
			return 1;
	for (i = 0; i < len; i++) {
		if (strcmp(s[i].action, s[0].action))
			all_same = 0;
		/* a run may start at a retry, not hold one or a fix */
		if (s[i].fix == 1 || (s[i].fix == 2 && i > 0))
			return 1;
	}
	return all_same;
}

/* The session's steps into st (room for every call): repeats of a step folded. */
static size_t collect_steps(const struct rules_state *w, const struct session_view *v,
			    pcre2_match_data *md, struct step *st)
{
	const struct calls *cs = v->calls;
	size_t i, ns = 0;

	for (i = 0; i < cs->n; i++) {
		const struct call *c = &cs->c[i];

		if (c->skip || c->rejected || c->readonly || v->events[c->ev].subagent)
			continue;
		if (ns == STEPS_MAX)
			break;
		if (ns && !strcmp(st[ns - 1].action, step_name(c))) {
			st[ns - 1].call = i;
			st[ns - 1].ok = call_succeeded(c);
			continue;
		}
		st[ns].action = step_name(c);
		st[ns].call = i;
		st[ns].ok = call_succeeded(c);
		st[ns].filler = filler_step(w, c, md);
		ns++;
	}
	return ns;
}

/* Appends the n-gram of len steps at st to *g; 0 also when it is skipped, -1 out of memory. */
static int add_gram(const struct step *st, size_t len, const struct calls *cs,
		    struct gram **g, size_t *ng, size_t *galloc)
{
	struct strbuf b;
	size_t k;

	if (len > 1 && trivial(st, len))
		return 0;
	strbuf_init_cut(&b, KEY_MAX);
	for (k = 0; k < len; k++) {
		if (k)
			strbuf_addstr(&b, WORKFLOW_SEP);
		strbuf_addstr(&b, st[k].action);
	}
	if (b.cut) {
		strbuf_release(&b);
		return 0;
	}
	if (*ng == *galloc) {
		size_t alloc = *galloc ? 2 * *galloc : 64;
		struct gram *p = realloc(*g, alloc * sizeof(*p));

		if (!p) {
			strbuf_release(&b);
			return -1;
		}
		*g = p;
		*galloc = alloc;
	}
	(*g)[*ng].key = strbuf_detach(&b, NULL);
	if (!(*g)[*ng].key)
		return -1;
	(*g)[*ng].ev = cs->c[st[0].call].ev;
	(*g)[*ng].count = 1;
	(*g)[*ng].ok = st[len - 1].ok;
	(*ng)++;
	return 0;
}

/* Emits the distinct n-grams d, each at its first occurrence in g. */
static int emit_grams(const struct distinct *d, size_t nd, const struct gram *g,
		      const struct session_view *v, extractor_emit_fn emit, void *emit_data,
		      char **cause)
{
	size_t i;

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
		obs_evidence(&o, v->meta, &v->events[g[d[i].first].ev]);
		if (emit(emit_data, &o) < 0) {
			*cause = xstrfmt("cannot keep an observation of '%s'", o.key);
			return -1;
		}
	}
	return 0;
}

static int wfeed(void *state, const struct session_view *v, extractor_emit_fn emit,
		 void *emit_data, char **cause)
{
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
	ns = collect_steps(state, v, md, st);
	mark_fixes(st, ns);
	/* Runs of one step are the background the curator weighs steps by. */
	for (i = 0; i < ns; i++)
		for (len = 1; len <= WORKFLOW_MAX && i + len <= ns; len++)
			if (add_gram(st + i, len, cs, &g, &ng, &galloc) < 0)
				goto oom;
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
	ret = emit_grams(d, nd, g, v, emit, emit_data, cause);
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

static int cmp_step(const void *key, const void *elem)
{
	return strcmp(key, ((const struct workflow_step *)elem)->step);
}

const char *workflow_noise(const char *key, int support, int total,
			   const struct workflow_step *bg, size_t n)
{
	size_t sl = strlen(WORKFLOW_SEP);
	const char *p = key, *q;
	int informative = 0, filler = 0, rarest = 0;
	char step[KEY_MAX + 1];

	for (;; p = q + sl) {
		const struct workflow_step *s;
		size_t len;

		q = strstr(p, WORKFLOW_SEP);
		len = q ? (size_t)(q - p) : strlen(p);
		if (len > KEY_MAX)
			len = KEY_MAX;
		memcpy(step, p, len);
		step[len] = 0;
		s = n ? bsearch(step, bg, n, sizeof(*bg), cmp_step) : NULL;
		filler = s && s->projects >= 2 && s->sessions > WORKFLOW_FILLER * total;
		if (filler && (p == key || !q))
			return "begins or ends with a step most sessions have";
		if (!filler) {
			int df = s && s->sessions > support ? s->sessions : support;

			informative++;
			if (!rarest || df < rarest)
				rarest = df;
		}
		if (!q)
			break;
	}
	if (informative < 2)
		return "one step most sessions do not have, the rest filler";
	if (support < WORKFLOW_COHESION * rarest)
		return "its steps are done apart more often than in this order";
	return NULL;
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
	struct strbuf t, b;
	const char *p = c->key, *q;
	int first = 1;

	strbuf_init_cut(&t, 300);
	strbuf_init_cut(&b, 2000);
	strbuf_addstr(&t, "Workflow: ");
	strbuf_addstr(&t, c->key);
	strbuf_addstr(&b, "A sequence agents converged on: ");
	for (;;) {
		char *step;

		q = strstr(p, WORKFLOW_SEP);
		step = strndup(p, q ? (size_t)(q - p) : strlen(p));
		if (!step) {
			strbuf_release(&t);
			strbuf_release(&b);
			*cause = xstrfmt("out of memory");
			return -1;
		}
		if (!first)
			strbuf_addstr(&b, ", then ");
		words_code(&b, step, 120);
		free(step);
		first = 0;
		if (!q)
			break;
		p = q + strlen(WORKFLOW_SEP);
	}
	strbuf_addstr(&b, " (");
	words_support(&b, c);
	if (c->succeeded_sessions > 0)
		strbuf_addf(&b, "; it ended in success in %d", c->succeeded_sessions);
	strbuf_addstr(&b, ").");
	return words_finish(&t, &b, title, body, cause);
}

const struct extractor_ops workflows_ops = {
	.version = EXTRACTOR_VERSION,
	.name = "workflows",
	.init = winit,
	.feed = wfeed,
	.describe = wdescribe,
	.free = rules_state_free,
};
