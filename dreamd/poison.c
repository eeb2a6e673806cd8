/*
 * poison.c: the poison rules, compiled once, and the judging of a memory's
 * texts: folding, clauses and negation, views of commands; see poison.h.
 */
#include "dreamd/poison.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dreamd/config.h"
#include "dreamd/unicode.h"
#include "dreamd/util.h"

#define MATCH_SHOWN 120
#define MATCH_LIMIT 1000000

struct group {
	pcre2_code **re;
	const struct rule **rule;
	size_t n;
};

struct poison {
	struct group prose, command;
	pcre2_match_context *mc;
};

static int load_group(const struct config *cfg, const char *name, struct group *g)
{
	struct rule_set rs = config_rule_group(cfg, name);
	size_t i;

	g->re = xcalloc(rs.n + 1, sizeof(*g->re));
	g->rule = xcalloc(rs.n + 1, sizeof(*g->rule));
	for (i = 0; i < rs.n; i++) {
		const struct rule *r = &rs.rules[i];
		char *cause = NULL;
		pcre2_code *re;

		if (r->disabled)
			continue;
		re = rule_compile(r, 0, &cause);
		if (!re) {
			error("%s", cause ? cause : "out of memory");
			free(cause);
			return -1;
		}
		g->re[g->n] = re;
		g->rule[g->n++] = r;
	}
	return 0;
}

int poison_load(const struct config *cfg, struct poison **out)
{
	struct poison *p = xcalloc(1, sizeof(*p));

	*out = p;
	p->mc = pcre2_match_context_create(NULL);
	if (!p->mc)
		die(EX_UNAVAILABLE, "out of memory");
	pcre2_set_match_limit(p->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(p->mc, MATCH_LIMIT / 10);
	if (load_group(cfg, "poison", &p->prose) < 0 ||
	    load_group(cfg, "poison-command", &p->command) < 0)
		return -1;
	return 0;
}

static void free_group(struct group *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		pcre2_code_free(g->re[i]);
	free(g->re);
	free(g->rule);
}

void poison_free(struct poison *p)
{
	if (!p)
		return;
	free_group(&p->prose);
	free_group(&p->command);
	pcre2_match_context_free(p->mc);
	free(p);
}

/* Which rules of a group apply to a text of kind, seen whole or in part. */
enum pass { PASS_PART, PASS_WHOLE };

static int applies(const struct rule *r, enum poison_kind kind, enum pass pass)
{
	const char *scope = rule_param(r, "scope");
	int whole = scope && !strcmp(scope, "whole");

	if (r->field && !strcmp(r->field, "output") && kind != POISON_OUTPUT)
		return 0;
	return pass == PASS_WHOLE ? whole : !whole;
}

/* 1 when a rule of g matches text; fills hit. */
static int match_group(struct poison *p, const struct group *g, const char *text,
		       enum poison_kind kind, enum pass pass, struct poison_hit *hit)
{
	size_t i, len = strlen(text);

	for (i = 0; i < g->n; i++) {
		pcre2_match_data *md;
		int rc;

		if (!applies(g->rule[i], kind, pass))
			continue;
		md = pcre2_match_data_create_from_pattern(g->re[i], NULL);
		if (!md)
			die(EX_UNAVAILABLE, "out of memory");
		/* Any rc but "no match" is a hit: a text too hard to judge fails closed. */
		rc = pcre2_match(g->re[i], (PCRE2_SPTR)text, len, 0, 0, md, p->mc);
		if (rc != PCRE2_ERROR_NOMATCH) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			size_t from = rc >= 0 ? ov[0] : 0, to = rc >= 0 ? ov[1] : len;

			if (to - from > MATCH_SHOWN)
				to = from + MATCH_SHOWN;
			hit->rule = g->rule[i]->name;
			hit->label = g->rule[i]->label ? g->rule[i]->label : g->rule[i]->name;
			hit->match = xstrndup(text + from, to - from);
			pcre2_match_data_free(md);
			return 1;
		}
		pcre2_match_data_free(md);
	}
	return 0;
}

/* Each view of a text's command lines, through the command rules. */
static int judge_views(struct poison *p, const char *part, enum poison_kind kind,
		       struct poison_hit *hit)
{
	char **views;
	size_t i, n;
	int found;

	views = poison_views(part, &n);
	found = 0;
	for (i = 0; i < n; i++) {
		if (!found)
			found = match_group(p, &p->command, views[i], kind, PASS_PART, hit);
		free(views[i]);
	}
	free(views);
	return found;
}

static int word_char(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '\'';
}

/* The length of the negation word at s[i], or 0. */
static size_t negation_at(const char *s, size_t i)
{
	static const char *const neg[] = {
		"never", "not", "no", "don't", "dont", "do not", "avoid", "without",
		"stop", "nor", "neither", "cannot", "instead of", "rather than",
		"refuse to", NULL
	};
	const char *const *n;
	size_t len;

	if (i && word_char((unsigned char)s[i - 1]))
		return 0;
	for (n = neg; *n; n++) {
		len = strlen(*n);
		if (!strncasecmp(s + i, *n, len) && !word_char((unsigned char)s[i + len]))
			return len;
	}
	/* can't, won't, shouldn't, isn't ... */
	for (len = 0; word_char((unsigned char)s[i + len]); len++)
		;
	if (len > 3 && !strncasecmp(s + i + len - 3, "n't", 3))
		return len;
	return 0;
}

/* The length of the clause boundary at s[i], or 0. */
static size_t boundary_at(const char *s, size_t i)
{
	static const char *const words[] = {
		" but ", " then ", " otherwise ", " unless ", " instead ", " however ",
		NULL
	};
	const char *const *w;

	if (s[i] == '\n')
		return 1;
	if (strchr(".!?;:,", s[i]) && s[i] && (s[i + 1] == ' ' || s[i + 1] == '\n' || !s[i + 1]))
		return 1;
	for (w = words; *w; w++)
		if (!strncasecmp(s + i, *w, strlen(*w)))
			return strlen(*w) - 1;
	return 0;
}

/*
 * Prose: each clause up to its first negation word (outside `code`) goes
 * through the phrase rules and, with views, the command rules; what a
 * negation governs does not.
 */
static int judge_prose(struct poison *p, const char *s, enum poison_kind kind,
		       int views, struct poison_hit *hit)
{
	size_t i = 0, start = 0, len = strlen(s);
	int code = 0, negated = 0, found = 0;

	while (!found) {
		size_t b = 0, neg = 0;
		int end = i >= len;

		if (!end && s[i] == '`')
			code = !code;
		if (!end && !code) {
			b = boundary_at(s, i);
			neg = b ? 0 : negation_at(s, i);
		}
		if ((end || b || neg) && !negated && i > start) {
			char *part = xstrndup(s + start, i - start);

			found = match_group(p, &p->prose, part, kind, PASS_PART, hit) ||
				(views && judge_views(p, part, kind, hit));
			free(part);
		}
		if (end)
			break;
		if (b) {
			i += b;
			start = i;
			negated = 0;
		} else if (neg) {
			negated = 1;
			i += neg;
		} else {
			i++;
		}
	}
	return found;
}

int poison_judge(struct poison *p, const struct poison_text *texts, size_t n,
		 struct poison_hit *hit)
{
	size_t i;

	memset(hit, 0, sizeof(*hit));
	for (i = 0; i < n; i++) {
		char *f;
		int found;

		if (!texts[i].text)
			continue;
		f = text_fold(texts[i].text, 1);
		/* A command is judged as it runs, its words (a message) as prose. */
		if (texts[i].kind == POISON_COMMAND)
			found = judge_views(p, f, texts[i].kind, hit) ||
				judge_prose(p, f, texts[i].kind, 0, hit);
		else
			found = match_group(p, &p->prose, f, texts[i].kind, PASS_WHOLE, hit) ||
				judge_prose(p, f, texts[i].kind, 1, hit);
		free(f);
		if (found)
			return 1;
	}
	return 0;
}
