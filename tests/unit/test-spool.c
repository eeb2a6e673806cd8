/*
 * test-spool.c: spool_scan's units: users, subagent grouping (new and
 * older layouts, parentless), the idle window, sorting, symlink loops.
 */
#include <errno.h>
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

	/*
	 * Links out of the spool are units to quarantine, never read; a
	 * directory or file swapped for a link after the scan is not opened.
	 */
	opts.user = NULL;
	opts.idle_ns = 0;
	p = xasprintf("%s/alice/proj/etc.jsonl", root);
	CHECK(symlink("/etc/passwd", p) == 0);
	free(p);
	p = xasprintf("%s/alice/rootdir", root);
	CHECK(symlink("/", p) == 0);
	free(p);
	CHECK(spool_scan(root, &opts, &u, &n) == 0);
	{
		size_t i, bad = 0, good = 0;
		const struct spool_unit *s1 = NULL;

		for (i = 0; i < n; i++) {
			if (u[i].files[0].bad_kind) {
				bad++;
				CHECK_STR(u[i].files[0].bad_kind, "outside-spool");
				if (!strcmp(rel(u[i].files[0].path), "alice/proj/etc.jsonl"))
					CHECK_STR(u[i].files[0].bad_why,
						  "link out of the spool to '/etc/passwd'");
				else
					CHECK_STR(u[i].files[0].bad_why, "link out of the spool to '/'");
			} else {
				good++;
			}
			if (!strcmp(rel(u[i].files[0].path), "alice/proj/s1.jsonl"))
				s1 = &u[i];
		}
		CHECK(bad == 2);
		CHECK(good == 4);
		CHECK(s1 != NULL);
		if (s1) {
			char *dir = xasprintf("%s/alice/proj", root);
			char *moved = xasprintf("%s/alice/moved", root);
			char *file = xasprintf("%s/alice/moved/s1.jsonl", root);
			int fd = spool_open(s1, s1->files[0].path);

			CHECK(fd >= 0);
			if (fd >= 0)
				close(fd);
			CHECK(rename(dir, moved) == 0);
			CHECK(symlink(moved, dir) == 0);
			errno = 0;
			CHECK(spool_open(s1, s1->files[0].path) < 0);
			CHECK(errno == ELOOP || errno == ENOTDIR);
			CHECK(unlink(dir) == 0);
			CHECK(rename(moved, dir) == 0);
			/* the file itself swapped for a link */
			CHECK(unlink(s1->files[0].path) == 0);
			CHECK(symlink("/etc/passwd", s1->files[0].path) == 0);
			errno = 0;
			CHECK(spool_open(s1, s1->files[0].path) < 0);
			CHECK(errno == ELOOP);
			free(dir);
			free(moved);
			free(file);
		}
	}
	spool_units_free(u, n);

	free(link);
	cmd = xasprintf("rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
	free(cmd);
	return unit_done();
}
