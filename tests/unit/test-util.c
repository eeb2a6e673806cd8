/*
 * test-util.c: the fast paths in util.c agree with the plain ones: JSON
 * string escaping byte by byte, strbuf_addf() that formats in place, and
 * parse_iso8601() on the usual shape against sscanf().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dreamd/util.h"
#include "tests/unit/unit.h"

/* Escapes as strbuf_add_json() did before it skipped 8 bytes at a time. */
static void json_ref(struct strbuf *sb, const char *s, size_t len)
{
	size_t i;

	strbuf_addch(sb, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"')
			strbuf_addstr(sb, "\\\"");
		else if (c == '\\')
			strbuf_addstr(sb, "\\\\");
		else if (c == '\n')
			strbuf_addstr(sb, "\\n");
		else if (c == '\r')
			strbuf_addstr(sb, "\\r");
		else if (c == '\t')
			strbuf_addstr(sb, "\\t");
		else if (c < 0x20)
			strbuf_addf(sb, "\\u%04x", c);
		else
			strbuf_addch(sb, c);
	}
	strbuf_addch(sb, '"');
}

/* The valid UTF-8 prefix byte by byte, as RFC 3629's table says. */
static size_t utf8_ref(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], lo = 0x80, hi = 0xBF;
		size_t k, need;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3;
		else
			return i;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
		for (k = 1; k <= need; k++) {
			unsigned b = i + k < n ? s[i + k] : 0;

			if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
				return i;
		}
		i += need + 1;
	}
	return n;
}

/* parse_iso8601() as it was: sscanf() for every field. */
static int64_t iso_ref(const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	int64_t ms = 0;
	const char *p;
	struct tm tm = { 0 };

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return -1;
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3)
			return -1;
		p += 1 + n;
		if (*p == '.') {
			int digits = 0;

			for (p++; *p >= '0' && *p <= '9'; p++)
				if (digits++ < 3)
					ms = ms * 10 + (*p - '0');
			while (digits > 0 && digits < 3) {
				ms *= 10;
				digits++;
			}
		}
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return (int64_t)timegm(&tm) * 1000 + ms;
}

/* mkdir_parents makes the parents of a file, below where it is told to start. */
static void test_mkdir_parents(void)
{
	char dir[] = "/tmp/dreamd-test-util-XXXXXX";
	char path[128], sub[128];
	struct stat st;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/a/b/c.txt", dir);
	CHECK(mkdir_parents(path, strlen(dir) + 1) == 0);
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	CHECK(stat(sub, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(stat(path, &st) < 0);
	CHECK(mkdir_parents(path, strlen(dir) + 1) == 0);	/* again: they exist */
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/a", dir);
	rmdir(sub);
	rmdir(dir);
}

int main(void)
{
	static const char alphabet[] = "ab\"\\\n\r\t\x01\x1f \x7f\xc3\xa9/";
	static const char *const dates[] = {
		"2026-11-04T05:39:48.699Z", "2026-11-04T05:39:48Z", "2026-11-04 05:39:48.1",
		"2026-11-04", "2026-1-04T05:39:48Z", "2026-11-04T5:39:48Z", " 2026-11-04T05:39:48Z",
		"+2026-11-04T05:39:48Z", "20261-11-04", "2026-13-04T05:39:48Z", "2026-11-04T24:00:00Z",
		"2026-11-04T05:39:60.5Z", "2026-11-04T05:39", "2026-11-04X05:39:48Z", "1970-01-01T00:00:00Z",
		"2026-02-30T00:00:00.123456Z", "abcd-ef-ghT", "", "2026-11-0", "2026-11-045", NULL
	};
	const char *const *date;
	unsigned seed = 11;
	char text[80];
	int i, disagree = 0;

	for (i = 0; i < 20000; i++) {
		struct strbuf got, want;
		size_t len = (size_t)(rand_r(&seed) % sizeof(text)), k;

		for (k = 0; k < len; k++)
			text[k] = rand_r(&seed) % 4 ? 'x' : alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		strbuf_init(&got, STRBUF_NOLIMIT);
		strbuf_init(&want, STRBUF_NOLIMIT);
		strbuf_add_json(&got, text, len);
		json_ref(&want, text, len);
		if (got.len != want.len || memcmp(got.buf, want.buf, got.len))
			disagree++;
		strbuf_release(&got);
		strbuf_release(&want);
	}
	CHECK(disagree == 0);
	/* utf8_prefix() skips ASCII 16 bytes at a time: anything may follow a run of it. */
	{
		static const char bytes[] = "\xC3\xA9\xE2\x86\x92\xF0\x9F\x98\x80\xED\xA0\x80\xE0\x80"
					    "\xF4\x90\xC0\xFF\x80";
		char u[100];

		disagree = 0;
		for (i = 0; i < 50000; i++) {
			size_t len = (size_t)(rand_r(&seed) % sizeof(u)), k;

			for (k = 0; k < len; k++)
				u[k] = rand_r(&seed) % 8 ? 'a' : bytes[rand_r(&seed) % (sizeof(bytes) - 1)];
			if (utf8_prefix(u, len) != utf8_ref((const unsigned char *)u, len))
				disagree++;
		}
		CHECK(disagree == 0);
	}

	{
		struct strbuf sb;
		char big[300];

		memset(big, 'y', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		strbuf_init(&sb, 100);
		CHECK(strbuf_addf(&sb, "%s-%d", "ab", 42) == 0);
		CHECK_STR(sb.buf, "ab-42");
		/* Over the ceiling: fails and leaves the buffer as it was. */
		CHECK(strbuf_addf(&sb, "%s", big) < 0);
		CHECK_STR(sb.buf, "ab-42");
		CHECK(sb.len == 5);
		strbuf_release(&sb);
		strbuf_init(&sb, STRBUF_NOLIMIT);
		for (i = 0; i < 50; i++)
			strbuf_addf(&sb, "%d,", i);
		CHECK(strbuf_addf(&sb, "%s", big) == 0);
		CHECK(sb.len == strlen(sb.buf));
		CHECK(!strncmp(sb.buf, "0,1,2,", 6) && !strcmp(sb.buf + sb.len - 299, big));
		strbuf_release(&sb);
	}

	{
		/* One line for a terminal: C0, DEL and C1 escaped, UTF-8 kept. */
		static const char in[] = "a\nb\tc\x1b[2J\x7f\xc2\x9b\xc3\xa9\r";
		struct strbuf sb;

		strbuf_init(&sb, STRBUF_NOLIMIT);
		CHECK(strbuf_add_oneline(&sb, in, sizeof(in) - 1) == 0);
		CHECK_STR(sb.buf, "a\\nb\\tc\\x1b[2J\\x7f\\xc2\\x9b\xc3\xa9\\r");
		strbuf_release(&sb);
	}

	{
		/* Whole numbers: digits only, never clamped. */
		int64_t v = -7;

		CHECK(parse_whole("0", INT64_MAX, &v) == 0 && v == 0);
		CHECK(parse_whole("9223372036854775807", INT64_MAX, &v) == 0 && v == INT64_MAX);
		CHECK(parse_whole("9223372036854775808", INT64_MAX, &v) == -2);
		CHECK(parse_whole("18446744073709551617", INT64_MAX, &v) == -2);
		CHECK(parse_whole("256", 256, &v) == 0 && v == 256);
		CHECK(parse_whole("257", 256, &v) == -2);
		CHECK(parse_whole("", 9, &v) == -1);
		CHECK(parse_whole(" 1", 9, &v) == -1);
		CHECK(parse_whole("+1", 9, &v) == -1);
		CHECK(parse_whole("-1", 9, &v) == -1);
		CHECK(parse_whole("1 ", 9, &v) == -1);
		CHECK(parse_whole("99999999999999999999x", INT64_MAX, &v) == -1);
		CHECK(v == 256);
	}

	{
		/* The pool: one index per distinct string, stable as it grows. */
		struct strpool pool = { 0 };
		const char *first;
		char s[32];
		int bad = 0;

		first = strpool_str(&pool, "session-0");
		CHECK(strpool_str(&pool, NULL) == NULL);
		for (i = 0; i < 5000; i++) {
			snprintf(s, sizeof(s), "session-%d", i);
			bad += strpool_add(&pool, s, strlen(s)) != (size_t)i;
		}
		for (i = 4999; i >= 0; i--) {
			snprintf(s, sizeof(s), "session-%d", i);
			bad += strpool_add(&pool, s, strlen(s)) != (size_t)i;
			bad += strcmp(pool.v[i], s) != 0;
		}
		CHECK(bad == 0);
		CHECK(pool.n == 5000);
		CHECK(strpool_str(&pool, "session-0") == first);
		/* Only len bytes count: "session-12" cut to "session-1". */
		CHECK(strpool_add(&pool, "session-12", 9) == 1);
		CHECK(strpool_add(&pool, "", 0) == 5000);
		CHECK(strpool_find(&pool, "session-4999", 12) == 4999);
		CHECK(strpool_find(&pool, "session-5000", 12) == (size_t)-1);
		CHECK(pool.n == 5001);
		strpool_release(&pool);
		CHECK(strpool_find(&pool, "session-1", 9) == (size_t)-1);
	}

	{
		/* The map on top of it: set, overwrite, absent keys. */
		struct strmap m = { 0 };
		long v = -1;
		char k[32];
		int bad = 0;

		CHECK(!strmap_get(&m, "call_1", &v));
		for (i = 0; i < 3000; i++) {
			snprintf(k, sizeof(k), "call_%d", i);
			strmap_set(&m, k, i);
		}
		strmap_set(&m, "call_7", 70);
		for (i = 0; i < 3000; i++) {
			snprintf(k, sizeof(k), "call_%d", i);
			bad += !strmap_get(&m, k, &v) || v != (i == 7 ? 70 : i);
		}
		CHECK(bad == 0);
		CHECK(!strmap_get(&m, "call_3000", &v));
		CHECK(!strmap_get(&m, NULL, &v));
		strmap_release(&m);
	}

	{
		/* format_iso8601 by hand agrees with gmtime and strftime. */
		static const int64_t edges[] = { 0, 999, 1000, 951782400000LL /* 2000-02-29 */,
			4107542400000LL /* 2100-03-01 */, 253402300799999LL /* 9999-12-31 */,
			253402300800000LL /* 10000-01-01 */, 1795000000123LL };
		char got[32], want[32];
		unsigned seed2 = 7;
		int bad = 0;

		for (i = 0; i < 20000 + (int)(sizeof(edges) / sizeof(edges[0])); i++) {
			int64_t ms = i < 20000 ? (int64_t)(((uint64_t)rand_r(&seed2) << 31 |
				(uint64_t)rand_r(&seed2)) % 253402300800000ULL) :
				edges[i - 20000];
			time_t t = (time_t)(ms / 1000);
			struct tm tm;

			gmtime_r(&t, &tm);
			strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
			format_iso8601(ms, got);
			if (strcmp(got, want)) {
				if (bad++ < 3)
					fprintf(stderr, "%lld: '%s' != '%s'\n", (long long)ms, got, want);
			}
		}
		CHECK(bad == 0);
	}

	for (date = dates; *date; date++) {
		int64_t got = parse_iso8601(*date), want = iso_ref(*date);

		if (got != want)
			fprintf(stderr, "'%s': %lld != %lld\n", *date, (long long)got, (long long)want);
		CHECK(got == want);
	}
	CHECK(parse_iso8601(NULL) == -1);
	test_mkdir_parents();
	return unit_done();
}
