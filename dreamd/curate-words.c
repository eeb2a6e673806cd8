/*
 * curate-words.c: a candidate's title and body, in its extractor's words
 * (describe()) or plain ones; see curate-policy.h.
 */
#include "dreamd/curate-policy.h"

#include <stdlib.h>

#include "extractors/extractor.h"

void describe(struct cand *c)
{
	const struct extractor_ops *ops = extractor_find(c->extractor);
	struct candidate_summary s = {
		.key = c->key, .subject = c->subject, .detail = c->detail,
		.value = c->value, .slot = c->slot, .fix = c->fix,
		.fix_sessions = c->fix_worked, .sessions = (int)c->nsess,
		.users = (int)c->users.n, .agents = (int)c->agents.n,
		.projects = (int)c->projects.n, .occurrences = c->occurrences,
		.excerpt = c->nev ? c->ev[0].excerpt : NULL,
		.succeeded_sessions = c->nsucceeded,
	};
	char *cause = NULL;

	if (ops && ops->describe && ops->describe(&s, &c->title, &c->body, &cause) == 0)
		return;
	free(cause);
	free(c->title);
	free(c->body);
	c->title = xstrdup(c->subject ? c->subject : c->key);
	c->body = xasprintf("%s (seen in %zu sessions, %zu users).", c->key, c->nsess,
			    c->users.n);
}

