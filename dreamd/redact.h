/*
 * redact.h: secrets out, before anything persists.
 *
 * The redactor compiles the "redact" group of the rules (dreamd/rules/
 * redact.yaml plus the user's) with PCRE2 JIT, each with match and depth
 * limits. redact() replaces every match in a text with [REDACTED:label]; when
 * a rule hits a limit, or the text's redaction its work bound, the whole
 * text becomes [REDACTED:limit] (fail closed).
 * Allow-markers inside transcripts are not honoured.
 */
#ifndef DREAMD_REDACT_H
#define DREAMD_REDACT_H

#include <stddef.h>

#include "dreamd/common/rules.h"

struct redactor;

/* 0, or -1 with *cause malloc'd (a bad pattern names its rule's origin). */
int redactor_new(struct redactor **out, const struct rule_set *rules, char **cause);

/*
 * REDACT_NO_FILTER: run every pattern over every whole text, ignoring the
 * rules' literals. It must give the same texts, only slower; the tests
 * compare the two.
 */
#define REDACT_NO_FILTER 1
int redactor_new_flags(struct redactor **out, const struct rule_set *rules, unsigned flags,
		       char **cause);
void redactor_free(struct redactor *r);

/*
 * The work bound of one text: per_byte units a byte of it, and base (a
 * unit: about a byte looked at; see redact.c). A text past it is kept as
 * [REDACTED:limit], as one where a rule hits a PCRE2 limit. By default
 * per_byte is REDACT_WORK_PER_RULE_BYTE a rule; the setter is for tests.
 */
#define REDACT_WORK_PER_RULE_BYTE 8
#define REDACT_WORK_BASE (1 << 16)
void redactor_set_work_bound(struct redactor *r, size_t per_byte, size_t base);

/* How many texts were kept as [REDACTED:limit] so far, by every thread. */
unsigned long redactor_failed(const struct redactor *r);

/*
 * Redacts *text (NUL-terminated, *len bytes, valid UTF-8) in place; it may
 * reallocate *text. Returns the number of replacements. Safe to call from
 * several threads at once.
 */
int redact(const struct redactor *r, char **text, size_t *len);

#endif
