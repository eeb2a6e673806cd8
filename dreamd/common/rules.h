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
 *       literal: 'Cannot find'          # optional pre-filter: one string
 *                                       # or a list; every match contains
 *                                       # one of them
 *       literal_icase: true             # optional: literals match ASCII
 *                                       # letters of either case
 *       literal_starts: true            # optional: every match starts
 *                                       # where a literal starts
 *       label: missing-module           # a name for what matched
 *       slot: package-manager           # optional
 *       params: {value: 1}              # optional extras, strings
 *
 * Loading (dreamd/config.c) checks the YAML; compiling the patterns is the job
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
	char *literal;	/* may be NULL: the literals joined by newlines */
	char **literals;	/* nliterals of them; none: no pre-filter */
	size_t nliterals;
	int literal_icase;	/* literals match ASCII letters of either case */
	int literal_starts;	/* a match can only start where a literal does */
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

/* The most literals one rule may list. */
#define LITERAL_MAX 32

/*
 * A rule's pre-filter: a text can match the rule's pattern only if one of
 * its literals occurs in it, so the pattern is worth running only then.
 *
 * With literal_icase the literals match ASCII letters of either case; as
 * PCRE2's (?i) in UTF mode also matches the Kelvin sign to k and the long s
 * to s, a text holding either passes a filter whose literals have k or s.
 * A rule whose icase literals are not ASCII passes every text.
 *
 * Prepared once: each literal is looked for by its rarest pair of bytes (at
 * at); when the literals have few first bytes of such pairs, each is found
 * with memchr, else one pass over the text looks every pair up in a bitmap. One filter may
 * serve up to 64 rules at once (literal_filter_init_set), each a bit.
 */
#define LITERAL_SLOTS 128
#define LITERAL_MEMCHR 6

struct literal_filter {
	const char *lit[LITERAL_SLOTS];	/* borrowed from the rules */
	uint64_t tags[LITERAL_SLOTS];	/* the rules whose literal it is */
	uint16_t len[LITERAL_SLOTS];
	uint16_t at[LITERAL_SLOTS];	/* the byte looked for first */
	uint32_t head4[LITERAL_SLOTS], mask4[LITERAL_SLOTS];	/* its first 4 bytes, folded */
	unsigned char icase[LITERAL_SLOTS];
	unsigned char next[LITERAL_SLOTS];	/* 1 + the next slot with the same byte at at */
	unsigned char next0[LITERAL_SLOTS];	/* 1 + the next slot with the same first byte */
	unsigned char head[256];	/* 1 + the first slot with this byte at at, or 0 */
	unsigned char head0[256];	/* 1 + the first slot starting with this byte, or 0 */
	uint64_t pairs[1024];	/* bit a | b << 8: bytes a, b may start at at */
	unsigned char bytes[LITERAL_MEMCHR];	/* the bytes at at, when memchr is cheaper */
	size_t n, nbytes;	/* slots used; nbytes 0: scan with head[] */
	size_t minlen, maxat;
	uint64_t always;	/* rules that pass every text: no literal, or too many */
	uint64_t all;
};

/*
 * Prepares r's pre-filter (NULL: every text passes); the literals are
 * borrowed and must outlive f.
 */
void literal_filter_init(struct literal_filter *f, const struct rule *r);
/* One filter for rules[0..n), n <= 64; rule i is bit i. */
void literal_filter_init_set(struct literal_filter *f, const struct rule *const *rules, size_t n);
/* The rules (bits) whose filter text passes, in one look at the text. */
uint64_t literal_filter_scan(const struct literal_filter *f, const char *text, size_t len);
/*
 * literal_filter_scan() that also finds where the literals of the rules in
 * want start: starts[0..*n), in order, each place once, with the rules
 * whose literal starts there. *complete is 0 when that list may miss some,
 * as more than max were found or a folded k or s was: literal_filter_next()
 * is the way then.
 */
struct literal_start {
	size_t at;
	uint64_t tags;
};

uint64_t literal_filter_scan_starts(const struct literal_filter *f, const char *text, size_t len,
				    uint64_t want, struct literal_start *starts, size_t max,
				    size_t *n, int *complete);
/* 1 when text passes any of f's rules, 0 otherwise. */
int literal_filter_in(const struct literal_filter *f, const char *text, size_t len);
/*
 * Where the first literal at or after from starts, or len when none does;
 * with literal_icase a k or s of the literal may be spelled with the Kelvin
 * sign or the long s there, as PCRE2 would match it. A filter with a rule
 * that passes every text gives from.
 */
size_t literal_filter_next(const struct literal_filter *f, const char *text, size_t len,
			   size_t from);


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
