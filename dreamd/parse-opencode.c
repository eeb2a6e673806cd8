/*
 * parse-opencode.c: OpenCode sessions as JSON lines.
 *
 * Two sources give the same lines: `opencode run --format json` streams
 * {type, timestamp (epoch ms), sessionID, part} (step_start, text,
 * tool_use, step_finish), and `dreamd collect --agent opencode` turns each
 * session of OpenCode's store (opencode.db, or the older storage/ JSON
 * files) into those lines, each message first as
 * {type: "message", timestamp, sessionID, message: <its stored data>}.
 *
 * A text part is the user's or the model's by the role of its message
 * (the stream has no user messages); synthetic text is OpenCode's own. A
 * tool part is a call (bash: its command) and, once completed or failed,
 * its result: the output or error, the exit code from state.metadata.exit.
 * A refused permission is a rejection, an aborted tool an interruption.
 */
#include <stdlib.h>
#include <string.h>

#include "dreamd/parse.h"
#include "dreamd/util.h"

static int opencode_detect(const cJSON *root, const char *type)
{
	if (!json_str(root, "sessionID"))
		return 0;
	return json_str(json_obj(root, "part"), "messageID") != NULL ||
		(!strcmp(type, "message") && json_obj(root, "message") != NULL);
}

static void line_time(struct parse_ctx *c, const cJSON *obj)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "timestamp");

	if (cJSON_IsNumber(t) && t->valuedouble > 0)
		c->ts = (int64_t)t->valuedouble;
}

static void message(struct parse_ctx *c, const cJSON *m)
{
	const char *role = json_str(m, "role");
	const cJSON *err = json_obj(m, "error");

	c->opencode_user = role && !strcmp(role, "user");
	parse_meta(c, &c->s->meta.project, json_str(json_obj(m, "path"), "cwd"));
	if (!c->opencode_user)
		parse_count_model(c, json_str(m, "modelID"));
	if (err && starts_with(json_str(err, "name"), "MessageAborted"))
		parse_add(c, EVENT_INTERRUPTED, "", 0);
}

static void text_part(struct parse_ctx *c, const cJSON *p)
{
	const char *t = json_str(p, "text");

	if (!t || !*t || json_true(p, "synthetic") || json_true(p, "ignored"))
		return;
	parse_add(c, c->opencode_user ? EVENT_USER : EVENT_ASSISTANT, t, strlen(t));
}

static void tool_part(struct parse_ctx *c, const cJSON *p)
{
	const char *tool = json_str(p, "tool"), *id = json_str(p, "callID");
	const cJSON *st = json_obj(p, "state"), *in = json_obj(st, "input");
	const cJSON *meta = json_obj(st, "metadata");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(meta, "exit");
	const char *status = json_str(st, "status"), *cmd = json_str(in, "command");
	const char *out, *err = json_str(st, "error");
	struct event *e;
	long i;

	parse_add_call(c, tool, id, tool && !strcmp(tool, "bash") ? cmd : NULL, in);
	if (!status || (strcmp(status, "completed") && strcmp(status, "error")))
		return;
	if (err && (strstr(err, "rejected permission") || strstr(err, "user dismissed"))) {
		i = parse_add(c, EVENT_REJECTED, err, strlen(err));
		parse_set_str(&c->s->events[i].tool, tool);
		return;
	}
	if (err && strstr(err, "aborted")) {
		parse_add(c, EVENT_INTERRUPTED, err, strlen(err));
		return;
	}
	out = !strcmp(status, "error") ? err : json_str(st, "output");
	i = parse_add(c, EVENT_TOOL_RESULT, out, out ? strlen(out) : 0);
	e = &c->s->events[i];
	parse_set_str(&e->tool, tool);
	parse_set_str(&e->call_id, id);
	e->is_error = !strcmp(status, "error");
	if (cJSON_IsNumber(code)) {
		e->exit_code = (int)code->valuedouble;
		if (e->exit_code != 0)
			e->is_error = 1;
	}
}

static void opencode_line(struct parse_ctx *c, const cJSON *root, const char *type)
{
	const cJSON *p = json_obj(root, "part");
	const char *pt = json_str(p, "type");

	/*
	 * One session a file, from either source: `opencode run` streams only
	 * its own session's parts, collect writes a file a session. A line of
	 * another sessionID starts a second session.
	 */
	if (parse_session_id(c, json_str(root, "sessionID"), 1))
		return;
	line_time(c, root);
	parse_meta(c, &c->s->meta.agent, "opencode");
	if (!strcmp(type, "message")) {
		message(c, json_obj(root, "message"));
		return;
	}
	if (pt && !strcmp(pt, "text"))
		text_part(c, p);
	else if (pt && !strcmp(pt, "tool"))
		tool_part(c, p);
	else if (!pt)
		c->s->skipped_lines++;
	/* step-start, step-finish, reasoning, snapshot, patch: nothing to learn. */
}

const struct format format_opencode = {
	.name = "opencode",
	.detect = opencode_detect,
	.line = opencode_line,
};
