/*
 * similarity.h: near-duplicate text, for merging memories that say the same
 * thing in different words. Pure functions; nothing is kept between calls.
 *
 * Texts are compared as sets of word shingles: lower-cased runs of letters
 * and digits, k words at a time (k = 1 compares word sets). jaccard() is
 * exact; minhash() makes a fixed-size signature whose agreement estimates
 * the same Jaccard index, for comparing many texts cheaply. The curator
 * merges two candidates whose similarity is >= config dedupe_jaccard (0.9).
 */
#ifndef DREAMD_SIMILARITY_H
#define DREAMD_SIMILARITY_H

#include <stddef.h>
#include <stdint.h>

/* The Jaccard index of a's and b's k-word shingle sets, 0..1 (1: both empty). */
double text_jaccard(const char *a, const char *b, int k);

/* Fills sig[0..nsig) with the MinHash signature of s's k-word shingles. */
void text_minhash(const char *s, int k, uint64_t *sig, size_t nsig);

/* The share of equal positions in two signatures, 0..1. */
double minhash_similarity(const uint64_t *a, const uint64_t *b, size_t nsig);

/*
 * A canonical form of a statement: its words lower-cased, stop words
 * ("the", "please", "always", "every" ...) dropped, stemmed by Snowball's
 * English stemmer ("committing" -> "commit", "linter" -> "lint"), unique,
 * sorted, joined by spaces, at most max words. Two wordings of the same
 * instruction often share it. malloc'd; NULL: no memory.
 */
char *token_key(const char *s, size_t len, size_t max);

#endif
