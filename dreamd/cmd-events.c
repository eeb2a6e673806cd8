/*
 * cmd-events.c: dreamd events, transcripts to dreamd's own event JSONL.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/cmd.h"
#include "dreamd/ingest.h"
#include "dreamd/redact.h"
#include "dreamd/util.h"

static const char usage[] =
	"usage: dreamd events [--user NAME] FILE...\n"
	"\n"
	"Reads transcripts (zstd or plain; Claude Code, Codex or dreamd events,\n"
	"told apart by their content) and prints their normalized, redacted\n"
	"events as dreamd JSONL (schemas/events.md): per session a header line,\n"
	"then one line per event. Subagent transcripts given after their parent\n"
	"belong to its session.\n"
	"\n"
	"  --user NAME    the user the sessions are recorded for\n"
	"\n"
	"Exit status: 0; 65 when some input was bad (the rest is printed); 66 when\na file is missing.\n";

extern const struct cmd_entry cmd_events_entry;

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

static int cmd_events_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct config *cfg = ctx->cfg;
	struct ingest_opts io = { 0 };
	struct spool_unit *units = NULL;
	struct rule_set rules;
	struct redactor *r = NULL;
	const char *user = NULL;
	size_t nunits = 0, i;
	char *cause = NULL;
	int c, status = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'u')
			user = optarg;
		else
			return cmd_usage_error(&cmd_events_entry, "unknown option");
	}
	if (optind >= argc)
		return cmd_usage_error(&cmd_events_entry, "no transcript given");
	rules = config_rule_group(cfg, "redact");
	if (redactor_new(&r, &rules, &cause) < 0) {
		error("%s", cause);
		free(cause);
		return EX_CONFIG;
	}
	io.max_line = cfg->max_line;
	io.max_bytes = cfg->max_file_bytes;
	io.window_log_max = cfg->window_log_max;
	io.max_depth = cfg->max_depth;
	io.max_text = cfg->max_text;
	io.redact = r;
	for (; optind < argc; optind++) {
		const char *path = argv[optind];
		struct spool_unit *u = nunits ? &units[nunits - 1] : NULL;

		if (!belongs_to(u, path)) {
			units = xrealloc(units, (nunits + 1) * sizeof(*units));
			u = &units[nunits++];
			memset(u, 0, sizeof(*u));
			u->user = user ? xstrdup(user) : NULL;
		}
		u->files = xrealloc(u->files, (u->nfiles + 1) * sizeof(*u->files));
		memset(&u->files[u->nfiles], 0, sizeof(*u->files));
		u->files[u->nfiles++].path = xstrdup(path);
	}
	for (i = 0; i < nunits; i++) {
		struct session s;
		struct strbuf sb;

		session_init(&s);
		ingest_unit(&units[i], &io, &s);
		if (session_exit_status(&s) > status)
			status = session_exit_status(&s);
		if (!s.unusable) {
			strbuf_init(&sb, STRBUF_NOLIMIT);
			session_write_jsonl(&s, &sb);
			fwrite(sb.buf, 1, sb.len, stdout);
			strbuf_release(&sb);
		}
		session_release(&s);
	}
	spool_units_free(units, nunits);
	redactor_free(r);
	return status;
}

const struct cmd_entry cmd_events_entry = {
	.name = "events",
	.summary = "print transcripts as normalized, redacted events",
	.usage = usage,
	.exec = cmd_events_exec,
};
