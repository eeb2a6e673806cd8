/*
 * rules-state.h: the state a built-in extractor keeps, one per thread: the
 * rule groups it compiled at init (calls.h's, prefs.h's, one group of its
 * own). Its init() is rules_state_new() with what it needs, its free()
 * rules_state_free().
 */
#ifndef DREAMD_RULES_STATE_H
#define DREAMD_RULES_STATE_H

#include "extractors/calls.h"
#include "extractors/prefs.h"

#define RULES_CALLS 1	/* x: the groups that name and judge calls */
#define RULES_PREFS 2	/* p: the groups that read preferences */

struct rules_state {
	struct xrules x;
	struct prefrules p;
	struct matcher own;	/* the group named to rules_state_new(), if any */
	unsigned has;	/* RULES_CALLS | RULES_PREFS */
	int has_own;
};

/*
 * Compiles what says, and group (a group name, or NULL) into own, into a
 * new state at *state; -1 with *cause.
 */
int rules_state_new(void **state, const struct rule_set *rules, unsigned what,
		    const char *group, char **cause);
void rules_state_free(void *state);

#endif
