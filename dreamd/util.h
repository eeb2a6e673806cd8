/*
 * util.h: the small toolbox every file in dreamd/ uses.
 *
 * Messages follow git's usage.c: error() prints "dreamd: error: ..." and
 * returns -1, so "return error("cannot open '%s'", path);" reads as one
 * thought; die() prints and exits with the given sysexits status and is only
 * for dreamd/ (library code in extractors/ and store/ returns -1 instead).
 *
 * The common layer comes with it (dreamd/common/: allocation, the clock,
 * strbuf, UTF-8, hashing, string lists), so a file of dreamd/ includes this
 * one header for its toolbox.
 */
#ifndef DREAMD_UTIL_H
#define DREAMD_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sysexits.h>	/* the exit codes the contract names */

#include "dreamd/common/alloc.h"
#include "dreamd/common/clock.h"
#include "dreamd/common/hash.h"
#include "dreamd/common/strbuf.h"
#include "dreamd/common/strlist.h"
#include "dreamd/common/utf8.h"

/* diff --exit-code: there were changes. */
#define EX_CHANGES 1

/* Verbosity: 0 quiet (-q or no tty), 1 normal, 2 verbose (-v). */
extern int verbosity;

int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A progress line for long commands run from a terminal: "\rdreamd: ..."
 * on stderr, at most five times a second, only at normal verbosity and
 * when stderr is a tty (both seen once, at progress_start()).
 */
struct progress {
	struct timespec t0;
	double last;	/* seconds since t0 when a line was last due */
	int on;
};
void progress_start(struct progress *p);
/* Seconds since progress_start(). */
double progress_elapsed(const struct progress *p);
/* Whether a line is due now (always when final, if on); sets p->last. */
int progress_due(struct progress *p, int final);
/* Prints the line; final ends it. Call when progress_due() says so. */
void progress_show(int final, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The user's login name: $USER, else the account's name (getpwuid), as
 * under systemd or in a container; NULL when neither is known. The string
 * is the environment's or libc's: do not free it.
 */
const char *login_name(void);

/*
 * Creates each directory that path's parents name, from byte from of path
 * on (what is before it must exist): mkdir -p of its dirname. 0 or -1
 * (reported).
 */
int mkdir_parents(const char *path, size_t from);

/*
 * Appends s for a terminal or a log line: control characters (C0, DEL and
 * the C1 range U+0080-U+009F) become \n, \r, \t or \xNN, so a file or user
 * name can neither break the line nor send an escape sequence. Every
 * message (error, warning, info) goes through it, and so do the names
 * `status` prints.
 */
int strbuf_add_oneline(struct strbuf *sb, const char *s, size_t len);
/*
 * A string pool: each distinct string is kept once, at an index that never
 * changes; v[i] lives until strpool_release(). Zero-initialise to start.
 */
struct strpool {
	char **v;
	size_t n, alloc;
	uint64_t *hash;		/* of each v[i] */
	uint32_t *table;	/* open addressing: index + 1, 0 empty */
	size_t tsize;		/* a power of two, at least twice n */
};

/* The index of the first len bytes of s, added when new. */
size_t strpool_add(struct strpool *p, const char *s, size_t len);
/* The index of the first len bytes of s, or (size_t)-1 when absent. */
size_t strpool_find(const struct strpool *p, const char *s, size_t len);
/* The pool's copy of s, or NULL when s is NULL. */
const char *strpool_str(struct strpool *p, const char *s);
void strpool_release(struct strpool *p);

/* A string -> long map with owned keys (call ids to event indexes). */
struct strmap {
	struct strpool keys;
	long *vals;		/* by the key's index in keys */
	size_t alloc;
};

void strmap_set(struct strmap *m, const char *key, long val);
/* 1 and *val when found, 0 otherwise. */
int strmap_get(const struct strmap *m, const char *key, long *val);
void strmap_release(struct strmap *m);

/*
 * A whole number written as digits only (no sign, space or suffix) of at
 * most max: 0 and *out; -1 not such a number; -2 larger than max (where
 * strtoll would quietly give INT64_MAX).
 */
int parse_whole(const char *s, int64_t max, int64_t *out);
/* Milliseconds since the epoch from an ISO 8601 UTC time, or -1. */
int64_t parse_iso8601(const char *s);
/* Formats ms since the epoch as "2026-11-24T03:00:00Z" into out[32]. */
void format_iso8601(int64_t ms, char out[32]);
/* Writes data to path through a temp file and rename (curl's altsvc_save). */
int write_file_atomic(const char *path, const void *data, size_t len);
/* Reads a whole file of at most max bytes; the caller frees *out. */
int read_file(const char *path, size_t max, char **out, size_t *len);

/* Fault injection for the reliability suite: see fault.c. */
int fault_hit(const char *where);
/* Holds the caller at a named point while a test acts: see fault.c. */
void fault_pause(const char *where);

#endif
