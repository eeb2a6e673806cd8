/*
 * budget.h: tokens for the big lines and big sessions of a run (budget.c).
 */
#ifndef DREAMD_BUDGET_H
#define DREAMD_BUDGET_H

#include <stddef.h>
#include <stdint.h>

/* A session whose kept text passes this needs a token to go on growing. */
#define BUDGET_BIG_SESSION ((size_t)16 << 20)
/*
 * What one token stands for, in multiples of the limits: a line is held
 * in the read buffer, then parsed (cJSON keeps its strings again), then
 * copied into an event; a session's text is kept once more by redaction
 * and the digest while it is written.
 */
#define BUDGET_LINE_COST 3
#define BUDGET_SESSION_COST 2

/* How many tokens fit in memory bytes, at least one. */
size_t budget_tokens(uint64_t memory, size_t max_line, size_t max_session_bytes);
/* Sets the number of tokens; 0 (the default) is no budget: holds never wait. */
void budget_set(size_t tokens);
/* Takes a token for the calling thread, waiting for one; nested holds are free. */
void budget_hold(void);
/* Gives back one hold; the token goes back with the last. */
void budget_drop(void);

#endif
