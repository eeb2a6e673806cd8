/*
 * cmd-rollback.c: dreamd rollback, publish an earlier generation again.
 *
 * Every memory gets the record it had in generation GEN (a new version,
 * "restored"), memories GEN did not have are retired, and the result is
 * published as a new generation. Later runs curate from the evidence again;
 * to keep a memory out for good, reject it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "dreamd/cmd.h"
#include "dreamd/curate.h"
#include "dreamd/options.h"
#include "dreamd/runs.h"
#include "dreamd/util.h"
#include "dreamd/writer.h"
#include "store/db.h"

static const char usage[] =
	"usage: dreamd rollback GEN\n"
	"\n"
	"Publishes the memory set of generation GEN again, as a new generation.\n"
	"Memories GEN did not hold are retired; reviewers' rejections and pins\n"
	"stand. It stays published until a run has new sessions to curate;\n"
	"reject a memory to keep it out for good.\n"
	"\n"
	"Exit: 0 done, 64 usage, 66 no such generation, 75 a run holds the lock.\n";

extern const struct cmd_entry cmd_rollback_entry;

/* The record without its "version", to compare two records' content. */
static char *without_version(const char *snap)
{
	cJSON *j = cJSON_Parse(snap);
	char *out, *ret;

	if (!j)
		return xstrdup(snap);
	cJSON_DeleteItemFromObjectCaseSensitive(j, "version");
	out = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	ret = xstrdup(out);
	cJSON_free(out);
	return ret;
}

static const char *json_str(cJSON *j, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Gives memory id the content of target as a new version. */
static int restore(struct db *db, const char *id, const char *current, int64_t version,
		   const char *target, const char *change, int64_t gen,
		   const char *actor, const char *reason, int *changed)
{
	char *a = without_version(current), *b = without_version(target), *rec;
	struct db_stmt *st;
	cJSON *j;
	int ret = -1;

	if (!strcmp(a, b)) {
		free(a);
		free(b);
		return 0;
	}
	free(a);
	free(b);
	rec = snapshot_rewrite(target, NULL, NULL, NULL, NULL, version + 1);
	j = cJSON_Parse(rec);
	st = db_prepare(db, "INSERT INTO memory_versions (memory_id, version, gen, change,"
			" actor, reason, snapshot) VALUES (:id, :v, :gen, :change, :actor,"
			" :reason, :snap)");
	if (!st || db_bind_text(st, ":id", id) || db_bind_int(st, ":v", version + 1) ||
	    db_bind_int(st, ":gen", gen) || db_bind_text(st, ":change", change) ||
	    db_bind_text(st, ":actor", actor) || db_bind_text(st, ":reason", reason) ||
	    db_bind_text(st, ":snap", rec) || db_run(st) < 0)
		goto cleanup;
	st = db_prepare(db, "UPDATE memories SET status = :status, scope = :scope,"
			" version = :v, snapshot = :snap WHERE id = :id");
	if (!st || db_bind_text(st, ":status", json_str(j, "status")) ||
	    db_bind_text(st, ":scope", json_str(j, "scope")) ||
	    db_bind_int(st, ":v", version + 1) || db_bind_text(st, ":snap", rec) ||
	    db_bind_text(st, ":id", id) || db_run(st) < 0)
		goto cleanup;
	(*changed)++;
	ret = 0;
cleanup:
	cJSON_Delete(j);
	free(rec);
	return ret;
}

/* A memory as it is now, and as generation GEN had it (NULL: it had none). */
struct member {
	char *id, *cur, *target;
	int64_t version;
};

/*
 * Gives one memory the record it had in the target generation: retired if
 * it had none. Reviewers' standing decisions outlive a rollback: a rejected
 * memory stays out, a pinned one stays as it is.
 */
static int roll_back(struct db *db, const struct member *m, int64_t gen,
		     const char *actor, const char *reason, int *changed)
{
	const char *change = m->target ? "restored" : "retired";
	char *want;
	int rejected, pinned, ret;

	if (curate_review_standing(db, m->id, &rejected, &pinned) < 0)
		return -1;
	if (pinned)
		return 0;
	if (rejected)
		want = snapshot_rewrite(m->target ? m->target : m->cur, "rejected",
					"rejected by reviewer", NULL, NULL, m->version);
	else if (m->target)
		want = xstrdup(m->target);
	else
		want = snapshot_rewrite(m->cur, "retired", reason, NULL, NULL, m->version);
	ret = restore(db, m->id, m->cur, m->version, want, rejected ? "restored" : change,
		      gen, actor, reason, changed);
	free(want);
	return ret;
}

static int cmd_rollback_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct writer w;
	struct db_stmt *st;
	struct member *members = NULL;
	size_t n = 0, alloc = 0, i;
	char reason[64], summary[256], gen_line[32];
	long long target;
	int64_t gen;
	int r, changed = 0, rc, bad;

	if (getopt_long(argc, argv, "", (struct option[]){ { NULL, 0, NULL, 0 } }, NULL) != -1)
		return cmd_usage_error(&cmd_rollback_entry, "unknown option");
	if (argc - optind != 1)
		return cmd_usage_error(&cmd_rollback_entry, "rollback takes a generation");
	r = parse_whole(argv[optind], INT64_MAX, &gen);
	if (r == -2)
		return cmd_usage_error(&cmd_rollback_entry, "generation out of range '%s'",
				       argv[optind]);
	if (r < 0)
		return cmd_usage_error(&cmd_rollback_entry, "not a generation '%s'", argv[optind]);
	target = gen;
	r = writer_start(&w, ctx, "rollback", opt_reviewer(NULL), 0);
	if (r)
		return r;
	st = db_prepare(w.db, "SELECT count(*) FROM generations WHERE gen = :g");
	if (!st || db_bind_int(st, ":g", target) || db_step(st) != 1)
		goto fail;
	rc = target == 0 || db_col_int(st, 0) > 0;
	db_done(st);
	if (!rc) {
		writer_abort(&w);
		error("no generation '%lld'", target);
		return EX_NOINPUT;
	}
	gen = db_int(w.db, "SELECT coalesce(max(gen), 0) + 1 FROM generations", 1);
	snprintf(reason, sizeof(reason), "rollback to generation %lld", target);
	st = db_prepare(w.db,
		"SELECT m.id, m.snapshot, m.version, v.snapshot FROM memories m"
		" LEFT JOIN generation_members g ON g.memory_id = m.id AND g.gen = :g"
		" LEFT JOIN memory_versions v ON v.memory_id = m.id AND v.version = g.version"
		" ORDER BY m.id");
	if (!st || db_bind_int(st, ":g", target))
		goto fail;
	/* Collect first: restore() writes to the table this reads. */
	while ((rc = db_step(st)) == 1) {
		struct member *m;

		ALLOC_GROW(members, n + 1, alloc);
		m = &members[n++];
		m->id = xstrdup(db_col_text(st, 0));
		m->cur = xstrdup(db_col_text(st, 1));
		m->version = db_col_int(st, 2);
		m->target = db_col_text(st, 3) ? xstrdup(db_col_text(st, 3)) : NULL;
	}
	db_done(st);
	bad = rc < 0;
	for (i = 0; i < n && !bad; i++)
		bad = roll_back(w.db, &members[i], gen, w.actor, reason, &changed) < 0;
	for (i = 0; i < n; i++) {
		free(members[i].id);
		free(members[i].cur);
		free(members[i].target);
	}
	free(members);
	if (bad)
		goto fail;
	snprintf(summary, sizeof(summary), "rollback to generation %lld: %d memories changed",
		 target, changed);
	if (changed && publish_generation(w.db, gen, w.run, summary) < 0)
		goto fail;
	if (!changed)
		gen = 0;
	snprintf(summary + strlen(summary), sizeof(summary) - strlen(summary), "; %s",
		 run_generation_phrase(gen, gen_line));
	return writer_finish(&w, gen, 0, summary, NULL, NULL);
fail:
	writer_abort(&w);
	return EX_IOERR;
}

const struct cmd_entry cmd_rollback_entry = {
	.name = "rollback",
	.summary = "publish an earlier generation again",
	.usage = usage,
	.exec = cmd_rollback_exec,
};
