/*
 * measure.c - run a command R times and print its median and best wall time and its peak
 * resident set size, as "median_ms best_ms peak_rss_kib exit_status". Standard output and
 * error of the command go to /dev/null unless -v.
 *
 *   measure [-r RUNS] [-v] COMMAND [ARG]...
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int runs = 5, verbose = 0, opt;
	while ((opt = getopt(argc, argv, "+r:v")) != -1) {
		if (opt == 'r')
			runs = atoi(optarg);
		else if (opt == 'v')
			verbose = 1;
		else
			return 2;
	}
	if (optind >= argc || runs < 1 || runs > 10000) {
		fprintf(stderr, "usage: measure [-r RUNS] [-v] COMMAND [ARG]...\n");
		return 2;
	}
	double *t = malloc((size_t)runs * sizeof *t);
	if (!t)
		return 2;
	long peak = 0;
	int status = 0;
	for (int i = 0; i < runs; i++) {
		double start = now_ms();
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (pid == 0) {
			if (!verbose) {
				int fd = open("/dev/null", O_WRONLY);
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execvp(argv[optind], argv + optind);
			_exit(127);
		}
		struct rusage ru;
		int st;
		if (wait4(pid, &st, 0, &ru) < 0) {
			perror("wait4");
			return 2;
		}
		t[i] = now_ms() - start;
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
		status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	qsort(t, (size_t)runs, sizeof *t, by_value);
	printf("%.2f %.2f %ld %d\n", t[runs / 2], t[0], peak, status);
	free(t);
	return 0;
}
