/*
 * parse-dreamd.c: dreamd's own event JSONL (schemas/events.md), the
 * format digests are stored in and `dreamd events` prints.
 */
#include <stdlib.h>
#include <string.h>

#include "dreamd/parse.h"
#include "dreamd/util.h"

static int dreamd_detect(const cJSON *root, const char *type)
{
	return cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "dreamd_events"));
}

static int64_t time_field(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	int64_t ms;

	/* Only times a transcript can hold; a cast of 1e300 is undefined. */
	if (cJSON_IsNumber(v))
		return v->valuedouble >= 0 && v->valuedouble < 9.2e15 ?
			(int64_t)v->valuedouble : 0;
	if (cJSON_IsString(v) && (ms = parse_iso8601(v->valuestring)) > 0)
		return ms;
	return 0;
}

static void header(struct parse_ctx *c, const cJSON *root)
{
	struct session_meta *m = &c->s->meta;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "dreamd_events");

	if (c->header_seen) {
		parse_bad(c, "second-header", "more than one session header");
		return;
	}
	if (v->valuedouble != 1) {
		parse_bad(c, "unknown-version", "unknown dreamd events version");
		return;
	}
	c->header_seen = 1;
	if (c->main_file)
		parse_meta(c, &m->id, json_str(root, "session"));
	parse_meta(c, &m->user, json_str(root, "user"));
	parse_meta(c, &m->agent, json_str(root, "agent"));
	parse_meta(c, &m->agent_version, json_str(root, "agent_version"));
	parse_meta(c, &m->model, json_str(root, "model"));
	parse_meta(c, &m->project, json_str(root, "project"));
	if (!m->started)
		m->started = time_field(root, "started");
	if (!m->ended)
		m->ended = time_field(root, "ended");
}

static void dreamd_line(struct parse_ctx *c, const cJSON *root, const char *type)
{
	const cJSON *ec;
	enum event_kind kind;
	const char *text;
	struct event *e;
	long i;
	int sub = c->subagent;

	if (cJSON_GetObjectItemCaseSensitive(root, "dreamd_events")) {
		header(c, root);
		return;
	}
	kind = event_kind_from_name(json_str(root, "kind"));
	if (!kind) {
		c->s->skipped_lines++;
		return;
	}
	c->ts = time_field(root, "ts");
	text = json_str(root, "text");
	if (json_true(root, "subagent"))
		c->subagent = 1;
	i = parse_add(c, kind, text, text ? strlen(text) : 0);
	c->subagent = sub;
	e = &c->s->events[i];
	parse_set_str(&e->tool, json_str(root, "tool"));
	parse_set_str(&e->call_id, json_str(root, "call_id"));
	e->is_error = json_true(root, "is_error");
	ec = cJSON_GetObjectItemCaseSensitive(root, "exit_code");
	if (cJSON_IsNumber(ec) && ec->valuedouble >= 0 && ec->valuedouble < 1 << 16)
		e->exit_code = ec->valueint;
}

const struct format format_dreamd = {
	.name = "dreamd",
	.detect = dreamd_detect,
	.line = dreamd_line,
};
