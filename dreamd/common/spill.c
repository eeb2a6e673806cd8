/*
 * spill.c: event texts in an unlinked temporary file (spill.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dreamd/common/spill.h"

struct spill {
	int fd;
	uint64_t size;
};

static const char *tmp_dir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d == '/' ? d : "/tmp";
}

/* An unlinked file in dir: O_TMPFILE where the file system has it, else mkstemp. */
static int open_tmp(const char *dir)
{
	char *path;
	int fd;

#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
#endif
	path = malloc(strlen(dir) + sizeof("/dreamd-spill-XXXXXX"));
	if (!path)
		return -1;
	strcpy(path, dir);
	strcat(path, "/dreamd-spill-XXXXXX");
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

struct spill *spill_open(void)
{
	struct spill *sp = malloc(sizeof(*sp));

	if (!sp)
		return NULL;
	sp->fd = open_tmp(tmp_dir());
	sp->size = 0;
	if (sp->fd < 0) {
		int e = errno;

		free(sp);
		errno = e;
		return NULL;
	}
	return sp;
}

void spill_close(struct spill *sp)
{
	if (!sp)
		return;
	close(sp->fd);
	free(sp);
}

uint64_t spill_size(const struct spill *sp)
{
	return sp->size;
}

int spill_write(struct spill *sp, const void *data, size_t len, uint64_t *off)
{
	const char *text = data;
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(sp->fd, text + done, len - done, (off_t)(sp->size + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = ENOSPC;
			return -1;
		}
		done += (size_t)n;
	}
	*off = sp->size;
	sp->size += len;
	return 0;
}

int spill_event(struct spill *sp, struct event *e)
{
	uint64_t off;

	if (!e->text || e->spill)
		return 0;
	if (spill_write(sp, e->text, e->text_len, &off) < 0)
		return -1;
	free(e->text);
	e->text = NULL;
	e->spill = sp;
	e->spill_off = off;
	return 0;
}

int spill_read(const struct spill *sp, uint64_t off, void *buf, size_t len)
{
	char *dst = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(sp->fd, dst + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

int spill_unspill(struct event *e)
{
	char *t;

	if (e->text || !e->spill)
		return 0;
	t = malloc(e->text_len + 1);
	if (!t)
		return -1;
	if (spill_read(e->spill, e->spill_off, t, e->text_len) < 0) {
		int err = errno;

		free(t);
		errno = err;
		return -1;
	}
	t[e->text_len] = '\0';
	e->text = t;
	e->spill = NULL;
	e->spill_off = 0;
	return 0;
}

int spill_append(const struct spill *sp, uint64_t off, uint64_t len, struct strbuf *sb)
{
	char chunk[65536];

	while (len) {
		size_t n = len < sizeof(chunk) ? (size_t)len : sizeof(chunk);

		if (spill_read(sp, off, chunk, n) < 0)
			return -1;
		if (strbuf_add(sb, chunk, n) < 0) {
			errno = ENOMEM;
			return -1;
		}
		off += n;
		len -= n;
	}
	return 0;
}

const char *event_text(const struct event *e, struct strbuf *buf)
{
	if (e->text)
		return e->text;
	if (!e->spill)
		return "";
	strbuf_reset(buf);
	if (spill_append(e->spill, e->spill_off, e->text_len, buf) < 0)
		return NULL;
	return strbuf_str(buf);
}
