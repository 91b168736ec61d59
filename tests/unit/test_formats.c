/*
 * test_formats.c - the readers: detection, the same CPU from different formats, round
 * trips of the dump format, CPU and view selection, and bad input of every kind.
 */
#include "testutil.h"

#define FMT "tests/data/formats/"

/* Every sample and the format it must be detected as. */
static const struct {
	const char *path, *format;
} samples[] = {
	{ FMT "cpuid-r/core-i7-3770.txt", "cpuid-r" },
	{ FMT "cpuid-r/core-i7-3770-old-form.txt", "cpuid-r" },
	{ FMT "cpuid-r/this-build-machine-2cpu.txt", "cpuid-r" },
	{ FMT "cpuid-r/amd-epyc-zen5-kvm-guest.txt", "cpuid-r" },
	{ FMT "instlat/atom-c2750-aida64-4.00.txt", "instlat" },
	{ FMT "instlat/haswell-i7-4800mq-aida64-report.txt", "instlat" },
	{ FMT "instlat/phenom2-b55-cpu-hash.txt", "instlat" },
	{ FMT "instlat/prescott-celeron-d-everest-4.60.txt", "instlat" },
	{ FMT "instlat/sandybridge-i5-2400-aida64-1.20.txt", "instlat" },
	{ FMT "instlat/tigerlake-i5-1135g7-aida64-6.25.txt", "instlat" },
	{ FMT "instlat/zen2-ryzen9-3900-aida64-6.10.txt", "instlat" },
	{ FMT "vmware-log/ws17-core-i5-2500.log", "vmware-log" },
	{ FMT "vmware-log/ws7-pentium-t4200.log", "vmware-log" },
	{ FMT "vmware-log/i125-prefix-excerpt.log", "vmware-log" },
	{ FMT "vmware-log/i005-guest-vs-host-excerpt.log", "vmware-log" },
	{ FMT "libvirt/core-i7-3770.xml", "libvirt" },
	{ FMT "vsphere/govc-host-info-json.txt", "vsphere" },
	{ FMT "vsphere/govmomi-go-literal.txt", "vsphere" },
	{ FMT "cpuidmask/partial-vsphere.dump", "cpuidmask" },
	{ FMT "cpuidmask/unknown-bits.dump", "cpuidmask" },
	{ DUMPS "core-i7-3770.dump", "cpuidmask" },
};
#define N_SAMPLES (sizeof samples / sizeof samples[0])

static void detection(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_SAMPLES; i++) {
		size_t len;
		char *data = slurp(samples[i].path, &len);
		const struct cm_format_info *f = cm_format_probe(data, len);
		if (!f || strcmp(f->name, samples[i].format) != 0)
			fail_msg("%s detected as %s", samples[i].path, f ? f->name : "nothing");
		free(data);
	}
	assert_null(cm_format_probe("hello\n", 6));
	assert_int_equal(cm_format_count(), 6);
}

/* dump -> read -> dump is byte-identical, and the snapshots are equal, for every input. */
static void roundtrip_one(const cm_snap *s, const char *what)
{
	struct cm_buf a = CM_BUF_INIT, b = CM_BUF_INIT;
	assert_int_equal(cm_write_dump(&a, s), 0);
	struct cm_read_opts o = CM_READ_OPTS_INIT;
	o.format = "cpuidmask";
	struct cm_error err;
	cm_snap *t = NULL;
	if (cm_read(&t, a.data, a.len, "x", &o, &err))
		fail_msg("%s: dump does not read back: %ld: %s", what, err.line, err.msg);
	if (!cm_snap_equal(s, t))
		fail_msg("%s: snapshot changed in the round trip", what);
	assert_string_equal(cm_snap_source(s), cm_snap_source(t));
	assert_int_equal(cm_write_dump(&b, t), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	cm_snap_free(t);
	cm_buf_free(&a);
	cm_buf_free(&b);
}

static void roundtrip(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_SAMPLES; i++) {
		cm_snap *s = load(samples[i].path);
		roundtrip_one(s, samples[i].path);
		cm_snap_free(s);
	}
	for (size_t i = 0; i < N_DUMPS; i++) {
		cm_snap *s = load_fixture(all_dumps[i]);
		roundtrip_one(s, all_dumps[i]);
		cm_snap_free(s);
	}
}

/* Bits two captures of one CPU model may differ in: (leaf, subleaf, register, mask). */
struct allowed {
	uint32_t leaf, subleaf;
	int reg;
	uint32_t mask;
};

/*
 * Every leaf both snapshots answer gives the same registers, outside `allowed`; returns how
 * many leaves were compared. Bits a side does not know (vSphere) are not compared.
 */
static size_t same_answers(const cm_snap *a, const cm_snap *b, const struct allowed *allowed,
			   size_t n)
{
	size_t compared = 0;
	for (size_t i = 0; i < cm_snap_count(a); i++) {
		const struct cm_leaf *x = cm_snap_at(a, i);
		uint32_t sub = x->subleaf == CM_NO_SUBLEAF ? 0 : x->subleaf;
		const struct cm_leaf *y = cm_snap_lookup(b, x->leaf, sub);
		if (!y || !cm_snap_lookup(a, x->leaf, sub))
			continue;
		compared++;
		for (int r = 0; r < 4; r++) {
			uint32_t skip = 0;
			for (size_t k = 0; k < n; k++)
				if (allowed[k].leaf == x->leaf && allowed[k].subleaf == sub &&
				    allowed[k].reg == r)
					skip |= allowed[k].mask;
			uint32_t known = x->known[r] & y->known[r] & ~skip;
			if ((x->reg[r] ^ y->reg[r]) & known)
				fail_msg("leaf %#x.%u %s: %08x against %08x", x->leaf, sub,
					 cm_reg_name(r), x->reg[r], y->reg[r]);
		}
	}
	return compared;
}

/*
 * A fixture in our format and the original capture in another give the same snapshot.
 *
 * Which real pairs tests/data holds (one CPU, or one CPU model, in two formats):
 *   cpuid -r / canonical   the build machine's EPYC (Zen 5) KVM guest: one capture
 *   libvirt / cpuid -r / canonical   the Core i7-3770: one capture (libvirt's test data)
 *   instlat / canonical    the Atom C2750: two InstLatx64 captures of the model (..._CPUID.txt,
 *                          our fixture's source, and ..._CPUID2.txt, the AIDA64 4.00 sample)
 *   vmware-log / canonical   the Core i5-2500: a Workstation 17 host's log (2023) and
 *                          libvirt's capture, two machines of one model and stepping
 * and which do not: no vsphere sample has a counterpart (govc-host-info-json is a Core
 * i5-8259U, govmomi-go-literal a different host; no other file holds either CPU), so the
 * vsphere reader is compared with nothing here; its known-part handling is vsphere_partial's.
 */
static void same_cpu_two_formats(void **state)
{
	(void)state;
	/* the build machine's cpuid -r capture and its hand-checked transcription */
	cm_snap *a = load(FMT "cpuid-r/amd-epyc-zen5-kvm-guest.txt");
	cm_snap *b = load_fixture("amd-epyc-zen5-kvm-guest");
	assert_true(cm_snap_equal(a, b));
	cm_snap_free(a);
	cm_snap_free(b);
	/* the i7-3770: libvirt XML, cpuid -r and our dump */
	a = load(FMT "libvirt/core-i7-3770.xml");
	b = load(FMT "cpuid-r/core-i7-3770.txt");
	cm_snap *c = load_fixture("core-i7-3770");
	assert_true(cm_snap_equal(a, b));
	assert_true(cm_snap_equal(a, c));
	/* the old cpuid -r form has no subleaves: different storage, same answers */
	cm_snap *d = load(FMT "cpuid-r/core-i7-3770-old-form.txt");
	assert_false(cm_snap_equal(a, d));
	assert_int_equal(cm_snap_count(a), cm_snap_count(d));
	for (size_t i = 0; i < cm_snap_count(a); i++) {
		const struct cm_leaf *e = cm_snap_at(a, i);
		const struct cm_leaf *x = cm_snap_lookup(a, e->leaf, e->subleaf);
		const struct cm_leaf *y = cm_snap_lookup(d, e->leaf, e->subleaf);
		assert_true((x == NULL) == (y == NULL));	/* 0x80860000 is beyond its range */
		if (x)
			assert_memory_equal(x->reg, y->reg, sizeof x->reg);
	}
	assert_int_equal(cm_snap_find(d, 4, 3)->reg[CM_EAX], cm_snap_find(a, 4, 3)->reg[CM_EAX]);
	assert_non_null(cm_snap_find(d, 1, CM_NO_SUBLEAF));
	struct cm_fset fa, fd;
	cm_snap_features(a, &fa, NULL);
	cm_snap_features(d, &fd, NULL);
	assert_true(cm_fset_equal(&fa, &fd));
	cm_snap_free(a);
	cm_snap_free(b);
	cm_snap_free(c);
	cm_snap_free(d);

	/*
	 * The Atom C2750: the InstLatx64 AIDA64 sample's logical CPU #0 (APIC ID 0) and our
	 * fixture (the other capture's CPU #1, APIC ID 0). They agree on every leaf except leaf 6
	 * EAX bit 1 (IDA, turbo: 0 in the sample, 1 in the fixture), a firmware setting of the
	 * captured machine, not a reading difference.
	 */
	a = load_fmt(FMT "instlat/atom-c2750-aida64-4.00.txt", NULL, 0);
	b = load_fixture("atom-c2750");
	static const struct allowed atom[] = { { 6, 0, CM_EAX, 1u << 1 } };
	assert_int_equal(same_answers(a, b, atom, 1), cm_snap_count(b));
	assert_int_equal(same_answers(b, a, atom, 1), cm_snap_count(b));
	assert_int_equal(cm_snap_bit(a, 6, 0, CM_EAX, 1), 0);
	assert_int_equal(cm_snap_bit(b, 6, 0, CM_EAX, 1), 1);
	cm_snap_free(a);
	cm_snap_free(b);

	/*
	 * The Core i5-2500: the host view of a Workstation 17 vmware.log against libvirt's
	 * capture. Two machines, so the logical CPU's APIC ID differs (leaf 1 EBX[31:24], leaf
	 * 0xB EDX), and the 2023 log's microcode adds the speculation-control bits of leaf 7 EDX
	 * (MD_CLEAR 10, IBRS/IBPB 26, STIBP 27, L1D_FLUSH 28, SSBD 31) that libvirt's older
	 * capture lacks. Everything else both list agrees, bit for bit.
	 */
	a = load_fmt(FMT "vmware-log/ws17-core-i5-2500.log", NULL, -1);
	b = load_fixture("core-i5-2500");
	static const struct allowed i5[] = {
		{ 1, 0, CM_EBX, 0xff000000u },
		{ 0xb, 0, CM_EDX, 0xffffffffu },
		{ 0xb, 1, CM_EDX, 0xffffffffu },
		{ 7, 0, CM_EDX, (1u << 10) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 31) },
	};
	assert_true(same_answers(a, b, i5, 4) >= 25);
	assert_true(same_answers(b, a, i5, 4) >= 25);
	assert_int_equal(cm_snap_find(a, 7, 0)->reg[CM_EDX], 0x9c000400);
	assert_int_equal(cm_snap_find(b, 7, 0)->reg[CM_EDX], 0);
	cm_snap_free(a);
	cm_snap_free(b);
}

struct count {
	long n, cpus[16];
};

static int count_cb(cm_snap *s, long cpu, void *payload)
{
	struct count *c = payload;
	if (c->n < 16)
		c->cpus[c->n] = cpu;
	c->n++;
	cm_snap_free(s);
	return 0;
}

static long count_cpus(const char *path, const char *format, long cpu, enum cm_view view,
		       struct count *c)
{
	size_t len;
	char *data = slurp(path, &len);
	struct cm_read_opts o = CM_READ_OPTS_INIT;
	o.format = format;
	o.cpu = cpu;
	o.view = view;
	struct cm_error err;
	memset(c, 0, sizeof *c);
	int rc = cm_read_each(data, len, path, &o, count_cb, c, &err);
	free(data);
	if (rc)
		fail_msg("%s: %s", path, err.msg);
	return c->n;
}

static void cpu_selection(void **state)
{
	(void)state;
	struct count c;
	assert_int_equal(count_cpus(FMT "cpuid-r/this-build-machine-2cpu.txt", NULL, -1,
				    CM_VIEW_HOST, &c), 2);
	assert_int_equal(c.cpus[1], 1);
	assert_int_equal(count_cpus(FMT "instlat/atom-c2750-aida64-4.00.txt", NULL, -1,
				    CM_VIEW_HOST, &c), 2);
	assert_int_equal(count_cpus(FMT "vmware-log/ws7-pentium-t4200.log", NULL, 1, CM_VIEW_HOST,
				    &c), 1);
	assert_int_equal(c.cpus[0], 1);
	/* several dumps in one file of our format: a fleet file */
	{
		size_t la, lb;
		char *a = slurp(DUMPS "core-i7-3770.dump", &la), *b = slurp(DUMPS "atom-c2750.dump", &lb);
		char *both = malloc(la + lb);
		memcpy(both, a, la);
		memcpy(both + la, b, lb);
		struct cm_read_opts o = CM_READ_OPTS_INIT;
		memset(&c, 0, sizeof c);
		assert_int_equal(cm_read_each(both, la + lb, "two", &o, count_cb, &c, NULL), 0);
		assert_int_equal(c.n, 2);
		assert_int_equal(c.cpus[1], 1);
		free(both);
		free(a);
		free(b);
	}
	/* vSphere: one host-wide vector by default, any vector by number */
	assert_int_equal(count_cpus(FMT "vsphere/govc-host-info-json.txt", NULL, -1, CM_VIEW_HOST,
				    &c), 1);
	assert_int_equal(c.cpus[0], 1);
	assert_int_equal(count_cpus(FMT "vsphere/govc-host-info-json.txt", NULL, 0, CM_VIEW_HOST,
				    &c), 1);

	/* CPU 1 of the cpuid -r file differs from CPU 0 in the APIC id only */
	cm_snap *a = load_fmt(FMT "cpuid-r/this-build-machine-2cpu.txt", NULL, 0);
	cm_snap *b = load_fmt(FMT "cpuid-r/this-build-machine-2cpu.txt", NULL, 1);
	assert_false(cm_snap_equal(a, b));
	assert_int_not_equal(cm_snap_find(a, 1, 0)->reg[CM_EBX] >> 24,
			     cm_snap_find(b, 1, 0)->reg[CM_EBX] >> 24);
	assert_int_equal(cm_snap_find(a, 1, 0)->reg[CM_EBX] & 0xffffff,
			 cm_snap_find(b, 1, 0)->reg[CM_EBX] & 0xffffff);
	struct cm_fset oa, ob;
	cm_diff(a, b, &oa, &ob, NULL, NULL, NULL);
	assert_true(cm_fset_empty(&oa) && cm_fset_empty(&ob));
	cm_snap_free(a);
	cm_snap_free(b);
}

static cm_snap *load_view(const char *path, enum cm_view view)
{
	size_t len;
	char *data = slurp(path, &len);
	struct cm_read_opts o = CM_READ_OPTS_INIT;
	o.view = view;
	struct cm_error err;
	cm_snap *s = NULL;
	if (cm_read(&s, data, len, path, &o, &err))
		fail_msg("%s: %s", path, err.msg);
	free(data);
	return s;
}

static void vmware_views(void **state)
{
	(void)state;
	const char *ws17 = FMT "vmware-log/ws17-core-i5-2500.log";
	cm_snap *host = load_view(ws17, CM_VIEW_HOST);
	cm_snap *guest = load_view(ws17, CM_VIEW_GUEST);
	struct cm_fset h, g;
	cm_snap_features(host, &h, NULL);
	cm_snap_features(guest, &g, NULL);
	/* VMware sets the hypervisor bit for the guest and hides VMX, EST, monitor ... */
	assert_true(cm_fset_has(&g, (size_t)feature("hypervisor")));
	assert_false(cm_fset_has(&h, (size_t)feature("hypervisor")));
	assert_true(cm_fset_has(&h, (size_t)feature("vmx")));
	assert_false(cm_fset_has(&g, (size_t)feature("vmx")));
	assert_true(cm_fset_has(&h, (size_t)feature("est")));
	assert_false(cm_fset_has(&g, (size_t)feature("est")));
	/* the host view is complete (hostCPUID block), with leaf 5 the guest block leaves out */
	assert_true(cm_snap_complete(host));
	assert_non_null(cm_snap_find(host, 5, 0));
	assert_int_equal(cm_snap_find(host, 1, 0)->reg[CM_ECX], 0x1fbae3ff);
	assert_int_equal(cm_snap_find(guest, 1, 0)->reg[CM_ECX], 0x97ba2203);
	/* leaves the guest block does not list read as zero for the guest */
	assert_null(cm_snap_find(guest, 5, 0));
	assert_true(cm_snap_complete(guest));
	cm_snap_free(host);
	cm_snap_free(guest);

	/* a host view taken from the guest vs. host block alone is partial */
	host = load_view(FMT "vmware-log/i005-guest-vs-host-excerpt.log", CM_VIEW_HOST);
	assert_false(cm_snap_complete(host));
	for (size_t i = 0; i < cm_snap_count(host); i++)
		assert_true((cm_snap_at(host, i)->leaf & 0xf0000000u) != 0x40000000u);
	cm_snap_free(host);
}

/*
 * PowerCLI's Format-List of (Get-VMHost h).ExtensionData.Hardware.CpuFeature. No real capture
 * was found (research/formats.md 2.2: how PowerCLI renders these objects is UNCONFIRMED), so
 * this sample is CONSTRUCTED, not captured: the documented object shape (HostCpuIdInfo's Level,
 * Vendor, Eax..Edx, and DynamicType/DynamicProperty of every vSphere data object), laid out
 * the way Format-List lays out any object (name padded to the longest, " : ", value; a blank
 * line between objects), with the register strings of the real govmomi sample's host-wide
 * vector. It proves the reader takes that shape, not that PowerCLI prints exactly this.
 */
static const char powercli_constructed[] =
	"\n"
	"Level           : 0\n"
	"Vendor          :\n"
	"Eax             : 0000:0000:0000:0000:0000:0000:0000:1101\n"
	"Ebx             : 0111:0101:0110:1110:0110:0101:0100:0111\n"
	"Ecx             : 0110:1100:0110:0101:0111:0100:0110:1110\n"
	"Edx             : 0100:1001:0110:0101:0110:1110:0110:1001\n"
	"DynamicType     :\n"
	"DynamicProperty :\n"
	"\n"
	"Level           : 1\n"
	"Vendor          :\n"
	"Eax             : 0000:0000:0000:0010:0000:0110:1101:0111\n"
	"Ebx             : 0000:0000:0000:0001:0000:1000:0000:0000\n"
	"Ecx             : 1001:0111:1011:1010:0010:0010:0010:1011\n"
	"Edx             : 0000:1111:1010:1011:1111:1011:1111:1111\n"
	"DynamicType     :\n"
	"DynamicProperty :\n"
	"\n"
	"Level           : -2147483648\n"
	"Vendor          :\n"
	"Eax             : 1000:0000:0000:0000:0000:0000:0000:1000\n"
	"Ebx             : 0000:0000:0000:0000:0000:0000:0000:0000\n"
	"Ecx             : 0000:0000:0000:0000:0000:0000:0000:0000\n"
	"Edx             : 0000:0000:0000:0000:0000:0000:0000:0000\n"
	"DynamicType     :\n"
	"DynamicProperty :\n"
	"\n"
	"Level           : -2147483647\n"
	"Vendor          :\n"
	"Eax             : 0000:0000:0000:0000:0000:0000:0000:0000\n"
	"Ebx             : 0000:0000:0000:0000:0000:0000:0000:0000\n"
	"Ecx             : 0000:0000:0000:0000:0000:0000:0000:0001\n"
	"Edx             : 0010:1000:0001:0000:0000:1000:0000:0000\n"
	"DynamicType     :\n"
	"DynamicProperty :\n"
	"\n"
	"Level           : -2147483640\n"
	"Vendor          :\n"
	"Eax             : 0000:0000:0000:0000:0011:0000:0010:1010\n"
	"Ebx             : 0000:0000:0000:0000:0000:0000:0000:0000\n"
	"Ecx             : 0000:0000:0000:0000:0000:0000:0000:0000\n"
	"Edx             : 0000:0000:0000:0000:0000:0000:0000:0000\n"
	"DynamicType     :\n"
	"DynamicProperty :\n";

static void vsphere_powercli_constructed(void **state)
{
	(void)state;
	struct cm_read_opts o = CM_READ_OPTS_INIT;
	struct cm_error err;
	cm_error_clear(&err);
	cm_snap *p = NULL;
	/* detected as vsphere, and the same snapshot as the govmomi sample's host-wide vector */
	assert_int_equal(cm_read(&p, powercli_constructed, sizeof powercli_constructed - 1,
				 "powercli", &o, &err), 0);
	assert_false(cm_snap_complete(p));
	cm_snap *g = load(FMT "vsphere/govmomi-go-literal.txt");
	assert_true(cm_snap_equal(p, g));
	assert_int_equal(cm_snap_bit(p, 0x80000001, 0, CM_EDX, 29), 1); /* LM, from Level -2147483647 */
	assert_int_equal(cm_snap_bit(p, 7, 0, CM_EBX, 0), -1);		 /* leaf 7: unknown */
	cm_snap_free(g);
	cm_snap_free(p);
	/* PowerCLI's table form (Format-Table) is not read: an error, not a wrong snapshot */
	static const char table[] =
		"\nLevel Vendor Eax                                     Ebx\n"
		"----- ------ ---                                     ---\n"
		"    0        0000:0000:0000:0000:0000:0000:0000:1101 "
		"0111:0101:0110:1110:0110:0101:0100:0111\n";
	o.format = "vsphere";
	assert_int_not_equal(cm_read(&p, table, sizeof table - 1, "table", &o, &err), 0);
}

static void vsphere_partial(void **state)
{
	(void)state;
	cm_snap *s = load(FMT "vsphere/govmomi-go-literal.txt");
	assert_false(cm_snap_complete(s));
	assert_int_equal(cm_snap_count(s), 5);
	assert_non_null(cm_snap_find(s, 0x80000008, CM_NO_SUBLEAF));
	assert_int_equal(cm_snap_find(s, 1, CM_NO_SUBLEAF)->reg[CM_EAX], 0x206d7);
	/* leaf 7 is not in a HostCpuIdInfo vector: unknown, not absent */
	assert_int_equal(cm_snap_bit(s, 7, 0, CM_EBX, 0), -1);
	/* but a leaf past the maximum is known to be absent */
	assert_int_equal(cm_snap_bit(s, 0x80000021, CM_NO_SUBLEAF, CM_EAX, 0), 0);
	struct cm_cpuinfo ci;
	cm_decode(s, &ci);
	assert_string_equal(ci.vendor, "GenuineIntel");
	assert_int_equal(ci.x86_64_level, 2);
	cm_snap_free(s);

	/* the host-wide vector of the govc sample has LM cleared, its package vector not */
	s = load(FMT "vsphere/govc-host-info-json.txt");
	cm_snap *p = load_fmt(FMT "vsphere/govc-host-info-json.txt", NULL, 0);
	assert_int_equal(cm_snap_bit(s, 0x80000001, CM_NO_SUBLEAF, CM_EDX, 29), 0);
	assert_int_equal(cm_snap_bit(p, 0x80000001, CM_NO_SUBLEAF, CM_EDX, 29), 1);
	cm_snap_free(s);
	cm_snap_free(p);
}

static void instlat_subleaves(void **state)
{
	(void)state;
	/* [SL nn] is hex */
	cm_snap *s = load(FMT "instlat/tigerlake-i5-1135g7-aida64-6.25.txt");
	assert_non_null(cm_snap_find(s, 0xd, 0xb));
	assert_non_null(cm_snap_find(s, 0xd, 0xd));
	assert_null(cm_snap_find(s, 0xd, 3));
	cm_snap_free(s);
	/* untagged 0xD: the second line is subleaf 2, subleaf 1 is unknown */
	s = load(FMT "instlat/sandybridge-i5-2400-aida64-1.20.txt");
	assert_int_equal(cm_snap_find(s, 0xd, 2)->reg[CM_EBX], 0x240);
	assert_int_equal(cm_snap_bit(s, 0xd, 1, CM_EAX, 0), -1);
	/* untagged leaf 4 counts up */
	assert_non_null(cm_snap_find(s, 4, 3));
	cm_snap_free(s);
	/* the report page layout, no ':' after the leaf */
	s = load(FMT "instlat/haswell-i7-4800mq-aida64-report.txt");
	struct cm_cpuinfo ci;
	cm_decode(s, &ci);
	assert_string_equal(ci.uarch, "Haswell");
	assert_int_equal(ci.x86_64_level, 3);
	cm_snap_free(s);
}

/* ---- bad input */

struct bad {
	const char *format;	/* NULL: detect */
	const char *name;
	const char *text;
	int code;
	long line;		/* expected err.line, 0 = not checked */
};

static const struct bad bads[] = {
	/* empty and blank */
	{ NULL, "empty", "", CM_EPARSE, 1 },
	{ NULL, "blank", " \n\t\n", CM_EPARSE, 1 },
	{ "cpuidmask", "empty", "", CM_EPARSE, 1 },
	{ "cpuid-r", "empty", "", CM_EPARSE, 1 },
	{ "instlat", "empty", "", CM_EPARSE, 1 },
	{ "vmware-log", "empty", "", CM_EPARSE, 1 },
	{ "libvirt", "empty", "", CM_EPARSE, 1 },
	{ "vsphere", "empty", "", CM_EPARSE, 1 },
	/* no data in a file of the right shape */
	{ "cpuidmask", "header only", "cpuidmask-dump 1\nsource: x\n", CM_EPARSE, 0 },
	{ "cpuidmask", "no header", "00000000 0000000d 756e6547 6c65746e 49656e69\n",
	  CM_EPARSE, 1 },
	{ "cpuidmask", "future version", "cpuidmask-dump 2\n", CM_EUNSUPPORTED, 1 },
	{ "cpuid-r", "cpu without lines", "CPU 0:\nCPU 1:\n", CM_EPARSE, 0 },
	{ "instlat", "no CPUID lines", "------[ Versions ]------\nProgram Version : AIDA64\n",
	  CM_EPARSE, 0 },
	{ "vmware-log", "no CPUID", "2023-09-19T17:43:15.334Z In(05) vmx Log for VMware\n",
	  CM_ENOTFOUND, 0 },
	{ "libvirt", "no cpuid elements", "<cpudata arch='x86'>\n</cpudata>\n", CM_EPARSE, 1 },
	{ "libvirt", "wrong root", "<cpu><model>Westmere</model></cpu>\n", CM_EPARSE, 1 },
	{ "libvirt", "wrong arch", "<cpudata arch='arm'>\n</cpudata>\n", CM_EUNSUPPORTED, 1 },
	/* truncated */
	{ "cpuidmask", "truncated", "cpuidmask-dump 1\n00000001    000306a9 05100800 7fb",
	  CM_EPARSE, 2 },
	{ "cpuid-r", "truncated", "CPU:\n   0x00000001 0x00: eax=0x000306a9 ebx=0x0510",
	  CM_EPARSE, 2 },
	{ "instlat", "truncated", "CPUID 00000000: 0000000D-756E6547-6C65",
	  CM_EPARSE, 1 },
	{ "vmware-log", "truncated",
	  "x vmx hostCPUID level 00000000, 0: 0x0000000d 0x756e6547 0x6c6", CM_EPARSE, 1 },
	{ "libvirt", "truncated",
	  "<cpudata arch='x86'>\n  <cpuid eax_in='0x00000000' ecx_in='0x00' eax='0x0000000d'",
	  CM_EPARSE, 0 },
	{ "vsphere", "truncated", "Level: 1\nEax: \"0000:0000:0000:0000:0000:0110\"\n",
	  CM_EPARSE, 2 },
	/* duplicates with conflicting values */
	{ "cpuidmask", "duplicate",
	  "cpuidmask-dump 1\n00000000 0000000d 0 0 0\n00000000 0000000b 0 0 0\n", CM_ECONFLICT, 3 },
	{ "cpuidmask", "duplicate, same values",
	  "cpuidmask-dump 1\n00000000 0000000d 0 0 0\n00000000 0000000d 0 0 0\n", CM_ECONFLICT, 3 },
	{ "cpuid-r", "duplicate",
	  "CPU:\n 0x0 0x0: eax=0xd ebx=0x0 ecx=0x0 edx=0x0\n"
	  " 0x0 0x0: eax=0xb ebx=0x0 ecx=0x0 edx=0x0\n", CM_ECONFLICT, 3 },
	{ "cpuid-r", "cpu twice", "CPU 0:\n 0x0: eax=0xd ebx=0x0 ecx=0x0 edx=0x0\nCPU 0:\n",
	  CM_ECONFLICT, 3 },
	{ "instlat", "duplicate",
	  "CPUID 00000001: 000306A9-00100800-7FBAE3FF-BFEBFBFF\n"
	  "CPUID 00000001: 000306A9-00100800-7FBAE3FF-BFEBFBFE\n", CM_ECONFLICT, 2 },
	{ "vmware-log", "duplicate",
	  "vmx hostCPUID level 00000000, 0: 0x0000000d 0x00000000 0x00000000 0x00000000\n"
	  "vmx hostCPUID level 00000000, 0: 0x0000000b 0x00000000 0x00000000 0x00000000\n",
	  CM_ECONFLICT, 2 },
	{ "libvirt", "duplicate",
	  "<cpudata arch='x86'>\n"
	  "<cpuid eax_in='0x0' ecx_in='0x0' eax='0xd' ebx='0x0' ecx='0x0' edx='0x0'/>\n"
	  "<cpuid eax_in='0x0' ecx_in='0x0' eax='0xb' ebx='0x0' ecx='0x0' edx='0x0'/>\n"
	  "</cpudata>\n", CM_ECONFLICT, 3 },
	{ "vsphere", "duplicate",
	  "Level: 0\nEax: \"0000:0000:0000:0000:0000:0000:0000:1101\"\n"
	  "Eax: \"0000:0000:0000:0000:0000:0000:0000:1011\"\n", CM_ECONFLICT, 3 },
	/* values out of range */
	{ "cpuidmask", "range", "cpuidmask-dump 1\n00000000 1000000000 0 0 0\n", CM_ERANGE, 2 },
	{ "cpuidmask", "range subleaf", "cpuidmask-dump 1\n00000007.ffffffff 0 0 0 0\n",
	  CM_ERANGE, 2 },
	{ "cpuid-r", "range", "CPU:\n 0x0 0x0: eax=0x1ffffffff ebx=0x0 ecx=0x0 edx=0x0\n",
	  CM_ERANGE, 2 },
	{ "instlat", "range", "CPUID 00000000: 0000000D0-756E6547-6C65746E-49656E69\n",
	  CM_ERANGE, 1 },
	{ "vmware-log", "range",
	  "vmx hostCPUID level 00000000, 0: 0x10000000d 0x00000000 0x00000000 0x00000000\n",
	  CM_ERANGE, 1 },
	{ "vmware-log", "short register",
	  "vmx hostCPUID level 00000001, 0: 0x000306a9 0x00100800 0x1fbae3ff 0xbfeb\n", CM_EPARSE, 1 },
	{ "vmware-log", "cut line", "vmx hostCPUID level 0000000\n", CM_EPARSE, 1 },
	{ "vmware-log", "no colon",
	  "vmx hostCPUID level 00000007, 0 0x00000000 0x00000000 0x00000000 0x00000000\n",
	  CM_EPARSE, 1 },
	{ "vsphere", "cut after eax",
	  "\"Level\": 1,\n\"Eax\": \"0000:0000:0000:0010:0000:0110:1101:0111\"\n", CM_EPARSE, 1 },
	{ "vsphere", "level twice",
	  "Level: 0\nEax: \"0000:0000:0000:0000:0000:0000:0000:1101\"\nEbx: \"0000:0000:0000:0000:0000:0000:0000:0000\"\n"
	  "Ecx: \"0000:0000:0000:0000:0000:0000:0000:0000\"\nEdx: \"0000:0000:0000:0000:0000:0000:0000:0000\"\n"
	  "Level: 1\nEax: \"0000:0000:0000:0000:0000:0000:0000:0001\"\nEbx: \"0000:0000:0000:0000:0000:0000:0000:0000\"\n"
	  "Ecx: \"0000:0000:0000:0000:0000:0000:0000:0000\"\nEdx: \"0000:0000:0000:0000:0000:0000:0000:0000\"\n"
	  "Level: 1\nEax: \"0000:0000:0000:0000:0000:0000:0000:0011\"\nEbx: \"0000:0000:0000:0000:0000:0000:0000:0000\"\n"
	  "Ecx: \"0000:0000:0000:0000:0000:0000:0000:0000\"\nEdx: \"0000:0000:0000:0000:0000:0000:0000:0000\"\n",
	  CM_ECONFLICT, 11 },
	{ "instlat", "bad cpu number",
	  "------[ Logical CPU #99999999 ]------\nCPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\n",
	  CM_EPARSE, 1 },
	{ "instlat", "cpu 0 twice",
	  "CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\n------[ Logical CPU #0 ]------\n"
	  "CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\n", CM_ECONFLICT, 2 },
	{ "cpuid-r", "cpu 0 twice",
	  "   0x0 0x0: eax=0xd ebx=0x0 ecx=0x0 edx=0x0\nCPU 0:\n", CM_ECONFLICT, 2 },
	{ "cpuid-r", "instlat line", "CPUID 00000001: 000306A9-00100800-7FBAE3FF-BFEBFBFF\n",
	  CM_EPARSE, 1 },
	{ "libvirt", "text inside",
	  "<cpudata arch='x86'>\n   0x00000001 0x00: eax=0x000306a9 ebx=0x0 ecx=0x0 edx=0x0\n"
	  "<cpuid eax_in='0x0' ecx_in='0x0' eax='0xd' ebx='0x0' ecx='0x0' edx='0x0'/>\n</cpudata>\n",
	  CM_EPARSE, 0 },
	{ "libvirt", "nested",
	  "<cpudata arch='x86'>\n<cpuid eax_in='0x0' ecx_in='0x0' eax='0xd' ebx='0x0' ecx='0x0' edx='0x0'>"
	  "<cpuid eax_in='0x1' ecx_in='0x0' eax='0x1' ebx='0x0' ecx='0x0' edx='0x0'/></cpuid>\n</cpudata>\n",
	  CM_EPARSE, 2 },
	{ "cpuidmask", "nine digits", "cpuidmask-dump 1\n000000000 0000000d 0 0 0\n", CM_ERANGE, 2 },
	{ "cpuidmask", "empty source", "cpuidmask-dump 1\nsource:\n00000000 0000000d 0 0 0\n",
	  CM_EPARSE, 2 },
	{ "libvirt", "range",
	  "<cpudata arch='x86'>\n"
	  "<cpuid eax_in='0x0' ecx_in='0x0' eax='0x10000000d' ebx='0x0' ecx='0x0' edx='0x0'/>\n"
	  "</cpudata>\n", CM_ERANGE, 2 },
	{ "vsphere", "range", "Level: 4294967296\nEax: \"0000:0000:0000:0000:0000:0000:0000:1101\"\n",
	  CM_ERANGE, 1 },
	{ "vsphere", "range negative", "Level: -2147483649\n", CM_ERANGE, 1 },
	{ "vsphere", "requirement string",
	  "Level: 1\nEcx: \"xxxx:xxxx:xxxx:xxxx:xxxx:xxxx:xxxx:xxx0\"\n", CM_EUNSUPPORTED, 2 },
	/* a mix of two formats */
	{ "cpuid-r", "mix",
	  "CPU:\n 0x0 0x0: eax=0xd ebx=0x0 ecx=0x0 edx=0x0\n"
	  "CPUID 00000001: 000306A9-00100800-7FBAE3FF-BFEBFBFF\n", CM_EPARSE, 3 },
	{ "instlat", "mix",
	  "CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\n"
	  "   0x00000001 0x00: eax=0x000306a9 ebx=0x05100800 ecx=0x7fbae3ff edx=0xbfebfbff\n",
	  CM_EPARSE, 2 },
	{ "vmware-log", "mix",
	  "vmx hostCPUID level 00000000, 0: 0x0000000d 0x00000000 0x00000000 0x00000000\n"
	  "CPUID 00000001: 000306A9-00100800-7FBAE3FF-BFEBFBFF\n", CM_EPARSE, 2 },
	{ "cpuidmask", "mix",
	  "cpuidmask-dump 1\n00000000 0000000d 0 0 0\n"
	  "   0x00000001 0x00: eax=0x000306a9 ebx=0x05100800 ecx=0x7fbae3ff edx=0xbfebfbff\n",
	  CM_EPARSE, 3 },
	{ "vsphere", "mix",
	  "Level: 0\nEax: \"0000:0000:0000:0000:0000:0000:0000:1101\"\n"
	  "CPUID 00000001: 000306A9-00100800-7FBAE3FF-BFEBFBFF\n", CM_EPARSE, 3 },
	{ NULL, "mix", "CPU:\n 0x0 0x0: eax=0xd ebx=0x0 ecx=0x0 edx=0x0\n"
		       "vmx hostCPUID level 00000000, 0: 0x0000000d 0x00000000 0x00000000 0x00000000\n",
	  CM_EPARSE, 3 },
	/* other shapes */
	{ "cpuidmask", "bad known mask", "cpuidmask-dump 1\n00000000 0000000f/00000007 0 0 0\n",
	  CM_ERANGE, 2 },
	{ "cpuidmask", "two sources", "cpuidmask-dump 1\nsource: a\nsource: b\n", CM_ECONFLICT, 3 },
	{ "cpuid-r", "no 0x", "CPU:\n 0x0 0x0: eax=d ebx=0x0 ecx=0x0 edx=0x0\n", CM_EPARSE, 2 },
	{ "instlat", "outside a cpu", "------[ All CPUs ]------\n"
				      "CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\n",
	  CM_EPARSE, 2 },
	{ "vmware-log", "stray host line",
	  "vmx guest vs. host CPUID *host level 00000001,  0: 0x00000000 0x00000000 0x00000000 0x00000000\n", CM_EPARSE, 1 },
	{ "vsphere", "register before level", "Eax: \"0000:0000:0000:0000:0000:0000:0000:1101\"\n",
	  CM_EPARSE, 1 },
	{ "libvirt", "not xml", "<cpudata arch='x86'><cpuid></cpudata>\n", CM_EPARSE, 1 },
	{ "libvirt", "entity", "<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>\n"
			       "<cpudata arch='x86'>&e;</cpudata>\n", CM_EPARSE, 0 },
};

static void bad_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		const struct bad *b = &bads[i];
		struct cm_read_opts o = CM_READ_OPTS_INIT;
		o.format = b->format;
		struct cm_error err;
		cm_error_clear(&err);
		cm_snap *s = NULL;
		int rc = cm_read(&s, b->text, strlen(b->text), "input", &o, &err);
		if (rc == 0) {
			cm_snap_free(s);
			fail_msg("%s/%s: accepted", b->format ? b->format : "auto", b->name);
		}
		if (rc != b->code || err.code != rc || !err.msg[0] ||
		    (b->line && err.line != b->line))
			fail_msg("%s/%s: got %d at line %ld (%s); expected %d at line %ld",
				 b->format ? b->format : "auto", b->name, rc, err.line, err.msg,
				 b->code, b->line);
	}
}

/* Binary garbage and huge lines, in every format: an error, never a crash or a hang. */
static void garbage(void **state)
{
	(void)state;
	const char *formats[] = { NULL, "cpuidmask", "cpuid-r", "instlat", "vmware-log", "libvirt",
				  "vsphere" };
	size_t big = 10u << 20;
	char *line = malloc(big + 1);
	assert_non_null(line);
	memset(line, 'a', big);
	line[big] = '\0';
	unsigned char noise[4096];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof noise; i++) {
		x = x * 1103515245u + 12345u;
		noise[i] = (unsigned char)(x >> 16);
	}
	noise[100] = 0;
	for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
		struct cm_error e = read_fails(line, big, formats[f], CM_EPARSE);
		assert_true(e.line == 1 || e.line == -1);
		read_fails((const char *)noise, sizeof noise, formats[f], CM_EPARSE);
		/* text noise without NUL bytes reaches the parsers themselves */
		char text[4096];
		for (size_t i = 0; i < sizeof text; i++) {
			x = x * 1103515245u + 12345u;
			text[i] = i % 61 == 60 ? '\n' : (char)(' ' + (x >> 16) % 95);
		}
		cm_snap *s = NULL;
		struct cm_read_opts o = CM_READ_OPTS_INIT;
		o.format = formats[f];
		struct cm_error te;
		int rc = cm_read(&s, text, sizeof text, "noise", &o, &te);
		assert_true(rc < 0);
		assert_true(te.msg[0] != '\0');
	}
	/* a long line inside an otherwise good dump names its line */
	size_t len;
	char *good = slurp(DUMPS "core-i7-3770.dump", &len);
	char *mixed = malloc(len + big + 2);
	assert_non_null(mixed);
	memcpy(mixed, good, len);
	memcpy(mixed + len, line, big);
	mixed[len + big] = '\n';
	struct cm_error e = read_fails(mixed, len + big + 1, NULL, CM_EPARSE);
	long lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += good[i] == '\n';
	assert_int_equal(e.line, lines + 1);
	free(mixed);
	free(good);
	free(line);
}

static void unknown_format_and_cpu(void **state)
{
	(void)state;
	size_t len;
	char *data = slurp(DUMPS "core-i7-3770.dump", &len);
	struct cm_read_opts o = CM_READ_OPTS_INIT;
	struct cm_error err;
	cm_snap *s = NULL;
	o.format = "nosuch";
	assert_int_equal(cm_read(&s, data, len, "x", &o, &err), CM_ENOTFOUND);
	o.format = NULL;
	o.cpu = 3;
	assert_int_equal(cm_read(&s, data, len, "x", &o, &err), CM_ENOTFOUND);
	assert_non_null(strstr(err.msg, "only CPU 0"));
	/* crlf line ends read the same */
	char *crlf = malloc(2 * len);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = data[i];
	}
	o.cpu = -1;
	assert_int_equal(cm_read(&s, crlf, n, "x", &o, &err), 0);
	cm_snap *t = load_fixture("core-i7-3770");
	assert_true(cm_snap_equal(s, t));
	cm_snap_free(s);
	cm_snap_free(t);
	free(crlf);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(detection),	     cmocka_unit_test(roundtrip),
		cmocka_unit_test(same_cpu_two_formats), cmocka_unit_test(cpu_selection),
		cmocka_unit_test(vmware_views),	     cmocka_unit_test(vsphere_partial), cmocka_unit_test(vsphere_powercli_constructed),
		cmocka_unit_test(instlat_subleaves), cmocka_unit_test(bad_inputs),
		cmocka_unit_test(garbage),	     cmocka_unit_test(unknown_format_and_cpu),
	};
	return cmocka_run_group_tests_name("formats", tests, NULL, NULL);
}
