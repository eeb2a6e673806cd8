/*
 * shell-head.c: naming a main command: its head ("git push", by the
 * "command-head" rules) and its head with its flags; see shell.h.
 */
#include "extractors/shell.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/common/strbuf.h"
#include "dreamd/common/strlist.h"

/* Is word one of list's words (split at commas and spaces)? */
static int in_list(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;

	while (p && *p) {
		size_t n = strcspn(p, ", ");

		if (n == wl && !strncmp(p, word, n))
			return 1;
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

char *shell_head(const struct matcher *heads, const struct words *w,
		 pcre2_match_data *md)
{
	const struct rule *r;
	const char *prog, *opts = NULL, *then = NULL, *skip = NULL;
	struct strbuf b;
	long words = 0;
	size_t i;

	strbuf_init_cut(&b, 256);
	if (!w->n)
		return strbuf_detach(&b, NULL);
	prog = path_base(w->w[0]);
	strbuf_addstr(&b, prog);
	r = matcher_first(heads, FIELD_COMMAND, prog, strlen(prog), md);
	if (r) {
		const char *s = rule_param(r, "words");

		words = s ? strtol(s, NULL, 10) : 1;
		opts = rule_param(r, "options");
		then = rule_param(r, "then");
		skip = rule_param(r, "skip");
	}
	for (i = 1; i < w->n; i++) {
		const char *a = w->w[i];

		if (a[0] == '-') {
			if (opts && in_list(opts, a) && i + 1 < w->n) {
				strbuf_addf(&b, " %s %s", a, w->w[i + 1]);
				break;
			}
			if (skip && in_list(skip, a))
				i++;
			continue;
		}
		if (words <= 0 || strchr(a, '/') || strchr(a, '=') || strlen(a) > 40)
			break;
		strbuf_addf(&b, " %s", a);
		words--;
		if (then && in_list(then, a))
			words++, then = NULL;
	}
	return strbuf_detach(&b, NULL);
}

char *shell_head_flags(const char *head, const struct words *w)
{
	const char **flags = calloc(w->n + 1, sizeof(*flags));
	struct strbuf b;
	size_t i, n = 0;

	if (!flags)
		return NULL;
	strbuf_init_cut(&b, 256);
	strbuf_addstr(&b, head);
	for (i = 1; i < w->n; i++)
		if (w->w[i][0] == '-' && w->w[i][1] && strlen(w->w[i]) < 32)
			flags[n++] = w->w[i];
	qsort(flags, n, sizeof(*flags), strlist_cmp);
	for (i = 0; i < n; i++) {
		size_t len = strcspn(flags[i], "=");

		if (i && !strcmp(flags[i], flags[i - 1]))
			continue;
		strbuf_addch(&b, ' ');
		strbuf_add(&b, flags[i], len);
	}
	free(flags);
	return strbuf_detach(&b, NULL);
}
