/*
 * cmd-reconsolidate.c: dreamd reconsolidate, rebuild with today's rules.
 *
 * Every stored session digest is decoded and fed to today's extractors with
 * today's config, by --jobs workers (pool.h) that read the digests on their
 * own connections; the writer replaces the observations in session order,
 * so the result is the same for any --jobs. The memory set is curated
 * from scratch (reviewer decisions and the publication history stay) and
 * published when it differs. --dry-run does all of it in a transaction,
 * prints what would change, and rolls back.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/cmd.h"
#include "dreamd/curate.h"
#include "dreamd/extract.h"
#include "dreamd/ingest.h"
#include "dreamd/obs-store.h"
#include "dreamd/options.h"
#include "dreamd/pool.h"
#include "dreamd/util.h"
#include "dreamd/writer.h"
#include "store/db.h"
#include "store/history.h"
#include "store/sessions.h"
#include "store/runs.h"

static const char usage[] =
	"usage: dreamd reconsolidate [--since DATE] [--jobs N] [--dry-run]\n"
	"\n"
	"Rebuilds every memory from the stored sessions with today's rules and\n"
	"config, and publishes the result as a new generation if it differs.\n"
	"Reviewer decisions survive. Works after the spool is gone.\n"
	"\n"
	"  --since DATE  extract again only sessions active since DATE\n"
	"                (YYYY-MM-DD); the others keep their observations\n"
	"  --jobs N      worker threads (default: run.jobs, else the number of cores)\n"
	"  --dry-run     print what would change and write nothing\n"
	"\n"
	"Exit: 0 done, 64 usage, 74 store failure, 75 a run holds the lock.\n";

extern const struct cmd_entry cmd_reconsolidate_entry;

/* A session extracted again: what a worker found, for the writer to store. */
struct redo {
	char *id;
	struct obs_list obs;
	int failed;		/* reported */
};

struct batch {
	struct redo *v;
	size_t n, alloc;
	const struct config *cfg;
	const char *path;	/* of the store, for the workers' connections */
	struct db *db;		/* the writer's */
	struct progress prog;
	size_t taken;
};

/* A worker's own: extractors and a connection to read the digests. */
struct worker {
	struct extractor_set *set;
	struct db *db;
};

static void *batch_start(void *data)
{
	const struct batch *b = data;
	struct worker *w = xcalloc(1, sizeof(*w));

	if (!(w->set = extractor_set_new(b->cfg)) || db_open(&w->db, b->path, 0) < 0) {
		extractor_set_free(w->set);
		free(w);
		return NULL;
	}
	return w;
}

static void batch_stop(void *state)
{
	struct worker *w = state;

	extractor_set_free(w->set);
	db_close(w->db);
	free(w);
}

struct decoding {
	struct session s;
	struct digest_reader *r;
	int bad;
};

/* A piece of a digest; a bad one is told apart from a store that failed. */
static int decode(void *arg, const void *piece, size_t len)
{
	struct decoding *d = arg;

	if (!d->r)
		d->r = digest_reader_new(&d->s);
	if (!d->bad && digest_reader_feed(d->r, piece, len) < 0)
		d->bad = 1;
	return 0;
}

static void batch_work(void *data, void *state, size_t i)
{
	struct batch *b = data;
	struct worker *w = state;
	struct redo *r = &b->v[i];
	struct decoding d = { 0 };
	char *cause = NULL;
	int read;

	session_init(&d.s);
	read = session_row_digest(w->db, r->id, decode, &d);
	if (!d.r || digest_reader_end(d.r) < 0)
		d.bad = 1;
	if (read < 0) {
		error("cannot read the stored digest of session '%s'", r->id);
		r->failed = 1;
	} else if (d.bad) {
		error("cannot decode the stored digest of session '%s'", r->id);
		r->failed = 1;
	} else if (extract_session(w->set, &d.s, &r->obs, &cause) < 0) {
		error("extracting session '%s': %s", r->id, cause ? cause : "failed");
		free(cause);
		r->failed = 1;
	}
	session_release(&d.s);
}

static void batch_drop(void *data, size_t i)
{
	struct batch *b = data;

	obs_list_release(&b->v[i].obs);
	free(b->v[i].id);
	b->v[i].id = NULL;
}

static int batch_take(void *data, size_t i)
{
	struct batch *b = data;
	int bad = b->v[i].failed ||
		obs_list_store(b->db, b->v[i].id, &b->v[i].obs, 1) < 0;

	batch_drop(data, i);
	if (bad)
		return -1;
	b->taken = i + 1;
	if (progress_due(&b->prog, 0))
		progress_show(0, "%zu/%zu sessions extracted again", b->taken, b->n);
	return 0;
}

static const struct pool_ops batch_ops = {
	batch_start, batch_stop, batch_work, batch_take, batch_drop
};

static int add_redo(void *arg, const char *id)
{
	struct batch *b = arg;

	ALLOC_GROW(b->v, b->n + 1, b->alloc);
	memset(&b->v[b->n], 0, sizeof(*b->v));
	b->v[b->n++].id = xstrdup(id);
	return 0;
}

static int reextract(struct db *db, const struct config *cfg, int64_t since, int jobs,
		     int *nsessions)
{
	struct batch b = { 0 };
	int rc, ret;

	rc = sessions_each_since(db, since, add_redo, &b);
	b.cfg = cfg;
	b.path = db_path(db);
	b.db = db;
	if (rc < 0) {
		while (b.n)
			batch_drop(&b, --b.n);
		ret = -1;
	} else {
		progress_start(&b.prog);
		ret = pool_run(&batch_ops, &b, b.n, jobs, (size_t)jobs * 16);
		if (b.n && progress_due(&b.prog, 1))
			progress_show(1, "%zu/%zu sessions extracted again", b.taken, b.n);
		*nsessions = (int)b.n;
	}
	free(b.v);
	return ret;
}

static int print_change(void *arg, const char *change, const struct memory *m)
{
	printf("%-9s %s %-11s %s\n", change, m->id, memory_status_name(m->status), m->title);
	return 0;
}

/* What generation gen changed, one line per memory. */
static int print_changes(struct db *db, int64_t gen)
{
	return generation_changes(db, gen, print_change, NULL);
}

static int cmd_reconsolidate_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct curate_stats cs;
	struct writer *w;
	char fp[17];
	char summary[512], stats[256], gen_line[32];
	int64_t since = 0, gen = 0;
	int c, dry = 0, nsessions = 0, jobs = ctx->cfg->jobs;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			since = parse_iso8601(optarg);
			if (since < 0)
				return cmd_usage_error(&cmd_reconsolidate_entry,
						       "not a date '%s'", optarg);
			break;
		case 'j':
			jobs = opt_jobs(optarg);
			if (!jobs)
				return cmd_usage_error(&cmd_reconsolidate_entry,
						       "--jobs takes 1 to 256");
			break;
		case 'n':
			dry = 1;
			break;
		default:
			return cmd_usage_error(&cmd_reconsolidate_entry, "unknown option");
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_reconsolidate_entry, "unexpected argument '%s'",
				       argv[optind]);
	config_fingerprint(ctx->cfg, fp);
	w = cmd_writer(ctx, "reconsolidate", NULL, dry);
	if (db_cache_mib(w->db, FILL_CACHE_MIB) < 0 ||
	    reextract(w->db, ctx->cfg, since, opt_jobs_or_cores(jobs), &nsessions) < 0 ||
	    db_cache_mib(w->db, DB_CACHE_MIB) < 0 ||
	    curate_publish(w->db, ctx->cfg, w->run, w->actor, "reconsolidation", NULL, &cs,
			   &gen) < 0)
		return EX_IOERR;
	curate_stats_format(&cs, stats, sizeof(stats));
	snprintf(summary, sizeof(summary), "reconsolidate %lld: %d sessions extracted again;"
		 " memories: %s; %s", (long long)w->run, nsessions, stats,
		 run_generation_phrase(gen, gen_line));
	if (dry) {
		if (gen && print_changes(w->db, gen) < 0)
			return EX_IOERR;
		if (!gen)
			printf("no change\n");
		return 0;	/* main() rolls it back */
	}
	return writer_finish(w, gen, 0, summary, NULL, fp);
}

const struct cmd_entry cmd_reconsolidate_entry = {
	.name = "reconsolidate",
	.summary = "rebuild all memories from the stored sessions with today's rules",
	.usage = usage,
	.flags = CMD_STORE_WRITE,
	.exec = cmd_reconsolidate_exec,
};
