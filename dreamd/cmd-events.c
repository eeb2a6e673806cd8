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
	"Reads transcripts (zstd or plain; Claude Code, Codex, aider chat\n"
	"histories, OpenCode JSON lines or dreamd events, told apart by their\n"
	"content) and prints their normalized, redacted\n"
	"events as dreamd JSONL (schemas/events.md): per session a header line,\n"
	"then one line per event. Subagent transcripts given after their parent\n"
	"belong to its session.\n"
	"\n"
	"  --user NAME    the user the sessions are recorded for\n"
	"\n"
	"Exit status: 0; 65 when some input was bad (the rest is printed); 66 when\na file is missing.\n";

extern const struct cmd_entry cmd_events_entry;

/* A session's lines go out as they are made: a big one is never held whole. */
static int print_lines(void *data, struct strbuf *sb)
{
	fwrite(sb->buf, 1, sb->len, stdout);
	strbuf_reset(sb);
	return 0;
}

static int cmd_events_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct jsonl_sink sink = { print_lines, NULL, (size_t)1 << 20 };
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct config *cfg = ctx->cfg;
	struct ingest_opts io = { 0 };
	struct spool_unit *units = NULL;
	struct redactor *r = NULL;
	const char *user = NULL;
	size_t nunits = 0, i;
	int c, status = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'u')
			user = optarg;
		else
			return cmd_usage_error(&cmd_events_entry, "unknown option");
	}
	if (optind >= argc)
		return cmd_usage_error(&cmd_events_entry, "no transcript given");
	if (ingest_setup(cfg, &io, &r) < 0)
		return EX_CONFIG;
	spool_units_from_paths(argv + optind, (size_t)(argc - optind), user, &units, &nunits);
	for (i = 0; i < nunits; i++) {
		struct session s;
		struct strbuf sb;

		session_init(&s);
		ingest_unit(&units[i], &io, &s);
		if (session_exit_status(&s) > status)
			status = session_exit_status(&s);
		if (!s.unusable) {
			strbuf_init(&sb, STRBUF_NOLIMIT);
			session_write_jsonl(&s, &sb, &sink);
			print_lines(NULL, &sb);
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
