/*
 * test-rules.c: the rule pre-filter, made per call or prepared once, agrees
 * with memmem on every placement of a literal; lists of literals, either
 * case and the folds PCRE2 makes agree with a slow search, also where
 * they start; and rule_compile() names a bad rule.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/common/match.h"
#include "dreamd/common/rules.h"
#include "tests/unit/unit.h"

static const char *const literals[] = {
	"sk-", " failed", "rror", "error[E", "<tool_use_error>", "x", "AKIA",
	"Exit code", "zz", "\"password\"", NULL
};

/* ASCII case-insensitive, and under icase the Kelvin sign for k, long s for s. */
static size_t ref_len_at(const char *lit, int icase, const char *t, size_t len, size_t pos)
{
	size_t q = pos;

	for (; *lit; lit++) {
		int c = icase ? tolower((unsigned char)*lit) : *lit;

		if (q < len && (icase ? tolower((unsigned char)t[q]) : t[q]) == c)
			q++;
		else if (icase && c == 'k' && len - q >= 3 && !memcmp(t + q, "\xE2\x84\xAA", 3))
			q += 3;
		else if (icase && c == 's' && len - q >= 2 && !memcmp(t + q, "\xC5\xBF", 2))
			q += 2;
		else
			return 0;
	}
	return 1;
}

static size_t ref_next(const struct rule *r, const char *t, size_t len, size_t from)
{
	size_t p, i;

	for (p = from; p < len; p++)
		for (i = 0; i < r->nliterals; i++)
			if (ref_len_at(r->literals[i], r->literal_icase, t, len, p))
				return p;
	return len;
}

static int has_fold(const char *t, size_t len)
{
	return memmem(t, len, "\xE2\x84\xAA", 3) || memmem(t, len, "\xC5\xBF", 2);
}

static const char *const set_a[] = { "AKIA", "ASIA", "ABIA", "ACCA", "AROA", "AIDA", NULL };
static const char *const set_b[] = { "_key", "_secret", "token", "passw", "credential", "k", NULL };
static const char *const set_c[] = { "aab", "ab", "b_", "bearer", NULL };
static const char *const set_d[] = { "authorization", NULL };
static const char *const set_e[] = { "_live_", "_test_", "whsec_", "x", "\"password\"", NULL };

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

/* Random texts of the literals' bytes, either case, folds and noise. */
static size_t random_text(char *t, size_t max, const struct rule *r, unsigned *seed)
{
	size_t len = (size_t)rand_r(seed) % max, k = 0;

	while (k < len) {
		int what = rand_r(seed) % 16;

		if (what == 0 && k + 3 <= len) {
			memcpy(t + k, "\xE2\x84\xAA", 3);
			k += 3;
		} else if (what == 1 && k + 2 <= len) {
			memcpy(t + k, "\xC5\xBF", 2);
			k += 2;
		} else if (what == 2) {
			t[k++] = (char)(' ' + rand_r(seed) % 95);
		} else {
			const char *l = r->literals[(size_t)rand_r(seed) % r->nliterals];
			char c = l[(size_t)rand_r(seed) % strlen(l)];

			t[k++] = (char)(rand_r(seed) % 2 ? toupper((unsigned char)c) : c);
		}
	}
	t[len] = '\0';
	return len;
}

static void check_set(const char *const *lits, int icase, unsigned *seed, int *disagree)
{
	struct rule r = { 0 };
	struct literal_filter f;
	char text[96];
	int i;

	r.literals = (char **)lits;
	r.nliterals = count(lits);
	r.literal_icase = icase;
	literal_filter_init(&f, &r);
	for (i = 0; i < 4000; i++) {
		size_t len = random_text(text, sizeof(text) - 1, &r, seed), from;
		int in = literal_filter_in(&f, text, len), want = ref_next(&r, text, len, 0) < len;

		/* A fold anywhere may pass the filter: it never hides a literal. */
		if (in != want && !(in && icase && has_fold(text, len)))
			(*disagree)++;
		for (from = 0; from <= len; from++)
			if (literal_filter_next(&f, text, len, from) != ref_next(&r, text, len, from))
				(*disagree)++;
	}
}

static void check_sets(void)
{
	const char *const *sets[] = { set_a, set_b, set_c, set_d, set_e };
	const struct rule *both[2];
	struct rule r = { 0 }, r2 = { 0 };
	struct literal_filter f;
	unsigned seed = 11;
	int disagree = 0;
	size_t i;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		check_set(sets[i], 0, &seed, &disagree);
		check_set(sets[i], 1, &seed, &disagree);
	}
	CHECK(disagree == 0);

	r.literals = (char **)set_b;
	r.nliterals = count(set_b) - 1;	/* not "k" */
	r.literal_icase = 1;
	literal_filter_init(&f, &r);
	/* At the start, at the end, in either case, overlapping. */
	CHECK(literal_filter_in(&f, "TOKEN=1", 7));
	CHECK(literal_filter_in(&f, "my_Secret", 9));
	CHECK(literal_filter_in(&f, "tokTOKEN", 8));
	CHECK(literal_filter_next(&f, "tokTOKEN", 8, 0) == 3);
	CHECK(literal_filter_next(&f, "db_passwd", 9, 0) == 3);
	CHECK(literal_filter_next(&f, "x_KEY_key", 9, 2) == 5);
	CHECK(!literal_filter_in(&f, "tokn to ken _ke y", 17));
	CHECK(!literal_filter_in(&f, "toke", 4));	/* shorter than every literal */
	CHECK(literal_filter_next(&f, "toke", 4, 0) == 4);
	/* What (?i) matches for k and s in UTF mode. */
	CHECK(literal_filter_in(&f, "to\xE2\x84\xAA" "en", 7));
	CHECK(literal_filter_next(&f, "a_\xC5\xBF" "ecret", 9, 0) == 1);
	CHECK(literal_filter_next(&f, "a_\xC5\xBF" "ecrex", 9, 0) == 9);
	r.literal_icase = 0;
	literal_filter_init(&f, &r);
	CHECK(!literal_filter_in(&f, "TOKEN=1", 7));
	CHECK(!literal_filter_in(&f, "to\xE2\x84\xAA" "en", 7));
	CHECK(literal_filter_in(&f, "a token", 7));
	/* An empty list passes everything. */
	r.nliterals = 0;
	literal_filter_init(&f, &r);
	CHECK(literal_filter_in(&f, "", 0));
	CHECK(literal_filter_in(&f, "anything", 8));
	CHECK(literal_filter_next(&f, "anything", 8, 3) == 3);

	/* One pass for two rules: each its own bit. */
	r.literals = (char **)set_a;
	r.nliterals = count(set_a);
	r2.literals = (char **)set_d;
	r2.nliterals = 1;
	r2.literal_icase = 1;
	both[0] = &r;
	both[1] = &r2;
	literal_filter_init_set(&f, both, 2);
	CHECK(literal_filter_scan(&f, "x AROA y", 8) == 1);
	CHECK(literal_filter_scan(&f, "AUTHORIZATION: x", 16) == 2);
	CHECK(literal_filter_scan(&f, "AIDA Authorization", 18) == 3);
	CHECK(literal_filter_scan(&f, "aroa", 4) == 0);
	r.nliterals = 0;
	literal_filter_init_set(&f, both, 2);
	CHECK(literal_filter_scan(&f, "nothing", 7) == 1);

	/*
	 * Rules that share a literal (same bytes and case) share its place in
	 * the filter: found once, for each of them, where it starts.
	 */
	{
		static const char *const la[] = { "pass", "token", NULL }, *const lb[] = { "pass", NULL };
		struct rule ra = { 0 }, rb = { 0 }, rc = { 0 };
		const struct rule *three[3] = { &ra, &rb, &rc };
		struct literal_start st[8];
		size_t n;
		int complete;

		ra.literals = (char **)la;
		ra.nliterals = 2;
		ra.literal_icase = rb.literal_icase = 1;
		rb.literals = rc.literals = (char **)lb;
		rb.nliterals = rc.nliterals = 1;
		literal_filter_init_set(&f, three, 3);
		CHECK(literal_filter_scan(&f, "my PASS here", 12) == 3);
		CHECK(literal_filter_scan(&f, "a pass", 6) == 7);
		CHECK(literal_filter_scan(&f, "Token", 5) == 1);
		CHECK(literal_filter_scan_starts(&f, "x pass, TOKEN", 13, 7, st, 8, &n, &complete) == 7);
		CHECK(n == 2 && complete);
		CHECK(n == 2 && st[0].at == 2 && st[0].tags == 7 && st[1].at == 8 && st[1].tags == 1);
	}
}

/*
 * A matcher reads a text once for its first 64 rules' literals: each rule
 * still matches where it did, in order, including one with no literals
 * and ones whose literals found no room in the shared filter.
 */
static void check_matcher(void)
{
	static char names[6][8], lits[6][30][12], pats[6][16], *litp[6][30];
	struct rule rules[7];
	struct rule_set set = { rules, 7 };
	struct matcher m;
	pcre2_match_data *md;
	char *cause = NULL;
	size_t i, k, from;

	memset(rules, 0, sizeof(rules));
	for (i = 0; i < 6; i++) {
		snprintf(names[i], sizeof(names[i]), "r%zu", i);
		for (k = 0; k < 30; k++) {
			snprintf(lits[i][k], sizeof(lits[i][k]), "w%zu_%zuq", i, k);
			litp[i][k] = lits[i][k];
		}
		snprintf(pats[i], sizeof(pats[i]), "w%zu_\\d+q", i);
		rules[i].name = names[i];
		rules[i].group = (char *)"g";
		rules[i].pattern = pats[i];
		rules[i].literals = litp[i];
		rules[i].nliterals = 30;
	}
	rules[6].name = (char *)"any";
	rules[6].group = (char *)"g";
	rules[6].pattern = (char *)"zz+";
	CHECK(matcher_init(&m, &set, "g", &cause) == 0);
	CHECK(m.shared && m.own);	/* 180 literals: the last rules' have no room */
	md = matcher_data();
	for (i = 0; i < 6; i++) {
		char text[32];

		snprintf(text, sizeof(text), "a w%zu_29q b", i);
		CHECK(matcher_first(&m, FIELD_OUTPUT, text, strlen(text), md) == &rules[i]);
	}
	CHECK(matcher_first(&m, FIELD_OUTPUT, "w9_1q", 5, md) == NULL);
	CHECK(matcher_first(&m, FIELD_OUTPUT, "a zzz", 5, md) == &rules[6]);
	from = 0;
	CHECK(matcher_next(&m, &from, FIELD_OUTPUT, "w1_3q w5_0q zz", 14, md) == 1);
	CHECK(matcher_next(&m, &from, FIELD_OUTPUT, "w1_3q w5_0q zz", 14, md) == 5);
	CHECK(matcher_next(&m, &from, FIELD_OUTPUT, "w1_3q w5_0q zz", 14, md) == 6);
	CHECK(matcher_next(&m, &from, FIELD_OUTPUT, "w1_3q w5_0q zz", 14, md) == -1);
	matcher_release(&m);

	/* Rewriting: a rule's literal made by an earlier rule's replacement is seen. */
	{
		static char *la[] = { (char *)"aaa" }, *lb[] = { (char *)"bbb" };
		static struct rule_param pa = { (char *)"replace", (char *)"bbb" },
					 pb = { (char *)"replace", (char *)"ccc" };
		char *out;

		memset(rules, 0, 2 * sizeof(*rules));
		rules[0].name = (char *)"a";
		rules[1].name = (char *)"b";
		rules[0].group = rules[1].group = (char *)"n";
		rules[0].pattern = (char *)"aaa";
		rules[1].pattern = (char *)"bbb";
		rules[0].literals = la;
		rules[1].literals = lb;
		rules[0].nliterals = rules[1].nliterals = 1;
		rules[0].params = &pa;
		rules[1].params = &pb;
		rules[0].nparams = rules[1].nparams = 1;
		set.n = 2;
		CHECK(matcher_init(&m, &set, "n", &cause) == 0);
		out = matcher_rewrite(&m, FIELD_OUTPUT, "x aaa y", 7, md);
		CHECK(out && !strcmp(out, "x ccc y"));
		free(out);
		matcher_release(&m);
	}
	pcre2_match_data_free(md);
}

int main(void)
{
	const char *const *lit;
	char text[64], *cause = NULL;
	unsigned seed = 7;
	int i, disagree = 0;
	struct rule r = { 0 };
	struct literal_filter f;
	pcre2_code *re;

	for (lit = literals; *lit; lit++) {
		size_t n = strlen(*lit);

		r.literals = (char **)lit;
		r.nliterals = 1;
		literal_filter_init(&f, &r);
		/* Every placement, and text made of the literal's own bytes. */
		for (i = 0; i < 20000; i++) {
			size_t len = (size_t)(rand_r(&seed) % (sizeof(text) - 1)), k;

			for (k = 0; k < len; k++)
				text[k] = (*lit)[rand_r(&seed) % n];
			if (len >= n && rand_r(&seed) % 3 == 0) {
				size_t at = (size_t)rand_r(&seed) % (len - n + 1);

				memcpy(text + at, *lit, n);
			}
			text[len] = '\0';
			if (literal_filter_in(&f, text, len) != (memmem(text, len, *lit, n) != NULL))
				disagree++;
		}
		/* At the very start and the very end. */
		CHECK(literal_filter_in(&f, *lit, n));
		snprintf(text, sizeof(text), "....%s", *lit);
		CHECK(literal_filter_in(&f, text, strlen(text)));
		CHECK(!literal_filter_in(&f, text, strlen(text) - 1));
	}
	CHECK(disagree == 0);
	r.literals = NULL;
	r.nliterals = 0;
	literal_filter_init(&f, &r);
	CHECK(literal_filter_in(&f, "", 0));
	literal_filter_init(&f, NULL);
	CHECK(literal_filter_in(&f, "", 0));
	check_sets();
	check_matcher();

	r.name = (char *)"broken";
	r.pattern = (char *)"(unclosed";
	r.origin = (char *)"x.yaml:3";
	re = rule_compile(&r, 0, &cause);
	CHECK(re == NULL);
	CHECK_STR(cause, "bad pattern in rule 'broken': missing closing parenthesis at offset 9 'x.yaml:3'");
	free(cause);
	r.pattern = (char *)"caf\xc3\xa9";
	re = rule_compile(&r, 0, &cause);
	CHECK(re != NULL);
	pcre2_code_free(re);
	return unit_done();
}
