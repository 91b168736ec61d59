/*
 * fuzz_fleet.c - libFuzzer target for the fleet's fast path: whatever the input, the fleet
 * accepts it exactly when the strict readers do, with the same hosts, features and unknown
 * features (the fast path reads only complete data: its hosts have none); the
 * analyses (limiting groups, the retirement ladder) run on it and keep their promises.
 */
#include <stdlib.h>
#include <string.h>

#include "cpuidmask.h"
#include "../../lib/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct expect {
	struct cm_fset f[64], u[64];
	const char *names[64];
	size_t n;
	bool several;
};

static int collect(cm_snap *s, long cpu, void *payload)
{
	(void)cpu;
	struct expect *e = payload;
	if ((e->several || e->n == 0) && e->n < 64) {
		cm__host_features(s, &e->f[e->n], &e->u[e->n]);
		cm_fset_andnot(&e->u[e->n], &e->f[e->n]);
		e->names[e->n] = strdup(cm_snap_source(s));
		e->n++;
	}
	cm_snap_free(s);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const struct cm_format_info *fmt = cm_format_probe(text, size);
	struct expect e = { .several = fmt && fmt->multi_host };
	struct cm_error err;
	int strict = cm_read_each(text, size, "fuzz", NULL, collect, &e, &err);
	cm_fleet *f;
	if (cm_fleet_new(&f))
		abort();
	int fast = cm_fleet_add(f, text, size, "fuzz", &err);
	if ((strict == 0) != (fast == 0))
		abort();
	if (strict == 0 && e.n < 64) {
		if (cm_fleet_host_count(f) != e.n)
			abort();
		for (size_t i = 0; i < e.n; i++) {
			const struct cm_fleet_group *g = cm_fleet_group_at(f, cm_fleet_host_group(f, i));
			if (!cm_fset_equal(&g->features, &e.f[i]) || !cm_fset_equal(&g->unknown, &e.u[i]) ||
			    strcmp(cm_fleet_host_name(f, i), e.names[i]) != 0)
				abort();
		}
	}
	if (fast && cm_fleet_host_count(f) != 0)
		abort();
	/* the analyses run on whatever was read, and the ladder keeps its promises */
	cm_fleet_sort(f);
	for (int v = CM_VENDOR_UNKNOWN; v <= CM_VENDOR_OTHER; v++) {
		struct cm_fleet_gain *gains;
		size_t ng;
		struct cm_fset base;
		cm_fleet_baseline(f, (enum cm_vendor)v, &base);
		if (cm_fleet_limiting(f, (enum cm_vendor)v, 8, &gains, &ng) == 0) {
			/* a gain is never also unknown, and neither is in the baseline */
			for (size_t i = 0; i < ng; i++) {
				struct cm_fset x = gains[i].gain;
				cm_fset_and(&x, &gains[i].unknown);
				struct cm_fset y = gains[i].gain;
				cm_fset_or(&y, &gains[i].unknown);
				cm_fset_and(&y, &base);
				if (!cm_fset_empty(&x) || !cm_fset_empty(&y))
					abort();
			}
			free(gains);
		}
		struct cm_fset unknown;
		cm_fleet_unknown(f, (enum cm_vendor)v, &unknown, NULL);
		cm_fset_and(&unknown, &base);
		if (!cm_fset_empty(&unknown))
			abort();
		struct cm_fleet_ladder l;
		if (cm_fleet_ladder(f, (enum cm_vendor)v, 8, &l))
			continue;
		for (size_t i = 1; i < l.nsteps; i++)
			if (l.steps[i].hosts <= l.steps[i - 1].hosts ||
			    !cm_fset_subset(&l.steps[i - 1].gain, &l.steps[i].gain))
				abort();
		cm_fleet_ladder_free(&l);
	}
	for (size_t i = 0; i < e.n; i++)
		free((void *)e.names[i]);
	cm_fleet_free(f);
	return 0;
}
