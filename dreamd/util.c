/*
 * util.c: dreamd's toolbox (util.h): messages, string pools, time and
 * atomic files (allocation and the clock are the common layer's).
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int verbosity = 1;

/*
 * The escape for the character at s[*i] (see strbuf_add_oneline) into
 * esc, *i moved to its last byte; 0 when it needs none.
 */
static int oneline_escape(const char *s, size_t len, size_t *i, char esc[16])
{
	unsigned char c = (unsigned char)s[*i];

	if (c == 0xc2 && *i + 1 < len && (unsigned char)s[*i + 1] >= 0x80 &&
	    (unsigned char)s[*i + 1] <= 0x9f) {
		(*i)++;
		snprintf(esc, 16, "\\xc2\\x%02x", (unsigned char)s[*i]);
		return 1;
	}
	if (c >= 0x20 && c != 0x7f)
		return 0;
	if (c == '\n' || c == '\r' || c == '\t')
		snprintf(esc, 16, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
	else
		snprintf(esc, 16, "\\x%02x", c);
	return 1;
}

/* No allocation here: die("out of memory") comes this way. */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char msg[4096], line[8192], esc[16];
	size_t i, n = 0, len;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	for (i = 0; i < len && n + 16 < sizeof(line); i++) {
		size_t at = i;

		if (oneline_escape(msg, len, &i, esc)) {
			memcpy(line + n, esc, strlen(esc));
			n += strlen(esc);
		} else {
			line[n++] = msg[at];
		}
	}
	line[n] = '\0';
	fprintf(stderr, "dreamd: %s%s\n", prefix, line);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void info(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 1)
		return;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	exit(status);
}

void progress_start(struct progress *p)
{
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	p->last = 0;
	p->on = verbosity >= 1 && isatty(STDERR_FILENO);
}

double progress_elapsed(const struct progress *p)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - p->t0.tv_sec) + (double)(t.tv_nsec - p->t0.tv_nsec) / 1e9;
}

int progress_due(struct progress *p, int final)
{
	double s;

	if (!p->on)
		return 0;
	s = progress_elapsed(p);
	if (!final && s - p->last < 0.2)
		return 0;
	p->last = s;
	return 1;
}

void progress_show(int final, const char *fmt, ...)
{
	va_list ap;

	fputs("\rdreamd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(final ? "\n" : "", stderr);
}

const char *login_name(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;

	if (u && *u)
		return u;
	pw = getpwuid(geteuid());
	return pw && pw->pw_name && *pw->pw_name ? pw->pw_name : NULL;
}

int strbuf_add_oneline(struct strbuf *sb, const char *s, size_t len)
{
	size_t i, start = 0;
	char esc[16];
	int r = 0;

	for (i = 0; i < len; i++) {
		size_t at = i;

		if (!oneline_escape(s, len, &i, esc))
			continue;
		r |= strbuf_add(sb, s + start, at - start);
		r |= strbuf_addstr(sb, esc);
		start = i + 1;
	}
	r |= strbuf_add(sb, s + start, len - start);
	return r ? -1 : 0;
}

static void strpool_grow(struct strpool *p)
{
	size_t i, k, n = p->tsize ? 2 * p->tsize : 1024;

	free(p->table);
	p->table = xcalloc(n, sizeof(*p->table));
	p->tsize = n;
	for (k = 0; k < p->n; k++) {
		for (i = p->hash[k] & (n - 1); p->table[i]; i = (i + 1) & (n - 1))
			;
		p->table[i] = (uint32_t)k + 1;
	}
}

/* The slot holding the first len bytes of s (hashed to h), or the empty one it would take. */
static size_t strpool_slot(const struct strpool *p, const char *s, size_t len, uint64_t h)
{
	size_t i, mask = p->tsize - 1;

	for (i = h & mask; p->table[i]; i = (i + 1) & mask) {
		size_t k = p->table[i] - 1;

		if (p->hash[k] == h && !strncmp(p->v[k], s, len) && !p->v[k][len])
			break;
	}
	return i;
}

size_t strpool_find(const struct strpool *p, const char *s, size_t len)
{
	size_t i;

	if (!p->n)
		return (size_t)-1;
	i = strpool_slot(p, s, len, hash_fast(s, len, HASH64_SEED));
	return p->table[i] ? p->table[i] - 1 : (size_t)-1;
}

size_t strpool_add(struct strpool *p, const char *s, size_t len)
{
	uint64_t h = hash_fast(s, len, HASH64_SEED);
	size_t i;

	if (2 * (p->n + 1) > p->tsize)
		strpool_grow(p);
	i = strpool_slot(p, s, len, h);
	if (p->table[i])
		return p->table[i] - 1;
	if (p->n >= UINT32_MAX - 1)
		die(EX_SOFTWARE, "string pool full");
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? 2 * p->alloc : 64;
		p->v = xrealloc(p->v, p->alloc * sizeof(*p->v));
		p->hash = xrealloc(p->hash, p->alloc * sizeof(*p->hash));
	}
	p->v[p->n] = xstrndup(s, len);
	p->hash[p->n] = h;
	p->table[i] = (uint32_t)++p->n;
	return p->n - 1;
}

const char *strpool_str(struct strpool *p, const char *s)
{
	size_t i;

	if (!s)
		return NULL;
	i = strpool_add(p, s, strlen(s));
	return p->v[i];
}

void strpool_release(struct strpool *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	free(p->hash);
	free(p->table);
	memset(p, 0, sizeof(*p));
}

void strmap_set(struct strmap *m, const char *key, long val)
{
	size_t i = strpool_add(&m->keys, key, strlen(key));

	ALLOC_GROW(m->vals, m->keys.n, m->alloc);
	m->vals[i] = val;
}

int strmap_get(const struct strmap *m, const char *key, long *val)
{
	size_t i;

	if (!key || (i = strpool_find(&m->keys, key, strlen(key))) == (size_t)-1)
		return 0;
	*val = m->vals[i];
	return 1;
}

void strmap_release(struct strmap *m)
{
	strpool_release(&m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's algorithm: days since 1970-01-01. */
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Whether s starts with the digits and separators of shape ('9' a digit). */
static int shaped(const char *s, const char *shape)
{
	for (; *shape; s++, shape++)
		if (*shape == '9' ? *s < '0' || *s > '9' : *s != *shape)
			return 0;
	return 1;
}

static int digits2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int parse_whole(const char *s, int64_t max, int64_t *out)
{
	int64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (*s - '0')) / 10)
			v = -1;
		if (v >= 0)
			v = v * 10 + (*s - '0');
	}
	if (v < 0)
		return -2;
	*out = v;
	return 0;
}

int64_t parse_iso8601(const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	int64_t ms = 0;
	const char *p;

	/* The usual shape reads as the sscanf() calls below would, only faster. */
	if (s && shaped(s, "9999-99-99")) {
		y = digits2(s) * 100 + digits2(s + 2);
		mo = digits2(s + 5);
		d = digits2(s + 8);
		n = 10;
	} else if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3) {
		return -1;
	}
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		if (shaped(p + 1, "99:99:99")) {
			h = digits2(p + 1);
			mi = digits2(p + 4);
			sec = digits2(p + 7);
			n = 8;
		} else if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3) {
			return -1;
		}
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
	return ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 24 + h) * 60 + mi) *
		60000 + sec * 1000 + ms;
}

static void put_digits(char *p, unsigned v, int n)
{
	while (n--) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void format_iso8601(int64_t ms, char out[32])
{
	int64_t secs = ms / 1000, days = secs / 86400, sod = secs % 86400;
	int64_t z, era, doe, yoe, y, doy, mp, d, m;
	time_t t;
	struct tm tm;

	/* Howard Hinnant's days_from_civil, inverted: 1970 to 9999 by hand. */
	if (ms >= 0 && days < 2932897) {
		z = days + 719468;
		era = z / 146097;
		doe = z - era * 146097;
		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		mp = (5 * doy + 2) / 153;
		d = doy - (153 * mp + 2) / 5 + 1;
		m = mp < 10 ? mp + 3 : mp - 9;
		y = yoe + era * 400 + (m <= 2);
		memcpy(out, "0000-00-00T00:00:00Z", 21);
		put_digits(out, (unsigned)y, 4);
		put_digits(out + 5, (unsigned)m, 2);
		put_digits(out + 8, (unsigned)d, 2);
		put_digits(out + 11, (unsigned)(sod / 3600), 2);
		put_digits(out + 14, (unsigned)(sod / 60 % 60), 2);
		put_digits(out + 17, (unsigned)(sod % 60), 2);
		return;
	}
	t = (time_t)(ms / 1000);
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	const char *p = data;
	int fd, ret = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		error("cannot create '%s': %s", tmp, strerror(errno));
		goto cleanup;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || fault_hit("write")) {
			error("cannot write '%s': %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			goto cleanup;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		error("cannot write '%s': %s", tmp, strerror(errno));
		unlink(tmp);
		goto cleanup;
	}
	if (rename(tmp, path) < 0) {
		error("cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
		unlink(tmp);
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(tmp);
	return ret;
}

int read_file(const char *path, size_t max, char **out, size_t *len)
{
	struct strbuf sb;
	char buf[65536];
	FILE *f;
	size_t n;
	int ret = 0;

	f = fopen(path, "rb");
	if (!f)
		return error("cannot open '%s': %s", path, strerror(errno));
	strbuf_init(&sb, max);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (strbuf_add(&sb, buf, n) < 0) {
			ret = error("file too large '%s'", path);
			break;
		}
	}
	if (!ret && ferror(f))
		ret = error("cannot read '%s': %s", path, strerror(errno));
	fclose(f);
	if (ret) {
		strbuf_release(&sb);
		return ret;
	}
	*out = strbuf_detach(&sb, len);
	return 0;
}

int mkdir_parents(const char *path, size_t from)
{
	char *p = xstrdup(path), *s;
	int ret = 0;

	for (s = strlen(p) > from ? p + from : p + strlen(p); (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			ret = error("cannot create directory '%s': %s", p, strerror(errno));
		*s = '/';
		if (ret)
			break;
	}
	free(p);
	return ret;
}
