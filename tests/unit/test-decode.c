/*
 * test-decode.c: the streaming line reader's bounds.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "dreamd/decode.h"
#include "dreamd/util.h"
#include "tests/unit/unit.h"

static char dir[] = "/tmp/test-decode.XXXXXX";

static char *put(const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);

	CHECK(write_file_atomic(path, data, len) == 0);
	return path;
}

static char *put_zstd(const char *name, const char *data, size_t len)
{
	size_t bound = ZSTD_compressBound(len), n;
	char *buf = xmalloc(bound), *path;

	n = ZSTD_compress(buf, bound, data, len, 1);
	CHECK(!ZSTD_isError(n));
	path = put(name, buf, n);
	free(buf);
	return path;
}

static void test_lines(const char *path, size_t max_line)
{
	struct decode_limits lim = { max_line, 1 << 30, 27 };
	const char *kind, *why;
	struct decoder *d = decoder_open(path, &lim, HASH64_SEED, &kind, &why);
	char *line;
	size_t len;

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(decoder_next(d, &line, &len) == DECODE_LINE);
	CHECK_STR(line, "one");
	CHECK(decoder_next(d, &line, &len) == DECODE_LONG);
	CHECK(decoder_lineno(d) == 2);
	CHECK(decoder_next(d, &line, &len) == DECODE_LINE);
	CHECK_STR(line, "three");
	CHECK(decoder_lineno(d) == 3);
	CHECK(decoder_next(d, &line, &len) == DECODE_LINE);
	CHECK_STR(line, "last, no newline");
	CHECK(decoder_next(d, &line, &len) == DECODE_EOF);
	decoder_close(d);
}

/* The lines of d (and d2 in turns) until their end, each 99 bytes. */
static size_t count_lines(struct decoder *d, struct decoder *d2)
{
	char *line;
	size_t len, n = 0;
	int more = 1, more2 = d2 != NULL;

	while (more || more2) {
		if (more && (more = decoder_next(d, &line, &len) == DECODE_LINE)) {
			CHECK(len == 99);
			n++;
		}
		if (more2 && (more2 = decoder_next(d2, &line, &len) == DECODE_LINE)) {
			CHECK(len == 99);
			n++;
		}
	}
	return n;
}

int main(void)
{
	struct strbuf sb;
	struct decode_limits lim = { 4096, 1 << 20, 27 };
	const char *kind, *why;
	struct decoder *d;
	char *path, *line, *big, *full;
	size_t len, i;
	uint64_t h;
	int n;

	CHECK(mkdtemp(dir) != NULL);
	strbuf_init(&sb, STRBUF_NOLIMIT);
	strbuf_addstr(&sb, "one\n");
	for (i = 0; i < 3 << 20; i++)
		strbuf_addch(&sb, 'x');
	strbuf_addstr(&sb, "\nthree\nlast, no newline");

	/* An overlong line is dropped, plain and compressed, small buffers and big. */
	path = put("a.jsonl", sb.buf, sb.len);
	test_lines(path, 1024);
	test_lines(path, 2 << 20);
	free(path);
	path = put_zstd("a.jsonl.zst", sb.buf, sb.len);
	test_lines(path, 1024);
	test_lines(path, 2 << 20);

	/*
	 * The raw hash is the hash of the file's bytes, however they were
	 * read; the content hash is the same for the plain and the
	 * compressed file.
	 */
	{
		struct decode_limits roomy = { 4096, 1 << 30, 27 };
		struct hasher hs;
		char *raw, *plain;
		size_t rawlen;
		uint64_t chain;

		CHECK(read_file(path, 1 << 30, &raw, &rawlen) == 0);
		hasher_init(&hs, HASH64_SEED);
		hasher_add(&hs, raw, rawlen);
		h = hasher_final(&hs);
		free(raw);
		d = decoder_open(path, &roomy, HASH64_SEED, &kind, &why);
		while (decoder_next(d, &line, &len) > 0)
			;
		CHECK(decoder_file_hash(d) == h);
		chain = decoder_chain_hash(d);
		decoder_close(d);
		plain = put("b.jsonl", sb.buf, sb.len);
		d = decoder_open(plain, &roomy, HASH64_SEED, &kind, &why);
		while (decoder_next(d, &line, &len) > 0)
			;
		CHECK(decoder_chain_hash(d) == chain);
		CHECK(decoder_file_hash(d) != h);
		decoder_close(d);
		free(plain);
	}

	/* The ceiling stops a bomb: 3 MiB decompressed, 1 MiB allowed. */
	d = decoder_open(path, &lim, HASH64_SEED, &kind, &why);
	while ((n = decoder_next(d, &line, &len)) > 0)
		;
	CHECK(n == DECODE_ERROR);
	decoder_error(d, &kind, &why);
	CHECK_STR(kind, "size-limit");
	decoder_close(d);
	free(path);

	/* A .zst that is not zstd; an empty file; a missing one. */
	path = put("b.jsonl.zst", "{}\n", 3);
	CHECK(decoder_open(path, &lim, 0, &kind, &why) == NULL);
	CHECK_STR(kind, "not-zstd");
	free(path);
	path = put("c.jsonl", "", 0);
	CHECK(decoder_open(path, &lim, 0, &kind, &why) == NULL);
	CHECK_STR(kind, "empty-file");
	free(path);
	CHECK(decoder_open("/nonexistent/x.jsonl", &lim, 0, &kind, &why) == NULL);
	CHECK_STR(kind, "missing");

	/* Truncated: the complete lines come out, then the error. */
	big = xmalloc(200000);
	for (i = 0; i < 200000; i++)
		big[i] = i % 100 == 99 ? '\n' : (char)('a' + (i * 7919) % 26);
	full = put_zstd("d.jsonl.zst", big, 200000);
	{
		char *whole;
		size_t wlen;

		CHECK(read_file(full, 1 << 20, &whole, &wlen) == 0);
		path = put("e.jsonl.zst", whole, wlen - 10);
		free(whole);
	}
	d = decoder_open(path, &lim, 0, &kind, &why);
	i = 0;
	while ((n = decoder_next(d, &line, &len)) == DECODE_LINE) {
		CHECK(len == 99);
		i++;
	}
	CHECK(n == DECODE_ERROR);
	CHECK(i > 0 && i < 2000);
	decoder_error(d, &kind, &why);
	CHECK_STR(kind, "truncated-zstd");
	decoder_close(d);
	free(path);
	free(big);

	/*
	 * A thread reuses a closed decoder's context and buffers: the file
	 * after one left mid-frame reads whole, and so do two open at once,
	 * read in turns.
	 */
	d = decoder_open(full, &lim, 0, &kind, &why);
	CHECK(count_lines(d, NULL) == 2000);
	decoder_close(d);
	d = decoder_open(full, &lim, 0, &kind, &why);
	{
		struct decoder *d2 = decoder_open(full, &lim, 0, &kind, &why);

		CHECK(d2 != NULL);
		CHECK(count_lines(d, d2) == 4000);
		decoder_close(d2);
	}
	decoder_close(d);
	free(full);

	strbuf_release(&sb);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		CHECK(system(cmd) == 0);
		free(cmd);
	}
	return unit_done();
}
