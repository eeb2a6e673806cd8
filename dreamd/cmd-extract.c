/*
 * cmd-extract.c: dreamd extract, the extractors over transcripts, for
 * debugging rules and for tests.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/cmd.h"
#include "dreamd/extract.h"
#include "dreamd/ingest.h"
#include "dreamd/redact.h"
#include "dreamd/util.h"

static const char usage[] =
	"usage: dreamd extract [--user NAME] [--extractor NAME]... [--table] FILE...\n"
	"\n"
	"Reads transcripts as `dreamd events` does, runs the extractors over each\n"
	"session and prints the observations as JSONL, one per line: sessions in\n"
	"the order given, each one's sorted by extractor, key and event. Nothing\n"
	"is stored. Subagent transcripts given after their parent belong to its\n"
	"session.\n"
	"\n"
	"  --user NAME        the user the sessions are recorded for (default: unknown)\n"
	"  --extractor NAME   run only this extractor (repeatable)\n"
	"  --table            print instead, per extractor and key, the number of\n"
	"                     sessions and of occurrences, tab-separated, sorted\n"
	"\n"
	"Exit status: 0; 65 when some input was bad (the rest is used); 66 when a\nfile is missing.\n";

extern const struct cmd_entry cmd_extract_entry;

static void add_field(struct strbuf *sb, const char *name, const char *value)
{
	if (!value)
		return;
	strbuf_addf(sb, ",\"%s\":", name);
	strbuf_add_json(sb, value, strlen(value));
}

static void print_obs(const struct observation *o)
{
	struct strbuf sb;

	strbuf_init(&sb, STRBUF_NOLIMIT);
	strbuf_addstr(&sb, "{\"session\":");
	strbuf_add_json(&sb, o->session, strlen(o->session));
	add_field(&sb, "extractor", o->extractor);
	add_field(&sb, "kind", o->kind);
	add_field(&sb, "key", o->key);
	add_field(&sb, "slot", o->slot);
	add_field(&sb, "subject", o->subject);
	add_field(&sb, "detail", o->detail);
	add_field(&sb, "fix", o->fix);
	strbuf_addf(&sb, ",\"fixed\":%d", o->fixed);
	add_field(&sb, "value", o->value);
	add_field(&sb, "excerpt", o->excerpt);
	strbuf_addf(&sb, ",\"seq\":%u,\"count\":%u", o->seq, o->count ? o->count : 1);
	add_field(&sb, "user", o->user);
	add_field(&sb, "agent", o->agent);
	add_field(&sb, "project", o->project);
	strbuf_addf(&sb, ",\"user_authored\":%d,\"behaviour\":%d,\"succeeded\":%d}\n",
		    o->user_authored, o->behaviour, o->succeeded);
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

struct row {
	char *extractor, *key, *last_session;
	int sessions;
	unsigned occurrences;
};

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->extractor, y->extractor);

	return c ? c : strcmp(x->key, y->key);
}

struct table {
	struct row *v;
	size_t n, alloc;
};

static void table_add(struct table *t, const struct observation *o)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].extractor, o->extractor) && !strcmp(t->v[i].key, o->key))
			break;
	if (i == t->n) {
		ALLOC_GROW(t->v, t->n + 1, t->alloc);
		memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
		t->v[t->n].extractor = xstrdup(o->extractor);
		t->v[t->n].key = xstrdup(o->key);
		t->n++;
	}
	if (!t->v[i].last_session || strcmp(t->v[i].last_session, o->session)) {
		free(t->v[i].last_session);
		t->v[i].last_session = xstrdup(o->session);
		t->v[i].sessions++;
	}
	t->v[i].occurrences += o->count ? o->count : 1;
}

/* The observations of the extractors asked for: printed, or into table. */
static void show_obs(const struct obs_list *l, char **only, size_t nonly, struct table *table)
{
	size_t j, k;

	for (j = 0; j < l->n; j++) {
		int wanted = !nonly;

		for (k = 0; k < nonly; k++)
			wanted |= !strcmp(only[k], l->v[j].extractor);
		if (!wanted)
			continue;
		if (table)
			table_add(table, &l->v[j]);
		else
			print_obs(&l->v[j]);
	}
}

/* Prints the table, most sessions first, and frees it. */
static void print_table(struct table *t)
{
	size_t i;

	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), cmp_row);
	for (i = 0; i < t->n; i++) {
		printf("%d\t%u\t%s\t%s\n", t->v[i].sessions, t->v[i].occurrences,
		       t->v[i].extractor, t->v[i].key);
		free(t->v[i].extractor);
		free(t->v[i].key);
		free(t->v[i].last_session);
	}
	free(t->v);
}

static int cmd_extract_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "extractor", required_argument, NULL, 'e' },
		{ "table", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct config *cfg = ctx->cfg;
	struct ingest_opts io = { 0 };
	struct spool_unit *units = NULL;
	struct extractor_set set;
	struct table table = { 0 };
	struct redactor *r = NULL;
	const char *user = NULL;
	char **only = NULL;
	size_t nunits = 0, nonly = 0, i;
	char *cause = NULL;
	int c, status = 0, as_table = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'u') {
			user = optarg;
		} else if (c == 'e') {
			if (!extractor_find(optarg))
				return cmd_usage_error(&cmd_extract_entry,
						       "no extractor named '%s'", optarg);
			only = xrealloc(only, (nonly + 1) * sizeof(*only));
			only[nonly++] = optarg;
		} else if (c == 't') {
			as_table = 1;
		} else {
			free(only);
			return cmd_usage_error(&cmd_extract_entry, "unknown option");
		}
	}
	if (optind >= argc) {
		free(only);
		return cmd_usage_error(&cmd_extract_entry, "no transcript given");
	}
	if (ingest_setup(cfg, &io, &r) < 0) {
		free(only);
		return EX_CONFIG;
	}
	if (extractor_set_init(&set, cfg) < 0) {
		redactor_free(r);
		free(only);
		return EX_CONFIG;
	}
	spool_units_from_paths(argv + optind, (size_t)(argc - optind), user ? user : "unknown",
			       &units, &nunits);
	for (i = 0; i < nunits && status != EX_SOFTWARE; i++) {
		struct obs_list l = { 0 };
		struct session s;

		session_init(&s);
		ingest_unit(&units[i], &io, &s);
		if (!status || status == EX_DATAERR)
			status = session_exit_status(&s) ? session_exit_status(&s) : status;
		if (!s.unusable && extract_session(&set, &s, &l, &cause) < 0) {
			error("%s", cause ? cause : "extractor failed");
			free(cause);
			cause = NULL;
			status = EX_SOFTWARE;
		}
		show_obs(&l, only, nonly, as_table ? &table : NULL);
		obs_list_release(&l);
		session_release(&s);
	}
	if (as_table)
		print_table(&table);
	extractor_set_release(&set);
	spool_units_free(units, nunits);
	redactor_free(r);
	free(only);
	return status;
}

const struct cmd_entry cmd_extract_entry = {
	.name = "extract",
	.summary = "print what the extractors find in transcripts (debugging)",
	.usage = usage,
	.exec = cmd_extract_exec,
};
