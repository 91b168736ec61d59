/*
 * test_baseline.c - baselines over hosts, named modes, the emitters and the .vmx editor,
 * with a property test over every small set of the real dumps.
 */
#include "testutil.h"

#include <libxml/parser.h>

static cm_mask *baseline_mask(cm_snap **hosts, size_t n, enum cm_mask_style style, bool vmware,
			      struct cm_baseline *b)
{
	assert_int_equal(cm_baseline(b, (const cm_snap *const *)hosts, n, 0, NULL), 0);
	cm_mask *m = NULL;
	assert_int_equal(cm_baseline_mask(&m, &b->common, &b->some, style, vmware, NULL), 0);
	return m;
}

static char *vmx_of(const cm_mask *m)
{
	struct cm_buf b = CM_BUF_INIT;
	assert_int_equal(cm_mask_write_vmx(&b, m, NULL), 0);
	return b.data ? b.data : strdup("");
}

/* The seed's two hosts give the seed's four merged lines. */
static void seed_minimal(void **state)
{
	(void)state;
	cm_snap *h[2] = { load_fixture("atom-c2750"), load_fixture("core-i7-3770") };
	struct cm_baseline b;
	cm_mask *m = baseline_mask(h, 2, CM_STYLE_MINIMAL, true, &b);
	char *got = vmx_of(m);
	/* in leaf order; the seed's file has the lines in the order its two merges gave */
	assert_string_equal(got, "cpuid.1.ecx = \"--00-0---0----0-----------------\"\n"
				 "cpuid.7.ebx = \"-------------------------------0\"\n"
				 "cpuid.d.eax = \"-----------------------------00-\"\n"
				 "cpuid.80000001.ecx = \"-----------------------0--------\"\n");
	assert_true(cm_fset_empty(&b.by_dependency));
	assert_false(b.mixed_vendors);
	free(got);
	cm_mask_free(m);
	for (int i = 0; i < 2; i++)
		cm_snap_free(h[i]);
}

static void vendors(void **state)
{
	(void)state;
	cm_snap *h[2] = { load_fixture("core-i7-3770"), load_fixture("epyc-7601-32-core") };
	struct cm_baseline b;
	struct cm_error err;
	/* source names of any length: the reason and the way out are never cut off */
	char longname[600];
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	assert_int_equal(cm_snap_set_source(h[0], longname), 0);
	assert_int_equal(cm_snap_set_source(h[1], longname), 0);
	assert_int_equal(cm_baseline(&b, (const cm_snap *const *)h, 2, 0, &err), CM_ECONFLICT);
	assert_string_equal(err.msg,
			    "host 2 is amd, host 1 is intel: a running VM cannot move between CPU "
			    "vendors whatever its mask hides (vendor, family/model, "
			    "SYSCALL/SYSENTER, virtualisation and microcode differ); --force gives "
			    "a baseline for cold migration");
	assert_int_equal(err.line, 1);	/* the index of the host that differs: callers name it */
	/* the third host differs from the first: it is the one named */
	cm_snap *h3[3] = { h[1], h[1], h[0] };
	assert_int_equal(cm_baseline(&b, (const cm_snap *const *)h3, 3, 0, &err), CM_ECONFLICT);
	assert_true(strncmp(err.msg, "host 3 is intel, host 1 is amd: ", 32) == 0);
	assert_non_null(strstr(err.msg, "; --force gives a baseline for cold migration"));
	assert_int_equal(err.line, 2);
	assert_int_equal(cm_baseline(&b, (const cm_snap *const *)h, 2, CM_BASELINE_FORCE, &err), 0);
	assert_true(b.mixed_vendors);
	assert_int_equal(cm_baseline(&b, (const cm_snap *const *)h, 0, 0, &err), CM_EPARSE);
	for (int i = 0; i < 2; i++)
		cm_snap_free(h[i]);
}

/* A feature every host has is hidden when what it needs is not common. */
static void by_dependency(void **state)
{
	(void)state;
	cm_snap *a = load_fixture("core-i7-4510u"), *b = NULL;
	assert_int_equal(cm_snap_dup(&b, a), 0);
	/* host b: AVX cleared, AVX2 left (a broken hypervisor's view, say) */
	const struct cm_leaf *e = cm_snap_find(b, 1, 0);
	uint32_t r[4];
	memcpy(r, e->reg, sizeof r);
	r[CM_ECX] &= ~(1u << 28);
	assert_int_equal(cm_snap_put(b, e->leaf, e->subleaf, r, NULL), 0);
	cm_snap *h[2] = { a, b };
	struct cm_baseline bl;
	cm_mask *m = baseline_mask(h, 2, CM_STYLE_MINIMAL, true, &bl);
	assert_true(cm_fset_has(&bl.by_dependency, (size_t)feature("avx2")));
	assert_true(cm_fset_has(&bl.by_dependency, (size_t)feature("fma")));
	assert_false(cm_fset_has(&bl.common, (size_t)feature("avx2")));
	assert_int_equal(cm_mask_action(m, 7, 0, CM_EBX, 5), CM_ACT_CLEAR);
	cm_mask_free(m);
	cm_snap_free(a);
	cm_snap_free(b);
}

/* The seed's Westmere mode against the seed's eight lines, and why some lines differ. */
static void westmere_mode(void **state)
{
	(void)state;
	const struct cm_model *w = cm_model_find("intel-westmere");
	assert_non_null(w);
	struct cm_fset keep, none = { { 0 } };
	cm_model_features(w, &keep);
	cm_mask *m = NULL;
	assert_int_equal(cm_baseline_mask(&m, &keep, &none, CM_STYLE_EXACT, true, NULL), 0);
	size_t len;
	char *seed = slurp("tests/data/masks/seed-westmere.vmx", &len);
	char *got = vmx_of(m);
	/* the lines built from the seed's own EVC data come out bit for bit */
	static const char *const same[] = {
		"cpuid.1.ecx = \"000000-0-00--000---000-000------\"\n",
		"cpuid.1.edx = \"-000-------0-0-------0----------\"\n",
		"cpuid.80000001.ecx = \"0000000000000000000000000000000-\"\n",
		"cpuid.80000001.edx = \"00-0-000000-00000000-00000000000\"\n",
		"cpuid.d.eax = \"00000000000000000000000000000000\"\n",
		"cpuid.d.ecx = \"00000000000000000000000000000000\"\n",
		"cpuid.d.edx = \"00000000000000000000000000000000\"\n",
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		assert_non_null(strstr(seed, same[i]));
		assert_non_null(strstr(got, same[i]));
	}
	/*
	 * The differences: the seed hid only FSGSBASE in leaf 7, the one leaf-7 feature its
	 * hosts did not share; a Westmere CPU has no leaf 7 at all (its maximum basic leaf is
	 * 0xB), so the mode hides every leaf-7 bit, and levels ECX and EDX too.
	 */
	assert_non_null(strstr(seed, "cpuid.7.ebx = \"-------------------------------0\"\n"));
	assert_non_null(strstr(got, "cpuid.7.ebx = \"00000000000000000000000000000000\"\n"));
	assert_non_null(strstr(got, "cpuid.7.ecx = \"00000000000000000000000000000000\"\n"));
	assert_non_null(strstr(got, "cpuid.7.edx = \"00000000000000000000000000000000\"\n"));
	assert_null(strstr(seed, "cpuid.7.ecx"));
	/* ... and nothing else differs */
	size_t lines = 0;
	for (const char *p = got; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 10);
	free(got);
	free(seed);
	cm_mask_free(m);
	/* both seed hosts meet it (the Avoton belongs to the Westmere EVC class) */
	cm_snap *a = load_fixture("atom-c2750"), *b = load_fixture("core-i7-3770");
	assert_true(cm_model_met(w, a, NULL));
	assert_true(cm_model_met(w, b, NULL));
	/*
	 * With the seed's two hosts (baseline --mode westmere HOSTS) the mask is the same ten
	 * lines: features the hosts have beyond the mode in other registers would be hidden
	 * too, but the hosts have none. They both have ARAT (0x6 EAX bit 2) and invariant TSC
	 * (0x80000007 EDX bit 8), outside the leaves the seed's EVC mask covers: the mode keeps
	 * them, as a real Westmere (core-i5-650) has both; hiding them would show a Westmere
	 * guest less than a Westmere host. A Merom guest loses them (Core 2 has neither).
	 */
	cm_snap *pair[2] = { a, b };
	struct cm_baseline bl;
	assert_int_equal(cm_baseline(&bl, (const cm_snap *const *)pair, 2, 0, NULL), 0);
	assert_true(cm_fset_has(&bl.common, (size_t)feature("arat")));
	assert_true(cm_fset_has(&bl.common, (size_t)feature("itsc")));
	assert_true(cm_fset_has(&keep, (size_t)feature("arat")));
	assert_true(cm_fset_has(&keep, (size_t)feature("itsc")));
	cm_mask *mh = NULL;
	assert_int_equal(cm_baseline_mask(&mh, &keep, &bl.some, CM_STYLE_EXACT, true, NULL), 0);
	char *with_hosts = vmx_of(mh);
	m = NULL;
	assert_int_equal(cm_baseline_mask(&m, &keep, &none, CM_STYLE_EXACT, true, NULL), 0);
	got = vmx_of(m);
	assert_string_equal(with_hosts, got);
	free(got);
	free(with_hosts);
	cm_mask_free(m);
	cm_mask_free(mh);
	cm_snap *i5 = load_fixture("core-i5-650");
	struct cm_fset i5f;
	cm_snap_features(i5, &i5f, NULL);
	assert_true(cm_fset_has(&i5f, (size_t)feature("arat")));
	assert_true(cm_fset_has(&i5f, (size_t)feature("itsc")));
	assert_true(cm_model_met(w, i5, NULL));
	cm_snap_free(i5);
	struct cm_fset merom;
	cm_model_features(cm_model_find("intel-merom"), &merom);
	assert_int_equal(cm_baseline_mask(&mh, &merom, &bl.some, CM_STYLE_EXACT, true, NULL), 0);
	assert_int_equal(cm_mask_action(mh, 6, CM_NO_SUBLEAF, CM_EAX, 2), CM_ACT_CLEAR);
	assert_int_equal(cm_mask_action(mh, 0x80000007, CM_NO_SUBLEAF, CM_EDX, 8), CM_ACT_CLEAR);
	cm_mask_free(mh);
	assert_false(cm_model_met(cm_model_find("intel-haswell"), b, NULL));
	cm_snap_free(a);
	cm_snap_free(b);
}

static void model_choice(void **state)
{
	(void)state;
	static const struct {
		const char *dump, *evc, *qemu;
	} cases[] = {
		{ "core2-e6850", "intel-merom", "core2duo" },
		{ "core-i5-2500", "intel-sandybridge", "SandyBridge" },
		{ "core-i7-3770", "intel-ivybridge", "IvyBridge" },
		{ "core-i7-4510u", "intel-haswell", "Haswell-noTSX" },
		{ "xeon-gold-6148", "intel-skylake", "Skylake-Server" },
		{ "epyc-7502-32-core", "amd-zen2", "EPYC-Rome" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cm_snap *s = load_fixture(cases[i].dump);
		struct cm_baseline b;
		const cm_snap *one = s;
		assert_int_equal(cm_baseline(&b, &one, 1, 0, NULL), 0);
		const struct cm_model *e = cm_model_best(&b.common, b.vendor, "evc");
		const struct cm_model *q = cm_model_best(&b.common, b.vendor, "qemu");
		if (!e || !q || strcmp(e->name, cases[i].evc) || strcmp(q->name, cases[i].qemu))
			fail_msg("%s: %s / %s", cases[i].dump, e ? e->name : "-", q ? q->name : "-");
		cm_snap_free(s);
	}
}

/* Every set of up to four same-vendor real dumps: the baseline makes them interchangeable. */
static void properties(void **state)
{
	(void)state;
	cm_snap *all[N_DUMPS];
	enum cm_vendor v[N_DUMPS];
	for (size_t i = 0; i < N_DUMPS; i++) {
		all[i] = load_fixture(all_dumps[i]);
		struct cm_cpuinfo ci;
		cm_decode(all[i], &ci);
		v[i] = ci.vendor_id;
	}
	size_t sets = 0;
	for (unsigned pick = 1; pick < (1u << N_DUMPS); pick++) {
		if (__builtin_popcount(pick) > 4)
			continue;
		cm_snap *h[4];
		size_t n = 0;
		bool one_vendor = true;
		for (size_t i = 0; i < N_DUMPS; i++)
			if (pick & (1u << i)) {
				h[n++] = all[i];
				one_vendor &= v[i] == v[__builtin_ctz(pick)];
			}
		if (!one_vendor)
			continue;
		sets++;
		for (int style = CM_STYLE_MINIMAL; style <= CM_STYLE_FULL; style++) {
			struct cm_baseline b;
			cm_mask *m = baseline_mask(h, n, (enum cm_mask_style)style, true, &b);
			/* nothing common is hidden, except for a dependency */
			for (long id = cm_fset_next(&b.common, 0); id >= 0;
			     id = cm_fset_next(&b.common, (size_t)id + 1)) {
				const struct cm_feature *f = cm_feature_at((size_t)id);
				assert_int_not_equal(cm_mask_action(m, f->leaf, f->subleaf, f->reg, f->bit),
						     CM_ACT_CLEAR);
			}
			/* check --both passes for every ordered pair */
			for (size_t i = 0; i < n; i++)
				for (size_t j = 0; j < n; j++) {
					struct cm_check c;
					assert_int_equal(cm_check_migration(&c, h[i], h[j], m, NULL), 0);
					if (!c.pass)
						fail_msg("set %#x style %d: %zu -> %zu blocked by %s", pick,
							 style, i, j,
							 c.v[0].feature >= 0
								 ? cm_feature_at((size_t)c.v[0].feature)->name
								 : "?");
					cm_check_free(&c);
				}
			/* the guest sees the same features on every host (those VMware compares) */
			struct cm_fset first = { { 0 } };
			for (size_t i = 0; i < n; i++) {
				cm_snap *g = NULL;
				assert_int_equal(cm_guest_view(&g, h[i], m, true, NULL), 0);
				struct cm_fset seen;
				cm_snap_features(g, &seen, NULL);
				for (size_t id = 0; id < cm_feature_count(); id++)
					if (cm_profile_rule_of(id, NULL) != CM_PROF_PASS)
						cm_fset_del(&seen, id);
				if (i == 0)
					first = seen;
				else if (!cm_fset_equal(&first, &seen))
					fail_msg("set %#x style %d: guest views differ on host %zu", pick,
						 style, i);
				cm_snap_free(g);
			}
			cm_mask_free(m);
		}
	}
	assert_true(sets > 1000);
	for (size_t i = 0; i < N_DUMPS; i++)
		cm_snap_free(all[i]);
}

static char *emit(enum cm_target t, const cm_mask *m, const struct cm_fset *keep, enum cm_vendor v,
		  int want)
{
	struct cm_buf b = CM_BUF_INIT;
	struct cm_emit_input in = { .mask = m, .keep = keep, .vendor = v };
	struct cm_error err;
	int rc = cm_emit(&b, t, &in, NULL, NULL, &err);
	if (rc != want)
		fail_msg("target %d: %d (%s)", t, rc, err.msg);
	return b.data ? b.data : strdup("");
}

static void emitters(void **state)
{
	(void)state;
	cm_snap *h[2] = { load_fixture("atom-c2750"), load_fixture("core-i7-3770") };
	struct cm_baseline b;
	cm_mask *vm = baseline_mask(h, 2, CM_STYLE_MINIMAL, true, &b);
	cm_mask *xm = baseline_mask(h, 2, CM_STYLE_MINIMAL, false, &b);
	/*
	 * featMask keys exactly as the known samples spell them (lower case, [LAMW] and the
	 * WS17 log; formats.md 1.6: whether case matters is UNCONFIRMED), cpuid.* for bits
	 * without a key
	 */
	char *s = emit(CM_TARGET_FEATMASK, vm, &b.common, b.vendor, 0);
	assert_string_equal(s, "featMask.vm.cpuid.f16c = \"Val:0\"\n"
			       "featMask.vm.cpuid.avx = \"Val:0\"\n"
			       "featMask.vm.cpuid.xsave = \"Val:0\"\n"
			       "featMask.vm.cpuid.movbe = \"Val:0\"\n"
			       "featMask.vm.cpuid.pcid = \"Val:0\"\n"
			       "featMask.vm.cpuid.fsgsbase = \"Val:0\"\n"
			       "featMask.vm.cpuid.xcr0_master_ymm_h = \"Val:0\"\n"
			       "featMask.vm.cpuid.xcr0_master_sse = \"Val:0\"\n"
			       "featMask.vm.cpuid.3dnprefetch = \"Val:0\"\n");
	free(s);
	/* Xen strings read back as the mask they came from */
	s = emit(CM_TARGET_XEN, xm, &b.common, b.vendor, 0);
	assert_true(strncmp(s, "cpuid = [ \"0x00000001:ecx=", 26) == 0);
	cm_mask *back = NULL;
	assert_int_equal(cm_mask_read_xen(&back, s, strlen(s), "x", NULL, NULL, NULL), 0);
	for (size_t i = 0; i < cm_mask_count(xm); i++) {
		const struct cm_mask_reg *r = cm_mask_at(xm, i);
		assert_memory_equal(r->act, cm_mask_find(back, r->leaf, r->subleaf, r->reg)->act, 32);
	}
	cm_mask_free(back);
	free(s);
	s = emit(CM_TARGET_XL, xm, &b.common, b.vendor, 0);
	assert_non_null(strstr(s, "cpuid = \"host,"));
	assert_non_null(strstr(s, ",movbe=0"));
	assert_non_null(strstr(s, ",3dnowprefetch=0"));
	back = NULL;
	assert_int_equal(cm_mask_read_xen(&back, s, strlen(s), "x", NULL, NULL, NULL), 0);
	assert_int_equal(cm_mask_action(back, 1, CM_NO_SUBLEAF, CM_ECX, 22), CM_ACT_CLEAR);
	cm_mask_free(back);
	free(s);
	/* QEMU: the largest model inside the common features, the rest by name, enforce */
	s = emit(CM_TARGET_QEMU, NULL, &b.common, b.vendor, 0);
	assert_true(strncmp(s, "-cpu Westmere,", 14) == 0);
	assert_non_null(strstr(s, ",enforce\n"));
	assert_null(strstr(s, "invtsc"));	/* it would block migration */
	assert_null(strstr(s, "movbe"));	/* not common */
	free(s);
	/* libvirt: well-formed XML naming the model and the vendor */
	s = emit(CM_TARGET_LIBVIRT, NULL, &b.common, b.vendor, 0);
	xmlDocPtr doc = xmlReadMemory(s, (int)strlen(s), NULL, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xmlFreeDoc(doc);
	assert_non_null(strstr(s, "<model fallback='forbid'>Westmere</model>"));
	assert_non_null(strstr(s, "<vendor>Intel</vendor>"));
	assert_non_null(strstr(s, "<feature policy='require' name='pclmuldq'/>"));
	free(s);
	/* Proxmox: flags a VM line may not carry need a custom model */
	s = emit(CM_TARGET_PROXMOX, NULL, &b.common, b.vendor, 0);
	assert_non_null(strstr(s, "cpu-model: cpuidmask-baseline\n"));
	assert_non_null(strstr(s, "cpu: custom-cpuidmask-baseline\n"));
	free(s);
	/* what a target cannot express is an error naming the bit */
	cm_mask *t = NULL;
	assert_int_equal(cm_mask_new(&t), 0);
	assert_int_equal(cm_mask_set(t, 1, CM_NO_SUBLEAF, CM_ECX, 16, CM_ACT_CLEAR, ""), 0);
	struct cm_buf out = CM_BUF_INIT;
	struct cm_error err;
	struct cm_emit_input in = { .mask = t, .keep = &b.common, .vendor = b.vendor };
	assert_int_equal(cm_emit(&out, CM_TARGET_XL, &in, NULL, NULL, &err), CM_EUNSUPPORTED);
	assert_int_equal(err.bit, 16);
	assert_non_null(strstr(err.msg, "bit 16"));
	assert_int_equal(cm_mask_set(t, 0xd, 1, CM_EAX, 3, CM_ACT_CLEAR, ""), 0);
	assert_int_equal(cm_mask_set(t, 0xd, 1, CM_EAX, 0, CM_ACT_CLEAR, ""), 0);
	assert_int_equal(cm_emit(&out, CM_TARGET_VMX, &in, NULL, NULL, &err), CM_EUNSUPPORTED);
	/* .vmx too names the first bit it cannot reach (bit 31 first, as a line reads) */
	assert_string_equal(err.msg, "a .vmx cpuid.* line cannot express CPUID level 0xd subleaf "
				     "0x1 register 'eax' bit 3 (xsaves): cpuid.<leaf>.<reg> "
				     "reaches subleaf 0 only");
	assert_int_equal(err.bit, 3);
	assert_int_equal(err.subleaf, 1);
	cm_buf_free(&out);
	cm_mask_free(t);
	assert_int_equal(cm_target_from_name("libvirt"), CM_TARGET_LIBVIRT);
	assert_int_equal(cm_target_from_name("hyperv"), -1);
	cm_mask_free(vm);
	cm_mask_free(xm);
	for (int i = 0; i < 2; i++)
		cm_snap_free(h[i]);
}

/*
 * Bits a Xen pool levels itself are left to Xen: MD_CLEAR (Xen ORs it across a pool: a guest
 * told to flush with VERW is safe everywhere, one not told is exposed where the host needs
 * it) and the x87 bits whose presence means less (FDP_EXCP_ONLY, NO_FPU_SEL): their effect
 * cannot be hidden, Xen always shows the host's. VMware compares MD_CLEAR, so its masks
 * still hide it when it is not common.
 */
static void xen_levels_itself(void **state)
{
	(void)state;
	cm_snap *h[2] = { load_fixture("xeon-gold-6148"), load_fixture("xeon-platinum-8268") };
	struct cm_baseline b;
	for (int style = CM_STYLE_MINIMAL; style <= CM_STYLE_FULL; style++) {
		cm_mask *x = baseline_mask(h, 2, (enum cm_mask_style)style, false, &b);
		/* only the Cascade Lake has MD_CLEAR: not common, not hidden from a Xen guest */
		assert_false(cm_fset_has(&b.common, (size_t)feature("md_clear")));
		assert_true(cm_fset_has(&b.some, (size_t)feature("md_clear")));
		assert_int_equal(cm_mask_action(x, 7, 0, CM_EDX, 10), CM_ACT_DEFAULT);
		/* what is hidden otherwise still is: the Cascade Lake's AVX512-VNNI */
		assert_int_equal(cm_mask_action(x, 7, 0, CM_ECX, 11), CM_ACT_CLEAR);
		cm_mask_free(x);
		cm_mask *v = baseline_mask(h, 2, (enum cm_mask_style)style, true, &b);
		assert_int_equal(cm_mask_action(v, 7, 0, CM_EDX, 10), CM_ACT_CLEAR);
		cm_mask_free(v);
	}
	cm_snap_free(h[1]);
	/* FDP_EXCP_ONLY on the Skylake only, NO_FPU_SEL on both */
	h[1] = load_fixture("core-i7-4510u");
	for (int style = CM_STYLE_MINIMAL; style <= CM_STYLE_FULL; style++) {
		cm_mask *x = baseline_mask(h, 2, (enum cm_mask_style)style, false, &b);
		assert_false(cm_fset_has(&b.common, (size_t)feature("fdp_excptn_only")));
		assert_true(cm_fset_has(&b.common, (size_t)feature("zero_fcs_fds")));
		assert_int_equal(cm_mask_action(x, 7, 0, CM_EBX, 6), CM_ACT_DEFAULT);
		assert_int_equal(cm_mask_action(x, 7, 0, CM_EBX, 13), CM_ACT_DEFAULT);
		cm_mask_free(x);
	}
	for (int i = 0; i < 2; i++)
		cm_snap_free(h[i]);
	/* the seed's pair: only the Avoton has NO_FPU_SEL; -t xl no longer writes no-fpu-sel=0 */
	cm_snap *seed[2] = { load_fixture("atom-c2750"), load_fixture("core-i7-3770") };
	cm_mask *x = baseline_mask(seed, 2, CM_STYLE_MINIMAL, false, &b);
	char *s = emit(CM_TARGET_XL, x, &b.common, b.vendor, 0);
	assert_string_equal(s, "cpuid = \"host,f16c=0,avx=0,xsave=0,movbe=0,x2apic=0,pcid=0,"
			       "tsc-adjust=0,fsgsbase=0,xsaveopt=0,3dnowprefetch=0\"\n");
	free(s);
	cm_mask_free(x);
	for (int i = 0; i < 2; i++)
		cm_snap_free(seed[i]);
}

static char *set_keys(const char *text, const char *const *k, const char *const *v, size_t n,
		      size_t *changed, int want)
{
	struct cm_buf b = CM_BUF_INIT;
	int rc = cm_vmx_set_keys(&b, text, strlen(text), k, v, n, changed, NULL);
	assert_int_equal(rc, want);
	char *s = b.data ? strdup(b.data) : strdup("");
	cm_buf_free(&b);
	return s;
}

static void vmx_editing(void **state)
{
	(void)state;
	const char *k[] = { "cpuid.1.ecx", "cpuid.7.ebx", "featMask.vm.cpuid.avx" };
	const char *v[] = { "--00----------------------------", "-------------------------------0",
			    "Val:0" };
	size_t changed;
	/* CRLF, no final newline, a key in other case, comments and duplicates left alone */
	const char *crlf = "a = \"1\"\r\n# note\r\nCPUID.1.ECX=\"-\"\r\nb = \"2\"\r\nb = \"2\"";
	char *s = set_keys(crlf, k, v, 3, &changed, 0);
	assert_string_equal(s, "a = \"1\"\r\n# note\r\nCPUID.1.ECX=\"--00----------------------------\"\r\n"
			       "cpuid.7.ebx = \"-------------------------------0\"\r\n"
			       "b = \"2\"\r\nb = \"2\"\r\nfeatMask.vm.cpuid.avx = \"Val:0\"");
	assert_int_equal(changed, 3);
	/* again: nothing to change, byte for byte */
	char *t = set_keys(s, k, v, 3, &changed, 0);
	assert_string_equal(t, s);
	assert_int_equal(changed, 0);
	free(t);
	free(s);
	/* LF with a final newline, unquoted old value */
	s = set_keys("x = \"1\"\ncpuid.1.ecx = ----\n", k, v, 1, &changed, 0);
	assert_string_equal(s, "x = \"1\"\ncpuid.1.ecx = \"--00----------------------------\"\n");
	free(s);
	/* an empty file */
	s = set_keys("", k, v, 2, &changed, 0);
	assert_string_equal(s, "cpuid.1.ecx = \"--00----------------------------\"\n"
			       "cpuid.7.ebx = \"-------------------------------0\"\n");
	free(s);
	/* a key set twice is refused */
	s = set_keys("cpuid.1.ecx = \"-\"\ncpuid.1.ECX = \"-\"\n", k, v, 1, &changed, CM_ECONFLICT);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_minimal),	 cmocka_unit_test(vendors),
		cmocka_unit_test(by_dependency), cmocka_unit_test(westmere_mode),
		cmocka_unit_test(model_choice),	 cmocka_unit_test(properties),
		cmocka_unit_test(emitters),	 cmocka_unit_test(vmx_editing),
		cmocka_unit_test(xen_levels_itself),
	};
	return cmocka_run_group_tests_name("baseline", tests, NULL, NULL);
}
