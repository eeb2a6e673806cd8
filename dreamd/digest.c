/*
 * digest.c: a session as dreamd's own JSONL (schemas/events.md), and the
 * zstd-compressed digest the store keeps.
 */
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

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

int session_write_jsonl(const struct session *s, struct strbuf *sb)
{
	size_t i;

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
	for (i = 0; i < s->nevents; i++) {
		const struct event *e = &s->events[i];

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
		strbuf_add_json(sb, e->text ? e->text : "", e->text ? e->text_len : 0);
		if (strbuf_addstr(sb, "}\n") < 0)
			return -1;
	}
	return 0;
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

int digest_encode(const struct session *s, void **out, size_t *len)
{
	struct digest_tls *t = thread_slot_get(&tls);
	struct strbuf *sb = &t->sb;
	size_t bound, n;
	void *dst = NULL;
	int ret = -1;

	strbuf_reset(sb);
	if (session_write_jsonl(s, sb) < 0)
		goto done;	/* the caller reports it, as bad input */
	bound = ZSTD_compressBound(sb->len);
	dst = xmalloc(bound);
	/*
	 * Level 1: digests are written every night and read rarely. Measured
	 * on the bench corpus's digests (51 MB): levels -7 to 3 took 0.111 to
	 * 0.141 s and gave 17.0 to 12.7 MB, level 1 0.131 s and 13.4 MB.
	 */
	n = ZSTD_compressCCtx(t->cctx, dst, bound, sb->buf, sb->len, 1);
	if (ZSTD_isError(n)) {
		free(dst);
		error("cannot compress a digest: %s", ZSTD_getErrorName(n));
		goto done;
	}
	*out = dst;
	*len = n;
	ret = 0;
done:
	if (sb->alloc > DIGEST_KEEP) {
		strbuf_release(sb);
		strbuf_init(sb, DIGEST_MAX);
	}
	return ret;
}

int digest_decode(const void *data, size_t len, struct session *s)
{
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	ZSTD_inBuffer in = { data, len, 0 };
	struct ingest_opts opts = { 0 };
	struct unit_state u = { 0 };
	struct parse_ctx c;
	struct strbuf sb;
	char *p, *end;
	size_t r = 1;
	int ret = -1;

	if (!dctx)
		die(EX_UNAVAILABLE, "out of memory");
	ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 27);
	strbuf_init(&sb, DIGEST_MAX);
	while (in.pos < in.size || r != 0) {
		char chunk[65536];
		ZSTD_outBuffer out = { chunk, sizeof(chunk), 0 };

		r = ZSTD_decompressStream(dctx, &out, &in);
		if (ZSTD_isError(r)) {
			error("corrupt digest: %s", ZSTD_getErrorName(r));
			goto cleanup;
		}
		if (strbuf_add(&sb, chunk, out.pos) < 0) {
			error("digest over the size limit");
			goto cleanup;
		}
		if (!out.pos && in.pos == in.size && r != 0) {
			error("truncated digest");
			goto cleanup;
		}
	}
	opts.max_depth = 64;
	parse_ctx_init(&c, s, &opts, &u, "digest", 0, 1);
	for (p = sb.buf; p < sb.buf + sb.len; p = end + 1) {
		end = memchr(p, '\n', (size_t)(sb.buf + sb.len - p));
		if (!end)
			end = sb.buf + sb.len;
		*end = '\0';
		c.lineno++;
		parse_line(&c, p, (size_t)(end - p));
	}
	if (c.fmt != &format_dreamd) {
		parse_ctx_release(&c);
		error("digest is not dreamd events");
		goto cleanup;
	}
	parse_ctx_release(&c);
	session_finish(s, &u);
	ret = 0;
cleanup:
	strbuf_release(&sb);
	ZSTD_freeDCtx(dctx);
	return ret;
}
