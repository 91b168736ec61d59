/* test_table.c - the data tables prove themselves: order, uniqueness, references. */
#include "testutil.h"

#include "leaves.h"

static int cmp_pos(const struct cm_feature *a, const struct cm_feature *b)
{
	uint64_t sa = a->subleaf == CM_NO_SUBLEAF ? 0 : (uint64_t)a->subleaf + 1;
	uint64_t sb = b->subleaf == CM_NO_SUBLEAF ? 0 : (uint64_t)b->subleaf + 1;
	if (a->leaf != b->leaf)
		return a->leaf < b->leaf ? -1 : 1;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	int pa = a->reg * 32 + a->bit, pb = b->reg * 32 + b->bit;
	return (pa > pb) - (pa < pb);
}

static void table_sorted_and_unique_bits(void **state)
{
	(void)state;
	size_t n = cm_feature_count();
	assert_true(n > 300);
	assert_true(n <= CM_FSET_BITS);
	for (size_t i = 1; i < n; i++) {
		const struct cm_feature *a = cm_feature_at(i - 1), *b = cm_feature_at(i);
		if (cmp_pos(a, b) >= 0)
			fail_msg("rows %s and %s are out of order or on one bit", a->name, b->name);
	}
}

static void table_names_unique_and_found(void **state)
{
	(void)state;
	size_t n = cm_feature_count();
	for (size_t i = 0; i < n; i++) {
		const struct cm_feature *f = cm_feature_at(i);
		assert_non_null(f->name);
		assert_non_null(f->label);
		assert_non_null(f->desc);
		assert_true(f->bit < 32 && f->reg < 4);
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(f->name, cm_feature_at(j)->name) == 0)
				fail_msg("name %s is used twice", f->name);
		/* the canonical name finds its own row */
		assert_int_equal(cm_feature_find(f->name), (int)i);
		assert_int_equal(cm_feature_at_bit(f->leaf, f->subleaf, f->reg, f->bit), (int)i);
		/* canonical names are lower case, digits and '_' */
		for (const char *p = f->name; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
				fail_msg("name %s has character '%c'", f->name, *p);
		/* exactly one vendor flag */
		unsigned v = f->flags & (CM_FF_INTEL | CM_FF_AMD | CM_FF_CENTAUR);
		assert_true(v && !(v & (v - 1)));
		/* a leaf that takes ECX has subleaf rows, one that ignores it has none */
		assert_int_equal(f->subleaf != CM_NO_SUBLEAF, cm_leaf_has_subleaves(f->leaf));
	}
}

/* The bits the seed works by hand, at the positions the Intel SDM gives. */
static void seed_anchors(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		uint32_t leaf, sub;
		int reg, bit;
		const char *label;
	} anchors[] = {
		{ "movbe", 1, CM_NO_SUBLEAF, CM_ECX, 22, "MOVBE" },
		{ "pcid", 1, CM_NO_SUBLEAF, CM_ECX, 17, "PCID" },
		{ "xsave", 1, CM_NO_SUBLEAF, CM_ECX, 26, "XSAVE" },
		{ "avx", 1, CM_NO_SUBLEAF, CM_ECX, 28, "Advanced Vector Extensions (AVX)" },
		{ "f16c", 1, CM_NO_SUBLEAF, CM_ECX, 29,
		  "Half-precision conversion instructions (F16C)" },
		{ "fsgsbase", 7, 0, CM_EBX, 0,
		  "Instructions to read and write FS and GS base registers at any privilege level" },
		{ "3dnowprefetch", 0x80000001, CM_NO_SUBLEAF, CM_ECX, 8,
		  "3DNow! PREFETCH and PREFETCHW" },
		{ "xfeature_sse", 0xd, 0, CM_EAX, 1, "XSAVE SSE State" },
		{ "xfeature_ymm", 0xd, 0, CM_EAX, 2, "XSAVE YMM State" },
	};
	for (size_t i = 0; i < sizeof anchors / sizeof anchors[0]; i++) {
		const struct cm_feature *f = cm_feature_at((size_t)feature(anchors[i].name));
		assert_int_equal(f->leaf, anchors[i].leaf);
		assert_int_equal(f->subleaf, anchors[i].sub);
		assert_int_equal(f->reg, anchors[i].reg);
		assert_int_equal(f->bit, anchors[i].bit);
		assert_string_equal(f->label, anchors[i].label);
		assert_true(f->flags & CM_FF_VMLABEL);
	}
}

/* Every spelling finds the same bit, whatever its case and separator. */
static void aliases(void **state)
{
	(void)state;
	assert_int_equal(cm_feature_find("sse4.1"), feature("sse4_1"));
	assert_int_equal(cm_feature_find("SSE4-1"), feature("sse4_1"));
	assert_int_equal(cm_feature_find("SSE3"), feature("pni"));
	assert_int_equal(cm_feature_find("pclmuldq"), feature("pclmulqdq"));
	assert_int_equal(cm_feature_find("tsc-deadline"), feature("tsc_deadline_timer"));
	assert_int_equal(cm_feature_find("cpuid.avx"), feature("avx"));
	assert_int_equal(cm_feature_find("aesni"), feature("aes"));
	assert_int_equal(cm_feature_find("no-such-feature"), CM_ENOTFOUND);
	assert_int_equal(cm_feature_find(""), CM_ENOTFOUND);
}

/* The registers the issue names all have rows. */
static void coverage(void **state)
{
	(void)state;
	static const struct {
		uint32_t leaf, sub;
		int reg;
	} regs[] = {
		{ 1, CM_NO_SUBLEAF, CM_ECX },	 { 1, CM_NO_SUBLEAF, CM_EDX },
		{ 6, CM_NO_SUBLEAF, CM_EAX },	 { 7, 0, CM_EBX },
		{ 7, 0, CM_ECX },		 { 7, 0, CM_EDX },
		{ 7, 1, CM_EAX },		 { 7, 1, CM_EBX },
		{ 7, 1, CM_ECX },		 { 7, 1, CM_EDX },
		{ 7, 2, CM_EDX },		 { 0xd, 0, CM_EAX },
		{ 0xd, 1, CM_EAX },		 { 0x14, 0, CM_EBX },
		{ 0x14, 0, CM_ECX },		 { 0x19, CM_NO_SUBLEAF, CM_EBX },
		{ 0x80000001, CM_NO_SUBLEAF, CM_ECX }, { 0x80000001, CM_NO_SUBLEAF, CM_EDX },
		{ 0x80000007, CM_NO_SUBLEAF, CM_EDX }, { 0x80000008, CM_NO_SUBLEAF, CM_EBX },
		{ 0x8000001f, CM_NO_SUBLEAF, CM_EAX }, { 0x80000021, CM_NO_SUBLEAF, CM_EAX },
	};
	for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
		int found = 0;
		for (int b = 0; b < 32; b++)
			found += cm_feature_at_bit(regs[i].leaf, regs[i].sub, regs[i].reg, b) >= 0;
		if (!found)
			fail_msg("no row for leaf %#x subleaf %#x %s", regs[i].leaf, regs[i].sub,
				 cm_reg_name(regs[i].reg));
	}
	/* every XCR0 component row is flagged as XSAVE state */
	for (int b = 0; b < 32; b++) {
		int id = cm_feature_at_bit(0xd, 0, CM_EAX, b);
		if (id >= 0)
			assert_true(cm_feature_at((size_t)id)->flags & CM_FF_XSTATE);
	}
	assert_true(cm_feature_at((size_t)feature("osxsave"))->flags & CM_FF_DYNAMIC);
}

/* Named baselines name only features that exist, and levels nest. */
static void models(void **state)
{
	(void)state;
	assert_true(cm_model_count() >= 4);
	for (size_t i = 0; i < cm_model_count(); i++) {
		const struct cm_model *m = cm_model_at(i);
		const char *p = m->features;
		while (*p) {
			while (*p == ' ')
				p++;
			size_t n = strcspn(p, " ");
			char name[64];
			assert_true(n > 0 && n < sizeof name);
			memcpy(name, p, n);
			name[n] = '\0';
			if (cm_feature_find(name) < 0)
				fail_msg("model %s names unknown feature %s", m->name, name);
			p += n;
		}
	}
	struct cm_fset v1, v2, v3, v4;
	cm_model_features(cm_model_find("x86-64-v1"), &v1);
	cm_model_features(cm_model_find("x86-64-v2"), &v2);
	cm_model_features(cm_model_find("X86-64-V3"), &v3);
	cm_model_features(cm_model_find("x86-64-v4"), &v4);
	assert_true(cm_fset_subset(&v1, &v2) && cm_fset_subset(&v2, &v3) &&
		    cm_fset_subset(&v3, &v4));
	assert_int_equal(cm_fset_count(&v1), 9);
	assert_int_equal(cm_fset_count(&v4) - cm_fset_count(&v3), 5);
	assert_null(cm_model_find("no-such-model"));
}

/*
 * EVC-like modes nest, per vendor, as VMware's EVC modes do: each mode has every feature of
 * the one before it. The only exceptions are features the CPUs themselves lost, listed
 * here exactly (and in lib/models.def and docs/baselines.md): Sapphire Rapids has no MPX,
 * Zen has no XOP, FMA4 or TBM.
 */
static void evc_nesting(void **state)
{
	(void)state;
	static const char *const intel[] = {
		"intel-merom",	     "intel-penryn",	   "intel-nehalem",	   "intel-westmere",
		"intel-sandybridge", "intel-ivybridge",	   "intel-haswell",	   "intel-broadwell",
		"intel-skylake",     "intel-cascadelake",  "intel-icelake",	   "intel-sapphirerapids",
		"intel-graniterapids",
	};
	static const char *const amd[] = {
		"amd-rev-e",	  "amd-rev-f",	 "amd-greyhound", "amd-bulldozer", "amd-piledriver",
		"amd-steamroller", "amd-zen",	 "amd-zen2",	  "amd-zen3",	   "amd-zen4",
		"amd-zen5",
	};
	static const struct {
		const char *mode, *dropped;
	} dropped[] = {
		{ "intel-sapphirerapids", "mpx xfeature_bndregs xfeature_bndcsr" },
		{ "amd-zen", "xop fma4 tbm" },
	};
	const char *const *chains[] = { intel, amd };
	size_t lens[] = { sizeof intel / sizeof intel[0], sizeof amd / sizeof amd[0] };
	size_t evc = 0, seen = 0;
	for (size_t i = 0; i < cm_model_count(); i++)
		evc += strcmp(cm_model_at(i)->family, "evc") == 0;
	for (size_t c = 0; c < 2; c++) {
		seen += lens[c];
		for (size_t k = 1; k < lens[c]; k++) {
			const struct cm_model *lo = cm_model_find(chains[c][k - 1]);
			const struct cm_model *hi = cm_model_find(chains[c][k]);
			assert_non_null(lo);
			assert_non_null(hi);
			assert_string_equal(hi->family, "evc");
			struct cm_fset a, b, lost, allowed = { { 0 } };
			cm_model_features(lo, &a);
			cm_model_features(hi, &b);
			lost = a;
			cm_fset_andnot(&lost, &b);
			for (size_t d = 0; d < sizeof dropped / sizeof dropped[0]; d++) {
				if (strcmp(dropped[d].mode, hi->name) != 0)
					continue;
				char names[128];
				snprintf(names, sizeof names, "%s", dropped[d].dropped);
				for (char *t = strtok(names, " "); t; t = strtok(NULL, " "))
					cm_fset_add(&allowed, (size_t)feature(t));
				/* exactly these, and each is really dropped */
				assert_true(cm_fset_equal(&lost, &allowed));
			}
			if (!cm_fset_equal(&lost, &allowed)) {
				long id = cm_fset_next(&lost, 0);
				fail_msg("%s lacks %s of %s", hi->name,
					 cm_feature_at((size_t)id)->name, lo->name);
			}
			/* and each mode adds something */
			assert_false(cm_fset_subset(&b, &a));
		}
	}
	assert_int_equal(seen, evc);	/* every EVC-like mode is in a chain */
	/* the audit's cases: F16C, RDRAND and VME stay from Ivy Bridge on */
	struct cm_fset hw;
	cm_model_features(cm_model_find("intel-haswell"), &hw);
	assert_true(cm_fset_has(&hw, (size_t)feature("f16c")));
	assert_true(cm_fset_has(&hw, (size_t)feature("rdrand")));
	assert_true(cm_fset_has(&hw, (size_t)feature("vme")));
}

static void leaf_rules_sorted(void **state)
{
	(void)state;
	for (size_t i = 1; i < cm__leafrule_count(); i++)
		assert_true(cm__leafrule_at(i - 1)->leaf < cm__leafrule_at(i)->leaf);
	assert_true(cm_leaf_has_subleaves(7));
	assert_true(cm_leaf_has_subleaves(0x8000001d));
	assert_false(cm_leaf_has_subleaves(1));
	assert_false(cm_leaf_has_subleaves(0x80000001));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_sorted_and_unique_bits),
		cmocka_unit_test(table_names_unique_and_found),
		cmocka_unit_test(seed_anchors),
		cmocka_unit_test(aliases),
		cmocka_unit_test(coverage),
		cmocka_unit_test(models),
		cmocka_unit_test(evc_nesting),
		cmocka_unit_test(leaf_rules_sorted),
	};
	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
