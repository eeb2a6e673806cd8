/*
 * words.h: wording helpers for describe(): backticked commands, plurals,
 * evidence in numbers. Everything returns malloc'd strings or NULL.
 */
#ifndef DREAMD_WORDS_H
#define DREAMD_WORDS_H

#include "extractors/extractor.h"
#include "dreamd/common/strbuf.h"
#include "dreamd/common/utf8.h"

/* Adds s in backticks, cut to max bytes, with backticks inside replaced by '. */
void words_code(struct strbuf *b, const char *s, size_t max);
/* "3 sessions", "1 user". */
void words_count(struct strbuf *b, int n, const char *one, const char *many);
/* "5 sessions, 3 users" (agents too when more than one). */
void words_support(struct strbuf *b, const struct candidate_summary *c);
/* Finishes title and body; returns 0, or -1 with *cause when out of memory. */
int words_finish(struct strbuf *title, struct strbuf *body, char **t, char **bd,
		 char **cause);

#endif
