/*
 * parse-copilot.c: GitHub Copilot CLI sessions.
 *
 * Copilot CLI appends every event of a session to
 * ~/.copilot/session-state/<sessionId>/events.jsonl (the schema is not
 * published; this follows real files, TwiTech-LAB/devchain's fixtures in
 * apps/local-app/src/modules/session-reader/__fixtures__/, and the event
 * map of vct-core's copilot parser). Each line is {type, data, id,
 * timestamp, parentId}:
 *   session.start / session.resume  data.sessionId, copilotVersion, context.cwd
 *   user.message                    data.content (transformedContent adds
 *                                   injected context: not used)
 *   assistant.message               data.content, data.model (its
 *                                   toolRequests are the same calls as below)
 *   tool.execution_start            data.toolCallId, toolName, arguments
 *   tool.execution_complete         data.toolCallId, success, result.content,
 *                                   error; a shell's exit code is only text,
 *                                   "<shellId: N completed with exit code M>"
 *   abort                           the user stopped the turn
 * A call that fails because the user denied it is a rejection. System
 * prompts, hooks, turn and usage events carry nothing to learn.
 */
#include <stdlib.h>
#include <string.h>

#include "dreamd/parse.h"
#include "dreamd/util.h"

#define EXIT_MARK "with exit code "

static int copilot_detect(const cJSON *root, const char *type)
{
	return strchr(type, '.') && json_obj(root, "data") &&
		cJSON_GetObjectItemCaseSensitive(root, "parentId") != NULL &&
		json_str(root, "id");
}

static void session_meta(struct parse_ctx *c, const cJSON *d)
{
	parse_meta(c, &c->s->meta.id, json_str(d, "sessionId"));
	parse_meta(c, &c->s->meta.agent_version, json_str(d, "copilotVersion"));
	parse_meta(c, &c->s->meta.project, json_str(json_obj(d, "context"), "cwd"));
}

static void start(struct parse_ctx *c, const cJSON *d)
{
	const cJSON *args = json_obj(d, "arguments");
	const char *tool = json_str(d, "toolName");
	const char *cmd = tool && (!strcmp(tool, "bash") || !strcmp(tool, "shell") ||
				   !strcmp(tool, "powershell")) ? json_str(args, "command") : NULL;
	long i = parse_add_call(c, tool, json_str(d, "toolCallId"), cmd, args);

	if (json_str(d, "toolCallId"))
		strmap_set(&c->calls, json_str(d, "toolCallId"), i);
}

/* The error text of a failed call: a string or {message}. */
static const char *error_text(const cJSON *d)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(d, "error");

	if (cJSON_IsString(err))
		return err->valuestring;
	return json_str(err, "message");
}

static void complete(struct parse_ctx *c, const cJSON *d)
{
	const char *id = json_str(d, "toolCallId"), *out, *err = error_text(d), *ec;
	int ok = json_true(d, "success");
	struct event *e;
	long call = -1, i;

	if (id)
		strmap_get(&c->calls, id, &call);
	out = json_str(json_obj(d, "result"), "content");
	if (!ok && err && (strstr(err, "denied") || strstr(err, "rejected"))) {
		i = parse_add(c, EVENT_REJECTED, err, strlen(err));
		if (call >= 0)
			parse_set_str(&c->s->events[i].tool, c->s->events[call].tool);
		return;
	}
	if (!out || (!ok && err))
		out = err;
	i = parse_add(c, EVENT_TOOL_RESULT, out, out ? strlen(out) : 0);
	e = &c->s->events[i];
	parse_set_str(&e->call_id, id);
	if (call >= 0)
		parse_set_str(&e->tool, c->s->events[call].tool);
	e->is_error = !ok;
	if (out && (ec = strstr(out, EXIT_MARK)) && ec[strlen(EXIT_MARK)] >= '0' &&
	    ec[strlen(EXIT_MARK)] <= '9') {
		e->exit_code = atoi(ec + strlen(EXIT_MARK));
		if (e->exit_code)
			e->is_error = 1;
	}
}

static void text(struct parse_ctx *c, enum event_kind kind, const cJSON *d)
{
	const char *t = json_str(d, "content");

	if (t && *t)
		parse_add(c, kind, t, strlen(t));
}

static void copilot_line(struct parse_ctx *c, const cJSON *root, const char *type)
{
	const cJSON *d = json_obj(root, "data");

	parse_timestamp(c, root);
	parse_meta(c, &c->s->meta.agent, "copilot-cli");
	if (!strcmp(type, "session.start") || !strcmp(type, "session.resume")) {
		/* A second session.start of another id: two files' lines, one after the other. */
		if (!strcmp(type, "session.start") &&
		    parse_session_id(c, json_str(d, "sessionId"), 1))
			return;
		session_meta(c, d);
	} else if (!strcmp(type, "user.message")) {
		text(c, EVENT_USER, d);
	} else if (!strcmp(type, "assistant.message")) {
		parse_count_model(c, json_str(d, "model"));
		text(c, EVENT_ASSISTANT, d);
	} else if (!strcmp(type, "tool.execution_start")) {
		start(c, d);
	} else if (!strcmp(type, "tool.execution_complete")) {
		complete(c, d);
	} else if (!strcmp(type, "abort")) {
		const char *why = json_str(d, "reason");

		parse_add(c, EVENT_INTERRUPTED, why, why ? strlen(why) : 0);
	}
}

const struct format format_copilot = {
	.name = "copilot-cli",
	.detect = copilot_detect,
	.line = copilot_line,
};
