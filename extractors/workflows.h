/*
 * workflows.h: helpers the curator uses on workflow candidates.
 *
 * The workflows extractor emits, per session, one observation per distinct
 * run of 1 to 6 consecutive steps, keyed by the steps joined with
 * WORKFLOW_SEP ("Edit *.py -> pytest -q -> git push"); looking is not a
 * step. Runs that are trivial (one step repeated, a step before the last
 * that failed, a failure's fix) are not emitted; runs of one step are the
 * background of workflow_noise(). Once support is counted,
 * workflow_maximal() keeps only the longest runs: a run contained in a
 * longer one with the same support says nothing more.
 */
#ifndef DREAMD_WORKFLOWS_H
#define DREAMD_WORKFLOWS_H

#include <stddef.h>

#define WORKFLOW_SEP " -> "
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

/*
 * How often one step is done: the sessions it is in and the projects of
 * those sessions. The workflows extractor emits each step of a session as a
 * run of one (a key without WORKFLOW_SEP): the curator's background, never
 * a memory.
 */
struct workflow_step {
	const char *step;	/* borrowed */
	int sessions, projects;
};

/*
 * Does the workflow key, seen in support sessions of the total, say
 * something an agent would not do anyway? NULL when it does, else why not
 * (a static string). bg[0..n) is sorted by step (strcmp). A step is filler
 * when it is in more than WORKFLOW_FILLER of all sessions, in two projects
 * or more (done everywhere, it carries no information): the workflow needs
 * two steps that are not and must begin and end with one (a run with a
 * filler step at an end is the run without it plus noise). And it must be
 * cohesive: in WORKFLOW_COHESION or more of the sessions of its rarest
 * informative step (steps that merely happened one after the other are not).
 */
#define WORKFLOW_FILLER 0.5
#define WORKFLOW_COHESION 0.5
const char *workflow_noise(const char *key, int support, int total,
			   const struct workflow_step *bg, size_t n);

/* 1 when the key a is a contiguous run of actions inside key b. */
int workflow_contains(const char *b, const char *a);

#endif
