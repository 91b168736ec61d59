/* test_decode.c - vendor, brand, signature, microarchitecture and x86-64 level. */
#include "testutil.h"

static const struct expect {
	const char *dump;
	enum cm_vendor vendor;
	unsigned family, model, stepping;
	const char *uarch;
	int level;
	const char *brand;
} expects[] = {
	{ "atom-c2750", CM_VENDOR_INTEL, 0x6, 0x4d, 8, "Silvermont", 2,
	  "Intel(R) Atom(TM) CPU  C2750  @ 2.40GHz" },
	{ "core-i7-3770", CM_VENDOR_INTEL, 0x6, 0x3a, 9, "Ivy Bridge", 2,
	  "Intel(R) Core(TM) i7-3770 CPU @ 3.40GHz" },
	{ "core2-e6850", CM_VENDOR_INTEL, 0x6, 0xf, 0xb, "Core (Merom)", 1, NULL },
	{ "xeon-w3520", CM_VENDOR_INTEL, 0x6, 0x1a, 5, "Nehalem", 2, NULL },
	{ "core-i5-650", CM_VENDOR_INTEL, 0x6, 0x25, 2, "Westmere", 2, NULL },
	{ "core-i5-2500", CM_VENDOR_INTEL, 0x6, 0x2a, 7, "Sandy Bridge", 2, NULL },
	{ "core-i7-4510u", CM_VENDOR_INTEL, 0x6, 0x45, 1, "Haswell", 3, NULL },
	{ "xeon-e5-2650-v4", CM_VENDOR_INTEL, 0x6, 0x4f, 1, "Broadwell", 3, NULL },
	{ "xeon-gold-6148", CM_VENDOR_INTEL, 0x6, 0x55, 4, "Skylake", 4, NULL },
	{ "xeon-platinum-8268", CM_VENDOR_INTEL, 0x6, 0x55, 6, "Cascade Lake", 4, NULL },
	{ "ice-lake-server", CM_VENDOR_INTEL, 0x6, 0x6a, 0, "Ice Lake", 4, "" },
	{ "xeon-w7-3465x", CM_VENDOR_INTEL, 0x6, 0x8f, 6, "Sapphire Rapids", 4, NULL },
	{ "atom-p5362", CM_VENDOR_INTEL, 0x6, 0x86, 5, "Tremont", 2, NULL },
	{ "opteron-6234", CM_VENDOR_AMD, 0x15, 0x1, 2, "Bulldozer", 2, NULL },
	{ "epyc-7601-32-core", CM_VENDOR_AMD, 0x17, 0x1, 2, "Zen", 3,
	  "AMD EPYC 7601 32-Core Processor" },
	{ "epyc-7502-32-core", CM_VENDOR_AMD, 0x17, 0x31, 0, "Zen 2", 3, NULL },
	{ "epyc-7713-64-core", CM_VENDOR_AMD, 0x19, 0x1, 1, "Zen 3", 3, NULL },
	{ "epyc-9334-32-core", CM_VENDOR_AMD, 0x19, 0x11, 1, "Zen 4", 4, NULL },
	{ "ryzen-9-9950x-16-core", CM_VENDOR_AMD, 0x1a, 0x44, 0, "Zen 5", 4, NULL },
	{ "amd-epyc-zen5-kvm-guest", CM_VENDOR_AMD, 0x1a, 0x2, 1, "Zen 5", 4, "AMD EPYC" },
};

static void fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof expects / sizeof expects[0]; i++) {
		const struct expect *e = &expects[i];
		cm_snap *s = load_fixture(e->dump);
		struct cm_cpuinfo ci;
		cm_decode(s, &ci);
		if (ci.vendor_id != e->vendor || ci.family != e->family || ci.model != e->model ||
		    ci.stepping != e->stepping || !ci.uarch || strcmp(ci.uarch, e->uarch) ||
		    ci.x86_64_level != e->level || ci.x86_64_level_max != e->level)
			fail_msg("%s: vendor %d family %#x model %#x stepping %u uarch %s level %d",
				 e->dump, ci.vendor_id, ci.family, ci.model, ci.stepping,
				 ci.uarch ? ci.uarch : "-", ci.x86_64_level);
		if (e->brand)
			assert_string_equal(ci.brand, e->brand);
		assert_true(ci.has_signature);
		assert_string_equal(ci.vendor, e->vendor == CM_VENDOR_INTEL ? "GenuineIntel"
									    : "AuthenticAMD");
		cm_snap_free(s);
	}
	assert_int_equal(N_DUMPS, sizeof expects / sizeof expects[0]);
}

/* Display family and model: extended fields only where the SDM/APM apply them. */
static cm_snap *signature_only(uint32_t eax, const char *vendor)
{
	cm_snap *s;
	assert_int_equal(cm_snap_new(&s), 0);
	uint32_t r0[4] = { 1, 0, 0, 0 };
	memcpy(&r0[1], vendor, 4);
	memcpy(&r0[3], vendor + 4, 4);
	memcpy(&r0[2], vendor + 8, 4);
	assert_int_equal(cm_snap_add(s, 0, CM_NO_SUBLEAF, r0, NULL), 0);
	uint32_t r1[4] = { eax, 0, 0, 0 };
	assert_int_equal(cm_snap_add(s, 1, CM_NO_SUBLEAF, r1, NULL), 0);
	return s;
}

static void signatures(void **state)
{
	(void)state;
	static const struct {
		uint32_t eax;
		const char *vendor;
		unsigned family, model, stepping;
		const char *uarch;
	} sig[] = {
		{ 0x000306a9, "GenuineIntel", 0x6, 0x3a, 9, "Ivy Bridge" },
		{ 0x000406d8, "GenuineIntel", 0x6, 0x4d, 8, "Silvermont" },
		{ 0x00050657, "GenuineIntel", 0x6, 0x55, 7, "Cascade Lake" },
		{ 0x00050654, "GenuineIntel", 0x6, 0x55, 4, "Skylake" },
		{ 0x00000f41, "GenuineIntel", 0xf, 0x4, 1, "NetBurst" },
		{ 0x00a00f11, "AuthenticAMD", 0x19, 0x1, 1, "Zen 3" },
		{ 0x00b00f21, "AuthenticAMD", 0x1a, 0x2, 1, "Zen 5" },
		{ 0x00800f12, "AuthenticAMD", 0x17, 0x1, 2, "Zen" },
		{ 0x00900f02, "HygonGenuine", 0x18, 0x0, 2, NULL },
		/* base family 5: the extended model is not applied */
		{ 0x00010514, "AuthenticAMD", 0x5, 0x1, 4, NULL },
	};
	for (size_t i = 0; i < sizeof sig / sizeof sig[0]; i++) {
		cm_snap *s = signature_only(sig[i].eax, sig[i].vendor);
		struct cm_cpuinfo ci;
		cm_decode(s, &ci);
		assert_int_equal(ci.family, sig[i].family);
		assert_int_equal(ci.model, sig[i].model);
		assert_int_equal(ci.stepping, sig[i].stepping);
		if (sig[i].uarch)
			assert_string_equal(ci.uarch ? ci.uarch : "(none)", sig[i].uarch);
		assert_string_equal(ci.vendor, sig[i].vendor);
		assert_string_equal(ci.brand, "");
		assert_int_equal(ci.x86_64_level, 0);	/* no 0x80000001: not shown x86-64 */
		cm_snap_free(s);
	}
	cm_snap *s = signature_only(0x000306a9, "NotAVendor!!");
	struct cm_cpuinfo ci;
	cm_decode(s, &ci);
	assert_int_equal(ci.vendor_id, CM_VENDOR_OTHER);
	assert_string_equal(cm_vendor_name(ci.vendor_id), "other");
	assert_null(ci.uarch);
	cm_snap_free(s);
}

/* The microarchitecture table: ranges sane and not overlapping. */
static const struct row {
	enum cm_vendor v;
	unsigned fam, mlo, mhi, slo, shi;
	const char *name;
} rows[] = {
#define CM_UARCH(vendor, fam, mlo, mhi, slo, shi, name, examples) \
	{ CM_VENDOR_##vendor, fam, mlo, mhi, slo, shi, name },
#include "uarch.def"
#undef CM_UARCH
};

static void uarch_table(void **state)
{
	(void)state;
	size_t n = sizeof rows / sizeof rows[0];
	assert_true(n > 100);
	for (size_t i = 0; i < n; i++) {
		const struct row *a = &rows[i];
		assert_true(a->mlo <= a->mhi && a->slo <= a->shi && a->shi <= 0xf);
		assert_true(a->name && a->name[0]);
		for (size_t j = i + 1; j < n; j++) {
			const struct row *b = &rows[j];
			if (a->v == b->v && a->fam == b->fam && a->mlo <= b->mhi && b->mlo <= a->mhi &&
			    a->slo <= b->shi && b->slo <= a->shi)
				fail_msg("uarch rows %s and %s overlap", a->name, b->name);
		}
	}
}

/* A 32-bit capture hides SYSCALL; the level still counts the CPU as x86-64. */
static void level_without_syscall(void **state)
{
	(void)state;
	cm_snap *s = load_fixture("atom-c2750");
	assert_int_equal(cm_snap_bit(s, 0x80000001, CM_NO_SUBLEAF, CM_EDX, 11), 0);
	assert_int_equal(cm_snap_bit(s, 0x80000001, CM_NO_SUBLEAF, CM_EDX, 29), 1);
	struct cm_cpuinfo ci;
	cm_decode(s, &ci);
	assert_int_equal(ci.x86_64_level, 2);
	cm_snap_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixtures),
		cmocka_unit_test(signatures),
		cmocka_unit_test(uarch_table),
		cmocka_unit_test(level_without_syscall),
	};
	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
