/*
 * gen_hosts.c - writes N realistic host dumps, deterministic from a seed, by varying the
 * real dumps of tests/data/dumps: a vendor and generation mix, per-host APIC ids, and the
 * differences real fleets have (AES switched off in the BIOS on some hosts, turbo off,
 * microcode with or without the speculation-control bits).
 *
 *   gen_hosts [-n N] [-s SEED] [-k HOSTS_PER_FILE] [-f FORMAT] OUTDIR DUMP...
 *
 * FORMAT is one of cpuidmask (the default), cpuid-r, vmware-log, libvirt, instlat, vsphere;
 * the formats that hold one host per file get one file per host.
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

/* The subleaf to print: CM_NO_SUBLEAF is written as 0. */
static uint32_t sub_of(const struct cm_leaf *e)
{
	return e->subleaf == CM_NO_SUBLEAF ? 0 : e->subleaf;
}

static void write_canonical(FILE *out, const cm_snap *s, long host)
{
	(void)host;
	struct cm_buf b = CM_BUF_INIT;
	cm_write_dump(&b, s);
	fwrite(b.data, 1, b.len, out);
	cm_buf_free(&b);
}

/* Todd Allen's cpuid -r -1 */
static void write_cpuid_r(FILE *out, const cm_snap *s, long host)
{
	(void)host;
	fputs("CPU:\n", out);
	for (size_t i = 0; i < cm_snap_count(s); i++) {
		const struct cm_leaf *e = cm_snap_at(s, i);
		fprintf(out, "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", e->leaf,
			sub_of(e), e->reg[0], e->reg[1], e->reg[2], e->reg[3]);
	}
}

/* a VM's vmware.log: a few ordinary lines, then the hostCPUID block */
static void write_vmware_log(FILE *out, const cm_snap *s, long host)
{
	const char *stamp = "2026-11-28T09:00:00.000Z In(05) vmx";
	fprintf(out, "%s Log for VMware ESX pid=%ld version=8.0.3 build=build-24022510 option=Release\n"
		     "%s Hostname=esx-%06ld.example.net\n", stamp, 1000 + host, stamp, host);
	for (size_t i = 0; i < cm_snap_count(s); i++) {
		const struct cm_leaf *e = cm_snap_at(s, i);
		fprintf(out, "%s hostCPUID level %08x, %u: 0x%08x 0x%08x 0x%08x 0x%08x\n", stamp, e->leaf,
			sub_of(e), e->reg[0], e->reg[1], e->reg[2], e->reg[3]);
	}
	fprintf(out, "%s CPUID differences from hostCPUID.\n", stamp);
}

/* libvirt's <cpudata> (tests/cputestdata) */
static void write_libvirt(FILE *out, const cm_snap *s, long host)
{
	fprintf(out, "<!-- host-%06ld -->\n<cpudata arch='x86'>\n", host);
	for (size_t i = 0; i < cm_snap_count(s); i++) {
		const struct cm_leaf *e = cm_snap_at(s, i);
		fprintf(out, "  <cpuid eax_in='0x%08x' ecx_in='0x%02x' eax='0x%08x' ebx='0x%08x' "
			     "ecx='0x%08x' edx='0x%08x'/>\n", e->leaf, sub_of(e), e->reg[0], e->reg[1],
			e->reg[2], e->reg[3]);
	}
	fputs("</cpudata>\n", out);
}

/* an AIDA64 CPUID dump with [SL nn] tags */
static void write_instlat(FILE *out, const cm_snap *s, long host)
{
	fprintf(out, "------[ Versions ]------\n\nProgram Version : AIDA64 v6.92.6600\n\n"
		     "------[ Logical CPU #0 ]------\n\n");
	(void)host;
	for (size_t i = 0; i < cm_snap_count(s); i++) {
		const struct cm_leaf *e = cm_snap_at(s, i);
		fprintf(out, "CPUID %08X: %08X-%08X-%08X-%08X", e->leaf, e->reg[0], e->reg[1], e->reg[2],
			e->reg[3]);
		if (e->subleaf != CM_NO_SUBLEAF)
			fprintf(out, " [SL %02X]", e->subleaf);
		fputs("\n", out);
	}
	fputs("\n", out);
}

/* govc host.info -json style: the host-wide feature vectors (leaves vSphere lists) */
static void write_vsphere(FILE *out, const cm_snap *s, long host)
{
	static const uint32_t leaves[] = { 0, 1, 0x80000000, 0x80000001, 0x80000008 };
	fprintf(out, "{\n  \"Name\": \"esx-%06ld.example.net\",\n  \"CpuFeature\": [\n", host);
	bool first = true;
	for (size_t k = 0; k < sizeof leaves / sizeof leaves[0]; k++) {
		const struct cm_leaf *e = cm_snap_find(s, leaves[k], 0);
		if (!e)
			e = cm_snap_find(s, leaves[k], CM_NO_SUBLEAF);
		if (!e)
			continue;
		fprintf(out, "%s    {\n      \"Level\": %d,\n      \"Vendor\": \"\",\n", first ? "" : ",\n",
			(int)(int32_t)e->leaf);
		static const char *const names[] = { "Eax", "Ebx", "Ecx", "Edx" };
		for (int r = 0; r < 4; r++) {
			fprintf(out, "      \"%s\": \"", names[r]);
			for (int bit = 31; bit >= 0; bit--) {
				fputc(e->reg[r] >> bit & 1 ? '1' : '0', out);
				if (bit && bit % 4 == 0)
					fputc(':', out);
			}
			fprintf(out, "\"%s\n", r < 3 ? "," : "");
		}
		fputs("    }", out);
		first = false;
	}
	fputs("\n  ]\n}\n", out);
}

struct format {
	const char *name, *ext;
	bool several;	/* the format holds several hosts per file */
	void (*write)(FILE *, const cm_snap *, long);
};

static const struct format formats[] = {
	{ "cpuidmask", "dump", true, write_canonical },
	{ "cpuid-r", "txt", false, write_cpuid_r },
	{ "vmware-log", "log", false, write_vmware_log },
	{ "libvirt", "xml", false, write_libvirt },
	{ "instlat", "txt", false, write_instlat },
	{ "vsphere", "json", true, write_vsphere },
};

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
		fprintf(stderr, "usage: gen_hosts [-n N] [-s SEED] [-k PER_FILE] [-f FORMAT] "
				"OUTDIR DUMP...\n");
		return 2;
	}
	const struct format *fmt = NULL;
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(formats[i].name, format) == 0)
			fmt = &formats[i];
	if (!fmt) {
		fprintf(stderr, "gen_hosts: unknown format '%s'\n", format);
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
	if (!fmt->several)
		per_file = 1;
	bool vsphere = fmt->write == write_vsphere;
	FILE *out = NULL;
	for (long h = 0; h < n; h++) {
		if (h % per_file == 0) {
			if (out) {
				if (vsphere)
					fputs("]\n", out);
				fclose(out);
			}
			char path[4096];
			snprintf(path, sizeof path, "%s/hosts-%06ld.%s", dir, h / per_file, fmt->ext);
			out = fopen(path, "w");
			if (!out) {
				perror(path);
				return 2;
			}
			if (vsphere)
				fputs("[\n", out);
		} else if (vsphere) {
			fputs(",\n", out);
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
		fmt->write(out, s, h);
		cm_snap_free(s);
	}
	if (out) {
		if (vsphere)
			fputs("]\n", out);
		if (fclose(out)) {
			perror(dir);
			return 2;
		}
	}
	for (int i = 0; i < nbase; i++)
		cm_snap_free(base[i]);
	free(base);
	return 0;
}
