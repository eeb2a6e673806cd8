/*
 * poison.c: the poison rules, compiled once and matched against a
 * memory's texts; see poison.h.
 */
#include "dreamd/poison.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/config.h"
#include "dreamd/util.h"

struct poison {
	pcre2_code **re;
	const struct rule **rule;
	size_t n;
};

int poison_load(const struct config *cfg, struct poison **out)
{
	struct rule_set rs = config_rule_group(cfg, "poison");
	struct poison *p = xcalloc(1, sizeof(*p));
	size_t i;

	p->re = xcalloc(rs.n + 1, sizeof(*p->re));
	p->rule = xcalloc(rs.n + 1, sizeof(*p->rule));
	*out = p;
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
		p->re[p->n] = re;
		p->rule[p->n++] = r;
	}
	return 0;
}

void poison_free(struct poison *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		pcre2_code_free(p->re[i]);
	free(p->re);
	free(p->rule);
	free(p);
}

static int negated_before(const char *text, size_t at)
{
	static const char *const neg[] = { "never ", "don't ", "do not ", "avoid ",
		"not ", "no ", "without ", "stop ", NULL };
	size_t from = at > 40 ? at - 40 : 0;
	char window[48];
	const char *const *n;
	size_t i;

	for (i = 0; from + i < at && i < sizeof(window) - 1; i++)
		window[i] = (char)(text[from + i] >= 'A' && text[from + i] <= 'Z' ?
				   text[from + i] | 0x20 : text[from + i]);
	window[i] = '\0';
	for (n = neg; *n; n++)
		if (strstr(window, *n))
			return 1;
	return 0;
}

/* The label of the first rule the text matches, or NULL. */
static const char *judge_one(struct poison *p, const char *text)
{
	pcre2_match_data *md;
	const char *hit = NULL;
	size_t i;

	if (!p->n)
		return NULL;
	md = pcre2_match_data_create(4, NULL);
	for (i = 0; i < p->n && !hit; i++) {
		PCRE2_SIZE start = 0, len = strlen(text);
		int rc;

		while (start <= len &&
		       (rc = pcre2_match(p->re[i], (PCRE2_SPTR)text, len, start, 0, md,
					 NULL)) > 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

			if (!negated_before(text, ov[0])) {
				hit = p->rule[i]->label ? p->rule[i]->label : p->rule[i]->name;
				break;
			}
			start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
	}
	pcre2_match_data_free(md);
	return hit;
}

const char *poison_judge(struct poison *p, const char *const *texts, size_t n)
{
	const char *hit = NULL;
	size_t i;

	for (i = 0; i < n && !hit; i++)
		if (texts[i])
			hit = judge_one(p, texts[i]);
	return hit;
}
