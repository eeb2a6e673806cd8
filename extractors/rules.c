/*
 * rules.c: looking things up in loaded rules.
 */
#include "extractors/rules.h"

#include <stddef.h>
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

/*
 * How common a byte is in transcripts, roughly (measured on the bench
 * corpus): the pre-filter looks for a literal's rarest byte first, so
 * memchr stops rarely.
 */
static int byte_weight(unsigned char c)
{
	if (c == ' ')
		return 100;
	if (strchr("etaoinshr", c))
		return 60;
	if (strchr("\"\\,:\n", c))
		return 50;
	if (strchr("dlcumwfgyp-", c))
		return 45;
	if ((c >= 'a' && c <= 'z') || c == '_')
		return 35;
	if ((c >= '0' && c <= '9') || c == '.' || c == '/')
		return 30;
	if (c >= 'A' && c <= 'Z')
		return 15;
	return c < 0x80 ? 10 : 5;
}

void literal_filter_init(struct literal_filter *f, const char *lit)
{
	size_t i;

	f->lit = lit;
	f->n = lit ? strlen(lit) : 0;
	f->at = 0;
	for (i = 1; i < f->n; i++)
		if (byte_weight((unsigned char)lit[i]) < byte_weight((unsigned char)lit[f->at]))
			f->at = i;
}

int literal_filter_in(const struct literal_filter *f, const char *text, size_t len)
{
	const char *lit = f->lit, *p, *end;
	size_t n = f->n, at = f->at;

	if (!n)
		return 1;
	if (n > len)
		return 0;
	/* Candidates for lit[at] where the whole literal would fit around it. */
	p = text + at;
	end = text + len - (n - at - 1);
	while (p < end && (p = memchr(p, lit[at], (size_t)(end - p)))) {
		/* Most candidates differ at an end: look there before memcmp. */
		if (p[-(ptrdiff_t)at] == lit[0] && p[n - 1 - at] == lit[n - 1] &&
		    !memcmp(p - at, lit, n))
			return 1;
		p++;
	}
	return 0;
}

int rule_literal_in(const struct rule *r, const char *text, size_t len)
{
	struct literal_filter f;

	literal_filter_init(&f, r->literal);
	return literal_filter_in(&f, text, len);
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
