/*
 * parse-aider.c: aider's .aider.chat.history.md, markdown read line by line.
 *
 * "# aider chat started at YYYY-MM-DD HH:MM:SS" opens a session (local
 * time, no zone: read as UTC); "#### " lines are the user's input (one per
 * line of a multi-line prompt); "> " lines are aider's own output: banners,
 * confirmations ("... (Y)es/(N)o [Yes]: n"), "Running CMD" and its output,
 * lint output ("## Running: CMD"), "Applied edit to FILE", "Commit SHA MSG";
 * other text is the model's reply. A shell command the model proposes is the
 * "> CMD" line before "Run shell command?": a call, rejected when the answer
 * is n. A "no" to any other question after the first prompt is a rejection
 * too; the setup questions before it are not.
 *
 * The file holds every session aider ran in that directory. Nothing is kept
 * per line beyond the events themselves (each capped by max_text, a session
 * by max_events), so a history of any length costs bounded memory. The
 * session id is derived from the file's path and its first start line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/parse.h"
#include "dreamd/util.h"

#define STARTED "# aider chat started at "
#define PENDING_MAX 4096	/* the proposed command kept for a question */

static int aider_detect_text(const char *line, size_t len)
{
	size_t n = strlen(STARTED);

	return len >= n && !memcmp(line, STARTED, n);
}

/* Stops the events being extended line by line. */
static void close_open(struct parse_ctx *c)
{
	c->aider_user = c->aider_asst = c->aider_result = -1;
}

static long add_call(struct parse_ctx *c, const char *tool, const char *text, size_t len)
{
	long i = parse_add(c, EVENT_TOOL_CALL, text, len);

	parse_set_str(&c->s->events[i].tool, tool);
	return i;
}

static long add_result(struct parse_ctx *c, long call, int is_error)
{
	long i = parse_add(c, EVENT_TOOL_RESULT, "", 0);
	struct event *e = &c->s->events[i];

	parse_set_str(&e->tool, c->s->events[call].tool);
	e->is_error = is_error ? 1 : 0;
	return i;
}

static void start_session(struct parse_ctx *c, const char *line)
{
	int64_t ms = parse_iso8601(line + strlen(STARTED));

	close_open(c);
	c->aider_call = -1;
	c->aider_prompted = c->aider_echo = 0;
	strbuf_reset(&c->aider_pending);
	if (ms > 0)
		c->ts = ms;
	if (!c->s->meta.id) {
		char id[40];
		uint64_t h = hash64(c->path, strlen(c->path), HASH64_SEED);

		h = hash64(line, strlen(line), h);
		snprintf(id, sizeof(id), "aider-%016llx", (unsigned long long)h);
		c->s->meta.id = xstrdup(id);
	}
	parse_meta(c, &c->s->meta.agent, "aider");
}

/* Commands whose text aider logs again as the prompt it sends. */
static const char *mode_command(const char *t)
{
	static const char *const modes[] = { "/code ", "/ask ", "/architect ", "/context ", NULL };
	const char *const *m;

	for (m = modes; *m; m++)
		if (starts_with(t, *m))
			return t + strlen(*m);
	return NULL;
}

static void user_line(struct parse_ctx *c, const char *t, size_t len)
{
	const char *rest;

	c->aider_asst = c->aider_result = -1;
	strbuf_reset(&c->aider_pending);
	if (c->aider_user == -2)
		return;		/* the echo of a mode command */
	if (c->aider_user >= 0) {
		parse_append(c, c->aider_user, t, len);
		return;
	}
	if (c->aider_echo) {
		c->aider_echo = 0;
		c->aider_user = -2;
		return;
	}
	c->aider_prompted = 1;
	if (starts_with(t, "/run ") || starts_with(t, "/test ") || (t[0] == '!' && t[1])) {
		const char *cmd = t[0] == '!' ? t + 1 : strchr(t, ' ') + 1;
		long call = add_call(c, starts_with(t, "/test ") ? "test" : "shell",
				     cmd, len - (size_t)(cmd - t));

		c->aider_result = add_result(c, call, 0);
		c->aider_call = call;
		return;
	}
	if ((rest = mode_command(t))) {
		/* "/code X" is followed by "X" as the prompt: one turn, X. */
		c->aider_echo = 1;
		c->aider_user = parse_add(c, EVENT_USER, rest, len - (size_t)(rest - t));
		return;
	}
	c->aider_user = parse_add(c, EVENT_USER, t, len);
}

/* "... (Y)es/(N)o [Yes]: n": the question and the answer, or 0. */
static int question(const char *t, const char **answer)
{
	const char *q = strstr(t, "(Y)es/(N)o"), *a;

	if (!q || !(a = strstr(q, "]: ")))
		return 0;
	*answer = a + 3;
	return 1;
}

static int is_no(const char *a)
{
	return (a[0] == 'n' || a[0] == 'N') && (!a[1] || !strcasecmp(a, "no"));
}

static void answer(struct parse_ctx *c, const char *t, const char *a)
{
	const struct strbuf *p = &c->aider_pending;
	const char *cmd = p->buf;
	int no = is_no(a);

	/* After a command's output, only the last line is the next command. */
	if (c->aider_result >= 0 && memrchr(p->buf, '\n', p->len))
		cmd = (const char *)memrchr(p->buf, '\n', p->len) + 1;
	close_open(c);
	if (starts_with(t, "Run shell command") && *cmd) {
		c->aider_call = add_call(c, "shell", cmd, strlen(cmd));
		if (no)
			parse_add(c, EVENT_REJECTED, t, strlen(t));
	} else if (starts_with(t, "Create new file?") && *cmd && no) {
		add_call(c, "edit", cmd, strlen(cmd));
		parse_add(c, EVENT_REJECTED, t, strlen(t));
	} else if (no && c->aider_prompted) {
		parse_add(c, EVENT_REJECTED, t, strlen(t));
	}
	strbuf_reset(&c->aider_pending);
}

/* The exit code aider or the shell wrote into a result line, or -1. */
static int exit_code_in(const char *t)
{
	static const char *const marks[] = { "exit code ", "exit status ", "Exit code: ", NULL };
	const char *const *m;
	const char *p;

	for (m = marks; *m; m++)
		if ((p = strstr(t, *m)) && p[strlen(*m)] >= '0' && p[strlen(*m)] <= '9')
			return atoi(p + strlen(*m));
	return -1;
}

static int is_commit(const char *t)
{
	size_t n = 0;

	if (!starts_with(t, "Commit "))
		return 0;
	for (t += 7; (*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f'); t++)
		n++;
	return n >= 7 && *t == ' ';
}

/* "Running CMD": the command the user just accepted or ran, or one aider runs itself. */
static void running(struct parse_ctx *c, const char *cmd, size_t len)
{
	const char *last = c->aider_call >= 0 ? parse_text(c, c->aider_call) : NULL;
	long call;

	strbuf_reset(&c->aider_pending);
	if (last && !strcmp(last, cmd) &&
	    (size_t)c->aider_call + 1 >= c->s->nevents - (c->aider_result >= 0)) {
		call = c->aider_call;
		if (c->aider_result < 0)
			c->aider_result = add_result(c, call, 0);
	} else {
		call = add_call(c, "shell", cmd, len);
		c->aider_result = add_result(c, call, 0);
	}
	c->aider_call = -1;
}

/* A line of the running command's output, into its result. */
static void command_output(struct parse_ctx *c, const char *t, size_t len)
{
	struct event *e = &c->s->events[c->aider_result];
	int code = exit_code_in(t);

	if (starts_with(t, "Added ") && strstr(t, " of output to the chat") &&
	    !strcmp(e->tool ? e->tool : "", "test"))
		e->is_error = 1;	/* /test adds its output only on failure */
	if (code >= 0) {
		e->exit_code = code;
		e->is_error = code != 0;
	}
	parse_append(c, c->aider_result, t, len);
}

/* The lines aider prints about itself: the repository, its version, the model. */
static void header_line(struct parse_ctx *c, const char *t)
{
	if (starts_with(t, "Git repository created in ")) {
		parse_meta(c, &c->s->meta.project, t + 26);
	} else if (starts_with(t, "Aider v")) {
		parse_meta(c, &c->s->meta.agent_version, t + 7);
	} else if (starts_with(t, "Model: ") || starts_with(t, "Main model: ")) {
		char *m = xstrdup(strstr(t, ": ") + 2);
		char *sp = strchr(m, ' ');

		if (sp)
			*sp = '\0';
		parse_count_model(c, m);
		free(m);
	}
}

static void output_line(struct parse_ctx *c, const char *t, size_t len)
{
	const char *a;
	long call;

	c->aider_user = c->aider_asst = -1;
	c->aider_echo = 0;
	if (!*t)
		return;
	if (strstr(t, "^C")) {
		struct session *s = c->s;

		c->aider_result = -1;
		if (!s->nevents || s->events[s->nevents - 1].kind != EVENT_INTERRUPTED)
			parse_add(c, EVENT_INTERRUPTED, t, len);
		return;
	}
	if (starts_with(t, "Tokens: "))
		return;
	if (question(t, &a)) {
		answer(c, t, a);
		return;
	}
	if (starts_with(t, "Running ")) {
		running(c, t + 8, len - 8);
		return;
	}
	if (starts_with(t, "## Running: ")) {
		strbuf_reset(&c->aider_pending);
		call = add_call(c, "lint", t + 12, len - 12);
		/* aider shows lint output only when the linter found errors. */
		c->aider_result = add_result(c, call, 1);
		return;
	}
	if (starts_with(t, "Applied edit to ")) {
		c->aider_result = -1;
		strbuf_reset(&c->aider_pending);
		add_result(c, add_call(c, "edit", t + 16, len - 16), 0);
		return;
	}
	if (is_commit(t)) {
		c->aider_result = -1;
		strbuf_reset(&c->aider_pending);
		add_result(c, add_call(c, "commit", t + 7, len - 7), 0);
		return;
	}
	/* Maybe the command of a question to come: keep the run since the last marker. */
	if (c->aider_pending.len + len + 1 <= PENDING_MAX) {
		if (c->aider_pending.len)
			strbuf_addch(&c->aider_pending, '\n');
		strbuf_add(&c->aider_pending, t, len);
	}
	if (c->aider_result >= 0)
		command_output(c, t, len);
	else
		header_line(c, t);
}

static void text_line(struct parse_ctx *c, const char *t, size_t len)
{
	c->aider_user = c->aider_result = -1;
	c->aider_echo = 0;
	strbuf_reset(&c->aider_pending);
	if (c->aider_asst >= 0)
		parse_append(c, c->aider_asst, t, len);
	else
		c->aider_asst = parse_add(c, EVENT_ASSISTANT, t, len);
}

static void aider_text(struct parse_ctx *c, char *line, size_t len)
{
	/*
	 * aider ends the lines it writes itself with two spaces (a markdown
	 * line break): a "#### " or "> " line without them is the model's.
	 */
	int own = len >= 2 && line[len - 1] == ' ' && line[len - 2] == ' ';

	while (len && (line[len - 1] == ' ' || line[len - 1] == '\r' || line[len - 1] == '\t'))
		line[--len] = '\0';
	if (!c->s->meta.id && !aider_detect_text(line, len))
		return;
	if (!len) {
		/* A blank line ends a prompt. */
		c->aider_user = -1;
		return;
	}
	if (aider_detect_text(line, len))
		start_session(c, line);
	else if (own && starts_with(line, "####") && (len == 4 || line[4] == ' '))
		user_line(c, line + (len > 4 ? 5 : 4), len > 4 ? len - 5 : 0);
	else if (own && line[0] == '>' && (len == 1 || line[1] == ' '))
		output_line(c, line + (len > 1 ? 2 : 1), len > 1 ? len - 2 : 0);
	else
		text_line(c, line, len);
}

const struct format format_aider = {
	.name = "aider",
	.detect_text = aider_detect_text,
	.text = aider_text,
};
