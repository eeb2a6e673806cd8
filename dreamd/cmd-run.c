/*
 * cmd-run.c: dreamd run, the nightly job.
 *
 *   lock -> scan the spools -> skip what the ledger has seen -> ingest and
 *   extract (in --jobs workers) -> one writer stores sessions, observations
 *   and the ledger -> curate -> publish a generation -> one summary line
 *
 * Workers decode, parse, redact, extract and compress a session each; the
 * main thread is the only writer and takes their results in spool order
 * (ledger.c), so the store, and so the generation, is the same whatever
 * --jobs says.
 * A run commits twice: the sessions it ingested, then the generation it
 * curated with its run record. After a crash at any point the published
 * generation is the one before; the next run ingests what is left and,
 * finding sessions newer than the last curation, curates again.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dreamd/budget.h"
#include "dreamd/cmd.h"
#include "dreamd/curate.h"
#include "dreamd/extract.h"
#include "dreamd/ingest.h"
#include "dreamd/ledger.h"
#include "dreamd/obs-store.h"
#include "dreamd/options.h"
#include "dreamd/pool.h"
#include "dreamd/redact.h"
#include "dreamd/store-open.h"
#include "dreamd/util.h"
#include "dreamd/writer.h"
#include "store/db.h"
#include "store/runs.h"

static const char usage[] =
	"usage: dreamd run [--spool DIR]... [--jobs N] [--now] [--retry-quarantined]\n"
	"                  [--shard K/N]\n"
	"\n"
	"The nightly job: ingest new and grown transcripts from the spools, find\n"
	"recurring mistakes, workflows and preferences, and publish the memories\n"
	"as a new generation when anything changed.\n"
	"\n"
	"  --spool DIR   a spool root, SPOOL/<user>/.../<session>.jsonl[.zst];\n"
	"                repeatable; default: run.spools from the config\n"
	"  --jobs N      worker threads (default: run.jobs, else the number of cores)\n"
	"  --now         take files modified within ingest.idle_minutes too (a first\n"
	"                try on freshly copied transcripts)\n"
	"  --retry-quarantined\n"
	"                read quarantined files again (after raising a limit);\n"
	"                files that could not be read at all are retried anyway\n"
	"  --shard K/N   a worker of N (K is 0 to N-1): ingest and extract only the\n"
	"                sessions whose user and name hash to K, into a partial\n"
	"                store (--db), and curate nothing; `dreamd merge` unites\n"
	"                the N partials and publishes the generation\n"
	"\n"
	"Files modified within ingest.idle_minutes (default 15) are left for the\n"
	"next run, and the summary counts them. A second run while one holds\n"
	"the lock exits 75 at once.\n"
	"Exit: 0 done, 65 some inputs were quarantined (all others processed),\n"
	"66 a spool is missing, 74 store failure, 75 locked, 78 bad configuration.\n";

static void do_job(struct job *j, const struct ingest_opts *opts,
		   struct extractor_set *set)
{
	size_t i;

	ingest_unit(j->unit, opts, &j->s);
	if (j->s.unusable) {
		session_drop_budget(&j->s);
		return;
	}
	if (extract_session(set, &j->s, &j->obs, &j->cause) < 0) {
		if (!j->cause)
			j->cause = xstrdup("extractor failed");
		session_drop_budget(&j->s);
		return;
	}
	if (digest_encode(&j->s, &j->digest) < 0) {
		/* Bad input, not a bug: quarantine it and go on. */
		session_add_bad(&j->s, j->unit->files[0].path, 0, "too-large",
				"session too large to store");
		j->s.unusable = 1;
	}
	/* The digest holds the events now; free them early to keep RSS low. */
	for (i = 0; i < j->s.nevents; i++) {
		free(j->s.events[i].text);
		j->s.events[i].text = NULL;
	}
	session_drop_budget(&j->s);
}

static void job_release(struct job *j)
{
	session_release(&j->s);
	obs_list_release(&j->obs);
	digest_release(&j->digest);
	free(j->cause);
	j->cause = NULL;
}

/* What the pool's callbacks share: the jobs and the writer's side. */
struct batch {
	struct job *jobs;
	size_t n;
	const struct ingest_opts *opts;
	const struct config *cfg;
	struct run_totals *t;
	struct ledger ledger;	/* the writer's side */
	int *bad;
	struct progress prog;
	size_t taken;
};

/* Progress --------------------------------------------------------------------- */

static void progress(struct progress *p, const struct run_totals *t, size_t done, size_t total,
		     int final)
{
	if (!progress_due(p, final))
		return;
	progress_show(final, "%zu/%zu units, %.1f MB, %d sessions, %.0f sessions/s",
		      done, total, (double)t->bytes / 1e6, t->sessions,
		      p->last > 0 ? (double)t->sessions / p->last : 0.0);
}

/* The run ---------------------------------------------------------------------- */


static void *batch_start(void *data)
{
	const struct batch *b = data;

	return extractor_set_new(b->cfg);
}

static void batch_stop(void *set)
{
	extractor_set_free(set);
}

static void batch_work(void *data, void *set, size_t i)
{
	struct batch *b = data;

	do_job(&b->jobs[i], b->opts, set);
}

static int batch_take(void *data, size_t i)
{
	struct batch *b = data;
	int r = ledger_write(&b->ledger, &b->jobs[i]);

	job_release(&b->jobs[i]);
	if (r < 0)
		return -1;
	*b->bad |= r;
	b->taken = i + 1;
	progress(&b->prog, b->t, b->taken, b->n, 0);
	return 0;
}

static void batch_drop(void *data, size_t i)
{
	struct batch *b = data;

	job_release(&b->jobs[i]);
}

static const struct pool_ops batch_ops = {
	batch_start, batch_stop, batch_work, batch_take, batch_drop
};

static int ingest_all(struct db *db, const struct config *cfg, struct spool_unit *units,
		      size_t nunits, int jobs, int retry, int64_t run, struct run_totals *t, int *bad)
{
	struct redactor *red = NULL;
	struct ingest_opts opts;
	struct batch b = { 0 };
	size_t i;
	int ret = -1;

	progress_start(&b.prog);
	if (ingest_setup(cfg, &opts, &red) < 0)
		return -1;
	b.jobs = xcalloc(nunits + 1, sizeof(*b.jobs));
	for (i = 0; i < nunits; i++) {
		int r = ledger_unchanged(db, &units[i], retry);

		if (r < 0) {
			while (b.n)
				job_release(&b.jobs[--b.n]);
			goto cleanup;
		}
		if (r) {
			t->unchanged++;
			continue;
		}
		b.jobs[b.n].unit = &units[i];
		session_init(&b.jobs[b.n].s);
		b.n++;
	}
	b.opts = &opts;
	b.cfg = cfg;
	b.t = t;
	b.ledger.db = db;
	b.ledger.run = run;
	b.ledger.cfg = cfg;
	b.ledger.t = t;
	b.bad = bad;
	/*
	 * How far workers may run ahead of the writer. A finished job holds
	 * only its digest and observations, so a wide window costs little
	 * memory and keeps workers busy while the writer stores a big one.
	 */
	ret = pool_run(&batch_ops, &b, b.n, jobs, (size_t)jobs * 16);
	if (b.n)
		progress(&b.prog, t, b.taken, b.n, 1);
	ledger_release(&b.ledger);
cleanup:
	free(b.jobs);
	t->redact_failed = redactor_failed(red);
	redactor_free(red);
	return ret;
}

/* Returns 0, or the exit status. */
static int scan_spools(const struct cmd_ctx *ctx, char **spools, size_t nspools,
		       int now_too, struct spool_unit **units, size_t *nunits,
		       size_t *nfresh, size_t *nskipped)
{
	struct spool_opts so = { 0 };
	struct timespec now;
	size_t i;

	clock_gettime(CLOCK_REALTIME, &now);
	so.now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	so.idle_ns = now_too ? 0 : (int64_t)ctx->cfg->idle_minutes * 60 * 1000000000;
	so.user = ctx->cfg->user;
	so.nfresh = nfresh;
	so.nskipped = nskipped;
	*units = NULL;
	*nunits = 0;
	for (i = 0; i < nspools; i++) {
		struct spool_unit *u;
		struct stat sb;
		size_t n;

		if (stat(spools[i], &sb) < 0 || !S_ISDIR(sb.st_mode)) {
			error("spool missing '%s'", spools[i]);
			return EX_NOINPUT;
		}
		if (spool_scan(spools[i], &so, &u, &n) < 0)
			return EX_IOERR;
		*units = xrealloc(*units, (*nunits + n + 1) * sizeof(**units));
		if (n)	/* u is NULL for an empty spool */
			memcpy(*units + *nunits, u, n * sizeof(*u));
		*nunits += n;
		free(u);
	}
	return 0;
}

/* "K/N" with 0 <= K < N <= 65536; -1 otherwise. */
static int parse_shard(const char *arg, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a, b;

	errno = 0;
	a = strtoul(arg, &end, 10);
	if (end == arg || *end != '/' || !isdigit((unsigned char)*arg))
		return -1;
	arg = end + 1;
	b = strtoul(arg, &end, 10);
	if (end == arg || *end || !isdigit((unsigned char)*arg) || errno || !b || b > 65536 ||
	    a >= b)
		return -1;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

/* What run's command line asks for. */
struct run_args {
	char **spools;		/* the caller frees the array, not the names */
	size_t nspools;
	int jobs, retry, now_too;
	unsigned shard, nshards;
};

/* Reads run's options; 0, or the exit status of a usage error (printed). */
static int run_options(const struct cmd_ctx *ctx, int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		{ "spool", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "retry-quarantined", no_argument, NULL, 'r' },
		{ "now", no_argument, NULL, 'n' },
		{ "shard", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	extern const struct cmd_entry cmd_run_entry;
	int c;

	a->jobs = ctx->cfg->jobs;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			a->spools = xrealloc(a->spools, (a->nspools + 1) * sizeof(*a->spools));
			a->spools[a->nspools++] = optarg;
			break;
		case 'r':
			a->retry = 1;
			break;
		case 'n':
			a->now_too = 1;
			break;
		case 'S':
			if (parse_shard(optarg, &a->shard, &a->nshards) < 0)
				return cmd_usage_error(&cmd_run_entry, "--shard takes K/N, 0 <= K < N"
						       " <= 65536, not '%s'", optarg);
			break;
		case 'j':
			a->jobs = opt_jobs(optarg);
			if (!a->jobs)
				return cmd_usage_error(&cmd_run_entry, "--jobs takes 1 to 256");
			break;
		default:
			return cmd_usage_error(&cmd_run_entry, "unknown option");
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_run_entry, "unexpected argument '%s'", argv[optind]);
	if (!a->nspools && ctx->cfg->nspools) {
		a->spools = xcalloc(ctx->cfg->nspools, sizeof(*a->spools));
		for (a->nspools = 0; a->nspools < ctx->cfg->nspools; a->nspools++)
			a->spools[a->nspools] = ctx->cfg->spools[a->nspools];
	}
	if (!a->nspools)
		return cmd_usage_error(&cmd_run_entry, "no spool: give --spool DIR or run.spools");
	a->jobs = opt_jobs_or_cores(a->jobs);
	return 0;
}

/* What a run found in the spools besides the sessions it stored. */
struct run_scan {
	size_t nfresh;		/* files left for the next run */
	size_t nskipped;	/* files that hold no transcript */
};

/*
 * The run's summary line into summary[1024]: what it stored, and what it
 * curated (cs; NULL when it did not).
 */
static void run_summary(char summary[1024], const struct run_args *a, int64_t run,
			const struct run_totals *t, const struct run_scan *sc,
			const struct curate_stats *cs, int idle_minutes, int64_t gen)
{
	char stats_line[256], fresh_line[384] = "", clash_line[64] = "", merged_line[32] = "";
	char gen_line[32];

	if (cs)
		curate_stats_format(cs, stats_line, sizeof(stats_line));
	else if (a->nshards)
		snprintf(stats_line, sizeof(stats_line), "shard %u/%u, not curated (dreamd merge"
			 " publishes)", a->shard, a->nshards);
	else
		snprintf(stats_line, sizeof(stats_line), "nothing new to curate");
	if (sc->nfresh)
		snprintf(fresh_line, sizeof(fresh_line), "; %zu file%s modified in the last %d"
			 " minutes left for the next run (ingest.idle_minutes; --now takes them)",
			 sc->nfresh, sc->nfresh == 1 ? "" : "s", idle_minutes);
	if (t->merged)
		snprintf(merged_line, sizeof(merged_line), ", %d merged", t->merged);
	if (t->clashes)
		snprintf(clash_line, sizeof(clash_line), " (%d with another user's session id)",
			 t->clashes);
	if (t->redact_failed)
		snprintf(fresh_line + strlen(fresh_line), sizeof(fresh_line) - strlen(fresh_line),
			 "; %lu text%s kept as [REDACTED:limit] (a redaction limit)",
			 t->redact_failed, t->redact_failed == 1 ? "" : "s");
	if (sc->nskipped)
		snprintf(fresh_line + strlen(fresh_line), sizeof(fresh_line) - strlen(fresh_line),
			 "; %zu file%s that %s no transcript passed over (-v names them)",
			 sc->nskipped, sc->nskipped == 1 ? "" : "s", sc->nskipped == 1 ? "is" : "are");
	snprintf(summary, 1024,
		 "run %lld: %d sessions ingested (%d unchanged, %d duplicate%s), %d quarantined%s,"
		 " %d bad inputs%s; memories: %s; %s", (long long)run, t->sessions,
		 t->unchanged, t->duplicates, merged_line, t->quarantined, clash_line, t->bad_lines,
		 fresh_line, stats_line, run_generation_phrase(gen, gen_line));
}

static int cmd_run_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run_args a = { 0 };
	struct run_scan sc = { 0 };
	char summary[1024], fp[17], timing[32];
	size_t nunits = 0;
	struct spool_unit *units = NULL;
	struct curate_stats cs;
	struct run_totals t = { 0 };
	struct progress timer;
	struct writer *w;
	int64_t gen = 0;
	int bad = 0, r, curated;

	progress_start(&timer);
	r = run_options(ctx, argc, argv, &a);
	if (r)
		goto done;
	budget_set(budget_tokens(ctx->cfg->memory_budget, ctx->cfg->max_line,
				 ctx->cfg->max_session_bytes));
	/*
	 * Big buffers straight from mmap and back at free: glibc's moving
	 * threshold would keep a big line's memory in each worker's arena.
	 */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);

	r = scan_spools(ctx, a.spools, a.nspools, a.now_too, &units, &nunits, &sc.nfresh,
			&sc.nskipped);
	if (r)
		goto done;
	if (a.nshards)
		nunits = spool_units_shard(units, nunits, a.shard, a.nshards);
	w = cmd_writer(ctx, "run", NULL, 0);
	r = EX_IOERR;
	if (db_cache_mib(w->db, FILL_CACHE_MIB) < 0 ||
	    ingest_all(w->db, ctx->cfg, units, nunits, a.jobs, a.retry, w->run, &t, &bad) < 0 ||
	    db_cache_mib(w->db, DB_CACHE_MIB) < 0)
		goto done;
	/* The workers' malloc arenas and the fill cache go back before curating. */
	malloc_trim(0);
	/*
	 * The night's sessions commit on their own, and with cores to spare
	 * their pages go from the WAL into the store while curation runs.
	 */
	if (writer_stage(w, a.jobs > 1 && t.sessions > 0) < 0)
		goto done;
	if (verbosity >= 2)
		info("ingested and extracted in %.2fs", progress_elapsed(&timer));
	/* Nothing new and the same rules: curating again would change nothing. */
	config_fingerprint(ctx->cfg, fp);
	if (a.nshards && run_record_shard(w->db, w->run, a.shard, a.nshards, fp) < 0)
		goto done;
	curated = !a.nshards && !run_curation_is_current(w->db, fp);
	if (curated && curate_publish(w->db, ctx->cfg, w->run, w->actor, "nightly run", NULL,
				      &cs, &gen) < 0)
		goto done;
	if (curated && verbosity >= 2)
		info("curated at %.2fs", progress_elapsed(&timer));
	run_summary(summary, &a, w->run, &t, &sc, curated ? &cs : NULL, ctx->cfg->idle_minutes,
		    gen);
	snprintf(timing, sizeof(timing), "; %.1fs", progress_elapsed(&timer));
	r = writer_finish(w, gen, bad ? EX_DATAERR : 0, summary, timing, curated ? fp : NULL);
done:
	spool_units_free(units, nunits);
	free(a.spools);
	return r;
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.summary = "the nightly job: ingest, extract, curate, publish",
	.usage = usage,
	.flags = CMD_STORE_WRITE,
	.exec = cmd_run_exec,
};
