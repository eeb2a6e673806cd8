/*
 * feed.h: lines through a fresh parse context, for the unit tests of the
 * parser and of what it makes.
 */
#ifndef DREAMD_TEST_FEED_H
#define DREAMD_TEST_FEED_H

#include <stdlib.h>
#include <string.h>

#include "dreamd/ingest.h"
#include "dreamd/parse.h"
#include "dreamd/util.h"

/* Feeds lines (one string, '\n'-separated) into s, initialised here, under opts. */
static inline void feed_opts(struct session *s, const char *text, const struct ingest_opts *opts)
{
	struct unit_state u = { 0 };
	struct parse_ctx c;
	char *copy = xstrdup(text), *p, *nl;

	session_init(s);
	parse_ctx_init(&c, s, opts, &u, "t.jsonl", 0, 1);
	for (p = copy; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		c.lineno++;
		parse_line(&c, p, (size_t)(nl - p));
	}
	parse_end(&c);
	parse_ctx_release(&c);
	session_finish(s, &u);
	unit_state_release(&u);
	free(copy);
}

#endif
