/*
 * strlist.h: lists of strings, for deterministic output: sorting them and
 * looking in them.
 */
#ifndef DREAMD_STRLIST_H
#define DREAMD_STRLIST_H

/* qsort()'s comparison of two char * elements, by strcmp(). */
int strlist_cmp(const void *a, const void *b);

/* 1 when s is in the NULL-terminated list. */
int strlist_has(const char *const *list, const char *s);

#endif
