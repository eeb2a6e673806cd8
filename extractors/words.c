/*
 * words.c: wording helpers for describe().
 */
#include "extractors/words.h"

#include <stdlib.h>
#include <string.h>

void words_code(struct strbuf *b, const char *s, size_t max)
{
	size_t i, n = strlen(s ? s : "");

	if (n > max)
		n = utf8_cut(s, max);
	strbuf_addch(b, '`');
	for (i = 0; i < n; i++)
		strbuf_addch(b, s[i] == '`' || s[i] == '\n' ? (s[i] == '`' ? '\'' : ' ') : s[i]);
	if (n < strlen(s ? s : ""))
		strbuf_addstr(b, "...");
	strbuf_addch(b, '`');
}

void words_count(struct strbuf *b, int n, const char *one, const char *many)
{
	strbuf_addf(b, "%d %s", n, n == 1 ? one : many);
}

void words_support(struct strbuf *b, const struct candidate_summary *c)
{
	words_count(b, c->sessions, "session", "sessions");
	strbuf_addstr(b, ", ");
	words_count(b, c->users, "user", "users");
	if (c->agents > 1) {
		strbuf_addstr(b, ", ");
		words_count(b, c->agents, "agent", "agents");
	}
}

int words_finish(struct strbuf *title, struct strbuf *body, char **t, char **bd,
		 char **cause)
{
	*t = strbuf_detach(title, NULL);
	*bd = strbuf_detach(body, NULL);
	if (*t && *bd)
		return 0;
	free(*t);
	free(*bd);
	*t = *bd = NULL;
	*cause = xstrfmt("out of memory");
	return -1;
}
