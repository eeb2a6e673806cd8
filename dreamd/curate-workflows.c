/*
 * curate-workflows.c: what makes a workflow worth keeping: its background,
 * its signal and its maximality; see curate-policy.h.
 */
#include "dreamd/curate-policy.h"

#include <stdlib.h>
#include <string.h>

#include "extractors/workflows.h"

/* Where a, as a sequence of " -> "-joined actions, runs in b; NULL if not. */
static const char *find_run(const char *a, const char *b)
{
	size_t la = strlen(a), sl = strlen(WORKFLOW_SEP);
	const char *p = b;

	while ((p = strstr(p, a))) {
		int starts = p == b || ((size_t)(p - b) >= sl && !strncmp(p - sl, WORKFLOW_SEP, sl));
		int ends = !p[la] || !strncmp(p + la, WORKFLOW_SEP, sl);

		if (starts && ends)
			return p;
		p++;
	}
	return NULL;
}

/* Is x (n bytes) y, or one of them the other plus arguments ("mix test <path>")? */
static int same_command(const char *x, size_t n, const char *y, size_t m)
{
	size_t k = n < m ? n : m;

	return !strncmp(x, y, k) && (n == m || (n > m ? x[k] : y[k]) == ' ');
}

/*
 * Is the step (len bytes) filler next to workflow a: a variant of one of
 * a's own steps, or one most sessions do anywhere (workflow_noise()'s
 * filler)?
 */
static int filler_next_to(const struct policy *p, const char *step, size_t len, const char *a)
{
	const struct curate_scope *team = policy_scope(p, "team");
	size_t sl = strlen(WORKFLOW_SEP), i;
	const char *q;

	for (;; a = q + sl) {
		q = strstr(a, WORKFLOW_SEP);
		if (same_command(step, len, a, q ? (size_t)(q - a) : strlen(a)))
			return 1;
		if (!q)
			break;
	}
	for (i = 0; team && i < p->nsteps; i++)
		if (strlen(p->steps[i].step) == len && !strncmp(p->steps[i].step, step, len))
			return p->steps[i].projects >= 2 &&
				p->steps[i].sessions > WORKFLOW_FILLER * (double)team->sessions;
	return 0;
}

/* Is b workflow a plus filler steps only (at is where a runs in b)? */
static int plus_filler(const struct policy *p, const char *a, const char *b, const char *at)
{
	size_t sl = strlen(WORKFLOW_SEP), la = strlen(a);
	const char *s = b, *q;

	for (; *s; s = q + sl) {
		size_t len;

		if (s == at) {	/* a itself */
			s += la;
			if (!*s)
				break;
			q = s;
			continue;
		}
		q = strstr(s, WORKFLOW_SEP);
		len = q ? (size_t)(q - s) : strlen(s);
		if (!filler_next_to(p, s, len, a))
			return 0;
		if (!q)
			break;
	}
	return 1;
}

/* c says nothing that other, active, does not: dropped, or retired if stored. */
static void not_kept(struct cand *c, const char *why, const struct cand *other)
{
	c->dropped = !c->stored;
	c->passes = 0;
	if (c->dropped)
		return;
	c->status = MEMORY_RETIRED;
	free(c->reason);
	c->reason = xasprintf(why, other->id);
}

static int live_workflow(const struct cand *c)
{
	return !c->dropped && c->kind == MEMORY_WORKFLOW && c->passes;
}

/*
 * Of two active workflows, one a contiguous run of the other's steps: the
 * longer, when it is the shorter plus filler (a variant of one of its steps,
 * or a step done everywhere), says nothing more and goes; else the shorter
 * goes, since the longer says all it says (only maximal sequences stay).
 * Decided on all pairs first, so the order of c does not matter.
 */
void keep_maximal_workflows(const struct policy *p, struct cand *c, size_t n)
{
	const struct cand **by = xcalloc(n + 1, sizeof(*by));
	const char **why = xcalloc(n + 1, sizeof(*why));
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n && live_workflow(&c[i]) && !by[i]; j++) {
			const struct cand *a = &c[i], *b = &c[j];
			const char *at;

			if (j == i || !live_workflow(b) || strlen(a->key) == strlen(b->key))
				continue;
			if (strlen(b->key) < strlen(a->key)) {	/* a = b plus filler? */
				if ((at = find_run(b->key, a->key)) && plus_filler(p, b->key, a->key, at))
					why[i] = "%s plus a filler step";
			} else if ((at = find_run(a->key, b->key)) &&
				   !plus_filler(p, a->key, b->key, at)) {
				why[i] = b->nsess == a->nsess ? "contained in %s with the same support" :
					"contained in %s, which is active";
			}
			if (why[i])
				by[i] = b;
		}
	for (i = 0; i < n; i++)
		if (by[i])
			not_kept(&c[i], why[i], by[i]);
	free(by);
	free(why);
}

void take_workflow_steps(struct cand *cands, size_t n, struct workflow_step **steps,
			 size_t *nsteps)
{
	size_t i, alloc = 0;

	*steps = NULL;
	*nsteps = 0;
	for (i = 0; i < n; i++) {
		struct cand *c = &cands[i];

		if (c->kind != MEMORY_WORKFLOW || strstr(c->key, WORKFLOW_SEP))
			continue;
		c->dropped = 1;
		ALLOC_GROW(*steps, *nsteps + 1, alloc);
		(*steps)[*nsteps].step = c->key;
		(*steps)[*nsteps].sessions = (int)c->nsess;
		(*steps)[(*nsteps)++].projects = (int)c->projects.n;
	}
}

void gate_workflow_signal(const struct policy *p, struct cand *c)
{
	const struct curate_scope *team = policy_scope(p, "team");
	const char *why;

	if (!c->passes || c->kind != MEMORY_WORKFLOW)
		return;
	why = workflow_noise(c->key, (int)c->nsess, team ? (int)team->sessions : 0,
			     p->steps, p->nsteps);
	if (!why)
		return;
	c->passes = 0;
	c->status = memory_status_live(c->stored) || c->stored == MEMORY_RETIRED ?
		MEMORY_RETIRED : MEMORY_CANDIDATE;
	c->decayed = c->status == MEMORY_RETIRED;
	free(c->reason);
	c->reason = xstrdup(why);
}

