/*
 * match.c: rule groups compiled with PCRE2 JIT.
 */
#include "dreamd/common/match.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/common/strbuf.h"
#include "dreamd/common/utf8.h"

#define MATCH_OVECTOR 32

static int parse_fields(const char *field, unsigned *out)
{
	static const struct { const char *name; unsigned bit; } names[] = {
		{ "user", FIELD_USER }, { "output", FIELD_OUTPUT },
		{ "command", FIELD_COMMAND }, { "tool", FIELD_TOOL },
		{ "input", FIELD_INPUT },
	};
	const char *p = field;
	size_t i;

	if (!field) {
		*out = ~0u;
		return 0;
	}
	*out = 0;
	while (*p) {
		size_t n = strcspn(p, ", ");
		int found = 0;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (n == strlen(names[i].name) && !strncmp(p, names[i].name, n)) {
				*out |= names[i].bit;
				found = 1;
			}
		if (n && !found)
			return -1;
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

/*
 * One filter for the first 64 rules, as the redactor has: a text is read
 * once to know which of them can match, not once per rule. A rule whose
 * literals found no room in it passes it, and its own filter decides; the
 * others' own filters go (12 KB each, in every worker's every rule set).
 */
static void share_filters(struct matcher *m)
{
	const struct rule *rules[64];
	size_t i, n = m->n < 64 ? m->n : 64;

	if (n < 2)
		return;
	m->shared = malloc(sizeof(*m->shared));
	if (!m->shared)
		return;	/* each rule's own filter serves */
	for (i = 0; i < n; i++)
		rules[i] = m->r[i].rule;
	literal_filter_init_set(m->shared, rules, n);
	for (i = 0; i < n; i++) {
		if ((m->shared->always >> i & 1) && !m->r[i].filter->always) {
			m->own |= (uint64_t)1 << i;
			continue;
		}
		free(m->r[i].filter);
		m->r[i].filter = NULL;
	}
}

/*
 * Whether rule i's literals may be in text: in holds the shared filter's
 * bits for text, scanned when *scanned is 0.
 */
static int may_match(const struct matcher *m, size_t i, const char *text, size_t len,
		     uint64_t *in, int *scanned)
{
	const struct literal_filter *f = m->r[i].filter;

	if (m->shared && i < 64) {
		if (!*scanned) {
			*in = literal_filter_scan(m->shared, text, len);
			*scanned = 1;
		}
		if (!(*in >> i & 1))
			return 0;
	}
	return !f || literal_filter_in(f, text, len);
}

int matcher_init(struct matcher *m, const struct rule_set *rules,
		 const char *group, char **cause)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->r = calloc(rules->n ? rules->n : 1, sizeof(*m->r));
	if (!m->r) {
		*cause = xstrfmt("out of memory");
		return -1;
	}
	for (i = 0; i < rules->n; i++) {
		const struct rule *r = &rules->rules[i];
		struct matcher_rule *mr = &m->r[m->n];

		if (strcmp(r->group, group) || r->disabled)
			continue;
		if (parse_fields(r->field, &mr->fields) < 0) {
			*cause = xstrfmt("unknown field '%s' in rule '%s' '%s'",
					 r->field, r->name, r->origin ? r->origin : "");
			goto fail;
		}
		mr->code = rule_compile(r, PCRE2_MULTILINE, cause);
		if (!mr->code)
			goto fail;
		mr->rule = r;
		mr->filter = malloc(sizeof(*mr->filter));
		if (!mr->filter) {
			pcre2_code_free(mr->code);
			*cause = xstrfmt("out of memory");
			goto fail;
		}
		literal_filter_init(mr->filter, r);
		m->n++;
	}
	share_filters(m);
	return 0;
fail:
	matcher_release(m);
	return -1;
}

void matcher_release(struct matcher *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		pcre2_code_free(m->r[i].code);
		free(m->r[i].filter);
	}
	free(m->r);
	free(m->shared);
	memset(m, 0, sizeof(*m));
}

pcre2_match_data *matcher_data(void)
{
	return pcre2_match_data_create(MATCH_OVECTOR, NULL);
}

/* Rule i on text; in and scanned: see may_match(). */
static int try_rule(const struct matcher *m, size_t i, uint64_t *in, int *scanned,
		    const char *text, size_t len, pcre2_match_data *md)
{
	if (!may_match(m, i, text, len, in, scanned))
		return 0;
	return pcre2_match(m->r[i].code, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK,
			   md, NULL) > 0;
}

long matcher_next(const struct matcher *m, size_t *from, unsigned field,
		  const char *text, size_t len, pcre2_match_data *md)
{
	uint64_t in = 0;
	int scanned = 0;
	size_t i;

	for (i = *from; i < m->n; i++) {
		if (!(m->r[i].fields & field))
			continue;
		if (try_rule(m, i, &in, &scanned, text, len, md)) {
			*from = i + 1;
			return (long)i;
		}
	}
	*from = m->n;
	return -1;
}

const struct rule *matcher_first(const struct matcher *m, unsigned field,
				 const char *text, size_t len, pcre2_match_data *md)
{
	size_t from = 0;
	long i = matcher_next(m, &from, field, text, len, md);

	return i < 0 ? NULL : m->r[i].rule;
}

char *matcher_rewrite(const struct matcher *m, unsigned field,
		      const char *s, size_t len, pcre2_match_data *md)
{
	char *cur = malloc(len + 1);
	size_t curlen = len, i;
	uint64_t in = 0;
	int scanned = 0;

	if (!cur)
		return NULL;
	memcpy(cur, s, len);
	cur[len] = '\0';
	for (i = 0; i < m->n; i++) {
		const struct matcher_rule *mr = &m->r[i];
		const char *repl = rule_param(mr->rule, "replace");
		PCRE2_SIZE outlen;
		char *out;
		int rc;

		if (!(mr->fields & field))
			continue;
		if (!repl)
			repl = "";
		if (!may_match(m, i, cur, curlen, &in, &scanned))
			continue;
		outlen = curlen * 2 + strlen(repl) * 8 + 64;
		out = malloc(outlen);
		if (!out)
			goto oom;
		rc = pcre2_substitute(mr->code, (PCRE2_SPTR)cur, curlen, 0,
				      PCRE2_SUBSTITUTE_GLOBAL | PCRE2_NO_UTF_CHECK |
				      PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
				      md, NULL, (PCRE2_SPTR)repl, PCRE2_ZERO_TERMINATED,
				      (PCRE2_UCHAR *)out, &outlen);
		if (rc == PCRE2_ERROR_NOMEMORY) {
			char *bigger = realloc(out, outlen);

			if (!bigger) {
				free(out);
				goto oom;
			}
			out = bigger;
			rc = pcre2_substitute(mr->code, (PCRE2_SPTR)cur, curlen, 0,
					      PCRE2_SUBSTITUTE_GLOBAL | PCRE2_NO_UTF_CHECK,
					      md, NULL, (PCRE2_SPTR)repl,
					      PCRE2_ZERO_TERMINATED,
					      (PCRE2_UCHAR *)out, &outlen);
		}
		if (rc <= 0) {
			free(out);
			continue;
		}
		free(cur);
		cur = out;
		curlen = outlen;
		scanned = 0;	/* the next rules' literals are looked for in the new text */
	}
	return cur;
oom:
	free(cur);
	return NULL;
}

int matcher_group(const struct matcher *m, long rule, pcre2_match_data *md,
		  const char *name, const char *subject, const char **start,
		  size_t *len)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	int n;

	*start = subject;
	*len = 0;
	if (rule < 0 || (size_t)rule >= m->n)
		return -1;
	n = pcre2_substring_number_from_name(m->r[rule].code, (PCRE2_SPTR)name);
	if (n < 0 || (uint32_t)n >= pcre2_get_ovector_count(md))
		return -1;
	if (ov[2 * n] == PCRE2_UNSET)
		return -1;
	*start = subject + ov[2 * n];
	*len = ov[2 * n + 1] - ov[2 * n];
	return 0;
}
