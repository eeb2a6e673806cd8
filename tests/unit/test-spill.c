/*
 * test-spill.c: a big session's texts in a temporary file (spill.h), read
 * back the same wherever they are read: the JSONL, the digest written in
 * pieces to a file and read back in pieces, a merge of two spilled
 * readings, and a parser adding to a spilled event.
 */
#include <stdlib.h>
#include <string.h>

#include "dreamd/common/hash.h"
#include "dreamd/common/spill.h"
#include "dreamd/ingest.h"
#include "dreamd/json-arena.h"
#include "dreamd/parse.h"
#include "dreamd/util.h"
#include "tests/unit/feed.h"
#include "tests/unit/unit.h"

/* A Claude Code session of turns turns from first on, each with a long tool output. */
static char *transcript(int first, int turns)
{
	struct strbuf sb;
	int i, k;

	strbuf_init(&sb, STRBUF_NOLIMIT);
	for (i = first; i < first + turns; i++) {
		strbuf_addf(&sb, "{\"type\":\"user\",\"sessionId\":\"B\",\"timestamp\":"
			    "\"2026-01-01T00:%02d:%02d.000Z\",\"message\":{\"content\":"
			    "\"run the tests again, turn %d\"}}\n", i / 60 % 60, i % 60, i);
		strbuf_addf(&sb, "{\"type\":\"assistant\",\"sessionId\":\"B\",\"message\":{\"id\":"
			    "\"m%d\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t%d\",\"name\":"
			    "\"Bash\",\"input\":{\"command\":\"npm test -- --shard %d\"}}]}}\n",
			    i, i, i % 7);
		strbuf_addf(&sb, "{\"type\":\"user\",\"sessionId\":\"B\",\"message\":{\"content\":"
			    "[{\"type\":\"tool_result\",\"tool_use_id\":\"t%d\",\"is_error\":%s,"
			    "\"content\":\"%s", i, i % 5 ? "false" : "true",
			    i % 5 ? "" : "Exit code 1\\nError: Cannot find module 'left-pad'\\n");
		for (k = 0; k < 60; k++)
			strbuf_addf(&sb, "line %d of turn %d: %08x ok\\n", k, i,
				    (unsigned)hash64(&k, sizeof(k), (uint64_t)i));
		strbuf_addstr(&sb, "\"}]}}\n");
	}
	return strbuf_detach(&sb, NULL);
}

/* Parses text into s (initialised here), keeping memory text under it (0: all). */
static void feed(struct session *s, const char *text, size_t memory)
{
	struct ingest_opts opts = { 0 };

	opts.max_depth = 16;
	opts.session_memory = memory;
	feed_opts(s, text, &opts);
}

static char *jsonl(const struct session *s)
{
	struct strbuf sb;

	strbuf_init(&sb, STRBUF_NOLIMIT);
	session_write_jsonl(s, &sb, NULL);
	return strbuf_detach(&sb, NULL);
}

static size_t spilled(const struct session *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nevents; i++)
		n += !s->events[i].text && s->events[i].spill;
	return n;
}

static void test_file(void)
{
	struct spill *sp = spill_open();
	struct event e = { 0 };
	struct strbuf buf;
	uint64_t off;
	char back[8];

	CHECK(sp != NULL);
	strbuf_init(&buf, STRBUF_NOLIMIT);
	CHECK(spill_write(sp, "abc", 3, &off) == 0 && off == 0);
	CHECK(spill_write(sp, "defgh", 5, &off) == 0 && off == 3 && spill_size(sp) == 8);
	CHECK(spill_read(sp, 2, back, 4) == 0 && !memcmp(back, "cdef", 4));
	CHECK(spill_read(sp, 6, back, 4) < 0);		/* past the end */
	CHECK_STR(event_text(&e, &buf), "");		/* no text at all */
	e.text = xstrdup("a text\nof two lines");
	e.text_len = strlen(e.text);
	CHECK(event_text(&e, &buf) == e.text);		/* in memory: itself */
	CHECK(spill_event(sp, &e) == 0 && !e.text && e.spill == sp && e.spill_off == 8);
	CHECK(event_has_text(&e));
	CHECK_STR(event_text(&e, &buf), "a text\nof two lines");
	CHECK(spill_unspill(&e) == 0 && e.text && !e.spill);
	CHECK_STR(e.text, "a text\nof two lines");
	free(e.text);
	strbuf_release(&buf);
	spill_close(sp);
}

/* Spilled or not, a session reads the same: its JSONL and its digest. */
static void test_session(void)
{
	char *t = transcript(0, 2500), *a, *b;
	struct session mem, sp, back;
	struct digest d = { 0 }, dm = { 0 };
	struct strbuf raw;
	size_t i;
	int ok = 1;

	feed(&mem, t, 0);
	feed(&sp, t, 65536);
	CHECK(mem.nevents == 7500 && sp.nevents == mem.nevents && !spilled(&mem));
	CHECK(spilled(&sp) > sp.nevents - 200 && sp.nspills == 1);
	CHECK(sp.mem_bytes <= 65536 && sp.text_bytes == mem.text_bytes);
	a = jsonl(&mem);
	b = jsonl(&sp);
	CHECK(strlen(a) > ((size_t)4 << 20));		/* past what a digest holds whole */
	CHECK_STR(a, b);
	free(b);

	/* A big digest is written to a file, and read back from it. */
	CHECK(digest_encode(&sp, &d) == 0 && d.file && !d.data);
	CHECK(digest_encode(&mem, &dm) == 0 && dm.file && dm.len == d.len);
	session_init(&back);
	digest_set_session_memory(65536);	/* as main() does from the config */
	CHECK(digest_decode(&d, &back) == 0);
	b = jsonl(&back);
	CHECK_STR(a, b);
	CHECK(spilled(&back) > 0);	/* reading a digest back spills too */
	free(b);
	session_release(&back);

	/* In pieces of any size, one byte at a time too: the same session. */
	strbuf_init(&raw, STRBUF_NOLIMIT);
	for (i = 0; i < d.len; i++) {
		char c;

		ok &= spill_read(d.file, i, &c, 1) == 0;
		strbuf_addch(&raw, c);
	}
	CHECK(ok && raw.len == d.len);
	CHECK(digest_hash64(&d, 7) == hash64(raw.buf, raw.len, 7));
	{
		struct digest_reader *r;

		session_init(&back);
		r = digest_reader_new(&back);
		for (i = 0; i < raw.len; i++)
			ok &= digest_reader_feed(r, raw.buf + i, 1) == 0;
		CHECK(ok);
		CHECK(digest_reader_end(r) == 0);
		b = jsonl(&back);
		CHECK_STR(a, b);
		free(b);
		session_release(&back);
		/* Cut short, it is a truncated digest, not a session. */
		session_init(&back);
		r = digest_reader_new(&back);
		CHECK(digest_reader_feed(r, raw.buf, raw.len / 2) == 0);
		CHECK(digest_reader_end(r) < 0);
		session_release(&back);
	}
	strbuf_release(&raw);
	digest_release(&d);
	digest_release(&dm);
	free(a);
	free(t);
	session_release(&mem);
	session_release(&sp);
}

/* Two spilled readings of one session unite as two in memory do. */
static void test_merge(void)
{
	char *t1 = transcript(0, 600), *t2 = transcript(300, 600), *a, *b;
	struct session m1, m2, s1, s2;
	size_t nf1, nf2, dr1, dr2;

	feed(&m1, t1, 0);
	feed(&m2, t2, 0);
	feed(&s1, t1, 65536);
	feed(&s2, t2, 65536);
	CHECK(spilled(&s1) && spilled(&s2));
	CHECK(session_merge(&m1, &m2, 0, 0, &nf1, &dr1) == MERGE_UNION);
	CHECK(session_merge(&s1, &s2, 0, 0, &nf2, &dr2) == MERGE_UNION);
	CHECK(nf1 == nf2 && nf1 == 900 && s1.nspills == 2);
	session_release(&s2);	/* the union reads what it took from s2's file */
	session_release(&m2);
	a = jsonl(&m1);
	b = jsonl(&s1);
	CHECK_STR(a, b);
	free(a);
	free(b);
	free(t1);
	free(t2);
	session_release(&m1);
	session_release(&s1);
}

/* A parser adding to an event whose text was spilled brings it back first. */
static void test_append(void)
{
	struct ingest_opts opts = { 0 };
	struct unit_state u = { 0 };
	struct parse_ctx c;
	struct session s;
	long i;

	session_init(&s);
	parse_ctx_init(&c, &s, &opts, &u, "t", 0, 1);
	i = parse_add(&c, EVENT_ASSISTANT, "first part", 10);
	for (int k = 0; k < 40; k++)
		parse_add(&c, EVENT_USER, "filler text", 11);
	CHECK(session_spill(&s, 64) == 0 && !s.events[i].text && s.events[i].spill);
	CHECK(s.events[40].text != NULL);		/* the latest stay */
	parse_append(&c, i, "second part", 11);
	CHECK_STR(s.events[i].text, "first part\nsecond part");
	CHECK(s.events[i].text_len == 22 && !s.events[i].spill);
	CHECK_STR(parse_text(&c, 1), "filler text");
	CHECK(s.events[1].text != NULL);
	parse_ctx_release(&c);
	unit_state_release(&u);
	session_release(&s);
}

int main(void)
{
	json_arena_install();
	test_file();
	test_session();
	test_merge();
	test_append();
	return unit_done();
}
