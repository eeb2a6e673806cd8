/*
 * cmd-review.c: dreamd review, a reviewer's decision on one memory.
 *
 * The decision is primary data (the reviews table); the memory set is then
 * curated again with it and published as a new generation, so the decision
 * is a version like any other change and survives later runs and
 * reconsolidation.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "dreamd/cmd.h"
#include "dreamd/curate.h"
#include "dreamd/options.h"
#include "dreamd/util.h"
#include "dreamd/writer.h"
#include "store/history.h"
#include "store/review.h"
#include "store/runs.h"

static const char usage[] =
	"usage: dreamd review accept|reject|pin|unpin|edit ID [--by NAME]\n"
	"                     [--title TEXT] [--body TEXT]\n"
	"\n"
	"Records a reviewer's decision on memory ID and publishes it as a new\n"
	"generation.\n"
	"\n"
	"  accept        a candidate or quarantined memory becomes active\n"
	"  reject        suppress the memory for good (until accepted again)\n"
	"  pin           freeze the memory as it is against later runs\n"
	"  unpin         let runs update it again\n"
	"  edit          replace its title and/or body; evidence keeps accumulating\n"
	"  --by NAME     who decided (default: $USER)\n"
	"  --title TEXT, --body TEXT   the new text, for edit\n"
	"\n"
	"Exit: 0 done, 64 usage, 66 no such memory, 75 a run holds the lock.\n";

extern const struct cmd_entry cmd_review_entry;

static int cmd_review_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "title", required_argument, NULL, 't' },
		{ "body", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	const char *by = NULL, *title = NULL, *body = NULL, *action, *id;
	enum review_action a;
	struct curate_stats cs;
	struct writer *w;
	char fp[17];
	char summary[512], stats[256], gen_line[32];
	int64_t gen = 0;
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': by = optarg; break;
		case 't': title = optarg; break;
		case 'm': body = optarg; break;
		default: return cmd_usage_error(&cmd_review_entry, "unknown option");
		}
	}
	if (argc - optind != 2)
		return cmd_usage_error(&cmd_review_entry, "review takes an action and an id");
	action = argv[optind];
	id = argv[optind + 1];
	a = review_action_of(action);
	if (!a)
		return cmd_usage_error(&cmd_review_entry, "unknown review action '%s'", action);
	if ((a == REVIEW_EDIT) != (title || body))
		return cmd_usage_error(&cmd_review_entry,
				       "--title and --body go with edit, and edit needs one");
	config_fingerprint(ctx->cfg, fp);
	w = cmd_writer(ctx, "review", opt_reviewer(by), 0);
	r = memory_exists(w->db, id);
	if (r < 0)
		return EX_IOERR;
	if (!r) {
		error("no memory '%s'", id);
		return EX_NOINPUT;
	}
	if (review_add(w->db, id, a, w->actor, now_ms(), title, body) < 0)
		return EX_IOERR;
	snprintf(summary, sizeof(summary), "review %s %s by %s", action, id, w->actor);
	if (curate_publish(w->db, ctx->cfg, w->run, w->actor, summary, id, &cs, &gen) < 0)
		return EX_IOERR;
	curate_stats_format(&cs, stats, sizeof(stats));
	snprintf(summary + strlen(summary), sizeof(summary) - strlen(summary),
		 "; memories: %s; %s", stats, run_generation_phrase(gen, gen_line));
	return writer_finish(w, gen, 0, summary, NULL, fp);
}

const struct cmd_entry cmd_review_entry = {
	.name = "review",
	.summary = "accept, reject, pin, unpin or edit a memory",
	.usage = usage,
	.flags = CMD_STORE_WRITE,
	.exec = cmd_review_exec,
};
