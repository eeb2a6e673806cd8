/*
 * cmd-diff.c: dreamd diff, the memory-diff report between two generations.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dreamd/cmd.h"
#include "dreamd/report.h"
#include "dreamd/util.h"
#include "store/db.h"

#define REPORT_MAX (256u << 20)

extern const struct cmd_entry cmd_diff_entry;

/* 0 and *gen, else a usage error naming arg. */
static int parse_gen(const char *arg, int64_t *gen)
{
	int r = parse_whole(arg, INT64_MAX, gen);

	if (r == -2)
		return cmd_usage_error(&cmd_diff_entry, "generation out of range '%s'", arg);
	if (r < 0)
		return cmd_usage_error(&cmd_diff_entry, "not a generation '%s'", arg);
	return 0;
}

/*
 * FROM and TO as given (-1: not given) made whole: the last two
 * generations by default. 0, or the exit status (the error printed).
 */
static int resolve_gens(struct db *db, int64_t *from, int64_t *to)
{
	int64_t cur;
	int ok;

	if (generation_current(db, &cur) < 0)
		return EX_IOERR;
	if (*to < 0)
		*to = cur;
	if (*from < 0)
		*from = *to > 0 ? *to - 1 : 0;
	if (*to > cur || *from > cur) {
		error("no generation '%lld' (the current one is %lld)",
		      (long long)(*to > cur ? *to : *from), (long long)cur);
		return EX_USAGE;
	}
	if ((ok = generation_exists(db, *from)) <= 0 ||
	    (ok = generation_exists(db, *to)) <= 0) {
		if (ok < 0)
			return EX_IOERR;
		error("no generation %lld in '%s'",
		      (long long)(generation_exists(db, *from) ? *to : *from), db_path(db));
		return EX_USAGE;
	}
	return 0;
}

/* The report in format into out; -1 when it is over REPORT_MAX. */
static int format_diff(struct strbuf *out, const struct diff *d, const char *format, int color)
{
	if (!strcmp(format, "json"))
		return report_diff_json(out, d);
	if (!strcmp(format, "markdown"))
		return report_diff_markdown(out, d);
	if (!strcmp(format, "html"))
		return report_diff_html(out, d);
	return report_diff_text(out, d, color);
}

static int cmd_diff_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "exit-code", no_argument, NULL, 'x' },
		{ "color", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "text", *color_when = "auto";
	int64_t from = -1, to = -1;
	int c, exit_code = 0, color, ret;
	struct strbuf out;
	struct diff d;
	struct db *db;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'x': exit_code = 1; break;
		case 'c': color_when = optarg; break;
		default: return cmd_usage_error(&cmd_diff_entry, "bad option");
		}
	}
	if (strcmp(format, "text") && strcmp(format, "markdown") &&
	    strcmp(format, "json") && strcmp(format, "html"))
		return cmd_usage_error(&cmd_diff_entry, "unknown format '%s'", format);
	color = report_want_color(color_when, STDOUT_FILENO);
	if (color < 0)
		return cmd_usage_error(&cmd_diff_entry, "unknown --color '%s'", color_when);
	if (argc - optind > 2)
		return cmd_usage_error(&cmd_diff_entry, "too many generations");
	if (optind < argc && parse_gen(argv[optind], &from))
		return EX_USAGE;
	if (optind + 1 < argc && parse_gen(argv[optind + 1], &to))
		return EX_USAGE;

	db = cmd_store(ctx);
	ret = resolve_gens(db, &from, &to);
	if (ret)
		return ret;
	if (diff_compute(db, from, to, &d) < 0)
		return EX_IOERR;
	if (!strcmp(format, "html") && diff_load_history(db, &d) < 0) {
		diff_release(&d);
		return EX_IOERR;
	}
	strbuf_init(&out, REPORT_MAX);
	if (format_diff(&out, &d, format, color) < 0) {
		error("report too large (over %u bytes)", REPORT_MAX);
		ret = EX_SOFTWARE;
	} else {
		fwrite(out.buf, 1, out.len, stdout);
		ret = exit_code && diff_has_changes(&d) ? EX_CHANGES : 0;
	}
	strbuf_release(&out);
	diff_release(&d);
	return ret;
}

const struct cmd_entry cmd_diff_entry = {
	.name = "diff",
	.summary = "memory-diff report between two generations",
	.usage =
	"usage: dreamd diff [FROM [TO]] [--format text|markdown|json|html] [--exit-code]\n"
	"\n"
	"Shows what changed in the published memories between generation FROM\n"
	"and generation TO: added, changed, retired and superseded, quarantined,\n"
	"then the conflicts and the mistakes still recurring in TO. Without TO,\n"
	"TO is the current generation; without FROM, the one before TO\n"
	"(generation 0 is the empty set).\n"
	"\n"
	"options:\n"
	"  --format FMT     text (default), markdown, json or html (one\n"
	"                   self-contained file)\n"
	"  --exit-code      exit 1 when there are changes, 0 when there are none\n"
	"  --color WHEN     auto (default: on a terminal when NO_COLOR is unset),\n"
	"                   always or never; text only\n",
	.flags = CMD_STORE_READ,
	.exec = cmd_diff_exec,
};
