/*
 * cmd-log.c: dreamd log, a memory's version history.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "dreamd/cmd.h"
#include "dreamd/util.h"
#include "store/db.h"
#include "store/history.h"

extern const struct cmd_entry cmd_log_entry;

#define LOG_MAX (64u << 20)

static void log_json(struct strbuf *out, const char *id, const struct memory_version *v,
		     size_t n)
{
	size_t i;

	strbuf_addstr(out, "{\"id\": ");
	strbuf_add_json(out, id, strlen(id));
	strbuf_addstr(out, ", \"versions\": [");
	for (i = 0; i < n; i++) {
		const char *change = v[i].change ? v[i].change : "";
		const char *actor = v[i].actor ? v[i].actor : "";
		const char *reason = v[i].reason ? v[i].reason : "";
		char when[32];

		strbuf_addf(out, "%s\n  {\"version\": %lld, \"gen\": %lld, \"at\": ",
			    i ? "," : "", (long long)v[i].version, (long long)v[i].gen);
		if (v[i].published_at < 0) {
			strbuf_addstr(out, "null");
		} else {
			format_iso8601(v[i].published_at, when);
			strbuf_addf(out, "\"%s\"", when);
		}
		strbuf_addstr(out, ", \"change\": ");
		strbuf_add_json(out, change, strlen(change));
		strbuf_addstr(out, ", \"actor\": ");
		strbuf_add_json(out, actor, strlen(actor));
		strbuf_addstr(out, ", \"reason\": ");
		strbuf_add_json(out, reason, strlen(reason));
		strbuf_addstr(out, "}");
	}
	strbuf_addstr(out, "]}\n");
}

static void log_text(struct strbuf *out, const struct memory_version *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char when[32] = "-";

		if (v[i].published_at >= 0)
			format_iso8601(v[i].published_at, when);
		strbuf_addf(out, "v%-3lld gen %-4lld %s  %-8s %-10s %s\n",
			    (long long)v[i].version, (long long)v[i].gen, when,
			    v[i].change ? v[i].change : "", v[i].actor ? v[i].actor : "",
			    v[i].reason ? v[i].reason : "");
	}
}

static int cmd_log_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "text", *id;
	int c, r, ret = EX_IOERR;
	size_t n = 0;
	struct memory_version *v = NULL;
	struct strbuf out;
	struct db *db;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		default: return cmd_usage_error(&cmd_log_entry, "bad option");
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cmd_usage_error(&cmd_log_entry, "unknown format '%s'", format);
	if (argc - optind != 1)
		return cmd_usage_error(&cmd_log_entry, "expected one memory id");
	id = argv[optind];
	db = cmd_store(ctx);
	strbuf_init(&out, LOG_MAX);
	if (memory_versions_load(db, id, &v, &n) < 0)
		goto rollback;
	if (!n) {
		r = memory_exists(db, id);
		if (r < 0)
			goto rollback;
		if (r == 0) {
			error("no memory '%s'", id);
			ret = EX_NOINPUT;
			goto rollback;
		}
	}
	if (!strcmp(format, "json"))
		log_json(&out, id, v, n);
	else
		log_text(&out, v, n);
	if (out.len >= LOG_MAX - 1) {
		error("log too large (over %u bytes)", LOG_MAX);
		ret = EX_SOFTWARE;
		goto rollback;
	}
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
rollback:
	memory_versions_release(v, n);
	strbuf_release(&out);
	return ret;
}

const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.summary = "a memory's version history",
	.usage =
	"usage: dreamd log ID [--format text|json]\n"
	"\n"
	"Lists every version of memory ID, oldest first: the version, the\n"
	"generation that published it and when, the change (added, updated,\n"
	"retired, restored, reviewed), who made it and why. Exits 66 when there\n"
	"is no such memory.\n",
	.flags = CMD_STORE_READ,
	.exec = cmd_log_exec,
};
