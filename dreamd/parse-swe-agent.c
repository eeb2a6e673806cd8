/*
 * parse-swe-agent.c: SWE-agent trajectories (.traj).
 *
 * SWE-agent (SWE-agent/SWE-agent, sweagent/agent/agents.py: save_trajectory)
 * writes trajectories/<user>/<run>/<instance>/<instance>.traj (0.x:
 * <run>/<instance>.traj), one pretty-printed JSON object {environment,
 * trajectory[], history[], info, [replay_config]}; parse-doc.c cuts it into
 * steps. A trajectory step {action, observation, thought, response, state}
 * is one shell command: the thought is the model's text, the action the
 * command (SWE-agent's tools are commands too), the observation its
 * output; state (a dict in 1.x, a JSON string in 0.x) gives the
 * working_dir. history[] is the model conversation; of it only the task
 * is taken, the first non-demonstration user entry (the rest repeats the
 * steps), and it is moved ahead of the steps when it comes after them.
 * There are no timestamps and no exit codes; info.exit_status tells how
 * the run ended. The session id is `environment` in 1.x (the instance),
 * else the file's name.
 */
#include <stdlib.h>
#include <string.h>

#include "dreamd/parse.h"
#include "dreamd/util.h"

static int swe_detect_member(const char *key, const cJSON *item)
{
	if (!key)
		return 0;
	if (!strcmp(key, "trajectory"))
		return cJSON_IsObject(item) &&
			cJSON_IsString(cJSON_GetObjectItemCaseSensitive(item, "action")) &&
			cJSON_GetObjectItemCaseSensitive(item, "observation") != NULL;
	return !strcmp(key, "history") && json_str(item, "role") &&
		cJSON_GetObjectItemCaseSensitive(item, "content") != NULL;
}

/* The file's name less its directory and ".traj[.zst]". */
static void id_from_path(struct parse_ctx *c)
{
	const char *base = strrchr(c->path, '/');
	char *id = xstrdup(base ? base + 1 : c->path), *dot;

	if ((dot = strstr(id, ".traj")))
		*dot = '\0';
	parse_meta(c, &c->s->meta.id, id);
	free(id);
}

static void working_dir(struct parse_ctx *c, const cJSON *state)
{
	cJSON *parsed = NULL;

	if (c->s->meta.project)
		return;
	if (cJSON_IsString(state)) {
		/* 0.x: a JSON string; parsed outside the line arena. */
		parsed = cJSON_Parse(state->valuestring);
		state = parsed;
	}
	parse_meta(c, &c->s->meta.project, json_str(state, "working_dir"));
	cJSON_Delete(parsed);
}

static void step(struct parse_ctx *c, const cJSON *st)
{
	const char *thought = json_str(st, "thought"), *action = json_str(st, "action");
	const char *obs = json_str(st, "observation");
	size_t n;
	long i;

	working_dir(c, cJSON_GetObjectItemCaseSensitive(st, "state"));
	if (thought && *thought)
		parse_add(c, EVENT_ASSISTANT, thought, strlen(thought));
	if (!action)
		return;
	n = strlen(action);
	while (n && (action[n - 1] == '\n' || action[n - 1] == ' '))
		n--;
	if (!n)
		return;
	i = parse_add(c, EVENT_TOOL_CALL, action, n);
	parse_set_str(&c->s->events[i].tool, "bash");
	i = parse_add(c, EVENT_TOOL_RESULT, obs, obs ? strlen(obs) : 0);
	parse_set_str(&c->s->events[i].tool, "bash");
}

/* The text of a history entry: a string, or (1.x) a list of text parts. */
static void entry_text(const cJSON *content, struct strbuf *sb)
{
	const cJSON *p;

	if (cJSON_IsString(content)) {
		strbuf_addstr(sb, content->valuestring);
		return;
	}
	cJSON_ArrayForEach(p, content) {
		const char *t = json_str(p, "text");

		if (t)
			strbuf_addstr(sb, t);
	}
}

/* Moves the last event to index at. */
static void move_last(struct parse_ctx *c, size_t at)
{
	struct session *s = c->s;
	struct event e = s->events[s->nevents - 1];

	memmove(s->events + at + 1, s->events + at,
		(s->nevents - 1 - at) * sizeof(*s->events));
	s->events[at] = e;
}

static void history(struct parse_ctx *c, const cJSON *h)
{
	const char *role = json_str(h, "role");
	struct strbuf sb;

	if (c->swe_user_seen || !role || strcmp(role, "user") || json_true(h, "is_demo"))
		return;
	c->swe_user_seen = 1;
	strbuf_init(&sb, STRBUF_NOLIMIT);
	entry_text(cJSON_GetObjectItemCaseSensitive(h, "content"), &sb);
	if (sb.len) {
		parse_add(c, EVENT_USER, sb.buf, sb.len);
		move_last(c, c->file_from);
	}
	strbuf_release(&sb);
}

static void model(struct parse_ctx *c, const cJSON *replay)
{
	cJSON *cfg;

	if (!cJSON_IsString(replay))
		return;
	cfg = cJSON_Parse(replay->valuestring);
	parse_count_model(c, json_str(json_obj(json_obj(cfg, "agent"), "model"), "name"));
	cJSON_Delete(cfg);
}

static void swe_member(struct parse_ctx *c, const char *key, const cJSON *item)
{
	if (!c->s->meta.agent) {
		parse_meta(c, &c->s->meta.agent, "swe-agent");
		id_from_path(c);
	}
	if (!key)
		return;
	if (!strcmp(key, "trajectory"))
		step(c, item);
	else if (!strcmp(key, "history"))
		history(c, item);
	else if (!strcmp(key, "replay_config"))
		model(c, item);
	else if (!strcmp(key, "environment") && cJSON_IsString(item) &&
		 strcmp(item->valuestring, "swe_main")) {
		free(c->s->meta.id);
		c->s->meta.id = NULL;
		parse_meta(c, &c->s->meta.id, item->valuestring);
	}
}

const struct format format_swe_agent = {
	.name = "swe-agent",
	.member = swe_member,
	.detect_member = swe_detect_member,
};
