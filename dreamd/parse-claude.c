/*
 * parse-claude.c: Claude Code 2.0.x/2.1.x session transcripts.
 *
 * One JSON object per line; "user" and "assistant" lines carry the
 * conversation, one content block per line, and one API response is split
 * over several lines sharing message.id. Everything else (progress copies
 * of subagent messages, file-history snapshots, system lines, summaries)
 * carries no events.
 */
#include <stdlib.h>
#include <string.h>

#include "dreamd/parse.h"
#include "dreamd/util.h"

static const char *const known_types[] = {
	"user", "assistant", "summary", "system", "progress",
	"file-history-snapshot", "queue-operation", NULL
};

static const char *const skipped_types[] = {
	"progress", "file-history-snapshot", "queue-operation", NULL
};

/* Text Claude Code writes into user messages that the user did not type. */
static const char *const wrappers[] = {
	"<command-name>", "<command-message>", "<command-args>",
	"<local-command-stdout>", "<local-command-stderr>",
	"<local-command-caveat>", "<system-reminder>", "<task-notification>",
	"<bash-stdout>", "<bash-stderr>", "<user-prompt-submit-hook>", NULL
};

#define REJECTED_TEXT "The user doesn't want to proceed with this tool use"
/* Claude Code 1.0 said it so. */
#define REJECTED_TEXT_V1 "The user doesn't want to take this action right now"
#define INTERRUPTED_TEXT "[Request interrupted by user"

static int claude_detect(const cJSON *root, const char *type)
{
	if (!strlist_has(known_types, type))
		return 0;
	return json_str(root, "sessionId") || !strcmp(type, "summary") ||
		!strcmp(type, "file-history-snapshot");
}

static int claude_skip(struct parse_ctx *c, const char *type)
{
	return strlist_has(skipped_types, type);
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

static void user_text(struct parse_ctx *c, const char *text, long *user)
{
	const char *t = skip_space(text);
	const char *const *w;

	if (!*t)
		return;
	if (starts_with(t, INTERRUPTED_TEXT)) {
		parse_add(c, EVENT_INTERRUPTED, t, strlen(t));
		return;
	}
	for (w = wrappers; *w; w++)
		if (starts_with(t, *w))
			return;
	if (*user >= 0 && *user == (long)c->s->nevents - 1)
		parse_append(c, *user, text, strlen(text));
	else
		*user = parse_add(c, EVENT_USER, text, strlen(text));
}

/*
 * A tool_result's content: a string (borrowed, *owned NULL) or an array of
 * text blocks, joined into *owned, which the caller frees.
 */
static const char *result_text(const cJSON *content, char **owned)
{
	struct strbuf sb;
	const cJSON *b;

	*owned = NULL;
	if (cJSON_IsString(content))
		return content->valuestring;
	strbuf_init(&sb, STRBUF_NOLIMIT);
	cJSON_ArrayForEach(b, content) {
		const char *t = json_str(b, "text");

		if (!t)
			continue;
		if (sb.len)
			strbuf_addch(&sb, '\n');
		strbuf_addstr(&sb, t);
	}
	*owned = strbuf_detach(&sb, NULL);
	return *owned;
}

static void tool_result(struct parse_ctx *c, const cJSON *b)
{
	const char *id = json_str(b, "tool_use_id");
	char *owned;
	const char *text = result_text(cJSON_GetObjectItemCaseSensitive(b, "content"), &owned);
	const char *tool = NULL, *t = skip_space(text);
	struct event *e;
	long call, i;

	if (id && strmap_get(&c->calls, id, &call))
		tool = c->s->events[call].tool;
	if (starts_with(t, REJECTED_TEXT) || starts_with(t, REJECTED_TEXT_V1)) {
		i = parse_add(c, EVENT_REJECTED, t, strlen(t));
	} else if (starts_with(t, INTERRUPTED_TEXT)) {
		i = parse_add(c, EVENT_INTERRUPTED, t, strlen(t));
	} else {
		i = parse_add(c, EVENT_TOOL_RESULT, text, strlen(text));
		e = &c->s->events[i];
		e->is_error = json_true(b, "is_error");
		if (starts_with(t, "Exit code ")) {
			char *end;
			long code = strtol(t + 10, &end, 10);

			if (end != t + 10 && code >= 0 && code < 1 << 16) {
				e->exit_code = (int)code;
				e->is_error = code != 0;
			}
		} else if (starts_with(t, "<tool_use_error>")) {
			e->is_error = 1;
		}
	}
	e = &c->s->events[i];
	parse_set_str(&e->tool, tool);
	parse_set_str(&e->call_id, id);
	free(owned);
}

static void tool_use(struct parse_ctx *c, const cJSON *b)
{
	const char *name = json_str(b, "name"), *id = json_str(b, "id");
	const cJSON *input = cJSON_GetObjectItemCaseSensitive(b, "input");
	const char *cmd = json_str(input, "command");
	long i = parse_add_call(c, name, id, name && !strcmp(name, "Bash") ? cmd : NULL, input);

	if (id)
		strmap_set(&c->calls, id, i);
}

static void user_line(struct parse_ctx *c, const cJSON *root)
{
	const cJSON *msg = json_obj(root, "message");
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(msg, "content");
	const cJSON *b;
	long user = -1;

	if (json_true(root, "isMeta") || json_true(root, "isCompactSummary"))
		return;
	if (cJSON_IsString(content)) {
		user_text(c, content->valuestring, &user);
		return;
	}
	cJSON_ArrayForEach(b, content) {
		const char *type = json_str(b, "type");

		if (!type)
			continue;
		if (!strcmp(type, "text") && json_str(b, "text"))
			user_text(c, json_str(b, "text"), &user);
		else if (!strcmp(type, "tool_result"))
			tool_result(c, b);
	}
}

static void assistant_text(struct parse_ctx *c, const char *text)
{
	if (!*skip_space(text))
		return;
	if (c->asst >= 0 && c->asst == (long)c->s->nevents - 1)
		parse_append(c, c->asst, text, strlen(text));
	else
		c->asst = parse_add(c, EVENT_ASSISTANT, text, strlen(text));
}

static void assistant_line(struct parse_ctx *c, const cJSON *root)
{
	const cJSON *msg = json_obj(root, "message");
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(msg, "content");
	const char *id = json_str(msg, "id");
	const cJSON *b;

	if (!id || !c->msg_id || strcmp(id, c->msg_id)) {
		parse_set_str(&c->msg_id, id);
		c->asst = -1;
		parse_count_model(c, json_str(msg, "model"));
	}
	if (cJSON_IsString(content)) {
		assistant_text(c, content->valuestring);
		return;
	}
	cJSON_ArrayForEach(b, content) {
		const char *type = json_str(b, "type");

		if (!type)
			continue;
		if (!strcmp(type, "text") && json_str(b, "text"))
			assistant_text(c, json_str(b, "text"));
		else if (!strcmp(type, "tool_use"))
			tool_use(c, b);
	}
}

static int has_parent(const cJSON *root)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "parentUuid");

	return cJSON_IsString(p) && *p->valuestring;
}

static void claude_line(struct parse_ctx *c, const cJSON *root, const char *type)
{
	struct session_meta *m = &c->s->meta;
	int was_sub = c->subagent;

	if (!strlist_has(known_types, type)) {
		c->s->skipped_lines++;
		return;
	}
	/* A file of summary lines only is still Claude Code's. */
	parse_meta(c, &m->agent, "claude-code");
	if (strcmp(type, "user") && strcmp(type, "assistant"))
		return;
	/*
	 * A session resumed in its file goes on from its last message: the
	 * new id's lines have a parent. Another id on a line with none is
	 * another conversation's first message (`cat a.jsonl b.jsonl`).
	 */
	if (parse_session_id(c, json_str(root, "sessionId"), !has_parent(root)))
		return;
	parse_timestamp(c, root);
	parse_meta(c, &m->agent, "claude-code");
	parse_meta(c, &m->agent_version, json_str(root, "version"));
	parse_meta(c, &m->project, json_str(root, "cwd"));
	if (json_true(root, "isSidechain"))
		c->subagent = 1;
	if (!strcmp(type, "user"))
		user_line(c, root);
	else
		assistant_line(c, root);
	c->subagent = was_sub;
}

const struct format format_claude = {
	.name = "claude-code",
	.detect = claude_detect,
	.skip = claude_skip,
	.line = claude_line,
};
