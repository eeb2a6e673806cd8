/*
 * rules.h: rules loaded from YAML rule files.
 *
 * Patterns live in YAML, not in C, so users can add or disable a rule without
 * a rebuild. The built-in rule files (extractors/rules/ *.yaml) are compiled
 * into the binary and installed beside it for reference; the config's
 * "rules:" list adds files, and "disable:" turns rules off by name. A rule
 * file looks like:
 *
 *   rules:
 *     - name: npm-missing-module        # unique; later files override
 *       group: error-line               # which list: error-line, preference,
 *                                       # redact, poison, ...
 *       field: output                   # what it reads: user, output, command
 *       pattern: 'Cannot find module'   # PCRE2
 *       literal: 'Cannot find'          # optional pre-filter (memmem)
 *       label: missing-module           # a name for what matched
 *       slot: package-manager           # optional
 *       params: {value: 1}              # optional extras, strings
 *
 * Loading (dreamd/rules.c) checks the YAML; compiling the patterns is the job
 * of whoever uses a group.
 */
#ifndef DREAMD_RULES_H
#define DREAMD_RULES_H

#include <stddef.h>
#include <stdint.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

struct rule_param {
	char *key;
	char *value;
};

struct rule {
	char *name;
	char *group;
	char *field;	/* may be NULL */
	char *pattern;
	char *literal;	/* may be NULL */
	char *label;	/* may be NULL */
	char *slot;	/* may be NULL */
	char *origin;	/* "file:line" the rule came from, for messages */
	struct rule_param *params;
	size_t nparams;
	int disabled;
};

struct rule_set {
	struct rule *rules;
	size_t n;
};

/*
 * The rule's pre-filter: 1 when it has no literal or its literal occurs in
 * text, so the pattern is worth running; 0 otherwise. Cheaper than memmem
 * for the short literals and texts rules see.
 */
int rule_literal_in(const struct rule *r, const char *text, size_t len);

/*
 * The same pre-filter prepared once per rule: which byte of the literal to
 * look for first is chosen when it is made, not for every text. lit is
 * borrowed and must outlive the filter; NULL or "" passes every text.
 */
struct literal_filter {
	const char *lit;
	size_t n;	/* strlen(lit) */
	size_t at;	/* the literal's rarest byte, searched for first */
};

void literal_filter_init(struct literal_filter *f, const char *lit);
int literal_filter_in(const struct literal_filter *f, const char *text, size_t len);

/*
 * Compiles r's pattern for UTF-8 text with the extra PCRE2 options given,
 * and JIT-compiles it when JIT is there. NULL when the pattern is bad, with
 * *cause malloc'd: "bad pattern in rule 'NAME': WHY at offset N 'ORIGIN'".
 * The caller frees the code with pcre2_code_free().
 */
pcre2_code *rule_compile(const struct rule *r, uint32_t options, char **cause);

/* The value of a rule's parameter, or NULL. */
const char *rule_param(const struct rule *r, const char *key);

#endif
