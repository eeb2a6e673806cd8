/*
 * cmd-export.c: dreamd export, the memories an agent loads.
 *
 * --for AGENT names the file that agent loads under --cwd DIR (or, with
 * --home, under $HOME for every project): one dreamd owns whole where the
 * agent loads every file of a directory (Claude Code's .claude/rules/,
 * Copilot's ~/.copilot/instructions/, an aider conventions file passed with
 * --read), the dreamd block of the shared file otherwise (AGENTS.md,
 * GEMINI.md, .github/copilot-instructions.md), so no byte of the user's is
 * touched.
 */
#include <cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dreamd/cmd.h"
#include "dreamd/export.h"
#include "dreamd/export-write.h"
#include "dreamd/util.h"
#include "store/db.h"

#define EXPORT_MAX (64u << 20)
#define HOOK_INPUT_MAX (1u << 20)

extern const struct cmd_entry cmd_export_entry;

/*
 * Where each agent loads instructions from: under the project directory,
 * and under $HOME for every project (NULL: no such file).
 */
static const struct agent_file {
	const char *agent, *path;
	int whole;		/* dreamd's own file, else its block in a shared one */
	const char *home;
	int home_whole;
} agent_files[] = {
	{ "aider", ".aider.dreamd.md", 1, NULL, 0 },	/* aider --read .aider.dreamd.md */
	{ "claude-code", ".claude/rules/dreamd.md", 1, ".claude/rules/dreamd.md", 1 },
	{ "codex", "AGENTS.md", 0, ".codex/AGENTS.md", 0 },
	{ "copilot-cli", ".github/copilot-instructions.md", 0,
	  ".copilot/instructions/dreamd.instructions.md", 1 },
	{ "gemini-cli", "GEMINI.md", 0, ".gemini/GEMINI.md", 0 },
	{ "opencode", "AGENTS.md", 0, ".config/opencode/AGENTS.md", 0 },
};

/* What --for asked: the agent's file, and whether dreamd owns it whole. */
struct target {
	const struct agent_file *af;
	int home, write;	/* --home; a bare --write */
	char *base, *path;	/* the directory the file lies under, the file */
	int whole;
	char *user_scope;
};

static const struct agent_file *agent_file(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(agent_files) / sizeof(*agent_files); i++)
		if (!strcmp(agent_files[i].agent, name))
			return &agent_files[i];
	return NULL;
}


/* "N" tokens (4 bytes each) or "Nb" bytes; 0 is no budget. */
static int parse_budget(const char *s, struct export_opts *o)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || v < 0 || errno || v > (1LL << 40))
		return -1;
	if (!strcmp(end, "b")) {
		o->budget_bytes = v;
		o->budget_tokens = 0;
	} else if (!*end) {
		o->budget_bytes = v * 4;
		o->budget_tokens = v;
	} else {
		return -1;
	}
	return 0;
}

/* The "cwd" of a Claude Code hook's JSON on stdin; NULL when there is none. */
static char *hook_cwd(void)
{
	struct strbuf sb;
	char buf[4096];
	char *cwd = NULL;
	cJSON *root, *c;
	size_t n;

	if (isatty(STDIN_FILENO))
		return NULL;
	strbuf_init(&sb, HOOK_INPUT_MAX);
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		if (strbuf_add(&sb, buf, n) < 0) {
			warning("hook input over %u bytes ignored", HOOK_INPUT_MAX);
			strbuf_release(&sb);
			return NULL;
		}
	}
	if (!sb.len) {
		strbuf_release(&sb);
		return NULL;
	}
	root = cJSON_Parse(sb.buf);
	c = cJSON_GetObjectItemCaseSensitive(root, "cwd");
	if (cJSON_IsString(c) && c->valuestring[0])
		cwd = xstrdup(c->valuestring);
	else
		warning("hook input without a \"cwd\" string ignored '<stdin>'");
	cJSON_Delete(root);
	strbuf_release(&sb);
	return cwd;
}

/* An absolute path without trailing slashes; resolved when it exists. */
static char *norm_dir(const char *dir)
{
	char *real = realpath(dir, NULL);
	char *p;
	size_t n;

	if (!real) {
		if (dir[0] == '/') {
			p = xstrdup(dir);
		} else {
			char here[PATH_MAX];

			if (!getcwd(here, sizeof(here)))
				return NULL;
			p = xasprintf("%s/%s", here, dir);
		}
	} else {
		p = xstrdup(real);
		free(real);
	}
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

/*
 * Checks the format, scopes and cwd given, and fills o (o->cwd malloc'd).
 * 0, or the exit status with the error printed.
 */
static int check_options(struct export_opts *o, const char *format, const char *cwd_arg,
			 const char *extra, const struct target *t)
{
	size_t i;

	if (extra)
		return cmd_usage_error(&cmd_export_entry, "unexpected argument '%s'", extra);
	if (t->af && (o->nscopes || strcmp(format, "markdown")))
		return cmd_usage_error(&cmd_export_entry, "--for writes markdown for --cwd DIR: "
				       "no --scope or --format with it");
	if (t->home && (!t->af || cwd_arg))
		return cmd_usage_error(&cmd_export_entry, "--home goes with --for AGENT, not --cwd");
	if (t->home && !t->af->home)
		return cmd_usage_error(&cmd_export_entry,
				       "this agent has no file for every project: use --cwd");
	if (!strcmp(format, "markdown"))
		o->format = EXPORT_MARKDOWN;
	else if (!strcmp(format, "json"))
		o->format = EXPORT_JSON;
	else if (!strcmp(format, "claude-hook"))
		o->format = EXPORT_CLAUDE_HOOK;
	else
		return cmd_usage_error(&cmd_export_entry, "unknown format '%s'", format);
	if (o->nscopes && cwd_arg)
		return cmd_usage_error(&cmd_export_entry,
				       "--scope and --cwd cannot be used together");
	for (i = 0; i < o->nscopes; i++) {
		const char *s = o->scopes[i];

		if (strcmp(s, "team") && (strncmp(s, "project:", 8) || !s[8]) &&
		    (strncmp(s, "user:", 5) || !s[5]))
			return cmd_usage_error(&cmd_export_entry,
					       "bad scope '%s' (team, project:DIR or user:NAME)", s);
	}
	if (!o->nscopes && (cwd_arg || t->af || o->format == EXPORT_CLAUDE_HOOK)) {
		char *hook = cwd_arg ? NULL : hook_cwd();
		char *cwd = norm_dir(cwd_arg ? cwd_arg : hook ? hook : ".");

		free(hook);
		if (!cwd) {
			error("cannot find the current directory: %s", strerror(errno));
			return EX_OSERR;
		}
		o->cwd = cwd;
	}
	return 0;
}

/*
 * With --for: the file and its directory (o->cwd, or $HOME for --home,
 * whose scopes are then the team's and the user's). 0, or the exit status.
 */
static int resolve_target(struct export_opts *o, const char ***scopes, size_t *alloc,
			  struct target *t)
{
	const char *home = getenv("HOME");

	if (!t->af)
		return 0;
	if (t->home) {
		if (!home || !*home)
			return cmd_usage_error(&cmd_export_entry, "--home needs $HOME");
		t->user_scope = xasprintf("user:%s", o->user);
		ALLOC_GROW(*scopes, 2, *alloc);
		(*scopes)[0] = "team";
		(*scopes)[1] = t->user_scope;
		o->scopes = *scopes;
		o->nscopes = 2;
		t->base = xstrdup(home);
	} else {
		t->base = xstrdup(o->cwd);
	}
	t->whole = t->home ? t->af->home_whole : t->af->whole;
	if (t->write)
		t->path = xasprintf("%s/%s", t->base, t->home ? t->af->home : t->af->path);
	return 0;
}

/* Names on stderr what the budget left out. */
static void warn_left_out(const struct export_set *set, const struct export_opts *o)
{
	struct strbuf ids;
	size_t i;

	strbuf_init(&ids, STRBUF_NOLIMIT);
	for (i = 0; i < set->nleft; i++)
		strbuf_addf(&ids, "%s%s", i ? ", " : "", set->left[i]->id);
	if (o->budget_tokens)
		warning("budget of %lld tokens left out %zu %s: %s",
			(long long)o->budget_tokens, set->nleft,
			set->nleft == 1 ? "memory" : "memories", ids.buf);
	else
		warning("budget of %lld bytes left out %zu %s: %s",
			(long long)o->budget_bytes, set->nleft,
			set->nleft == 1 ? "memory" : "memories", ids.buf);
	strbuf_release(&ids);
}

/* Selects, renders and prints (or writes) the export; the exit status. */
static int export_out(struct cmd_ctx *ctx, const struct export_opts *o, const char *write,
		      const struct target *t)
{
	struct export_set set;
	struct strbuf out;
	int ret;

	if (export_select(cmd_store(ctx), o, &set) < 0)
		return EX_IOERR;
	strbuf_init(&out, EXPORT_MAX);
	if (export_render(&out, &set, o) < 0) {
		error("export too large (over %u bytes)", EXPORT_MAX);
		ret = EX_SOFTWARE;
	} else {
		if (set.nleft)
			warn_left_out(&set, o);
		if (!write) {
			fwrite(out.buf, 1, out.len, stdout);
			ret = 0;
		} else if (t->path && write == t->path && mkdir_parents(t->path, strlen(t->base) + 1) < 0) {
			ret = EX_CANTCREAT;
		} else if (o->format == EXPORT_MARKDOWN && !(t->af && t->whole)) {
			ret = export_write_block(write, out.buf) < 0 ? EX_CANTCREAT : 0;
		} else {
			ret = export_write_file(write, out.buf, out.len) < 0 ? EX_CANTCREAT : 0;
		}
	}
	strbuf_release(&out);
	export_set_release(&set);
	return ret;
}

/* The config's budget, where the command line gave none and the format takes one. */
static void default_budget(const struct config *cfg, struct export_opts *o, int given)
{
	if (given || o->all || o->format == EXPORT_JSON || cfg->budget_tokens <= 0)
		return;
	o->budget_tokens = cfg->budget_tokens;
	o->budget_bytes = (int64_t)cfg->budget_tokens * 4;
}

static int cmd_export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },
		{ "cwd", required_argument, NULL, 'C' },
		{ "user", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ "budget", required_argument, NULL, 'b' },
		{ "all", no_argument, NULL, 'a' },
		{ "write", optional_argument, NULL, 'w' },
		{ "for", required_argument, NULL, 'F' },
		{ "home", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct target t = { 0 };
	struct export_opts o = { 0 };
	const char *format = "markdown", *cwd_arg = NULL, *write = NULL;
	const char **scopes = NULL;
	size_t nscopes = 0, alloc = 0;
	int c, budget_given = 0, write_flag = 0, ret;

	o.user = login_name();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			ALLOC_GROW(scopes, nscopes + 1, alloc);
			scopes[nscopes++] = optarg;
			break;
		case 'C': cwd_arg = optarg; break;
		case 'u': o.user = optarg; break;
		case 'f': format = optarg; break;
		case 'a': o.all = 1; break;
		case 'w': write = optarg; write_flag = 1; break;
		case 'H': t.home = 1; break;
		case 'F':
			if (!(t.af = agent_file(optarg))) {
				free(scopes);
				return cmd_usage_error(&cmd_export_entry, "unknown agent '%s' for --for "
					"(aider, claude-code, codex, copilot-cli, gemini-cli, opencode)", optarg);
			}
			break;
		case 'b':
			if (parse_budget(optarg, &o) < 0) {
				free(scopes);
				return cmd_usage_error(&cmd_export_entry,
						       "bad budget '%s' (tokens, or bytes with 'b')", optarg);
			}
			budget_given = 1;
			break;
		default:
			free(scopes);
			return cmd_usage_error(&cmd_export_entry, "bad option");
		}
	}
	/* --write FILE as well as --write=FILE; a bare --write with --for. */
	if (write_flag && !write && optind < argc)
		write = argv[optind++];
	t.write = write_flag && !write;
	o.min_users = ctx->cfg->min_users;
	o.scopes = scopes;
	o.nscopes = nscopes;
	if (t.write && !t.af)
		ret = cmd_usage_error(&cmd_export_entry, "--write needs a FILE (or --for AGENT)");
	else
		ret = check_options(&o, format, cwd_arg, optind < argc ? argv[optind] : NULL, &t);
	if (!ret)
		ret = resolve_target(&o, &scopes, &alloc, &t);
	if (t.path)
		write = t.path;
	default_budget(ctx->cfg, &o, budget_given);
	if (!ret)
		ret = export_out(ctx, &o, write, &t);
	if (!ret && t.path && !strcmp(t.af->agent, "aider"))
		info("aider loads it with --read %s (or read: in .aider.conf.yml)", t.af->path);
	free(t.base);
	free(t.path);
	free(t.user_scope);
	free((char *)o.cwd);
	free(scopes);
	return ret;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.summary = "the memories an agent loads (CLAUDE.md block, JSON, hook)",
	.usage =
	"usage: dreamd export [--scope S | --cwd DIR] [--user NAME]\n"
	"                     [--format markdown|json|claude-hook] [--budget N]\n"
	"                     [--all] [--write FILE] [--for AGENT [--home] [--write]]\n"
	"\n"
	"Prints the current generation's active and pinned memories, for an agent\n"
	"to load.\n"
	"\n"
	"options:\n"
	"  --scope S        only scope S: team, project:DIR or user:NAME (may be\n"
	"                   given more than once)\n"
	"  --cwd DIR        what a session in DIR loads: project:DIR and its parent\n"
	"                   directories, team, and user:NAME\n"
	"  --user NAME      the user for --cwd (default: $USER)\n"
	"  --format FMT     markdown (default): a block between <!-- dreamd:begin -->\n"
	"                   and <!-- dreamd:end --> for CLAUDE.md or AGENTS.md;\n"
	"                   json; claude-hook: a SessionStart hook's output, which\n"
	"                   reads the hook's JSON on stdin for its cwd\n"
	"  --budget N       at most N tokens (about 4 bytes each), or N bytes with\n"
	"                   a 'b' suffix (8000b); 0: no limit. What does not fit\n"
	"                   is named on stderr and in the block's last line.\n"
	"                   Default: export.budget for markdown and\n"
	"                   claude-hook; none for json and --all\n"
	"  --all            every status, not only active and pinned\n"
	"  --write FILE     markdown: replace the dreamd block in FILE (append one\n"
	"                   when absent), keeping the rest byte for byte; other\n"
	"                   formats: write FILE whole. Atomic (temp file + rename)\n"
	"  --for AGENT      markdown for what AGENT loads in --cwd DIR (default: .);\n"
	"                   with --write (no FILE), into that agent's file there:\n"
	"                     claude-code  .claude/rules/dreamd.md (dreamd's own file)\n"
	"                     aider        .aider.dreamd.md (dreamd's own; load it with\n"
	"                                  --read or read: in .aider.conf.yml)\n"
	"                     codex, opencode  AGENTS.md (the dreamd block)\n"
	"                     gemini-cli   GEMINI.md (the dreamd block)\n"
	"                     copilot-cli  .github/copilot-instructions.md (the block)\n"
	"  --home           with --for: the team's and the user's memories, for every\n"
	"                   project, into the agent's file under $HOME:\n"
	"                   ~/.claude/rules/dreamd.md, ~/.codex/AGENTS.md,\n"
	"                   ~/.config/opencode/AGENTS.md, ~/.gemini/GEMINI.md,\n"
	"                   ~/.copilot/instructions/dreamd.instructions.md\n"
	"\n"
	"Exit status: 0; 73 when --write cannot write FILE (a directory, a file\n"
	"you may not write, an ambiguous block), which is left as it was.\n",
	.flags = CMD_STORE_READ,
	.exec = cmd_export_exec,
};
