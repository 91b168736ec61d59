/*
 * test_fleet.c - fleets: the fast path agrees with the strict readers, groups and
 * baselines agree with cm_baseline, bad files add nothing, limiting hosts are found, the
 * retirement ladder is right step by step and its first step is the cheapest; partial
 * hosts (vSphere vectors) keep their unknown bits apart from absent ones everywhere.
 */
#include "testutil.h"

#include "internal.h"

static void add_ok(cm_fleet *f, const char *data, size_t len, const char *name)
{
	struct cm_error err;
	if (cm_fleet_add(f, data, len, name, &err))
		fail_msg("%s:%ld: %s", name, err.line, err.msg);
}

/* The features the fleet gives its only host, against the strict reader's. */
static void same_as_strict(const char *data, size_t len, const char *name)
{
	cm_fleet *f;
	assert_int_equal(cm_fleet_new(&f), 0);
	add_ok(f, data, len, name);
	assert_int_equal(cm_fleet_host_count(f), 1);
	cm_snap *s = NULL;
	assert_int_equal(cm_read(&s, data, len, name, NULL, NULL), 0);
	struct cm_fset want, unknown;
	cm__host_features(s, &want, &unknown);
	cm_fset_andnot(&unknown, &want);
	const struct cm_fleet_group *g = cm_fleet_group_at(f, 0);
	if (!cm_fset_equal(&g->features, &want))
		fail_msg("%s: the fleet's features differ from the strict reader's", name);
	if (!cm_fset_equal(&g->unknown, &unknown))
		fail_msg("%s: the fleet's unknown features differ from the strict reader's", name);
	struct cm_cpuinfo ci;
	cm_decode(s, &ci);
	assert_int_equal(g->vendor, ci.vendor_id);
	assert_int_equal(g->signature, ci.signature);
	assert_string_equal(cm_fleet_host_name(f, 0), cm_snap_source(s));
	cm_snap_free(s);
	cm_fleet_free(f);
}

static void fast_equals_strict(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_DUMPS; i++) {
		char path[256];
		snprintf(path, sizeof path, DUMPS "%s.dump", all_dumps[i]);
		size_t len;
		char *data = slurp(path, &len);
		same_as_strict(data, len, path);
		/* written by cpuidmask dump: the fast path's own layout */
		cm_snap *s = load(path);
		struct cm_buf b = CM_BUF_INIT;
		assert_int_equal(cm_write_dump(&b, s), 0);
		same_as_strict(b.data, b.len, path);
		/* with a blank line the fast path steps aside; the answer is the same */
		char *blank = malloc(b.len + 2);
		memcpy(blank, b.data, b.len);
		memcpy(blank + b.len, "\n\n", 2);
		same_as_strict(blank, b.len + 2, path);
		free(blank);
		cm_buf_free(&b);
		cm_snap_free(s);
		free(data);
	}
	static const char *const raw[] = { "tests/data/formats/cpuid-r/core-i7-3770.txt",
					   "tests/data/formats/cpuid-r/amd-epyc-zen5-kvm-guest.txt",
					   "tests/data/formats/cpuid-r/core-i7-3770-old-form.txt",
					   "tests/data/formats/instlat/atom-c2750-aida64-4.00.txt",
					   "tests/data/formats/vmware-log/ws17-core-i5-2500.log",
					   "tests/data/formats/libvirt/core-i7-3770.xml",
					   "tests/data/formats/vsphere/govc-host-info-json.txt",
					   "tests/data/formats/vsphere/govmomi-go-literal.txt" };
	for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
		size_t len;
		char *data = slurp(raw[i], &len);
		same_as_strict(data, len, raw[i]);
		free(data);
	}
}

/* All the dumps in one file; a bad file adds nothing; groups, baselines, limits. */
static void fleet_file(void **state)
{
	(void)state;
	struct cm_buf all = CM_BUF_INIT;
	for (size_t i = 0; i < N_DUMPS; i++) {
		cm_snap *s = load_fixture(all_dumps[i]);
		assert_int_equal(cm_write_dump(&all, s), 0);
		if (strcmp(all_dumps[i], "core-i7-3770") == 0)	/* a second identical host */
			assert_int_equal(cm_write_dump(&all, s), 0);
		cm_snap_free(s);
	}
	cm_fleet *f;
	assert_int_equal(cm_fleet_new(&f), 0);
	add_ok(f, all.data, all.len, "fleet");
	assert_int_equal(cm_fleet_host_count(f), N_DUMPS + 1);
	/* a bad file: an error with its line, and no host of it */
	const char *bad = "cpuidmask-dump 1\n00000000    0000000d 756e6547 6c65746e 49656e69\n"
			  "cpuidmask-dump 1\n00000001    000306a9 05100800 7fbae3ff\n";
	struct cm_error err;
	assert_int_not_equal(cm_fleet_add(f, bad, strlen(bad), "bad", &err), 0);
	assert_int_equal(err.line, 4);
	assert_int_equal(cm_fleet_host_count(f), N_DUMPS + 1);
	cm_fleet_sort(f);
	/* the two i7-3770 form the largest group */
	const struct cm_fleet_group *g0 = cm_fleet_group_at(f, 0);
	assert_int_equal(g0->hosts, 2);
	assert_int_equal(g0->signature, 0x306a9);
	assert_int_equal(cm_fleet_group_count(f), N_DUMPS);
	size_t counted = 0;
	for (size_t g = 0; g < cm_fleet_group_count(f); g++) {
		counted += cm_fleet_group_at(f, g)->hosts;
		if (g)
			assert_true(cm_fleet_group_at(f, g)->hosts <= cm_fleet_group_at(f, g - 1)->hosts);
	}
	assert_int_equal(counted, N_DUMPS + 1);
	for (size_t h = 0; h < cm_fleet_host_count(f); h++)
		assert_true(cm_fleet_host_group(f, h) < cm_fleet_group_count(f));
	/* the baseline of each vendor is cm_baseline's */
	for (int v = CM_VENDOR_INTEL; v <= CM_VENDOR_AMD; v++) {
		cm_snap *hosts[N_DUMPS];
		size_t n = 0;
		for (size_t i = 0; i < N_DUMPS; i++) {
			cm_snap *s = load_fixture(all_dumps[i]);
			struct cm_cpuinfo ci;
			cm_decode(s, &ci);
			if ((int)ci.vendor_id == v)
				hosts[n++] = s;
			else
				cm_snap_free(s);
		}
		struct cm_baseline b;
		assert_int_equal(cm_baseline(&b, (const cm_snap *const *)hosts, n, 0, NULL), 0);
		struct cm_fset fb;
		cm_fleet_baseline(f, (enum cm_vendor)v, &fb);
		assert_true(cm_fset_equal(&fb, &b.common));
		for (size_t i = 0; i < n; i++)
			cm_snap_free(hosts[i]);
	}
	/* the Core 2 holds the Intel baseline down most; leaving it out gains features */
	struct cm_fleet_gain *gains;
	size_t ng;
	assert_int_equal(cm_fleet_limiting(f, CM_VENDOR_INTEL, 5, &gains, &ng), 0);
	assert_true(ng >= 1);
	const struct cm_fleet_group *worst = cm_fleet_group_at(f, gains[0].group);
	struct cm_fset base;
	cm_fleet_baseline(f, CM_VENDOR_INTEL, &base);
	assert_false(cm_fset_empty(&gains[0].gain));
	/* what it gains is not in the baseline, and the group lacks it */
	struct cm_fset both = gains[0].gain;
	cm_fset_and(&both, &base);
	assert_true(cm_fset_empty(&both));
	both = gains[0].gain;
	cm_fset_and(&both, &worst->features);
	assert_true(cm_fset_empty(&both));
	for (size_t i = 1; i < ng; i++)
		assert_true(cm_fset_count(&gains[i].gain) <= cm_fset_count(&gains[i - 1].gain));
	free(gains);
	cm_fleet_free(f);
	cm_buf_free(&all);
}

/* The baseline of vendor v over the dumps whose group is not in `gone`, by a fresh fleet. */
static void baseline_without(char *const *text, const size_t *len, const size_t *group, size_t n,
			     const bool *gone, enum cm_vendor v, struct cm_fset *out)
{
	cm_fleet *f;
	assert_int_equal(cm_fleet_new(&f), 0);
	for (size_t i = 0; i < n; i++)
		if (!gone[group[i]])
			add_ok(f, text[i], len[i], "again");
	cm_fleet_baseline(f, v, out);
	cm_fleet_free(f);
}

/*
 * The retirement ladder over the fixtures, each host repeated 1 to 3 times: steps retire
 * more hosts and gain more each time, never half the vendor's hosts; each step's gain is
 * what a fleet without its groups really has; and no set of groups with fewer hosts than
 * the first step gains anything (by brute force over every subset).
 */
static void ladder(void **state)
{
	(void)state;
	enum { COPIES = 3, MAXH = N_DUMPS * COPIES };
	char *text[MAXH];
	size_t len[MAXH], group[MAXH], n = 0;
	cm_fleet *f;
	assert_int_equal(cm_fleet_new(&f), 0);
	for (size_t i = 0; i < N_DUMPS; i++) {
		cm_snap *s = load_fixture(all_dumps[i]);
		for (size_t c = 0; c <= i % COPIES; c++) {
			struct cm_buf b = CM_BUF_INIT;
			assert_int_equal(cm_write_dump(&b, s), 0);
			add_ok(f, b.data, b.len, all_dumps[i]);
			text[n] = b.data;
			len[n++] = b.len;
		}
		cm_snap_free(s);
	}
	cm_fleet_sort(f);
	size_t ng = cm_fleet_group_count(f);
	for (size_t h = 0; h < n; h++)
		group[h] = cm_fleet_host_group(f, h);
	for (int v = CM_VENDOR_INTEL; v <= CM_VENDOR_AMD; v++) {
		struct cm_fset base;
		cm_fleet_baseline(f, (enum cm_vendor)v, &base);
		size_t total = 0, mine[64], k = 0;
		for (size_t g = 0; g < ng; g++)
			if (cm_fleet_group_at(f, g)->vendor == (enum cm_vendor)v) {
				total += cm_fleet_group_at(f, g)->hosts;
				assert_true(k < 20);
				mine[k++] = g;
			}
		struct cm_fleet_ladder l;
		assert_int_equal(cm_fleet_ladder(f, (enum cm_vendor)v, 100, &l), 0);
		assert_true(l.nsteps >= 2);
		bool gone[64] = { false };
		size_t from = 0;
		for (size_t i = 0; i < l.nsteps; i++) {
			const struct cm_fleet_step *st = &l.steps[i];
			assert_true(2 * st->hosts <= total);
			assert_true(st->groups > from);
			size_t hosts = 0;
			for (size_t g = from; g < st->groups; g++)
				gone[l.groups[g]] = true;
			for (size_t g = 0; g < ng; g++)
				hosts += gone[g] ? cm_fleet_group_at(f, g)->hosts : 0;
			assert_int_equal(hosts, st->hosts);
			if (i) {
				assert_true(st->hosts > l.steps[i - 1].hosts);
				assert_true(cm_fset_subset(&l.steps[i - 1].gain, &st->gain));
				assert_true(cm_fset_count(&st->gain) > cm_fset_count(&l.steps[i - 1].gain));
			}
			struct cm_fset want;
			baseline_without(text, len, group, n, gone, (enum cm_vendor)v, &want);
			cm_fset_andnot(&want, &base);
			if (!cm_fset_equal(&want, &st->gain))
				fail_msg("vendor %d step %zu: the gain is not the smaller fleet's baseline", v,
					 i);
			from = st->groups;
		}
		/* brute force: the cheapest set of groups whose retirement gains anything */
		size_t cheapest = SIZE_MAX;
		for (unsigned long m = 1; m < 1ul << k; m++) {
			bool out[64] = { false };
			size_t hosts = 0;
			for (size_t j = 0; j < k; j++)
				if (m >> j & 1) {
					out[mine[j]] = true;
					hosts += cm_fleet_group_at(f, mine[j])->hosts;
				}
			if (hosts >= cheapest || 2 * hosts > total)
				continue;
			struct cm_fset without;
			baseline_without(text, len, group, n, out, (enum cm_vendor)v, &without);
			if (!cm_fset_subset(&without, &base))
				cheapest = hosts;
		}
		assert_int_equal(l.steps[0].hosts, cheapest);
		cm_fleet_ladder_free(&l);
	}
	for (size_t i = 0; i < n; i++)
		free(text[i]);
	cm_fleet_free(f);
}

static size_t id_of(const char *name)
{
	int id = cm_feature_find(name);
	assert_true(id >= 0);
	return (size_t)id;
}

static void add_file(cm_fleet *f, const char *path)
{
	size_t len;
	char *data = slurp(path, &len);
	add_ok(f, data, len, path);
	free(data);
}

/*
 * A vSphere host (leaves 1, 0x80000001 and a few more; no leaf 7) beside a complete Tiger
 * Lake capture: what the vSphere host does not give is unknown, never absent. AVX2 (leaf 7,
 * which Tiger Lake has) stays out of the baseline but is reported unknown on one host, and
 * the vSphere host is not said to hold it down; DTES64 (leaf 1, known 0 there) is.
 */
static void partial_hosts(void **state)
{
	(void)state;
	static const char vs[] = "tests/data/formats/vsphere/govc-host-info-json.txt";
	static const char tl[] = "tests/data/formats/instlat/tigerlake-i5-1135g7-aida64-6.25.txt";
	cm_fleet *f;
	assert_int_equal(cm_fleet_new(&f), 0);
	add_file(f, vs);
	add_file(f, tl);
	cm_fleet_sort(f);
	assert_int_equal(cm_fleet_group_count(f), 2);
	const struct cm_fleet_group *gv = cm_fleet_group_at(f, cm_fleet_host_group(f, 0));
	const struct cm_fleet_group *gt = cm_fleet_group_at(f, cm_fleet_host_group(f, 1));
	size_t avx2 = id_of("avx2"), avx512f = id_of("avx512f"), dtes64 = id_of("dtes64"),
	       sse2 = id_of("sse2");
	assert_true(cm_fset_has(&gv->unknown, avx2));
	assert_false(cm_fset_has(&gv->features, avx2));
	assert_false(cm_fset_has(&gv->unknown, dtes64));	/* leaf 1 is there: known 0 */
	assert_true(cm_fset_empty(&gt->unknown));
	struct cm_fset both = gv->unknown;
	cm_fset_and(&both, &gv->features);
	assert_true(cm_fset_empty(&both));

	/* the baseline relies on nothing unknown; what it leaves out for want of data is said */
	struct cm_fset base, unknown;
	size_t *hosts = calloc(cm_feature_count(), sizeof *hosts);
	cm_fleet_baseline(f, CM_VENDOR_INTEL, &base);
	cm_fleet_unknown(f, CM_VENDOR_INTEL, &unknown, hosts);
	assert_true(cm_fset_has(&base, sse2));
	assert_false(cm_fset_has(&base, avx2));
	assert_true(cm_fset_has(&unknown, avx2));
	assert_true(cm_fset_has(&unknown, avx512f));	/* unknown, and all it needs is too */
	assert_false(cm_fset_has(&unknown, dtes64));	/* absent on the vSphere host */
	both = unknown;
	cm_fset_and(&both, &base);
	assert_true(cm_fset_empty(&both));
	for (size_t id = 0; id < cm_feature_count(); id++)
		assert_int_equal(hosts[id], cm_fset_has(&unknown, id) ? 1 : 0);
	/* unknown = what the Tiger Lake has that the vSphere host does not surely have, less
	   what the vSphere host is known to lack (or something it needs) */
	struct cm_fset tl_closed = gt->features;
	struct cm_fset hope = gv->features;
	cm_fset_or(&hope, &gv->unknown);
	cm_fset_and(&tl_closed, &hope);
	struct cm_fset absent = { { 0 } }, below;
	for (size_t id = 0; id < cm_feature_count(); id++)
		if (!cm_fset_has(&tl_closed, id))
			cm_fset_add(&absent, id);
	cm_deps_closure(&absent, &below);
	cm_fset_andnot(&tl_closed, &below);
	cm_fset_andnot(&tl_closed, &base);
	assert_true(cm_fset_equal(&tl_closed, &unknown));

	/* the vSphere host limits the baseline by what it lacks, not by what it does not give */
	struct cm_fleet_gain *gains;
	size_t ng;
	assert_int_equal(cm_fleet_limiting(f, CM_VENDOR_INTEL, 5, &gains, &ng), 0);
	assert_int_equal(ng, 1);
	assert_ptr_equal(cm_fleet_group_at(f, gains[0].group), gv);
	assert_true(cm_fset_has(&gains[0].gain, dtes64));
	assert_false(cm_fset_has(&gains[0].gain, avx2));
	assert_true(cm_fset_has(&gains[0].unknown, avx2));
	assert_true(cm_fset_equal(&gains[0].unknown, &unknown));
	both = gains[0].gain;
	cm_fset_and(&both, &gains[0].unknown);
	assert_true(cm_fset_empty(&both));
	/* together, what the fleet really has without it */
	struct cm_fset all = gains[0].gain, tl_only;
	cm_fset_or(&all, &gains[0].unknown);
	cm_fleet *alone;
	assert_int_equal(cm_fleet_new(&alone), 0);
	add_file(alone, tl);
	cm_fleet_baseline(alone, CM_VENDOR_INTEL, &tl_only);
	cm_fset_andnot(&tl_only, &base);
	assert_true(cm_fset_equal(&all, &tl_only));
	cm_fleet_free(alone);
	free(gains);

	/* the ladder counts the same way */
	struct cm_fleet_ladder l;
	assert_int_equal(cm_fleet_ladder(f, CM_VENDOR_INTEL, 5, &l), 0);
	assert_int_equal(l.nsteps, 1);
	assert_int_equal(l.steps[0].hosts, 1);
	assert_true(cm_fset_has(&l.steps[0].gain, dtes64));
	assert_false(cm_fset_has(&l.steps[0].gain, avx2));
	assert_true(cm_fset_equal(&l.steps[0].unknown, &unknown));
	cm_fleet_ladder_free(&l);
	free(hosts);
	cm_fleet_free(f);
}

/*
 * Hosts that differ only in what their data gives are different groups: the i7-3770 with
 * leaf 7 EDX (all zero on it) known, and with it unknown; the same features either way.
 */
static void known_sets_split_groups(void **state)
{
	(void)state;
	cm_snap *s = load_fixture("core-i7-3770");
	const struct cm_leaf *e = cm_snap_find(s, 7, 0);
	assert_non_null(e);
	assert_int_equal(e->reg[CM_EDX], 0);
	cm_snap *p;
	assert_int_equal(cm_snap_dup(&p, s), 0);
	uint32_t reg[4] = { e->reg[0], e->reg[1], e->reg[2], 0 };
	uint32_t known[4] = { ~0u, ~0u, ~0u, 0 };
	assert_int_equal(cm_snap_put(p, 7, 0, reg, known), 0);
	struct cm_buf full = CM_BUF_INIT, part = CM_BUF_INIT;
	assert_int_equal(cm_write_dump(&full, s), 0);
	assert_int_equal(cm_write_dump(&part, p), 0);
	cm_fleet *f;
	assert_int_equal(cm_fleet_new(&f), 0);
	add_ok(f, full.data, full.len, "full");
	add_ok(f, part.data, part.len, "part");
	add_ok(f, part.data, part.len, "part again");
	add_ok(f, full.data, full.len, "full again");
	cm_fleet_sort(f);
	assert_int_equal(cm_fleet_host_count(f), 4);
	assert_int_equal(cm_fleet_group_count(f), 2);
	const struct cm_fleet_group *a = cm_fleet_group_at(f, 0), *b = cm_fleet_group_at(f, 1);
	assert_int_equal(a->hosts, 2);
	assert_int_equal(b->hosts, 2);
	assert_true(cm_fset_equal(&a->features, &b->features));
	assert_true(cm_fset_empty(&a->unknown));	/* "full" came first */
	assert_true(cm_fset_has(&b->unknown, id_of("avx512_4vnniw")));
	assert_int_equal(cm_fleet_host_group(f, 1), cm_fleet_host_group(f, 2));
	assert_int_equal(cm_fleet_host_group(f, 0), cm_fleet_host_group(f, 3));
	/* nothing the full hosts lack is unknown for the fleet; nobody limits anybody */
	struct cm_fset unknown;
	cm_fleet_unknown(f, CM_VENDOR_INTEL, &unknown, NULL);
	assert_true(cm_fset_empty(&unknown));
	struct cm_fleet_gain *gains;
	size_t ng;
	assert_int_equal(cm_fleet_limiting(f, CM_VENDOR_INTEL, 5, &gains, &ng), 0);
	assert_int_equal(ng, 0);
	free(gains);
	cm_fleet_free(f);
	cm_buf_free(&full);
	cm_buf_free(&part);
	cm_snap_free(p);
	cm_snap_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fast_equals_strict),
		cmocka_unit_test(fleet_file),
		cmocka_unit_test(ladder),
		cmocka_unit_test(partial_hosts),
		cmocka_unit_test(known_sets_split_groups),
	};
	return cmocka_run_group_tests_name("fleet", tests, NULL, NULL);
}
