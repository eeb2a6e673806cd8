/*
 * cmd-log.c: dreamd log, a memory's version history.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "dreamd/cmd.h"
#include "dreamd/util.h"
#include "store/db.h"

extern const struct cmd_entry cmd_log_entry;

#define LOG_MAX (64u << 20)

static int cmd_log_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "text", *id;
	int c, r, json, ret = EX_IOERR;
	size_t n = 0;
	struct strbuf out;
	struct db_stmt *st;
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
	json = !strcmp(format, "json");
	db = cmd_store(ctx);
	strbuf_init(&out, LOG_MAX);
	st = db_prepare(db,
		"SELECT v.version, v.gen, v.change, v.actor, v.reason, g.published_at"
		" FROM memory_versions v LEFT JOIN generations g ON g.gen = v.gen"
		" WHERE v.memory_id = :id ORDER BY v.version");
	if (!st || db_bind_text(st, ":id", id) < 0)
		goto rollback;
	if (json) {
		strbuf_addstr(&out, "{\"id\": ");
		strbuf_add_json(&out, id, strlen(id));
		strbuf_addstr(&out, ", \"versions\": [");
	}
	while ((r = db_step(st)) == 1) {
		const char *change = db_col_text(st, 2), *actor = db_col_text(st, 3);
		const char *reason = db_col_text(st, 4);
		char when[32] = "-";

		if (!db_col_is_null(st, 5))
			format_iso8601(db_col_int(st, 5), when);
		change = change ? change : "";
		actor = actor ? actor : "";
		reason = reason ? reason : "";
		if (json) {
			strbuf_addf(&out, "%s\n  {\"version\": %lld, \"gen\": %lld, \"at\": ",
				    n ? "," : "", (long long)db_col_int(st, 0),
				    (long long)db_col_int(st, 1));
			if (db_col_is_null(st, 5))
				strbuf_addstr(&out, "null");
			else
				strbuf_addf(&out, "\"%s\"", when);
			strbuf_addstr(&out, ", \"change\": ");
			strbuf_add_json(&out, change, strlen(change));
			strbuf_addstr(&out, ", \"actor\": ");
			strbuf_add_json(&out, actor, strlen(actor));
			strbuf_addstr(&out, ", \"reason\": ");
			strbuf_add_json(&out, reason, strlen(reason));
			strbuf_addstr(&out, "}");
		} else {
			strbuf_addf(&out, "v%-3lld gen %-4lld %s  %-8s %-10s %s\n",
				    (long long)db_col_int(st, 0), (long long)db_col_int(st, 1),
				    when, change, actor, reason);
		}
		n++;
	}
	db_done(st);
	if (r < 0)
		goto rollback;
	if (!n) {
		struct db_stmt *q = db_prepare(db, "SELECT 1 FROM memories WHERE id = :id");

		if (!q || db_bind_text(q, ":id", id) < 0)
			goto rollback;
		r = db_step(q);
		db_done(q);
		if (r < 0)
			goto rollback;
		if (r == 0) {
			error("no memory '%s'", id);
			ret = EX_NOINPUT;
			goto rollback;
		}
	}
	if (json)
		strbuf_addstr(&out, "]}\n");
	if (out.len >= LOG_MAX - 1) {
		error("log too large (over %u bytes)", LOG_MAX);
		ret = EX_SOFTWARE;
		goto rollback;
	}
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
rollback:
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
