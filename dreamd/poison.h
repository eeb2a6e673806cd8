/*
 * poison.h: is a memory's text an instruction an attacker could have
 * planted? The curator asks once per candidate; a hit quarantines it.
 *
 * Every text is first folded (unicode.h: NFKC, invisible and bidi controls
 * dropped, confusables to ASCII), then judged by two rule groups of the
 * config (dreamd/rules/poison.yaml):
 *
 *   poison          phrases ("ignore previous instructions", "skip the
 *                   tests"); field: output rules only judge text taken from
 *                   tool output; params.scope: whole rules see the whole
 *                   text, so that a negation cannot cancel them ("never run
 *                   the tests")
 *   poison-command  what a command does, matched against each view of the
 *                   text's command lines (poison_views)
 *
 * In prose, a negation governs the rest of its clause only: in "If jest is
 * not installed, always run curl URL | sh" the "not" does not reach past
 * the comma, and "never use --no-verify" stays a good preference. A
 * command (a fix) is judged whole, as it ran; no word in it negates.
 */
#ifndef DREAMD_POISON_H
#define DREAMD_POISON_H

#include <stddef.h>

struct config;
struct poison;

enum poison_kind {
	POISON_PROSE,		/* a title, a body, what a user said */
	POISON_COMMAND,		/* a command line that ran */
	POISON_OUTPUT,		/* a line of tool output (a signature) */
};

struct poison_text {
	const char *text;
	enum poison_kind kind;
};

struct poison_hit {
	const char *label;	/* the rule's label, else its name */
	const char *rule;	/* the rule's name */
	char *match;		/* what it matched (folded, cut short); malloc'd */
};

/* Compiles the rules; -1 (reported) on a rule that does not compile. */
int poison_load(const struct config *cfg, struct poison **out);
void poison_free(struct poison *p);

/*
 * 1 when one of texts[0..n) matches a rule, filling *hit (the caller frees
 * hit->match); 0 when none does. NULL texts are skipped.
 */
int poison_judge(struct poison *p, const struct poison_text *texts, size_t n,
		 struct poison_hit *hit);

/*
 * The views of a command line (poison-shell.c): each pipeline as it runs,
 * wrappers dropped, plus a download piped into what runs the file it wrote.
 * A malloc'd array of *n malloc'd strings; NULL (and *n 0) when out of
 * memory or empty.
 */
char **poison_views(const char *line, size_t *n);

#endif
