/*
 * match.h: one group of rules compiled with PCRE2, for every stage.
 *
 * Each rule is its own JIT-compiled pattern (not one alternation), so the
 * first rule in file order that matches wins and a rule's literal can skip
 * the regex entirely (memmem pre-filter). Rules are routed by field: a rule
 * for "output" never sees what the user wrote. Patterns are compiled with
 * PCRE2_UTF | PCRE2_MULTILINE and matched with PCRE2_NO_UTF_CHECK: the caller
 * checks each text once with utf8_valid() (dreamd/common/utf8.h) before matching.
 *
 * A matcher is read-only once made, so threads can share it; each thread
 * (each feed() call) makes its own match data with matcher_data().
 */
#ifndef DREAMD_MATCH_H
#define DREAMD_MATCH_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "dreamd/common/rules.h"

enum match_field {
	FIELD_USER = 1,		/* text the user typed */
	FIELD_OUTPUT = 2,	/* a tool's output */
	FIELD_COMMAND = 4,	/* a shell command line */
	FIELD_TOOL = 8,		/* a tool's name */
	FIELD_INPUT = 16,	/* a non-shell tool's input (JSON) */
};

struct matcher_rule {
	const struct rule *rule;	/* borrowed from the rule set */
	pcre2_code *code;
	unsigned fields;		/* enum match_field bits */
	struct literal_filter *filter;	/* over rule's literals; NULL: the shared one decides */
};

struct matcher {
	struct matcher_rule *r;
	size_t n;
	struct literal_filter *shared;	/* the first 64 rules' filters in one pass */
	uint64_t own;	/* of those, the rules whose literals did not fit it */
};

/*
 * Compiles the enabled rules of group (in their order) from rules. Returns
 * -1 with a malloc'd *cause naming the rule's origin when a pattern or
 * field is bad. An empty group is fine.
 */
int matcher_init(struct matcher *m, const struct rule_set *rules,
		 const char *group, char **cause);
void matcher_release(struct matcher *m);

/* Match data big enough for every rule; the caller frees it. NULL: no memory. */
pcre2_match_data *matcher_data(void);

/*
 * Tries the rules for field from index *from on, in order; returns the
 * index of the first that matches text[0..len) (its ovector in md) and sets
 * *from past it, or -1.
 */
long matcher_next(const struct matcher *m, size_t *from, unsigned field,
		  const char *text, size_t len, pcre2_match_data *md);

/* The first rule that matches, or NULL; the match is in md. */
const struct rule *matcher_first(const struct matcher *m, unsigned field,
				 const char *text, size_t len, pcre2_match_data *md);

/*
 * Rewrites s with every rule for field in turn, each replacing all its
 * matches with the rule's "replace" parameter ($1 refers to a group).
 * Returns a malloc'd string, or NULL when out of memory.
 */
char *matcher_rewrite(const struct matcher *m, unsigned field,
		      const char *s, size_t len, pcre2_match_data *md);

/* A named group's text in md, or len 0: *start points into subject. */
int matcher_group(const struct matcher *m, long rule, pcre2_match_data *md,
		  const char *name, const char *subject, const char **start,
		  size_t *len);

#endif
