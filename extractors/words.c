/*
 * words.c: wording helpers for describe().
 */
#include "extractors/words.h"

#include <stdlib.h>
#include <string.h>

void words_code(struct xbuf *b, const char *s, size_t max)
{
	size_t i, n = strlen(s ? s : "");

	if (n > max)
		n = utf8_cut(s, max);
	xbuf_addch(b, '`');
	for (i = 0; i < n; i++)
		xbuf_addch(b, s[i] == '`' || s[i] == '\n' ? (s[i] == '`' ? '\'' : ' ') : s[i]);
	if (n < strlen(s ? s : ""))
		xbuf_addstr(b, "...");
	xbuf_addch(b, '`');
}

void words_count(struct xbuf *b, int n, const char *one, const char *many)
{
	xbuf_addf(b, "%d %s", n, n == 1 ? one : many);
}

void words_support(struct xbuf *b, const struct candidate_summary *c)
{
	words_count(b, c->sessions, "session", "sessions");
	xbuf_addstr(b, ", ");
	words_count(b, c->users, "user", "users");
	if (c->agents > 1) {
		xbuf_addstr(b, ", ");
		words_count(b, c->agents, "agent", "agents");
	}
}

int words_finish(struct xbuf *title, struct xbuf *body, char **t, char **bd,
		 char **cause)
{
	*t = xbuf_detach(title);
	*bd = xbuf_detach(body);
	if (*t && *bd)
		return 0;
	free(*t);
	free(*bd);
	*t = *bd = NULL;
	*cause = xstrfmt("out of memory");
	return -1;
}
