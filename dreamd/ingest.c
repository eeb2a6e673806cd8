/*
 * ingest.c: one unit through decode, parse and redact, with the settings
 * and redaction rules the config gives (ingest_setup).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dreamd/budget.h"
#include "dreamd/config.h"
#include "dreamd/decode.h"
#include "dreamd/ingest.h"
#include "dreamd/names.h"
#include "dreamd/parse.h"
#include "dreamd/redact.h"
#include "dreamd/util.h"
#include "dreamd/worktree.h"

/* The file's name less .jsonl/.json/.traj[.zst]: the session id when none is known. */
static char *stem(const char *path)
{
	static const char *const exts[] = { ".jsonl", ".json", ".traj", NULL };
	const char *base = strrchr(path, '/'), *const *e;
	char *s = xstrdup(base ? base + 1 : path), *dot;

	for (e = exts; *e; e++)
		if ((dot = strstr(s, *e)) && (!strcmp(dot + strlen(*e), "") ||
					      !strcmp(dot + strlen(*e), ".zst"))) {
			*dot = '\0';
			break;
		}
	return s;
}

#define DAY_MS (86400LL * 1000)

/*
 * The latest time a file's events can claim: when the file was written, and
 * a day's grace for clocks. A transcript cannot record the future; one that
 * claims to would make every memory look stale next to it.
 */
static int64_t latest_ms(const struct spool_file *f)
{
	struct stat st;
	int64_t mtime = f->mtime / 1000000;

	if (!f->mtime && stat(f->path, &st) == 0)
		mtime = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
	return mtime > 0 ? mtime + DAY_MS : INT64_MAX;
}

/* Events from..n of one file that claim the future lose their time. */
static void drop_future(struct session *s, size_t from, const struct spool_file *f)
{
	int64_t latest = latest_ms(f);
	size_t i, n = 0;

	for (i = from; i < s->nevents; i++)
		if (s->events[i].ts > latest) {
			s->events[i].ts = 0;
			n++;
		}
	if (s->meta.ended > latest || s->meta.started > latest)
		s->meta.started = s->meta.ended = 0;
	if (n)
		session_add_bad(s, f->path, 0, "future-timestamp",
				"timestamps later than the file was written");
}

/*
 * Opens a file of the unit: below a spool root no link is followed
 * (spool_open), so a file or directory swapped for one since the spool was
 * listed is bad input, not read.
 */
static struct decoder *open_file(const struct spool_unit *u, const char *path,
				 const struct decode_limits *lim, uint64_t chain,
				 const char **kind, const char **why)
{
	int fd = spool_open(u, path);

	if (fd < 0) {
		*kind = errno == ENOENT ? "missing" : errno == ELOOP || errno == ENOTDIR ?
			"outside-spool" : "unreadable";
		*why = errno == ENOENT ? "no such file" : errno == ELOOP || errno == ENOTDIR ?
			"a link below the spool root, not followed" : "cannot open";
		return NULL;
	}
	return decoder_open_fd(fd, path, lim, chain, kind, why);
}

/* Records a name that is not a plain one (names.h) as bad input. */
static void bad_name(struct session *s, const char *path, const char *what, const char *name,
		     const char *then)
{
	char *q = name_quote(name), *msg = xasprintf("%s '%s'%s", what, q, then);

	session_add_bad(s, path, 0, "bad-name", msg);
	free(msg);
	free(q);
}

/*
 * Events from..n of one file whose tool name is not a plain one are
 * dropped: a name that could forge a line of output is bad input.
 */
static void drop_bad_tools(struct session *s, size_t from, const char *path)
{
	size_t i, j, n = 0;
	char *first = NULL;

	for (i = j = from; i < s->nevents; i++) {
		struct event *e = &s->events[i];

		if (!e->tool || name_is_tool(e->tool)) {
			s->events[j++] = *e;
			continue;
		}
		if (!n++)
			first = xstrdup(e->tool);
		s->text_bytes -= e->text_len;
		if (e->text)
			s->mem_bytes -= e->text_len;
		free(e->tool);
		free(e->call_id);
		free(e->text);
	}
	s->nevents = j;
	if (!n)
		return;
	bad_name(s, path, "tool name not a plain name", first, n == 1 ? ", its event dropped" :
		 ", its events dropped");
	free(first);
}

static int session_full(const struct session *s, const struct ingest_opts *opts)
{
	return (opts->max_events && s->nevents + s->idle_lines >= opts->max_events) ||
		(opts->max_session_bytes &&
		 s->text_bytes + s->dropped_bytes >= opts->max_session_bytes);
}

static int blank(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return 0;
	return 1;
}

/*
 * A file that holds a second session (two transcripts' zstd frames one
 * after the other): what came before is kept, the rest is not read, and
 * the file is quarantined, naming the second session and where it starts.
 */
static void second_session(struct session *s, const struct parse_ctx *c)
{
	char *id = name_quote(c->second_id), *what;

	what = xasprintf("a second session '%s' starts at line %ld, not read", id, c->lineno);
	session_add_bad(s, c->path, 0, "two-sessions", what);
	free(what);
	free(id);
}

static void ingest_file(const struct spool_unit *u, size_t k,
			const struct ingest_opts *opts, struct session *s,
			struct unit_state *us, uint64_t *chain)
{
	const char *path = u->files[k].path, *kind, *why;
	struct decode_limits lim;
	struct parse_ctx c;
	struct decoder *d;
	size_t before = s->nevents, bad_before = s->nbad;
	int failed = 0;

	lim.max_line = opts->max_line ? opts->max_line : (size_t)64 << 20;
	lim.max_bytes = opts->max_bytes ? opts->max_bytes : (uint64_t)4 << 30;
	lim.window_log_max = opts->window_log_max ? opts->window_log_max : 27;
	d = open_file(u, path, &lim, *chain, &kind, &why);
	if (!d) {
		session_add_bad_err(s, path, kind, why, errno);
		if (!k)
			s->unusable = 1;
		return;
	}
	parse_ctx_init(&c, s, opts, us, path, k > 0, k == 0);
	for (;;) {
		char *line;
		size_t len;
		enum decode_status st = decoder_next(d, &line, &len);

		c.lineno = decoder_lineno(d);
		if ((st == DECODE_LINE || st == DECODE_LONG) && session_full(s, opts)) {
			/* Memory must not grow with the input: keep what fits. */
			if (!s->truncated)
				session_add_bad(s, path, c.lineno, "too-many-events",
						"session over the event or size limit, the rest dropped");
			s->truncated = 1;
			break;
		}
		if (st == DECODE_LINE) {
			if (blank(line, len))
				s->idle_lines++;
			c.later_frame = decoder_data_frames(d) > 1;
			parse_line(&c, line, len);
			if (!s->big && s->mem_bytes > BUDGET_BIG_SESSION) {
				budget_hold();	/* may wait for other big sessions to end */
				s->big = 1;
			}
			if (c.second_id) {
				second_session(s, &c);
				failed = 1;
				break;
			}
		} else if (st == DECODE_LONG) {
			s->idle_lines++;
			s->dropped_bytes += lim.max_line;
			parse_long_line(&c);
		} else {
			if (st == DECODE_ERROR) {
				decoder_error(d, &kind, &why);
				session_add_bad_err(s, path, kind, why, decoder_errno(d));
				failed = 1;
			}
			break;
		}
	}
	if (parse_end(&c) < 0 && !failed) {
		/*
		 * parse_end() made the bad lines before any format was found one
		 * bad input; a file with no bad line at all (empty) gets one here.
		 */
		if (s->nbad == bad_before)
			session_add_bad(s, path, 0, "unknown-format", "unknown transcript format");
		failed = 1;
	}
	if (failed && !k && s->nevents == before)
		s->unusable = 1;
	drop_bad_tools(s, before, path);
	drop_future(s, before, &u->files[k]);
	s->skippable_frames += decoder_skippable_frames(d);
	s->file_hashes[k] = decoder_file_hash(d);
	*chain = decoder_chain_hash(d);
	parse_ctx_release(&c);
	decoder_close(d);
}

void ingest_unit(const struct spool_unit *u, const struct ingest_opts *opts,
		 struct session *s)
{
	struct unit_state us = { 0 };
	uint64_t chain = HASH64_SEED;
	size_t k;

	s->file_hashes = xcalloc(u->nfiles ? u->nfiles : 1, sizeof(uint64_t));
	if (u->nfiles && u->files[0].bad_kind) {
		/* A link out of the spool: named, never opened. */
		session_add_bad(s, u->files[0].path, 0, u->files[0].bad_kind, u->files[0].bad_why);
		s->unusable = 1;
		return;
	}
	if (u->nfiles && u->user && !name_is_user(u->user)) {
		bad_name(s, u->files[0].path, "user name not a plain name", u->user,
			 ", the session not read");
		s->unusable = 1;
		return;
	}
	for (k = 0; k < u->nfiles; k++)
		ingest_file(u, k, opts, s, &us, &chain);
	s->content_hash = chain;
	if (u->user) {
		free(s->meta.user);
		s->meta.user = xstrdup(u->user);
	}
	if (!s->meta.id && u->nfiles)
		s->meta.id = stem(u->files[0].path);
	if (s->meta.project && !name_is_path(s->meta.project)) {
		bad_name(s, u->nfiles ? u->files[0].path : NULL, "cwd not a plain absolute path",
			 s->meta.project, ", the session kept without it");
		free(s->meta.project);
		s->meta.project = NULL;
	}
	if (s->meta.project) {	/* a linked git worktree is its repository's project */
		char *repo = worktree_project(s->meta.project);

		if (repo) {
			free(s->meta.project);
			s->meta.project = repo;
		}
	}
	if (s->meta.user && !name_is_user(s->meta.user)) {
		bad_name(s, u->nfiles ? u->files[0].path : NULL, "user name not a plain name",
			 s->meta.user, ", the session not read");
		s->unusable = 1;
	}
	/* What a transcript does not say is unknown, never missing. */
	if (!s->meta.agent)
		s->meta.agent = xstrdup("unknown");
	if (!s->meta.user)
		s->meta.user = xstrdup("unknown");
	session_finish(s, &us);
	unit_state_release(&us);
}

int ingest_setup(const struct config *cfg, struct ingest_opts *io, struct redactor **red)
{
	struct rule_set rs = config_rule_group(cfg, "redact");
	char *cause = NULL;

	memset(io, 0, sizeof(*io));
	*red = NULL;
	if (redactor_new(red, &rs, &cause) < 0) {
		error("%s", cause ? cause : "cannot compile the redaction rules");
		free(cause);
		return -1;
	}
	io->max_line = cfg->max_line;
	io->max_bytes = cfg->max_file_bytes;
	io->window_log_max = cfg->window_log_max;
	io->max_depth = cfg->max_depth;
	io->max_text = cfg->max_text;
	io->max_events = cfg->max_events;
	io->max_session_bytes = cfg->max_session_bytes;
	io->session_memory = cfg->session_memory;
	io->redact = *red;
	return 0;
}
