/*
 * worktree.c: one repository, one project: a session's cwd in a linked git
 * worktree is named by the main checkout's path; see worktree.h.
 *
 * git keeps a linked worktree's state in the main repository: the
 * worktree's ".git" is a file, "gitdir: MAIN/.git/worktrees/NAME", and that
 * directory's "commondir" names MAIN/.git. So from the cwd up to "/", the
 * first ".git" decides: a directory (a checkout of its own) or any other
 * file leaves the cwd alone; a worktree's gives MAIN plus the cwd's path
 * below the worktree. Only what is on this machine is read: a cwd that is
 * not here (a spool from elsewhere) stays as it is.
 */
#include "dreamd/worktree.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dreamd/names.h"
#include "dreamd/util.h"

#define GITFILE_MAX 4096

/*
 * The first line of a small regular file, quietly: NULL when it is absent,
 * not a regular file (a FIFO would block the run), a symlink, or larger
 * than GITFILE_MAX. A submodule's gitdir has no commondir: that is no error.
 */
static char *first_line(const char *file)
{
	char buf[GITFILE_MAX + 1];
	struct stat st;
	ssize_t n;
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > GITFILE_MAX) {
		close(fd);
		return NULL;
	}
	n = read(fd, buf, GITFILE_MAX);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return xstrdup(buf);
}

/* The path a gitfile or commondir names, absolute against dir; malloc'd. */
static char *named_path(const char *file, const char *prefix, const char *dir)
{
	char *text = first_line(file), *p, *out;
	size_t n = strlen(prefix);

	if (!text)
		return NULL;
	p = text;
	if (strncmp(p, prefix, n)) {
		free(text);
		return NULL;
	}
	p += n;
	out = *p == '/' ? xstrdup(p) : *p ? xasprintf("%s/%s", dir, p) : NULL;
	free(text);
	return out;
}

/* path with its "." and ".." components resolved, in place (absolute). */
static void tidy(char *path)
{
	char *out = path, *s = path;

	while (*s) {
		char *e;
		size_t n;

		while (*s == '/')
			s++;
		e = s + strcspn(s, "/");
		n = (size_t)(e - s);
		if (n == 1 && s[0] == '.') {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else if (n) {
			*out++ = '/';
			memmove(out, s, n);
			out += n;
		}
		s = e;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/* The main checkout of the worktree whose gitfile is at dir/.git, or NULL. */
static char *main_checkout(const char *dir)
{
	char *file = xasprintf("%s/.git", dir), *gitdir = named_path(file, "gitdir: ", dir);
	char *common = NULL, *root = NULL, *slash;

	free(file);
	if (gitdir) {
		file = xasprintf("%s/commondir", gitdir);
		common = named_path(file, "", gitdir);
		free(file);
	}
	if (common) {
		tidy(common);
		slash = strrchr(common, '/');
		/* MAIN/.git: MAIN; a bare repository has no checkout to name */
		if (slash && slash > common && !strcmp(slash, "/.git")) {
			*slash = '\0';
			root = xstrdup(common);
		}
	}
	free(gitdir);
	free(common);
	return root;
}

char *worktree_project(const char *cwd)
{
	char *base = xstrdup(cwd), *dir, *out = NULL;
	size_t n = strlen(base);

	while (n > 1 && base[n - 1] == '/')
		base[--n] = '\0';
	dir = xstrdup(base);
	for (;;) {
		int top = !strcmp(dir, "/");
		char *git = xasprintf("%s/.git", top ? "" : dir), *slash;
		struct stat st;
		int found = lstat(git, &st) == 0;

		free(git);
		if (found) {
			char *root = S_ISREG(st.st_mode) ? main_checkout(top ? "" : dir) : NULL;

			if (root)
				out = xasprintf("%s%s", root, base + (top ? 0 : strlen(dir)));
			free(root);
			break;
		}
		if (top)
			break;
		slash = strrchr(dir, '/');
		slash[slash == dir] = '\0';
	}
	if (out && (!name_is_path(out) || !strcmp(out, base))) {
		free(out);
		out = NULL;
	}
	free(dir);
	free(base);
	return out;
}
