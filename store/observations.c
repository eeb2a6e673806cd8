/*
 * observations.c: the observations table; see observations.h. The only
 * SQL that writes it but merge's copy.
 */
#include "store/observations.h"

#include "store/db.h"

int observations_delete(struct db *db, const char *session_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM observations WHERE session_id = :s");

	if (!st || db_bind_text(st, ":s", session_id) || db_run(st) < 0)
		return -1;
	return 0;
}

int observation_insert(struct db *db, const char *session_id, const struct observation *o)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT OR IGNORE INTO observations (session_id, extractor, kind, key, slot, subject,"
		" detail, fix, fixed, value, excerpt, seq, ts, user, agent, project,"
		" user_authored, behaviour, count, succeeded) VALUES (:session, :extractor,"
		" :kind, :key, :slot, :subject, :detail, :fix, :fixed, :value, :excerpt,"
		" :seq, :ts, :user, :agent, :project, :ua, :beh, :count, :ok)");

	if (!st || db_bind_text(st, ":session", session_id) ||
	    db_bind_text(st, ":extractor", o->extractor) ||
	    db_bind_text(st, ":kind", o->kind) || db_bind_text(st, ":key", o->key) ||
	    db_bind_text(st, ":slot", o->slot) ||
	    db_bind_text(st, ":subject", o->subject) ||
	    db_bind_text(st, ":detail", o->detail) || db_bind_text(st, ":fix", o->fix) ||
	    db_bind_int(st, ":fixed", o->fixed) || db_bind_text(st, ":value", o->value) ||
	    db_bind_text(st, ":excerpt", o->excerpt) || db_bind_int(st, ":seq", o->seq) ||
	    db_bind_int(st, ":ts", o->ts) || db_bind_text(st, ":user", o->user) ||
	    db_bind_text(st, ":agent", o->agent) ||
	    db_bind_text(st, ":project", o->project) ||
	    db_bind_int(st, ":ua", o->user_authored) ||
	    db_bind_int(st, ":beh", o->behaviour) ||
	    db_bind_int(st, ":count", o->count ? o->count : 1) ||
	    db_bind_int(st, ":ok", o->succeeded) || db_run(st) < 0)
		return -1;
	return 0;
}

int observations_each(struct db *db, observation_fn fn, void *arg)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT o.extractor, o.kind, o.key, o.slot, o.subject, o.detail, o.fix,"
		" o.fixed, o.value, o.excerpt, o.session_id, o.seq, o.ts, o.user, o.agent,"
		" o.project, o.user_authored, o.behaviour, o.count, o.succeeded"
		" FROM observations o"
		/* The primary key's order: no sorting. */
		" ORDER BY o.extractor, o.key, o.session_id, o.seq");
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == 1) {
		struct observation o = {
			.extractor = db_col_text(st, 0), .kind = db_col_text(st, 1),
			.key = db_col_text(st, 2), .slot = db_col_text(st, 3),
			.subject = db_col_text(st, 4), .detail = db_col_text(st, 5),
			.fix = db_col_text(st, 6), .fixed = (int)db_col_int(st, 7),
			.value = db_col_text(st, 8), .excerpt = db_col_text(st, 9),
			.session = db_col_text(st, 10), .seq = (uint32_t)db_col_int(st, 11),
			.ts = db_col_int(st, 12), .user = db_col_text(st, 13),
			.agent = db_col_text(st, 14), .project = db_col_text(st, 15),
			.user_authored = db_col_int(st, 16) != 0,
			.behaviour = db_col_int(st, 17) != 0,
			.count = (unsigned)db_col_int(st, 18),
			.succeeded = db_col_int(st, 19) != 0,
		};

		fn(arg, &o);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}
