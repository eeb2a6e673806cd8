/*
 * rules-state.c: the rule groups a built-in extractor compiles at init.
 */
#include "extractors/rules-state.h"

#include <stdlib.h>

#include "dreamd/common/strbuf.h"

int rules_state_new(void **state, const struct rule_set *rules, unsigned what,
		    const char *group, char **cause)
{
	struct rules_state *s = calloc(1, sizeof(*s));

	if (!s) {
		*cause = xstrfmt("out of memory");
		return -1;
	}
	if ((what & RULES_CALLS) && xrules_init(&s->x, rules, cause) < 0) {
		free(s);
		return -1;
	}
	s->has |= what & RULES_CALLS;
	if ((what & RULES_PREFS) && prefrules_init(&s->p, rules, cause) < 0) {
		rules_state_free(s);
		return -1;
	}
	s->has |= what & RULES_PREFS;
	if (group && matcher_init(&s->own, rules, group, cause) < 0) {
		rules_state_free(s);
		return -1;
	}
	s->has_own = !!group;
	*state = s;
	return 0;
}

void rules_state_free(void *state)
{
	struct rules_state *s = state;

	if (!s)
		return;
	if (s->has & RULES_CALLS)
		xrules_release(&s->x);
	if (s->has & RULES_PREFS)
		prefrules_release(&s->p);
	if (s->has_own)
		matcher_release(&s->own);
	free(s);
}
