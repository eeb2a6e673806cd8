/*
 * spool.c: what a spool holds, as session units.
 *
 * SPOOL/<user>/.../<session>.jsonl[.zst]; subagent transcripts join their
 * parent: .../<session>/subagents/agent-*.jsonl by path, the older
 * agent-<hex>.jsonl beside the session file by the sessionId inside it,
 * and a Gemini CLI subagent's chats/<parent sessionId>/<id>.jsonl the
 * chats/session-<time>-<first 8 of that id>.json[l] beside its directory.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "dreamd/decode.h"
#include "dreamd/ingest.h"
#include "dreamd/names.h"
#include "dreamd/parse.h"
#include "dreamd/util.h"

#define MAX_DEPTH 64

/* A directory or file by identity, whatever path led to it. */
struct node_id {
	dev_t dev;
	ino_t ino;
};

struct walk {
	const char *root;
	char *real_root;	/* root with every link resolved */
	struct spool_file *files;
	size_t n, alloc;
	struct node_id *seen;	/* every directory and file met, sorted */
	size_t nseen, aseen;
	int depth;
	size_t *nskipped;	/* entries that are not transcripts, passed over; may be NULL */
};

/*
 * Marks (dev, ino) as met; 1 when it had been met before. Walking each
 * directory and file once is what keeps a spool full of symlinks from
 * being read again and again (or forever).
 */
static int seen_before(struct walk *w, const struct stat *st)
{
	size_t lo = 0, hi = w->nseen;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct node_id *x = &w->seen[mid];

		if (x->dev == st->st_dev && x->ino == st->st_ino)
			return 1;
		if (x->dev < st->st_dev || (x->dev == st->st_dev && x->ino < st->st_ino))
			lo = mid + 1;
		else
			hi = mid;
	}
	ALLOC_GROW(w->seen, w->nseen + 1, w->aseen);
	memmove(w->seen + lo + 1, w->seen + lo, (w->nseen - lo) * sizeof(*w->seen));
	w->seen[lo].dev = st->st_dev;
	w->seen[lo].ino = st->st_ino;
	w->nseen++;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/*
 * The names agents write under, compressed or not: JSON lines, a JSON
 * document (Gemini CLI's session-*.json, an OpenHands trajectory), a
 * SWE-agent .traj, aider's history. What a file holds is read from it.
 */
static int is_transcript(const char *name)
{
	static const char *const exts[] = {
		".jsonl", ".json", ".traj", ".aider.chat.history.md", NULL
	};
	const char *const *e;
	char buf[64];

	for (e = exts; *e; e++) {
		snprintf(buf, sizeof(buf), "%s.zst", *e);
		if (ends_with(name, *e) || ends_with(name, buf))
			return 1;
	}
	return 0;
}

char *spool_stem(const char *path)
{
	char *s = xstrdup(path);

	if (ends_with(s, ".zst"))
		s[strlen(s) - 4] = '\0';
	if (ends_with(s, ".jsonl"))
		s[strlen(s) - 6] = '\0';
	else if (ends_with(s, ".json") || ends_with(s, ".traj"))
		s[strlen(s) - 5] = '\0';
	return s;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int spool_is_subagent(const char *path)
{
	return starts_with(base_name(path), "agent-") && is_transcript(path);
}

char *spool_parent_stem(const char *path)
{
	const char *base = base_name(path);
	char *dir;
	size_t dlen;

	if (!spool_is_subagent(path) || base == path)
		return NULL;
	dlen = (size_t)(base - path) - 1;
	if (dlen < 10 || strncmp(path + dlen - 10, "/subagents", 10))
		return NULL;
	dir = xstrndup(path, dlen - 10);
	if (!*dir) {
		free(dir);
		return NULL;
	}
	return dir;
}

static void add_file(struct walk *w, char *path, const struct stat *st,
		     const char *bad_kind, char *bad_why)
{
	struct spool_file *f;

	ALLOC_GROW(w->files, w->n + 1, w->alloc);
	f = &w->files[w->n++];
	f->path = path;
	f->size = st->st_size;
	f->mtime = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	f->bad_kind = bad_kind;
	f->bad_why = bad_why;
}

/* Is the resolved path real at or below the spool's resolved root? */
static int inside(const struct walk *w, const char *real)
{
	size_t n = strlen(w->real_root);

	if (n == 1)	/* the root is / */
		return 1;
	return !strncmp(real, w->real_root, n) && (!real[n] || real[n] == '/');
}

/*
 * A symlink met in the walk (lst its lstat). One that points inside the
 * spool is passed over; one that points outside it or nowhere becomes a
 * unit to quarantine when it would have been read (a directory, or a
 * transcript's name). Takes path.
 */
static void walk_link(struct walk *w, char *path, const char *name, const struct stat *lst)
{
	char *real = realpath(path, NULL), target[4096], *q, *why;
	struct stat st;
	ssize_t n;
	int is_dir = real && stat(real, &st) == 0 && S_ISDIR(st.st_mode);

	if (real && inside(w, real)) {
		if (verbosity >= 2)
			warning("link inside the spool passed over (its target is read where it is) '%s'",
				path);
		goto done;
	}
	if (!is_dir && !is_transcript(name))
		goto done;
	n = readlink(path, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	q = name_quote(real ? real : target);
	why = xasprintf(real ? "link out of the spool to '%s'" : "link to nothing ('%s')", q);
	free(q);
	add_file(w, path, lst, "outside-spool", why);
	path = NULL;
done:
	free(real);
	free(path);
}

/*
 * Walks the directory open at fd (named dir; the walk owns fd). Entries
 * are looked at with fstatat and directories opened with openat and
 * O_NOFOLLOW, so a directory swapped for a link while the walk runs is
 * never entered.
 */
/* An entry the spool does not read as a transcript: counted, named with -v. */
static void skipped(struct walk *w, const char *path, const char *why)
{
	if (w->nskipped)
		(*w->nskipped)++;
	if (verbosity >= 2)
		info("skipped '%s': %s", path, why);
}

static void walk_dir(struct walk *w, int fd, const char *dir)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	DIR *d;

	if (fstat(fd, &st) < 0 || seen_before(w, &st)) {
		if (verbosity >= 2)
			warning("directory met again '%s'", dir);
		close(fd);
		return;
	}
	if (w->depth == MAX_DEPTH) {
		warning("directory nesting too deep '%s'", dir);
		close(fd);
		return;
	}
	d = fdopendir(fd);
	if (!d) {
		warning("cannot read directory '%s': %s", dir, strerror(errno));
		close(fd);
		return;
	}
	/* Sorted, so the order never varies. */
	while ((de = readdir(d))) {
		/* Hidden entries are passed over, bar aider's own .aider.chat.history.md. */
		if (de->d_name[0] == '.' && !is_transcript(de->d_name))
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(de->d_name);
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	w->depth++;
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		int sub;

		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			warning("cannot stat '%s': %s", path, strerror(errno));
		} else if (S_ISLNK(st.st_mode)) {
			walk_link(w, path, names[i], &st);
			path = NULL;
		} else if (S_ISDIR(st.st_mode)) {
			if (is_transcript(names[i]))
				skipped(w, path, "a directory named like a transcript (read as a directory)");
			sub = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				warning("cannot read directory '%s': %s", path, strerror(errno));
			else
				walk_dir(w, sub, path);
		} else if (!S_ISREG(st.st_mode)) {
			skipped(w, path, "not a regular file");
		} else if (!is_transcript(names[i])) {
			skipped(w, path, "not named as a transcript is");
		} else if (!seen_before(w, &st)) {
			add_file(w, path, &st, NULL, NULL);
			path = NULL;
		}
		free(path);
		free(names[i]);
	}
	closedir(d);
	free(names);
	w->depth--;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct spool_file *)a)->path,
		      ((const struct spool_file *)b)->path);
}

static long find_file(const struct walk *w, const char *path)
{
	size_t lo = 0, hi = w->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(w->files[mid].path, path);

		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static long find_stem(const struct walk *w, const char *stem)
{
	char *p = xasprintf("%s.jsonl.zst", stem);
	long i = find_file(w, p);

	free(p);
	if (i < 0) {
		p = xasprintf("%s.jsonl", stem);
		i = find_file(w, p);
		free(p);
	}
	return i;
}

/*
 * Opens path, which the walk found below root, following no link below
 * root: each directory with openat and O_NOFOLLOW from the one before.
 */
static int open_below(const char *root, const char *path)
{
	size_t rl = strlen(root);
	const char *p = path + rl;
	int dfd, fd;

	if (strncmp(path, root, rl) || p[0] != '/')
		return open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (dfd >= 0) {
		const char *slash;
		char *part;

		while (*p == '/')
			p++;
		slash = strchr(p, '/');
		if (!slash) {
			fd = openat(dfd, p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
			close(dfd);
			return fd;
		}
		part = xstrndup(p, (size_t)(slash - p));
		fd = openat(dfd, part, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		free(part);
		close(dfd);
		dfd = fd;
		p = slash;
	}
	return -1;
}

int spool_open(const struct spool_unit *u, const char *path)
{
	if (!u->root)
		return open(path, O_RDONLY | O_CLOEXEC);
	return open_below(u->root, path);
}

/*
 * For .../chats/<dir>/<name>, the index of .../chats/session-*-<dir's
 * first 8>.json[l][.zst], Gemini CLI's parent chat; -1 when there is none.
 */
static long gemini_parent(const struct walk *w, const char *path)
{
	const char *base = base_name(path), *dir;
	char *prefix, tail[16];
	size_t lo = 0, hi = w->n, plen;
	long found = -1;

	if (base == path || !is_transcript(base))
		return -1;
	for (dir = base - 1; dir > path && dir[-1] != '/'; dir--)
		;
	if (base - 1 - dir < 8 || dir - path < 7 || strncmp(dir - 7, "/chats/", 7))
		return -1;
	prefix = xasprintf("%.*ssession-", (int)(dir - path), path);
	snprintf(tail, sizeof(tail), "-%.8s.json", dir);
	plen = strlen(prefix);
	while (lo < hi) {	/* the first path not before prefix */
		size_t mid = (lo + hi) / 2;

		if (strcmp(w->files[mid].path, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < w->n && !strncmp(w->files[lo].path, prefix, plen); lo++) {
		const char *p = w->files[lo].path;

		if (!strchr(p + plen, '/') && strstr(p + plen, tail)) {
			found = (long)lo;
			break;
		}
	}
	free(prefix);
	return found;
}

/* The sessionId inside an older agent-<hex>.jsonl, malloc'd, or NULL. */
static char *peek_session_id(const char *spool, const char *path)
{
	struct decode_limits lim = { 4 << 20, 256 << 20, 27 };
	const char *kind, *why;
	struct decoder *d;
	char *id = NULL, *line;
	size_t len;
	int tries = 0, fd = open_below(spool, path);

	if (fd < 0)
		return NULL;
	d = decoder_open_fd(fd, path, &lim, 0, &kind, &why);
	if (!d)
		return NULL;
	while (!id && tries++ < 20 && decoder_next(d, &line, &len) > 0) {
		char type[8];
		cJSON *root;

		if (!utf8_valid(line, len) || json_prescan(line, len, 64, type, sizeof(type)) < 0)
			continue;
		root = cJSON_ParseWithLengthOpts(line, len + 1, NULL, 1);
		if (json_str(root, "sessionId"))
			id = xstrdup(json_str(root, "sessionId"));
		cJSON_Delete(root);
	}
	decoder_close(d);
	return id;
}

static char *user_of(const char *root, const char *path, const struct spool_opts *opts)
{
	const char *rel = path + strlen(root), *slash;

	if (opts && opts->user)
		return xstrdup(opts->user);
	while (*rel == '/')
		rel++;
	slash = strchr(rel, '/');
	if (!slash)
		return NULL;
	return xstrndup(rel, (size_t)(slash - rel));
}

static void unit_release(struct spool_unit *u)
{
	size_t j;

	for (j = 0; j < u->nfiles; j++) {
		free(u->files[j].path);
		free(u->files[j].bad_why);
	}
	free(u->files);
	free(u->user);
	free(u->root);
}

static int cmp_unit(const void *a, const void *b)
{
	return strcmp(((const struct spool_unit *)a)->files[0].path,
		      ((const struct spool_unit *)b)->files[0].path);
}

/*
 * Which file each file belongs to (its index), or -1 for a file that
 * heads a unit of its own: a subagent's transcript goes with its parent's.
 */
static long *find_parents(struct walk *w, const char *root)
{
	long *parent = xcalloc(w->n ? w->n : 1, sizeof(long));
	size_t i;

	for (i = 0; i < w->n; i++) {
		char *stem = spool_parent_stem(w->files[i].path);

		parent[i] = -1;
		if (w->files[i].bad_kind) {
			free(stem);
			continue;
		}
		if (!stem && spool_is_subagent(w->files[i].path)) {
			char *id = peek_session_id(root, w->files[i].path);
			const char *base = base_name(w->files[i].path);

			if (id && !strchr(id, '/'))
				stem = xasprintf("%.*s%s", (int)(base - w->files[i].path),
						 w->files[i].path, id);
			free(id);
		}
		if (stem) {
			parent[i] = find_stem(w, stem);
			if (parent[i] >= 0 && (spool_is_subagent(w->files[parent[i]].path) ||
					       w->files[parent[i]].bad_kind))
				parent[i] = -1;
		} else {
			parent[i] = gemini_parent(w, w->files[i].path);
		}
		free(stem);
	}
	return parent;
}

/*
 * Each head's files, as lists through the files: first[i] is file i's first
 * file (-1: none), next[j] the one after file j, in path order. One pass,
 * so a spool of many files costs no more a file than a small one.
 */
static void link_children(const long *parent, size_t n, long *first, long *next)
{
	size_t j;

	for (j = 0; j < n; j++)
		first[j] = -1;
	for (j = n; j-- > 0;) {
		next[j] = -1;
		if (parent[j] >= 0) {
			next[j] = first[parent[j]];
			first[parent[j]] = (long)j;
		}
	}
}

/*
 * Makes u the unit file i heads, taking its files (first, next: see
 * link_children()) from w. 1 when u is to be run now; 0 when it was
 * released (a file too fresh, or no user).
 */
static int make_unit(struct walk *w, const char *root, const struct spool_opts *opts,
		     const long *first, const long *next, size_t i, struct spool_unit *u)
{
	size_t j;
	long k;
	int fresh = 0;

	u->user = user_of(root, w->files[i].path, opts);
	if (!u->user && w->files[i].bad_kind)	/* quarantined all the same */
		u->user = xstrdup("unknown");
	u->root = xstrdup(root);
	u->files = xmalloc(sizeof(*u->files));
	u->files[0] = w->files[i];
	w->files[i].path = NULL;
	u->nfiles = 1;
	for (k = first[i]; k >= 0; k = next[k]) {
		u->files = xrealloc(u->files, (u->nfiles + 1) * sizeof(*u->files));
		u->files[u->nfiles++] = w->files[k];
		w->files[k].path = NULL;
	}
	for (j = 0; j < u->nfiles; j++)
		if (opts && opts->idle_ns > 0 && u->files[j].mtime > opts->now_ns - opts->idle_ns)
			fresh = 1;
	if (fresh && opts->nfresh)	/* the whole unit waits */
		*opts->nfresh += u->nfiles;
	if (!u->user)
		warning("no user directory above '%s'", u->files[0].path);
	if (fresh || !u->user) {
		unit_release(u);
		return 0;
	}
	return 1;
}

int spool_scan(const char *root, const struct spool_opts *opts,
	       struct spool_unit **units, size_t *n)
{
	struct walk w = { 0 };
	struct spool_unit *out = NULL;
	long *parent, *first, *next;
	size_t i, nout = 0, alloc = 0;
	int fd;

	*units = NULL;
	*n = 0;
	errno = 0;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(w.real_root = realpath(root, NULL))) {
		if (fd >= 0)
			close(fd);
		return error("cannot read spool '%s': %s", root,
			     errno ? strerror(errno) : "not a directory");
	}
	w.root = root;
	w.nskipped = opts ? opts->nskipped : NULL;
	walk_dir(&w, fd, root);
	if (w.n)	/* qsort's array may not be NULL, even empty */
		qsort(w.files, w.n, sizeof(*w.files), cmp_file);
	parent = find_parents(&w, root);
	first = xcalloc(w.n + 1, sizeof(*first));
	next = xcalloc(w.n + 1, sizeof(*next));
	link_children(parent, w.n, first, next);
	for (i = 0; i < w.n; i++) {
		if (parent[i] >= 0)
			continue;
		ALLOC_GROW(out, nout + 1, alloc);
		nout += make_unit(&w, root, opts, first, next, i, &out[nout]);
	}
	free(first);
	free(next);
	for (i = 0; i < w.n; i++)
		if (w.files[i].path) {
			free(w.files[i].path);
			free(w.files[i].bad_why);
		}
	free(w.files);
	free(w.seen);
	free(w.real_root);
	free(parent);
	if (nout)
		qsort(out, nout, sizeof(*out), cmp_unit);
	*units = out;
	*n = nout;
	return 0;
}

void spool_units_free(struct spool_unit *units, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		unit_release(&units[i]);
	free(units);
}

/* A subagent file joins the unit before it when that unit is its parent. */
static int belongs_to(const struct spool_unit *u, const char *path)
{
	char *parent, *stem;
	const char *a, *b;
	int yes = 0;

	if (!u || !spool_is_subagent(path) || spool_is_subagent(u->files[0].path))
		return 0;
	stem = spool_stem(u->files[0].path);
	parent = spool_parent_stem(path);
	if (parent) {
		yes = !strcmp(parent, stem);
	} else {
		a = strrchr(stem, '/');
		b = strrchr(path, '/');
		yes = (!a && !b) || (a && b && a - stem == b - path &&
				     !strncmp(stem, path, (size_t)(a - stem)));
	}
	free(parent);
	free(stem);
	return yes;
}

void spool_units_from_paths(char *const *paths, size_t n, const char *user,
			    struct spool_unit **units, size_t *nunits)
{
	size_t i;

	*units = NULL;
	*nunits = 0;
	for (i = 0; i < n; i++) {
		struct spool_unit *u = *nunits ? &(*units)[*nunits - 1] : NULL;

		if (!belongs_to(u, paths[i])) {
			*units = xrealloc(*units, (*nunits + 1) * sizeof(**units));
			u = &(*units)[(*nunits)++];
			memset(u, 0, sizeof(*u));
			u->user = user ? xstrdup(user) : NULL;
		}
		u->files = xrealloc(u->files, (u->nfiles + 1) * sizeof(*u->files));
		memset(&u->files[u->nfiles], 0, sizeof(*u->files));
		u->files[u->nfiles++].path = xstrdup(paths[i]);
	}
}

/*
 * A unit's session identity for sharding: its user and its file's name
 * without the extensions (the session id the agent named it by).
 */
unsigned spool_unit_shard(const struct spool_unit *u, unsigned nshards)
{
	const char *path = u->files[0].path, *base = strrchr(path, '/');
	const char *user = u->user ? u->user : "";
	size_t len;
	uint64_t h;

	base = base ? base + 1 : path;
	len = strcspn(base, ".");
	h = hash64(user, strlen(user) + 1, HASH64_SEED);
	h = hash64(base, len, h);
	return (unsigned)(h % nshards);
}

size_t spool_units_shard(struct spool_unit *units, size_t n, unsigned k, unsigned nshards)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++) {
		if (spool_unit_shard(&units[i], nshards) == k)
			units[kept++] = units[i];
		else
			unit_release(&units[i]);
	}
	return kept;
}
