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

/* What PCRE2's (?i) in UTF mode also matches to k and to s. */
static const char kelvin[] = "\xE2\x84\xAA";
static const char long_s[] = "\xC5\xBF";

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 'a' - 'A') : c;
}

static unsigned char other_case(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return (unsigned char)(c - 'a' + 'A');
	return lower(c);
}

static int byte_cost(unsigned char c, int icase)
{
	if (icase && other_case(c) != c)
		return byte_weight(c) + byte_weight(other_case(c));
	return byte_weight(c);
}

static void chain(unsigned char *head, unsigned char *next, size_t k, unsigned char c, int icase)
{
	next[k] = head[c];
	head[c] = (unsigned char)(k + 1);
	if (icase)
		head[other_case(c)] = (unsigned char)(k + 1);
}

static void add_slot(struct literal_filter *f, const char *lit, size_t at, int icase, int first)
{
	size_t k = f->n++, i;

	f->lit[k] = lit;
	f->len[k] = strlen(lit);
	f->icase[k] = (unsigned char)icase;
	f->at[k] = at;
	if (at == (size_t)-1) {
		f->at[k] = 0;
		for (i = 1; i < f->len[k]; i++)
			if (byte_cost((unsigned char)lit[i], icase) <
			    byte_cost((unsigned char)lit[f->at[k]], icase))
				f->at[k] = i;
	}
	chain(f->head, f->next, k, (unsigned char)lit[f->at[k]], icase);
	if (f->at[k] > f->maxat)
		f->maxat = f->at[k];
	if (first)
		chain(f->head0, f->next0, k, (unsigned char)lit[0], icase);
}

void literal_filter_init(struct literal_filter *f, const struct rule *r)
{
	size_t n = r ? r->nliterals : 0, i, c;
	int icase = r && r->literal_icase, fold_k = 0, fold_s = 0;

	memset(f, 0, sizeof(*f));
	if (n > LITERAL_MAX)
		n = LITERAL_MAX;
	for (i = 0; i < n; i++) {
		const unsigned char *l = (const unsigned char *)r->literals[i];

		if (!*l) {
			/* "" is in every text. */
			memset(f, 0, sizeof(*f));
			return;
		}
		for (; *l; l++) {
			if (icase && *l >= 0x80) {
				/* Only ASCII folds here: pass every text. */
				memset(f, 0, sizeof(*f));
				return;
			}
			fold_k |= icase && lower(*l) == 'k';
			fold_s |= icase && lower(*l) == 's';
		}
		add_slot(f, r->literals[i], (size_t)-1, icase, 1);
		if (!i || f->len[i] < f->minlen)
			f->minlen = f->len[i];
	}
	if (fold_k) {
		add_slot(f, kelvin, 1, 0, 0);
		f->head0[(unsigned char)kelvin[0]] = f->head0['k'];
	}
	if (fold_s) {
		add_slot(f, long_s, 0, 0, 0);
		f->head0[(unsigned char)long_s[0]] = f->head0['s'];
	}
	for (c = 0; c < 256; c++) {
		if (!f->head[c])
			continue;
		if (f->nbytes == LITERAL_MEMCHR) {
			f->nbytes = 0;
			break;
		}
		f->bytes[f->nbytes++] = (unsigned char)c;
	}
}

static int same(const struct literal_filter *f, size_t k, const char *s)
{
	const char *lit = f->lit[k];
	size_t i;

	if (!f->icase[k])
		return !memcmp(s, lit, f->len[k]);
	for (i = 0; i < f->len[k]; i++)
		if (lower((unsigned char)s[i]) != lower((unsigned char)lit[i]))
			return 0;
	return 1;
}

/* Whether a literal whose byte at at is text[pos] (h: their chain) is there. */
static int found_at(const struct literal_filter *f, unsigned h, const char *text, size_t len,
		    size_t pos)
{
	while (h) {
		size_t k = h - 1;

		if (pos >= f->at[k] && len - (pos - f->at[k]) >= f->len[k] &&
		    same(f, k, text + pos - f->at[k]))
			return 1;
		h = f->next[k];
	}
	return 0;
}

int literal_filter_in(const struct literal_filter *f, const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i;

	if (!f->n)
		return 1;
	if (len < f->minlen)
		return 0;
	for (i = 0; i < f->nbytes; i++) {
		unsigned char c = f->bytes[i];
		const unsigned char *p = t, *end = t + len;

		while (p < end && (p = memchr(p, c, (size_t)(end - p)))) {
			if (found_at(f, f->head[c], text, len, (size_t)(p - t)))
				return 1;
			p++;
		}
	}
	if (f->nbytes)
		return 0;
	for (i = 0; i < len; i++)
		if (f->head[t[i]] && found_at(f, f->head[t[i]], text, len, i))
			return 1;
	return 0;
}

/* Whether literal k starts at text[pos], a folded k or s counting as one. */
static int starts_at(const struct literal_filter *f, size_t k, const char *text, size_t len,
		     size_t pos)
{
	const char *lit = f->lit[k];
	size_t i, q = pos;

	if (!f->icase[k])
		return len - pos >= f->len[k] && !memcmp(text + pos, lit, f->len[k]);
	for (i = 0; i < f->len[k]; i++) {
		unsigned char c = lower((unsigned char)lit[i]);

		if (q < len && lower((unsigned char)text[q]) == c) {
			q++;
		} else if (c == 'k' && len - q >= 3 && !memcmp(text + q, kelvin, 3)) {
			q += 3;
		} else if (c == 's' && len - q >= 2 && !memcmp(text + q, long_s, 2)) {
			q += 2;
		} else {
			return 0;
		}
	}
	return 1;
}

/* The first start at or after from by first bytes: slower, but sees folds. */
static size_t next_folded(const struct literal_filter *f, const char *text, size_t len,
			  size_t from)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t p;

	for (p = from; p < len; p++) {
		unsigned h = f->head0[t[p]];

		while (h) {
			if (starts_at(f, h - 1, text, len, p))
				return p;
			h = f->next0[h - 1];
		}
	}
	return len;
}

size_t literal_filter_next(const struct literal_filter *f, const char *text, size_t len,
			   size_t from)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t p, best = len;

	if (!f->n)
		return from < len ? from : len;
	/*
	 * By the rarer bytes at at: a start found at p is at least p - maxat,
	 * so once p passes best + maxat nothing earlier can turn up.
	 */
	for (p = from; p < len && p <= best + f->maxat; p++) {
		unsigned h = f->head[t[p]];

		while (h) {
			size_t k = h - 1, s = p - f->at[k];

			if (p >= f->at[k] && len - s >= f->len[k] && same(f, k, text + s)) {
				if (f->lit[k] == kelvin || f->lit[k] == long_s)
					return next_folded(f, text, len, from);
				if (s >= from && s < best)
					best = s;
			}
			h = f->next[k];
		}
	}
	return best;
}

int rule_literal_in(const struct rule *r, const char *text, size_t len)
{
	struct literal_filter f;

	literal_filter_init(&f, r);
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
