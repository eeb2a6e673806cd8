/*
 * cmd-collect.c: dreamd collect, raw transcripts into a spool.
 *
 * Every transcript under --from (*.jsonl, Gemini CLI's session-*.json,
 * SWE-agent's *.traj, aider's .aider.chat.history.md; for OpenHands any
 * *.json) is
 * compressed to SPOOL/<user>/<relative path>.zst through a temp file and rename. The copy keeps the source's
 * mtime, and its zstd frame records the source's size, so a second run
 * copies only what is new or has grown.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "dreamd/cmd.h"
#include "dreamd/collect-opencode.h"
#include "dreamd/util.h"

#define MAX_DEPTH 32

static const char usage[] =
	"usage: dreamd collect [--agent NAME] [--from DIR] --to SPOOL [--user NAME]\n"
	"\n"
	"Compresses new or grown raw transcripts (*.jsonl, e.g. under\n"
	"~/.claude/projects or ~/.codex/sessions, Gemini CLI's session-*.json,\n"
	"SWE-agent's *.traj, aider's .aider.chat.history.md in project directories;\n"
	"with --agent openhands any *.json) into SPOOL/<user>/<relative\n"
	"path>.zst, atomically. Files already collected and unchanged (same size\n"
	"and modification time) are left alone.\n"
	"\n"
	"  --agent NAME   collect NAME's transcripts into SPOOL/<user>/NAME/, from\n"
	"                its default location unless --from is given:\n"
	"                  claude-code  ~/.claude/projects\n"
	"                  codex        ~/.codex/sessions\n"
	"                  gemini-cli   ~/.gemini/tmp (<projectHash>/chats/)\n"
	"                  opencode     ~/.local/share/opencode (opencode.db, read\n"
	"                               read-only, or the older storage/ files;\n"
	"                               one file per session)\n"
	"                  copilot-cli  ~/.copilot/session-state\n"
	"                  aider, openhands, swe-agent: no default, give --from\n"
	"                               (aider: the project directories)\n"
	"  --from DIR     where the agent writes its transcripts\n"
	"  --to SPOOL     the spool root\n"
	"  --user NAME    the spool's user directory (default: $USER)\n"
	"\n"
	"A store or session modified within ingest.idle_minutes is left for the\n"
	"next run.\n";

extern const struct cmd_entry cmd_collect_entry;

struct collect {
	const char *from, *to, *user;
	char *spool;		/* where the files go: TO/USER[/AGENT] */
	int copied, unchanged, failed, busy;
	int any_json;		/* every *.json is a transcript (OpenHands) */
};

/* Each agent's default location under $HOME (NULL: none, --from needed). */
static const struct agent_home {
	const char *name, *dir;
} agent_homes[] = {
	{ "claude-code", ".claude/projects" },
	{ "codex", ".codex/sessions" },
	{ "gemini-cli", ".gemini/tmp" },
	{ "opencode", ".local/share/opencode" },
	{ "copilot-cli", ".copilot/session-state" },
	{ "aider", NULL },
	{ "openhands", NULL },
	{ "swe-agent", NULL },
};

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/*
 * The names agents write their transcripts under: JSON lines, Gemini CLI's
 * older session-*.json, SWE-agent's .traj, aider's history; for OpenHands,
 * whose saved trajectories have no fixed name, any *.json.
 */
static int is_transcript(const struct collect *c, const char *name)
{
	return ends_with(name, ".jsonl") || ends_with(name, ".traj") ||
		(ends_with(name, ".json") && (c->any_json || !strncmp(name, "session-", 8))) ||
		!strcmp(name, ".aider.chat.history.md");
}


/* 1 when dst already holds src as it is now. */
static int up_to_date(const char *dst, const struct stat *src)
{
	unsigned char head[18];
	struct stat st;
	unsigned long long size;
	ssize_t n;
	int fd;

	if (stat(dst, &st) < 0 || st.st_mtim.tv_sec != src->st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != src->st_mtim.tv_nsec)
		return 0;
	fd = open(dst, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n <= 0)
		return 0;
	size = ZSTD_getFrameContentSize(head, (size_t)n);
	return size == (unsigned long long)src->st_size;
}

/* Compresses ib into ofd (tmp, for src) until mode says it is done. -1 reported. */
static int compress_chunk(ZSTD_CCtx *cctx, ZSTD_inBuffer *ib, ZSTD_EndDirective mode, int ofd,
			  const char *src, const char *tmp)
{
	static char out[1 << 17];
	size_t left;

	do {
		ZSTD_outBuffer ob = { out, sizeof(out), 0 };

		left = ZSTD_compressStream2(cctx, &ob, ib, mode);
		if (ZSTD_isError(left))
			return error("cannot compress '%s': %s", src, ZSTD_getErrorName(left));
		if (ob.pos && (write(ofd, out, ob.pos) != (ssize_t)ob.pos || fault_hit("write")))
			return error("cannot write '%s': %s", tmp, strerror(errno));
	} while (mode == ZSTD_e_end ? left != 0 : ib->pos < ib->size);
	return 0;
}

static int compress_file(const char *src, const char *dst, const struct stat *st)
{
	static char in[1 << 17];
	const char *base = strrchr(dst, '/');
	char *tmp = xasprintf("%.*s.%s.tmp.%ld", (int)(base + 1 - dst), dst, base + 1,
			      (long)getpid());
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	struct timespec times[2];
	int ifd = -1, ofd = -1, ret = -1;
	uint64_t total = 0;

	if (!cctx)
		die(EX_UNAVAILABLE, "out of memory");
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
	ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setPledgedSrcSize(cctx, (unsigned long long)st->st_size);
	ifd = open(src, O_RDONLY | O_CLOEXEC);
	if (ifd < 0) {
		error("cannot open '%s': %s", src, strerror(errno));
		goto cleanup;
	}
	ofd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (ofd < 0) {
		error("cannot create '%s': %s", tmp, strerror(errno));
		goto cleanup;
	}
	for (;;) {
		ssize_t n = read(ifd, in, sizeof(in));
		ZSTD_EndDirective mode;
		ZSTD_inBuffer ib;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error("cannot read '%s': %s", src, strerror(errno));
			goto cleanup;
		}
		total += (uint64_t)n;
		if (total > (uint64_t)st->st_size)
			n -= (ssize_t)(total - (uint64_t)st->st_size);
		mode = n == 0 || total >= (uint64_t)st->st_size ? ZSTD_e_end : ZSTD_e_continue;
		ib.src = in;
		ib.size = (size_t)n;
		ib.pos = 0;
		if (compress_chunk(cctx, &ib, mode, ofd, src, tmp) < 0)
			goto cleanup;
		if (mode == ZSTD_e_end)
			break;
	}
	if (fsync(ofd) < 0 || close(ofd) < 0) {
		ofd = -1;
		error("cannot write '%s': %s", tmp, strerror(errno));
		goto cleanup;
	}
	ofd = -1;
	times[0] = st->st_atim;
	times[1] = st->st_mtim;
	if (utimensat(AT_FDCWD, tmp, times, 0) < 0 || rename(tmp, dst) < 0) {
		error("cannot rename '%s' to '%s': %s", tmp, dst, strerror(errno));
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (ifd >= 0)
		close(ifd);
	if (ofd >= 0)
		close(ofd);
	if (ret < 0)
		unlink(tmp);
	ZSTD_freeCCtx(cctx);
	free(tmp);
	return ret;
}

static void walk(struct collect *c, const char *rel, int depth)
{
	char *dir = *rel ? xasprintf("%s/%s", c->from, rel) : xstrdup(c->from);
	char **names = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d;

	if (depth > MAX_DEPTH) {
		warning("directory nesting too deep '%s'", dir);
		free(dir);
		return;
	}
	d = opendir(dir);
	if (!d) {
		warning("cannot read directory '%s': %s", dir, strerror(errno));
		free(dir);
		return;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' || is_transcript(c, de->d_name)) {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), strlist_cmp);
	for (i = 0; i < n; i++) {
		char *r = *rel ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		char *src = xasprintf("%s/%s", c->from, r);
		struct stat st;

		if (lstat(src, &st) < 0) {
			warning("cannot stat '%s': %s", src, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			walk(c, r, depth + 1);
		} else if (S_ISREG(st.st_mode) && is_transcript(c, names[i])) {
			char *dst = xasprintf("%s/%s.zst", c->spool, r);

			if (up_to_date(dst, &st))
				c->unchanged++;
			else if (mkdir_parents(dst, 1) < 0 || compress_file(src, dst, &st) < 0)
				c->failed++;
			else
				c->copied++;
			free(dst);
		}
		free(src);
		free(r);
		free(names[i]);
	}
	free(names);
	free(dir);
}

/* One OpenCode session, as JSONL, into SPOOL/.../<session>.jsonl.zst. */
static int emit_session(void *arg, const char *session, int64_t updated_ms,
			const struct strbuf *jsonl)
{
	struct collect *c = arg;
	char *dst, *tmp;
	struct stat st;
	FILE *f;
	int ret = 0;

	if (!*session || strchr(session, '/') || *session == '.') {
		warning("OpenCode session id '%s' is no file name: skipped", session);
		return 0;
	}
	memset(&st, 0, sizeof(st));
	st.st_size = (off_t)jsonl->len;
	st.st_mtim.tv_sec = updated_ms / 1000;
	st.st_mtim.tv_nsec = (updated_ms % 1000) * 1000000;
	st.st_atim = st.st_mtim;
	dst = xasprintf("%s/%s.jsonl.zst", c->spool, session);
	if (up_to_date(dst, &st)) {
		c->unchanged++;
		free(dst);
		return 0;
	}
	tmp = xasprintf("%s.src.tmp.%ld", dst, (long)getpid());
	if (mkdir_parents(dst, 1) < 0 || !(f = fopen(tmp, "w"))) {
		ret = error("cannot create '%s': %s", tmp, strerror(errno));
	} else {
		if (fwrite(jsonl->buf, 1, jsonl->len, f) != jsonl->len || fclose(f) != 0)
			ret = error("cannot write '%s': %s", tmp, strerror(errno));
		else if (compress_file(tmp, dst, &st) < 0)
			ret = -1;
		unlink(tmp);
	}
	if (ret < 0)
		c->failed++;
	else
		c->copied++;
	free(tmp);
	free(dst);
	return 0;
}

/* OpenCode's sessions: from its database when there is one, else its files. */
static void collect_opencode(struct collect *c, int idle_minutes)
{
	char *db = xasprintf("%s/opencode.db", c->from);
	char *storage = xasprintf("%s/storage", c->from);
	int64_t idle_ms = (int64_t)idle_minutes * 60 * 1000;
	struct stat st;

	/* OpenCode migrates its files into the database. */
	if (stat(db, &st) == 0) {
		if (opencode_collect(db, now_ms() - idle_ms, emit_session, c, &c->busy) < 0)
			c->failed++;
	} else if (opencode_collect_storage(storage, now_ms() - idle_ms, emit_session,
					    c, &c->busy) < 0) {
		c->failed++;
	}
	free(storage);
	free(db);
}

static int cmd_collect_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "user", required_argument, NULL, 'u' },
		{ "agent", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct collect c = { 0 };
	const struct agent_home *agent = NULL;
	char *from = NULL;
	struct stat st;
	size_t i;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': c.from = optarg; break;
		case 't': c.to = optarg; break;
		case 'u': c.user = optarg; break;
		case 'a':
			for (i = 0; i < sizeof(agent_homes) / sizeof(*agent_homes); i++)
				if (!strcmp(agent_homes[i].name, optarg))
					agent = &agent_homes[i];
			if (!agent)
				return cmd_usage_error(&cmd_collect_entry, "unknown agent");
			break;
		default: return cmd_usage_error(&cmd_collect_entry, "unknown option");
		}
	}
	if (!c.from && agent && agent->dir) {
		const char *home = getenv("HOME");

		if (!strcmp(agent->name, "opencode") && getenv("XDG_DATA_HOME") &&
		    *getenv("XDG_DATA_HOME"))
			c.from = from = xasprintf("%s/opencode", getenv("XDG_DATA_HOME"));
		else if (home && *home)
			c.from = from = xasprintf("%s/%s", home, agent->dir);
	}
	if (!c.from || !c.to || optind < argc) {
		free(from);
		return cmd_usage_error(&cmd_collect_entry, agent ?
				       "this agent has no default location: give --from" :
				       "collect needs --from (or --agent) and --to");
	}
	if (!c.user)
		c.user = ctx->cfg->user ? ctx->cfg->user : login_name();
	if (!c.user || !*c.user || strchr(c.user, '/') || *c.user == '.')
		return cmd_usage_error(&cmd_collect_entry, "no valid user name: give --user");
	if (stat(c.from, &st) < 0 || !S_ISDIR(st.st_mode)) {
		error("cannot read directory '%s'", c.from);
		free(from);
		return EX_NOINPUT;
	}
	c.any_json = agent && !strcmp(agent->name, "openhands");
	c.spool = agent ? xasprintf("%s/%s/%s", c.to, c.user, agent->name) :
		xasprintf("%s/%s", c.to, c.user);
	if (agent && !strcmp(agent->name, "opencode"))
		collect_opencode(&c, ctx->cfg->idle_minutes);
	else
		walk(&c, "", 0);
	info("collected %d new or grown transcripts into '%s', %d unchanged%s%s",
	     c.copied, c.spool, c.unchanged, c.busy ? ", some left for the next run" : "",
	     c.failed ? ", some failed" : "");
	free(c.spool);
	free(from);
	return c.failed ? EX_IOERR : 0;
}

const struct cmd_entry cmd_collect_entry = {
	.name = "collect",
	.summary = "compress new raw transcripts into a spool",
	.usage = usage,
	.exec = cmd_collect_exec,
};
