/*
 * test-spool.c: spool_scan's units: users, subagent grouping (new and
 * older layouts, parentless), the idle window, sorting, symlink loops.
 */
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dreamd/ingest.h"
#include "dreamd/util.h"
#include "tests/unit/unit.h"

static char root[] = "/tmp/test-spool.XXXXXX";

static void put(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", root, rel), *cmd;

	cmd = xasprintf("mkdir -p \"$(dirname '%s')\"", path);
	CHECK(system(cmd) == 0);
	CHECK(write_file_atomic(path, text, strlen(text)) == 0);
	free(cmd);
	free(path);
}

static const char *rel(const char *path)
{
	return path + strlen(root) + 1;
}

int main(void)
{
	struct spool_opts opts = { 0 };
	struct spool_unit *u;
	struct timespec now;
	char *p, *link, *cmd;
	size_t n;

	CHECK(mkdtemp(root) != NULL);
	put("bob/proj/s2.jsonl", "{}\n");
	put("alice/proj/s1.jsonl", "{}\n");
	put("alice/proj/s1/subagents/agent-b.jsonl", "{}\n");
	put("alice/proj/s1/subagents/agent-a.jsonl", "{}\n");
	put("alice/proj/orphan/subagents/agent-c.jsonl", "{}\n");
	put("alice/old/s3.jsonl", "{\"sessionId\":\"s3\"}\n");
	put("alice/old/agent-d1.jsonl", "{\"type\":\"user\",\"sessionId\":\"s3\"}\n");
	put("alice/notes.txt", "x");
	put("top.jsonl", "{}\n");
	link = xasprintf("%s/alice/proj/loop", root);
	p = xasprintf("%s/alice", root);
	CHECK(symlink(p, link) == 0);
	free(p);

	CHECK(spool_scan(root, &opts, &u, &n) == 0);
	CHECK(n == 4);
	if (n == 4) {
		CHECK_STR(rel(u[0].files[0].path), "alice/old/s3.jsonl");
		CHECK(u[0].nfiles == 2);
		CHECK_STR(rel(u[0].files[1].path), "alice/old/agent-d1.jsonl");
		CHECK_STR(rel(u[1].files[0].path), "alice/proj/orphan/subagents/agent-c.jsonl");
		CHECK(u[1].nfiles == 1);
		CHECK_STR(rel(u[2].files[0].path), "alice/proj/s1.jsonl");
		CHECK(u[2].nfiles == 3);
		CHECK_STR(rel(u[2].files[1].path), "alice/proj/s1/subagents/agent-a.jsonl");
		CHECK_STR(rel(u[2].files[2].path), "alice/proj/s1/subagents/agent-b.jsonl");
		CHECK_STR(u[2].user, "alice");
		CHECK_STR(u[3].user, "bob");
	}
	spool_units_free(u, n);

	/* --user names every session; the idle window holds back fresh ones. */
	clock_gettime(CLOCK_REALTIME, &now);
	opts.user = "carol";
	opts.now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	opts.idle_ns = (int64_t)3600 * 1000000000;
	p = xasprintf("%s/bob/proj/s2.jsonl", root);
	{
		struct timespec old[2] = { { now.tv_sec - 7200, 0 }, { now.tv_sec - 7200, 0 } };

		CHECK(utimensat(AT_FDCWD, p, old, 0) == 0);
	}
	free(p);
	CHECK(spool_scan(root, &opts, &u, &n) == 0);
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STR(rel(u[0].files[0].path), "bob/proj/s2.jsonl");
		CHECK_STR(u[0].user, "carol");
	}
	spool_units_free(u, n);

	CHECK(spool_scan("/nonexistent/spool", &opts, &u, &n) < 0);

	free(link);
	cmd = xasprintf("rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
	free(cmd);
	return unit_done();
}
