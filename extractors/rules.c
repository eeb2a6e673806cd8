/*
 * rules.c: looking things up in loaded rules.
 */
#include "extractors/rules.h"

#include <stdio.h>
#include <stdlib.h>
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

pcre2_code *rule_compile(const struct rule *r, uint32_t options, char **cause)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	pcre2_code *re;
	char buf[1024];
	int err;

	re = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
			   PCRE2_UTF | options, &err, &off, NULL);
	if (!re) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		snprintf(buf, sizeof(buf), "bad pattern in rule '%s': %s at offset %zu '%s'",
			 r->name, (char *)msg, (size_t)off, r->origin ? r->origin : "?");
		*cause = strdup(buf);
		return NULL;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}
