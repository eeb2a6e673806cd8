/*
 * workflows.h: helpers the curator uses on workflow candidates.
 *
 * The workflows extractor emits, per session, one observation per distinct
 * run of 2 to 6 consecutive actions, keyed by the actions joined with
 * WORKFLOW_SEP ("Edit *.py -> pytest -> git commit"). Runs that are
 * trivial (one action repeated, only looking, ending in a look, a step
 * before the last that failed) are not
 * emitted. Once support is counted, workflow_maximal() keeps only the
 * longest runs: a run contained in a longer one with the same support says
 * nothing more.
 */
#ifndef DREAMD_WORKFLOWS_H
#define DREAMD_WORKFLOWS_H

#include <stddef.h>

#define WORKFLOW_SEP " -> "
#define WORKFLOW_MIN 2
#define WORKFLOW_MAX 6

struct workflow_candidate {
	const char *key;	/* borrowed */
	int support;		/* sessions (or whatever the caller counts) */
	int keep;		/* out: 1 to keep */
};

/*
 * Sets keep on each of c[0..n): 0 when another candidate with the same
 * support contains it as a contiguous run of actions, else 1. The result
 * does not depend on the order of c.
 */
void workflow_maximal(struct workflow_candidate *c, size_t n);

/* 1 when the key a is a contiguous run of actions inside key b. */
int workflow_contains(const char *b, const char *a);

#endif
