/*
 * spill.h: event texts kept in a temporary file instead of in memory.
 *
 * A session holds at most a bound of text in memory (ingest.session_memory);
 * past it, its older events' texts move to a spill, an unlinked file in
 * $TMPDIR (else /tmp) with mode 0600, gone when it is closed or the process
 * ends, however it ends. The texts are redacted before they are spilled, as
 * before they are stored. A spilled event has text NULL and spill and
 * spill_off set (schemas/event.h); event_text() reads any event's text,
 * spilled or not, so nothing else needs to know.
 *
 * A spill is written by one thread at a time; event_text() may read it from
 * several at once (pread).
 */
#ifndef DREAMD_SPILL_H
#define DREAMD_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "dreamd/common/strbuf.h"
#include "schemas/event.h"

struct spill;

/* A new, empty spill; NULL with errno when no temporary file can be made. */
struct spill *spill_open(void);
void spill_close(struct spill *sp);
/* Bytes written to sp so far. */
uint64_t spill_size(const struct spill *sp);
/*
 * Appends len bytes of text to sp at *off. 0, or -1 with errno (the disk
 * is full): then nothing is taken and the caller keeps the text.
 */
int spill_write(struct spill *sp, const void *data, size_t len, uint64_t *off);
/* Reads len bytes at off into buf. 0, or -1 with errno (EIO: past the end). */
int spill_read(const struct spill *sp, uint64_t off, void *buf, size_t len);
/* The same appended to sb, a piece at a time. 0, or -1 with errno (ENOMEM: sb is full). */
int spill_append(const struct spill *sp, uint64_t off, uint64_t len, struct strbuf *sb);
/*
 * Moves e's text to sp (freeing it). 0, or -1 with errno and e unchanged.
 * An event already spilled, or with no text, is left as it is.
 */
int spill_event(struct spill *sp, struct event *e);
/*
 * Brings a spilled event's text back into memory (malloc'd, as parsing
 * made it), for code that changes texts. 0, or -1 with errno.
 */
int spill_unspill(struct event *e);
/*
 * e's text, NUL-terminated, e->text_len bytes: e->text itself when it is in
 * memory, else read into buf (reset first) and valid until buf changes;
 * "" for an event with no text. NULL with errno when it cannot be read.
 */
const char *event_text(const struct event *e, struct strbuf *buf);
/* 1 when e has a text, in memory or spilled. */
static inline int event_has_text(const struct event *e)
{
	return e->text || e->spill;
}

#endif
