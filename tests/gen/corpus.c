/*
 * corpus.c: writes a deterministic spool of Claude Code- and Codex-shaped
 * sessions for the benchmark and the reliability suites.
 *
 * usage: corpus-gen [-m MB] [-f FIRST] [-n COUNT] [-s SEED] [-t TURNS]
 *                   [-u USERS] [-p PROJECTS] DIR
 *
 * Session i depends only on (SEED, i): -f/-n write a given range (e.g. "1%
 * new sessions" after a full corpus), -m writes sessions from FIRST on until
 * MB megabytes (uncompressed) are written. Files go to
 * DIR/<user>/<project>/<uuid>.jsonl, uncompressed; the caller compresses
 * them. Prints "sessions N bytes B" on stdout. -t caps the turns per session,
 * -u and -p use only the first users and projects (small test spools).
 *
 * The line shapes are copied from the real transcripts in
 * shared/transcripts: Claude Code (one content block per line, several lines
 * sharing message.id, progress and system lines, tool_result with is_error
 * and "Exit code N" outputs) and Codex rollouts (session_meta, turn_context,
 * response_item function_call/function_call_output/reasoning/message,
 * event_msg user_message/exec_command_end/token_count/agent_message). The
 * content carries recurring mistakes with their fixes, converging workflows,
 * preferences in user text and a few secrets for the redactor.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_LINE (1 << 20)

struct rng {
	uint64_t s;
};

static uint64_t next64(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static unsigned below(struct rng *r, unsigned n)
{
	return (unsigned)((next64(r) >> 32) * n >> 32);
}

/* True with probability pct percent. */
static int chance(struct rng *r, unsigned pct)
{
	return below(r, 10000) < pct * 100;
}

#define PICK(r, a) ((a)[below((r), sizeof(a) / sizeof(*(a)))])

/* One output line, built in place; never longer than MAX_LINE. */
struct buf {
	char *p;
	size_t len;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("corpus-gen: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n >= MAX_LINE)
		die("line over %d bytes", MAX_LINE);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, MAX_LINE - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= MAX_LINE - b->len)
		die("line over %d bytes", MAX_LINE);
	b->len += (size_t)n;
}

/* Appends s as a JSON string, quotes included. */
static void put_json(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;

	put(b, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(b, s + start, i - start);
		start = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; put(b, esc, 2); break;
		case '\\': esc[1] = '\\'; put(b, esc, 2); break;
		case '\n': esc[1] = 'n'; put(b, esc, 2); break;
		case '\t': esc[1] = 't'; put(b, esc, 2); break;
		default:
			esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
			esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
			put(b, esc, 6);
		}
	}
	put(b, s + start, n - start);
	put(b, "\"", 1);
}

static void put_jsons(struct buf *b, const char *s)
{
	put_json(b, s, strlen(s));
}

static void uuid(struct rng *r, char out[37])
{
	uint64_t a = next64(r), c = next64(r);

	snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012" PRIx64,
		 (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
		 (unsigned)a & 0xfff, 0x8000 | ((unsigned)(c >> 48) & 0x3fff),
		 (uint64_t)(c & 0xffffffffffffULL));
}

static void token(struct rng *r, char *out, size_t n, const char *alphabet)
{
	size_t k = strlen(alphabet), i;

	for (i = 0; i < n; i++)
		out[i] = alphabet[below(r, (unsigned)k)];
	out[n] = '\0';
}

static const char b62[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* Milliseconds since the epoch as 2026-10-01T12:00:00.123Z. */
static void iso(int64_t ms, char out[64])
{
	int64_t s = ms / 1000, days = s / 86400, rem = s % 86400;
	int64_t z = days + 719468, era = z / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y, (int)m,
		 (int)d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
		 (int)(ms % 1000 + 1000) % 1000);
}

/* Vocabulary. */
static const char *const users[] = {
	"alice", "bob", "carol", "dave", "erin", "frank", "grace",
};

enum lang { NODE, PYTHON, GO, C };

static const struct project {
	const char *cwd;	/* "%s": the user's name */
	enum lang lang;
} projects[] = {
	{ "/srv/webapp", NODE },
	{ "/srv/ml-pipeline", PYTHON },
	{ "/srv/api-gateway", GO },
	{ "/home/%s/src/dotfiles", C },
	{ "/srv/mobile-app", NODE },
	{ "/home/%s/src/notebook-tools", PYTHON },
	{ "/srv/libfast", C },
};

static const char *const words[] = {
	"the", "request", "handler", "returns", "cache", "value", "when", "config",
	"is", "missing", "and", "user", "session", "token", "retry", "after",
	"timeout", "parse", "error", "module", "function", "test", "build",
	"update", "schema", "migration", "query", "index", "render", "page",
	"component", "state", "queue", "worker", "job", "log", "metric", "for",
	"with", "a", "to", "of", "in", "on", "this", "that", "we", "should",
};

static const char *const modules[] = {
	"express", "lodash", "dotenv", "axios", "react-dom", "jsonwebtoken",
	"pg", "zod",
};

static const char *const pymods[] = {
	"numpy", "pandas", "requests", "yaml", "torch", "sklearn", "pydantic",
};

static const char *const prefs[] = {
	"Please always use pnpm instead of npm in this repo.",
	"Don't add emojis to commit messages.",
	"Use tabs, not spaces, for indentation.",
	"Prefer rg over grep when searching.",
	"Always run the tests before committing.",
	"Never force-push to main.",
	"Keep commit subjects under 50 characters.",
};

static const char *const asks[] = {
	"Fix the failing tests in the %s module",
	"Add a --verbose flag to the %s command",
	"Refactor the %s handler so it is easier to test",
	"Why does the %s job time out on CI?",
	"Write a migration for the %s table",
	"Update the docs for the %s endpoint",
};

static void words_(struct rng *r, struct buf *b, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (i)
			put(b, " ", 1);
		puts_(b, PICK(r, words));
	}
}

/* A source file as a Read tool shows it: "   N→code" lines. */
static void file_lines(struct rng *r, struct buf *b, unsigned nlines)
{
	unsigned i;

	for (i = 1; i <= nlines; i++) {
		putf(b, "%6u\xe2\x86\x92", i);
		if (chance(r, 15)) {
			puts_(b, "\n");
			continue;
		}
		put(b, "\t\t", below(r, 3));
		switch (below(r, 4)) {
		case 0: putf(b, "const %s = %s(", PICK(r, words), PICK(r, words)); break;
		case 1: puts_(b, "// "); break;
		case 2: putf(b, "if (%s.%s) {", PICK(r, words), PICK(r, words)); break;
		default: puts_(b, "return "); break;
		}
		words_(r, b, 2 + below(r, 8));
		puts_(b, "\n");
	}
}

/* A session being written. */
struct sess {
	struct rng r;
	FILE *f;
	struct buf line, tmp, tmp2;
	const char *user;
	char cwd[128];
	enum lang lang;
	char id[37];
	char parent[37];
	char branch[32];
	int64_t ms;
	uint64_t bytes;
	int codex;
};

static void emit(struct sess *s)
{
	put(&s->line, "\n", 1);
	if (fwrite(s->line.p, 1, s->line.len, s->f) != s->line.len)
		die("write: %s", strerror(errno));
	s->bytes += s->line.len;
	s->line.len = 0;
}

static void tick(struct sess *s, unsigned max_s)
{
	s->ms += 200 + below(&s->r, max_s * 1000);
}

/* A command, its output and exit code. */
struct step {
	char cmd[256];
	struct buf *out;
	int exit;
};

/* Claude Code: the envelope every line starts with. */
static void cc_head(struct sess *s, int parent_null)
{
	char u[37];

	uuid(&s->r, u);
	puts_(&s->line, "{\"parentUuid\":");
	if (parent_null)
		puts_(&s->line, "null");
	else
		putf(&s->line, "\"%s\"", s->parent);
	putf(&s->line, ",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"%s\","
	     "\"sessionId\":\"%s\",\"version\":\"2.1.39\",\"gitBranch\":\"%s\","
	     "\"slug\":\"modular-petting-thompson\",", s->cwd, s->id, s->branch);
	memcpy(s->parent, u, sizeof(u));
}

static void cc_tail(struct sess *s)
{
	char ts[64];

	tick(s, 3);
	iso(s->ms, ts);
	putf(&s->line, ",\"uuid\":\"%s\",\"timestamp\":\"%s\"}", s->parent, ts);
	emit(s);
}

static void cc_progress(struct sess *s, const char *event, const char *tool,
			const char *tool_id)
{
	cc_head(s, 0);
	putf(&s->line, "\"type\":\"progress\",\"data\":{\"type\":\"hook_progress\","
	     "\"hookEvent\":\"%s\",\"hookName\":\"%s:%s\",\"command\":"
	     "\"${CLAUDE_PLUGIN_ROOT}/scripts/tool-call-capture.sh\"},"
	     "\"parentToolUseID\":\"%s\",\"toolUseID\":\"%s\"",
	     event, event, tool, tool_id, tool_id);
	cc_tail(s);
}

static void cc_user_text(struct sess *s, const char *text)
{
	cc_head(s, 0);
	puts_(&s->line, "\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":");
	put_jsons(&s->line, text);
	puts_(&s->line, "},\"thinkingMetadata\":{\"maxThinkingTokens\":31999},"
	      "\"todos\":[],\"permissionMode\":\"bypassPermissions\"");
	cc_tail(s);
}

static void cc_assistant_open(struct sess *s, const char *msg_id)
{
	cc_head(s, 0);
	putf(&s->line, "\"message\":{\"model\":\"claude-opus-4-6\",\"id\":\"%s\","
	     "\"type\":\"message\",\"role\":\"assistant\",\"content\":[", msg_id);
}

static void cc_assistant_close(struct sess *s)
{
	char req[25];

	token(&s->r, req, 24, b62);
	putf(&s->line, "],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":"
	     "{\"input_tokens\":%u,\"cache_creation_input_tokens\":%u,"
	     "\"cache_read_input_tokens\":%u,\"cache_creation\":"
	     "{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":%u},"
	     "\"output_tokens\":%u,\"service_tier\":\"standard\","
	     "\"inference_geo\":\"not_available\"}},\"requestId\":\"req_%s\","
	     "\"type\":\"assistant\"",
	     1 + below(&s->r, 9), below(&s->r, 9000), 10000 + below(&s->r, 90000),
	     below(&s->r, 9000), 1 + below(&s->r, 900), req);
	cc_tail(s);
}

/* One tool call: assistant text + tool_use lines, hooks, the result. */
static void cc_tool(struct sess *s, const char *tool, const struct step *st)
{
	char msg_id[40], tool_id[40], t[27];

	token(&s->r, t, 24, b62);
	snprintf(msg_id, sizeof(msg_id), "msg_01%s", t);
	token(&s->r, t, 24, b62);
	snprintf(tool_id, sizeof(tool_id), "toolu_01%s", t);

	if (chance(&s->r, 60)) {
		cc_assistant_open(s, msg_id);
		s->tmp2.len = 0;
		puts_(&s->tmp2, "Let me ");
		words_(&s->r, &s->tmp2, 5 + below(&s->r, 40));
		puts_(&s->tmp2, ".");
		puts_(&s->line, "{\"type\":\"text\",\"text\":");
		put_json(&s->line, s->tmp2.p, s->tmp2.len);
		puts_(&s->line, "}");
		cc_assistant_close(s);
	}
	cc_assistant_open(s, msg_id);
	putf(&s->line, "{\"type\":\"tool_use\",\"id\":\"%s\",\"name\":\"%s\",\"input\":{",
	     tool_id, tool);
	if (!strcmp(tool, "Bash")) {
		puts_(&s->line, "\"command\":");
		put_jsons(&s->line, st->cmd);
		puts_(&s->line, ",\"description\":\"Run the command\"");
	} else if (!strcmp(tool, "Read")) {
		puts_(&s->line, "\"file_path\":");
		put_jsons(&s->line, st->cmd);
	} else {
		puts_(&s->line, "\"file_path\":");
		put_jsons(&s->line, st->cmd);
		s->tmp2.len = 0;
		words_(&s->r, &s->tmp2, 5 + below(&s->r, 30));
		puts_(&s->line, ",\"old_string\":");
		put_json(&s->line, s->tmp2.p, s->tmp2.len);
		s->tmp2.len = 0;
		words_(&s->r, &s->tmp2, 5 + below(&s->r, 30));
		puts_(&s->line, ",\"new_string\":");
		put_json(&s->line, s->tmp2.p, s->tmp2.len);
	}
	puts_(&s->line, "},\"caller\":{\"type\":\"direct\"}}");
	cc_assistant_close(s);
	cc_progress(s, "PreToolUse", tool, tool_id);
	if (!strcmp(tool, "Bash") && st->out->len > 2000 && chance(&s->r, 50)) {
		cc_head(s, 0);
		puts_(&s->line, "\"type\":\"progress\",\"data\":{\"type\":\"bash_progress\",\"output\":");
		put_json(&s->line, st->out->p, 1000);
		puts_(&s->line, ",\"fullOutput\":");
		put_json(&s->line, st->out->p, 1000);
		putf(&s->line, ",\"elapsedTimeSeconds\":3,\"totalLines\":40},"
		     "\"parentToolUseID\":\"%s\",\"toolUseID\":\"bash-progress-0\"", tool_id);
		cc_tail(s);
	}

	tick(s, 20);
	cc_head(s, 0);
	puts_(&s->line, "\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":"
	      "[{\"type\":\"tool_result\",\"content\":");
	s->tmp2.len = 0;
	if (st->exit)
		putf(&s->tmp2, "Exit code %d\n", st->exit);
	put(&s->tmp2, st->out->p, st->out->len);
	put_json(&s->line, s->tmp2.p, s->tmp2.len);
	if (st->exit && chance(&s->r, 70))
		puts_(&s->line, ",\"is_error\":true");
	putf(&s->line, ",\"tool_use_id\":\"%s\"}]},\"toolUseResult\":", tool_id);
	if (st->exit) {
		s->tmp.len = 0;
		puts_(&s->tmp, "Error: ");
		put(&s->tmp, s->tmp2.p, s->tmp2.len < 4000 ? s->tmp2.len : 4000);
		put_json(&s->line, s->tmp.p, s->tmp.len);
	} else if (!strcmp(tool, "Bash")) {
		puts_(&s->line, "{\"stdout\":");
		put_json(&s->line, st->out->p, st->out->len < 4000 ? st->out->len : 4000);
		puts_(&s->line, ",\"stderr\":\"\",\"interrupted\":false,\"isImage\":false}");
	} else {
		puts_(&s->line, "{\"type\":\"text\",\"file\":{\"filePath\":");
		put_jsons(&s->line, st->cmd);
		puts_(&s->line, "}}");
	}
	cc_tail(s);
	cc_progress(s, "PostToolUse", tool, tool_id);
}

static void cc_say(struct sess *s, unsigned nwords)
{
	char msg_id[40], t[27];

	token(&s->r, t, 24, b62);
	snprintf(msg_id, sizeof(msg_id), "msg_01%s", t);
	cc_assistant_open(s, msg_id);
	s->tmp2.len = 0;
	words_(&s->r, &s->tmp2, nwords);
	puts_(&s->line, "{\"type\":\"text\",\"text\":");
	put_json(&s->line, s->tmp2.p, s->tmp2.len);
	puts_(&s->line, "}");
	cc_assistant_close(s);
}

static void cc_system(struct sess *s)
{
	cc_head(s, 0);
	puts_(&s->line, "\"type\":\"system\",\"subtype\":\"stop_hook_summary\",\"hookCount\":1,"
	      "\"hookInfos\":[{\"command\":\"${CLAUDE_PLUGIN_ROOT}/hooks/stop-hook.sh\"}],"
	      "\"hookErrors\":[],\"preventedContinuation\":false,\"stopReason\":\"\","
	      "\"hasOutput\":true,\"level\":\"suggestion\"");
	cc_tail(s);
}

/* Codex: {timestamp, type, payload}. */
static void cx_open(struct sess *s, const char *type)
{
	char ts[64];

	tick(s, 3);
	iso(s->ms, ts);
	putf(&s->line, "{\"timestamp\":\"%s\",\"type\":\"%s\",\"payload\":", ts, type);
}

static void cx_close(struct sess *s)
{
	puts_(&s->line, "}");
	emit(s);
}

static void cx_tool(struct sess *s, const struct step *st, const char *turn_id)
{
	char call[25], chunk[7];

	token(&s->r, call, 24, b62);
	cx_open(s, "response_item");
	puts_(&s->line, "{\"type\":\"reasoning\",\"summary\":[],\"content\":null,"
	      "\"encrypted_content\":\"gAAAAAB");
	s->tmp2.len = 0;
	while (s->tmp2.len < 600 + below(&s->r, 1800))
		puts_(&s->tmp2, b62 + below(&s->r, 50));
	put(&s->line, s->tmp2.p, s->tmp2.len);
	puts_(&s->line, "\"}");
	cx_close(s);

	s->tmp2.len = 0;
	puts_(&s->tmp2, "{\"cmd\": ");
	put_jsons(&s->tmp2, st->cmd);
	putf(&s->tmp2, ", \"workdir\": \"%s\", \"yield_time_ms\": 1000, "
	     "\"max_output_tokens\": 12000}", s->cwd);
	cx_open(s, "response_item");
	puts_(&s->line, "{\"type\":\"function_call\",\"name\":\"exec_command\",\"arguments\":");
	put_json(&s->line, s->tmp2.p, s->tmp2.len);
	putf(&s->line, ",\"call_id\":\"call_%s\"}", call);
	cx_close(s);

	token(&s->r, chunk, 6, "0123456789abcdef");
	s->tmp2.len = 0;
	putf(&s->tmp2, "Chunk ID: %s\nWall time: %u.%04u seconds\nProcess exited with code %d\n"
	     "Original token count: %zu\nOutput:\n", chunk, below(&s->r, 9),
	     below(&s->r, 10000), st->exit, st->out->len / 4);
	put(&s->tmp2, st->out->p, st->out->len);
	tick(s, 20);
	cx_open(s, "response_item");
	putf(&s->line, "{\"type\":\"function_call_output\",\"call_id\":\"call_%s\",\"output\":", call);
	put_json(&s->line, s->tmp2.p, s->tmp2.len);
	puts_(&s->line, "}");
	cx_close(s);

	cx_open(s, "event_msg");
	putf(&s->line, "{\"type\":\"exec_command_end\",\"call_id\":\"call_%s\",\"process_id\":\"%u\","
	     "\"turn_id\":\"%s\",\"command\":[\"/bin/zsh\",\"-lc\",", call,
	     10000 + below(&s->r, 80000), turn_id);
	put_jsons(&s->line, st->cmd);
	putf(&s->line, "],\"cwd\":\"%s\",\"parsed_cmd\":[{\"type\":\"unknown\",\"cmd\":", s->cwd);
	put_jsons(&s->line, st->cmd);
	puts_(&s->line, "}],\"source\":\"unified_exec_startup\",\"stdout\":\"\",\"stderr\":\"\","
	      "\"aggregated_output\":");
	put_json(&s->line, st->out->p, st->out->len);
	putf(&s->line, ",\"exit_code\":%d,\"duration\":{\"secs\":%u,\"nanos\":%u},"
	     "\"formatted_output\":\"\",\"status\":\"%s\"}", st->exit, below(&s->r, 9),
	     below(&s->r, 999999999), st->exit ? "failed" : "completed");
	cx_close(s);

	cx_open(s, "event_msg");
	putf(&s->line, "{\"type\":\"token_count\",\"info\":{\"total_token_usage\":"
	     "{\"input_tokens\":%u,\"cached_input_tokens\":0,\"output_tokens\":%u,"
	     "\"reasoning_output_tokens\":62,\"total_tokens\":%u},"
	     "\"model_context_window\":258400},\"rate_limits\":null}",
	     below(&s->r, 200000), below(&s->r, 2000), below(&s->r, 200000));
	cx_close(s);
}

static void cx_say(struct sess *s, unsigned nwords)
{
	s->tmp2.len = 0;
	words_(&s->r, &s->tmp2, nwords);
	cx_open(s, "event_msg");
	puts_(&s->line, "{\"type\":\"agent_message\",\"message\":");
	put_json(&s->line, s->tmp2.p, s->tmp2.len);
	puts_(&s->line, ",\"phase\":\"final_answer\",\"memory_citation\":null}");
	cx_close(s);
	cx_open(s, "response_item");
	puts_(&s->line, "{\"type\":\"message\",\"role\":\"assistant\",\"content\":"
	      "[{\"type\":\"output_text\",\"text\":");
	put_json(&s->line, s->tmp2.p, s->tmp2.len);
	puts_(&s->line, "}]}");
	cx_close(s);
}

static void cx_user(struct sess *s, const char *text, const char *turn_id)
{
	char date[64];

	iso(s->ms, date);
	date[10] = '\0';
	cx_open(s, "turn_context");
	putf(&s->line, "{\"turn_id\":\"%s\",\"cwd\":\"%s\",\"current_date\":\"%s\","
	     "\"timezone\":\"Europe/Vilnius\",\"approval_policy\":\"on-request\","
	     "\"sandbox_policy\":{\"type\":\"workspace-write\",\"writable_roots\":[],"
	     "\"network_access\":false,\"exclude_tmpdir_env_var\":false,"
	     "\"exclude_slash_tmp\":false},\"model\":\"gpt-5.5\","
	     "\"personality\":\"pragmatic\",\"collaboration_mode\":{\"mode\":\"default\","
	     "\"settings\":{\"model\":\"gpt-5.5\",\"reasoning_effort\":\"medium\"}}}",
	     turn_id, s->cwd, date);
	cx_close(s);
	s->tmp2.len = 0;
	putf(&s->tmp2, "# AGENTS.md instructions for %s\n\n<INSTRUCTIONS>\n", s->cwd);
	words_(&s->r, &s->tmp2, 150);
	putf(&s->tmp2, "\n</INSTRUCTIONS>\n<environment_context>\n  <cwd>%s</cwd>\n"
	     "  <shell>zsh</shell>\n</environment_context>", s->cwd);
	cx_open(s, "response_item");
	puts_(&s->line, "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":");
	put_json(&s->line, s->tmp2.p, s->tmp2.len);
	puts_(&s->line, "},{\"type\":\"input_text\",\"text\":");
	put_jsons(&s->line, text);
	puts_(&s->line, "}]}");
	cx_close(s);
	cx_open(s, "event_msg");
	puts_(&s->line, "{\"type\":\"user_message\",\"message\":");
	put_jsons(&s->line, text);
	puts_(&s->line, ",\"images\":[],\"local_images\":[],\"text_elements\":[]}");
	cx_close(s);
}

/* Runs one step in whichever agent's format. */
static void step(struct sess *s, const char *tool, const struct step *st,
		 const char *turn_id)
{
	if (s->codex)
		cx_tool(s, st, turn_id);
	else
		cc_tool(s, tool, st);
}

static void out_ok(struct sess *s, struct buf *o, unsigned nlines)
{
	unsigned i;

	for (i = 0; i < nlines; i++) {
		words_(&s->r, o, 3 + below(&s->r, 10));
		puts_(o, "\n");
	}
}

/* Scenario: a failing command, its fix, the command again. */
static void scenario(struct sess *s, const char *turn_id)
{
	struct buf *o = &s->tmp;
	struct step st = { "", o, 0 };
	unsigned k = below(&s->r, 100);

	o->len = 0;
	if (s->lang == NODE && k < 40) {
		const char *mod = PICK(&s->r, modules);

		strcpy(st.cmd, "npm test");
		if (chance(&s->r, 45)) {
			putf(o, "\n> webapp@1.4.0 test\n> jest\n\nError: Cannot find module '%s'\n"
			     "Require stack:\n- %s/src/server.js\n- %s/test/server.test.js\n"
			     "    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)\n"
			     "    at Module._load (node:internal/modules/cjs/loader:986:27)\n",
			     mod, s->cwd, s->cwd);
			st.exit = 1;
			step(s, "Bash", &st, turn_id);
			o->len = 0;
			strcpy(st.cmd, "npm install");
			putf(o, "\nadded %u packages, and audited %u packages in 4s\n\n"
			     "found 0 vulnerabilities\n", 100 + below(&s->r, 900), 1000 + below(&s->r, 900));
			st.exit = 0;
			step(s, "Bash", &st, turn_id);
			o->len = 0;
			strcpy(st.cmd, "npm test");
		}
		puts_(o, "PASS test/server.test.js\n");
		out_ok(s, o, 5 + below(&s->r, 60));
		putf(o, "Tests: %u passed, %u total\n", 20 + below(&s->r, 80), 100);
		step(s, "Bash", &st, turn_id);
	} else if (s->lang == PYTHON && k < 40) {
		const char *mod = PICK(&s->r, pymods);

		strcpy(st.cmd, "pytest -q");
		if (chance(&s->r, 45)) {
			putf(o, "==================================== ERRORS ====================================\n"
			     "ImportError while importing test module '%s/tests/test_pipeline.py'.\n"
			     "tests/test_pipeline.py:3: in <module>\n    import %s\n"
			     "E   ModuleNotFoundError: No module named '%s'\n"
			     "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!\n",
			     s->cwd, mod, mod);
			st.exit = 2;
			step(s, "Bash", &st, turn_id);
			o->len = 0;
			strcpy(st.cmd, "pip install -r requirements.txt");
			putf(o, "Collecting %s\n  Downloading %s-2.1.0.tar.gz (1.2 MB)\n"
			     "Successfully installed %s-2.1.0\n", mod, mod, mod);
			st.exit = 0;
			step(s, "Bash", &st, turn_id);
			o->len = 0;
			strcpy(st.cmd, "pytest -q");
		}
		out_ok(s, o, 3 + below(&s->r, 40));
		putf(o, "%u passed in 3.21s\n", 10 + below(&s->r, 90));
		step(s, "Bash", &st, turn_id);
	} else if (k < 55) {
		snprintf(st.cmd, sizeof(st.cmd), "git push");
		if (chance(&s->r, 50)) {
			putf(o, "fatal: The current branch %s has no upstream branch.\n"
			     "To push the current branch and set the remote as upstream, use\n\n"
			     "    git push --set-upstream origin %s\n", s->branch, s->branch);
			st.exit = 128;
			step(s, "Bash", &st, turn_id);
			o->len = 0;
			snprintf(st.cmd, sizeof(st.cmd), "git push --set-upstream origin %s", s->branch);
		}
		putf(o, "To github.com:acme/app.git\n * [new branch]      %s -> %s\n", s->branch, s->branch);
		st.exit = 0;
		step(s, "Bash", &st, turn_id);
	} else if (k < 70) {
		/* The converging workflow. */
		strcpy(st.cmd, s->lang == GO ? "go build ./..." : "make");
		out_ok(s, o, 2 + below(&s->r, 20));
		step(s, "Bash", &st, turn_id);
		o->len = 0;
		strcpy(st.cmd, s->lang == GO ? "go test ./..." : "make test");
		out_ok(s, o, 2 + below(&s->r, 30));
		if (chance(&s->r, 20)) {
			puts_(o, "FAIL: test_cache_expiry (assertion failed: 3 != 4)\n");
			st.exit = 2;
		}
		step(s, "Bash", &st, turn_id);
		if (!st.exit) {
			o->len = 0;
			snprintf(st.cmd, sizeof(st.cmd), "git commit -am \"%s %s\"",
				 PICK(&s->r, words), PICK(&s->r, words));
			putf(o, "[%s 3f2a9c1] update\n 2 files changed, 14 insertions(+)\n", s->branch);
			st.exit = 0;
			step(s, "Bash", &st, turn_id);
		}
	} else if (k < 80 && !s->codex) {
		snprintf(st.cmd, sizeof(st.cmd), "%s/src/%s.%s", s->cwd, PICK(&s->r, words),
			 s->lang == PYTHON ? "py" : "js");
		/* Mostly short files, some 10-50 KB ones. */
		file_lines(&s->r, o, chance(&s->r, 40) ? 200 + below(&s->r, 800) : 20 + below(&s->r, 80));
		step(s, "Read", &st, turn_id);
		o->len = 0;
		puts_(o, "The file has been updated successfully.");
		step(s, "Edit", &st, turn_id);
	} else {
		static const char *const cmds[] = {
			"git status", "git diff", "ls -la", "rg -n TODO src",
			"cat package.json", "env | sort",
		};

		snprintf(st.cmd, sizeof(st.cmd), "%s", PICK(&s->r, cmds));
		if (!strcmp(st.cmd, "env | sort") && chance(&s->r, 30)) {
			char key[41];

			token(&s->r, key, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
			putf(o, "AWS_ACCESS_KEY_ID=AKIA%s\n", key);
			token(&s->r, key, 40, b62);
			putf(o, "AWS_SECRET_ACCESS_KEY=%s\n", key);
			token(&s->r, key, 36, b62);
			putf(o, "GITHUB_TOKEN=ghp_%s\n", key);
		}
		out_ok(s, o, chance(&s->r, 20) ? 200 + below(&s->r, 500) : 1 + below(&s->r, 30));
		step(s, "Bash", &st, turn_id);
	}
}

static unsigned max_turns, nusers = sizeof(users) / sizeof(*users),
	nprojects = sizeof(projects) / sizeof(*projects);

static void session(const char *dir, uint64_t seed, uint64_t i, uint64_t *bytes)
{
	static char lb[MAX_LINE], tb[MAX_LINE], t2[MAX_LINE];
	struct sess s = { .line = { lb, 0 }, .tmp = { tb, 0 }, .tmp2 = { t2, 0 } };
	const struct project *p;
	char path[512], slug[128], text[1024], turn_id[37], *c;
	unsigned turns, t, u;

	s.r.s = seed ^ (i * 0xd1342543de82ef95ULL);
	next64(&s.r);
	u = below(&s.r, nusers);
	s.user = users[u];
	/* Each user works mostly in a few projects. */
	p = &projects[(u + (chance(&s.r, 70) ? 0 : 1 + below(&s.r, 4))) % nprojects];
	snprintf(s.cwd, sizeof(s.cwd), p->cwd, s.user);
	s.lang = p->lang;
	s.codex = chance(&s.r, 30);
	uuid(&s.r, s.id);
	snprintf(s.branch, sizeof(s.branch), "feature-%u", below(&s.r, 500));
	/* 2026-10-01 onwards, about 40 minutes apart. */
	s.ms = 1790812800000LL + (int64_t)i * 2400000 + below(&s.r, 1200000);

	snprintf(slug, sizeof(slug), "%s", s.cwd);
	for (c = slug; *c; c++)
		if (*c == '/')
			*c = '-';
	snprintf(path, sizeof(path), "%s/%s", dir, s.user);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, s.user, slug);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/%s/%s/%s%s.jsonl", dir, s.user, slug,
		 s.codex ? "rollout-" : "", s.id);
	s.f = fopen(path, "w");
	if (!s.f)
		die("cannot open '%s': %s", path, strerror(errno));

	if (s.codex) {
		cx_open(&s, "session_meta");
		putf(&s.line, "{\"id\":\"%s\",\"timestamp\":\"", s.id);
		iso(s.ms, text);
		putf(&s.line, "%s\",\"cwd\":\"%s\",\"originator\":\"codex-tui\","
		     "\"cli_version\":\"0.125.0\",\"source\":\"cli\",\"model_provider\":\"openai\","
		     "\"base_instructions\":{\"text\":\"You are Codex, a coding agent based on GPT-5.",
		     text, s.cwd);
		s.tmp2.len = 0;
		words_(&s.r, &s.tmp2, 1500);
		put(&s.line, s.tmp2.p, s.tmp2.len);
		puts_(&s.line, "\"}}");
		cx_close(&s);
	} else {
		char snap[37];

		uuid(&s.r, snap);
		putf(&s.line, "{\"type\":\"file-history-snapshot\",\"messageId\":\"%s\",\"snapshot\":"
		     "{\"messageId\":\"%s\",\"trackedFileBackups\":{},\"timestamp\":\"", snap, snap);
		iso(s.ms, text);
		putf(&s.line, "%s\"},\"isSnapshotUpdate\":false}", text);
		emit(&s);
		cc_head(&s, 1);
		puts_(&s.line, "\"type\":\"progress\",\"data\":{\"type\":\"hook_progress\","
		      "\"hookEvent\":\"SessionStart\",\"hookName\":\"SessionStart:startup\","
		      "\"command\":\"bd prime\"},\"parentToolUseID\":\"start\",\"toolUseID\":\"start\"");
		cc_tail(&s);
	}

	turns = 2 + below(&s.r, chance(&s.r, 10) ? 60 : 14);
	if (max_turns && turns > max_turns)
		turns = max_turns;
	for (t = 0; t < turns; t++) {
		unsigned nsteps = 1 + below(&s.r, 6), k;
		int n;

		uuid(&s.r, turn_id);
		n = snprintf(text, sizeof(text), PICK(&s.r, asks), PICK(&s.r, words));
		if (chance(&s.r, 12))
			snprintf(text + n, sizeof(text) - (size_t)n, ". %s", PICK(&s.r, prefs));
		tick(&s, 120);
		if (s.codex)
			cx_user(&s, text, turn_id);
		else
			cc_user_text(&s, text);
		for (k = 0; k < nsteps; k++)
			scenario(&s, turn_id);
		if (s.codex) {
			cx_say(&s, 20 + below(&s.r, 120));
		} else {
			cc_say(&s, 20 + below(&s.r, 120));
			if (chance(&s.r, 50))
				cc_system(&s);
		}
	}
	if (fclose(s.f))
		die("cannot write '%s': %s", path, strerror(errno));
	*bytes += s.bytes;
}

int main(int argc, char **argv)
{
	uint64_t seed = 20261001, first = 0, count = 0, mb = 500, bytes = 0, i;
	int opt;

	while ((opt = getopt(argc, argv, "m:f:n:s:t:u:p:")) != -1) {
		switch (opt) {
		case 'm': mb = strtoull(optarg, NULL, 10); break;
		case 'f': first = strtoull(optarg, NULL, 10); break;
		case 'n': count = strtoull(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 't': max_turns = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'u':
			if (!atoi(optarg) || (unsigned)atoi(optarg) > nusers)
				goto usage;
			nusers = (unsigned)atoi(optarg);
			break;
		case 'p':
			if (!atoi(optarg) || (unsigned)atoi(optarg) > nprojects)
				goto usage;
			nprojects = (unsigned)atoi(optarg);
			break;
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	if (mkdir(argv[optind], 0777) && errno != EEXIST)
		die("cannot create '%s': %s", argv[optind], strerror(errno));
	for (i = first; count ? i < first + count : bytes < mb << 20; i++)
		session(argv[optind], seed, i, &bytes);
	printf("sessions %" PRIu64 " bytes %" PRIu64 "\n", i - first, bytes);
	return 0;
usage:
	fputs("usage: corpus-gen [-m MB] [-f FIRST] [-n COUNT] [-s SEED] [-t TURNS]\n"
	      "                  [-u USERS] [-p PROJECTS] DIR\n", stderr);
	return 64;
}
