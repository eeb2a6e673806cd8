/*
 * shell.c: splitting command lines into simple commands and finding the
 * main one (shell-head.c names it).
 */
#include "extractors/shell.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/common/strbuf.h"
#include "dreamd/common/utf8.h"

#define SHELL_MAX_WORDS 4096
#define SHELL_MAX_DEPTH 4

struct segment {
	struct words words;
	int piped;		/* follows a | */
};

struct segments {
	struct segment *s;
	size_t n, alloc;
	int failed;
};

void words_release(struct words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->w[i]);
	free(w->w);
	memset(w, 0, sizeof(*w));
}

static int words_push(struct words *w, char *s)
{
	if (!s)
		return -1;
	if (w->n >= SHELL_MAX_WORDS) {
		free(s);
		return 0;
	}
	if (w->n == w->alloc) {
		size_t alloc = w->alloc ? 2 * w->alloc : 8;
		char **p = realloc(w->w, alloc * sizeof(*p));

		if (!p) {
			free(s);
			return -1;
		}
		w->w = p;
		w->alloc = alloc;
	}
	w->w[w->n++] = s;
	return 0;
}

int shell_tool(const char *tool)
{
	static const char *const names[] = {
		"Bash", "bash", "exec_command", "shell", "local_shell",
		"container.exec", "shell_command", "run_shell_command", "run", "powershell", NULL
	};
	size_t i;

	if (!tool)
		return 0;
	for (i = 0; names[i]; i++)
		if (!strcmp(tool, names[i]))
			return 1;
	return 0;
}

const char *path_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

static struct segment *new_segment(struct segments *ss, int piped)
{
	if (ss->n == ss->alloc) {
		size_t alloc = ss->alloc ? 2 * ss->alloc : 4;
		struct segment *p = realloc(ss->s, alloc * sizeof(*p));

		if (!p) {
			ss->failed = 1;
			return NULL;
		}
		ss->s = p;
		ss->alloc = alloc;
	}
	memset(&ss->s[ss->n], 0, sizeof(ss->s[ss->n]));
	ss->s[ss->n].piped = piped;
	return &ss->s[ss->n++];
}

static void segments_release(struct segments *ss)
{
	size_t i;

	for (i = 0; i < ss->n; i++)
		words_release(&ss->s[i].words);
	free(ss->s);
}

/* Skips a here-doc body: from the line after p, up to a line equal to delim. */
static const char *skip_heredoc(const char *p, const char *delim)
{
	size_t dl = strlen(delim);
	const char *line = strchr(p, '\n');

	while (line) {
		const char *start = line + 1, *end = strchr(start, '\n');
		const char *s = start;
		size_t len;

		while (*s == '\t')
			s++;
		len = end ? (size_t)(end - s) : strlen(s);
		if (len == dl && !strncmp(s, delim, dl))
			return end ? end : s + len;
		line = end;
	}
	return p + strlen(p);
}

/*
 * Adds the word character (or quoted run, $(...), here-doc operator) at p
 * to word; a here-doc's delimiter goes into *heredoc. Returns where the
 * next one starts.
 */
static const char *word_part(const char *p, struct strbuf *word, char **heredoc)
{
	int c = (unsigned char)*p;

	if (c == '\'') {
		const char *e = strchr(p + 1, '\'');

		if (!e)
			e = p + strlen(p);
		strbuf_add(word, p + 1, e - p - 1);
		p = *e ? e + 1 : e;
	} else if (c == '"') {
		p++;
		while (*p && *p != '"') {
			if (*p == '\\' && p[1]) {
				if (!strchr("\"\\$`", p[1]))
					strbuf_addch(word, '\\');
				p++;
			}
			strbuf_addch(word, *p++);
		}
		if (*p)
			p++;
	} else if (c == '\\' && p[1]) {
		if (p[1] != '\n')
			strbuf_addch(word, p[1]);
		p += 2;
	} else if ((c == '$' || c == '<' || c == '>') && p[1] == '(') {
		int depth = 0;

		strbuf_addch(word, *p++);
		do {
			if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			strbuf_addch(word, *p++);
		} while (*p && depth > 0);
	} else if (c == '<' && p[1] == '<' && p[2] != '<') {
		const char *d = p + 2;
		size_t dl;

		if (*d == '-')
			d++;
		while (*d == ' ')
			d++;
		dl = strcspn(d, " \t\n;&|<>");
		free(*heredoc);
		*heredoc = malloc(dl + 1);
		if (*heredoc) {
			size_t i, j = 0;

			for (i = 0; i < dl; i++)
				if (d[i] != '\'' && d[i] != '"' && d[i] != '\\')
					(*heredoc)[j++] = d[i];
			(*heredoc)[j] = '\0';
		}
		strbuf_add(word, p, 2);
		p += 2;
	} else {
		strbuf_addch(word, c);
		p++;
	}
	return p;
}

static void split(const char *cmd, struct segments *ss)
{
	struct segment *seg = new_segment(ss, 0);
	struct strbuf word;
	const char *p = cmd;
	char *heredoc = NULL;
	int in_word = 0;

	strbuf_init_cut(&word, 8192);
	if (!seg)
		return;
	for (;;) {
		int c = (unsigned char)*p;

		if (c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == ';' ||
		    c == '&' || c == '|' || c == ')' || (c == '(' && !in_word)) {
			if (in_word) {
				char *w = strbuf_detach(&word, NULL);

				strbuf_init_cut(&word, 8192);
				if (words_push(&seg->words, w) < 0) {
					ss->failed = 1;
					break;
				}
				in_word = 0;
			}
			if (c == '\0')
				break;
			if (c == '\n' && heredoc) {
				p = skip_heredoc(p, heredoc);
				free(heredoc);
				heredoc = NULL;
				continue;
			}
			if (c == ' ' || c == '\t') {
				p++;
				continue;
			}
			if (c == '&' && p[1] != '&' && seg->words.n &&
			    p > cmd && (p[-1] == '>' || p[-1] == '<')) {
				p++;
				continue;
			}
			if (c == '|' && p[1] != '|') {
				seg = new_segment(ss, 1);
				p++;
			} else if (c == '(' || c == ')') {
				/* A subshell's parentheses end a command like ';'. */
				seg = new_segment(ss, 0);
				p++;
			} else {
				seg = new_segment(ss, 0);
				p += (p[1] == c) ? 2 : 1;
			}
			if (!seg)
				break;
			continue;
		}
		in_word = 1;
		p = word_part(p, &word, &heredoc);
	}
	free(heredoc);
	strbuf_release(&word);
}

static int is_assignment(const char *w)
{
	const char *p = w;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return 0;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '=';
}

static int is_redirection(const char *w, int *takes_next)
{
	const char *p = w;

	*takes_next = 0;
	if ((w[0] == '<' || w[0] == '>') && w[1] == '(')
		return 0;	/* a process substitution is a file name */
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '&' && p[1] == '>')
		p++;
	if (*p != '>' && *p != '<')
		return 0;
	while (*p == '>' || *p == '<')
		p++;
	if (*p == '&')
		p++;
	*takes_next = *p == '\0' && strncmp(w, "<<", 2);
	return 1;
}

static int in_names(const char *const *names, const char *prog)
{
	size_t i;

	for (i = 0; names[i]; i++)
		if (!strcmp(prog, names[i]))
			return 1;
	return 0;
}

static int is_prelude(const char *prog)
{
	static const char *const names[] = {
		"cd", "pushd", "popd", "export", "source", ".", "set", "unset",
		"true", ":", "echo", "printf", "sleep", "wait", "clear", NULL
	};

	return in_names(names, prog);
}

/* Programs whose argument is a text with newlines (a patch), not commands. */
static int takes_raw_text(const char *prog)
{
	return !strcmp(prog, "apply_patch") || !strcmp(prog, "applypatch");
}

int shell_filter(const char *prog)
{
	static const char *const names[] = {
		"cat", "head", "tail", "grep", "egrep", "rg", "sort", "uniq", "wc",
		"tee", "less", "more", "cut", "tr", "jq", "column", "echo", "printf",
		NULL
	};

	return in_names(names, prog);
}

/* Index of the program word of a segment, past wrappers; n when none. */
static size_t program_index(const struct words *w)
{
	static const char *const wrappers[] = {
		"sudo", "env", "nohup", "time", "command", "exec", "nice", NULL
	};
	size_t i = 0;

	for (;;) {
		int next;

		while (i < w->n && (is_assignment(w->w[i]) || is_redirection(w->w[i], &next)))
			i += is_assignment(w->w[i]) ? 1 : 1 + next;
		if (i >= w->n)
			return w->n;
		if (in_names(wrappers, path_base(w->w[i]))) {
			int sudo = !strcmp(path_base(w->w[i]), "sudo");

			i++;
			while (i < w->n && w->w[i][0] == '-') {
				/* sudo -u USER (and -g, -h ...) take a word. */
				if (sudo && w->w[i][1] && !w->w[i][2] && strchr("ughpCDrtU", w->w[i][1]))
					i++;
				i++;
			}
			continue;
		}
		if (!strcmp(w->w[i], "timeout")) {
			i++;
			while (i < w->n && w->w[i][0] == '-')
				i++;
			if (i < w->n)
				i++;
			continue;
		}
		return i;
	}
}

static char *join_from(const struct words *w, size_t from)
{
	struct strbuf b;
	size_t i;

	strbuf_init_cut(&b, 4096);
	for (i = from; i < w->n; i++) {
		if (i > from)
			strbuf_addch(&b, ' ');
		strbuf_addstr(&b, w->w[i]);
	}
	return strbuf_detach(&b, NULL);
}

/* Programs that change nothing a later command sees (export does). */
static int is_harmless(const char *prog)
{
	static const char *const names[] = {
		"cd", "pushd", "popd", "true", ":", "echo", "printf", "sleep", "wait",
		"clear", NULL
	};

	return in_names(names, prog);
}

static int has_redirection(const struct words *w)
{
	size_t i;
	int next;

	for (i = 0; i < w->n; i++)
		if (is_redirection(w->w[i], &next))
			return 1;
	return 0;
}

/*
 * 1 when segment pick says all the line does: no assignment in front of
 * it, and every other command is a harmless prelude or a filter of its
 * output (`cd x && npm test | tail`), not `curl ... | sh`.
 */
static int only_main(const struct segments *ss, size_t pick)
{
	const struct words *w = &ss->s[pick].words;
	size_t k, p = program_index(w);

	for (k = 0; k < p; k++)
		if (is_assignment(w->w[k]))
			return 0;
	for (k = 0; k < ss->n; k++) {
		const struct segment *g = &ss->s[k];
		const char *prog;
		size_t j;

		if (k == pick || !g->words.n)
			continue;
		p = program_index(&g->words);
		if (p >= g->words.n)
			return 0;
		prog = path_base(g->words.w[p]);
		if (g->piped || (k + 1 < ss->n && ss->s[k + 1].piped)) {
			if (k < pick || !shell_filter(prog))
				return 0;
			for (j = pick + 1; j <= k; j++)
				if (!ss->s[j].piped)
					return 0;
		} else if (!is_harmless(prog) || has_redirection(&g->words)) {
			return 0;
		}
	}
	return 1;
}

/* Index of the word after sh -c (the command text), or 0 when not one. */
static size_t shell_c_arg(const struct words *w, size_t p, int depth)
{
	const char *prog = path_base(w->w[p]);
	size_t i;

	if (depth >= SHELL_MAX_DEPTH || (strcmp(prog, "bash") && strcmp(prog, "sh") &&
					 strcmp(prog, "zsh") && strcmp(prog, "dash")))
		return 0;
	for (i = p + 1; i + 1 < w->n && w->w[i][0] == '-'; i++)
		if (strchr(w->w[i], 'c'))
			return i + 1;
	return 0;
}

/* Copies the words of w from its program on, redirections dropped; -1: no memory. */
static int copy_command(const struct words *w, size_t p, struct words *out)
{
	size_t i;

	for (i = p; i < w->n; i++) {
		int next;

		if (is_redirection(w->w[i], &next)) {
			i += next;
			continue;
		}
		if (words_push(out, strdup(w->w[i])) < 0)
			return -1;
	}
	return 0;
}

static int main_command(const char *cmd, struct words *out, int depth, int *whole)
{
	struct segments ss = { 0 };
	long pick = -1, last = -1;
	size_t i, p;
	int ret = -1;

	*whole = 1;
	split(cmd, &ss);
	if (ss.failed)
		goto cleanup;
	for (i = 0; i < ss.n; i++) {
		struct words *w = &ss.s[i].words;
		size_t k, best = i;

		if (ss.s[i].piped)
			continue;
		/* In a pipeline, the first command that is not a filter. */
		for (k = i; k < ss.n && (k == i || ss.s[k].piped); k++) {
			struct words *kw = &ss.s[k].words;

			p = program_index(kw);
			if (p < kw->n && !shell_filter(path_base(kw->w[p]))) {
				best = k;
				break;
			}
		}
		w = &ss.s[best].words;
		p = program_index(w);
		if (p >= w->n)
			continue;
		last = (long)best;
		if (!is_prelude(path_base(w->w[p])))
			pick = (long)best;
	}
	if (ss.n > 1 && (p = program_index(&ss.s[0].words)) < ss.s[0].words.n &&
	    takes_raw_text(path_base(ss.s[0].words.w[p])))
		pick = 0;
	if (pick < 0)
		pick = last;
	ret = 0;
	if (pick < 0) {
		*whole = ss.n <= 1 && !ss.s[0].words.n;
		goto cleanup;
	}
	{
		const char *prog = ss.s[pick].words.w[program_index(&ss.s[pick].words)];

		/* A program that a substitution names runs what it printed. */
		*whole = takes_raw_text(path_base(prog)) ||
			(!strpbrk(prog, "$`(") && only_main(&ss, (size_t)pick));
	}
	{
		struct words *w = &ss.s[pick].words;
		size_t c;

		p = program_index(w);
		if ((c = shell_c_arg(w, p, depth))) {
			int inner;

			ret = main_command(w->w[c], out, depth + 1, &inner);
			*whole = *whole && inner;
			goto cleanup;
		}
		if (copy_command(w, p, out) < 0)
			ret = -1;
	}
cleanup:
	segments_release(&ss);
	return ret;
}

int shell_find_command(const char *cmd, const char *want, struct words *out)
{
	struct segments ss = { 0 };
	size_t i, p, plen = strcspn(want, " ");
	const char *sub = want[plen] ? want + plen + 1 : NULL;
	int ret = 0;

	split(cmd, &ss);
	for (i = 0; !ss.failed && i < ss.n && !ret; i++) {
		const struct words *w = &ss.s[i].words;
		const char *prog;
		size_t k;

		p = program_index(w);
		if (p >= w->n)
			continue;
		prog = path_base(w->w[p]);
		if (strlen(prog) != plen || strncmp(prog, want, plen))
			continue;
		for (k = p + 1; sub && k < w->n && w->w[k][0] == '-'; k++)
			;
		if (sub && (k >= w->n || strcmp(w->w[k], sub)))
			continue;
		ret = copy_command(w, p, out) < 0 ? -1 : 1;
	}
	segments_release(&ss);
	if (ret < 0)
		words_release(out);
	return ret;
}

int shell_main_command(const char *cmd, struct words *out, int *whole)
{
	int dummy;

	if (main_command(cmd, out, 0, whole ? whole : &dummy) < 0) {
		words_release(out);
		return -1;
	}
	return 0;
}

void shell_line_release(struct shell_line *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		words_release(&l->c[i].words);
	free(l->c);
	memset(l, 0, sizeof(*l));
}

/* Appends the simple commands of text at depth; -1 when out of memory. */
static int parse_into(const char *text, unsigned depth, struct shell_line *l)
{
	struct segments ss = { 0 };
	size_t i;
	int ret = -1, after_command = 0;

	split(text, &ss);
	if (ss.failed)
		goto cleanup;
	for (i = 0; i < ss.n; i++) {
		struct shell_cmd *c;
		int piped = ss.s[i].piped && after_command;

		after_command = ss.s[i].words.n > 0;
		if (!ss.s[i].words.n)
			continue;
		if (l->n >= SHELL_MAX_WORDS)
			break;
		if (l->n == l->alloc) {
			size_t alloc = l->alloc ? 2 * l->alloc : 8;
			struct shell_cmd *q = realloc(l->c, alloc * sizeof(*q));

			if (!q)
				goto cleanup;
			l->c = q;
			l->alloc = alloc;
		}
		c = &l->c[l->n++];
		c->piped = piped;
		c->words = ss.s[i].words;
		memset(&ss.s[i].words, 0, sizeof(ss.s[i].words));
		c->prog = program_index(&c->words);
		c->depth = depth;
	}
	ret = 0;
cleanup:
	segments_release(&ss);
	return ret;
}

/* The text inside each $(...), <(...), >(...) and `...` of word w. */
static int parse_nested(const char *w, unsigned depth, struct shell_line *l)
{
	const char *p = w;

	while (*p) {
		if ((*p == '$' || *p == '<' || *p == '>') && p[1] == '(') {
			const char *s = p + 2;
			int open = 1;
			char *in;

			for (p = s; *p && open; p++)
				open += *p == '(' ? 1 : *p == ')' ? -1 : 0;
			in = strndup(s, (size_t)(p - s) - (open ? 0 : 1));
			if (!in || parse_into(in, depth, l) < 0) {
				free(in);
				return -1;
			}
			free(in);
		} else if (*p == '`') {
			const char *e = strchr(p + 1, '`');
			char *in = strndup(p + 1, e ? (size_t)(e - p - 1) : strlen(p + 1));

			if (!in || parse_into(in, depth, l) < 0) {
				free(in);
				return -1;
			}
			free(in);
			p = e ? e + 1 : p + strlen(p);
		} else {
			p++;
		}
	}
	return 0;
}

int shell_parse(const char *line, struct shell_line *out)
{
	size_t i, j;

	memset(out, 0, sizeof(*out));
	if (parse_into(line, 0, out) < 0)
		goto oom;
	/* out grows while it is walked: nested commands go to its end. */
	for (i = 0; i < out->n; i++) {
		unsigned depth = out->c[i].depth;
		size_t c;
		char *text;

		if (depth >= SHELL_MAX_DEPTH)
			continue;
		for (j = 0; j < out->c[i].words.n; j++)
			if (strpbrk(out->c[i].words.w[j], "(`") &&
			    parse_nested(out->c[i].words.w[j], depth + 1, out) < 0)
				goto oom;
		if (out->c[i].prog >= out->c[i].words.n)
			continue;
		c = shell_c_arg(&out->c[i].words, out->c[i].prog, 0);
		if (!c && !strcmp(out->c[i].words.w[out->c[i].prog], "eval"))
			c = out->c[i].prog + 1;
		if (!c || c >= out->c[i].words.n)
			continue;
		text = join_from(&out->c[i].words, c);
		if (!text || parse_into(text, depth + 1, out) < 0) {
			free(text);
			goto oom;
		}
		free(text);
	}
	return 0;
oom:
	shell_line_release(out);
	return -1;
}

char *shell_args(const struct words *w)
{
	return join_from(w, 1);
}

char *shell_join(const struct words *w)
{
	return join_from(w, 0);
}
