/*
 * cmd-export.c: dreamd export, the memories an agent loads.
 */
#include <cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dreamd/cmd.h"
#include "dreamd/export.h"
#include "dreamd/export-write.h"
#include "dreamd/util.h"
#include "store/db.h"

#define EXPORT_MAX (64u << 20)
#define HOOK_INPUT_MAX (1u << 20)

extern const struct cmd_entry cmd_export_entry;

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
			 const char *extra)
{
	size_t i;

	if (extra)
		return cmd_usage_error(&cmd_export_entry, "unexpected argument '%s'", extra);
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
	if (!o->nscopes && (cwd_arg || o->format == EXPORT_CLAUDE_HOOK)) {
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
static int export_out(struct cmd_ctx *ctx, const struct export_opts *o, const char *write)
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
		} else if (o->format == EXPORT_MARKDOWN) {
			ret = export_write_block(write, out.buf) < 0 ? EX_CANTCREAT : 0;
		} else {
			ret = export_write_file(write, out.buf, out.len) < 0 ? EX_CANTCREAT : 0;
		}
	}
	strbuf_release(&out);
	export_set_release(&set);
	return ret;
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
		{ "write", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct export_opts o = { 0 };
	const char *format = "markdown", *cwd_arg = NULL, *write = NULL;
	const char **scopes = NULL;
	size_t nscopes = 0, alloc = 0;
	int c, budget_given = 0, ret;

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
		case 'w': write = optarg; break;
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
	o.min_users = ctx->cfg->min_users;
	o.scopes = scopes;
	o.nscopes = nscopes;
	ret = check_options(&o, format, cwd_arg, optind < argc ? argv[optind] : NULL);
	if (!budget_given && !o.all && o.format != EXPORT_JSON && ctx->cfg->budget_tokens > 0) {
		o.budget_tokens = ctx->cfg->budget_tokens;
		o.budget_bytes = (int64_t)ctx->cfg->budget_tokens * 4;
	}
	if (!ret)
		ret = export_out(ctx, &o, write);
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
	"                     [--all] [--write FILE]\n"
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
	"\n"
	"Exit status: 0; 73 when --write cannot write FILE (a directory, a file\n"
	"you may not write, an ambiguous block), which is left as it was.\n",
	.flags = CMD_STORE_READ,
	.exec = cmd_export_exec,
};
