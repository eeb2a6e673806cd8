/*
 * decode.c: zstd or plain bytes in, bounded lines out.
 *
 * The compressed input goes through a fixed buffer; frames are walked by
 * hand at their boundaries so that skippable frames are counted and
 * trailing garbage is told apart from a truncated frame. Lines are found
 * with memchr in one output buffer that grows to max_line at most.
 *
 * Each thread keeps the last closed file's decompression context and
 * buffers for its next file: new ones would be fresh pages, and faulting
 * them in cost more than the decompression of a small file.
 */
#include "dreamd/decode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZSTD_STATIC_LINKING_ONLY	/* ZSTD_getFrameHeader: a frame's window */
#include <zstd.h>
#include <zstd_errors.h>

#include "dreamd/budget.h"
#include "dreamd/common/thread-slot.h"
#include "dreamd/util.h"

#define IN_SIZE (128 * 1024)
#define FIRST_CAP ((size_t)1 << 20)
/* A frame with a larger window (zstd -19, --long, a big file that fits one) needs a budget token. */
#define FREE_WINDOW ((uint64_t)2 << 20)
#define ZSTD_MAGIC 0xFD2FB528U
#define SKIPPABLE_MASK 0xFFFFFFF0U
#define SKIPPABLE_MAGIC 0x184D2A50U

struct decoder {
	int fd;
	int zstd;
	int eof_in;		/* read() said end of file */
	ZSTD_DCtx *dctx;
	unsigned char *in;
	size_t in_pos, in_len;
	int in_frame;		/* inside a zstd frame */
	uint64_t skip_left;	/* bytes of a skippable frame still to pass */
	int frames;
	int skippable;
	struct hasher raw;	/* the file's bytes, for the ledger */
	struct hasher content;	/* the decompressed content */
	uint64_t chain;		/* the content hash carried over from earlier files */
	uint64_t total_out;
	struct decode_limits lim;

	char *buf;
	size_t cap, start, end, scan;
	int discarding;
	int big;		/* buf is over FIRST_CAP: a budget token is held */
	int big_window;		/* a frame's window is over FREE_WINDOW: one too */
	int done;		/* no more input will come */
	long lineno;

	const char *err_kind, *err_why;
	int err_errno;		/* the system's reason for a read error, or 0 */
	int err_pending;	/* an error to report once the lines before it are out */
};

/* What a thread keeps of its last decoder (see the opening comment). */
struct spare {
	ZSTD_DCtx *dctx;	/* only one whose window is under FREE_WINDOW */
	unsigned char *in;	/* IN_SIZE */
	char *buf;		/* FIRST_CAP */
};

static void free_spare(void *p)
{
	struct spare *sp = p;

	ZSTD_freeDCtx(sp->dctx);
	free(sp->in);
	free(sp->buf);
	free(sp);
}

static void *new_spare(void)
{
	return xcalloc(1, sizeof(struct spare));
}

static struct thread_slot spares = THREAD_SLOT_INIT(new_spare, free_spare);

/* Takes *slot (NULL when empty). */
static void *take(void *slot)
{
	void **p = slot, *v = *p;

	*p = NULL;
	return v;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

static int set_error(struct decoder *d, const char *kind, const char *why)
{
	if (!d->err_kind) {
		d->err_kind = kind;
		d->err_why = why;
	}
	return -1;
}

/* Reads more raw input, keeping unread bytes; 0 at end of file. */
static ssize_t refill(struct decoder *d)
{
	ssize_t n;

	if (d->eof_in)
		return 0;
	if (d->in_pos > 0) {
		memmove(d->in, d->in + d->in_pos, d->in_len - d->in_pos);
		d->in_len -= d->in_pos;
		d->in_pos = 0;
	}
	if (d->in_len == IN_SIZE)
		return 1;
	do
		n = read(d->fd, d->in + d->in_len, IN_SIZE - d->in_len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (!d->err_kind)
			d->err_errno = errno;
		return set_error(d, "read-error", "cannot read");
	}
	if (n == 0) {
		d->eof_in = 1;
		return 0;
	}
	hasher_add(&d->raw, d->in + d->in_len, (size_t)n);
	d->in_len += (size_t)n;
	return n;
}

static size_t in_avail(const struct decoder *d)
{
	return d->in_len - d->in_pos;
}

/*
 * The decompressor keeps a window as large as the frame asks (up to
 * window_log_max): a large one is big memory, held under the budget until
 * the file is closed.
 */
static void window_budget(struct decoder *d)
{
	ZSTD_frameHeader h;

	while (in_avail(d) < ZSTD_FRAMEHEADERSIZE_MAX && !d->eof_in)
		if (refill(d) <= 0)
			break;
	if (!d->big_window && ZSTD_getFrameHeader(&h, d->in + d->in_pos, in_avail(d)) == 0 &&
	    h.windowSize > FREE_WINDOW) {
		budget_hold();
		d->big_window = 1;
	}
}

/* At a frame boundary: starts the next frame, skips a skippable one. */
static int next_frame(struct decoder *d)
{
	uint32_t magic;

	while (in_avail(d) < 8 && !d->eof_in)
		if (refill(d) < 0)
			return -1;
	if (in_avail(d) == 0)
		return d->frames ? 0 : set_error(d, "empty-file", "empty file");
	if (in_avail(d) < 4)
		return set_error(d, "trailing-garbage", "trailing garbage after the last zstd frame");
	magic = le32(d->in + d->in_pos);
	if (magic == ZSTD_MAGIC) {
		window_budget(d);
		d->in_frame = 1;
		d->frames++;
		return 1;
	}
	if ((magic & SKIPPABLE_MASK) == SKIPPABLE_MAGIC) {
		if (in_avail(d) < 8)
			return set_error(d, "truncated-zstd", "truncated zstd skippable frame");
		d->skip_left = le32(d->in + d->in_pos + 4);
		d->in_pos += 8;
		d->skippable++;
		d->frames++;
		return 1;
	}
	if (!d->frames)
		return set_error(d, "not-zstd", "not zstd data");
	return set_error(d, "trailing-garbage", "trailing garbage after the last zstd frame");
}

/* Decompresses into buf[end..cap-1); returns bytes made, 0 at the end, -1. */
static ssize_t fill_zstd(struct decoder *d)
{
	for (;;) {
		ZSTD_outBuffer out = { d->buf + d->end, d->cap - 1 - d->end, 0 };
		ZSTD_inBuffer in;
		size_t r;
		int f;

		if (d->skip_left) {
			size_t n = in_avail(d);

			if (n > d->skip_left)
				n = (size_t)d->skip_left;
			d->in_pos += n;
			d->skip_left -= n;
			if (d->skip_left && refill(d) <= 0)
				return d->err_kind ? -1 :
					set_error(d, "truncated-zstd", "truncated zstd skippable frame");
			continue;
		}
		if (!d->in_frame) {
			f = next_frame(d);
			if (f <= 0)
				return f;
			continue;
		}
		if (!in_avail(d) && refill(d) <= 0) {
			if (d->err_kind)
				return -1;
			return set_error(d, "truncated-zstd", "truncated zstd frame");
		}
		in.src = d->in;
		in.size = d->in_len;
		in.pos = d->in_pos;
		r = ZSTD_decompressStream(d->dctx, &out, &in);
		d->in_pos = in.pos;
		if (ZSTD_isError(r)) {
			if (ZSTD_getErrorCode(r) == ZSTD_error_frameParameter_windowTooLarge)
				return set_error(d, "window-too-large",
						 "zstd window over the limit");
			return set_error(d, "corrupt-zstd", "corrupt zstd frame");
		}
		if (r == 0) {
			d->in_frame = 0;
			ZSTD_DCtx_reset(d->dctx, ZSTD_reset_session_only);
		}
		if (out.pos) {
			hasher_add(&d->content, d->buf + d->end, out.pos);
			d->total_out += out.pos;
			if (d->total_out > d->lim.max_bytes)
				return set_error(d, "size-limit",
						 "decompressed size over the limit");
			d->end += out.pos;
			return (ssize_t)out.pos;
		}
	}
}

static ssize_t fill_plain(struct decoder *d)
{
	size_t n;

	if (!in_avail(d) && refill(d) <= 0)
		return d->err_kind ? -1 : 0;
	n = in_avail(d);
	if (n > d->cap - 1 - d->end)
		n = d->cap - 1 - d->end;
	memcpy(d->buf + d->end, d->in + d->in_pos, n);
	hasher_add(&d->content, d->buf + d->end, n);
	d->in_pos += n;
	d->end += n;
	d->total_out += n;
	if (d->total_out > d->lim.max_bytes)
		return set_error(d, "size-limit", "file size over the limit");
	return (ssize_t)n;
}

struct decoder *decoder_open(const char *path, const struct decode_limits *lim,
			     uint64_t chain, const char **kind, const char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int err = errno;

		*kind = err == ENOENT ? "missing" : "unreadable";
		*why = err == ENOENT ? "no such file" : "cannot open";
		errno = err;
		return NULL;
	}
	return decoder_open_fd(fd, path, lim, chain, kind, why);
}

struct decoder *decoder_open_fd(int fd, const char *path, const struct decode_limits *lim,
				uint64_t chain, const char **kind, const char **why)
{
	struct decoder *d;
	struct stat st;
	size_t plen = strlen(path);
	int err;

	struct spare *sp = thread_slot_get(&spares);

	d = xcalloc(1, sizeof(*d));
	d->lim = *lim;
	if (d->lim.max_line < 16)
		d->lim.max_line = 16;
	hasher_init(&d->raw, HASH64_SEED);
	hasher_init(&d->content, HASH64_SEED);
	d->chain = chain;
	d->fd = fd;
	if (fstat(d->fd, &st) < 0) {
		*kind = "unreadable";
		*why = "cannot open";
		d->err_errno = errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		*kind = "unreadable";
		*why = "not a regular file";
		goto fail;
	}
	d->in = take(&sp->in);
	if (!d->in)
		d->in = xmalloc(IN_SIZE);
	if (refill(d) < 0) {
		*kind = d->err_kind;
		*why = d->err_why;
		goto fail;
	}
	if (d->in_len == 0) {
		*kind = "empty-file";
		*why = "empty file";
		goto fail;
	}
	if (d->in_len >= 4 && (le32(d->in) == ZSTD_MAGIC ||
			       (le32(d->in) & SKIPPABLE_MASK) == SKIPPABLE_MAGIC)) {
		d->zstd = 1;
		d->dctx = take(&sp->dctx);
		if (!d->dctx)
			d->dctx = ZSTD_createDCtx();
		if (!d->dctx)
			die(EX_UNAVAILABLE, "out of memory");
		ZSTD_DCtx_reset(d->dctx, ZSTD_reset_session_and_parameters);
		ZSTD_DCtx_setParameter(d->dctx, ZSTD_d_windowLogMax,
				       lim->window_log_max ? lim->window_log_max : 27);
	} else if (plen > 4 && !strcmp(path + plen - 4, ".zst")) {
		*kind = "not-zstd";
		*why = "not zstd data";
		goto fail;
	}
	d->cap = d->lim.max_line + 2 < FIRST_CAP ? d->lim.max_line + 2 : FIRST_CAP;
	d->buf = d->cap == FIRST_CAP ? take(&sp->buf) : NULL;
	if (!d->buf)
		d->buf = xmalloc(d->cap);
	return d;
fail:
	close(d->fd);
	if (!sp->in)
		sp->in = take(&d->in);
	free(d->in);
	err = d->err_errno;
	free(d);
	errno = err;
	return NULL;
}

enum decode_status decoder_next(struct decoder *d, char **line, size_t *len)
{
	for (;;) {
		char *nl = d->scan < d->end ?
			memchr(d->buf + d->scan, '\n', d->end - d->scan) : NULL;
		ssize_t n;

		if (nl) {
			size_t at = (size_t)(nl - d->buf);

			d->lineno++;
			if (d->discarding) {
				d->discarding = 0;
				d->start = d->scan = at + 1;
				return DECODE_LONG;
			}
			*nl = '\0';
			*line = d->buf + d->start;
			*len = at - d->start;
			d->start = d->scan = at + 1;
			return DECODE_LINE;
		}
		d->scan = d->end;
		if (d->discarding || d->end - d->start > d->lim.max_line) {
			d->discarding = 1;
			d->start = d->scan = d->end = 0;
		}
		if (d->done) {
			if (d->discarding) {
				d->discarding = 0;
				d->lineno++;
				return DECODE_LONG;
			}
			if (d->end > d->start && (!d->err_kind ||
						  !strcmp(d->err_kind, "trailing-garbage"))) {
				d->lineno++;
				d->buf[d->end] = '\0';
				*line = d->buf + d->start;
				*len = d->end - d->start;
				d->start = d->scan = d->end;
				return DECODE_LINE;
			}
			d->start = d->scan = d->end = 0;
			return d->err_kind ? DECODE_ERROR : DECODE_EOF;
		}
		if (d->start > 0) {
			memmove(d->buf, d->buf + d->start, d->end - d->start);
			d->end -= d->start;
			d->scan -= d->start;
			d->start = 0;
		}
		if (d->big && d->end + 1 < FIRST_CAP) {
			/* The big line is gone: back to the first size, token back. */
			d->buf = xrealloc(d->buf, FIRST_CAP);
			d->cap = FIRST_CAP;
			d->big = 0;
			budget_drop();
		}
		if (d->end + 1 >= d->cap) {
			size_t cap = d->cap * 2;

			if (cap > d->lim.max_line + 2)
				cap = d->lim.max_line + 2;
			if (cap > FIRST_CAP && !d->big) {
				budget_hold();	/* may wait for another worker's big line */
				d->big = 1;
			}
			d->buf = xrealloc(d->buf, cap);
			d->cap = cap;
		}
		n = d->zstd ? fill_zstd(d) : fill_plain(d);
		if (n <= 0)
			d->done = 1;
	}
}

long decoder_lineno(const struct decoder *d)
{
	return d->lineno;
}

int decoder_errno(const struct decoder *d)
{
	return d->err_errno;
}

void decoder_error(const struct decoder *d, const char **kind, const char **why)
{
	*kind = d->err_kind ? d->err_kind : "error";
	*why = d->err_why ? d->err_why : "cannot read";
}

uint64_t decoder_chain_hash(struct decoder *d)
{
	unsigned char both[16];
	uint64_t v[2] = { d->chain, hasher_final(&d->content) };
	struct hasher h;
	int i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < 8; i++)
			both[k * 8 + i] = (unsigned char)(v[k] >> (8 * i));
	hasher_init(&h, HASH64_SEED);
	hasher_add(&h, both, sizeof(both));
	return hasher_final(&h);
}

uint64_t decoder_file_hash(struct decoder *d)
{
	while (!d->eof_in) {
		d->in_pos = d->in_len;
		if (refill(d) <= 0)
			break;
	}
	return hasher_final(&d->raw);
}

int decoder_data_frames(const struct decoder *d)
{
	return d->frames - d->skippable;
}

int decoder_skippable_frames(const struct decoder *d)
{
	return d->skippable;
}

int decoder_is_zstd(const struct decoder *d)
{
	return d->zstd;
}

void decoder_close(struct decoder *d)
{
	struct spare *sp;

	if (!d)
		return;
	close(d->fd);
	sp = thread_slot_get(&spares);
	/* A large window is big memory: it goes with its budget token. */
	if (!sp->dctx && !d->big_window)
		sp->dctx = take(&d->dctx);
	if (!sp->in)
		sp->in = take(&d->in);
	if (!sp->buf && d->cap == FIRST_CAP)
		sp->buf = take(&d->buf);
	ZSTD_freeDCtx(d->dctx);
	free(d->in);
	free(d->buf);
	if (d->big)
		budget_drop();
	if (d->big_window)
		budget_drop();
	free(d);
}
