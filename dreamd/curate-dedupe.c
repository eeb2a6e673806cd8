/*
 * curate-dedupe.c: near-duplicate candidates merge into one; see
 * curate-policy.h.
 */
#include "dreamd/curate-policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The word tokens of s, lowercased, as a sorted set. */
static void tokens(const char *s, struct strset *out)
{
	char word[128];
	size_t n = 0;

	for (;; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch && (ch >= 0x80 || ch == '_' || ch == '-' || ch == '.' ||
			   (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))) {
			if (n < sizeof(word) - 1)
				word[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch | 0x20 : ch);
			continue;
		}
		if (n) {
			word[n] = '\0';
			strset_add(out, word);
			n = 0;
		}
		if (!ch)
			break;
	}
}

static double jaccard(const struct strset *a, const struct strset *b)
{
	size_t i = 0, j = 0, both = 0;

	if (!a->n && !b->n)
		return 1;
	while (i < a->n && j < b->n) {
		int c = strcmp(a->v[i], b->v[j]);

		if (!c) {
			both++;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	return (double)both / (double)(a->n + b->n - both);
}

/*
 * A preference whose key's words (polarity and stems) are all in another's
 * says a part of it ("don't rewrite everything" of "don't rewrite
 * everything, make small focused changes"): the overlap coefficient is 1.
 * Two words at least: the polarity alone says nothing.
 */
static int part_of(const struct cand *c, const struct strset *a, const struct strset *b)
{
	size_t i = 0, j = 0, both = 0, small = a->n < b->n ? a->n : b->n;

	if (strcmp(c->extractor, "preferences") || small < 2)
		return 0;
	while (i < a->n && j < b->n) {
		int d = strcmp(a->v[i], b->v[j]);

		both += !d;
		i += d <= 0;
		j += d >= 0;
	}
	return both == small;
}

/*
 * A rejection's canonical slot is the act refused, its subject ("git push
 * -f", "Edit *.md"): what the user said after it (the key's gist, a
 * slot's value) varies from one time to the next, and a tool's name by
 * agent ("Edit", "edit"). Two rejections of one act are one memory.
 */
static int same_act(const struct cand *a, const struct cand *b)
{
	return !strcmp(a->extractor, "rejections") && !strcmp(b->extractor, "rejections") &&
		a->kind == b->kind && a->subject && b->subject &&
		!strcasecmp(a->subject, b->subject);
}

/*
 * Candidates that may be near-duplicates: same extractor, kind, slot and
 * value, and same subject, except for preferences, whose subject is the
 * sentence said (the wordings are what differs).
 */
static int same_block(const struct cand *a, const struct cand *b)
{
	int pref = a->kind == MEMORY_PREFERENCE && !strcmp(a->extractor, "preferences");

	if (same_act(a, b))
		return 1;
	return !strcmp(a->extractor, b->extractor) && a->kind == b->kind &&
		(pref || !strcmp(a->subject ? a->subject : "", b->subject ? b->subject : "")) &&
		!strcmp(a->slot ? a->slot : "", b->slot ? b->slot : "") &&
		!strcmp(a->value ? a->value : "", b->value ? b->value : "");
}

/*
 * Merges candidates whose keys' token sets are at least dedupe_jaccard alike,
 * within one block (extractor, kind, subject, slot, value), and rejections
 * of one act whatever was said after them. The earlier key
 * in sort order absorbs the later, so the merged id is stable. Workflows are
 * left alone: their keys are sequences, and maximality handles them.
 */
void curate_dedupe(const struct policy *p, struct strpool *pool, struct cand *c, size_t n)
{
	struct strset *tok = xcalloc(n + 1, sizeof(*tok));
	size_t i, j;

	for (i = 0; i < n; i++)
		if (c[i].kind != MEMORY_WORKFLOW)
			tokens(c[i].key, &tok[i]);
	for (i = 0; i < n; i++) {
		if (c[i].dropped || c[i].kind == MEMORY_WORKFLOW)
			continue;
		for (j = i + 1; j < n; j++) {
			if (c[j].dropped || !same_block(&c[i], &c[j]))
				continue;
			int alike = same_act(&c[i], &c[j]) ||
				jaccard(&tok[i], &tok[j]) >= p->cfg->dedupe_jaccard;

			if (!alike && !part_of(&c[i], &tok[i], &tok[j]))
				continue;
			/*
			 * The one already stored absorbs the new one, so a
			 * memory a reviewer rejected or pinned keeps its id
			 * and its decision; else the whole absorbs its part,
			 * and of rejections of one act the one with more
			 * sessions (its words are the ones quoted), else the
			 * first in key order.
			 */
			if (!c[i].stored && (c[j].stored || (!alike && tok[i].n < tok[j].n) ||
					     (same_act(&c[i], &c[j]) && c[j].nsess > c[i].nsess))) {
				cand_merge(pool, &c[j], &c[i]);
				break;
			}
			cand_merge(pool, &c[i], &c[j]);
		}
	}
	for (i = 0; i < n; i++)
		strset_release(&tok[i]);
	free(tok);
}

