/*
 * bench_read.c - how fast the readers go: each sample is read REPEAT times (all its CPUs),
 * and the rate is printed in MB/s and dumps/s; then the same bytes through cm_fleet_add(),
 * the path `cpuidmask fleet` takes (a fast path for canonical and cpuid -r text, the strict
 * reader for the rest), without any file system cost. Also times a live capture and a full
 * decode + diff of two dumps. Numbers, not a pass/fail test: see `make bench`.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpuidmask.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static int drop(cm_snap *s, long cpu, void *payload)
{
	(void)cpu;
	(*(long *)payload)++;
	cm_snap_free(s);
	return 0;
}

/* MB/s of cm_fleet_add() on one input held in memory, a fresh fleet each round; -1 on error */
static double fleet_mbs(const char *data, size_t len, const char *name, double budget)
{
	long rounds = 0;
	double t0 = now(), t;
	do {
		cm_fleet *fl;
		struct cm_error err;
		if (cm_fleet_new(&fl)) {
			fprintf(stderr, "bench: out of memory\n");
			return -1;
		}
		if (cm_fleet_add(fl, data, len, name, &err)) {
			fprintf(stderr, "bench: %s: %s\n", name, err.msg);
			cm_fleet_free(fl);
			return -1;
		}
		cm_fleet_free(fl);
		rounds++;
		t = now() - t0;
	} while (t < budget);
	return (double)len * (double)rounds / t / 1e6;
}

int main(int argc, char **argv)
{
	double budget = argc > 1 ? atof(argv[1]) : 0.5; /* seconds per sample */
	printf("| input | format | bytes | MB/s | CPUs/s | fleet path MB/s |\n"
	       "|---|---|---:|---:|---:|---:|\n");
	for (int i = 2; i < argc; i++) {
		size_t len;
		char *data = slurp(argv[i], &len);
		if (!data) {
			fprintf(stderr, "bench: cannot read %s\n", argv[i]);
			return 2;
		}
		const struct cm_format_info *f = cm_format_probe(data, len);
		long cpus = 0, rounds = 0;
		double t0 = now(), t;
		do {
			struct cm_error err;
			if (cm_read_each(data, len, argv[i], NULL, drop, &cpus, &err)) {
				fprintf(stderr, "bench: %s: %s\n", argv[i], err.msg);
				return 2;
			}
			rounds++;
			t = now() - t0;
		} while (t < budget);
		double fleet_rate = fleet_mbs(data, len, argv[i], budget);
		if (fleet_rate < 0)
			return 2;
		printf("| %s | %s | %zu | %.1f | %.0f | %.1f |\n", strrchr(argv[i], '/') + 1,
		       f ? f->name : "?", len, (double)len * (double)rounds / t / 1e6,
		       (double)cpus / t, fleet_rate);
		free(data);
	}
	cm_snap *s = NULL;
	struct cm_error err;
	long n = 0;
	double t0 = now(), t;
	do {
		if (cm_capture(&s, &err)) {
			printf("\ncapture: %s\n", err.msg);
			return 0;
		}
		if (n == 0) {
			struct cm_fset a, b;
			cm_diff(s, s, &a, &b, NULL, NULL, NULL);
		}
		cm_snap_free(s);
		n++;
		t = now() - t0;
	} while (t < budget);
	printf("\nlive capture of this CPU: %.1f us each (%ld runs)\n", t / (double)n * 1e6, n);
	return 0;
}
