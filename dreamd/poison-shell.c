/*
 * poison-shell.c: a command line as the poison rules see it; see
 * poison.h (poison_views).
 *
 * extractors/shell.c splits the line into its simple commands, nested ones
 * included ($(...), <(...), sh -c '...', eval). Each pipeline becomes one
 * view: its commands joined with " | ", each with its assignments kept,
 * its wrappers (sudo -E, env, timeout 5) dropped and its program by base
 * name, so `FOO=1 sudo -E /bin/bash` reads `FOO=1 bash`. A file that a
 * download wrote and a later command runs is a pipe too: `curl -o i.sh URL
 * && sh i.sh` gives the view `curl -o i.sh URL | sh i.sh`.
 */
#include "dreamd/poison.h"

#include <string.h>
#include <strings.h>

#include "dreamd/util.h"
#include "extractors/shell.h"

static int is_download(const char *prog)
{
	static const char *const names[] = {
		"curl", "wget", "fetch", "aria2c", "http", "https", "iwr",
		"invoke-webrequest", "invoke-restmethod", "irm", NULL
	};
	size_t i;

	for (i = 0; names[i]; i++)
		if (!strcasecmp(prog, names[i]))
			return 1;
	return 0;
}

static void add_command(struct strbuf *b, const struct shell_cmd *c)
{
	size_t i;

	for (i = 0; i < c->prog && i < c->words.n; i++)
		if (strchr(c->words.w[i], '=') && c->words.w[i][0] != '-') {
			strbuf_addstr(b, c->words.w[i]);
			strbuf_addch(b, ' ');
		}
	for (i = c->prog; i < c->words.n; i++) {
		if (i > c->prog)
			strbuf_addch(b, ' ');
		strbuf_addstr(b, i == c->prog ? path_base(c->words.w[i]) : c->words.w[i]);
	}
}

/* The word of c that names a download program (prose has words before it), or 0. */
static size_t download_at(const struct shell_cmd *c)
{
	size_t i;

	for (i = c->prog; i < c->words.n; i++)
		if (is_download(path_base(c->words.w[i])))
			return i + 1;
	return 0;
}

/* The file the download at word at writes, borrowed from c, or NULL. */
static const char *download_file(const struct shell_cmd *c, size_t at)
{
	const struct words *w = &c->words;
	const char *prog = path_base(w->w[at]), *url = NULL;
	int wget = !strcasecmp(prog, "wget"), remote_name = wget;
	size_t i;

	for (i = at + 1; i < w->n; i++) {
		const char *a = w->w[i];

		if ((!strcmp(a, "-o") || !strcmp(a, "--output") || (wget && !strcmp(a, "-O")) ||
		     !strcmp(a, "--output-document") || !strcmp(a, ">") || !strcmp(a, ">>")) &&
		    i + 1 < w->n)
			return path_base(w->w[i + 1]);
		if (!strncmp(a, "-o", 2) && a[2] && !wget)
			return path_base(a + 2);
		if (a[0] == '>' && a[1] && a[1] != '>' && a[1] != '(')
			return path_base(a + 1);
		if (!strcmp(a, "-O") || !strcmp(a, "--remote-name"))
			remote_name = 1;
		if (strstr(a, "://"))
			url = a;
	}
	return remote_name && url ? path_base(url) : NULL;
}

/* 1 when c runs the file name (as its program or an argument). */
static int runs_file(const struct shell_cmd *c, const char *name)
{
	size_t i;

	for (i = c->prog; i < c->words.n; i++)
		if (!strcmp(path_base(c->words.w[i]), name))
			return 1;
	return 0;
}

static int add_view(char ***v, size_t *n, size_t *alloc, struct strbuf *b)
{
	if (*n == *alloc) {
		*alloc = *alloc ? 2 * *alloc : 8;
		*v = xrealloc(*v, *alloc * sizeof(**v));
	}
	(*v)[(*n)++] = strbuf_detach(b, NULL);
	return 0;
}

char **poison_views(const char *line, size_t *nviews)
{
	struct shell_line l;
	struct strbuf b;
	char **v = NULL;
	size_t i, j, n = 0, alloc = 0;

	*nviews = 0;
	if (shell_parse(line, &l) < 0)
		return NULL;
	strbuf_init(&b, STRBUF_NOLIMIT);
	for (i = 0; i < l.n; i++) {
		if (i && l.c[i].piped)
			strbuf_addstr(&b, " | ");
		add_command(&b, &l.c[i]);
		if (i + 1 == l.n || !l.c[i + 1].piped) {
			add_view(&v, &n, &alloc, &b);
			strbuf_init(&b, STRBUF_NOLIMIT);
		}
	}
	for (i = 0; i < l.n; i++) {
		const char *file;
		size_t at = download_at(&l.c[i]);

		if (!at || !(file = download_file(&l.c[i], at - 1)) || !*file)
			continue;
		for (j = i + 1; j < l.n; j++) {
			if (!runs_file(&l.c[j], file))
				continue;
			add_command(&b, &l.c[i]);
			strbuf_addstr(&b, " | ");
			if (l.c[j].prog < l.c[j].words.n &&
			    !strcmp(path_base(l.c[j].words.w[l.c[j].prog]), file))
				strbuf_addstr(&b, "sh ");
			add_command(&b, &l.c[j]);
			add_view(&v, &n, &alloc, &b);
			strbuf_init(&b, STRBUF_NOLIMIT);
		}
	}
	strbuf_release(&b);
	shell_line_release(&l);
	*nviews = n;
	return v;
}
