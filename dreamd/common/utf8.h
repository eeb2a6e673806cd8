/*
 * utf8.h: checking, cutting and repairing UTF-8, for every folder.
 *
 * Valid means RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF.
 */
#ifndef DREAMD_UTF8_H
#define DREAMD_UTF8_H

#include <stddef.h>

/* 1 when s[0..len) is valid UTF-8. */
int utf8_valid(const char *s, size_t len);
/* How many leading bytes of s are valid UTF-8: len when all are. */
size_t utf8_prefix(const char *s, size_t len);
/* The length of the longest prefix of s[0..len) not splitting a UTF-8 sequence. */
size_t utf8_cut(const char *s, size_t len);
/*
 * Replaces invalid UTF-8 sequences of *text with U+FFFD; returns the new
 * length. *text may be reallocated (out of memory exits, as strbuf_init's
 * buffers do).
 */
size_t utf8_fix(char **text, size_t len);

#endif
