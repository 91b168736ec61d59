/*
 * test_capture.c - the CPUID walk: run on recorded CPUs (a snapshot playing the CPU) it
 * finds what the recording holds by each leaf's own rule; run on this machine it gives a
 * dump that reads back.
 */
#include "testutil.h"

#include "capture.h"

/* A CPU answering from a snapshot: unlisted leaves and subleaves answer zero. */
static void replay(void *ctx, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	const struct cm_leaf *e = cm_snap_lookup(ctx, leaf, sub);
	for (int i = 0; i < 4; i++)
		r[i] = e ? e->reg[i] : 0;
}

/* The entry that ends a leaf's subleaf list, which the walk does not keep. */
static bool end_marker(const struct cm_leaf *r)
{
	bool topo = r->leaf == 0xb || r->leaf == 0x1f || r->leaf == 0x80000026;
	bool cache = r->leaf == 4 || r->leaf == 0x8000001d;
	return (topo && r->subleaf > 0 && ((r->reg[CM_ECX] >> 8) & 0xff) == 0) ||
	       (cache && (r->reg[CM_EAX] & 0x1f) == 0);
}

/* The walk finds every leaf of the recording that software can see, with the same values. */
static void walk_recorded_cpus(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_DUMPS; i++) {
		cm_snap *rec = load_fixture(all_dumps[i]);
		cm_snap *got = NULL;
		assert_int_equal(cm__enumerate(&got, replay, rec), 0);
		/*
		 * Everything the walk found is what the recording holds: the recorded entry (the
		 * recording writes subleaf 0 where the walk writes none), or zeros where the
		 * recording has nothing.
		 */
		for (size_t k = 0; k < cm_snap_count(got); k++) {
			const struct cm_leaf *g = cm_snap_at(got, k);
			const struct cm_leaf *r = cm_snap_find(rec, g->leaf, g->subleaf);
			if (!r && g->subleaf == CM_NO_SUBLEAF)
				r = cm_snap_find(rec, g->leaf, 0);
			uint32_t zero[4] = { 0 };
			if (memcmp(g->reg, r ? r->reg : zero, sizeof zero) != 0)
				fail_msg("%s: leaf %#x subleaf %#x differs from the recording",
					 all_dumps[i], g->leaf, g->subleaf);
		}
		/* every non-zero visible result of the recording was found */
		for (size_t k = 0; k < cm_snap_count(rec); k++) {
			const struct cm_leaf *r = cm_snap_at(rec, k);
			if (!cm_snap_lookup(rec, r->leaf, r->subleaf))
				continue;	/* beyond its range's maximum */
			if ((!r->reg[0] && !r->reg[1] && !r->reg[2] && !r->reg[3]) || end_marker(r))
				continue;
			if (!cm_snap_lookup(got, r->leaf, r->subleaf))
				fail_msg("%s: walk missed leaf %#x subleaf %#x", all_dumps[i],
					 r->leaf, r->subleaf);
		}
		/* and the decoded CPU is the same */
		struct cm_fset a, b;
		cm_snap_features(rec, &a, NULL);
		cm_snap_features(got, &b, NULL);
		assert_true(cm_fset_equal(&a, &b));
		cm_snap_free(got);
		cm_snap_free(rec);
	}
}

/* Leaves that ignore ECX are stored without subleaf; subleaf leaves by their rule. */
static void walk_shapes(void **state)
{
	(void)state;
	cm_snap *rec = load_fixture("xeon-w7-3465x");
	cm_snap *got = NULL;
	assert_int_equal(cm__enumerate(&got, replay, rec), 0);
	assert_non_null(cm_snap_find(got, 1, CM_NO_SUBLEAF));
	assert_null(cm_snap_find(got, 1, 0));
	assert_non_null(cm_snap_find(got, 7, 0));
	assert_non_null(cm_snap_find(got, 7, 1)); /* 7.0 EAX = 1 or more */
	/* 0xD: the components of XCR0 and XSS, nothing else */
	const struct cm_leaf *d0 = cm_snap_find(got, 0xd, 0), *d1 = cm_snap_find(got, 0xd, 1);
	assert_non_null(d0);
	assert_non_null(d1);
	uint64_t comps = ((uint64_t)d0->reg[CM_EDX] << 32 | d0->reg[CM_EAX]) |
			 ((uint64_t)d1->reg[CM_EDX] << 32 | d1->reg[CM_ECX]);
	for (uint32_t i = 2; i < 64; i++)
		assert_int_equal(cm_snap_find(got, 0xd, i) != NULL, (comps >> i) & 1);
	/* leaf 4 stops before the null cache type */
	uint32_t n4 = 0;
	while (cm_snap_find(got, 4, n4))
		n4++;
	assert_true(n4 >= 3);
	assert_int_not_equal(cm_snap_find(got, 4, n4 - 1)->reg[CM_EAX] & 0x1f, 0);
	cm_snap_free(got);
	cm_snap_free(rec);
}

/* A CPU that answers the same non-zero value forever does not make the walk loop. */
static void stubborn(void *ctx, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	(void)ctx;
	(void)sub;
	r[0] = leaf == 0 ? 0x7fffffff : leaf == 0x80000000 ? 0x8fffffff : 0xffffffff;
	r[1] = 0xffffffff;
	r[2] = 0xffffffff;
	r[3] = 0xffffffff;
}

static void walk_is_bounded(void **state)
{
	(void)state;
	cm_snap *got = NULL;
	assert_int_equal(cm__enumerate(&got, stubborn, NULL), 0);
	assert_true(cm_snap_count(got) < 200000);
	cm_snap_free(got);
}

/* The live CPU: a dump that reads back equal, with a vendor and a signature. */
static void live(void **state)
{
	(void)state;
	cm_snap *s = NULL;
	struct cm_error err;
#if defined(__x86_64__) || defined(__i386__)
	assert_int_equal(cm_capture(&s, &err), 0);
	struct cm_cpuinfo ci;
	cm_decode(s, &ci);
	assert_int_not_equal(ci.vendor_id, CM_VENDOR_UNKNOWN);
	assert_true(ci.has_signature);
	assert_true(ci.max_leaf >= 1);
	assert_non_null(cm_snap_find(s, 0, CM_NO_SUBLEAF));
	struct cm_buf b = CM_BUF_INIT;
	assert_int_equal(cm_write_dump(&b, s), 0);
	cm_snap *t = NULL;
	assert_int_equal(cm_read(&t, b.data, b.len, "live", NULL, &err), 0);
	assert_true(cm_snap_equal(s, t));
	cm_snap_free(t);
	cm_buf_free(&b);
	cm_snap_free(s);
#else
	assert_int_equal(cm_capture(&s, &err), CM_EUNSUPPORTED);
	assert_true(err.msg[0] != '\0');
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walk_recorded_cpus),
		cmocka_unit_test(walk_shapes),
		cmocka_unit_test(walk_is_bounded),
		cmocka_unit_test(live),
	};
	return cmocka_run_group_tests_name("capture", tests, NULL, NULL);
}
