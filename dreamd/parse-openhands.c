/*
 * parse-openhands.c: OpenHands event streams.
 *
 * OpenHands (All-Hands-AI/OpenHands, openhands/events/serialization/)
 * writes a session as events {id, timestamp, source: user|agent|environment,
 * message, action + args | observation + content + extras, cause,
 * tool_call_metadata: {function_name, tool_call_id}}. Three shapes carry
 * them: a saved trajectory, one JSON array of events (parse-doc.c cuts it
 * into events); evaluation output, one JSON line per instance
 * {instance_id, instruction, history: [events], metadata, error}; and JSON
 * lines of single events.
 *
 * The user's "message" action is a user turn, the agent's (and "finish")
 * is its reply; "system", "recall" and agent state changes are the
 * runtime's own. Every other action is a tool call (run: its command) and
 * the observation whose cause is its id its result: a "run" exits with
 * extras.metadata.exit_code (-1: it never finished), a failed edit's
 * content starts with "ERROR:", an "error" observation is a malformed
 * call. "user_rejected" is a rejection; the agent stopped or paused by the
 * user is an interruption. Timestamps have no zone (read as UTC); the cwd
 * is extras.metadata.working_dir; the session id is the instance id, or
 * the file's name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/parse.h"
#include "dreamd/util.h"

static int is_event(const cJSON *e)
{
	return json_str(e, "source") &&
		(json_str(e, "action") || json_str(e, "observation"));
}

static int openhands_detect(const cJSON *root, const char *type)
{
	const cJSON *h = json_arr(root, "history");

	(void)type;
	if (h)
		return json_str(root, "instance_id") && (!h->child || is_event(h->child));
	return is_event(root) && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "id"));
}

static int openhands_detect_member(const char *key, const cJSON *item)
{
	return (!key || !strcmp(key, "history")) && is_event(item);
}

/* The call id an action and its observation share. */
static void call_id(const cJSON *e, const char *idkey, char *buf, size_t n)
{
	const char *tc = json_str(json_obj(e, "tool_call_metadata"), "tool_call_id");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, idkey);

	if (tc)
		snprintf(buf, n, "%s", tc);
	else if (cJSON_IsNumber(id))
		snprintf(buf, n, "oh-%.0f", id->valuedouble);
	else
		buf[0] = '\0';
}

static const char *event_text(const cJSON *e, const char *argkey)
{
	const char *t = json_str(json_obj(e, "args"), argkey);

	return t && *t ? t : json_str(e, "message");
}

static void action(struct parse_ctx *c, const cJSON *e, const char *a)
{
	const char *source = json_str(e, "source");
	const cJSON *args = json_obj(e, "args");
	const char *t;
	char id[128];

	if (!strcmp(a, "message") || !strcmp(a, "finish")) {
		int user = source && !strcmp(source, "user");

		t = event_text(e, !strcmp(a, "finish") ? "final_thought" : "content");
		if (t && *t)
			parse_add(c, user ? EVENT_USER : EVENT_ASSISTANT, t, strlen(t));
		return;
	}
	if (!strcmp(a, "system") || !strcmp(a, "recall") || !strcmp(a, "change_agent_state") ||
	    !strcmp(a, "null"))
		return;
	call_id(e, "id", id, sizeof(id));
	parse_add_call(c, a, *id ? id : NULL,
		       !strcmp(a, "run") ? json_str(args, "command") : NULL, args);
}

static void observation(struct parse_ctx *c, const cJSON *e, const char *o)
{
	const cJSON *meta = json_obj(json_obj(e, "extras"), "metadata");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(meta, "exit_code");
	const char *content = json_str(e, "content"), *state;
	struct event *ev;
	char id[128];
	long i, call;

	parse_meta(c, &c->s->meta.project, json_str(meta, "working_dir"));
	if (!strcmp(o, "agent_state_changed")) {
		state = json_str(json_obj(e, "extras"), "agent_state");
		if (state && (!strcmp(state, "stopped") || !strcmp(state, "paused")))
			parse_add(c, EVENT_INTERRUPTED, state, strlen(state));
		return;
	}
	if (!strcmp(o, "null") || !strcmp(o, "recall") || !strcmp(o, "message") ||
	    !strcmp(o, "chat") || !strcmp(o, "condense"))
		return;
	call_id(e, "cause", id, sizeof(id));
	i = parse_add(c, !strcmp(o, "user_rejected") ? EVENT_REJECTED : EVENT_TOOL_RESULT,
		      content, content ? strlen(content) : 0);
	ev = &c->s->events[i];
	if (*id && strmap_get(&c->calls, id, &call) && call < (long)i)
		parse_set_str(&ev->tool, c->s->events[call].tool);
	else if (ev->kind == EVENT_TOOL_RESULT)
		parse_set_str(&ev->tool, o);
	if (ev->kind == EVENT_REJECTED)
		return;
	parse_set_str(&ev->call_id, *id ? id : NULL);
	if (!strcmp(o, "error") || (!strcmp(o, "edit") && starts_with(content, "ERROR:")))
		ev->is_error = 1;
	if (cJSON_IsNumber(code)) {
		if (code->valuedouble >= 0)
			ev->exit_code = (int)code->valuedouble;
		if (code->valuedouble != 0)
			ev->is_error = 1;
	}
}

static void event(struct parse_ctx *c, const cJSON *e)
{
	const char *a = json_str(e, "action"), *o = json_str(e, "observation");

	parse_timestamp(c, e);
	parse_meta(c, &c->s->meta.agent, "openhands");
	if (a) {
		long before = (long)c->s->nevents;
		char id[128];

		action(c, e, a);
		call_id(e, "id", id, sizeof(id));
		if ((long)c->s->nevents > before && *id &&
		    c->s->events[before].kind == EVENT_TOOL_CALL)
			strmap_set(&c->calls, id, before);
	} else if (o) {
		observation(c, e, o);
	}
}

static void openhands_member(struct parse_ctx *c, const char *key, const cJSON *item)
{
	if (!key || !strcmp(key, "history")) {
		if (cJSON_IsObject(item))
			event(c, item);
	} else if (!strcmp(key, "instance_id") && cJSON_IsString(item)) {
		parse_meta(c, &c->s->meta.id, item->valuestring);
	} else if (!strcmp(key, "metadata")) {
		parse_count_model(c, json_str(json_obj(item, "llm_config"), "model"));
	}
}

static void openhands_line(struct parse_ctx *c, const cJSON *root, const char *type)
{
	(void)type;
	if (json_arr(root, "history"))
		doc_members(c, root);
	else if (is_event(root))
		event(c, root);
	else
		c->s->skipped_lines++;
}

const struct format format_openhands = {
	.name = "openhands",
	.detect = openhands_detect,
	.line = openhands_line,
	.detect_member = openhands_detect_member,
	.member = openhands_member,
};
