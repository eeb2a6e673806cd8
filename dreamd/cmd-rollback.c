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

#include "dreamd/cmd.h"
#include "dreamd/options.h"
#include "dreamd/util.h"
#include "dreamd/writer.h"
#include "store/history.h"
#include "store/review.h"
#include "store/runs.h"

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

/* Do two records say the same, but for their version? */
static int same_content(struct memory *a, struct memory *b)
{
	int64_t va = a->version, vb = b->version;
	char *x, *y;
	int same;

	a->version = b->version = 0;
	x = memory_to_json(a);
	y = memory_to_json(b);
	same = !strcmp(x, y);
	free(x);
	free(y);
	a->version = va;
	b->version = vb;
	return same;
}

struct rollback {
	struct db *db;
	struct memory_change ch;
	int changed;
};

/*
 * What the rollback does to a memory, for its log: it retires what it takes
 * out of the loaded set or retires, and restores the rest.
 */
static const char *rollback_change(const struct memory *cur, const struct memory *want)
{
	if (want->status == MEMORY_RETIRED && cur->status != MEMORY_RETIRED)
		return "retired";
	if (memory_status_live(cur->status) && !memory_status_live(want->status))
		return "retired";
	return "restored";
}

/* Gives the memory of row the content of want as a new version. */
static int restore(struct rollback *rb, const struct memory_row *row, struct memory *cur,
		   struct memory *want, const char *change)
{
	if (same_content(cur, want))
		return 0;
	want->version = row->version + 1;
	rb->ch.change = change ? change : rollback_change(cur, want);
	if (memory_put(rb->db, want, row->key, &rb->ch) < 0)
		return -1;
	rb->changed++;
	return 0;
}

/*
 * Gives one memory the record it had in the target generation (target;
 * NULL: it had none, and is retired). Reviewers' standing decisions outlive
 * a rollback: a rejected memory stays out, a pinned one stays as it is.
 */
static int roll_back(struct rollback *rb, const struct memory_row *row,
		     const struct memory *target)
{
	const char *change = target ? NULL : "retired";
	struct review_state r;
	struct memory cur, want;
	int rejected, ret = -1;

	if (review_load(rb->db, row->id, &r) < 0)
		return -1;
	rejected = r.verdict == REVIEW_REJECT;
	if (r.pinned) {
		review_state_release(&r);
		return 0;
	}
	review_state_release(&r);
	if (memory_parse(&cur, row->snapshot) < 0)
		return error("corrupt snapshot of memory '%s'", row->id);
	if (memory_parse(&want, target ? target->json : row->snapshot) < 0) {
		memory_release(&cur);
		return error("corrupt snapshot of memory '%s'", row->id);
	}
	if (rejected) {
		want.status = MEMORY_REJECTED;
		memory_set(&want.reason, "rejected by reviewer");
		change = "restored";
	} else if (!target) {
		want.status = MEMORY_RETIRED;
		memory_set(&want.reason, rb->ch.reason);
	}
	ret = restore(rb, row, &cur, &want, change);
	memory_release(&cur);
	memory_release(&want);
	return ret;
}

/* Gives every memory the record generation target had for it. */
static int roll_back_all(struct rollback *rb, int64_t target)
{
	struct generation g;
	struct memory_row *rows;
	size_t n, i;
	int bad;

	if (generation_load(rb->db, target, &g) < 0)
		return -1;
	if (memory_rows_load(rb->db, &rows, &n) < 0) {
		generation_release(&g);
		return -1;
	}
	for (i = 0, bad = 0; i < n && !bad; i++)
		bad = roll_back(rb, &rows[i], generation_find(&g, rows[i].id)) < 0;
	memory_rows_release(rows, n);
	generation_release(&g);
	return bad ? -1 : 0;
}

static int cmd_rollback_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct writer *w;
	struct rollback rb = { 0 };
	char reason[64], summary[256], gen_line[32];
	long long target;
	int64_t gen;
	int r;

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
	w = cmd_writer(ctx, "rollback", opt_reviewer(NULL), 0);
	r = generation_exists(w->db, target);
	if (r < 0)
		return EX_IOERR;
	if (!r) {
		error("no generation '%lld'", target);
		return EX_NOINPUT;
	}
	if (generation_next(w->db, &gen) < 0)
		return EX_IOERR;
	snprintf(reason, sizeof(reason), "rollback to generation %lld", target);
	rb.db = w->db;
	rb.ch = (struct memory_change){ gen, NULL, w->actor, reason };
	if (roll_back_all(&rb, target) < 0)
		return EX_IOERR;
	snprintf(summary, sizeof(summary), "rollback to generation %lld: %d memories changed",
		 target, rb.changed);
	if (rb.changed && generation_publish(w->db, gen, w->run, summary) < 0)
		return EX_IOERR;
	if (!rb.changed)
		gen = 0;
	snprintf(summary + strlen(summary), sizeof(summary) - strlen(summary), "; %s",
		 run_generation_phrase(gen, gen_line));
	return writer_finish(w, gen, 0, summary, NULL, NULL);
}

const struct cmd_entry cmd_rollback_entry = {
	.name = "rollback",
	.summary = "publish an earlier generation again",
	.usage = usage,
	.flags = CMD_STORE_WRITE,
	.exec = cmd_rollback_exec,
};
