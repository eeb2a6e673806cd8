/*
 * export-write.c: the dreamd block of a user's CLAUDE.md or AGENTS.md,
 * found, replaced and written safely (the rules are in export-write.h).
 */
#include "dreamd/export-write.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MAX (64u << 20)
#define LINES_NAMED 5		/* marker lines an error names before "..." */

struct markers {
	size_t nbegin, nend;
	size_t begin_line[LINES_NAMED], end_line[LINES_NAMED];
	size_t begin_off;	/* the first begin line's offset */
	size_t end_next;	/* just after the first end line */
	int end_first;		/* an end marker came before the first begin */
	size_t fence_line;	/* an open fence's line at the end, or 0 */
};

static int starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !memcmp(s, prefix, k);
}

/*
 * A fence line per CommonMark: up to three spaces, then three or more ` or
 * ~. Returns the run's length and sets *c to its character; 0 otherwise. A
 * backtick fence's info string may not hold a backtick.
 */
static size_t fence_run(const char *s, size_t n, char *c, int *rest_blank)
{
	size_t i = 0, run;

	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i == n || (s[i] != '`' && s[i] != '~'))
		return 0;
	*c = s[i];
	for (run = 0; i < n && s[i] == *c; i++)
		run++;
	if (run < 3)
		return 0;
	*rest_blank = 1;
	for (; i < n; i++) {
		if (*c == '`' && s[i] == '`')
			return 0;
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			*rest_blank = 0;
	}
	return run;
}

static void find_markers(const char *s, size_t len, struct markers *mk)
{
	size_t off = 0, line = 0, open_run = 0;
	char open_c = 0;

	memset(mk, 0, sizeof(*mk));
	while (off < len) {
		const char *nl = memchr(s + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (s + off)) : len - off;
		size_t next = nl ? off + n + 1 : len;
		size_t run;
		char c;
		int blank;

		line++;
		run = fence_run(s + off, n, &c, &blank);
		if (open_run) {
			if (run >= open_run && c == open_c && blank)
				open_run = 0;
		} else if (run) {
			open_run = run;
			open_c = c;
			mk->fence_line = line;
		} else if (starts(s + off, n, EXPORT_BEGIN)) {
			if (mk->nbegin < LINES_NAMED)
				mk->begin_line[mk->nbegin] = line;
			if (!mk->nbegin++)
				mk->begin_off = off;
		} else if (starts(s + off, n, EXPORT_END)) {
			if (mk->nend < LINES_NAMED)
				mk->end_line[mk->nend] = line;
			if (!mk->nend++) {
				mk->end_next = next;
				mk->end_first = !mk->nbegin;
			}
		}
		off = next;
	}
	if (!open_run)
		mk->fence_line = 0;
}

static void name_lines(struct strbuf *sb, const char *what, size_t n, const size_t *lines)
{
	size_t i;

	if (!n) {
		strbuf_addf(sb, "no %s marker", what);
		return;
	}
	strbuf_addf(sb, "%s marker%s at line%s ", what, n > 1 ? "s" : "", n > 1 ? "s" : "");
	for (i = 0; i < n && i < LINES_NAMED; i++)
		strbuf_addf(sb, "%s%zu", i ? ", " : "", lines[i]);
	if (n > LINES_NAMED)
		strbuf_addf(sb, " and %zu more", n - LINES_NAMED);
}

int export_replace_block(struct strbuf *out, const char *old, size_t len,
			 const char *block, const char *path)
{
	struct markers mk;
	int r = 0;

	find_markers(old, len, &mk);
	if (!mk.nbegin && !mk.nend) {
		if (mk.fence_line)
			return error("code fence never closed, a block appended after it "
				     "would be inside it '%s:%zu'", path, mk.fence_line);
		r |= strbuf_add(out, old, len);
		if (len && old[len - 1] != '\n')
			r |= strbuf_addch(out, '\n');
		if (len)
			r |= strbuf_addch(out, '\n');
		r |= strbuf_addstr(out, block);
		return r ? -1 : 0;
	}
	if (mk.nbegin != 1 || mk.nend != 1 || mk.end_first) {
		struct strbuf msg;
		size_t first = !mk.nbegin ? mk.end_line[0] : !mk.nend ? mk.begin_line[0] :
			mk.begin_line[0] < mk.end_line[0] ? mk.begin_line[0] : mk.end_line[0];

		strbuf_init(&msg, STRBUF_NOLIMIT);
		name_lines(&msg, "begin", mk.nbegin, mk.begin_line);
		strbuf_addstr(&msg, "; ");
		name_lines(&msg, "end", mk.nend, mk.end_line);
		if (mk.nbegin == 1 && mk.nend == 1)
			strbuf_addstr(&msg, "; the end first");
		error("ambiguous dreamd block (%s), file left as it was '%s:%zu'",
		      msg.buf, path, first);
		strbuf_release(&msg);
		return -1;
	}
	r |= strbuf_add(out, old, mk.begin_off);
	r |= strbuf_addstr(out, block);
	r |= strbuf_add(out, old + mk.end_next, len - mk.end_next);
	return r ? -1 : 0;
}

/*
 * The file to write for path: the target of its symlinks, checked. Sets
 * *st (st_mode 0 for a file still to be created). Caller frees.
 */
static char *write_target(const char *path, struct stat *st)
{
	char *target;

	if (lstat(path, st) < 0) {
		if (errno != ENOENT) {
			error("cannot access '%s': %s", path, strerror(errno));
			return NULL;
		}
		memset(st, 0, sizeof(*st));
		return xstrdup(path);
	}
	if (S_ISLNK(st->st_mode)) {
		target = realpath(path, NULL);
		if (!target) {
			error("cannot follow the symlink '%s': %s", path, strerror(errno));
			return NULL;
		}
		if (stat(target, st) < 0) {
			error("cannot access '%s': %s", target, strerror(errno));
			free(target);
			return NULL;
		}
	} else {
		target = xstrdup(path);
	}
	if (S_ISDIR(st->st_mode)) {
		error("cannot write a directory, give a file in it '%s'", path);
	} else if (!S_ISREG(st->st_mode)) {
		error("cannot write what is not a regular file '%s'", path);
	} else if (access(target, W_OK) < 0) {
		error("cannot write '%s': %s", path, strerror(errno));
	} else if (!(st->st_mode & 0222)) {
		error("cannot write a read-only file (mode %03o) '%s'",
		      (unsigned)(st->st_mode & 0777), path);
	} else if (st->st_nlink > 1) {
		error("cannot replace a file with %ju hard links atomically '%s'",
		      (uintmax_t)st->st_nlink, path);
	} else {
		return target;
	}
	free(target);
	return NULL;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || fault_hit("write"))
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes data to target through a temp file beside it, mode and owner as st. */
static int replace_file(const char *target, const struct stat *st,
			const char *data, size_t len)
{
	char *copy = xstrdup(target);
	char *dir = xstrdup(dirname(copy));
	char *tmp = xasprintf("%s.tmp.XXXXXX", target);
	int fd, ret = -1, dfd;

	fd = mkstemp(tmp);
	if (fd < 0) {
		error("cannot create a temp file in '%s': %s", dir, strerror(errno));
		goto out;
	}
	if (st->st_mode) {
		if (fchmod(fd, st->st_mode & 07777) < 0) {
			error("cannot keep the mode of '%s': %s", target, strerror(errno));
			goto fail;
		}
		if ((st->st_uid != geteuid() || st->st_gid != getegid()) &&
		    fchown(fd, st->st_uid, st->st_gid) < 0) {
			error("cannot keep the owner of '%s' (uid %ju, gid %ju): %s",
			      target, (uintmax_t)st->st_uid, (uintmax_t)st->st_gid,
			      strerror(errno));
			goto fail;
		}
	} else {
		mode_t mask = umask(0);

		umask(mask);
		if (fchmod(fd, 0666 & ~mask) < 0) {
			error("cannot set the mode of '%s': %s", tmp, strerror(errno));
			goto fail;
		}
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		error("cannot write '%s': %s", tmp, strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		error("cannot write '%s': %s", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, target) < 0) {
		error("cannot rename '%s' to '%s': %s", tmp, target, strerror(errno));
		goto fail;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	ret = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	free(dir);
	free(copy);
	return ret;
}

int export_write_file(const char *path, const char *data, size_t len)
{
	struct stat st;
	char *target = write_target(path, &st);
	int ret;

	if (!target)
		return -1;
	ret = replace_file(target, &st, data, len);
	free(target);
	return ret;
}

int export_write_block(const char *path, const char *block)
{
	struct stat st;
	struct strbuf out;
	char *target, *old = NULL;
	size_t len = 0;
	int ret = -1;

	target = write_target(path, &st);
	if (!target)
		return -1;
	if (st.st_mode && read_file(target, FILE_MAX, &old, &len) < 0)
		goto out;
	strbuf_init(&out, (size_t)FILE_MAX * 2);
	if (export_replace_block(&out, old ? old : "", len, block, path) < 0)
		goto out_buf;
	if (st.st_mode && len == out.len && !memcmp(old, out.buf, len))
		ret = 0;	/* unchanged: leave the file and its mtime alone */
	else
		ret = replace_file(target, &st, out.buf, out.len);
out_buf:
	strbuf_release(&out);
out:
	free(old);
	free(target);
	return ret;
}
