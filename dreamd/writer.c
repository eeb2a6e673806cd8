/*
 * writer.c: a writing command's frame: the lock, the store, a run record
 * and one write transaction, staged and checkpointed as it goes.
 */
#include "dreamd/writer.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/cmd.h"
#include "dreamd/store-open.h"
#include "dreamd/util.h"
#include "store/db.h"
#include "store/runs.h"

int writer_start(struct writer *w, const struct cmd_ctx *ctx, const char *kind,
		 const char *person, int dry_run)
{
	int r;

	memset(w, 0, sizeof(*w));
	r = db_lock(ctx->db_path, &w->lockfd);
	if (r > 0)
		error("another run holds the lock on '%s'", ctx->db_path);
	if (r)
		return r > 0 ? EX_TEMPFAIL : EX_IOERR;
	fault_pause("locked");
	if (store_open(ctx->db_path, &w->db) < 0) {
		writer_abort(w);
		return EX_IOERR;
	}
	/*
	 * A real run's record commits on its own, so a run that dies leaves a
	 * trace; a dry run's lives and dies with its transaction.
	 */
	if (dry_run)
		r = db_begin(w->db) || run_insert(w->db, kind, person ? person : "dreamd", &w->run);
	else
		r = run_start(w->db, kind, person ? person : "dreamd", &w->run) ||
			db_begin(w->db);
	if (r) {
		writer_abort(w);
		return EX_IOERR;
	}
	w->actor = person ? xstrdup(person) :
		xasprintf("%s:%lld", kind, (long long)w->run);
	return 0;
}

static void *checkpoint_main(void *arg)
{
	struct db *db;

	if (db_open(&db, arg, 0) == 0) {
		db_checkpoint(db);
		db_close(db);
	}
	free(arg);
	return NULL;
}

int writer_stage(struct writer *w, int background)
{
	char *path;

	/* The commit would copy the WAL itself: leave that to the thread. */
	if (background && !w->checkpointing &&
	    db_exec(w->db, "PRAGMA wal_autocheckpoint=0") < 0)
		return -1;
	if (db_commit(w->db) < 0 || db_begin(w->db) < 0)
		return -1;
	if (!background || w->checkpointing)
		return 0;
	path = xstrdup(db_path(w->db));
	if (pthread_create(&w->checkpointer, NULL, checkpoint_main, path)) {
		free(path);	/* the commit that closes the store checkpoints anyway */
		return 0;
	}
	w->checkpointing = 1;
	return 0;
}

static void writer_close(struct writer *w)
{
	if (w->checkpointing)
		pthread_join(w->checkpointer, NULL);
	db_close(w->db);
	db_unlock(w->lockfd);
	free(w->actor);
	memset(w, 0, sizeof(*w));
	w->lockfd = -1;
}

int writer_finish(struct writer *w, int64_t gen, int status, const char *summary,
		  const char *timing, const char *curated)
{
	fault_pause("publish");
	if (run_finish(w->db, w->run, gen, status, summary, timing, curated) < 0 ||
	    db_commit(w->db) < 0) {
		writer_abort(w);
		return EX_IOERR;
	}
	writer_close(w);
	info("%s%s", summary, timing ? timing : "");
	return status;
}

void writer_abort(struct writer *w)
{
	if (w->db)
		db_rollback(w->db);
	writer_close(w);
}
