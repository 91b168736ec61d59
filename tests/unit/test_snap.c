/* test_snap.c - snapshots: order, duplicates, subleaf rules, ranges, partial data. */
#include "testutil.h"

static const uint32_t Z[4] = { 0, 0, 0, 0 };

static void add(cm_snap *s, uint32_t leaf, uint32_t sub, uint32_t a, uint32_t b, uint32_t c,
		uint32_t d)
{
	uint32_t r[4] = { a, b, c, d };
	assert_int_equal(cm_snap_add(s, leaf, sub, r, NULL), 0);
}

static void order_and_duplicates(void **state)
{
	(void)state;
	cm_snap *s;
	assert_int_equal(cm_snap_new(&s), 0);
	add(s, 0x80000000, CM_NO_SUBLEAF, 0x80000008, 0, 0, 0);
	add(s, 7, 1, 0, 0, 0, 0);
	add(s, 7, 0, 1, 0, 0, 0);
	add(s, 7, CM_NO_SUBLEAF, 9, 0, 0, 0);
	add(s, 0, CM_NO_SUBLEAF, 0xd, 0, 0, 0);
	assert_int_equal(cm_snap_add(s, 7, 0, Z, NULL), CM_ECONFLICT);
	assert_int_equal(cm_snap_count(s), 5);
	/* leaf order, then no-subleaf before 0 before 1; high leaves after low ones */
	const uint32_t leaves[] = { 0, 7, 7, 7, 0x80000000 };
	const uint32_t subs[] = { CM_NO_SUBLEAF, CM_NO_SUBLEAF, 0, 1, CM_NO_SUBLEAF };
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(cm_snap_at(s, i)->leaf, leaves[i]);
		assert_int_equal(cm_snap_at(s, i)->subleaf, subs[i]);
	}
	assert_null(cm_snap_at(s, 5));
	/* put replaces */
	uint32_t r[4] = { 2, 0, 0, 0 };
	assert_int_equal(cm_snap_put(s, 7, 0, r, NULL), 0);
	assert_int_equal(cm_snap_find(s, 7, 0)->reg[CM_EAX], 2);
	assert_int_equal(cm_snap_count(s), 5);
	cm_snap_free(s);
	cm_snap_free(NULL);
}

static void subleaf_lookup(void **state)
{
	(void)state;
	cm_snap *s;
	assert_int_equal(cm_snap_new(&s), 0);
	add(s, 0, CM_NO_SUBLEAF, 0xd, 0, 0, 0);
	add(s, 1, 0, 0x306a9, 0, 0x1, 0);	      /* leaf 1 stored as subleaf 0 (cpuid -r) */
	add(s, 7, CM_NO_SUBLEAF, 0, 0x281, 0, 0); /* leaf 7 stored without subleaf */
	/* a leaf that ignores ECX answers any subleaf */
	assert_non_null(cm_snap_lookup(s, 1, CM_NO_SUBLEAF));
	assert_non_null(cm_snap_lookup(s, 1, 5));
	/* a leaf that takes ECX: the no-subleaf entry answers subleaf 0 only */
	assert_int_equal(cm_snap_lookup(s, 7, 0)->reg[CM_EBX], 0x281);
	assert_null(cm_snap_lookup(s, 7, 1));
	assert_int_equal(cm_snap_bit(s, 7, 0, CM_EBX, 0), 1);
	assert_int_equal(cm_snap_bit(s, 7, 1, CM_EAX, 4), 0);
	/* beyond the maximum basic leaf reads as absent, even if listed */
	add(s, 0xe, CM_NO_SUBLEAF, 0xffffffff, 0, 0, 0);
	assert_null(cm_snap_lookup(s, 0xe, CM_NO_SUBLEAF));
	assert_int_equal(cm_snap_bit(s, 0xe, CM_NO_SUBLEAF, CM_EAX, 0), 0);
	/* an extended range without its first leaf is absent */
	add(s, 0x80000001, CM_NO_SUBLEAF, 0, 0, 0x100, 0);
	assert_int_equal(cm_snap_bit(s, 0x80000001, CM_NO_SUBLEAF, CM_ECX, 8), 0);
	add(s, 0x80000000, CM_NO_SUBLEAF, 0x80000001, 0, 0, 0);
	assert_int_equal(cm_snap_bit(s, 0x80000001, CM_NO_SUBLEAF, CM_ECX, 8), 1);
	/* a maximum outside its range means the range does not exist */
	uint32_t bad[4] = { 0x00000004, 0, 0, 0 };
	assert_int_equal(cm_snap_put(s, 0x80000000, CM_NO_SUBLEAF, bad, NULL), 0);
	assert_int_equal(cm_snap_bit(s, 0x80000001, CM_NO_SUBLEAF, CM_ECX, 8), 0);
	cm_snap_free(s);
}

static void partial(void **state)
{
	(void)state;
	cm_snap *s;
	assert_int_equal(cm_snap_new(&s), 0);
	cm_snap_set_complete(s, false);
	assert_false(cm_snap_complete(s));
	uint32_t r[4] = { 0xd, 0, 0, 0 };
	assert_int_equal(cm_snap_add(s, 0, CM_NO_SUBLEAF, r, NULL), 0);
	uint32_t v[4] = { 0, 0, 0xffffffff, 0x1 };
	uint32_t k[4] = { 0, 0, 0x0000ffff, 0xffffffff };
	assert_int_equal(cm_snap_add(s, 1, CM_NO_SUBLEAF, v, k), 0);
	/* unknown bits are stored as 0 and read as unknown */
	assert_int_equal(cm_snap_find(s, 1, CM_NO_SUBLEAF)->reg[CM_ECX], 0xffff);
	assert_int_equal(cm_snap_bit(s, 1, CM_NO_SUBLEAF, CM_ECX, 3), 1);
	assert_int_equal(cm_snap_bit(s, 1, CM_NO_SUBLEAF, CM_ECX, 28), -1);
	assert_int_equal(cm_snap_bit(s, 1, CM_NO_SUBLEAF, CM_EDX, 0), 1);
	/* a leaf inside the range that is not listed is unknown, one beyond it absent */
	assert_int_equal(cm_snap_bit(s, 7, 0, CM_EBX, 0), -1);
	assert_int_equal(cm_snap_bit(s, 0x10, 0, CM_EBX, 0), 0);
	struct cm_fset have, unknown;
	cm_snap_features(s, &have, &unknown);
	assert_true(cm_fset_has(&unknown, (size_t)feature("fsgsbase")));
	assert_true(cm_fset_has(&unknown, (size_t)feature("avx")));
	assert_true(cm_fset_has(&have, (size_t)feature("monitor")));
	assert_true(cm_fset_has(&have, (size_t)feature("fpu")));
	assert_false(cm_fset_has(&have, (size_t)feature("avx")));
	/* a partial snapshot is not equal to a complete one with the same leaves */
	cm_snap *d;
	assert_int_equal(cm_snap_dup(&d, s), 0);
	assert_true(cm_snap_equal(s, d));
	cm_snap_set_complete(d, true);
	assert_false(cm_snap_equal(s, d));
	cm_snap_free(d);
	cm_snap_free(s);
}

static void source_and_dup(void **state)
{
	(void)state;
	cm_snap *s, *d;
	assert_int_equal(cm_snap_new(&s), 0);
	assert_string_equal(cm_snap_source(s), "");
	assert_int_equal(cm_snap_set_source(s, "host A"), 0);
	add(s, 0, CM_NO_SUBLEAF, 1, 2, 3, 4);
	assert_int_equal(cm_snap_dup(&d, s), 0);
	assert_string_equal(cm_snap_source(d), "host A");
	assert_true(cm_snap_equal(s, d));
	uint32_t r[4] = { 1, 2, 3, 5 };
	assert_int_equal(cm_snap_put(d, 0, CM_NO_SUBLEAF, r, NULL), 0);
	assert_false(cm_snap_equal(s, d));
	assert_int_equal(cm_snap_set_source(d, NULL), 0);
	assert_string_equal(cm_snap_source(d), "");
	cm_snap_free(d);
	cm_snap_free(s);
}

static void fset_ops(void **state)
{
	(void)state;
	struct cm_fset a = { { 0 } }, b = { { 0 } };
	assert_true(cm_fset_empty(&a));
	cm_fset_add(&a, 3);
	cm_fset_add(&a, 64);
	cm_fset_add(&a, CM_FSET_BITS - 1);
	cm_fset_add(&a, CM_FSET_BITS); /* ignored */
	assert_int_equal(cm_fset_count(&a), 3);
	assert_int_equal(cm_fset_next(&a, 0), 3);
	assert_int_equal(cm_fset_next(&a, 4), 64);
	assert_int_equal(cm_fset_next(&a, 65), CM_FSET_BITS - 1);
	assert_int_equal(cm_fset_next(&a, CM_FSET_BITS), -1);
	cm_fset_add(&b, 64);
	assert_true(cm_fset_subset(&b, &a));
	assert_false(cm_fset_subset(&a, &b));
	struct cm_fset c = a;
	cm_fset_andnot(&c, &b);
	assert_int_equal(cm_fset_count(&c), 2);
	cm_fset_and(&c, &b);
	assert_true(cm_fset_empty(&c));
	cm_fset_or(&c, &a);
	assert_true(cm_fset_equal(&c, &a));
	cm_fset_del(&c, 3);
	assert_false(cm_fset_has(&c, 3));
}

static void buf_cap(void **state)
{
	(void)state;
	struct cm_buf b;
	cm_buf_init(&b, 10);
	assert_int_equal(cm_buf_puts(&b, "12345"), 0);
	assert_int_equal(cm_buf_printf(&b, "%d", 678), 0);
	assert_string_equal(b.data, "12345678");
	assert_int_equal(cm_buf_puts(&b, "abc"), CM_ENOMEM);
	assert_int_equal(cm_buf_puts(&b, "x"), CM_ENOMEM); /* sticky */
	assert_string_equal(b.data, "12345678");
	cm_buf_reset(&b);
	assert_int_equal(cm_buf_puts(&b, "ok"), 0);
	assert_string_equal(b.data, "ok");
	cm_buf_free(&b);
	assert_null(b.data);
}

static void strings(void **state)
{
	(void)state;
	assert_string_equal(cm_reg_name(CM_ECX), "ecx");
	assert_null(cm_reg_name(4));
	assert_int_equal(cm_reg_from_name("EDX", 3), CM_EDX);
	assert_int_equal(cm_reg_from_name("edi", 3), CM_ENOTFOUND);
	assert_int_equal(cm_reg_from_name("ex", 2), CM_ENOTFOUND);
	for (int c = 0; c >= -6; c--)
		assert_non_null(cm_strerror(c));
	assert_string_equal(cm_strerror(-99), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(order_and_duplicates), cmocka_unit_test(subleaf_lookup),
		cmocka_unit_test(partial),		cmocka_unit_test(source_and_dup),
		cmocka_unit_test(fset_ops),		cmocka_unit_test(buf_cap),
		cmocka_unit_test(strings),
	};
	return cmocka_run_group_tests_name("snap", tests, NULL, NULL);
}
