/*
 * alloc.c: allocation that dies when memory runs out (alloc.h).
 */
#include "dreamd/common/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "dreamd/common/strbuf.h"

static int (*fault_hook)(const char *where);

void alloc_set_fault_hook(int (*hook)(const char *where))
{
	fault_hook = hook;
}

void alloc_failed(size_t n)
{
	fprintf(stderr, "dreamd: error: out of memory allocating %zu bytes\n", n);
	exit(EX_UNAVAILABLE);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p || (fault_hook && fault_hook("alloc")))
		alloc_failed(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		alloc_failed(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		alloc_failed(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	strbuf_init(&sb, STRBUF_NOLIMIT);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb, NULL);
}
