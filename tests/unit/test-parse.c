/*
 * test-parse.c: line checks and the Claude Code / Codex event mapping on
 * small inline lines; the digest round trip.
 */
#include <stdlib.h>
#include <string.h>

#include "dreamd/ingest.h"
#include "dreamd/json-arena.h"
#include "dreamd/parse.h"
#include "dreamd/util.h"
#include "tests/unit/feed.h"
#include "tests/unit/unit.h"

/* Feeds lines (one string, '\n'-separated) through a fresh context. */
static void feed(struct session *s, const char *text, size_t max_text)
{
	static struct ingest_opts opts;

	opts.max_depth = 16;
	opts.max_text = max_text;
	feed_opts(s, text, &opts);
}

static void test_checks(void)
{
	char type[16];
	char *deep = xmalloc(100001), *t;
	size_t n;

	CHECK(utf8_valid("plain ascii text, long enough", 29));
	CHECK(utf8_valid("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 9));
	CHECK(!utf8_valid("\xFF", 1));
	CHECK(!utf8_valid("\xC0\xAF", 2));		/* overlong */
	CHECK(!utf8_valid("\xED\xA0\x80", 3));		/* surrogate */
	CHECK(!utf8_valid("abc\xE2\x82", 5));		/* cut */

	memset(deep, '[', 100000);
	deep[100000] = '\0';
	CHECK(json_prescan(deep, 100000, 64, type, sizeof(type)) < 0);
	CHECK(json_prescan("[[[1]]]", 7, 3, type, sizeof(type)) == 0);
	CHECK(json_prescan("[[[[1]]]]", 9, 3, type, sizeof(type)) < 0);
	CHECK(json_prescan("{\"a\":\"[[[[[[\",\"type\":\"user\"}", 27, 2, type, sizeof(type)) == 0);
	CHECK_STR(type, "user");
	CHECK(json_prescan("{\"m\":{\"type\":\"inner\"},\"type\" : \"outer\"}", 38, 8, type, sizeof(type)) == 0);
	CHECK_STR(type, "outer");
	free(deep);

	t = xstrdup("\xC3\xA9\xC3\xA9\xC3\xA9 head ... middle ... tail \xC3\xA9\xC3\xA9\xC3\xA9 "
		    "and a good deal more text to be cut away in the middle part");
	n = cut_text(&t, strlen(t), 40);
	CHECK(n <= 40);
	CHECK(utf8_valid(t, n));
	CHECK(strstr(t, "bytes cut]") != NULL);
	CHECK(!strncmp(t, "\xC3\xA9", 2));
	free(t);
}

static void test_claude(void)
{
	struct session s;

	feed(&s,
	     "{\"type\":\"user\",\"sessionId\":\"S1\",\"cwd\":\"/p\",\"version\":\"2.1.0\",\"timestamp\":\"2026-01-01T00:00:00.5Z\",\"message\":{\"content\":\"fix it\"}}\n"
	     "{\"type\":\"user\",\"sessionId\":\"S1\",\"isMeta\":true,\"message\":{\"content\":\"meta\"}}\n"
	     "{\"type\":\"user\",\"sessionId\":\"S1\",\"message\":{\"content\":\"<command-name>/clear</command-name>\"}}\n"
	     "{\"type\":\"user\",\"sessionId\":\"S1\",\"isCompactSummary\":true,\"message\":{\"content\":\"summary\"}}\n"
	     "{\"type\":\"assistant\",\"sessionId\":\"S1\",\"message\":{\"id\":\"m1\",\"model\":\"opus\",\"content\":[{\"type\":\"text\",\"text\":\"Part one.\"}]}}\n"
	     "{\"type\":\"assistant\",\"sessionId\":\"S1\",\"message\":{\"id\":\"m1\",\"model\":\"opus\",\"content\":[{\"type\":\"text\",\"text\":\"Part two.\"}]}}\n"
	     "{\"type\":\"assistant\",\"sessionId\":\"S1\",\"message\":{\"id\":\"m1\",\"model\":\"opus\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"make\"}}]}}\n"
	     "{\"type\":\"assistant\",\"sessionId\":\"S1\",\"message\":{\"id\":\"m2\",\"model\":\"haiku\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"Read\",\"input\":{\"file_path\":\"/a\"}}]}}\n"
	     "{\"type\":\"progress\",\"sessionId\":\"S1\",\"data\":{\"message\":{\"type\":\"assistant\"}}}\n"
	     "{\"type\":\"user\",\"sessionId\":\"S1\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"Exit code 2\\nmake: *** error\"}]}}\n"
	     "{\"type\":\"user\",\"sessionId\":\"S1\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t2\",\"content\":[{\"type\":\"text\",\"text\":\"<tool_use_error>File does not exist.</tool_use_error>\"}]}]}}\n"
	     "{\"type\":\"user\",\"sessionId\":\"S1\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t2\",\"is_error\":true,\"content\":\"The user doesn't want to proceed with this tool use.\"}]}}\n"
	     "{\"type\":\"user\",\"sessionId\":\"S1\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"[Request interrupted by user]\"}]}}\n"
	     "{\"type\":\"brand-new-type\",\"sessionId\":\"S1\"}\n",
	     0);
	CHECK(s.nevents == 8);
	CHECK(s.nevents == 8 && s.events[7].kind == EVENT_INTERRUPTED);
	CHECK(s.nevents == 8 && s.events[0].kind == EVENT_USER && s.events[0].ts == 1767225600500);
	CHECK(s.nevents == 8 && s.events[1].kind == EVENT_ASSISTANT);
	CHECK_STR(s.events[1].text, "Part one.\nPart two.");
	CHECK_STR(s.events[2].text, "make");
	CHECK_STR(s.events[3].text, "{\"file_path\":\"/a\"}");
	CHECK(s.events[4].kind == EVENT_TOOL_RESULT && s.events[4].is_error && s.events[4].exit_code == 2);
	CHECK_STR(s.events[4].tool, "Bash");
	CHECK(s.events[5].is_error && s.events[5].exit_code == -1);
	CHECK_STR(s.events[5].tool, "Read");
	CHECK(s.events[6].kind == EVENT_REJECTED);
	CHECK(s.user_turns == 1 && s.tool_calls == 2 && s.tool_errors == 2);
	CHECK(s.skipped_lines == 1);
	CHECK_STR(s.meta.id, "S1");
	CHECK_STR(s.meta.project, "/p");
	CHECK_STR(s.meta.model, "opus");	/* a tie: the first seen */
	CHECK_STR(s.meta.agent, "claude-code");
	CHECK(s.nbad == 0);
	session_release(&s);
}

static void test_codex(void)
{
	struct session s;

	/* A Claude Code file of one summary line is Claude Code's, not unknown. */
	feed(&s, "{\"type\":\"summary\",\"summary\":\"Fix login\",\"leafUuid\":\"u1\"}\n", 0);
	CHECK(s.nevents == 0);
	CHECK_STR(s.meta.agent, "claude-code");
	session_release(&s);

	feed(&s,
	     "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"C1\",\"cwd\":\"/w\",\"cli_version\":\"0.125.0\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:01Z\",\"type\":\"turn_context\",\"payload\":{\"model\":\"gpt-5\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:01Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"<environment_context><cwd>/w</cwd></environment_context>\"},{\"type\":\"input_text\",\"text\":\"run tests\"}]}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:01Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\",\"message\":\"run tests\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:02Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":\"exec_command\",\"arguments\":\"{\\\"cmd\\\":\\\"npm test\\\"}\",\"call_id\":\"c1\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:03Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"Process running with session ID 5\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:04Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"exec_command_end\",\"call_id\":\"c1\",\"exit_code\":1}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:05Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":\"shell\",\"arguments\":\"{\\\"command\\\":[\\\"bash\\\",\\\"-lc\\\",\\\"ls -la\\\"]}\",\"call_id\":\"c2\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:06Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"c2\",\"output\":\"{\\\"output\\\":\\\"no\\\",\\\"metadata\\\":{\\\"exit_code\\\":2}}\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:07Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"custom_tool_call\",\"name\":\"apply_patch\",\"call_id\":\"c3\",\"input\":\"*** Begin Patch\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:08Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"done\"}]}}\n",
	     0);
	CHECK(s.nevents == 7);
	CHECK(s.events[0].kind == EVENT_USER);
	CHECK_STR(s.events[0].text, "run tests");
	CHECK_STR(s.events[1].text, "npm test");
	CHECK(s.events[2].kind == EVENT_TOOL_RESULT && s.events[2].is_error && s.events[2].exit_code == 1);
	CHECK_STR(s.events[2].tool, "exec_command");
	CHECK_STR(s.events[3].text, "ls -la");
	CHECK(s.events[4].exit_code == 2 && s.events[4].is_error);
	CHECK_STR(s.events[4].text, "no");
	CHECK_STR(s.events[5].tool, "apply_patch");
	CHECK(s.events[6].kind == EVENT_ASSISTANT);
	CHECK(s.user_turns == 1 && s.tool_calls == 3 && s.tool_errors == 2);
	CHECK_STR(s.meta.model, "gpt-5");
	CHECK_STR(s.meta.agent_version, "0.125.0");
	CHECK(s.meta.started == 1767225600000);
	session_release(&s);

	/*
	 * A command still running when its call returned: the failure the agent
	 * read through write_stdin is exec_command_end's aggregated_output, and
	 * it belongs to the command. A web search is a call.
	 */
	feed(&s,
	     "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"C3\",\"cwd\":\"/w\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:01Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\",\"message\":\"build\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:02Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":\"exec_command\",\"arguments\":\"{\\\"cmd\\\":\\\"cargo build\\\"}\",\"call_id\":\"a1\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:03Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"a1\",\"output\":\"Chunk ID: 1\\nProcess running with session ID 7\\nOutput:\\n\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:04Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":\"write_stdin\",\"arguments\":\"{\\\"session_id\\\":7}\",\"call_id\":\"a2\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:05Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"a2\",\"output\":\"Process exited with code 101\\nOutput:\\nerror: linker cc not found\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:05Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"exec_command_end\",\"call_id\":\"a1\",\"exit_code\":101,\"aggregated_output\":\"   Compiling x v0.1.0\\nerror: linker cc not found\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:06Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"web_search_call\",\"id\":\"ws1\",\"status\":\"completed\",\"action\":{\"type\":\"search\",\"query\":\"rust linker cc not found\"}}}\n",
	     0);
	CHECK(s.nevents == 6);
	CHECK(s.nevents == 6 && s.events[2].is_error && s.events[2].exit_code == 101);
	CHECK(s.nevents == 6 && strstr(s.events[2].text, "error: linker cc not found") != NULL);
	CHECK(s.nevents == 6 && !s.events[4].is_error);	/* write_stdin's own call worked */
	CHECK(s.nevents == 6 && s.events[5].kind == EVENT_TOOL_CALL);
	CHECK_STR(s.events[5].tool, "web_search");
	CHECK_STR(s.events[5].text, "rust linker cc not found");
	session_release(&s);

	/* A command the user declined, then a turn they stopped. */
	feed(&s,
	     "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"C2\",\"cwd\":\"/w\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:01Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\",\"message\":\"clean up\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:02Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":\"shell\",\"arguments\":\"{\\\"command\\\":[\\\"rm\\\",\\\"-rf\\\",\\\"build\\\"]}\",\"call_id\":\"r1\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:03Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"r1\",\"output\":\"exec command rejected by user\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:04Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"custom_tool_call\",\"name\":\"apply_patch\",\"call_id\":\"r2\",\"input\":\"*** Begin Patch\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:05Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"custom_tool_call_output\",\"call_id\":\"r2\",\"output\":\"patch rejected by user\"}}\n"
	     "{\"timestamp\":\"2026-01-01T00:00:06Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"turn_aborted\",\"reason\":\"interrupted\"}}\n",
	     0);
	CHECK(s.nevents == 6);
	CHECK(s.nevents == 6 && s.events[2].kind == EVENT_REJECTED);
	CHECK_STR(s.events[2].call_id, "r1");
	CHECK_STR(s.events[2].tool, "shell");
	CHECK(s.nevents == 6 && s.events[4].kind == EVENT_REJECTED);
	CHECK_STR(s.events[4].tool, "apply_patch");
	CHECK(s.nevents == 6 && s.events[5].kind == EVENT_INTERRUPTED);
	CHECK_STR(s.events[5].text, "interrupted");
	CHECK(s.tool_calls == 2 && s.tool_errors == 0);
	session_release(&s);

	/* Legacy: no user_message events, so response items count, less injections. */
	feed(&s,
	     "{\"id\":\"L1\",\"timestamp\":\"2025-09-10T18:58:38.331Z\",\"instructions\":\"x\"}\n"
	     "{\"record_type\":\"state\"}\n"
	     "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"<user_instructions>AGENTS</user_instructions>\"}]}\n"
	     "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"<environment_context>\\n  <cwd>/home/u/p</cwd>\\n</environment_context>\"}]}\n"
	     "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"next task?\"}]}\n"
	     "{\"type\":\"function_call_output\",\"call_id\":\"x\",\"output\":\"failed in sandbox LinuxSeccomp\"}\n",
	     0);
	CHECK(s.nevents == 2 && s.user_turns == 1 && s.tool_errors == 1);
	CHECK_STR(s.meta.project, "/home/u/p");
	CHECK_STR(s.meta.id, "L1");
	session_release(&s);
}

static void test_bad_lines(void)
{
	struct session s;

	feed(&s,
	     "{\"type\":\"user\",\"sessionId\":\"S\",\"message\":{\"content\":\"ok\"}}\n"
	     "{\"type\":\"user\"} trailing\n"
	     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
	     "{\"type\":\"user\",\"sessionId\":\"S\",\"message\":{\"content\":\"\xC3\x28\"}}\n"
	     "{\"type\":\"user\",\"sessionId\":\"S\",\"message\":{\"content\":\"ok again\"}}\n",
	     0);
	CHECK(s.nevents == 2);
	CHECK(s.nbad == 3);
	CHECK(s.nbad == 3 && !strcmp(s.bad[0].kind, "not-json") && s.bad[0].line == 2);
	CHECK(s.nbad == 3 && !strcmp(s.bad[1].kind, "too-deep") && s.bad[1].line == 3);
	CHECK(s.nbad == 3 && !strcmp(s.bad[2].kind, "invalid-utf8") && s.bad[2].line == 4);
	CHECK_STR(s.bad[0].reason, "not JSON 't.jsonl:2'");
	session_release(&s);
}

static void test_digest(void)
{
	struct session s, back;
	struct strbuf a, b;
	struct digest dg;
	void *data;
	size_t len;

	feed(&s,
	     "{\"type\":\"user\",\"sessionId\":\"S2\",\"cwd\":\"/p\",\"timestamp\":\"2026-01-01T00:00:00.123Z\",\"message\":{\"content\":\"x\\ty \\\"q\\\" \\u00e9\"}}\n"
	     "{\"type\":\"assistant\",\"sessionId\":\"S2\",\"message\":{\"id\":\"m\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"Bash\",\"input\":{\"command\":\"false\"}}]}}\n"
	     "{\"type\":\"user\",\"sessionId\":\"S2\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"Exit code 1\"}]}}\n",
	     0);
	CHECK(digest_encode(&s, &dg) == 0 && dg.data && !dg.file);
	data = dg.data;
	len = dg.len;
	session_init(&back);
	CHECK(digest_decode(&dg, &back) == 0);
	strbuf_init(&a, STRBUF_NOLIMIT);
	strbuf_init(&b, STRBUF_NOLIMIT);
	session_write_jsonl(&s, &a, NULL);
	session_write_jsonl(&back, &b, NULL);
	CHECK_STR(a.buf, b.buf);
	CHECK(back.nevents == 3 && back.events[2].exit_code == 1 && back.events[2].is_error);
	CHECK(back.meta.started == 1767225600123);
	{
		struct digest half = { data, len / 2, NULL };

		CHECK(digest_decode(&half, &back) < 0);
	}
	/* The thread's JSONL buffer is reused: after a longer session, the same bytes. */
	{
		struct session big;
		struct digest d2, d3;

		feed(&big,
		     "{\"type\":\"user\",\"sessionId\":\"S3\",\"cwd\":\"/a/much/longer/project\","
		     "\"message\":{\"content\":\"a longer prompt than any of the other session's\"}}\n",
		     0);
		CHECK(digest_encode(&big, &d2) == 0);
		CHECK(digest_encode(&s, &d3) == 0);
		CHECK(d3.len == len && !memcmp(d3.data, data, len));
		digest_release(&d2);
		digest_release(&d3);
		session_release(&big);
	}
	digest_release(&dg);
	strbuf_release(&a);
	strbuf_release(&b);
	session_release(&s);
	session_release(&back);

	/* A long text is cut, head and tail kept. */
	{
		struct strbuf line;
		int i;

		strbuf_init(&line, STRBUF_NOLIMIT);
		strbuf_addstr(&line, "{\"type\":\"user\",\"sessionId\":\"S\",\"message\":{\"content\":\"HEAD");
		for (i = 0; i < 10000; i++)
			strbuf_addstr(&line, "\xC3\xA9");
		strbuf_addstr(&line, "TAIL\"}}\n");
		feed(&s, line.buf, 1000);
		CHECK(s.nevents == 1 && s.events[0].text_len <= 1000);
		CHECK(!strncmp(s.events[0].text, "HEAD", 4));
		CHECK(strstr(s.events[0].text, "TAIL") != NULL);
		CHECK(utf8_valid(s.events[0].text, s.events[0].text_len));
		session_release(&s);
		strbuf_release(&line);
	}
	/*
	 * A tree wholly in the thread's arena is not walked to be freed; one
	 * with a string too big for it is (LeakSanitizer would see the string).
	 */
	{
		struct strbuf line;
		int i;

		strbuf_init(&line, STRBUF_NOLIMIT);
		strbuf_addstr(&line, "{\"type\":\"user\",\"sessionId\":\"S\",\"message\":{\"content\":\"");
		for (i = 0; i < 300000; i++)
			strbuf_addch(&line, 'a' + i % 26);
		strbuf_addstr(&line, "\"}}\n{\"type\":\"user\",\"sessionId\":\"S\",\"message\":{\"content\":\"small\"}}\n");
		feed(&s, line.buf, 0);
		CHECK(s.nevents == 2 && s.events[0].text_len == 300000);
		CHECK(s.nevents == 2 && !strcmp(s.events[1].text, "small"));
		session_release(&s);
		strbuf_release(&line);
	}
}

int main(void)
{
	json_arena_install();	/* as dreamd's main() does */
	test_checks();
	test_claude();
	test_codex();
	test_bad_lines();
	test_digest();
	CHECK_STR(event_kind_name(EVENT_TOOL_RESULT), "tool_result");
	CHECK(event_kind_from_name("rejected") == EVENT_REJECTED);
	CHECK(event_kind_from_name("nope") == 0);
	return unit_done();
}
