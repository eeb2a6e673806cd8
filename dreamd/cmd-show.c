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
#include "store/support.h"

extern const struct cmd_entry cmd_show_entry;

static const char *s(const char *x)
{
	return x ? x : "-";
}

/* The supporting sessions show lists unless --all. */
#define SHOW_SESSIONS 5

/* Every supporting session, newest first; of them, *shown are listed. */
struct show_sessions {
	struct memory_session *s;
	size_t n, shown;
};

static void at_text(int64_t ms, char out[32])
{
	if (ms < 0)
		snprintf(out, 32, "-");
	else
		format_iso8601(ms, out);
}

static void sessions_text(const struct show_sessions *ss)
{
	size_t i;

	printf("sessions (%zu, newest first):\n", ss->n);
	for (i = 0; i < ss->shown; i++) {
		char at[32];

		at_text(ss->s[i].at, at);
		printf("  %s %s %s session %s\n", at, ss->s[i].user, ss->s[i].agent, ss->s[i].id);
	}
	if (ss->shown < ss->n)
		printf("  and %zu more (--all lists them)\n", ss->n - ss->shown);
}

/* The record, extended with "sessions": {"total", "more", "listed"}. */
static void show_json(const struct memory *m, const struct show_sessions *ss)
{
	const char *end = strrchr(m->json, '}');
	struct strbuf sb;
	size_t i;

	if (!end) {	/* memory_parse took an object: never */
		printf("%s\n", m->json);
		return;
	}
	strbuf_init(&sb, 4096);
	strbuf_add(&sb, m->json, (size_t)(end - m->json));
	strbuf_addf(&sb, ",\"sessions\":{\"total\":%zu,\"more\":%zu,\"listed\":[",
		    ss->n, ss->n - ss->shown);
	for (i = 0; i < ss->shown; i++) {
		char at[32];

		strbuf_addstr(&sb, i ? ",{\"session\":" : "{\"session\":");
		strbuf_add_json(&sb, ss->s[i].id, strlen(ss->s[i].id));
		strbuf_addstr(&sb, ",\"user\":");
		strbuf_add_json(&sb, ss->s[i].user, strlen(ss->s[i].user));
		strbuf_addstr(&sb, ",\"agent\":");
		strbuf_add_json(&sb, ss->s[i].agent, strlen(ss->s[i].agent));
		if (ss->s[i].at < 0) {
			strbuf_addstr(&sb, ",\"at\":null}");
		} else {
			format_iso8601(ss->s[i].at, at);
			strbuf_addf(&sb, ",\"at\":\"%s\"}", at);
		}
	}
	strbuf_addstr(&sb, "]}");
	strbuf_addstr(&sb, end);
	printf("%s\n", strbuf_str(&sb));
	strbuf_release(&sb);
}

static void show_text(const struct memory *m, int64_t gen, const struct show_sessions *ss)
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
	sessions_text(ss);
	printf("evidence (%zu kept, the oldest, one a session):\n", m->nev);
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
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "text";
	int c, r, all = 0, ret = EX_IOERR;
	struct show_sessions ss = { NULL, 0, 0 };
	int64_t gen;
	struct memory m;
	struct db *db;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'a': all = 1; break;
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
		if (memory_sessions_load(db, &m, &ss.s, &ss.n) == 0) {
			ss.shown = all || ss.n < SHOW_SESSIONS ? ss.n : SHOW_SESSIONS;
			if (!strcmp(format, "json"))
				show_json(&m, &ss);
			else
				show_text(&m, gen, &ss);
			memory_sessions_release(ss.s, ss.n);
			ret = 0;
		}
		memory_release(&m);
	}
	return ret;
}

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.summary = "one memory with its evidence and effectiveness",
	.usage =
	"usage: dreamd show ID [--all] [--format text|json]\n"
	"\n"
	"Shows memory ID as the current generation holds it (else its latest\n"
	"version): its text, support, supporting sessions, evidence, effectiveness\n"
	"and why it has its status. The supporting sessions are listed newest\n"
	"first, the 5 most recent and a count of the others; --all lists every\n"
	"one. They are the sessions still in the store with observations of the\n"
	"memory's extractor and key, or with a piece of its evidence (which names\n"
	"near-duplicate keys merged into it). The evidence is the few pieces the\n"
	"record keeps, the oldest. json prints the memory record as export does,\n"
	"with \"sessions\": {\"total\", \"more\", \"listed\"} added. Exits 66 when\n"
	"there is no such memory.\n",
	.flags = CMD_STORE_READ,
	.exec = cmd_show_exec,
};
