/*
 * eval.c: writes the labelled corpus `make eval` scores dreamd on.
 *
 * usage: eval-gen [-s SEED] DIR
 *
 * Writes DIR/spool/<user>/<session>.jsonl (Claude Code transcripts, Codex
 * rollouts for the last two users, whose failing commands are still running
 * when their call returns; uncompressed, the caller compresses them) and
 * DIR/labels.tsv, one line a case:
 *
 *   case <TAB> keep|drop <TAB> kind <TAB> regex
 *
 * "keep": some active memory of that kind must match the regex (title and
 * body, case-insensitive): a case to recall. "drop": a hard negative, no
 * active memory of that kind may match it. Every case is said in many
 * wordings by several users, between noise steps (ls, git status, Read,
 * Grep) that every session has; the hard negatives are the mistakes a
 * reviewer would not keep (see issue 17): a failed `git add` half of
 * `git add && git commit`, a rejected Write, the cancelled sibling of a
 * rejected parallel call, a rejection the user took back with "continue",
 * a cancelled TaskOutput wait, Claude Code 1.0's rejection text, fix-less
 * failures, hook tags alone, grep/rg/diff exiting 1, npm's `> next build`
 * banner, universal workflows, one task's instructions and a conflict. A
 * correction typed after stopping the agent mid-answer is a case to keep.
 * The output depends only on SEED.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define NUSERS 8

static const char *const users[NUSERS] = {
	"ana", "ben", "cho", "dev", "eli", "fay", "gus", "hal",
};

static uint64_t rng_state;

static unsigned below(unsigned n)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (unsigned)((z >> 32) * n >> 32);
}

#define PICK(a) ((a)[below(sizeof(a) / sizeof(*(a)))])

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("eval-gen: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* The session being written. */
static struct {
	FILE *f;
	char id[64];
	const char *cwd;
	unsigned day, sec, msg, tool;
	int codex;	/* a Codex rollout, not a Claude Code transcript */
} S;

static void put_json(const char *s)
{
	fputc('"', S.f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(S.f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", S.f);
		else if (c == '\t')
			fputs("\\t", S.f);
		else if (c < 0x20)
			fprintf(S.f, "\\u%04x", c);
		else
			fputc(c, S.f);
	}
	fputc('"', S.f);
}

static void tail(const char *kind)
{
	S.sec++;
	fprintf(S.f, ",\"sessionId\":\"%s\",\"cwd\":", S.id);
	put_json(S.cwd);
	fprintf(S.f, ",\"timestamp\":\"2026-10-%02uT%02u:%02u:%02u.000Z\",\"version\":\"2.1.39\","
		"\"uuid\":\"%s-%s-%u\"}\n", S.day, 9 + S.sec / 3600, S.sec / 60 % 60, S.sec % 60,
		S.id, kind, S.sec);
}

/* Codex: {"timestamp": ..., "type": TYPE, "payload": ...} lines. */
static void cx(const char *type)
{
	S.sec++;
	fprintf(S.f, "{\"timestamp\":\"2026-10-%02uT%02u:%02u:%02u.000Z\",\"type\":\"%s\","
		"\"payload\":", S.day, 9 + S.sec / 3600, S.sec / 60 % 60, S.sec % 60, type);
}

static void cx_output(unsigned id, const char *text)
{
	cx("response_item");
	fprintf(S.f, "{\"type\":\"function_call_output\",\"call_id\":\"c_%s_%u\",\"output\":",
		S.id, id);
	put_json(text);
	fputs("}}\n", S.f);
}

static void begin(const char *dir, const char *user, const char *cwd, unsigned n)
{
	char path[4096];

	snprintf(S.id, sizeof(S.id), "ev-%s-%03u", user, n);
	snprintf(path, sizeof(path), "%s/spool/%s", dir, user);
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		die("%s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/spool/%s/%s.jsonl", dir, user, S.id);
	S.f = fopen(path, "w");
	if (!S.f)
		die("%s: %s", path, strerror(errno));
	S.cwd = cwd;
	S.day = 1 + n % 28;
	S.sec = 0;
	S.msg = 0;
	S.tool = 0;
	if (S.codex) {
		cx("session_meta");
		fprintf(S.f, "{\"id\":\"%s\",\"cwd\":", S.id);
		put_json(cwd);
		fputs(",\"cli_version\":\"0.125.0\"}}\n", S.f);
	}
}

static void end(void)
{
	if (fclose(S.f))
		die("write: %s", strerror(errno));
}

static void say(const char *text)
{
	if (S.codex) {
		int stop = !strncmp(text, "[Request interrupted", 20);

		cx("event_msg");
		fputs(stop ? "{\"type\":\"turn_aborted\",\"reason\":\"interrupted\"}}\n"
		      : "{\"type\":\"user_message\",\"message\":", S.f);
		if (!stop) {
			put_json(text);
			fputs("}}\n", S.f);
		}
		return;
	}
	fputs("{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":", S.f);
	put_json(text);
	fputs("}", S.f);
	tail("u");
}

static void answer(const char *text)
{
	S.msg++;
	if (S.codex) {
		cx("response_item");
		fputs("{\"type\":\"message\",\"role\":\"assistant\",\"content\":"
		      "[{\"type\":\"output_text\",\"text\":", S.f);
		put_json(text);
		fputs("}]}}\n", S.f);
		return;
	}
	fprintf(S.f, "{\"type\":\"assistant\",\"message\":{\"id\":\"msg_%s_%u\","
		"\"model\":\"claude-opus-4-5\",\"role\":\"assistant\",\"content\":"
		"[{\"type\":\"text\",\"text\":", S.id, S.msg);
	put_json(text);
	fputs("}]}", S.f);
	tail("a");
}

/* One assistant message with n tool calls (names[i], input[i] a JSON object). */
static unsigned calls(unsigned n, const char *const *names, const char *const *input)
{
	unsigned i, first = S.tool + 1;

	S.msg++;
	for (i = 0; i < n && S.codex; i++) {
		const char *in = input[i], *name = names[i];

		/* Codex runs commands with exec_command {"cmd": ...} */
		if (!strcmp(name, "Bash") && !strncmp(in, "{\"command\":", 11))
			name = "exec_command";
		cx("response_item");
		fprintf(S.f, "{\"type\":\"function_call\",\"name\":\"%s\",\"arguments\":", name);
		if (strcmp(name, names[i])) {
			char buf[4200];

			snprintf(buf, sizeof(buf), "{\"cmd\":%s", in + 11);
			put_json(buf);
		} else {
			put_json(in);
		}
		fprintf(S.f, ",\"call_id\":\"c_%s_%u\"}}\n", S.id, ++S.tool);
	}
	for (i = 0; i < n && !S.codex; i++) {
		fprintf(S.f, "{\"type\":\"assistant\",\"message\":{\"id\":\"msg_%s_%u\","
			"\"model\":\"claude-opus-4-5\",\"role\":\"assistant\",\"content\":"
			"[{\"type\":\"tool_use\",\"id\":\"toolu_%s_%u\",\"name\":\"%s\","
			"\"input\":%s}]}", S.id, S.msg, S.id, ++S.tool, names[i], input[i]);
		tail("a");
	}
	return first;
}

static void result(unsigned id, const char *text, int is_error)
{
	if (S.codex) {
		cx_output(id, !strncmp(text, "The user doesn't want to", 24)
			  ? "exec command rejected by user" : text);
		return;
	}
	fprintf(S.f, "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":"
		"[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_%s_%u\",\"content\":",
		S.id, id);
	put_json(text);
	fprintf(S.f, ",\"is_error\":%s}]}", is_error ? "true" : "false");
	tail("r");
}

static char *input_of(const char *key, const char *value)
{
	static char buf[8][4096];
	static unsigned k;
	char *b = buf[k++ % 8];
	FILE *f = fmemopen(b, sizeof(buf[0]), "w");
	FILE *saved = S.f;

	if (!f)
		die("fmemopen: %s", strerror(errno));
	S.f = f;
	fprintf(f, "{\"%s\":", key);
	put_json(value);
	fputs("}", f);
	fclose(f);
	S.f = saved;
	return b;
}

static void tool(const char *name, const char *key, const char *value, const char *out,
		 int is_error)
{
	const char *in = input_of(key, value);
	unsigned id = calls(1, &name, &in);

	result(id, out, is_error);
}

/*
 * Codex: a command that fails is still running when its call returns; the
 * agent reads its failure through write_stdin, and exec_command_end has it.
 */
static void cx_sh(const char *cmd, int code, const char *out)
{
	const char *name = "Bash", *in = input_of("command", cmd);
	unsigned id = calls(1, &name, &in);
	char buf[8192];

	if (code) {
		snprintf(buf, sizeof(buf), "Chunk ID: %u\nWall time: 1.0 seconds\n"
			 "Process running with session ID %u\nOutput:\n", id, 1000 + id);
		cx_output(id, buf);
		cx("response_item");
		fprintf(S.f, "{\"type\":\"function_call\",\"name\":\"write_stdin\",\"arguments\":"
			"\"{\\\"session_id\\\":%u}\",\"call_id\":\"c_%s_%u\"}}\n",
			1000 + id, S.id, ++S.tool);
		snprintf(buf, sizeof(buf), "Process exited with code %d\nOutput:\n%s", code, out);
		cx_output(S.tool, buf);
	} else {
		snprintf(buf, sizeof(buf), "Chunk ID: %u\nWall time: 0.1 seconds\n"
			 "Process exited with code 0\nOutput:\n%s", id, out);
		cx_output(id, buf);
	}
	cx("event_msg");
	fprintf(S.f, "{\"type\":\"exec_command_end\",\"call_id\":\"c_%s_%u\",\"exit_code\":%d,"
		"\"aggregated_output\":", S.id, id, code);
	put_json(out);
	fputs("}}\n", S.f);
}

/* A shell command; code 0 succeeds, else "Exit code N" heads the output. */
static void sh(const char *cmd, int code, const char *out)
{
	char buf[8192];

	if (S.codex) {
		cx_sh(cmd, code, out);
		return;
	}
	if (code)
		snprintf(buf, sizeof(buf), "Exit code %d\n%s", code, out);
	else
		snprintf(buf, sizeof(buf), "%s", out);
	tool("Bash", "command", cmd, buf, code != 0);
}

#define REJECT "The user doesn't want to proceed with this tool use. The tool use was " \
	"rejected (eg. if it was a file edit, the new_string was NOT written to the " \
	"file). STOP what you are doing and wait for the user to tell you how to proceed."
#define REJECT_V1 "The user doesn't want to take this action right now. STOP what you " \
	"are doing and wait for the user to tell you how to proceed."
#define INTERRUPTED "[Request interrupted by user for tool use]"

static void read_edit(const char *file);

/* Looking around: never a step of a workflow. */
static void look(void)
{
	static const char *const files[] = {"src/app.py", "README.md", "src/util.py",
		"docs/guide.md", "lib/core.py"};
	char path[256];

	switch (below(6)) {
	case 0:
		sh("git status", 0, "On branch main\nnothing to commit, working tree clean");
		break;
	case 1:
		sh("ls", 0, "README.md\nsrc\ntests");
		break;
	case 2:
		snprintf(path, sizeof(path), "/work/p/%s", PICK(files));
		tool("Read", "file_path", path, "     1\tprint('hi')", 0);
		break;
	case 3:
		tool("Grep", "pattern", "def main", "src/app.py:3:def main():", 0);
		break;
	case 4:
		tool("Glob", "pattern", "**/*.md", "README.md\ndocs/guide.md", 0);
		break;
	default:
		sh("pwd", 0, "/work/p");
		break;
	}
}

static void looks(void)
{
	unsigned i, n = below(3);

	for (i = 0; i < n; i++)
		look();
}

/*
 * Steps every session has, in every project: looking, editing a file,
 * committing. They carry no information.
 */
static void noise(void)
{
	static const char *const files[] = {"src/app.py", "README.md", "lib/core.py"};
	static const char *const msgs[] = {"git commit -m 'wip'", "git commit -am 'fix typo'",
		"git commit -m 'tidy up'"};

	switch (below(8)) {
	case 0:
		read_edit(PICK(files));
		break;
	case 1:
		sh(PICK(msgs), 0, "[main 5e6f7a8] wip\n 1 file changed");
		break;
	default:
		look();
		break;
	}
}

static void noises(void)
{
	unsigned i, n = below(3);

	for (i = 0; i < n; i++)
		noise();
}

/* Read a file, edit it: what every agent does anyway. */
static void read_edit(const char *file)
{
	char path[256];

	snprintf(path, sizeof(path), "/work/p/%s", file);
	tool("Read", "file_path", path, "     1\tx = 1", 0);
	{
		const char *names[] = {"Edit"};
		char in[512];
		const char *ins[1];

		snprintf(in, sizeof(in), "{\"file_path\":\"%s\",\"old_string\":\"x = 1\","
			 "\"new_string\":\"x = 2\"}", path);
		ins[0] = in;
		result(calls(1, names, ins), "The file has been updated.", 0);
	}
}

/* ---- the cases: each writes its part of one session ---- */

static void p_npm_module(void)
{
	sh("npm test", 1, "> web@1.0.0 test\n> jest\n\nError: Cannot find module 'left-pad'\n"
	   "Require stack:\n- /work/p/src/pad.js");
	noises();
	sh("npm install", 0, "added 1 package in 2s");
	sh("npm test", 0, "Tests: 4 passed, 4 total");
}

static void p_push_upstream(void)
{
	static const char *const br[] = {"feat/login", "fix-build", "topic/cache", "wip-ui"};
	const char *b = PICK(br);
	char out[512], fix[256];

	snprintf(out, sizeof(out), "fatal: The current branch %s has no upstream branch.\n"
		 "To push the current branch and set the remote as upstream, use\n\n"
		 "    git push --set-upstream origin %s\n", b, b);
	sh("git push", 128, out);
	snprintf(fix, sizeof(fix), "git push --set-upstream origin %s", b);
	sh(fix, 0, "branch set up to track 'origin'.");
}

static void p_go_module(void)
{
	sh("go build ./...", 1, "main.go:5:2: no required module provides package "
	   "github.com/lib/pq; to add it:\n\tgo get github.com/lib/pq");
	sh("go get github.com/lib/pq", 0, "go: added github.com/lib/pq v1.10.9");
	sh("go build ./...", 0, "");
}

static void p_pip_module(void)
{
	sh("python3 -m pytest -q", 2, "ImportError while importing test module "
	   "'/work/p/tests/test_api.py'.\nE   ModuleNotFoundError: No module named 'requests'");
	sh("pip install requests", 0, "Successfully installed requests-2.32.3");
	sh("python3 -m pytest -q", 0, "12 passed in 0.4s");
}

static void p_next_build(void)
{
	sh("npm run build", 1, "\n> web@0.1.0 build\n> next build\n\n"
	   "Failed to compile.\n./src/page.tsx\nModule not found: Can't resolve 'react-dom/client'");
	sh("npm install react-dom", 0, "added 2 packages in 1s");
	sh("npm run build", 0, "\n> web@0.1.0 build\n> next build\n\nCompiled successfully");
}

static void p_format_hook(void)
{
	sh("git add -A && git commit -m 'wip'", 1, "[FORMAT] Code is not formatted. Run mix format.\n"
	   "husky - pre-commit hook exited with code 1 (error)");
	sh("mix format", 0, "");
	sh("git add -A && git commit -m 'wip'", 0, "[main 1a2b3c4] wip\n 2 files changed");
}

/* The C service's own way to build and test: in its project only. */
static void p_cmake_workflow(void)
{
	if (strcmp(S.cwd, "/work/svc"))
		return;
	sh("cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug", 0, "-- Configuring done");
	looks();
	sh("cmake --build build -j", 0, "[100%] Built target app");
	looks();
	sh("ctest --test-dir build --output-on-failure", 0, "100% tests passed");
}

static void p_pnpm(void)
{
	static const char *const w[] = {
		"Always use pnpm, not npm.",
		"we use pnpm here, never npm",
		"Never use npm in this repo; use pnpm.",
		"Please always use pnpm instead of npm.",
		"Remember: we always use pnpm, never npm.",
	};

	say(PICK(w));
}

static void p_lint(void)
{
	static const char *const w[] = {
		"Always run the linter before committing.",
		"always run lint before you commit anything",
		"Remember: run the linter before every commit.",
		"Make sure you always run the linter before each commit.",
	};

	say(PICK(w));
}

/* Said right after stopping the agent mid-answer: a correction to read. */
static void p_small_changes(void)
{
	static const char *const w[] = {
		"Don't rewrite everything, make small focused changes.",
		"don't rewrite everything. make small, focused changes",
		"No, don't rewrite everything: small focused changes please.",
	};

	answer("I'll rewrite the whole module from scratch.");
	say("[Request interrupted by user]");
	say(PICK(w));
}

static void p_force_push(void)
{
	static const char *const w[] = {
		"don't force push to main!",
		"No, never force push to main",
		"no. never force push, please",
	};

	tool("Bash", "command", "git push -f origin main", REJECT, 1);
	say(PICK(w));
}

/* Hard negatives. */

static void n_git_add_ignored(void)
{
	sh("git add build/out.log src/app.py && git commit -m 'update app'", 1,
	   "The following paths are ignored by one of your .gitignore files:\nbuild\n"
	   "hint: Use -f if you really want to add them.\n"
	   "hint: Turn this message off by running\n"
	   "hint: \"git config advice.addIgnoredFile false\"");
	sh("git add src/app.py && git commit -m 'update app'", 0, "[main 4d5e6f7] update app");
}

static void n_write_rejected(void)
{
	tool("Write", "file_path", "/work/p/docs/NOTES.md", REJECT, 1);
	say(INTERRUPTED);
	say("Put that in the existing README instead.");
}

static void n_parallel_collateral(void)
{
	const char *names[] = {"Bash", "Glob"};
	const char *ins[] = {"{\"command\":\"rm -rf node_modules\"}", "{\"pattern\":\"**/*.ts\"}"};
	unsigned id = calls(2, names, ins);

	result(id, REJECT, 1);
	result(id + 1, REJECT, 1);
	say(INTERRUPTED);
}

static void n_continue(void)
{
	static const char *const w[] = {"continue", "go on", "ok continue", "yes, continue"};

	tool("Bash", "command", "git push origin HEAD", REJECT, 1);
	say(PICK(w));
	sh("git push origin HEAD", 0, "To github.com:acme/web.git\n   1a2b..3c4d  HEAD -> main");
}

static void n_taskoutput(void)
{
	tool("TaskOutput", "task_id", "b1c2d3", REJECT, 1);
	say(INTERRUPTED);
	say("it's taking too long, check the log instead");
}

static void n_v1_rejection(void)
{
	tool("Bash", "command", "docker compose up -d", REJECT_V1, 1);
}

static void n_fixless(void)
{
	static const char *const w[] = {"config/app.yml", "data/seed.json", "tmp/x.txt"};
	char cmd[256], out[512];
	const char *f = PICK(w);

	snprintf(cmd, sizeof(cmd), "cat %s", f);
	snprintf(out, sizeof(out), "cat: %s: No such file or directory", f);
	sh(cmd, 1, out);
	sh("make deploy", 2, "make: *** [Makefile:12: deploy] Error 1");
}

/*
 * A hook's tag as the signature, even when a fix follows: no signature.
 * Claude Code recorded this hook's output with its newlines escaped.
 */
static void n_hook_tag(void)
{
	sh("git commit -m 'fix'", 1, "[CREDO]\\nChecking 114 source files ...\\n"
	   "[D] Nested modules could be aliased at the top of the invoking module.");
	sh("mix credo --strict", 0, "");
	sh("git commit -m 'fix'", 0, "[main 2] fix");
	sh("git commit -m 'fix'", 1, "[DIALYZER]\nTotal errors: 3, Skipped: 0\n"
	   "done (warnings were emitted)");
}

static void n_no_match(void)
{
	sh("rg -n 'TODO' src", 1, "");
	sh("grep -rn 'FIXME' lib", 1, "");
	sh("diff -u a.txt b.txt", 1, "--- a.txt\n+++ b.txt\n@@ -1 +1 @@\n-a\n+b");
	sh("test -f .env", 1, "");
	sh("cmp old.bin new.bin", 1, "old.bin new.bin differ: byte 1, line 1");
}

static void n_universal_workflow(void)
{
	read_edit(below(2) ? "src/app.py" : "lib/core.py");
	sh("git status", 0, "modified: src/app.py");
	sh("git commit -am 'edit'", 0, "[main 1] edit");
	tool("Glob", "pattern", "**/*.md", "README.md", 0);
	read_edit("README.md");
}

static void n_task_instruction(void)
{
	static const char *const w[] = {
		"Don't stop until all functions are ported, tests pass, and you have 100% coverage.",
		"don't produce code, design solution first",
		"Don't touch the tests for this fix, only change src/parser.c.",
		"For this task, never modify the public API.",
	};

	say(PICK(w));
}

static void n_conflict(unsigned u)
{
	say(u % 2 ? "we use bun for everything here" : "we use yarn for everything here");
}

struct kase {
	const char *name, *label, *kind, *regex;
	void (*write)(void);
};

static const struct kase cases[] = {
	{"npm-missing-module", "keep", "mistake", "Cannot find module 'left-pad'.*npm install", p_npm_module},
	{"push-no-upstream", "keep", "mistake", "no upstream branch.*set-upstream", p_push_upstream},
	{"go-missing-module", "keep", "mistake", "go build.*no required module provides package", p_go_module},
	{"pip-missing-module", "keep", "mistake", "No module named 'requests'.*pip install requests", p_pip_module},
	{"next-build-module", "keep", "mistake", "npm run build.*Can't resolve", p_next_build},
	{"format-hook", "keep", "mistake", "\\[FORMAT\\] Code is not formatted.*mix format", p_format_hook},
	{"cmake-workflow", "keep", "workflow", "cmake --build.*ctest", p_cmake_workflow},
	{"use-pnpm", "keep", "preference", "pnpm", p_pnpm},
	{"lint-before-commit", "keep", "preference", "lint", p_lint},
	{"no-force-push", "keep", "preference", "git push -f", p_force_push},
	{"small-changes", "keep", "preference", "rewrite everything", p_small_changes},
	{"git-add-ignored", "drop", "mistake", "`git commit` fails with `The following paths are ignored", n_git_add_ignored},
	{"write-rejected", "keep", "preference", "stopped `Write \\*\\.md", n_write_rejected},
	{"write-not-edit", "drop", "preference", "stopped `Edit", NULL},
	{"parallel-rejected", "keep", "preference", "stopped `rm -rf", n_parallel_collateral},
	{"parallel-collateral", "drop", "preference", "stopped `Glob", NULL},
	{"continue-rerun", "drop", "preference", "stopped `git push`", n_continue},
	{"taskoutput-cancel", "drop", "preference", "stopped `TaskOutput", n_taskoutput},
	{"v1-rejection", "drop", "mistake", "want to take this action", n_v1_rejection},
	{"v1-rejected", "keep", "preference", "stopped `docker compose", NULL},
	{"fixless-cat", "drop", "mistake", "No such file or directory", n_fixless},
	{"fixless-make", "drop", "mistake", "make deploy", NULL},
	{"hook-tag-only", "drop", "mistake", "`git commit` fails with `(\\[DIALYZER\\]|\\[CREDO\\]|done|Total errors)", n_hook_tag},
	{"rg-no-match", "drop", "mistake", "`rg|`grep", n_no_match},
	{"diff-differs", "drop", "mistake", "`diff|`test|`cmp", NULL},
	{"npm-banner", "drop", "mistake", "fails with `> ", NULL},
	{"go-hint-line", "drop", "mistake", "fails with `go get", NULL},
	{"universal-workflow", "drop", "workflow", "git status -> git commit|Read \\*\\.py -> Edit|Glob -> (Read|Edit)|Read \\*\\.md -> Edit", n_universal_workflow},
	{"filler-workflow", "drop", "workflow", "Workflow: (ls|pwd|git status|Glob|Grep|Read [^ ]*) -> cmake", NULL},
	{"task-instruction", "drop", "preference", "Don't stop until|design solution|Don't touch the tests|public API", n_task_instruction},
	{"conflict-bun", "drop", "preference", "we use bun", NULL},
	{"conflict-yarn", "drop", "preference", "we use yarn", NULL},
};

#define NCASES (sizeof(cases) / sizeof(*cases))

int main(int argc, char **argv)
{
	char path[4096];
	unsigned seed = 17, u, k, n = 0;
	FILE *labels;
	int i = 1;

	if (argc == 4 && !strcmp(argv[1], "-s")) {
		seed = (unsigned)strtoul(argv[2], NULL, 10);
		i = 3;
	}
	if (i != argc - 1)
		die("usage: eval-gen [-s SEED] DIR");
	rng_state = seed;
	snprintf(path, sizeof(path), "%s/spool", argv[i]);
	if (mkdir(argv[i], 0777) < 0 && errno != EEXIST)
		die("%s: %s", argv[i], strerror(errno));
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		die("%s: %s", path, strerror(errno));
	/*
	 * Each user has six sessions in two projects; each session carries a
	 * few cases, so every case is seen by most users in several wordings.
	 */
	for (u = 0; u < NUSERS; u++) {
		unsigned s;

		for (s = 0; s < 6; s++) {
			const char *cwd = s % 2 ? "/work/web" : "/work/svc";
			unsigned order[NCASES];

			for (k = 0; k < NCASES; k++)
				order[k] = k;
			for (k = NCASES - 1; k > 0; k--) {
				unsigned j = below(k + 1), t = order[k];

				order[k] = order[j];
				order[j] = t;
			}
			/* gus and hal work with Codex */
			S.codex = u >= NUSERS - 2;
			begin(argv[i], users[u], cwd, n++);
			say("Let's keep going on the feature from yesterday.");
			for (k = 0; k < NCASES; k++) {
				const struct kase *c = &cases[order[k]];

				if (!c->write || below(100) >= 55)
					continue;
				noises();
				c->write();
			}
			if (below(2))
				n_conflict(u);
			noises();
			end();
		}
	}
	snprintf(path, sizeof(path), "%s/labels.tsv", argv[i]);
	labels = fopen(path, "w");
	if (!labels)
		die("%s: %s", path, strerror(errno));
	for (k = 0; k < NCASES; k++)
		fprintf(labels, "%s\t%s\t%s\t%s\n", cases[k].name, cases[k].label, cases[k].kind,
			cases[k].regex);
	if (fclose(labels))
		die("%s: %s", path, strerror(errno));
	printf("sessions %u cases %zu\n", n, NCASES);
	return 0;
}
