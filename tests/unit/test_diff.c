/*
 * test_diff.c - comparing CPUs: the seed's two hosts, and properties over every pair of
 * real dumps.
 */
#include "testutil.h"

static bool has(const struct cm_fset *s, const char *name)
{
	return cm_fset_has(s, (size_t)feature(name));
}

/*
 * The seed: a VM powered on on the Avoton (A) cannot move to the i7 (B) because of MOVBE
 * and PREFETCHW; powered on on the i7 it cannot move back because of PCID, AVX, F16C,
 * FSGSBASE and the XSAVE SSE/YMM state (and XSAVE itself, which vSphere's error names
 * through its state components).
 */
static void seed(void **state)
{
	(void)state;
	cm_snap *avoton = load_fixture("atom-c2750");
	cm_snap *i7 = load_fixture("core-i7-3770");
	struct cm_fset only_a, only_b, unknown;
	assert_int_equal(cm_diff(avoton, i7, &only_a, &only_b, &unknown, NULL, NULL), 0);
	assert_true(cm_fset_empty(&unknown));
	assert_true(has(&only_a, "movbe"));
	assert_true(has(&only_a, "3dnowprefetch"));
	static const char *const i7_only[] = { "pcid",	   "xsave",	   "avx",
					       "f16c",	   "fsgsbase",	   "xfeature_sse",
					       "xfeature_ymm", "osxsave",  "xsaveopt" };
	for (size_t i = 0; i < sizeof i7_only / sizeof i7_only[0]; i++)
		if (!has(&only_b, i7_only[i]))
			fail_msg("%s is not i7-only", i7_only[i]);
	/*
	 * The rest of the difference, each real: the Avoton also has TSC_ADJUST and
	 * deprecates the FPU CS/DS (leaf 7 EBX 1 and 13); the i7 has SMX, x2APIC, PLN, ECMD
	 * (clock modulation duty cycle extension) and PTS, XSAVE x87 state, and SYSCALL,
	 * which this Avoton capture (a 32-bit program) does not see.
	 */
	assert_int_equal(cm_fset_count(&only_a), 4);
	assert_true(has(&only_a, "tsc_adjust") && has(&only_a, "zero_fcs_fds"));
	assert_int_equal(cm_fset_count(&only_b), 16);
	static const char *const rest[] = { "smx", "x2apic", "pln", "ecmd", "pts",
					    "xfeature_fp", "syscall" };
	for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++)
		assert_true(has(&only_b, rest[i]));
	cm_snap_free(avoton);
	cm_snap_free(i7);
}

struct raw {
	int n;
	struct cm_rawbit first;
};

static int count_raw(const struct cm_rawbit *b, void *payload)
{
	struct raw *r = payload;
	if (r->n++ == 0)
		r->first = *b;
	return 0;
}

static int stop_raw(const struct cm_rawbit *b, void *payload)
{
	(void)b;
	(void)payload;
	return 42;
}

static void raw_bits(void **state)
{
	(void)state;
	cm_snap *avoton = load_fixture("atom-c2750");
	cm_snap *i7 = load_fixture("core-i7-3770");
	cm_snap *p5362 = load_fixture("atom-p5362");
	struct cm_fset a, b;
	struct raw r = { 0 };
	/* every bit in which the seed's two hosts differ has a name (ECMD was the last) */
	assert_int_equal(cm_diff(avoton, i7, &a, &b, NULL, count_raw, &r), 0);
	assert_int_equal(r.n, 0);
	/*
	 * The two Atoms differ in one bit that is no feature: leaf 0x10 subleaf 3 (memory
	 * bandwidth allocation) ECX bit 2, which the SDM says reports whether the response
	 * of the delay values is linear; only the P5362 sets it.
	 */
	assert_int_equal(cm_diff(avoton, p5362, &a, &b, NULL, count_raw, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.first.leaf, 0x10);
	assert_int_equal(r.first.subleaf, 3);
	assert_int_equal(r.first.reg, CM_ECX);
	assert_int_equal(r.first.bit, 2);
	assert_int_equal(r.first.a, 0);
	assert_int_equal(r.first.b, 1);
	assert_int_equal(cm_diff(avoton, p5362, &a, &b, NULL, stop_raw, NULL), 42);
	cm_snap_free(avoton);
	cm_snap_free(i7);
	cm_snap_free(p5362);
}

/* Over every ordered pair of real dumps: diff is antisymmetric, disjoint and exact. */
static void pairs(void **state)
{
	(void)state;
	cm_snap *s[N_DUMPS];
	struct cm_fset f[N_DUMPS];
	for (size_t i = 0; i < N_DUMPS; i++) {
		s[i] = load_fixture(all_dumps[i]);
		cm_snap_features(s[i], &f[i], NULL);
	}
	for (size_t i = 0; i < N_DUMPS; i++) {
		for (size_t j = 0; j < N_DUMPS; j++) {
			struct cm_fset ab, ba, x, y, u;
			cm_diff(s[i], s[j], &ab, &ba, &u, NULL, NULL);
			cm_diff(s[j], s[i], &x, &y, NULL, NULL, NULL);
			assert_true(cm_fset_equal(&ab, &y) && cm_fset_equal(&ba, &x));
			assert_true(cm_fset_empty(&u));
			/* only_a = A minus B, exactly */
			struct cm_fset want = f[i];
			cm_fset_andnot(&want, &f[j]);
			assert_true(cm_fset_equal(&ab, &want));
			/* A = (A and B) or only_a */
			struct cm_fset both = f[i];
			cm_fset_and(&both, &f[j]);
			cm_fset_or(&both, &ab);
			assert_true(cm_fset_equal(&both, &f[i]));
			if (i == j)
				assert_true(cm_fset_empty(&ab) && cm_fset_empty(&ba));
		}
	}
	for (size_t i = 0; i < N_DUMPS; i++)
		cm_snap_free(s[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed),
		cmocka_unit_test(raw_bits),
		cmocka_unit_test(pairs),
	};
	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
