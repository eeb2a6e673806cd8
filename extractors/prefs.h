/*
 * prefs.h: reading a preference out of one sentence the user typed.
 *
 * Shared by the preferences and rejections extractors. The "preference"
 * rules find the statement, the "preference-slot" rules say what it is about
 * (rules/preferences.yaml). Only ever call it on user-authored text.
 */
#ifndef DREAMD_PREFS_H
#define DREAMD_PREFS_H

#include <stddef.h>

#include "dreamd/common/match.h"

struct prefrules {
	struct matcher pref, slot, task;
};

int prefrules_init(struct prefrules *p, const struct rule_set *rules, char **cause);
void prefrules_release(struct prefrules *p);

/* One statement; strings malloc'd, released by pref_release(). */
struct pref {
	const char *label;	/* the rule's label ("never", "use-instead") */
	int negative;		/* never / don't */
	char *slot;		/* "package-manager", or NULL */
	char *value;		/* "pnpm", "not npm", or NULL */
	char *gist;		/* "package-manager=pnpm" or "dont: commit generat file" */
};

/*
 * Reads one sentence. Returns 1 and fills out when it states a preference,
 * 0 when not (a "one-task" rule matching makes it an instruction for the
 * task at hand, not a preference), -1 when out of memory. s must be valid
 * UTF-8.
 */
int pref_read(const struct prefrules *p, const char *s, size_t len,
	      pcre2_match_data *md, struct pref *out);
void pref_release(struct pref *p);

/*
 * Calls fn for each sentence of a user's message worth reading: split at
 * line ends and sentence ends; code blocks, quoted or indented lines,
 * questions and very long sentences are skipped. Stops when fn returns
 * non-zero and returns that.
 */
int for_each_sentence(const char *text, size_t len,
		      int (*fn)(const char *s, size_t len, void *data), void *data);

#endif
