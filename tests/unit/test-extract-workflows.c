/*
 * test-extract-workflows.c: action runs per session, trivial runs dropped,
 * the steps' background, noise told from signal, maximal runs kept.
 */
#include "tests/unit/test-extract.h"
#include "extractors/calls.h"
#include "extractors/workflows.h"

static struct tsession s;
static struct tobs_list l;

static void tdd_session(const char *id, const char *user, const char *agent, int noise)
{
	const char *shell = strcmp(agent, "codex") ? "Bash" : "exec_command";

	ts_start(&s, id, user, agent);
	ts_user(&s, "add the feature");
	ts_call(&s, "Read", "{\"file_path\":\"/srv/app/app.py\"}", 0, "code");
	if (noise)
		ts_call(&s, "Grep", "{\"pattern\":\"def\"}", 0, "x");
	ts_call(&s, "Edit", "{\"file_path\":\"/srv/app/tests/test_app.py\"}", 0, "ok");
	ts_call(&s, "Edit", "{\"file_path\":\"/srv/app/tests/test_more.py\"}", 0, "ok");
	ts_call(&s, shell, "make gen", 0, "ok");
	ts_call(&s, shell, "pytest -q", 1, "1 failed");
	ts_call(&s, "TodoWrite", "{\"todos\":[]}", 0, "ok");
	if (strcmp(agent, "codex"))
		ts_call(&s, "Edit", "{\"file_path\":\"/srv/app/app.py\"}", 0, "ok");
	else
		ts_call(&s, "apply_patch", "*** Begin Patch\n*** Update File: app.py\n@@\n-a\n+b\n", 0, "ok");
	ts_call(&s, shell, "pytest -q", 0, "3 passed");
	ts_call(&s, shell, "ruff check .", 0, "ok");
	ts_call(&s, shell, "git commit -am 'feat'", 0, "ok");
	ts_feed("workflows", &s, &l);
}

static void test_ngrams(void)
{
	const char *test = "pytest -q", *commit = "git commit -am <message>";
	const struct tobs *o;
	size_t i;

	tobs_clear(&l);
	tdd_session("w1", "alice", "claude-code", 0);
	/* looking (Read, Grep) is not a step; bookkeeping (TodoWrite) neither */
	for (i = 0; i < l.n; i++) {
		CHECK(!strstr(l.v[i].key, "Read") && !strstr(l.v[i].key, "TodoWrite"));
		if (i)
			CHECK(strcmp(l.v[i - 1].key, l.v[i].key) < 0);
	}
	/* the failed pytest may end a run but not sit inside one */
	o = tobs_find(&l, "make gen -> pytest -q", "w1");
	CHECK(o != NULL && o->count == 1 && !o->succeeded);
	CHECK(tobs_find(&l, "make gen -> pytest -q -> Edit *.py", "w1") == NULL);
	/* the edit between the failure and the retry that worked is its fix */
	CHECK(tobs_find(&l, "make gen -> pytest -q -> Edit *.py -> pytest -q", "w1") == NULL);
	/* edits and commits (workflow-filler) never begin or end a run */
	CHECK(tobs_find(&l, "Edit *.py -> make gen", "w1") == NULL);
	CHECK(tobs_find(&l, "Edit *.py -> make gen -> pytest -q", "w1") == NULL);
	CHECK(tobs_find(&l, "pytest -q -> ruff check . -> git commit -am <message>", "w1") == NULL);
	/* a run may start at the retry */
	o = tobs_find(&l, "pytest -q -> ruff check .", "w1");
	CHECK(o != NULL && o->succeeded && o->count == 1);
	if (o) {
		CHECK_STR(o->kind, "workflow");
		CHECK(o->seq == 15);
	}
	/* every step alone, the curator's background: shell steps by command line */
	o = tobs_find(&l, test, "w1");
	CHECK(o != NULL && o->count == 2 && o->succeeded);
	o = tobs_find(&l, commit, "w1");
	CHECK(o != NULL && o->count == 1);
	o = tobs_find(&l, "Edit *.py", "w1");
	CHECK(o != NULL && o->count == 2);
	/* the same from codex, another user, with a Grep in the middle */
	tdd_session("w2", "bob", "codex", 1);
	CHECK(tobs_find(&l, "make gen -> pytest -q", "w2") != NULL);
	CHECK(tobs_find(&l, "pytest -q -> ruff check .", "w2") != NULL);
}

/*
 * A workflow says something only with two informative steps at its ends
 * (not in most sessions of several projects) that mostly come in this order.
 */
static void test_noise(void)
{
	const struct workflow_step bg[] = {	/* sorted by step */
		{ "Edit *.py", 90, 3 },
		{ "cmake --build build -j", 20, 1 },
		{ "ctest --test-dir build", 20, 1 },
		{ "git commit -m <message>", 80, 4 },
		{ "make", 70, 1 },
		{ "npm test", 40, 2 },
	};
	size_t n = sizeof(bg) / sizeof(*bg);

	CHECK(workflow_noise("cmake --build build -j -> ctest --test-dir build", 18, 100, bg, n) == NULL);
	/* filler at an end: the run without it plus noise */
	CHECK(workflow_noise("Edit *.py -> cmake --build build -j -> ctest --test-dir build",
			     15, 100, bg, n) != NULL);
	CHECK(workflow_noise("cmake --build build -j -> ctest --test-dir build -> "
			     "git commit -m <message>", 15, 100, bg, n) != NULL);
	/* filler inside is allowed, the ends carry it */
	CHECK(workflow_noise("cmake --build build -j -> Edit *.py -> ctest --test-dir build",
			     12, 100, bg, n) == NULL);
	/* everything every agent does */
	CHECK(workflow_noise("Edit *.py -> git commit -m <message>", 70, 100, bg, n) != NULL);
	/* one project's every session is its own way, not filler */
	CHECK(workflow_noise("make -> cmake --build build -j", 15, 100, bg, n) == NULL);
	/* steps that merely happened one after the other: not cohesive */
	CHECK(workflow_noise("npm test -> cmake --build build -j", 9, 100, bg, n) != NULL);
	CHECK(workflow_noise("npm test -> cmake --build build -j", 10, 100, bg, n) == NULL);
	/* a step with no background count is as rare as the run */
	CHECK(workflow_noise("uv sync -> uv run pytest", 3, 100, bg, n) == NULL);
	CHECK(workflow_noise("uv sync -> uv run pytest", 3, 100, NULL, 0) == NULL);
	/* in a small store, a step in every session of two projects is filler too */
	CHECK(workflow_noise("npm test -> make", 3, 4, bg, n) != NULL);
}

static void test_maximal(void)
{
	struct workflow_candidate c[] = {
		{ "Edit *.py -> pytest", 5, -1 },
		{ "Edit *.py -> pytest -> git commit", 5, -1 },
		{ "pytest -> git commit", 7, -1 },
		{ "git commit -> git push", 3, -1 },
		{ "Edit *.py -> pytes", 5, -1 },
	};

	workflow_maximal(c, 5);
	CHECK(c[0].keep == 0);
	CHECK(c[1].keep == 1);
	CHECK(c[2].keep == 1);
	CHECK(c[3].keep == 1);
	CHECK(c[4].keep == 1);
	CHECK(workflow_contains("a -> b -> c", "b -> c"));
	CHECK(!workflow_contains("a -> bb -> c", "b -> c"));
	CHECK(!workflow_contains("a -> b", "a -> b"));
}

static void test_describe(void)
{
	const struct extractor_ops *ops = extractor_find("workflows");
	struct candidate_summary c = {
		.key = "Edit *.py -> pytest -> git commit", .sessions = 4, .users = 2,
		.agents = 2, .succeeded_sessions = 4,
	};
	char *title = NULL, *body = NULL, *cause = NULL;

	CHECK(ops->describe(&c, &title, &body, &cause) == 0);
	CHECK_STR(title, "Workflow: Edit *.py -> pytest -> git commit");
	CHECK_STR(body, "A sequence agents converged on: `Edit *.py`, then `pytest`, then "
		  "`git commit` (4 sessions, 2 users, 2 agents; it ended in success in 4).");
	free(title);
	free(body);
}

/*
 * Names of calls are remembered by tool, text and rules: the same text
 * under another tool or other rules is named again.
 */
static void test_names_remembered(void)
{
	struct rule_set none = { NULL, 0 };
	pcre2_match_data *md = matcher_data();
	struct xrules all, bare;
	struct calls cs;
	char *cause = NULL;
	int round;

	ts_start(&s, "memo", "ann", "claude-code");
	ts_call(&s, "Bash", "git commit -am 'x'", 0, "ok");
	ts_call(&s, "Edit", "{\"file_path\":\"/srv/a.py\"}", 0, "ok");
	ts_call(&s, "Write", "{\"file_path\":\"/srv/a.py\"}", 0, "ok");
	ts_call(&s, "Read", "{\"file_path\":\"/srv/a.py\"}", 0, "ok");
	ts_call(&s, "Bash", "git commit -am 'x'", 0, "ok");
	if (!test_cfg.rules.n)
		CHECK(config_load(&test_cfg, NULL) == 0);
	CHECK(xrules_init(&all, &test_cfg.rules, &cause) == 0);
	CHECK(xrules_init(&bare, &none, &cause) == 0);
	for (round = 0; round < 2; round++) {
		CHECK(calls_build(&cs, &all, s.ev, s.n, md) == 0);
		CHECK(cs.n == 5);
		CHECK_STR(cs.c[0].action, "git commit");
		CHECK_STR(cs.c[1].head, "Edit");
		CHECK_STR(cs.c[2].head, "Write");
		CHECK_STR(cs.c[2].action, "Edit *.py");	/* tool-alias */
		CHECK_STR(cs.c[3].head, "Read");
		CHECK_STR(cs.c[3].action, "Read *.py");
		CHECK(cs.c[3].readonly && !cs.c[2].readonly);
		CHECK_STR(cs.c[4].action, "git commit");
		CHECK_STR(cs.c[4].command, cs.c[0].command);
		CHECK(cs.c[0].shell && !cs.c[1].shell && cs.c[4].shell);
		calls_release(&cs);
		/* No command-head rules: git's subcommand is not part of the head. */
		CHECK(calls_build(&cs, &bare, s.ev, s.n, md) == 0);
		CHECK_STR(cs.c[0].action, "git");
		CHECK_STR(cs.c[2].action, "Write *.py");
		CHECK_STR(cs.c[4].action, "git");
		calls_release(&cs);
	}
	xrules_release(&bare);
	xrules_release(&all);
	pcre2_match_data_free(md);
}

/*
 * A session of hundreds of made-up commands gives no more than 2048
 * n-grams, and those it keeps are the ones it repeats.
 */
static void test_bounded(void)
{
	char cmd[64];
	size_t n = 0, i;
	int k;
	const struct tobs *o;

	ts_start(&s, "flood", "ann", "claude-code");
	ts_user(&s, "go");
	for (k = 0; k < 480; k++) {
		snprintf(cmd, sizeof(cmd), "tool%04d --run", k);
		ts_sh(&s, cmd, 0, "ok");
		if (k % 24 == 0) {
			ts_sh(&s, "make", 0, "ok");
			ts_sh(&s, "make test", 0, "ok");
		}
	}
	tobs_clear(&l);
	ts_feed("workflows", &s, &l);
	for (i = 0; i < l.n; i++)
		n += !strcmp(l.v[i].extractor, "workflows");
	CHECK(n == 2048);
	o = tobs_find(&l, "make -> make test", "flood");
	CHECK(o && o->count == 20);
	/* Of the n-grams seen once, the last in key order went. */
	CHECK(tobs_find(&l, "tool0000 --run -> make -> make test", "flood") != NULL);
	CHECK(tobs_find(&l, "tool0478 --run -> tool0479 --run", "flood") == NULL);
	tobs_clear(&l);
}

/*
 * A result finds its call by id (the latest of that id, an index, not a
 * walk); one whose id names no call, the latest open call of its tool that
 * has no id, among the last 1024 calls.
 */
static void test_pairing(void)
{
	pcre2_match_data *md = matcher_data();
	struct xrules x;
	struct calls cs;
	struct event *e;
	char *cause = NULL;
	int i;

	if (!test_cfg.rules.n)
		CHECK(config_load(&test_cfg, NULL) == 0);
	CHECK(xrules_init(&x, &test_cfg.rules, &cause) == 0);
	ts_start(&s, "pairs", "ann", "codex");
	ts_add(&s, EVENT_TOOL_CALL, "Bash", "ls");		/* 0: no id */
	e = ts_add(&s, EVENT_TOOL_CALL, "Bash", "pwd");		/* 1: id a */
	e->call_id = strdup("a");
	e = ts_add(&s, EVENT_TOOL_CALL, "Bash", "id");		/* 2: id a again */
	e->call_id = strdup("a");
	e = ts_add(&s, EVENT_TOOL_RESULT, "Bash", "uid=0");	/* -> 2, the latest a */
	e->call_id = strdup("a");
	e = ts_add(&s, EVENT_TOOL_RESULT, "Bash", "x");		/* names no call -> 0 */
	e->call_id = strdup("zz");
	e = ts_add(&s, EVENT_TOOL_RESULT, "Bash", "again");	/* a is answered: dropped */
	e->call_id = strdup("a");
	CHECK(calls_build(&cs, &x, s.ev, s.n, md) == 0);
	CHECK(cs.n == 3 && cs.c[0].res == 4 && cs.c[1].res == -1 && cs.c[2].res == 3);
	calls_release(&cs);

	ts_start(&s, "far", "ann", "aider");
	ts_add(&s, EVENT_TOOL_CALL, "Edit", "{}");		/* open, far back */
	for (i = 0; i < 1023; i++)
		ts_add(&s, EVENT_TOOL_CALL, "Bash", "ls");	/* another tool's */
	ts_add(&s, EVENT_TOOL_RESULT, "Edit", "done");		/* 1024 calls back: found */
	CHECK(calls_build(&cs, &x, s.ev, s.n, md) == 0);
	CHECK(cs.n == 1024 && cs.c[0].res == (long)s.n - 1);
	calls_release(&cs);
	s.n--;
	free(s.ev[s.n].tool);
	free(s.ev[s.n].text);
	ts_add(&s, EVENT_TOOL_CALL, "Bash", "ls");
	ts_add(&s, EVENT_TOOL_RESULT, "Edit", "done");		/* 1025 back: past the bound */
	CHECK(calls_build(&cs, &x, s.ev, s.n, md) == 0);
	CHECK(cs.n == 1025 && cs.c[0].res == -1);
	calls_release(&cs);
	xrules_release(&x);
	pcre2_match_data_free(md);
}

int main(void)
{
	test_pairing();
	test_bounded();
	test_names_remembered();
	test_ngrams();
	test_noise();
	test_maximal();
	test_describe();
	test_extract_done(&s, &l);
	return unit_done();
}
