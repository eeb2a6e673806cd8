/*
 * rules.c: looking things up in loaded rules.
 */
#include "extractors/rules.h"

#include <string.h>

const char *rule_param(const struct rule *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nparams; i++)
		if (!strcmp(r->params[i].key, key))
			return r->params[i].value;
	return NULL;
}

int rule_literal_in(const struct rule *r, const char *text, size_t len)
{
	const char *lit = r->literal, *p = text, *end = text + len;
	size_t n;

	if (!lit || !*lit)
		return 1;
	n = strlen(lit);
	while ((size_t)(end - p) >= n && (p = memchr(p, lit[0], (size_t)(end - p) - n + 1))) {
		if (!memcmp(p + 1, lit + 1, n - 1))
			return 1;
		p++;
	}
	return 0;
}
