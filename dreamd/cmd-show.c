/*
 * cmd-show.c: dreamd show, one memory with its evidence.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "dreamd/cmd.h"
#include "dreamd/report.h"
#include "dreamd/util.h"
#include "store/db.h"

extern const struct cmd_entry cmd_show_entry;

static const char *s(const char *x)
{
	return x ? x : "-";
}

static void show_text(const struct memory *m, int64_t gen)
{
	size_t i;

	printf("%s %s %s %s (version %lld", m->id, s(memory_kind_name(m->kind)), s(m->scope), s(memory_status_name(m->status)),
	       (long long)m->version);
	if (gen >= 0)
		printf(", generation %lld", (long long)gen);
	printf(")\n%s\n", s(m->title));
	if (m->body)
		printf("\n%s\n", m->body);
	printf("\nscore: %.2f\n", m->score);
	printf("seen: %s to %s\n", s(m->first_seen), s(m->last_seen));
	printf("support: %lld sessions, %lld users, %lld agents, %lld projects, %lld occurrences\n",
	       (long long)m->sessions, (long long)m->users, (long long)m->agents,
	       (long long)m->projects, (long long)m->occurrences);
	if (m->fix_command)
		printf("fix: `%s` worked %lld of %lld\n", m->fix_command,
		       (long long)m->fix_worked, (long long)m->fix_of);
	printf("status reason: %s\n", s(m->reason));
	if (m->superseded_by)
		printf("superseded by: %s\n", m->superseded_by);
	if (m->conflict_with)
		printf("conflicts with: %s\n", m->conflict_with);
	if (m->has_eff) {
		char phrase[96];

		mem_effectiveness_phrase(m, phrase);
		printf("effectiveness: %s%s\n", phrase, m->eff_recurring ? " (still recurring)" : "");
	}
	if (m->reviewed_action)
		printf("reviewed: %s by %s at %s\n", m->reviewed_action, s(m->reviewed_by),
		       s(m->reviewed_at));
	if (m->extractor)
		printf("extractor: %s%s%s\n", m->extractor, m->slot ? ", slot " : "",
		       m->slot ? m->slot : "");
	printf("evidence (%zu):\n", m->nev);
	for (i = 0; i < m->nev; i++) {
		const struct memory_evidence *e = &m->ev[i];

		printf("  %s %s %s session %s event %lld\n", s(e->at), s(e->user), s(e->agent),
		       s(e->session), (long long)e->event);
		if (e->excerpt) {
			struct strbuf ex;

			strbuf_init(&ex, 1024);
			strbuf_add_excerpt(&ex, e->excerpt, 200);
			printf("    %s\n", ex.buf);
			strbuf_release(&ex);
		}
	}
}

static int cmd_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "text";
	int c, r, ret = EX_IOERR;
	int64_t gen;
	struct memory m;
	struct db *db;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		default: return cmd_usage_error(&cmd_show_entry, "bad option");
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cmd_usage_error(&cmd_show_entry, "unknown format '%s'", format);
	if (argc - optind != 1)
		return cmd_usage_error(&cmd_show_entry, "expected one memory id");
	db = cmd_store(ctx);
	r = memory_load_current(db, argv[optind], &m, &gen);
	if (r == 0) {
		error("no memory '%s'", argv[optind]);
		ret = EX_NOINPUT;
	} else if (r == 1) {
		if (!strcmp(format, "json"))
			printf("%s\n", m.json);
		else
			show_text(&m, gen);
		memory_release(&m);
		ret = 0;
	}
	return ret;
}

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.summary = "one memory with its evidence and effectiveness",
	.usage =
	"usage: dreamd show ID [--format text|json]\n"
	"\n"
	"Shows memory ID as the current generation holds it (else its latest\n"
	"version): its text, support, evidence, effectiveness and why it has its\n"
	"status. json prints the memory record as export does. Exits 66 when there\n"
	"is no such memory.\n",
	.flags = CMD_STORE_READ,
	.exec = cmd_show_exec,
};
