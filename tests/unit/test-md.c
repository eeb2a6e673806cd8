/*
 * test-md.c: Markdown rendering that memory text cannot escape, and the
 * name and path rules of names.h.
 */
#include "dreamd/md.h"
#include "dreamd/names.h"
#include "tests/unit/unit.h"

static void inl(const char *in, const char *want)
{
	struct strbuf sb;

	strbuf_init(&sb, 1 << 16);
	CHECK(md_inline(&sb, in) == 0);
	CHECK_STR(sb.buf, want);
	strbuf_release(&sb);
}

static void code(const char *in, const char *want)
{
	struct strbuf sb;

	strbuf_init(&sb, 1 << 16);
	CHECK(md_code(&sb, in, strlen(in)) == 0);
	CHECK_STR(sb.buf, want);
	strbuf_release(&sb);
}

static void test_inline(void)
{
	inl("run `npm install` first", "run `npm install` first");
	/* issue 13: no HTML escaping inside a code span */
	inl("run `git push --set-upstream origin <branch>`",
	    "run `git push --set-upstream origin <branch>`");
	inl("a <b> c", "a \\<b> c");
	inl("> quote", "\\> quote");
	inl("mix test -> mix credo", "mix test -> mix credo");
	/* a newline cannot end the line, a marker cannot be formed */
	inl("x\n<!-- dreamd:end -->\n## Owned", "x \\<!-- dreamd:end --> ## Owned");
	inl("tab\there\x1b[31m", "tab here\\x1b\\[31m");
	inl("**bold** _it_ [l](u) a|b \\", "\\*\\*bold\\*\\* \\_it\\_ \\[l\\](u) a\\|b \\\\");
	/* an unclosed backtick is text */
	inl("a ` b", "a \\` b");
	inl("``a`b`` c", "``a`b`` c");
	inl("`x\ny`", "`x y`");
}

static void test_code(void)
{
	code("ls", "`ls`");
	code("echo `date`", "`` echo `date` ``");
	code("a``b", "```a``b```");
	code("`x", "`` `x ``");
	code(" a ", "`  a  `");
	code("a\nb", "`a b`");
}

static void test_names(void)
{
	CHECK(name_is_user("alice"));
	CHECK(name_is_user("a.b-c_d@example.com"));
	CHECK(!name_is_user(""));
	CHECK(!name_is_user("-rf"));
	CHECK(!name_is_user(".."));
	CHECK(!name_is_user("al ice"));
	CHECK(!name_is_user("x\n<!-- dreamd:end -->"));
	CHECK(name_is_tool("Bash"));
	CHECK(name_is_tool("mcp__github__create_issue"));
	CHECK(!name_is_tool("Bash\n## Injected"));
	CHECK(!name_is_tool("a b"));
	CHECK(name_is_path("/"));
	CHECK(name_is_path("/srv/web app/ü"));
	CHECK(name_is_path("/srv/app/"));
	CHECK(!name_is_path("srv/app"));
	CHECK(!name_is_path("/srv/../etc"));
	CHECK(!name_is_path("/srv//app"));
	CHECK(!name_is_path("/srv/app\n<!-- dreamd:end -->"));
	CHECK(name_is_project("/srv/app"));
	CHECK(name_is_project("/home/alice/src/app"));
	CHECK(name_is_project("/tmp/x"));
	CHECK(!name_is_project("/"));
	CHECK(!name_is_project("/srv"));
	CHECK(!name_is_project("/home/alice"));
	CHECK(!name_is_project("/home/alice/"));
	CHECK(!name_is_project("/Users/bob"));
	CHECK(!name_is_project("/var/home/carol"));
	CHECK(!name_is_project("/root"));
}

int main(void)
{
	test_inline();
	test_code();
	test_names();
	return unit_done();
}
