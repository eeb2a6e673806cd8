/*
 * rules.c: looking things up in loaded rules.
 */
#include "dreamd/common/rules.h"

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

/*
 * The 100 most common pairs of letters in the real transcripts, either
 * case, most common first: "pa" (path) and "ok" are far commoner than
 * their letters say.
 */
static const char common_pairs[] =
	"er es se te re en on in ss nt to id st an si oo de io us me at co ot ol ro "
	"ti tt le po nd sp or al lu pe ta li ng ec ex as ar tr pr pa ns ed ge ra ho "
	"ty is ch om it e_ ts yp ct he ok ve ut il th et ri ne ea nc ke t_ ca na fi "
	"la ag mp am _i ma ac ce do el cr xt ad n_ ha so di ll ni pu pt sh ui ou rt ";

/* How common the two bytes at s are together (one, when s has only one). */
static int pair_cost(const char *s, int icase)
{
	int c = byte_cost((unsigned char)s[0], icase);
	size_t i;

	if (!s[1])
		return c * 100;
	c *= byte_cost((unsigned char)s[1], icase);
	for (i = 0; common_pairs[i]; i += 3)
		if (common_pairs[i] == lower((unsigned char)s[0]) &&
		    common_pairs[i + 1] == lower((unsigned char)s[1]))
			return c * (2 + (int)(100 - i / 3) / 10);
	return c;
}

static void set_pair(struct literal_filter *f, unsigned a, unsigned b)
{
	unsigned v = a | b << 8;

	f->pairs[v >> 6] |= (uint64_t)1 << (v & 63);
}

/* Marks the byte pairs s (n bytes) may start with: any second byte when n is 1. */
static void add_pairs(struct literal_filter *f, const char *s, size_t n, int icase)
{
	unsigned a = (unsigned char)s[0], b;

	for (b = 0; b < 256; b++) {
		if (n > 1 && b != (unsigned char)s[1] &&
		    !(icase && b == other_case((unsigned char)s[1])))
			continue;
		set_pair(f, a, b);
		if (icase)
			set_pair(f, other_case((unsigned char)a), b);
	}
}

/* Whether the two bytes at t may be a literal's bytes at at. */
static inline int pair_at(const struct literal_filter *f, const unsigned char *t)
{
	unsigned v = t[0] | (unsigned)t[1] << 8;

	return f->pairs[v >> 6] >> (v & 63) & 1;
}

/*
 * The first i at or after from where a pair of f starts, else len - 1 (or
 * from, if later): the last byte, which starts no pair. Four at a time, as
 * most bytes start none.
 */
static size_t next_pair(const struct literal_filter *f, const unsigned char *t, size_t len,
			size_t i)
{
	/* Each tested on its own: a bit test and a branch rarely taken, no shift by cl. */
	while (i + 8 < len && !pair_at(f, t + i) && !pair_at(f, t + i + 1) &&
	       !pair_at(f, t + i + 2) && !pair_at(f, t + i + 3) && !pair_at(f, t + i + 4) &&
	       !pair_at(f, t + i + 5) && !pair_at(f, t + i + 6) && !pair_at(f, t + i + 7))
		i += 8;
	while (i + 1 < len && !pair_at(f, t + i))
		i++;
	return i;
}

static int is_fold(const struct literal_filter *f, size_t k)
{
	return f->lit[k] == kelvin || f->lit[k] == long_s;
}

/*
 * Slot k's first 4 bytes (fewer when it is shorter) as a word to compare
 * with the text's, each letter of an icase literal with its case bit
 * masked off: what fails this test fails same(), so most places a chain
 * leads to are dismissed by one compare, not a call of memcmp.
 */
static void set_head4(struct literal_filter *f, size_t k, const char *lit, size_t len,
		      int icase)
{
	uint32_t w = 0, m = 0;
	size_t i;

	for (i = 0; i < 4 && i < len; i++) {
		unsigned char c = (unsigned char)lit[i], keep = 0xFF;

		if (icase && other_case(c) != c)
			keep = 0xDF;
		w |= (uint32_t)(c & keep) << (8 * i);
		m |= (uint32_t)keep << (8 * i);
	}
	f->head4[k] = w;
	f->mask4[k] = m;
}

/*
 * Another rule's literal that is the same (bytes, at, case) takes tag too,
 * so a place is checked once for all the rules that share it: the rules
 * of one kind share many ("pass", "pwd", "secret", "token").
 */
static int join_literal(struct literal_filter *f, const char *lit, size_t at, int icase,
			size_t two, uint64_t tag)
{
	size_t k, c;

	if (lit == kelvin || lit == long_s)
		return 0;
	for (k = 0; k + two < f->n; k++) {
		if (f->at[k] != at || f->icase[k] != icase || is_fold(f, k) ||
		    (k && f->lit[k - 1] == f->lit[k]) || strcmp(f->lit[k], lit))
			continue;
		for (c = 0; c <= two; c++)
			f->tags[k + c] |= tag;
		return 1;
	}
	return 0;
}

/*
 * Adds lit to the chains of the byte at at (head) and of its first byte
 * (head0). An icase literal takes a second slot for the other case of
 * either when it is a letter. 0 when f is full.
 */
static int add_literal(struct literal_filter *f, const char *lit, size_t at, int icase,
		       uint64_t tag)
{
	size_t len = strlen(lit), i, c, two;
	unsigned char b, b0 = (unsigned char)lit[0];

	if (at == (size_t)-1) {
		at = 0;
		for (i = 1; i + 1 < len; i++)
			if (pair_cost(lit + i, icase) < pair_cost(lit + at, icase))
				at = i;
	}
	b = (unsigned char)lit[at];
	add_pairs(f, lit + at, len - at, icase);
	two = icase && (other_case(b) != b || other_case(b0) != b0);
	if (join_literal(f, lit, at, icase, two, tag))
		return 1;
	if (len > UINT16_MAX || f->n + 1 + two > LITERAL_SLOTS)
		return 0;
	for (c = 0; c <= two; c++) {
		size_t k = f->n++;
		unsigned char hb = c ? other_case(b) : b, fb = c ? other_case(b0) : b0;

		f->lit[k] = lit;
		f->len[k] = (uint16_t)len;
		f->at[k] = (uint16_t)at;
		set_head4(f, k, lit, len, icase);
		f->icase[k] = (unsigned char)icase;
		f->tags[k] = tag;
		if (!c || hb != b) {
			f->next[k] = f->head[hb];
			f->head[hb] = (unsigned char)(k + 1);
		}
		if (lit != kelvin && lit != long_s && (!c || fb != b0)) {
			f->next0[k] = f->head0[fb];
			f->head0[fb] = (unsigned char)(k + 1);
		}
	}
	if (at > f->maxat)
		f->maxat = at;
	if (!f->minlen || len < f->minlen)
		f->minlen = len;
	return 1;
}

/* Adds rule r's literals as tag; 0 when it must pass every text instead. */
static int add_rule(struct literal_filter *f, const struct rule *r, uint64_t tag,
		    uint64_t *fold_k, uint64_t *fold_s)
{
	size_t n = r ? r->nliterals : 0, i;
	int icase = r && r->literal_icase;
	const unsigned char *l;

	if (!n || n > LITERAL_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if (!*r->literals[i])
			return 0;	/* "" is in every text */
		for (l = (const unsigned char *)r->literals[i]; *l; l++) {
			if (icase && *l >= 0x80)
				return 0;	/* only ASCII folds here */
			if (icase && lower(*l) == 'k')
				*fold_k |= tag;
			if (icase && lower(*l) == 's')
				*fold_s |= tag;
		}
	}
	for (i = 0; i < n; i++)
		if (!add_literal(f, r->literals[i], (size_t)-1, icase, tag))
			return 0;
	return 1;
}

void literal_filter_init_set(struct literal_filter *f, const struct rule *const *rules, size_t n)
{
	uint64_t fold_k = 0, fold_s = 0;
	size_t i, c;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n && i < 64; i++) {
		uint64_t tag = (uint64_t)1 << i;

		f->all |= tag;
		if (!add_rule(f, rules[i], tag, &fold_k, &fold_s)) {
			f->always |= tag;
			fold_k &= ~tag;
			fold_s &= ~tag;
		}
	}
	if (fold_k && !add_literal(f, kelvin, 1, 0, fold_k))
		f->always |= fold_k;
	if (fold_s && !add_literal(f, long_s, 0, 0, fold_s))
		f->always |= fold_s;
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

void literal_filter_init(struct literal_filter *f, const struct rule *r)
{
	literal_filter_init_set(f, &r, 1);
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

/* Whether literal k, whose byte at at is text[pos], lies in text there. */
static int literal_at(const struct literal_filter *f, size_t k, const char *text, size_t len,
		      size_t pos)
{
	size_t s = pos - f->at[k];

	if (pos < f->at[k] || len - s < f->len[k])
		return 0;
	if (len - s >= 4) {
		const unsigned char *t = (const unsigned char *)text + s;
		uint32_t w = t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;

		if ((w & f->mask4[k]) != f->head4[k])
			return 0;
	}
	return same(f, k, text + s);
}

/* The tags not in found of the literals whose byte at at is text[pos] (h: their chain). */
static uint64_t found_at(const struct literal_filter *f, unsigned h, const char *text, size_t len,
			 size_t pos, uint64_t found)
{
	while (h) {
		size_t k = h - 1;

		if ((f->tags[k] & ~found) && literal_at(f, k, text, len, pos))
			found |= f->tags[k];
		h = f->next[k];
	}
	return found;
}

uint64_t literal_filter_scan(const struct literal_filter *f, const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	uint64_t found = f->always;
	size_t i;

	if (found == f->all || len < f->minlen)
		return found;
	for (i = 0; i < f->nbytes; i++) {
		unsigned char c = f->bytes[i];
		const unsigned char *p = t, *end = t + len;

		while (p < end && (p = memchr(p, c, (size_t)(end - p)))) {
			found = found_at(f, f->head[c], text, len, (size_t)(p - t), found);
			if (found == f->all)
				return found;
			p++;
		}
	}
	if (f->nbytes)
		return found;
	/* The pair of bytes at i first: most bytes of a text are in no pair. */
	for (i = 0; (i = next_pair(f, t, len, i)) + 1 < len; i++) {
		found = found_at(f, f->head[t[i]], text, len, i, found);
		if (found == f->all)
			return found;
	}
	if (len && f->head[t[len - 1]])
		found = found_at(f, f->head[t[len - 1]], text, len, len - 1, found);
	return found;
}

static int cmp_start(const void *a, const void *b)
{
	const struct literal_start *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

uint64_t literal_filter_scan_starts(const struct literal_filter *f, const char *text, size_t len,
				    uint64_t want, struct literal_start *starts, size_t max,
				    size_t *n, int *complete)
{
	const unsigned char *t = (const unsigned char *)text;
	uint64_t found = f->always;
	size_t i, k, m;

	*n = 0;
	*complete = !(want & f->always);
	if (!(want & ~f->always))
		return literal_filter_scan(f, text, len);
	if (len < f->minlen)
		return found;
	for (i = 0; ; i++) {
		unsigned h;

		i = next_pair(f, t, len, i);
		for (h = f->head[t[i]]; h; h = f->next[h - 1]) {
			size_t s;

			k = h - 1;
			s = i - f->at[k];
			if (!(f->tags[k] & (~found | want)) || !literal_at(f, k, text, len, i))
				continue;
			found |= f->tags[k];
			if (!(f->tags[k] & want))
				continue;
			if (is_fold(f, k) || *n == max) {
				*complete = 0;
				continue;
			}
			starts[*n].at = s;
			starts[(*n)++].tags = f->tags[k] & want;
		}
		if (i + 1 >= len)
			break;
	}
	/* In order, each place once: two literals may start at one. */
	for (i = 1; i < *n && starts[i - 1].at <= starts[i].at; i++)
		;
	if (i < *n)
		qsort(starts, *n, sizeof(*starts), cmp_start);
	for (i = m = 0; i < *n; i++) {
		if (m && starts[m - 1].at == starts[i].at)
			starts[m - 1].tags |= starts[i].tags;
		else
			starts[m++] = starts[i];
	}
	*n = m;
	return found;
}

int literal_filter_in(const struct literal_filter *f, const char *text, size_t len)
{
	return literal_filter_scan(f, text, len) != 0;
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

		if (len - p >= 3 && !memcmp(text + p, kelvin, 3))
			h = f->head0['k'];
		else if (len - p >= 2 && !memcmp(text + p, long_s, 2))
			h = f->head0['s'];
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

	if (f->always)
		return from < len ? from : len;
	/*
	 * By the rarer bytes at at: a start found at p is at least p - maxat,
	 * so once p passes best + maxat nothing earlier can turn up.
	 */
	for (p = from; p < len; p++) {
		unsigned h;

		p = next_pair(f, t, len, p);
		if (best < len && p > best + f->maxat)
			break;
		for (h = f->head[t[p]]; h; h = f->next[h - 1]) {
			size_t k = h - 1, s = p - f->at[k];

			if (literal_at(f, k, text, len, p)) {
				if (is_fold(f, k))
					return next_folded(f, text, len, from);
				if (s >= from && s < best)
					best = s;
			}
		}
	}
	return best;
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
