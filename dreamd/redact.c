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
 * Every rule runs on the text as stored (or with its JSON escapes undone,
 * when it has some) and on the texts a secret can hide in there
 * (redact-view.h): a token wrapped over two lines joined, each base64 run
 * decoded; a match in one of those redacts the bytes it came from (a whole
 * base64 run). A rule's `gate` parameter
 * judges what it matched: `token` (letters and digits, no reference or
 * placeholder), `secret` (a token that is no path, a.b.c attribute or words
 * with hyphens), `phrase` (anything but a reference or a placeholder, and
 * with spaces a passphrase, not a message),
 * `random` (upper and lower case and digits, no path, no words run together),
 * `literal` (`secret`, or what redact-value.h takes for a literal by where
 * it stands: a quoted passphrase, letters only in quotes, a query or after
 * an UPPER_NAME=).
 *
 * A rule's literals are its pre-filter: one pass over the text with the
 * first 64 rules' literals in one filter says which rules can match, and
 * where the literals of the rules with literal_starts begin. Those rules
 * are compiled anchored and run from each such place only, which keeps
 * PCRE2 off the many places a keyword like "token" could start; in a text
 * with more such places than the first pass keeps, one unanchored search
 * costs less than a match call from each.
 */
#include "dreamd/redact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "dreamd/parse.h"
#include "dreamd/redact-value.h"
#include "dreamd/redact-view.h"
#include "dreamd/util.h"

#define MATCH_LIMIT 2000000
#define DEPTH_LIMIT 2000
#define HEAP_LIMIT_KIB 65536
#define OVECTOR_PAIRS 16
#define MAX_STARTS 512	/* where anchored rules' literals start, found in the first pass */
/*
 * The work bound of one text (REDACT_WORK_* in redact.h): a unit is a byte
 * a scan looked at: each view's filter pass costs its length, each PCRE2
 * call 1 and the bytes from where it started to where its match ended (to
 * the end of the text when an unanchored search found none). Every rule
 * over every view of a real transcript's text takes at most 6.5 units a
 * byte, of an adversarial line 6, and every rule run unanchored over every
 * text (REDACT_NO_FILTER) 70: far under the bound of 8 a rule a byte, 320
 * for the 40 built-in rules (test-redact checks a quarter of it). With
 * every call held to MATCH_LIMIT, the bound caps a text's work; it counts
 * bytes, not time, so what is redacted stays deterministic.
 */

struct redact_rule {
	pcre2_code *re;
	char *label;
	struct rule lits;	/* only the literal fields: copies of the rule's */
	struct literal_filter filter;	/* over lits */
	int anchored;	/* re matches only at its start: run from each literal */
	pcre2_code *search;	/* anchored rules: re unanchored, for texts dense with literals */
	size_t min_run;	/* re is anchored, run where base64 runs this long start */
	double min_entropy;
	enum { GATE_NONE, GATE_TOKEN, GATE_SECRET, GATE_PHRASE, GATE_RANDOM, GATE_LITERAL } gate;
	char *origin;	/* for the warning when it hits a limit */
};

struct redactor {
	struct redact_rule *rules;
	size_t n;
	struct literal_filter first64;	/* the first 64 rules' filters, in one pass */
	uint64_t anchored64;	/* which of them run anchored */
	uint64_t own64;	/* which of them did not fit it: their own filter decides */
	pcre2_match_context *mctx;
	int warned;	/* a limit was reported (atomic) */
	size_t per_byte, base;	/* the work bound (WORK_*; redactor_set_work_bound) */
	unsigned long failed;	/* texts replaced whole (atomic) */
};

struct range {
	size_t start, end;
	size_t rule;
};

/* The work one redact() call may do, and has done. */
struct work {
	uint64_t used, max;
};

/* What one redact() call collects, over all the views. */
struct scan {
	pcre2_match_data *md;
	struct work *work;	/* shared by the scans of its views */
	struct range *ranges;
	size_t n, alloc;
	const struct redact_view *view;	/* NULL: the text itself */
	size_t off;	/* where in the view the text scanned starts */
	int joined;	/* keep only matches across one of view's joins */
};

#define JOIN_WINDOW 512	/* what is scanned of a joined view, each side of a join */

static int set_gate(struct redact_rule *dst, const struct rule *src, char **cause)
{
	static const char *const names[] = {
		"none", "token", "secret", "phrase", "random", "literal"
	};
	const char *gate = rule_param(src, "gate");
	size_t i;

	if (!gate)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(gate, names[i])) {
			dst->gate = i;
			return 0;
		}
	*cause = xasprintf("bad gate '%s' in rule '%s' (%s): none, token, secret, phrase, random "
			   "or literal",
			   gate, src->name, src->origin ? src->origin : "built-in");
	return -1;
}

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

	r->base = REDACT_WORK_BASE;
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
		/*
		 * Anchored when compiled: PCRE2's JIT ignores PCRE2_ANCHORED at
		 * match time. And with no start optimization: each anchored match
		 * would otherwise look for the pattern's required character to
		 * the end of the text, which makes a text full of literals
		 * quadratic.
		 */
		dst->anchored = dst->lits.literal_starts && !dst->filter.always;
		if (!(flags & REDACT_NO_FILTER) && !src->nliterals && rule_param(src, "min_run"))
			dst->min_run = (size_t)strtoul(rule_param(src, "min_run"), NULL, 10);
		dst->re = rule_compile(src, dst->anchored || dst->min_run ?
				       PCRE2_ANCHORED | PCRE2_NO_START_OPTIMIZE : 0, cause);
		if (dst->re && dst->anchored)
			dst->search = rule_compile(src, 0, cause);
		if (!dst->re || (dst->anchored && !dst->search)) {
			r->n++;
			redactor_free(r);
			return -1;
		}
		if (r->n < 64) {
			lits[r->n] = &dst->lits;
			r->anchored64 |= (uint64_t)dst->anchored << r->n;
		}
		dst->min_entropy = ent ? strtod(ent, NULL) : 0;
		if (set_gate(dst, src, cause) < 0) {
			r->n++;
			redactor_free(r);
			return -1;
		}
		dst->origin = xasprintf("'%s' (%s)", src->name, src->origin ? src->origin : "built-in");
		r->n++;
	}
	r->per_byte = REDACT_WORK_PER_RULE_BYTE * (r->n ? r->n : 1);
	literal_filter_init_set(&r->first64, lits, r->n < 64 ? r->n : 64);
	/*
	 * A rule whose literals found no room in the shared filter passes it
	 * always: its own filter decides instead, and it runs unanchored, so
	 * the others' starts stay complete.
	 */
	for (i = 0; i < r->n && i < 64; i++)
		if ((r->first64.always >> i & 1) && !r->rules[i].filter.always)
			r->own64 |= (uint64_t)1 << i;
	r->anchored64 &= ~r->own64;
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
		pcre2_code_free(r->rules[i].search);
		free(r->rules[i].label);
		free(r->rules[i].origin);
		for (k = 0; k < r->rules[i].lits.nliterals; k++)
			free(r->rules[i].lits.literals[k]);
		free(r->rules[i].lits.literals);
	}
	free(r->rules);
	pcre2_match_context_free(r->mctx);
	free(r);
}

/* Shannon entropy of s in bits per byte; counts only the bytes there. */
static double entropy(const char *s, size_t n)
{
	unsigned counts[256] = { 0 };
	double h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		counts[(unsigned char)s[i]]++;
	for (i = 0; i < n; i++) {
		unsigned c = counts[(unsigned char)s[i]];
		double p;

		if (!c)
			continue;
		counts[(unsigned char)s[i]] = 0;
		p = (double)c / (double)n;
		h -= p * log2(p);
	}
	return h;
}

static int is_ident(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$';
}

/* $NAME (one case), ${...}, $(...): a value taken from elsewhere. */
static int is_reference(const char *s, size_t n)
{
	size_t i, upper = 0, lower = 0;

	if (n < 2 || s[0] != '$')
		return 0;
	if (s[1] == '{' || s[1] == '(')
		return 1;
	for (i = 1; i < n; i++) {
		if (!is_ident((unsigned char)s[i]))
			return 0;
		upper += s[i] >= 'A' && s[i] <= 'Z';
		lower += s[i] >= 'a' && s[i] <= 'z';
	}
	return !(upper && lower);
}

/* a.b.c of identifiers: an attribute, a module path, a host name. */
static int is_dotted(const char *s, size_t n)
{
	size_t i, dots = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (!i || i + 1 == n || s[i - 1] == '.')
				return 0;
			dots++;
		} else if (!is_ident((unsigned char)s[i])) {
			return 0;
		}
	}
	return dots > 0;
}

/* A placeholder: one character over and over (****, xxxx, ....). */
static int is_filler(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (s[i] != s[0])
			return 0;
	return 1;
}

static int is_lower_word(const char *s, size_t n, int digits)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (digits && s[i] >= '0' && s[i] <= '9') ||
		      (digits && (s[i] == '.' || s[i] == '-' || s[i] == '_'))))
			return 0;
	return 1;
}

/* Two or more /-separated lower case words: a path or a URL's. */
static int is_path(const char *s, size_t n)
{
	size_t i, start = 0, words = 0;

	if (!memchr(s, '/', n))
		return 0;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '/')
			continue;
		words += i - start >= 3 && is_lower_word(s + start, i - start, 1);
		start = i + 1;
	}
	return words >= 2;
}

/* four-or-more-words-with-hyphens (mostly letters only): a placeholder's prose. */
static int is_kebab_words(const char *s, size_t n)
{
	size_t i, start = 0, segs = 0, words = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '-' && s[i] != '_')
			continue;
		if (!is_lower_word(s + start, i - start, 1))
			return 0;
		segs++;
		words += i > start && is_lower_word(s + start, i - start, 0);
		start = i + 1;
	}
	return segs >= 4 && words * 4 >= segs * 3;
}

/* Words run together: a third or more of it in runs of four letters of one case. */
static int is_wordy(const char *s, size_t n)
{
	size_t i = 0, inwords = 0;

	while (i < n) {
		size_t j = i;

		if (s[i] >= 'a' && s[i] <= 'z')
			while (j < n && s[j] >= 'a' && s[j] <= 'z')
				j++;
		else if (s[i] >= 'A' && s[i] <= 'Z')
			while (j < n && s[j] >= 'A' && s[j] <= 'Z')
				j++;
		if (j - i >= 4)
			inwords += j - i;
		i = j > i ? j : i + 1;
	}
	return inwords * 3 >= n;
}

/*
 * Whether what a rule matched, text[start, end), passes its gate (see the
 * opening comment).
 */
static int gate_passes(const struct redact_rule *rule, const char *text, size_t len,
		       size_t start, size_t end)
{
	const char *s = text + start;
	size_t i, n = end - start, upper = 0, lower = 0, digit = 0;

	if (rule->gate == GATE_NONE)
		return rule->min_entropy <= 0 || entropy(s, n) >= rule->min_entropy;
	if (!n || is_reference(s, n) || is_filler(s, n))
		return 0;
	if (rule->gate == GATE_PHRASE)
		return (!memchr(s, ' ', n) || value_is_passphrase(s, n)) &&
		       (rule->min_entropy <= 0 || entropy(s, n) >= rule->min_entropy);
	if (rule->gate == GATE_LITERAL) {
		enum value_place at = value_place(text, len, start, end);

		if (memchr(s, ' ', n))
			return at == VALUE_QUOTED && value_is_passphrase(s, n) &&
			       (rule->min_entropy <= 0 || entropy(s, n) >= rule->min_entropy);
		if (at == VALUE_QUERY)
			return value_in_query(s, n);
		if (at != VALUE_BARE && value_is_letters(s, n))
			return rule->min_entropy <= 0 || entropy(s, n) >= rule->min_entropy;
		if (n < 6)
			return 0;
	}
	for (i = 0; i < n; i++) {
		upper += s[i] >= 'A' && s[i] <= 'Z';
		lower += s[i] >= 'a' && s[i] <= 'z';
		digit += s[i] >= '0' && s[i] <= '9';
	}
	if (rule->gate == GATE_RANDOM) {
		/* An absolute or home path is no key: a token in it has its own rule. */
		if (!upper || !lower || !digit || s[0] == '/' || (s[0] == '~' && n > 1 && s[1] == '/') ||
		    is_path(s, n) || is_wordy(s, n))
			return 0;
	} else if (!digit || !(upper + lower)) {
		return 0;
	} else if (rule->gate == GATE_SECRET || rule->gate == GATE_LITERAL) {
		if (is_dotted(s, n) || is_kebab_words(s, n) || s[0] == '/' || s[0] == '~' ||
		    (s[0] == '.' && n > 1 && (s[1] == '/' || s[1] == '.')))
			return 0;
	}
	return rule->min_entropy <= 0 || entropy(s, n) >= rule->min_entropy;
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

/* Keeps the match [start, end) of the scan's view, mapped to the text. */
static void keep(struct scan *sc, size_t rule, size_t start, size_t end)
{
	const struct redact_view *v = sc->view;

	start += sc->off;
	end += sc->off;
	if (v && sc->joined) {
		size_t lo = 0, hi = v->njoins;

		while (lo < hi) {	/* the first join after start */
			size_t mid = lo + (hi - lo) / 2;

			if (v->joins[mid] <= start)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == v->njoins || v->joins[lo] >= end)
			return;	/* matched in the unjoined text already */
	}
	ALLOC_GROW(sc->ranges, sc->n + 1, sc->alloc);
	sc->ranges[sc->n].start = v ? v->from[start] : start;
	sc->ranges[sc->n].end = v ? v->to[end - 1] : end;
	sc->ranges[sc->n].rule = rule;
	sc->n++;
}

/*
 * Adds rule i's matches in text to sc. A rule whose matches start at its
 * literals is run anchored from each when the first pass found them all
 * (starts), which finds what one search from the start would; in a text
 * with more of them, one unanchored search is cheaper than a match call
 * from each. Returns -1 when PCRE2 fails (a limit).
 */
/*
 * Counts one PCRE2 call from start (its result rc; searched: it looked for
 * a match to the end of the text) against the work bound: -1 past it.
 */
static int charge(struct scan *sc, int rc, size_t start, size_t len, int searched)
{
	size_t end = rc >= 0 ? pcre2_get_ovector_pointer(sc->md)[1] :
		     rc == PCRE2_ERROR_NOMATCH && searched ? len : start;

	sc->work->used += 1 + (end > start ? end - start : 0);
	return sc->work->used > sc->work->max ? -1 : 0;
}

static int collect(const struct redactor *r, size_t i, const char *text, size_t len,
		   const struct literal_start *starts, size_t nstarts, struct scan *sc)
{
	const struct redact_rule *rule = &r->rules[i];
	int anchored = rule->anchored && starts;
	const pcre2_code *re = anchored || !rule->anchored ? rule->re : rule->search;
	PCRE2_SIZE offset = 0;
	size_t si = 0;

	while (offset <= len) {
		PCRE2_SIZE start = offset, *ov;
		int rc;

		if (rule->min_run) {
			start = view_next_run(text, len, offset, rule->min_run);
			if (start >= len)
				break;
		} else if (anchored) {
			while (si < nstarts && (starts[si].at < offset || !(starts[si].tags >> i & 1)))
				si++;
			if (si == nstarts)
				break;
			start = starts[si].at;
		}
		if (anchored && ((unsigned char)text[start] & 0xC0) == 0x80) {
			offset = start + 1;
			continue;
		}
		rc = pcre2_match(re, (PCRE2_SPTR)text, len, start, PCRE2_NO_UTF_CHECK,
				 sc->md, r->mctx);
		if (charge(sc, rc, start, len, !anchored && !rule->min_run) < 0)
			return -1;
		if (rc == PCRE2_ERROR_NOMATCH) {
			if (!anchored && !rule->min_run)
				break;
			offset = start + 1;
			continue;
		}
		if (rc < 0)
			return -1;
		ov = pcre2_get_ovector_pointer(sc->md);
		if (ov[1] <= ov[0]) {
			offset = (ov[1] > offset ? ov[1] : offset) + 1;
			while (offset < len && ((unsigned char)text[offset] & 0xC0) == 0x80)
				offset++;
			continue;
		}
		offset = ov[1];
		if (gate_passes(rule, text, len, ov[0], ov[1]))
			keep(sc, i, ov[0], ov[1]);
	}
	return 0;
}

/* Every rule over text (sc->view's, or the original); the failing rule, or -1. */
static long scan_text(const struct redactor *r, const char *text, size_t len, struct scan *sc)
{
	struct literal_start starts[MAX_STARTS];
	size_t nstarts, i;
	uint64_t in;	/* bit i: rule i's filter passes the text */
	int complete;

	sc->work->used += len;
	in = literal_filter_scan_starts(&r->first64, text, len, r->anchored64, starts, MAX_STARTS,
					&nstarts, &complete);
	for (i = 0; i < r->n; i++) {
		int shared = i < 64 && !(r->own64 >> i & 1);

		if (shared ? !(in >> i & 1) : !literal_filter_in(&r->rules[i].filter, text, len))
			continue;
		if (!sc->md) {
			sc->md = pcre2_match_data_create(OVECTOR_PAIRS, NULL);
			if (!sc->md)
				die(EX_UNAVAILABLE, "out of memory");
		}
		if (collect(r, i, text, len, complete && shared ? starts : NULL, nstarts, sc) < 0)
			return (long)i;
	}
	return -1;
}

static long scan_all(const struct redactor *r, const char *text, size_t len, int depth,
		     struct scan *sc);

/*
 * Each base64 run of base that decodes to text is scanned as a text of its
 * own (views and all, two levels deep); a match anywhere in it redacts the
 * whole run.
 */
static long scan_base64(const struct redactor *r, const struct redact_view *base, int depth,
			struct scan *sc)
{
	struct redact_view v;
	size_t at = 0;
	long bad = -1;

	while (bad < 0 && view_next_base64(&v, base, &at)) {
		struct scan inner = { 0 };

		inner.md = sc->md;
		inner.work = sc->work;
		bad = scan_all(r, v.s, v.n, depth + 1, &inner);
		sc->md = inner.md;
		if (bad < 0 && inner.n) {
			sc->view = &v;
			sc->joined = 0;
			keep(sc, inner.ranges[0].rule, 0, v.n);
		}
		free(inner.ranges);
		view_release(&v);
	}
	return bad;
}

/*
 * The rules over the joined view near its joins only (a window each side,
 * joins close together in one): a match must cross a join to count.
 */
static long scan_joins(const struct redactor *r, const struct redact_view *v, struct scan *sc)
{
	size_t k = 0;
	long bad = -1;

	sc->view = v;
	sc->joined = 1;
	while (bad < 0 && k < v->njoins) {
		size_t a = v->joins[k] > JOIN_WINDOW ? v->joins[k] - JOIN_WINDOW : 0, b, last = k;

		while (last + 1 < v->njoins && v->joins[last + 1] - v->joins[last] < 2 * JOIN_WINDOW)
			last++;
		b = v->joins[last] + JOIN_WINDOW < v->n ? v->joins[last] + JOIN_WINDOW : v->n;
		while (a > 0 && ((unsigned char)v->s[a] & 0xC0) == 0x80)
			a--;
		while (b < v->n && ((unsigned char)v->s[b] & 0xC0) == 0x80)
			b++;
		sc->off = a;
		bad = scan_text(r, v->s + a, b - a, sc);
		k = last + 1;
	}
	sc->off = 0;
	sc->joined = 0;
	return bad;
}

/*
 * The rules over the text, or over its unescaped view when it has JSON
 * escapes (which every rule matches as well as the escaped text), over
 * the joins of its joined view and over its base64 runs (of the joined
 * view, so a run wrapped over lines decodes whole); the failing rule, or -1.
 */
static long scan_all(const struct redactor *r, const char *text, size_t len, int depth,
		     struct scan *sc)
{
	struct redact_view plain = { (char *)text, len, NULL, NULL, NULL, 0 }, esc, joined;
	const struct redact_view *base = &plain;
	long bad;

	sc->view = NULL;
	sc->off = 0;
	sc->joined = 0;
	if (view_unescape(&esc, text, len)) {
		base = &esc;
		sc->view = &esc;
	}
	bad = scan_text(r, base->s, base->n, sc);
	if (bad < 0 && view_join(&joined, base)) {
		bad = scan_joins(r, &joined, sc);
		if (bad < 0 && depth < 2)
			bad = scan_base64(r, &joined, depth, sc);
		view_release(&joined);
	} else if (bad < 0 && depth < 2) {
		bad = scan_base64(r, base, depth, sc);
	}
	if (base == &esc)
		view_release(&esc);
	return bad;
}

/* The warning for a text kept whole: rule bad hit a limit, or (-1) the work bound max. */
static void warn_failed(const struct redactor *r, long bad, uint64_t max, size_t len)
{
	if (bad < 0)
		warning("redacting a text of %zu bytes took more than its work bound (%llu units):"
			" it is kept as [REDACTED:limit]", len, (unsigned long long)max);
	else
		warning("redaction rule %s hit its limit: a text of %zu bytes is kept as "
			"[REDACTED:limit]", r->rules[bad].origin, len);
}

void redactor_set_work_bound(struct redactor *r, size_t per_byte, size_t base)
{
	r->per_byte = per_byte;
	r->base = base;
}

unsigned long redactor_failed(const struct redactor *r)
{
	return r ? __atomic_load_n(&r->failed, __ATOMIC_SEQ_CST) : 0;
}

int redact(const struct redactor *r, char **text, size_t *len)
{
	struct work work = { 0, 0 };
	struct scan sc = { 0 };
	struct strbuf sb;
	size_t at, i;
	long bad;
	int count = 0;

	if (!r || !*len)
		return 0;
	*len = utf8_fix(text, *len);
	work.max = (uint64_t)r->per_byte * *len + r->base;
	sc.work = &work;
	bad = scan_all(r, *text, *len, 0, &sc);
	pcre2_match_data_free(sc.md);
	if (bad >= 0 || work.used > work.max) {
		/* A limit, the work bound or anything else: fail closed, and say so once. */
		__atomic_add_fetch(&((struct redactor *)r)->failed, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_exchange_n(&((struct redactor *)r)->warned, 1, __ATOMIC_SEQ_CST))
			warn_failed(r, work.used > work.max ? -1 : bad, work.max, *len);
		free(sc.ranges);
		replace_all(text, len, "[REDACTED:limit]");
		return 1;
	}
	if (!sc.n)
		return 0;
	qsort(sc.ranges, sc.n, sizeof(*sc.ranges), cmp_range);
	strbuf_init(&sb, STRBUF_NOLIMIT);
	at = 0;
	for (i = 0; i < sc.n; i++) {
		size_t end = sc.ranges[i].end, rule = sc.ranges[i].rule;

		if (end <= at)
			continue;
		if (sc.ranges[i].start > at)
			strbuf_add(&sb, *text + at, sc.ranges[i].start - at);
		while (i + 1 < sc.n && sc.ranges[i + 1].start < end) {
			if (sc.ranges[i + 1].end > end)
				end = sc.ranges[i + 1].end;
			i++;
		}
		strbuf_addf(&sb, "[REDACTED:%s]", r->rules[rule].label);
		at = end;
		count++;
	}
	strbuf_add(&sb, *text + at, *len - at);
	free(sc.ranges);
	free(*text);
	*text = strbuf_detach(&sb, len);
	return count;
}
