/*
 * parse-gemini.c: Gemini CLI sessions, both the JSON lines and the older
 * single JSON document.
 *
 * Gemini CLI records each chat under ~/.gemini/tmp/<projectHash>/chats/
 * (packages/core/src/services/chatRecordingService.ts in
 * google-gemini/gemini-cli). The older session-<time>-<id8>.json is one
 * pretty-printed object {sessionId, projectHash, startTime, lastUpdated,
 * [kind], messages[]}, rewritten whole on every update (parse-doc.c cuts
 * it into messages). The newer session-*.jsonl starts with that metadata
 * less the messages, then appends one MessageRecord per line; a message
 * written again (its tool calls or tokens updated) replaces the earlier
 * copy, {"$rewindTo": id} drops that message and all after it, and
 * {"$set": {...}} patches the metadata (a "messages" array there replaces
 * them all). A subagent's chat (kind "subagent") lies in
 * chats/<parentSessionId>/<sessionId>.jsonl.
 *
 * MessageRecord {id, timestamp, type: user|gemini|info|error|warning,
 * content: string or [{text}], model, toolCalls[{id, name, args, result:
 * [{functionResponse: {response: {output|error}}}], status:
 * success|error|cancelled, timestamp, description}]}. A shell command's
 * exit status is only in its output text ("Exit Code: N", absent for 0)
 * while its status stays success; of that text only the command's output
 * (and its stderr) is kept, not the Command:/Exit Code: frame around it,
 * so it reads as other agents' shell output does. A cancelled call the user did not allow
 * is a rejection, any other cancelled call an interruption. The project
 * directory is not recorded; the shell tool's description ends with
 * "[current working directory DIR]", which gives it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/parse.h"
#include "dreamd/util.h"

#define SHELL_TOOL "run_shell_command"
#define OUTPUT_MARK "Output: "
#define CWD_MARK "[current working directory "

static int is_message_type(const char *t)
{
	return t && (!strcmp(t, "user") || !strcmp(t, "gemini") || !strcmp(t, "info") ||
		     !strcmp(t, "error") || !strcmp(t, "warning"));
}

static int gemini_detect(const cJSON *root, const char *type)
{
	(void)type;
	return json_str(root, "sessionId") && json_str(root, "projectHash");
}

static int gemini_detect_member(const char *key, const cJSON *item)
{
	if (!key)
		return 0;
	if (!strcmp(key, "projectHash"))
		return cJSON_IsString(item);
	return !strcmp(key, "messages") && json_str(item, "id") &&
		is_message_type(json_str(item, "type"));
}

/* A string, or the text parts of a Part list joined, into sb. */
static void content_text(const cJSON *content, struct strbuf *sb)
{
	const cJSON *p;

	if (cJSON_IsString(content)) {
		strbuf_addstr(sb, content->valuestring);
		return;
	}
	cJSON_ArrayForEach(p, content) {
		const char *t = cJSON_IsString(p) ? p->valuestring : json_str(p, "text");

		if (t && *t) {
			if (sb->len)
				strbuf_addch(sb, '\n');
			strbuf_addstr(sb, t);
		}
	}
}

static void text_event(struct parse_ctx *c, enum event_kind kind, const cJSON *content)
{
	struct strbuf sb;

	strbuf_init(&sb, STRBUF_NOLIMIT);
	content_text(content, &sb);
	if (sb.len)
		parse_add(c, kind, sb.buf, sb.len);
	strbuf_release(&sb);
}

/* "[current working directory /x/y]" at the end of a shell call's description. */
static void project_from(struct parse_ctx *c, const char *desc)
{
	const char *p = desc ? strstr(desc, CWD_MARK) : NULL;
	const char *end;
	char *dir;

	if (!p || c->s->meta.project)
		return;
	p += strlen(CWD_MARK);
	end = strchr(p, ']');
	if (!end || end == p)
		return;
	dir = xstrndup(p, (size_t)(end - p));
	parse_meta(c, &c->s->meta.project, dir);
	free(dir);
}

static int trailer_line(const char *l)
{
	static const char *const keys[] = {
		"Error: ", "Exit Code: ", "Signal: ", "Background PIDs: ", "Process Group PGID: ", NULL
	};
	const char *const *k;

	for (k = keys; *k; k++)
		if (starts_with(l, *k))
			return 1;
	return 0;
}

/*
 * A shell call's output is "Command: ...\nDirectory: ...\nOutput: TEXT"
 * then trailer lines (Error:, Exit Code:, Signal:, ...): TEXT into sb, and
 * the Error: line's text after it unless it is "(none)". 0 when out is not
 * of that shape.
 */
static int shell_text(const char *out, struct strbuf *sb)
{
	const char *p = starts_with(out, OUTPUT_MARK) ? out : strstr(out, "\n" OUTPUT_MARK);
	const char *end, *l, *err = NULL;

	if (!p)
		return 0;
	p += (*p == '\n') + strlen(OUTPUT_MARK);
	end = p + strlen(p);
	/* The trailer: the last lines, each starting with a trailer key. */
	for (;;) {
		for (l = end; l > p && l[-1] != '\n'; l--)
			;
		if (l == p || !trailer_line(l))
			break;
		if (starts_with(l, "Error: "))
			err = l;
		end = l - 1;
	}
	if (!(end - p == 7 && !strncmp(p, "(empty)", 7)))
		strbuf_add(sb, p, (size_t)(end - p));
	if (err && !starts_with(err, "Error: (none)")) {
		const char *e = strchr(err, '\n');

		if (sb->len)
			strbuf_addch(sb, '\n');
		strbuf_add(sb, err + 7, e ? (size_t)(e - err - 7) : strlen(err + 7));
	}
	return 1;
}

/* The output (or error) of a call's first functionResponse. */
static const char *call_output(const cJSON *call, int *is_error)
{
	const cJSON *r = json_arr(call, "result"), *p;
	const char *out;

	cJSON_ArrayForEach(p, r) {
		const cJSON *resp = json_obj(json_obj(p, "functionResponse"), "response");

		if ((out = json_str(resp, "error"))) {
			*is_error = 1;
			return out;
		}
		if ((out = json_str(resp, "output")))
			return out;
	}
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(call, "result")))
		return cJSON_GetObjectItemCaseSensitive(call, "result")->valuestring;
	return json_str(call, "resultDisplay");
}

static void tool_call(struct parse_ctx *c, const cJSON *call)
{
	const char *name = json_str(call, "name"), *id = json_str(call, "id");
	const char *status = json_str(call, "status"), *out, *ec, *sig;
	const cJSON *args = json_obj(call, "args");
	int shell = name && !strcmp(name, SHELL_TOOL), is_error = 0;
	struct strbuf sb;
	struct event *e;
	long i;

	parse_timestamp(c, call);
	if (shell)
		project_from(c, json_str(call, "description"));
	parse_add_call(c, name, id, shell ? json_str(args, "command") : NULL, args);
	if (!status)
		return;		/* still running when the file was written */
	out = call_output(call, &is_error);
	if (!strcmp(status, "cancelled")) {
		enum event_kind k = out && strstr(out, "did not allow") ?
			EVENT_REJECTED : EVENT_INTERRUPTED;

		i = parse_add(c, k, out, out ? strlen(out) : 0);
		parse_set_str(&c->s->events[i].tool, name);
		return;
	}
	strbuf_init(&sb, STRBUF_NOLIMIT);
	if (shell && out && shell_text(out, &sb))
		i = parse_add(c, EVENT_TOOL_RESULT, sb.buf, sb.len);
	else
		i = parse_add(c, EVENT_TOOL_RESULT, out, out ? strlen(out) : 0);
	strbuf_release(&sb);
	e = &c->s->events[i];
	parse_set_str(&e->tool, name);
	parse_set_str(&e->call_id, id);
	e->is_error = is_error || !strcmp(status, "error");
	ec = shell && out ? strstr(out, "Exit Code: ") : NULL;
	if (ec && ec[11] >= '0' && ec[11] <= '9') {
		e->exit_code = atoi(ec + 11);
		if (e->exit_code)
			e->is_error = 1;
	} else if (shell && (sig = strstr(out ? out : "", "Signal: ")) &&
		   sig[8] >= '0' && sig[8] <= '9') {
		e->is_error = 1;	/* killed by a signal */
	} else if (shell && !e->is_error) {
		e->exit_code = 0;	/* "Exit Code: (none)", or none written: it exited 0 */
	}
}

static void message(struct parse_ctx *c, const cJSON *m)
{
	const char *type = json_str(m, "type");
	const cJSON *calls = json_arr(m, "toolCalls"), *t;

	parse_timestamp(c, m);
	if (!type)
		return;
	if (!strcmp(type, "user")) {
		text_event(c, EVENT_USER, cJSON_GetObjectItemCaseSensitive(m, "content"));
	} else if (!strcmp(type, "gemini")) {
		parse_count_model(c, json_str(m, "model"));
		text_event(c, EVENT_ASSISTANT, cJSON_GetObjectItemCaseSensitive(m, "content"));
		cJSON_ArrayForEach(t, calls)
			if (cJSON_IsObject(t))
				tool_call(c, t);
	}
	/* info, warning and error messages are the CLI's own. */
}

static void meta_member(struct parse_ctx *c, const char *key, const cJSON *v)
{
	if (!strcmp(key, "sessionId") && cJSON_IsString(v)) {
		parse_meta(c, &c->s->meta.id, v->valuestring);
	} else if (!strcmp(key, "kind") && cJSON_IsString(v) &&
		   !strcmp(v->valuestring, "subagent")) {
		c->subagent = 1;
	} else if (!strcmp(key, "startTime") && cJSON_IsString(v)) {
		int64_t ms = parse_iso8601(v->valuestring);

		if (ms > 0 && !c->ts)
			c->ts = ms;
	}
}

static void gemini_member(struct parse_ctx *c, const char *key, const cJSON *item)
{
	parse_meta(c, &c->s->meta.agent, "gemini-cli");
	if (!key)
		return;
	if (!strcmp(key, "messages"))
		message(c, item);
	else
		meta_member(c, key, item);
}

/* JSON lines: a message written again replaces its earlier events. */
static void record(struct parse_ctx *c, const cJSON *m)
{
	const char *id = json_str(m, "id");
	long first;

	if (c->last_msg && !strcmp(c->last_msg, id) && strmap_get(&c->msgs, id, &first)) {
		parse_truncate(c, (size_t)first);
	} else if (strmap_get(&c->msgs, id, &first)) {
		return;		/* an update of an older message: the first copy stands */
	}
	strmap_set(&c->msgs, id, (long)c->s->nevents);
	parse_set_str(&c->last_msg, id);
	message(c, m);
}

static void rewind_to(struct parse_ctx *c, const char *id)
{
	long first;

	if (!strmap_get(&c->msgs, id, &first))
		first = (long)c->file_from;
	parse_truncate(c, (size_t)first);
	/* The ids after it are gone: they may come again. */
	strmap_release(&c->msgs);
	memset(&c->msgs, 0, sizeof(c->msgs));
	parse_set_str(&c->last_msg, NULL);
}

static void gemini_line(struct parse_ctx *c, const cJSON *root, const char *type)
{
	const cJSON *set = json_obj(root, "$set"), *msgs, *m;
	const char *rw = json_str(root, "$rewindTo");

	(void)type;
	parse_meta(c, &c->s->meta.agent, "gemini-cli");
	if (rw) {
		rewind_to(c, rw);
	} else if (set) {
		if ((msgs = json_arr(set, "messages"))) {
			rewind_to(c, "");
			cJSON_ArrayForEach(m, msgs)
				if (json_str(m, "id"))
					record(c, m);
		}
		cJSON_ArrayForEach(m, set)
			if (strcmp(m->string, "messages"))
				meta_member(c, m->string, m);
	} else if (json_str(root, "id") && is_message_type(json_str(root, "type"))) {
		record(c, root);
	} else if (json_str(root, "sessionId")) {
		/*
		 * The metadata line, or a whole document on one line. Another
		 * one of another id: two files' lines, one after the other.
		 */
		if (parse_session_id(c, json_str(root, "sessionId"), 1))
			return;
		doc_members(c, root);
	} else {
		c->s->skipped_lines++;
	}
}

const struct format format_gemini = {
	.name = "gemini-cli",
	.detect = gemini_detect,
	.line = gemini_line,
	.detect_member = gemini_detect_member,
	.member = gemini_member,
};
