/*
 * curate-workflows.c: what makes a workflow worth keeping: its background,
 * its signal and its maximality; see curate-policy.h.
 */
#include "dreamd/curate-policy.h"

#include <stdlib.h>
#include <string.h>

#include "extractors/workflows.h"

/* Is a, as a sequence of " -> "-joined actions, a contiguous part of b? */
static int subsequence(const char *a, const char *b)
{
	size_t la = strlen(a);
	const char *p = b;

	while ((p = strstr(p, a))) {
		int starts = p == b || (p - b >= 4 && !strncmp(p - 4, " -> ", 4));
		int ends = !p[la] || !strncmp(p + la, " -> ", 4);

		if (starts && ends)
			return 1;
		p++;
	}
	return 0;
}

void keep_maximal_workflows(struct cand *c, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct cand *a = &c[i];

		if (a->dropped || a->kind != MEMORY_WORKFLOW || !a->passes)
			continue;
		for (j = 0; j < n; j++) {
			struct cand *b = &c[j];

			if (i == j || b->dropped || b->kind != MEMORY_WORKFLOW || !b->passes ||
			    b->nsess != a->nsess || strlen(b->key) <= strlen(a->key))
				continue;
			if (subsequence(a->key, b->key)) {
				a->dropped = !a->stored;
				if (!a->dropped) {
					a->status = MEMORY_RETIRED;
					free(a->reason);
					a->reason = xasprintf("contained in %s with the same support", b->id);
					a->passes = 0;
				}
				break;
			}
		}
	}
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

