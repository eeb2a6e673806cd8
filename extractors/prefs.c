/*
 * prefs.c: preference statements in what the user typed.
 */
#include "extractors/prefs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "extractors/similarity.h"
#include "dreamd/common/strbuf.h"
#include "dreamd/common/utf8.h"

#define SENTENCE_MAX 300
#define GIST_WORDS 8

int prefrules_init(struct prefrules *p, const struct rule_set *rules, char **cause)
{
	memset(p, 0, sizeof(*p));
	if (matcher_init(&p->pref, rules, "preference", cause) < 0)
		return -1;
	if (matcher_init(&p->slot, rules, "preference-slot", cause) < 0) {
		matcher_release(&p->pref);
		return -1;
	}
	if (matcher_init(&p->task, rules, "one-task", cause) < 0) {
		matcher_release(&p->pref);
		matcher_release(&p->slot);
		return -1;
	}
	return 0;
}

void prefrules_release(struct prefrules *p)
{
	matcher_release(&p->pref);
	matcher_release(&p->slot);
	matcher_release(&p->task);
}

void pref_release(struct pref *p)
{
	free(p->slot);
	free(p->value);
	free(p->gist);
	memset(p, 0, sizeof(*p));
}

static char *lower_dup(const char *s, size_t len)
{
	char *d = strndup(s, len);
	size_t i;

	for (i = 0; d && d[i]; i++)
		d[i] = (char)tolower((unsigned char)d[i]);
	return d;
}

/* Finds the slot of s[0..len); sets p->slot and the raw value. */
static int find_slot(const struct prefrules *pr, const char *s, size_t len,
		     pcre2_match_data *md, struct pref *p, char **value)
{
	size_t from = 0;
	long r = matcher_next(&pr->slot, &from, FIELD_USER, s, len, md);
	const struct rule *rule;
	const char *v;
	size_t vlen;

	if (r < 0)
		return 0;
	rule = pr->slot.r[r].rule;
	if (!rule->slot)
		return 0;
	p->slot = strdup(rule->slot);
	if (rule_param(rule, "value"))
		*value = strdup(rule_param(rule, "value"));
	else if (matcher_group(&pr->slot, r, md, "value", s, &v, &vlen) == 0)
		*value = lower_dup(v, vlen);
	else
		*value = lower_dup(s + pcre2_get_ovector_pointer(md)[0],
				   pcre2_get_ovector_pointer(md)[1] - pcre2_get_ovector_pointer(md)[0]);
	return p->slot && *value ? 1 : -1;
}

int pref_read(const struct prefrules *pr, const char *s, size_t len,
	      pcre2_match_data *md, struct pref *p)
{
	const struct rule *rule;
	const char *v, *what;
	size_t vlen, wlen, from = 0;
	char *value = NULL, *tokens;
	long r;
	int found = 0;

	memset(p, 0, sizeof(*p));
	if (matcher_first(&pr->task, FIELD_USER, s, len, md))
		return 0;
	r = matcher_next(&pr->pref, &from, FIELD_USER, s, len, md);
	if (r < 0)
		return 0;
	rule = pr->pref.r[r].rule;
	p->label = rule->label ? rule->label : rule->name;
	p->negative = rule_param(rule, "polarity") &&
		!strcmp(rule_param(rule, "polarity"), "negative");
	if (matcher_group(&pr->pref, r, md, "what", s, &what, &wlen) < 0) {
		what = s;
		wlen = len;
	}
	if (matcher_group(&pr->pref, r, md, "value", s, &v, &vlen) == 0) {
		found = find_slot(pr, v, vlen, md, p, &value);
		if (found == 0) {
			free(p->slot);
			p->slot = NULL;
			value = lower_dup(v, vlen);
		}
	}
	if (found == 0 && !value)
		found = find_slot(pr, what, wlen, md, p, &value);
	if (found < 0)
		goto oom;
	if (!p->slot && rule_param(rule, "require_slot")) {
		free(value);
		pref_release(p);
		return 0;
	}
	if (p->slot) {
		p->value = p->negative ? xstrfmt("not %s", value) : strdup(value);
		p->gist = p->value ? xstrfmt("%s=%s", p->slot, p->value) : NULL;
	} else {
		tokens = value ? token_key(value, strlen(value), GIST_WORDS)
			       : token_key(what, wlen, GIST_WORDS);
		if (!tokens)
			goto oom;
		if (!*tokens) {
			free(tokens);
			free(value);
			pref_release(p);
			return 0;
		}
		p->value = value ? strdup(value) : NULL;
		p->gist = xstrfmt("%s: %s", p->negative ? "dont" : "do", tokens);
		free(tokens);
	}
	free(value);
	if (!p->gist)
		goto oom_value_freed;
	return 1;
oom:
	free(value);
oom_value_freed:
	pref_release(p);
	return -1;
}

static int skip_line(const char *s, size_t len)
{
	if (len && (s[0] == '>' || s[0] == '\t' || s[0] == '|' || s[0] == '$'))
		return 1;
	return len >= 4 && !strncmp(s, "    ", 4);
}

int for_each_sentence(const char *text, size_t len,
		      int (*fn)(const char *s, size_t len, void *data), void *data)
{
	const char *p = text, *end = text + len;
	int fenced = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *le = nl ? nl : end;
		const char *s = p;

		p = nl ? nl + 1 : end;
		if (le - s >= 3 && !strncmp(s, "```", 3)) {
			fenced = !fenced;
			continue;
		}
		if (fenced || skip_line(s, le - s))
			continue;
		while (s < le) {
			const char *e = s, *next;
			size_t n;
			int rc;

			while (e < le && !((*e == '.' || *e == '!' || *e == '?' || *e == ';') &&
					   (e + 1 == le || e[1] == ' ')))
				e++;
			next = e < le ? e + 1 : le;
			while (s < e && isspace((unsigned char)*s))
				s++;
			n = e - s;
			if (n && n <= SENTENCE_MAX && !(e < le && *e == '?')) {
				rc = fn(s, n, data);
				if (rc)
					return rc;
			}
			s = next;
		}
	}
	return 0;
}
