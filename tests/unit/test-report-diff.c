/*
 * test-report-diff.c: snapshot parsing, scope matching, block replacement
 * and excerpts.
 */
#include <stdlib.h>

#include "dreamd/export.h"
#include "dreamd/export-write.h"
#include "dreamd/report.h"
#include "tests/unit/unit.h"

static void test_parse(void)
{
	struct memory m;

	CHECK(memory_parse(&m, "{\"id\": \"m-1\", \"kind\": \"mistake\", \"score\": 0.5,"
		" \"support\": {\"sessions\": 4, \"users\": 2},"
		" \"evidence\": [{\"session\": \"s\", \"user\": \"u\", \"excerpt\": \"x\"}],"
		" \"fix\": null, \"effectiveness\": {\"before\": {\"hits\": 12, \"sessions\": 30},"
		" \"after\": {\"hits\": 3, \"sessions\": 25}, \"recurring\": true}}") == 0);
	CHECK_STR(m.id, "m-1");
	CHECK(m.sessions == 4 && m.users == 2);
	CHECK(m.nev == 1);
	CHECK_STR(m.ev[0].excerpt, "x");
	CHECK(m.fix_command == NULL);
	CHECK(m.has_eff && m.eff_recurring);
	{
		char phrase[96];

		mem_effectiveness_phrase(&m, phrase);
		CHECK_STR(phrase, "12 in 30 sessions before, 3 in 25 after");
	}
	memory_release(&m);
	CHECK(memory_parse(&m, "[1]") < 0);
	CHECK(memory_parse(&m, "{\"id\": 3}") < 0);
	CHECK(memory_parse(&m, "{\"id\": \"m-2\"") < 0);
}

static void test_scope(void)
{
	CHECK(export_scope_matches("team", "/srv/webapp", NULL));
	CHECK(export_scope_matches("project:/srv/webapp", "/srv/webapp", NULL));
	CHECK(export_scope_matches("project:/srv/webapp", "/srv/webapp/src/lib", NULL));
	CHECK(export_scope_matches("project:/srv/webapp/", "/srv/webapp/src", NULL));
	CHECK(!export_scope_matches("project:/srv/webapp", "/srv/webapp2", NULL));
	CHECK(!export_scope_matches("project:/srv/webapp/src", "/srv/webapp", NULL));
	/* "/", a top directory and a home are never a project */
	CHECK(!export_scope_matches("project:/", "/anything", NULL));
	CHECK(!export_scope_matches("project:/home", "/home/alice/src", NULL));
	CHECK(!export_scope_matches("project:/home/alice", "/home/alice/src", NULL));
	CHECK(!export_scope_matches("project:/home/alice/", "/home/alice/src", NULL));
	CHECK(export_scope_matches("project:/home/alice/src/app", "/home/alice/src/app", NULL));
	CHECK(export_scope_matches("user:alice", "/x", "alice"));
	CHECK(!export_scope_matches("user:alice", "/x", "bob"));
	CHECK(!export_scope_matches("user:alice", "/x", NULL));
	CHECK(!export_scope_matches(NULL, "/x", "alice"));
}

static void replace(const char *old, const char *block, const char *want)
{
	struct strbuf out;

	strbuf_init(&out, 1 << 20);
	CHECK(export_replace_block(&out, old, strlen(old), block, "F") == 0);
	CHECK_STR(out.buf, want);
	strbuf_release(&out);
}

static void refused(const char *old)
{
	struct strbuf out;

	strbuf_init(&out, 1 << 20);
	CHECK(export_replace_block(&out, old, strlen(old), "B", "F") < 0);
	strbuf_release(&out);
}

static void test_replace(void)
{
#define b EXPORT_BEGIN "\nnew\n" EXPORT_END "\n"

	replace("", b, b);
	replace("x", b, "x\n\n" EXPORT_BEGIN "\nnew\n" EXPORT_END "\n");
	replace("x\n", b, "x\n\n" EXPORT_BEGIN "\nnew\n" EXPORT_END "\n");
	replace("a\n" EXPORT_BEGIN "\nold\nold\n" EXPORT_END "\nz", b,
		"a\n" EXPORT_BEGIN "\nnew\n" EXPORT_END "\nz");
	/* an end marker without a newline at the end of the file */
	replace("a\n" EXPORT_BEGIN "\nold\n" EXPORT_END, b, "a\n" EXPORT_BEGIN "\nnew\n" EXPORT_END "\n");
	/* a marker inside a line is text, not a marker */
	replace("see " EXPORT_BEGIN " here\n", b,
		"see " EXPORT_BEGIN " here\n\n" EXPORT_BEGIN "\nnew\n" EXPORT_END "\n");
	/* an indented marker, or one shown inside a fence, is the user's text */
	replace("  " EXPORT_BEGIN "\n```\n" EXPORT_BEGIN "\nx\n" EXPORT_END "\n```\n", b,
		"  " EXPORT_BEGIN "\n```\n" EXPORT_BEGIN "\nx\n" EXPORT_END "\n```\n\n" b);
	replace("~~~~ md\n" EXPORT_END "\n~~~\n~~~~\n" EXPORT_BEGIN "\nold\n" EXPORT_END "\n", b,
		"~~~~ md\n" EXPORT_END "\n~~~\n~~~~\n" b);
	/* a ``` line inside a ~~~ fence does not close it */
	replace("~~~\n```\n" EXPORT_BEGIN "\n~~~\n", b,
		"~~~\n```\n" EXPORT_BEGIN "\n~~~\n\n" b);
	refused(EXPORT_BEGIN "\n1\n" EXPORT_END "\n" EXPORT_BEGIN "\n2\n" EXPORT_END "\n");
	refused(EXPORT_BEGIN "\n" EXPORT_BEGIN "\nx\n" EXPORT_END "\n");
	refused(EXPORT_END "\nx\n" EXPORT_BEGIN "\n");
	refused("x\n" EXPORT_END "\n");
	refused("a\n" EXPORT_BEGIN "\nb\n");
	/* an unclosed fence would swallow an appended block */
	refused("a\n```sh\nls\n");
#undef b
}

static void test_excerpt(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 1024);
	strbuf_add_excerpt(&sb, "a\nb", 10);
	CHECK_STR(sb.buf, "a b");
	strbuf_reset(&sb);
	/* never cuts inside a UTF-8 sequence: "é" is two bytes */
	strbuf_add_excerpt(&sb, "abc\xc3\xa9z", 4);
	CHECK_STR(sb.buf, "abc...");
	strbuf_reset(&sb);
	strbuf_add_excerpt(&sb, "abcdef", 6);
	CHECK_STR(sb.buf, "abcdef");
	strbuf_release(&sb);
}

static void test_color(void)
{
	CHECK(report_want_color("always", 1) == 1);
	CHECK(report_want_color("never", 1) == 0);
	CHECK(report_want_color("sometimes", 1) == -1);
	setenv("NO_COLOR", "1", 1);
	CHECK(report_want_color("auto", 1) == 0);
	unsetenv("NO_COLOR");
}

/* A fix command is rendered as a code span on the support line, never raw. */
static void test_markdown_fix(void)
{
	char id[] = "m-1", scope[] = "team";
	char title[] = "t", fix[] = "first: a`b\n<!-- dreamd:end -->";
	struct memory m = { .id = id, .kind = MEMORY_MISTAKE, .scope = scope, .status = MEMORY_ACTIVE,
			 .title = title, .sessions = 3, .users = 2, .agents = 1, .occurrences = 3,
			 .fix_command = fix, .fix_worked = 3, .fix_of = 3 };
	struct diff_entry e = { .after = &m };
	struct diff d = { .added = &e, .nadded = 1 };
	struct strbuf sb;

	strbuf_init(&sb, 1 << 16);
	CHECK(report_diff_markdown(&sb, &d) == 0);
	CHECK(strstr(sb.buf, "  - support: 3 sessions, 2 users, 1 agent, 3 occurrences; fix "
		     "``first: a`b <!-- dreamd:end -->`` worked 3 of 3\n") != NULL);
	CHECK(strstr(sb.buf, "\n<!--") == NULL);
	strbuf_release(&sb);
}

int main(void)
{
	test_parse();
	test_scope();
	test_replace();
	test_excerpt();
	test_color();
	test_markdown_fix();
	return unit_done();
}
