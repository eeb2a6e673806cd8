/*
 * embedded.h: files compiled into the binary by the Makefile (the SQL
 * migrations in schemas/ and the default rule files), so dreamd runs from
 * build/ with nothing installed.
 */
#ifndef DREAMD_EMBEDDED_H
#define DREAMD_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;		/* path in the source tree */
	const unsigned char *data;	/* NUL-terminated */
	size_t len;
};

/* Sorted by the Makefile: schemas first, then rules; ends with a NULL name. */
extern const struct embedded_file embedded_files[];

#endif
