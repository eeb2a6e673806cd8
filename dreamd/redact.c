/*
 * redact.c: PCRE2 JIT rules over every text before it is kept.
 *
 * Each rule is its own compiled pattern (one alternation of everything
 * would be slower to JIT and would hide which rule hit a limit). Matches
 * are collected on the original text by every rule, then merged and
 * replaced in one pass, so one rule's replacement never hides a secret
 * from another. A rule's `min_entropy` parameter drops matches that look
 * like words, not keys.
 *
 * A rule's literals are its pre-filter: one pass over the text with the
 * first 64 rules' literals in one filter says which rules can match, and
 * where the literals of the rules with literal_starts begin. Those rules
 * are compiled anchored and run from each such place only, which keeps
 * PCRE2 off the many places a keyword like "token" could start.
 */
#include "dreamd/redact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "dreamd/parse.h"
#include "dreamd/util.h"

#define MATCH_LIMIT 2000000
#define DEPTH_LIMIT 2000
#define HEAP_LIMIT_KIB 65536
#define OVECTOR_PAIRS 16
#define MAX_STARTS 512	/* where anchored rules' literals start, found in the first pass */

struct redact_rule {
	pcre2_code *re;
	char *label;
	struct rule lits;	/* only the literal fields: copies of the rule's */
	struct literal_filter filter;	/* over lits */
	int anchored;	/* re matches only at its start: run from each literal */
	double min_entropy;
};

struct redactor {
	struct redact_rule *rules;
	size_t n;
	struct literal_filter first64;	/* the first 64 rules' filters, in one pass */
	uint64_t anchored64;	/* which of them run anchored */
	pcre2_match_context *mctx;
};

struct range {
	size_t start, end;
	size_t rule;
};

int redactor_new(struct redactor **out, const struct rule_set *rules, char **cause)
{
	return redactor_new_flags(out, rules, 0, cause);
}

int redactor_new_flags(struct redactor **out, const struct rule_set *rules, unsigned flags,
		       char **cause)
{
	struct redactor *r = xcalloc(1, sizeof(*r));
	const struct rule *lits[64];
	size_t i, k;

	r->mctx = pcre2_match_context_create(NULL);
	if (!r->mctx)
		die(EX_UNAVAILABLE, "out of memory");
	pcre2_set_match_limit(r->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(r->mctx, HEAP_LIMIT_KIB);
	r->rules = xcalloc(rules->n ? rules->n : 1, sizeof(*r->rules));
	for (i = 0; i < rules->n; i++) {
		const struct rule *src = &rules->rules[i];
		struct redact_rule *dst = &r->rules[r->n];
		const char *ent = rule_param(src, "min_entropy");

		if (src->disabled)
			continue;
		dst->label = xstrdup(src->label ? src->label : src->name);
		if (!(flags & REDACT_NO_FILTER) && src->nliterals) {
			dst->lits.literals = xcalloc(src->nliterals, sizeof(char *));
			for (k = 0; k < src->nliterals; k++)
				dst->lits.literals[k] = xstrdup(src->literals[k]);
			dst->lits.nliterals = src->nliterals;
			dst->lits.literal_icase = src->literal_icase;
			dst->lits.literal_starts = src->literal_starts;
		}
		literal_filter_init(&dst->filter, &dst->lits);
		/* Anchored when compiled: PCRE2's JIT ignores PCRE2_ANCHORED at match time. */
		dst->anchored = dst->lits.literal_starts && !dst->filter.always;
		dst->re = rule_compile(src, dst->anchored ? PCRE2_ANCHORED : 0, cause);
		if (!dst->re) {
			r->n++;
			redactor_free(r);
			return -1;
		}
		if (r->n < 64) {
			lits[r->n] = &dst->lits;
			r->anchored64 |= (uint64_t)dst->anchored << r->n;
		}
		dst->min_entropy = ent ? strtod(ent, NULL) : 0;
		r->n++;
	}
	literal_filter_init_set(&r->first64, lits, r->n < 64 ? r->n : 64);
	*out = r;
	return 0;
}

void redactor_free(struct redactor *r)
{
	size_t i, k;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		pcre2_code_free(r->rules[i].re);
		free(r->rules[i].label);
		for (k = 0; k < r->rules[i].lits.nliterals; k++)
			free(r->rules[i].lits.literals[k]);
		free(r->rules[i].lits.literals);
	}
	free(r->rules);
	pcre2_match_context_free(r->mctx);
	free(r);
}

static double entropy(const char *s, size_t n)
{
	unsigned counts[256] = { 0 };
	double h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		counts[(unsigned char)s[i]]++;
	for (i = 0; i < 256; i++) {
		double p;

		if (!counts[i])
			continue;
		p = (double)counts[i] / (double)n;
		h -= p * log2(p);
	}
	return h;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static void replace_all(char **text, size_t *len, const char *with)
{
	free(*text);
	*text = xstrdup(with);
	*len = strlen(with);
}

/*
 * Appends rule i's matches in text to *ranges. A rule whose matches start
 * at its literals is run anchored from each (starts, when the first pass
 * found them all, else literal_filter_next()), which finds what one search
 * from the start would. Returns -1 when PCRE2 fails (a limit).
 */
static int collect(const struct redactor *r, size_t i, const char *text, size_t len,
		   const struct literal_start *starts, size_t nstarts, pcre2_match_data *md,
		   struct range **ranges, size_t *nranges, size_t *aranges)
{
	const struct redact_rule *rule = &r->rules[i];
	int anchored = rule->anchored;
	PCRE2_SIZE offset = 0;
	size_t si = 0;

	while (offset <= len) {
		PCRE2_SIZE start = offset, *ov;
		int rc;

		if (anchored && starts) {
			while (si < nstarts && (starts[si].at < offset || !(starts[si].tags >> i & 1)))
				si++;
			if (si == nstarts)
				break;
			start = starts[si].at;
		} else if (anchored) {
			start = literal_filter_next(&rule->filter, text, len, offset);
			if (start >= len)
				break;
		}
		if (anchored && ((unsigned char)text[start] & 0xC0) == 0x80) {
			offset = start + 1;
			continue;
		}
		rc = pcre2_match(rule->re, (PCRE2_SPTR)text, len, start, PCRE2_NO_UTF_CHECK,
				 md, r->mctx);
		if (rc == PCRE2_ERROR_NOMATCH) {
			if (!anchored)
				break;
			offset = start + 1;
			continue;
		}
		if (rc < 0)
			return -1;
		ov = pcre2_get_ovector_pointer(md);
		if (ov[1] <= ov[0]) {
			offset = (ov[1] > offset ? ov[1] : offset) + 1;
			while (offset < len && ((unsigned char)text[offset] & 0xC0) == 0x80)
				offset++;
			continue;
		}
		offset = ov[1];
		if (rule->min_entropy > 0 && entropy(text + ov[0], ov[1] - ov[0]) < rule->min_entropy)
			continue;
		ALLOC_GROW(*ranges, *nranges + 1, *aranges);
		(*ranges)[*nranges].start = ov[0];
		(*ranges)[*nranges].end = ov[1];
		(*ranges)[*nranges].rule = i;
		(*nranges)++;
	}
	return 0;
}

int redact(const struct redactor *r, char **text, size_t *len)
{
	pcre2_match_data *md = NULL;
	struct range *ranges = NULL;
	size_t nranges = 0, aranges = 0, i;
	struct strbuf sb;
	size_t at;
	uint64_t in;	/* bit i: rule i's filter passes the text */
	struct literal_start starts[MAX_STARTS];
	size_t nstarts;
	int count = 0, complete;

	if (!r || !*len)
		return 0;
	*len = utf8_fix(text, *len);
	in = literal_filter_scan_starts(&r->first64, *text, *len, r->anchored64, starts, MAX_STARTS,
					&nstarts, &complete);
	for (i = 0; i < r->n; i++) {
		if (i < 64 ? !(in >> i & 1) : !literal_filter_in(&r->rules[i].filter, *text, *len))
			continue;
		if (!md) {
			md = pcre2_match_data_create(OVECTOR_PAIRS, NULL);
			if (!md)
				die(EX_UNAVAILABLE, "out of memory");
		}
		if (collect(r, i, *text, *len, complete && i < 64 ? starts : NULL, nstarts, md,
			    &ranges, &nranges, &aranges) < 0) {
			/* A limit, or anything else: fail closed. */
			pcre2_match_data_free(md);
			free(ranges);
			replace_all(text, len, "[REDACTED:limit]");
			return 1;
		}
	}
	pcre2_match_data_free(md);
	if (!nranges)
		return 0;
	qsort(ranges, nranges, sizeof(*ranges), cmp_range);
	strbuf_init(&sb, STRBUF_NOLIMIT);
	at = 0;
	for (i = 0; i < nranges; i++) {
		size_t end = ranges[i].end, rule = ranges[i].rule;

		if (ranges[i].end <= at)
			continue;
		if (ranges[i].start > at)
			strbuf_add(&sb, *text + at, ranges[i].start - at);
		while (i + 1 < nranges && ranges[i + 1].start < end) {
			if (ranges[i + 1].end > end)
				end = ranges[i + 1].end;
			i++;
		}
		strbuf_addf(&sb, "[REDACTED:%s]", r->rules[rule].label);
		at = end;
		count++;
	}
	strbuf_add(&sb, *text + at, *len - at);
	free(ranges);
	free(*text);
	*text = strbuf_detach(&sb, len);
	return count;
}
