/*
 * digest.c: a session as dreamd's own JSONL (schemas/events.md), and the
 * zstd-compressed digest the store keeps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "dreamd/common/hash.h"
#include "dreamd/common/spill.h"
#include "dreamd/common/thread-slot.h"
#include "dreamd/ingest.h"
#include "dreamd/parse.h"
#include "dreamd/util.h"

/* A digest never decompresses to more than this. */
#define DIGEST_MAX ((size_t)1 << 30)

static void add_time(struct strbuf *sb, const char *key, int64_t ms)
{
	char iso[40];
	size_t n;

	if (ms <= 0)
		return;
	format_iso8601(ms, iso);
	/* "...T03:00:00Z" -> "...T03:00:00.123Z" */
	n = strlen(iso) - 1;
	iso[n++] = '.';
	iso[n++] = (char)('0' + ms % 1000 / 100);
	iso[n++] = (char)('0' + ms % 100 / 10);
	iso[n++] = (char)('0' + ms % 10);
	iso[n++] = 'Z';
	iso[n++] = '"';
	strbuf_addstr(sb, ",\"");
	strbuf_addstr(sb, key);
	strbuf_addstr(sb, "\":\"");
	strbuf_add(sb, iso, n);
}

static void add_uint(struct strbuf *sb, unsigned long long v)
{
	char buf[24];
	size_t n = sizeof(buf);

	do {
		buf[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	strbuf_add(sb, buf + n, sizeof(buf) - n);
}

static void add_str(struct strbuf *sb, const char *key, const char *val)
{
	if (!val)
		return;
	strbuf_addstr(sb, ",\"");
	strbuf_addstr(sb, key);
	strbuf_addstr(sb, "\":");
	strbuf_add_json(sb, val, strlen(val));
}

static int add_event(struct strbuf *sb, const struct event *e, struct strbuf *tb)
{
	const char *text = event_text(e, tb);

	if (!text)
		die(EX_IOERR, "cannot read back a spilled text: %s", strerror(errno));
	strbuf_addstr(sb, "{\"seq\":");
	add_uint(sb, e->seq);
	add_time(sb, "ts", e->ts);
	add_str(sb, "kind", event_kind_name(e->kind));
	if (e->subagent)
		strbuf_addstr(sb, ",\"subagent\":true");
	add_str(sb, "tool", e->tool);
	add_str(sb, "call_id", e->call_id);
	if (e->is_error)
		strbuf_addstr(sb, ",\"is_error\":true");
	if (e->exit_code >= 0) {
		strbuf_addstr(sb, ",\"exit_code\":");
		add_uint(sb, (unsigned long long)e->exit_code);
	}
	strbuf_addstr(sb, ",\"text\":");
	strbuf_add_json(sb, text, event_has_text(e) ? e->text_len : 0);
	return strbuf_addstr(sb, "}\n");
}

int session_write_jsonl(const struct session *s, struct strbuf *sb, const struct jsonl_sink *sink)
{
	struct strbuf tb;
	size_t i;
	int ret = 0;

	strbuf_addstr(sb, "{\"dreamd_events\":1");
	add_str(sb, "session", s->meta.id);
	add_str(sb, "user", s->meta.user);
	add_str(sb, "agent", s->meta.agent);
	add_str(sb, "agent_version", s->meta.agent_version);
	add_str(sb, "model", s->meta.model);
	add_str(sb, "project", s->meta.project);
	add_time(sb, "started", s->meta.started);
	add_time(sb, "ended", s->meta.ended);
	strbuf_addf(sb, ",\"events\":%zu,\"user_turns\":%d,\"tool_calls\":%d,"
		    "\"tool_errors\":%d,\"skipped_lines\":%d,\"bad_inputs\":%zu}\n",
		    s->nevents, s->user_turns, s->tool_calls, s->tool_errors,
		    s->skipped_lines, s->nbad);
	if (s->skippable_frames) {
		sb->len -= 2;
		sb->buf[sb->len] = '\0';
		strbuf_addf(sb, ",\"skippable_frames\":%d}\n", s->skippable_frames);
	}
	strbuf_init(&tb, STRBUF_NOLIMIT);
	for (i = 0; i < s->nevents && !ret; i++) {
		if (add_event(sb, &s->events[i], &tb) < 0)
			ret = -1;
		else if (sink && sb->len >= sink->every && sink->flush(sink->data, sb) < 0)
			ret = -1;
	}
	strbuf_release(&tb);
	return ret;
}

/*
 * What each thread keeps from one digest to the next: its compression
 * context (making one per digest costs more than small digests) and the
 * JSONL buffer, up to DIGEST_KEEP (a new one would be fresh pages).
 */
#define DIGEST_KEEP ((size_t)4 << 20)

struct digest_tls {
	ZSTD_CCtx *cctx;
	struct strbuf sb;
};

static void free_tls(void *p)
{
	struct digest_tls *t = p;

	ZSTD_freeCCtx(t->cctx);
	strbuf_release(&t->sb);
	free(t);
}

static void *new_tls(void)
{
	struct digest_tls *t = xcalloc(1, sizeof(*t));

	t->cctx = ZSTD_createCCtx();
	if (!t->cctx)
		die(EX_UNAVAILABLE, "out of memory");
	strbuf_init(&t->sb, DIGEST_MAX);
	return t;
}

static struct thread_slot tls = THREAD_SLOT_INIT(new_tls, free_tls);

/*
 * A digest being written in pieces: a big session's, whose compressed
 * bytes go to a spill file as they come, never held whole. With no room
 * for a temporary file they are kept in memory (mem) instead.
 */
struct stream {
	ZSTD_CCtx *cctx;
	int started;
	struct spill *file;
	struct strbuf mem;
	char *out;		/* a piece of compressed output */
	size_t in;		/* JSONL bytes so far, held to DIGEST_MAX */
};

static void start(struct stream *st)
{
	static int said;

	st->started = 1;
	st->file = spill_open();
	if (!st->file && !__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
		warning("cannot make a temporary file for a digest (%s): big digests are "
			"kept in memory", strerror(errno));
	strbuf_init(&st->mem, DIGEST_MAX);
	st->out = xmalloc(ZSTD_CStreamOutSize());
	ZSTD_CCtx_reset(st->cctx, ZSTD_reset_session_and_parameters);
	ZSTD_CCtx_setParameter(st->cctx, ZSTD_c_compressionLevel, 1);
}

/* The disk filled: what the file holds comes back to memory, and the rest goes there too. */
static int to_memory(struct stream *st)
{
	warning("cannot write a digest to a temporary file (%s): it is kept in memory",
		strerror(errno));
	if (spill_append(st->file, 0, spill_size(st->file), &st->mem) < 0) {
		error("cannot read a digest back from its temporary file: %s", strerror(errno));
		return -1;
	}
	spill_close(st->file);
	st->file = NULL;
	return 0;
}

static int keep(struct stream *st, const char *data, size_t len)
{
	uint64_t off;

	if (st->file && fault_hit("spill-digest"))	/* the disk filled (tests) */
		errno = ENOSPC;
	else if (st->file && spill_write(st->file, data, len, &off) == 0)
		return 0;
	if (st->file && to_memory(st) < 0)
		return -1;
	return strbuf_add(&st->mem, data, len);
}

static int compress_piece(struct stream *st, const char *data, size_t len, ZSTD_EndDirective end)
{
	ZSTD_inBuffer in = { data, len, 0 };
	size_t r;

	if (!st->started)
		start(st);
	st->in += len;
	if (st->in > DIGEST_MAX)
		return -1;
	do {
		ZSTD_outBuffer out = { st->out, ZSTD_CStreamOutSize(), 0 };

		r = ZSTD_compressStream2(st->cctx, &out, &in, end);
		if (ZSTD_isError(r)) {
			error("cannot compress a digest: %s", ZSTD_getErrorName(r));
			return -1;
		}
		if (out.pos && keep(st, st->out, out.pos) < 0)
			return -1;
	} while (end == ZSTD_e_end ? r != 0 : in.pos < in.size);
	return 0;
}

static int flush_piece(void *data, struct strbuf *sb)
{
	int r = compress_piece(data, sb->buf, sb->len, ZSTD_e_continue);

	strbuf_reset(sb);
	return r;
}

/* A session that fits in DIGEST_KEEP, compressed at once. */
static int compress_whole(ZSTD_CCtx *cctx, const struct strbuf *sb, struct digest *d)
{
	size_t bound = ZSTD_compressBound(sb->len), n;
	void *dst = xmalloc(bound);

	/*
	 * Level 1: digests are written every night and read rarely. Measured
	 * on the bench corpus's digests (51 MB): levels -7 to 3 took 0.111 to
	 * 0.141 s and gave 17.0 to 12.7 MB, level 1 0.131 s and 13.4 MB.
	 */
	n = ZSTD_compressCCtx(cctx, dst, bound, sb->buf, sb->len, 1);
	if (ZSTD_isError(n)) {
		free(dst);
		error("cannot compress a digest: %s", ZSTD_getErrorName(n));
		return -1;
	}
	d->data = dst;
	d->len = n;
	return 0;
}

int digest_encode(const struct session *s, struct digest *d)
{
	struct digest_tls *t = thread_slot_get(&tls);
	struct strbuf *sb = &t->sb;
	struct stream st = { .cctx = t->cctx };
	struct jsonl_sink sink = { flush_piece, &st, DIGEST_KEEP };
	int ret = -1;

	memset(d, 0, sizeof(*d));
	strbuf_reset(sb);
	/* -1 is too large: the caller reports it, as bad input. */
	if (session_write_jsonl(s, sb, &sink) < 0)
		goto done;
	if (!st.started) {
		ret = compress_whole(t->cctx, sb, d);
		goto done;
	}
	if (compress_piece(&st, sb->buf, sb->len, ZSTD_e_end) < 0)
		goto done;
	if (st.file) {
		d->file = st.file;
		d->len = (size_t)spill_size(st.file);
		st.file = NULL;
	} else {
		d->data = strbuf_detach(&st.mem, &d->len);
	}
	ret = 0;
done:
	spill_close(st.file);
	if (st.started)
		strbuf_release(&st.mem);
	free(st.out);
	if (sb->alloc > DIGEST_KEEP) {
		strbuf_release(sb);
		strbuf_init(sb, DIGEST_MAX);
	}
	return ret;
}

void digest_release(struct digest *d)
{
	free(d->data);
	spill_close(d->file);
	memset(d, 0, sizeof(*d));
}

/* Hands the digest's bytes to fn, a piece at a time; what fn returns, or -1 reported. */
static int digest_each(const struct digest *d, int (*fn)(void *, const void *, size_t),
		       void *arg)
{
	char piece[65536];
	uint64_t off;

	if (!d->file)
		return fn(arg, d->data, d->len);
	for (off = 0; off < d->len;) {
		size_t n = d->len - off < sizeof(piece) ? d->len - off : sizeof(piece);

		if (spill_read(d->file, off, piece, n) < 0) {
			error("cannot read a digest back from its temporary file: %s",
			      strerror(errno));
			return -1;
		}
		if (fn(arg, piece, n) < 0)
			return -1;
		off += n;
	}
	return 0;
}

static int hash_piece(void *arg, const void *piece, size_t len)
{
	uint64_t *h = arg;

	*h = hash64(piece, len, *h);
	return 0;
}

uint64_t digest_hash64(const struct digest *d, uint64_t seed)
{
	uint64_t h = seed;

	if (digest_each(d, hash_piece, &h) < 0)
		die(EX_IOERR, "cannot hash a digest");
	return h;
}

static size_t decode_memory = (size_t)8 << 20;

void digest_set_session_memory(size_t bytes)
{
	decode_memory = bytes;
}

struct digest_reader {
	ZSTD_DCtx *dctx;
	struct ingest_opts opts;
	struct unit_state u;
	struct parse_ctx c;
	struct strbuf sb;	/* decompressed: what is left of a line */
	struct session *s;
	uint64_t total;
	size_t r;		/* what ZSTD_decompressStream said last */
	int failed;
};

/* Parses the whole lines at the start of sb and keeps what is left of the last. */
static void parse_lines(struct parse_ctx *c, struct strbuf *sb, int at_end)
{
	char *p = sb->buf, *end = sb->buf + sb->len, *nl;

	while (p < end && ((nl = memchr(p, '\n', (size_t)(end - p))) || at_end)) {
		if (!nl)
			nl = end;
		*nl = '\0';
		c->lineno++;
		parse_line(c, p, (size_t)(nl - p));
		p = nl + 1;
	}
	if (p >= end) {
		strbuf_reset(sb);
		return;
	}
	memmove(sb->buf, p, (size_t)(end - p));
	sb->len = (size_t)(end - p);
	sb->buf[sb->len] = '\0';
}

struct digest_reader *digest_reader_new(struct session *s)
{
	struct digest_reader *r = xcalloc(1, sizeof(*r));

	r->dctx = ZSTD_createDCtx();
	if (!r->dctx)
		die(EX_UNAVAILABLE, "out of memory");
	ZSTD_DCtx_setParameter(r->dctx, ZSTD_d_windowLogMax, 27);
	strbuf_init(&r->sb, DIGEST_MAX);
	r->s = s;
	r->r = 1;
	r->opts.max_depth = 64;
	r->opts.session_memory = decode_memory;
	parse_ctx_init(&r->c, s, &r->opts, &r->u, "digest", 0, 1);
	return r;
}

int digest_reader_feed(void *arg, const void *piece, size_t len)
{
	struct digest_reader *r = arg;
	ZSTD_inBuffer in = { piece, len, 0 };
	int more = 1;	/* the decoder may hold output it had no room for */

	while (!r->failed && (in.pos < in.size || more)) {
		char chunk[65536];
		ZSTD_outBuffer out = { chunk, sizeof(chunk), 0 };

		r->r = ZSTD_decompressStream(r->dctx, &out, &in);
		if (ZSTD_isError(r->r)) {
			error("corrupt digest: %s", ZSTD_getErrorName(r->r));
			r->failed = 1;
			break;
		}
		r->total += out.pos;
		if (r->total > DIGEST_MAX || strbuf_add(&r->sb, chunk, out.pos) < 0) {
			error("digest over the size limit");
			r->failed = 1;
			break;
		}
		parse_lines(&r->c, &r->sb, 0);
		more = out.pos == out.size;
	}
	return r->failed ? -1 : 0;
}

int digest_reader_end(struct digest_reader *r)
{
	int ret = -1;

	if (!r->failed && r->r != 0)
		error("truncated digest");
	else if (!r->failed) {
		parse_lines(&r->c, &r->sb, 1);
		if (r->c.fmt != &format_dreamd)
			error("digest is not dreamd events");
		else
			ret = 0;
	}
	parse_ctx_release(&r->c);
	if (!ret)
		session_finish(r->s, &r->u);
	strbuf_release(&r->sb);
	ZSTD_freeDCtx(r->dctx);
	free(r);
	return ret;
}

int digest_decode(const struct digest *d, struct session *s)
{
	struct digest_reader *r = digest_reader_new(s);

	digest_each(d, digest_reader_feed, r);
	return digest_reader_end(r);
}
