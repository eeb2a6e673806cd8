/*
 * main.c: global options, the command table, and what a command's flags
 * ask set up around it: the store in a read transaction (cmd_store) or the
 * writer's frame (cmd_writer), rolled back and closed after it.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dreamd/cmd.h"
#include "dreamd/ingest.h"
#include "dreamd/json-arena.h"
#include "dreamd/store-open.h"
#include "dreamd/util.h"
#include "dreamd/writer.h"
#include "store/db.h"

extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_merge_entry;
extern const struct cmd_entry cmd_reconsolidate_entry;
extern const struct cmd_entry cmd_diff_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_show_entry;
extern const struct cmd_entry cmd_log_entry;
extern const struct cmd_entry cmd_review_entry;
extern const struct cmd_entry cmd_rollback_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_collect_entry;
extern const struct cmd_entry cmd_events_entry;
extern const struct cmd_entry cmd_extract_entry;

static const struct cmd_entry *const cmd_table[] = {
	&cmd_run_entry,
	&cmd_merge_entry,
	&cmd_reconsolidate_entry,
	&cmd_diff_entry,
	&cmd_export_entry,
	&cmd_show_entry,
	&cmd_log_entry,
	&cmd_review_entry,
	&cmd_rollback_entry,
	&cmd_status_entry,
	&cmd_collect_entry,
	&cmd_events_entry,
	&cmd_extract_entry,
	NULL
};

static const char usage_head[] =
	"usage: dreamd [--db PATH] [--config FILE] [-q | -v] COMMAND [ARGS]\n"
	"\n"
	"dreamd learns from AI coding agents' session transcripts: recurring\n"
	"mistakes and their fixes, converging workflows, team preferences.\n"
	"\n"
	"options:\n"
	"  --db PATH        the SQLite store (DREAMD_DB; default ./dreamd.db)\n"
	"  --config FILE    YAML settings (DREAMD_CONFIG; default: none)\n"
	"  -q, --quiet      print nothing but errors\n"
	"  -v, --verbose    say more\n"
	"  --version        print the version\n"
	"  -h, --help       print this help\n"
	"\n"
	"commands:\n";

static void usage(FILE *out)
{
	const struct cmd_entry *const *c;

	fputs(usage_head, out);
	for (c = cmd_table; *c; c++)
		fprintf(out, "  %-14s %s\n", (*c)->name, (*c)->summary);
	fputs("\nRun 'dreamd COMMAND --help' for a command's options.\n"
	      "Exit codes: 0 done, 1 diff found changes, 64 usage, 65 bad input\n"
	      "quarantined, 66 input missing, 69/74 store or I/O failure, 73 export\n"
	      "--write cannot write its file, 75 locked, 78 bad configuration.\n"
	      "See dreamd(1).\n", out);
}

static void report_db_error(const char *msg)
{
	error("%s", msg);
}

struct db *cmd_store(struct cmd_ctx *ctx)
{
	if (!(ctx->cmd->flags & CMD_STORE_READ))
		die(EX_SOFTWARE, "'%s' has no CMD_STORE_READ flag", ctx->cmd->name);
	if (ctx->db)
		return ctx->db;
	if (store_open_read(ctx->db_path, &ctx->db) < 0)
		exit(EX_IOERR);
	if (db_begin_read(ctx->db) < 0) {
		db_close(ctx->db);
		exit(EX_IOERR);
	}
	return ctx->db;
}

struct writer *cmd_writer(struct cmd_ctx *ctx, const char *kind, const char *person,
			  int dry_run)
{
	static struct writer w;
	int r;

	if (!(ctx->cmd->flags & CMD_STORE_WRITE))
		die(EX_SOFTWARE, "'%s' has no CMD_STORE_WRITE flag", ctx->cmd->name);
	if (ctx->writer)
		return ctx->writer;
	r = writer_start(&w, ctx, kind, person, dry_run);
	if (r)
		exit(r);
	ctx->writer = &w;
	return ctx->writer;
}

/*
 * What cmd_store() or cmd_writer() set up goes after exec(): a reader never
 * commits, and a writer that did not finish is rolled back.
 */
static void cmd_teardown(struct cmd_ctx *ctx)
{
	if (ctx->writer) {
		writer_abort(ctx->writer);	/* a no-op after writer_finish() */
		ctx->writer = NULL;
	}
	if (!ctx->db)
		return;
	db_rollback(ctx->db);
	db_close(ctx->db);
	ctx->db = NULL;
}

int cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error("%s", msg);
	fputs(cmd->usage, stderr);
	return EX_USAGE;
}

static const struct cmd_entry *find_cmd(const char *name)
{
	const struct cmd_entry *const *c;

	for (c = cmd_table; *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

/* What the global options say, before the command's name. */
struct globals {
	const char *db_path, *config_path;
	int quiet, verbose;
};

/*
 * Reads the global options up to the command's name (optind is then at
 * it). Returns -1 to go on, else the exit status (--version, --help, a
 * usage error).
 */
static int global_options(int argc, char **argv, struct globals *g)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	/* "+": stop at the command name; the command parses the rest. */
	while ((c = getopt_long(argc, argv, "+qvh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': g->db_path = optarg; break;
		case 'c': g->config_path = optarg; break;
		case 'q': g->quiet = 1; break;
		case 'v': g->verbose = 1; break;
		case 'V':
			printf("dreamd %s\n", DREAMD_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct globals g = { getenv("DREAMD_DB"), getenv("DREAMD_CONFIG"), 0, 0 };
	const struct cmd_entry *cmd;
	struct cmd_ctx ctx = { 0 };
	struct config cfg;
	int status;

	alloc_set_fault_hook(fault_hit);	/* before anything allocates */
	status = global_options(argc, argv, &g);
	if (status >= 0)
		return status;
	cmd = find_cmd(argv[optind]);
	if (!cmd) {
		error("unknown command '%s'", argv[optind]);
		usage(stderr);
		return EX_USAGE;
	}
	if (wants_help(argc - optind, argv + optind)) {
		fputs(cmd->usage, stdout);
		return 0;
	}
	if (g.quiet && g.verbose) {
		error("-q and -v cannot be used together");
		return EX_USAGE;
	}
	/* Quiet under cron: no tty on stderr means nothing but errors. */
	verbosity = g.quiet ? 0 : g.verbose ? 2 : isatty(STDERR_FILENO) ? 1 : 0;
	ctx.db_path = g.db_path && *g.db_path ? g.db_path : "dreamd.db";
	/* What is set for the whole process, once, before any work. */
	db_set_reporter(report_db_error);
	db_set_fault_hook(fault_hit);
	json_arena_install();
	if (config_load(&cfg, g.config_path && *g.config_path ? g.config_path : NULL) < 0) {
		config_release(&cfg);
		return EX_CONFIG;
	}
	ctx.cfg = &cfg;
	digest_set_session_memory(cfg.session_memory);

	argc -= optind;
	argv += optind;
	optind = 0;	/* each command runs getopt_long again on its own argv */
	ctx.cmd = cmd;
	status = cmd->exec(&ctx, argc, argv);
	cmd_teardown(&ctx);
	config_release(&cfg);
	/* git's run_builtin: a command whose output was lost has failed. */
	if (fflush(stdout) || ferror(stdout)) {
		error("cannot write to standard output");
		return EX_IOERR;
	}
	return status;
}
