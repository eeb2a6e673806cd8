/*
 * test-extract-failing.c: failing-calls, tool-misuse and thrashing over
 * sessions built inline.
 */
#include "tests/unit/test-extract.h"
#include "extractors/calls.h"
#include "extractors/shell.h"

static struct tsession s;
static struct tobs_list l;

static const char upstream_fmt[] =
	"Exit code 128\nfatal: The current branch %s has no upstream branch.\n"
	"To push the current branch and set the remote as upstream, use\n\n"
	"    git push --set-upstream origin %s\n";

static void git_push_session(const char *id, const char *user, const char *branch)
{
	char out[512], fix[128];

	ts_start(&s, id, user, "claude-code");
	ts_user(&s, "ship it");
	ts_sh(&s, "git add -A && git commit -m \"feat: x\"", 0, "[main 1a2b3c4] feat: x");
	snprintf(out, sizeof(out), upstream_fmt, branch, branch);
	ts_sh(&s, "git push 2>&1", 128, out);
	snprintf(fix, sizeof(fix), "git push --set-upstream origin %s 2>&1", branch);
	ts_sh(&s, fix, 0, "branch set up to track");
	ts_feed("failing-calls", &s, &l);
}

static void test_branch_normalizes(void)
{
	const char *key = "git push => fatal: The current branch <branch> has no upstream branch.";
	const struct tobs *o;

	tobs_clear(&l);
	git_push_session("s1", "alice", "spotter-gqc");
	git_push_session("s2", "bob", "spotter-dov");
	git_push_session("s3", "alice", "feature/login-2");
	CHECK(l.n == 3);
	o = tobs_find(&l, key, "s1");
	CHECK(o != NULL);
	CHECK(tobs_find(&l, key, "s2") != NULL);
	CHECK(tobs_find(&l, key, "s3") != NULL);
	if (o) {
		CHECK_STR(o->subject, "git push");
		CHECK_STR(o->fix, "instead: git push --set-upstream origin <branch>");
		CHECK(o->fixed == 1);
		CHECK(o->behaviour && !o->user_authored);
		CHECK_STR(o->excerpt, "fatal: The current branch spotter-gqc has no upstream branch.");
		CHECK(o->seq == 3);
	}
	if (l.n != 3)
		tobs_dump(&l);
}

static void test_fix_between(void)
{
	const struct tobs *o;

	tobs_clear(&l);
	ts_start(&s, "s4", "carol", "codex");
	s.ev[0].kind = EVENT_USER;
	ts_call(&s, "exec_command", "bash -lc 'cd web && npm test'", 1,
		"> web@1.0.0 test\n> jest\n\nError: Cannot find module 'left-pad'\n"
		"Require stack:\n- /home/carol/web/src/index.js\n");
	ts_call(&s, "exec_command", "ls node_modules", 2, "ls: cannot access 'node_modules': No such file or directory");
	ts_call(&s, "exec_command", "npm install", 0, "added 312 packages in 4s");
	ts_call(&s, "exec_command", "npm test", 0, "Tests: 12 passed");
	ts_feed("failing-calls", &s, &l);
	o = tobs_find(&l, "npm test => Error: Cannot find module 'left-pad'", "s4");
	CHECK(o != NULL);
	if (o) {
		CHECK_STR(o->fix, "first: npm install");
		CHECK(o->fixed == 1);
		CHECK(o->count == 1);
	}
	/* the failing ls is a one-off of its own, never fixed */
	o = tobs_find(&l, "ls => ls: cannot access '<path>': No such file or directory", "s4");
	if (!o)
		o = tobs_find(&l, "ls => ls: cannot access 'node_modules': No such file or directory", "s4");
	CHECK(o != NULL && !o->fixed);
	if (l.n != 2)
		tobs_dump(&l);
	CHECK(l.n == 2);
}

static void test_changed_program(void)
{
	const struct tobs *o;

	tobs_clear(&l);
	ts_start(&s, "s5", "dave", "claude-code");
	ts_sh(&s, "python scripts/gen.py --out build", 127, "Exit code 127\n(eval):1: command not found: python");
	ts_sh(&s, "python3 scripts/gen.py --out build", 0, "ok");
	ts_feed("failing-calls", &s, &l);
	o = tobs_find(&l, "python => (eval):<n>: command not found: python", "s5");
	CHECK(o != NULL);
	if (o) {
		CHECK_STR(o->fix, "instead: python3 <path> --out build");
		CHECK(o->fixed);
	}
	if (!o)
		tobs_dump(&l);
}

/*
 * A compound command is the failure of the part that failed: the one its
 * error-line rule names (`git add` writes "paths are ignored"), or the one
 * the error line begins with ("cat: ..."); else its main command.
 */
static void test_compound(void)
{
	const struct tobs *o;

	tobs_clear(&l);
	ts_start(&s, "c1", "dave", "claude-code");
	ts_sh(&s, "git add build/out.log src/app.py && git commit -m 'x'", 1,
	      "The following paths are ignored by one of your .gitignore files:\nbuild\n"
	      "hint: Use -f if you really want to add them.");
	ts_sh(&s, "cd /srv && cat config/app.yml && make deploy", 1,
	      "cat: config/app.yml: No such file or directory");
	ts_sh(&s, "npm ci && npm test", 1, "Error: Cannot find module 'left-pad'");
	ts_sh(&s, "git add -A && git commit -m 'x'", 1, "[FORMAT] Code is not formatted.");
	ts_feed("failing-calls", &s, &l);
	o = tobs_find(&l, "git add => The following paths are ignored by one of your .gitignore "
		      "files:", "c1");
	CHECK(o != NULL);
	if (o)
		CHECK_STR(o->subject, "git add");
	CHECK(tobs_find(&l, "cat => cat: <path>: No such file or directory", "c1") != NULL);
	CHECK(tobs_find(&l, "npm test => Error: Cannot find module 'left-pad'", "c1") != NULL);
	CHECK(tobs_find(&l, "git commit => [FORMAT] Code is not formatted.", "c1") != NULL);
	if (l.n != 4)
		tobs_dump(&l);
	CHECK(l.n == 4);
	/* a blank line before the error (Codex's "Output:" block) hides nothing */
	tobs_clear(&l);
	ts_start(&s, "c2", "dave", "codex");
	ts_sh(&s, "git push", 128, "Chunk ID: 1\nProcess running with session ID 7\nOutput:\n\n"
	      "fatal: The current branch b has no upstream branch.\n\n"
	      "    git push --set-upstream origin b\n");
	ts_feed("failing-calls", &s, &l);
	CHECK(tobs_find(&l, "git push => fatal: The current branch <branch> has no upstream "
			"branch.", "c2") != NULL);
	if (l.n != 1)
		tobs_dump(&l);
}

static void test_counts_and_unfixed(void)
{
	const struct tobs *o;
	const char *out = "Running ExUnit with seed: 873002, max_cases: 32\n\n"
		"  1) test renders (SpotterWeb.PageTest)\n     test/page_test.exs:12\n"
		"\nFinished in 0.4 seconds (0.1s async, 0.3s sync)\n"
		"42 tests, 2 failures\n\nRandomized with seed 873002\n";

	/* failing tests fixed by edits are work, not a mistake */
	tobs_clear(&l);
	ts_start(&s, "s6", "erin", "claude-code");
	ts_sh(&s, "mix test", 2, out);
	ts_call(&s, "Edit", "{\"file_path\":\"/srv/app/lib/page.ex\",\"old_string\":\"a\",\"new_string\":\"b\"}", 0, "ok");
	ts_sh(&s, "cd /srv/app && mix test test/page_test.exs", 2, out);
	ts_call(&s, "Edit", "{\"file_path\":\"/srv/app/lib/page.ex\"}", 0, "ok");
	ts_sh(&s, "mix test", 0, "42 tests, 0 failures");
	ts_feed("failing-calls", &s, &l);
	if (l.n)
		tobs_dump(&l);
	CHECK(l.n == 0);

	/* ... but a command that fixes them makes one, counted per occurrence */
	ts_start(&s, "s6b", "erin", "claude-code");
	ts_sh(&s, "mix test", 2, out);
	ts_sh(&s, "mix test", 2, out);
	ts_sh(&s, "mix deps.get", 0, "All dependencies are up to date");
	ts_sh(&s, "mix deps.get", 0, "All dependencies are up to date");
	ts_sh(&s, "mix test", 0, "42 tests, 0 failures");
	ts_feed("failing-calls", &s, &l);
	o = tobs_find(&l, "mix test => <n> tests, <n> failures", "s6b");
	CHECK(o != NULL);
	if (o) {
		CHECK(o->count == 2);
		CHECK(o->fixed);
		CHECK_STR(o->fix, "first: mix deps.get");
	}
	if (l.n != 1)
		tobs_dump(&l);
	CHECK(l.n == 1);
}

static void test_no_noise(void)
{
	tobs_clear(&l);
	ts_start(&s, "s7", "frank", "claude-code");
	ts_user(&s, "Error: never push to main");
	ts_assistant(&s, "fatal: I will not do that. Error: nothing");
	ts_sh(&s, "cat README.md", 0, "fatal: this is just text in a file\nError: also text");
	ts_reject(&s, "Bash", "git push --force origin main");
	ts_call(&s, "Bash", "npm test", 1, "The user doesn't want to proceed with this tool use. The tool use was rejected");
	ts_call(&s, "Read", "{\"file_path\":\"/x\"}", 1, "<tool_use_error>Sibling tool call errored</tool_use_error>");
	ts_feed("failing-calls", &s, &l);
	ts_feed("tool-misuse", &s, &l);
	ts_feed("thrashing", &s, &l);
	if (l.n)
		tobs_dump(&l);
	CHECK(l.n == 0);
}

static void test_tool_misuse(void)
{
	const struct tobs *o;

	tobs_clear(&l);
	ts_start(&s, "s8", "gina", "claude-code");
	ts_call(&s, "Edit", "{\"file_path\":\"/srv/app/lib/tracing.ex\",\"old_string\":\"defp do_setup do\",\"new_string\":\"x\"}",
		1, "<tool_use_error>String to replace not found in file.\nString:   defp do_setup do</tool_use_error>");
	ts_call(&s, "Read", "{\"file_path\":\"/srv/app/lib/tracing.ex\"}", 0, "     1\tdefmodule Tracing do");
	ts_call(&s, "Edit", "{\"file_path\":\"/srv/app/lib/tracing.ex\",\"old_string\":\"  defp do_setup do\",\"new_string\":\"x\"}",
		0, "The file has been updated");
	ts_call(&s, "Read", "{\"file_path\":\"/srv/app/lib/missing.ex\"}", 1,
		"<tool_use_error>File does not exist.</tool_use_error>");
	ts_feed("tool-misuse", &s, &l);
	o = tobs_find(&l, "Edit => String to replace not found in file.", "s8");
	CHECK(o != NULL);
	if (o) {
		CHECK_STR(o->fix, "first: Read");
		CHECK(o->fixed);
	}
	o = tobs_find(&l, "Read => File does not exist.", "s8");
	CHECK(o != NULL && !o->fixed);
	if (l.n != 2)
		tobs_dump(&l);
	CHECK(l.n == 2);
}

static void test_thrashing(void)
{
	const struct tobs *o;

	tobs_clear(&l);
	ts_start(&s, "s9", "hal", "claude-code");
	ts_sh(&s, "cargo build", 101, "error[E0432]: unresolved import `crate::foo`\n --> src/main.rs:3:5");
	ts_call(&s, "Read", "{\"file_path\":\"/srv/app/src/main.rs\"}", 0, "fn main() {}");
	ts_sh(&s, "cargo build", 101, "error[E0432]: unresolved import `crate::foo`\n --> src/main.rs:3:5");
	ts_sh(&s, "cargo build 2>&1 | head -50", 101, "error[E0432]: unresolved import `crate::foo`");
	ts_sh(&s, "cargo build", 101, "error[E0432]: unresolved import `crate::foo`");
	/* an edit breaks the run: two more failures are not a new streak of 3 */
	ts_call(&s, "Edit", "{\"file_path\":\"/srv/app/src/main.rs\"}", 0, "ok");
	ts_sh(&s, "cargo build", 101, "error[E0432]: unresolved import `crate::foo`");
	ts_sh(&s, "cargo build", 101, "error[E0432]: unresolved import `crate::foo`");
	ts_feed("thrashing", &s, &l);
	o = tobs_find(&l, "cargo build => error[E0432]: unresolved import `crate::foo`", "s9");
	CHECK(o != NULL);
	if (o)
		CHECK(o->count == 4);
	CHECK(l.n == 1);

	tobs_clear(&l);
	ts_start(&s, "s10", "hal", "claude-code");
	ts_sh(&s, "cargo build", 101, "error[E0432]: unresolved import `crate::foo`");
	ts_sh(&s, "cargo build", 101, "error[E0432]: unresolved import `crate::foo`");
	ts_feed("thrashing", &s, &l);
	CHECK(l.n == 0);
}

static void test_shell_heads(void)
{
	static const struct { const char *cmd, *head; } cases[] = {
		{ "npm test", "npm test" },
		{ "FOO=1 BAR=2 sudo -E npm run build -- --prod", "npm run build" },
		{ "cd assets && npm run build 2>&1 | tail -20", "npm run build" },
		{ "bd sync 2>&1 && git push 2>&1", "git push" },
		{ "bash -lc 'cd web && pytest -x tests/'", "pytest" },
		{ "python3 -m pytest -q", "python3 -m pytest" },
		{ "/usr/bin/git -C /srv/app status", "git status" },
		{ "mix test; echo done", "mix test" },
		{ "git commit -m \"$(cat <<'EOF'\nfix: a; b && c\nEOF\n)\"", "git commit" },
		{ "cat > /tmp/x <<EOF\nnpm test && rm -rf /\nEOF\nmake check", "make check" },
		{ "timeout 60 cargo test --release", "cargo test" },
		{ "sudo -u deploy npm test", "npm test" },
		{ "/usr/bin/env python3 -m pytest", "python3 -m pytest" },
	};
	struct xrules x;
	char *cause = NULL;
	pcre2_match_data *md = matcher_data();
	size_t i;

	if (!test_cfg.rules.n)
		CHECK(config_load(&test_cfg, NULL) == 0);
	CHECK(xrules_init(&x, &test_cfg.rules, &cause) == 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct words w = { 0 };
		char *head;

		CHECK(shell_main_command(cases[i].cmd, &w, NULL) == 0);
		head = shell_head(&x.heads, &w, md);
		CHECK_STR(head, cases[i].head);
		free(head);
		words_release(&w);
	}
	xrules_release(&x);
	pcre2_match_data_free(md);
}

static void test_describe(void)
{
	const struct extractor_ops *ops = extractor_find("failing-calls");
	struct candidate_summary c = {
		.key = "npm test => Error: Cannot find module 'left-pad'",
		.subject = "npm test", .detail = "Error: Cannot find module 'left-pad'",
		.fix = "first: npm install", .fix_sessions = 5, .sessions = 5,
		.users = 3, .agents = 1, .projects = 1, .occurrences = 6,
	};
	char *title = NULL, *body = NULL, *t2 = NULL, *b2 = NULL, *cause = NULL;

	CHECK(ops->describe(&c, &title, &body, &cause) == 0);
	CHECK_STR(title, "`npm test` fails with `Error: Cannot find module 'left-pad'`");
	CHECK_STR(body, "When `npm test` fails with `Error: Cannot find module 'left-pad'`, run "
		  "`npm install` first (fixed it in 5 of 5 sessions, 3 users).");
	CHECK(ops->describe(&c, &t2, &b2, &cause) == 0);
	CHECK_STR(body, b2);
	free(title); free(body); free(t2); free(b2);
	c.fix = "instead: git push --set-upstream origin <branch>";
	c.subject = "git push";
	c.detail = "fatal: The current branch <branch> has no upstream branch.";
	c.fix_sessions = 4; c.sessions = 4; c.users = 1;
	CHECK(ops->describe(&c, &title, &body, &cause) == 0);
	CHECK_STR(body, "When `git push` fails with `fatal: The current branch <branch> has no "
		  "upstream branch.`, run `git push --set-upstream origin <branch>` instead "
		  "(fixed it in 4 of 4 sessions, 1 user).");
	CHECK(!strchr(title, '\n'));
	free(title); free(body);
}

static void test_bad_rule_and_bad_text(void)
{
	struct rule bad = { 0 };
	struct rule_set rs = { &bad, 1 };
	void *state = NULL;
	char *cause = NULL;
	const struct extractor_ops *const *e;

	bad.name = (char *)"broken";
	bad.group = (char *)"error-line";
	bad.pattern = (char *)"Error: (unclosed";
	bad.origin = (char *)"extra.yaml:3";
	for (e = extractor_table; *e; e++) {
		if (strcmp((*e)->name, "failing-calls"))
			continue;
		CHECK((*e)->init(&state, &rs, &cause) == -1);
		CHECK(cause && strstr(cause, "broken") && strstr(cause, "extra.yaml:3"));
		free(cause);
		cause = NULL;
		bad.disabled = 1;
		CHECK((*e)->init(&state, &rs, &cause) == 0);
		(*e)->free(state);
	}

	/* invalid UTF-8 in an output: still one observation, never a crash */
	tobs_clear(&l);
	ts_start(&s, "u1", "ivy", "claude-code");
	ts_sh(&s, "make", 2, "make: *** [all] Error 2");
	s.ev[s.n - 1].text[0] = (char)0xff;
	ts_sh(&s, "make", 2, "");
	ts_feed("failing-calls", &s, &l);
	CHECK(tobs_find(&l, "make => exit code <n>", "u1") != NULL);
	CHECK(l.n == 1);
	if (l.n == 1)
		CHECK(l.v[0].count == 2);
}

int main(void)
{
	test_branch_normalizes();
	test_fix_between();
	test_changed_program();
	test_compound();
	test_counts_and_unfixed();
	test_no_noise();
	test_tool_misuse();
	test_thrashing();
	test_shell_heads();
	test_describe();
	test_bad_rule_and_bad_text();
	test_extract_done(&s, &l);
	return unit_done();
}
