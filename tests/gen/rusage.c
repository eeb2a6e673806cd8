/*
 * rusage.c: runs a command and reports its wall time and peak RSS, for
 * tests/bench.sh (GNU time is not everywhere).
 *
 * usage: bench-time OUT COMMAND [ARG]...
 *
 * Writes "SECONDS MAXRSS_KB EXIT" to OUT and exits as the command did.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, code;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fputs("usage: bench-time OUT COMMAND [ARG]...\n", stderr);
		return 64;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench-time: error: fork: %s\n", strerror(errno));
		return 71;
	}
	if (!pid) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "bench-time: error: cannot run '%s': %s\n", argv[2],
			strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		fprintf(stderr, "bench-time: error: wait: %s\n", strerror(errno));
		return 71;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	f = fopen(argv[1], "w");
	if (!f) {
		fprintf(stderr, "bench-time: error: cannot open '%s': %s\n", argv[1],
			strerror(errno));
		return 73;
	}
	fprintf(f, "%.3f %ld %d\n", (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_maxrss, code);
	if (fclose(f))
		return 74;
	return code;
}
