/*
 * parse-floor.c: the second floor of tests/bench.sh. Decompresses each zstd
 * file named on standard input (one path a line) and parses every line with
 * cJSON, the project's JSON parser, and does nothing else: no redaction, no
 * extraction, no store. What `dreamd run` can reach on one core is below
 * this, whatever the rest of the pipeline costs.
 *
 * usage: parse-floor < FILE-LIST
 *
 * Prints "LINES PARSED BYTES" (PARSED: lines cJSON accepted; BYTES:
 * uncompressed) and exits 0, or 1 on a file it cannot read or decompress.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <zstd.h>

struct counts {
	unsigned long long lines, parsed, bytes;
};

struct line {
	char *buf;
	size_t len, cap;
};

static void parse(struct line *l, struct counts *c)
{
	cJSON *root = cJSON_ParseWithLength(l->buf, l->len);

	c->lines++;
	if (root)
		c->parsed++;
	cJSON_Delete(root);
	l->len = 0;
}

static int append(struct line *l, const char *p, size_t n)
{
	if (l->len + n > l->cap) {
		size_t cap = 2 * (l->len + n);
		char *b = realloc(l->buf, cap);

		if (!b)
			return -1;
		l->buf = b;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, p, n);
	l->len += n;
	return 0;
}

/* Splits decompressed bytes into lines; parses each whole one. */
static int feed(struct line *l, const char *p, size_t n, struct counts *c)
{
	c->bytes += n;
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) : n;

		if (append(l, p, k) < 0)
			return -1;
		if (!nl)
			break;
		parse(l, c);
		p += k + 1;
		n -= k + 1;
	}
	return 0;
}

static int one_file(const char *path, ZSTD_DCtx *dctx, struct line *l, struct counts *c)
{
	static char in[1 << 17], out[1 << 17];
	FILE *f = fopen(path, "rb");
	size_t n, r = 0;

	if (!f) {
		fprintf(stderr, "parse-floor: error: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
	l->len = 0;
	while ((n = fread(in, 1, sizeof(in), f)) > 0) {
		ZSTD_inBuffer ib = { in, n, 0 };

		while (ib.pos < ib.size) {
			ZSTD_outBuffer ob = { out, sizeof(out), 0 };

			r = ZSTD_decompressStream(dctx, &ob, &ib);
			if (ZSTD_isError(r)) {
				fprintf(stderr, "parse-floor: error: %s: %s\n", path,
					ZSTD_getErrorName(r));
				fclose(f);
				return -1;
			}
			if (feed(l, out, ob.pos, c) < 0) {
				fprintf(stderr, "parse-floor: error: out of memory\n");
				fclose(f);
				return -1;
			}
		}
	}
	fclose(f);
	if (l->len)
		parse(l, c);
	return 0;
}

int main(void)
{
	struct counts c = { 0 };
	struct line l = { 0 };
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	char path[4096];
	int ret = 0;

	if (!dctx)
		return 1;
	while (fgets(path, sizeof(path), stdin)) {
		path[strcspn(path, "\n")] = '\0';
		if (*path && one_file(path, dctx, &l, &c) < 0)
			ret = 1;
	}
	printf("%llu %llu %llu\n", c.lines, c.parsed, c.bytes);
	free(l.buf);
	ZSTD_freeDCtx(dctx);
	return ret;
}
