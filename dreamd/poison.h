/*
 * poison.h: is a memory's text an instruction an attacker could have
 * planted? The curator asks once per candidate; a hit quarantines it.
 *
 * The rules are the config's "poison" rule group (dreamd/rules/), compiled
 * once by poison_load. poison_judge looks at every text given and returns
 * the label of the first rule that matches one of them, or NULL.
 */
#ifndef DREAMD_POISON_H
#define DREAMD_POISON_H

#include <stddef.h>

struct config;
struct poison;

/* Compiles the rules; -1 (reported) on a rule that does not compile. */
int poison_load(const struct config *cfg, struct poison **out);
void poison_free(struct poison *p);

/* The label of the first rule any of texts[0..n) matches, or NULL. */
const char *poison_judge(struct poison *p, const char *const *texts, size_t n);

#endif
