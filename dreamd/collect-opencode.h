/*
 * collect-opencode.h: OpenCode's SQLite store read for `dreamd collect`.
 */
#ifndef DREAMD_COLLECT_OPENCODE_H
#define DREAMD_COLLECT_OPENCODE_H

#include <stdint.h>

struct strbuf;

/*
 * Opens the store at path read-only and hands emit() each session as the
 * JSONL parse-opencode.c reads, with its last update (ms). Sessions updated
 * after busy_after_ms, or the whole store while its -wal was modified
 * after it, are left and counted in *busy. -1 (reported) when the store
 * cannot be read or emit() failed.
 */
int opencode_collect(const char *path, int64_t busy_after_ms,
		     int (*emit)(void *arg, const char *session, int64_t updated_ms,
				 const struct strbuf *jsonl),
		     void *arg, int *busy);

/*
 * The same for the older file storage under root (storage/session/,
 * message/, part/): a session whose time.updated is after busy_after_ms is
 * left and counted. Unreadable files are warned of and skipped.
 */
int opencode_collect_storage(const char *root, int64_t busy_after_ms,
			     int (*emit)(void *arg, const char *session, int64_t updated_ms,
					 const struct strbuf *jsonl),
			     void *arg, int *busy);

#endif
