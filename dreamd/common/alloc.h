/*
 * alloc.h: allocation that dies when the machine is out of memory, for
 * dreamd/ and store/ (extractors/ never die: they use malloc and return -1).
 *
 * Out of memory prints "dreamd: error: out of memory allocating N bytes"
 * and exits 69 (EX_UNAVAILABLE), as strbuf_init()'s buffers do.
 */
#ifndef DREAMD_ALLOC_H
#define DREAMD_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a malloc'd formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow an array so that it holds at least n elements (git's ALLOC_GROW). */
#define ALLOC_GROW(p, n, alloc) do { \
	if ((n) > (alloc)) { \
		(alloc) = (alloc) ? (alloc) * 2 : 16; \
		if ((alloc) < (n)) (alloc) = (n); \
		(p) = xrealloc((p), (alloc) * sizeof(*(p))); \
	} \
} while (0)

/* Prints the out-of-memory error for n bytes and exits 69. */
_Noreturn void alloc_failed(size_t n);
/*
 * A hook xmalloc() asks on each call; non-zero makes it fail as if memory
 * ran out. dreamd's main() points it at fault_hit() for the reliability
 * suite (DREAMD_FAULT=alloc:N); unset, nothing is asked.
 */
void alloc_set_fault_hook(int (*hook)(const char *where));

#endif
