/*
 * parse-codex.c: Codex CLI rollouts.
 *
 * Wrapped rollouts (0.4x and later) are {timestamp, type, payload} lines:
 * session_meta, turn_context, response_item, event_msg. Legacy rollouts
 * (2025-09) have a bare meta line {id, timestamp, instructions, git},
 * {"record_type": "state"} lines and bare response items.
 *
 * The user's own words are event_msg.user_message; response_item user
 * messages also carry injected AGENTS.md and <environment_context> text, so
 * they are only used (less the injected blocks) when a file has no
 * user_message events. Calls and outputs join on call_id; exec_command_end
 * gives the most reliable exit code, and its aggregated_output the output of
 * a command that was still running when its call returned ("Process running
 * with session ID ...": the agent read the rest, and the failure, through
 * write_stdin). A web_search_call is a web_search call with its query.
 */
#include <stdlib.h>
#include <string.h>

#include "dreamd/parse.h"
#include "dreamd/util.h"

static const char *const wrapped_types[] = {
	"session_meta", "turn_context", "response_item", "event_msg", "compacted", NULL
};

static const char *const item_types[] = {
	"message", "function_call", "function_call_output", "reasoning",
	"custom_tool_call", "custom_tool_call_output", "local_shell_call",
	"web_search_call", NULL
};

/* Text Codex injects into user messages. */
static const char *const injected[] = {
	"<environment_context>", "<user_instructions>", "# AGENTS.md instructions",
	"<INSTRUCTIONS>", "<permissions instructions>", "<user_shell_command>", NULL
};

static int codex_detect(const cJSON *root, const char *type)
{
	if (strlist_has(wrapped_types, type))
		return json_obj(root, "payload") != NULL;
	if (json_str(root, "sessionId"))
		return 0;
	if (json_str(root, "record_type"))
		return 1;
	if (!*type && json_str(root, "id") && json_str(root, "timestamp") &&
	    (cJSON_GetObjectItemCaseSensitive(root, "instructions") ||
	     cJSON_GetObjectItemCaseSensitive(root, "git")))
		return 1;
	return strlist_has(item_types, type);
}

static void set_exit(struct event *e, int code)
{
	e->exit_code = code;
	e->is_error = code != 0;
}

static void user_item(struct parse_ctx *c, const cJSON *p)
{
	const cJSON *b;

	if (c->saw_user_message)
		return;
	cJSON_ArrayForEach(b, json_arr(p, "content")) {
		const char *t = json_str(b, "text"), *s;
		const char *const *w;
		int skip = 0;
		long i;

		if (!t)
			continue;
		for (s = t; *s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'; s++)
			;
		if (!*s)
			continue;
		if (starts_with(s, "<environment_context>")) {
			const char *cwd = strstr(s, "<cwd>"), *end;

			if (cwd && (end = strstr(cwd + 5, "</cwd>"))) {
				char *dir = xstrndup(cwd + 5, (size_t)(end - cwd - 5));

				parse_meta(c, &c->s->meta.project, dir);
				free(dir);
			}
		}
		for (w = injected; *w && !skip; w++)
			skip = starts_with(s, *w);
		if (skip)
			continue;
		i = parse_add(c, EVENT_USER, t, strlen(t));
		ALLOC_GROW(c->tentative, c->ntentative + 1, c->atentative);
		c->tentative[c->ntentative++] = i;
	}
}

static void assistant_item(struct parse_ctx *c, const cJSON *p)
{
	const cJSON *b;
	long i = -1;

	cJSON_ArrayForEach(b, json_arr(p, "content")) {
		const char *t = json_str(b, "text");

		if (!t || !*t)
			continue;
		if (i >= 0)
			parse_append(c, i, t, strlen(t));
		else
			i = parse_add(c, EVENT_ASSISTANT, t, strlen(t));
	}
}

static const char *base_name(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash ? slash + 1 : s;
}

/* A command array as one line, without a leading "bash -lc" wrapper. */
static char *join_command(const cJSON *cmd)
{
	struct strbuf sb;
	const cJSON *a = cmd ? cmd->child : NULL;

	if (a && cJSON_IsString(a) && a->next && cJSON_IsString(a->next) &&
	    a->next->next && cJSON_IsString(a->next->next) && !a->next->next->next) {
		const char *sh = base_name(a->valuestring), *flag = a->next->valuestring;

		if ((!strcmp(sh, "bash") || !strcmp(sh, "zsh") || !strcmp(sh, "sh")) &&
		    (!strcmp(flag, "-lc") || !strcmp(flag, "-c")))
			return xstrdup(a->next->next->valuestring);
	}
	strbuf_init(&sb, STRBUF_NOLIMIT);
	for (; a; a = a->next) {
		if (!cJSON_IsString(a))
			continue;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, a->valuestring);
	}
	return strbuf_detach(&sb, NULL);
}

static cJSON *parse_args(struct parse_ctx *c, const char *s)
{
	char type[8];
	size_t len;

	if (!s)
		return NULL;
	len = strlen(s);
	if (json_prescan(s, len, c->opts && c->opts->max_depth > 0 ?
			 c->opts->max_depth : 64, type, sizeof(type)) < 0)
		return NULL;
	return cJSON_ParseWithLengthOpts(s, len + 1, NULL, 1);
}

static void add_call(struct parse_ctx *c, const char *name, const char *id, const char *text)
{
	long i = parse_add(c, EVENT_TOOL_CALL, text, strlen(text));
	struct event *e = &c->s->events[i];

	parse_set_str(&e->tool, name ? name : "unknown");
	parse_set_str(&e->call_id, id);
	if (id)
		strmap_set(&c->calls, id, i);
}

static void function_call(struct parse_ctx *c, const cJSON *p)
{
	const char *name = json_str(p, "name"), *raw = json_str(p, "arguments");
	cJSON *args = parse_args(c, raw);
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(args, "cmd");
	const cJSON *command = cJSON_GetObjectItemCaseSensitive(args, "command");
	char *text;

	if (cJSON_IsString(cmd))
		text = xstrdup(cmd->valuestring);
	else if (cJSON_IsArray(command))
		text = join_command(command);
	else if (cJSON_IsString(command) && name && strstr(name, "exec"))
		text = xstrdup(command->valuestring);
	else if (args) {
		char *json = cJSON_PrintUnformatted(args);

		text = xstrdup(json ? json : "");
		cJSON_free(json);
	} else
		text = xstrdup(raw ? raw : "");
	add_call(c, name, json_str(p, "call_id"), text);
	free(text);
	cJSON_Delete(args);
}

static int error_text(const char *t)
{
	return starts_with(t, "error:") || starts_with(t, "tool call error:") ||
		starts_with(t, "failed in sandbox") || starts_with(t, "execution error") ||
		starts_with(t, "Error:");
}

static int rejected_text(const char *t)
{
	return starts_with(t, "exec command rejected by user") ||
		starts_with(t, "patch rejected by user");
}

static void call_output(struct parse_ctx *c, const cJSON *p)
{
	const char *id = json_str(p, "call_id");
	const cJSON *out = cJSON_GetObjectItemCaseSensitive(p, "output");
	const char *tool = NULL, *text = NULL, *exited;
	cJSON *inner = NULL;
	int code = -1, failed = 0;
	struct event *e;
	long call, i, pending;

	if (id && strmap_get(&c->calls, id, &call))
		tool = c->s->events[call].tool;
	if (cJSON_IsString(out))
		text = out->valuestring;
	else if (cJSON_IsObject(out)) {
		text = json_str(out, "content");
		if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(out, "success")))
			failed = 1;
	}
	if (!text)
		text = "";
	if (*text == '{' && (inner = parse_args(c, text)) && json_str(inner, "output")) {
		const cJSON *ec = cJSON_GetObjectItemCaseSensitive(json_obj(inner, "metadata"),
								   "exit_code");

		text = json_str(inner, "output");
		if (cJSON_IsNumber(ec))
			code = ec->valueint;
	} else if ((exited = strstr(text, "Process exited with code "))) {
		long n = strtol(exited + 25, NULL, 10);

		code = n >= 0 && n < 1 << 16 ? (int)n : -1;
	}
	if (rejected_text(text)) {
		i = parse_add(c, EVENT_REJECTED, text, strlen(text));
	} else {
		i = parse_add(c, EVENT_TOOL_RESULT, text, strlen(text));
		e = &c->s->events[i];
		if (code >= 0)
			set_exit(e, code);
		/* write_stdin reports the exit of a process another call started. */
		if (tool && !strcmp(tool, "write_stdin"))
			e->is_error = 0;
		if (failed || error_text(text))
			e->is_error = 1;
		if (id && strmap_get(&c->pending, id, &pending))
			set_exit(e, (int)pending);
		if (id)
			strmap_set(&c->results, id, i);
	}
	e = &c->s->events[i];
	parse_set_str(&e->tool, tool);
	parse_set_str(&e->call_id, id);
	cJSON_Delete(inner);
}

static void item(struct parse_ctx *c, const cJSON *p)
{
	const char *type = json_str(p, "type"), *role;

	if (!type) {
		c->s->skipped_lines++;
		return;
	}
	if (!strcmp(type, "message")) {
		role = json_str(p, "role");
		if (role && !strcmp(role, "user"))
			user_item(c, p);
		else if (role && !strcmp(role, "assistant"))
			assistant_item(c, p);
	} else if (!strcmp(type, "function_call")) {
		function_call(c, p);
	} else if (!strcmp(type, "custom_tool_call")) {
		const char *input = json_str(p, "input");

		add_call(c, json_str(p, "name"), json_str(p, "call_id"), input ? input : "");
	} else if (!strcmp(type, "local_shell_call")) {
		char *text = join_command(json_arr(json_obj(p, "action"), "command"));

		add_call(c, "local_shell", json_str(p, "call_id"), text);
		free(text);
	} else if (!strcmp(type, "function_call_output") ||
		   !strcmp(type, "custom_tool_call_output")) {
		call_output(c, p);
	} else if (!strcmp(type, "web_search_call")) {
		const char *query = json_str(json_obj(p, "action"), "query");

		add_call(c, "web_search", json_str(p, "id"), query ? query : "");
	} else if (!strlist_has(item_types, type)) {
		c->s->skipped_lines++;
	}
}

static void event_msg(struct parse_ctx *c, const cJSON *p)
{
	const char *type = json_str(p, "type"), *msg;
	const cJSON *ec;
	long i;

	if (!type)
		return;
	if (!strcmp(type, "user_message")) {
		msg = json_str(p, "message");
		c->saw_user_message = 1;
		if (msg && *msg)
			parse_add(c, EVENT_USER, msg, strlen(msg));
	} else if (!strcmp(type, "exec_command_end")) {
		const char *id = json_str(p, "call_id");

		const char *agg = json_str(p, "aggregated_output");

		ec = cJSON_GetObjectItemCaseSensitive(p, "exit_code");
		if (!id || !cJSON_IsNumber(ec))
			return;
		if (strmap_get(&c->results, id, &i)) {
			const char *t = parse_text(c, i);

			if (agg && *agg && t && strstr(t, "Process running with session ID"))
				parse_append(c, i, agg, strlen(agg));
			set_exit(&c->s->events[i], ec->valueint);
		} else {
			strmap_set(&c->pending, id, ec->valueint);
		}
	} else if (!strcmp(type, "turn_aborted")) {
		msg = json_str(p, "reason");
		parse_add(c, EVENT_INTERRUPTED, msg ? msg : "", msg ? strlen(msg) : 0);
	}
}

static void codex_line(struct parse_ctx *c, const cJSON *root, const char *type)
{
	struct session_meta *m = &c->s->meta;
	const cJSON *p = json_obj(root, "payload");

	parse_meta(c, &m->agent, "codex");
	parse_timestamp(c, root);
	if (p && strlist_has(wrapped_types, type)) {
		c->wrapped = 1;
		if (!strcmp(type, "session_meta")) {
			if (parse_session_id(c, json_str(p, "id"), 1))
				return;
			parse_meta(c, &m->project, json_str(p, "cwd"));
			parse_meta(c, &m->agent_version, json_str(p, "cli_version"));
			if (!m->started)
				m->started = c->ts;
		} else if (!strcmp(type, "turn_context")) {
			parse_count_model(c, json_str(p, "model"));
			parse_meta(c, &m->project, json_str(p, "cwd"));
		} else if (!strcmp(type, "response_item")) {
			item(c, p);
		} else if (!strcmp(type, "event_msg")) {
			event_msg(c, p);
		}
		return;
	}
	if (json_str(root, "record_type"))
		return;
	if (!*type && json_str(root, "id")) {
		/* The older format's header line: one a session, another id another session. */
		if (parse_session_id(c, json_str(root, "id"), 1))
			return;
		if (!m->started)
			m->started = c->ts;
		return;
	}
	item(c, root);
}

static void codex_end(struct parse_ctx *c)
{
	struct session *s = c->s;
	size_t i, j, k = 0;

	if (!c->saw_user_message || !c->ntentative)
		return;
	for (i = j = 0; i < s->nevents; i++) {
		if (k < c->ntentative && (long)i == c->tentative[k]) {
			free(s->events[i].text);
			free(s->events[i].tool);
			free(s->events[i].call_id);
			k++;
			continue;
		}
		s->events[j++] = s->events[i];
	}
	s->nevents = j;
	c->ntentative = 0;
}

const struct format format_codex = {
	.name = "codex",
	.detect = codex_detect,
	.line = codex_line,
	.end = codex_end,
};
