/*
 * cmd-status.c: dreamd status, what the store holds at a glance.
 *
 * Its queries are the command's whole job (counts over the tables of the
 * ingest: sessions, quarantine, runs), so it keeps their SQL here; it only
 * reads them. The memory tables it counts through store/history.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/cmd.h"
#include "dreamd/util.h"
#include "store/db.h"
#include "store/history.h"

extern const struct cmd_entry cmd_status_entry;

#define STATUS_MAX (16u << 20)
#define LATEST_QUARANTINED 5

struct out {
	struct strbuf sb;
	int json;
};

static void js(struct strbuf *sb, const char *s)
{
	if (s)
		strbuf_add_json(sb, s, strlen(s));
	else
		strbuf_addstr(sb, "null");
}

/* Text from the store for a terminal: one line, no escapes (names come from spools). */
static void txt(struct strbuf *sb, const char *s)
{
	s = s ? s : "-";
	strbuf_add_oneline(sb, s, strlen(s));
}

/* A time in ms, or null (JSON) or "-" (text) when there is none. */
static void time_or_none(struct strbuf *sb, int has, int64_t ms, int json)
{
	char when[32];

	if (!has) {
		strbuf_addstr(sb, json ? "null" : "-");
		return;
	}
	format_iso8601(ms, when);
	strbuf_addf(sb, json ? "\"%s\"" : "%s", when);
}

static void time_or_null(struct strbuf *sb, struct db_stmt *st, int col, int json)
{
	time_or_none(sb, !db_col_is_null(st, col), db_col_int(st, col), json);
}

static int generations(struct db *db, struct out *o)
{
	struct generation_latest g;

	if (generation_latest_load(db, &g) < 0)
		return -1;
	if (o->json) {
		strbuf_addf(&o->sb, "{\"generations\": {\"count\": %lld, \"current\": %lld, \"published_at\": ",
			    (long long)g.count, (long long)g.current);
		time_or_none(&o->sb, g.published, g.published_at, 1);
		strbuf_addstr(&o->sb, ", \"summary\": ");
		js(&o->sb, g.summary);
		strbuf_addstr(&o->sb, "}");
	} else {
		strbuf_addf(&o->sb, "generations: %lld, current %lld, published ",
			    (long long)g.count, (long long)g.current);
		time_or_none(&o->sb, g.published, g.published_at, 0);
		if (g.summary) {
			strbuf_addstr(&o->sb, ": ");
			txt(&o->sb, g.summary);
		}
		strbuf_addch(&o->sb, '\n');
	}
	free(g.summary);
	return 0;
}

/* A list of (name, count) as "name": count pairs or "name count" words. */
struct count_list {
	struct out *o;
	size_t n;
};

static void counts_open(struct count_list *cl, struct out *o, const char *key)
{
	cl->o = o;
	cl->n = 0;
	strbuf_addstr(&o->sb, o->json ? ", \"" : "  ");
	strbuf_addstr(&o->sb, key);
	strbuf_addstr(&o->sb, o->json ? "\": {" : ":");
}

static int counts_row(void *arg, const char *name, int64_t count)
{
	struct count_list *cl = arg;
	struct out *o = cl->o;

	if (o->json) {
		strbuf_addstr(&o->sb, cl->n ? ", " : "");
		js(&o->sb, name ? name : "");
		strbuf_addf(&o->sb, ": %lld", (long long)count);
	} else {
		strbuf_addstr(&o->sb, cl->n ? ", " : " ");
		txt(&o->sb, name);
		strbuf_addf(&o->sb, " %lld", (long long)count);
	}
	cl->n++;
	return 0;
}

static void counts_close(struct count_list *cl)
{
	strbuf_addstr(&cl->o->sb, cl->o->json ? "}" : cl->n ? "\n" : " none\n");
}

/* The rows (name, count) of sql as a count list under key. */
static int counts(struct db *db, struct out *o, const char *key, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	struct count_list cl;
	int r;

	if (!st)
		return -1;
	counts_open(&cl, o, key);
	while ((r = db_step(st)) == 1)
		counts_row(&cl, db_col_text(st, 0), db_col_int(st, 1));
	db_done(st);
	counts_close(&cl);
	return r < 0 ? -1 : 0;
}

static int sessions(struct db *db, struct out *o)
{
	int64_t n, u;

	if (db_int(db, "SELECT count(*) FROM sessions", &n) < 0 ||
	    db_int(db, "SELECT count(DISTINCT user) FROM sessions", &u) < 0)
		return -1;
	if (o->json)
		strbuf_addf(&o->sb, ",\n \"sessions\": {\"count\": %lld, \"users\": %lld",
			    (long long)n, (long long)u);
	else
		strbuf_addf(&o->sb, "sessions: %lld from %lld users\n", (long long)n, (long long)u);
	if (counts(db, o, "by_agent", "SELECT agent, count(*) FROM sessions GROUP BY agent ORDER BY agent") < 0 ||
	    counts(db, o, "by_user", "SELECT user, count(*) FROM sessions GROUP BY user ORDER BY user") < 0)
		return -1;
	if (o->json)
		strbuf_addstr(&o->sb, "}");
	return 0;
}

static int memories(struct db *db, struct out *o)
{
	struct count_list cl;
	int64_t gen;

	if (o->json) {
		if (generation_current(db, &gen) < 0)
			return -1;
		strbuf_addf(&o->sb, ",\n \"memories\": {\"generation\": %lld", (long long)gen);
	} else {
		strbuf_addstr(&o->sb, "memories in the current generation:\n");
	}
	counts_open(&cl, o, "by_status");
	if (generation_count_by_status(db, counts_row, &cl) < 0)
		return -1;
	counts_close(&cl);
	if (o->json)
		strbuf_addstr(&o->sb, "}");
	return 0;
}

/*
 * The bad inputs (lines and files, as a run counts them in "bad inputs")
 * and the files set aside for them (a run's "quarantined").
 */
static int quarantine(struct db *db, struct out *o)
{
	int64_t n, files;
	struct db_stmt *st;
	size_t k = 0;
	int r;

	if (db_int(db, "SELECT count(*) FROM quarantine", &n) < 0 ||
	    db_int(db, "SELECT count(*) FROM files WHERE status = 'quarantined'", &files) < 0)
		return -1;
	if (o->json)
		strbuf_addf(&o->sb, ",\n \"quarantined\": {\"count\": %lld, \"files\": %lld",
			    (long long)n, (long long)files);
	else
		strbuf_addf(&o->sb, "bad inputs: %lld; files quarantined: %lld%s\n", (long long)n,
			    (long long)files, n > LATEST_QUARANTINED ? "; the latest:" : "");
	if (counts(db, o, "by_kind", "SELECT kind, count(*) FROM quarantine GROUP BY kind ORDER BY kind") < 0)
		return -1;
	st = db_prepare(db, "SELECT path, line, kind, reason, at, run FROM quarantine"
			" ORDER BY at DESC, id DESC LIMIT 5");
	if (!st)
		return -1;
	if (o->json)
		strbuf_addstr(&o->sb, ", \"latest\": [");
	while ((r = db_step(st)) == 1) {
		if (o->json) {
			strbuf_addstr(&o->sb, k ? ",\n  {\"path\": " : "\n  {\"path\": ");
			js(&o->sb, db_col_text(st, 0));
			if (db_col_is_null(st, 1))
				strbuf_addstr(&o->sb, ", \"line\": null");
			else
				strbuf_addf(&o->sb, ", \"line\": %lld", (long long)db_col_int(st, 1));
			strbuf_addstr(&o->sb, ", \"kind\": ");
			js(&o->sb, db_col_text(st, 2));
			strbuf_addstr(&o->sb, ", \"reason\": ");
			js(&o->sb, db_col_text(st, 3));
			strbuf_addstr(&o->sb, ", \"at\": ");
			time_or_null(&o->sb, st, 4, 1);
			strbuf_addf(&o->sb, ", \"run\": %lld}", (long long)db_col_int(st, 5));
		} else {
			/* The reason names its file and line, as the run printed it. */
			strbuf_addstr(&o->sb, "  ");
			time_or_null(&o->sb, st, 4, 0);
			strbuf_addch(&o->sb, ' ');
			txt(&o->sb, db_col_text(st, 2));
			strbuf_addstr(&o->sb, ": ");
			txt(&o->sb, db_col_text(st, 3));
			strbuf_addch(&o->sb, '\n');
		}
		k++;
	}
	db_done(st);
	if (o->json)
		strbuf_addstr(&o->sb, "]}");
	return r < 0 ? -1 : 0;
}

static int last_run(struct db *db, struct out *o)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, kind, actor, started_at, finished_at,"
					" gen, status, summary FROM runs ORDER BY id DESC LIMIT 1");
	int r;

	if (!st)
		return -1;
	r = db_step(st);
	if (r == 1 && o->json) {
		strbuf_addf(&o->sb, ",\n \"last_run\": {\"id\": %lld, \"kind\": ", (long long)db_col_int(st, 0));
		js(&o->sb, db_col_text(st, 1));
		strbuf_addstr(&o->sb, ", \"actor\": ");
		js(&o->sb, db_col_text(st, 2));
		strbuf_addstr(&o->sb, ", \"started_at\": ");
		time_or_null(&o->sb, st, 3, 1);
		strbuf_addstr(&o->sb, ", \"finished_at\": ");
		time_or_null(&o->sb, st, 4, 1);
		if (db_col_is_null(st, 5))
			strbuf_addstr(&o->sb, ", \"gen\": null");
		else
			strbuf_addf(&o->sb, ", \"gen\": %lld", (long long)db_col_int(st, 5));
		if (db_col_is_null(st, 6))
			strbuf_addstr(&o->sb, ", \"status\": null");
		else
			strbuf_addf(&o->sb, ", \"status\": %lld", (long long)db_col_int(st, 6));
		strbuf_addstr(&o->sb, ", \"summary\": ");
		js(&o->sb, db_col_text(st, 7));
		strbuf_addstr(&o->sb, "}");
	} else if (r == 1) {
		strbuf_addf(&o->sb, "last run: #%lld %s by ", (long long)db_col_int(st, 0),
			    db_col_text(st, 1));
		txt(&o->sb, db_col_text(st, 2));
		strbuf_addstr(&o->sb, ", started ");
		time_or_null(&o->sb, st, 3, 0);
		if (db_col_is_null(st, 4)) {
			strbuf_addstr(&o->sb, ", not finished (it died, or is running)\n");
		} else {
			strbuf_addstr(&o->sb, ", finished ");
			time_or_null(&o->sb, st, 4, 0);
			strbuf_addf(&o->sb, ", exit %lld", (long long)db_col_int(st, 6));
			if (!db_col_is_null(st, 5))
				strbuf_addf(&o->sb, ", published generation %lld", (long long)db_col_int(st, 5));
			strbuf_addstr(&o->sb, "\n  ");
			txt(&o->sb, db_col_text(st, 7) ? db_col_text(st, 7) : "");
			strbuf_addch(&o->sb, '\n');
		}
	} else if (r == 0) {
		strbuf_addstr(&o->sb, o->json ? ",\n \"last_run\": null" : "last run: none\n");
	}
	db_done(st);
	return r < 0 ? -1 : 0;
}

static int cmd_status_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "text";
	struct out o;
	struct db *db;
	int c, ret = EX_IOERR;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		default: return cmd_usage_error(&cmd_status_entry, "bad option");
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cmd_usage_error(&cmd_status_entry, "unknown format '%s'", format);
	if (optind < argc)
		return cmd_usage_error(&cmd_status_entry, "unexpected argument '%s'", argv[optind]);
	o.json = !strcmp(format, "json");
	strbuf_init(&o.sb, STATUS_MAX);
	db = cmd_store(ctx);
	if (generations(db, &o) >= 0 && memories(db, &o) >= 0 && sessions(db, &o) >= 0 &&
	    quarantine(db, &o) >= 0 && last_run(db, &o) >= 0) {
		if (o.json)
			strbuf_addstr(&o.sb, "}\n");
		fwrite(o.sb.buf, 1, o.sb.len, stdout);
		ret = 0;
	}
	strbuf_release(&o.sb);
	return ret;
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.summary = "generations, sessions, quarantined inputs, last run",
	.usage =
	"usage: dreamd status [--format text|json]\n"
	"\n"
	"Shows the store at a glance: how many generations and the current one,\n"
	"the current memories by status, sessions by agent and user, the\n"
	"quarantined inputs with the latest few and why, and the last run.\n",
	.flags = CMD_STORE_READ,
	.exec = cmd_status_exec,
};
