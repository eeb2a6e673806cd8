/*
 * writer.h: a writing command's frame.
 */
#ifndef DREAMD_WRITER_H
#define DREAMD_WRITER_H

#include <pthread.h>
#include <stdint.h>

/*
 * The page cache (MiB) while a writer stores sessions and observations,
 * back to DB_CACHE_MIB (and freed) before curating. On the bench corpus
 * writes were 2.7 times the store's size with 32 MiB, 3.1 times with 20,
 * for the same time; 32 MiB put the peak RSS of --jobs 2 over 64 MB, 24
 * left it at 62 MB on a three times larger corpus.
 */
#define FILL_CACHE_MIB 20

/*
 * A writing command's frame: the lock, the store, a run record (none for a
 * dry run, which must write nothing) and one write transaction. Commands
 * get theirs from cmd_writer() (cmd.h, CMD_STORE_WRITE), which calls
 * writer_start(); that returns 0, or the exit status to return (75 when
 * another writer holds the lock, 74 on store failure). writer_stage()
 * commits what is done so far and opens the next transaction.
 * writer_finish() records the run, commits and prints the summary line and
 * its timing (unless quiet; see run_finish()); writer_abort() rolls back
 * (main() calls it after a command that did not finish). Both close
 * everything, and writer_abort() of a closed frame does nothing.
 */
struct cmd_ctx;
struct writer {
	int lockfd;
	struct db *db;
	int64_t run;
	char *actor;		/* "run:N" for jobs, the person for reviews */
	pthread_t checkpointer;
	int checkpointing;	/* checkpointer runs */
};

int writer_start(struct writer *w, const struct cmd_ctx *ctx, const char *kind,
		 const char *person, int dry_run);
int writer_finish(struct writer *w, int64_t gen, int status, const char *summary,
		  const char *timing, const char *curated);
void writer_abort(struct writer *w);
/*
 * Commits and begins again; with background, a thread copies what was
 * committed from the WAL into the store meanwhile (on its own connection,
 * so it overlaps what the writer does next). -1 reported.
 */
int writer_stage(struct writer *w, int background);

#endif
