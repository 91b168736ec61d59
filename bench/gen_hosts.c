/*
 * gen_hosts.c - writes N realistic host dumps, deterministic from a seed, by varying the
 * real dumps of tests/data/dumps: a vendor and generation mix, per-host APIC ids, and the
 * differences real fleets have (AES switched off in the BIOS on some hosts, turbo off,
 * microcode with or without the speculation-control bits).
 *
 *   gen_hosts [-n N] [-s SEED] [-k HOSTS_PER_FILE] [-f cpuidmask|cpuid-r] OUTDIR DUMP...
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpuidmask.h"

static uint64_t rng = 88172645463325252ull;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b)
		b[n] = '\0';
	*len = (size_t)n;
	return b;
}

/* Change one bit of one register, when the result exists. */
static void flip(cm_snap *s, uint32_t leaf, uint32_t sub, int reg, int bit, int value)
{
	const struct cm_leaf *e = cm_snap_find(s, leaf, sub);
	if (!e)
		return;
	uint32_t r[4];
	memcpy(r, e->reg, sizeof r);
	r[reg] = value ? r[reg] | (1u << bit) : r[reg] & ~(1u << bit);
	cm_snap_put(s, e->leaf, e->subleaf, r, NULL);
}

static uint32_t sub0(const cm_snap *s, uint32_t leaf)
{
	return cm_snap_find(s, leaf, 0) ? 0 : CM_NO_SUBLEAF;
}

static void write_raw(FILE *out, const cm_snap *s)
{
	fputs("CPU:\n", out);
	for (size_t i = 0; i < cm_snap_count(s); i++) {
		const struct cm_leaf *e = cm_snap_at(s, i);
		fprintf(out, "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", e->leaf,
			e->subleaf == CM_NO_SUBLEAF ? 0 : e->subleaf, e->reg[0], e->reg[1], e->reg[2],
			e->reg[3]);
	}
}

int main(int argc, char **argv)
{
	long n = 1000, per_file = 1000;
	const char *format = "cpuidmask";
	int opt;
	while ((opt = getopt(argc, argv, "n:s:k:f:")) != -1) {
		if (opt == 'n')
			n = atol(optarg);
		else if (opt == 's')
			rng = strtoull(optarg, NULL, 0) * 2654435761u + 1;
		else if (opt == 'k')
			per_file = atol(optarg);
		else if (opt == 'f')
			format = optarg;
		else
			return 2;
	}
	if (optind + 2 > argc || n < 1 || per_file < 1) {
		fprintf(stderr, "usage: gen_hosts [-n N] [-s SEED] [-k PER_FILE] [-f cpuidmask|cpuid-r] "
				"OUTDIR DUMP...\n");
		return 2;
	}
	const char *dir = argv[optind];
	int nbase = argc - optind - 1;
	cm_snap **base = calloc((size_t)nbase, sizeof *base);
	for (int i = 0; i < nbase; i++) {
		size_t len;
		char *d = slurp(argv[optind + 1 + i], &len);
		struct cm_error err;
		if (!d || cm_read(&base[i], d, len, argv[optind + 1 + i], NULL, &err)) {
			fprintf(stderr, "gen_hosts: %s: %s\n", argv[optind + 1 + i], d ? err.msg : "unreadable");
			return 2;
		}
		free(d);
	}
	if (mkdir(dir, 0777) && errno != EEXIST) {
		perror(dir);
		return 2;
	}
	bool raw = strcmp(format, "cpuid-r") == 0;
	FILE *out = NULL;
	struct cm_buf b = CM_BUF_INIT;
	for (long h = 0; h < n; h++) {
		if (h % per_file == 0 || raw) {
			if (out)
				fclose(out);
			char path[4096];
			snprintf(path, sizeof path, "%s/hosts-%06ld.%s", dir, h / (raw ? 1 : per_file),
				 raw ? "txt" : "dump");
			out = fopen(path, "w");
			if (!out) {
				perror(path);
				return 2;
			}
		}
		/* a fleet is mostly a few generations; older ones are rarer */
		uint32_t x = next() % 100;
		int pick = (int)((x * x / 100) * (uint32_t)nbase / 100);
		cm_snap *s;
		cm_snap_dup(&s, base[nbase - 1 - pick]);
		char src[64];
		snprintf(src, sizeof src, "host-%06ld", h);
		cm_snap_set_source(s, src);
		/* per host: the APIC id of the CPU that ran the capture */
		const struct cm_leaf *e = cm_snap_find(s, 1, sub0(s, 1));
		if (e) {
			uint32_t r[4];
			memcpy(r, e->reg, sizeof r);
			r[1] = (r[1] & 0x00ffffff) | (next() & 0x3f) << 24;
			cm_snap_put(s, e->leaf, e->subleaf, r, NULL);
		}
		uint32_t y = next() % 1000;
		if (y < 20)
			flip(s, 1, sub0(s, 1), CM_ECX, 25, 0);	/* AES off in the BIOS */
		else if (y < 70)
			flip(s, 6, sub0(s, 6), CM_EAX, 1, 0);	/* turbo off */
		else if (y < 150)
			flip(s, 7, 0, CM_EDX, 10, 0);		/* older microcode: no MD_CLEAR */
		if (raw) {
			write_raw(out, s);
		} else {
			cm_buf_reset(&b);
			cm_write_dump(&b, s);
			fwrite(b.data, 1, b.len, out);
		}
		cm_snap_free(s);
	}
	if (out)
		fclose(out);
	cm_buf_free(&b);
	for (int i = 0; i < nbase; i++)
		cm_snap_free(base[i]);
	free(base);
	return 0;
}
