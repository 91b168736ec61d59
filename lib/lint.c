/*
 * lint.c - what in a mask may crash a guest or does not do what it seems to: a hidden
 * feature whose dependents stay visible (from lib/deps.def), the hypervisor bit forced,
 * features forced on, actions on bits that name no feature.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define HYPERVISOR_LEAF 1u
#define HYPERVISOR_BIT 31	/* CPUID.1:ECX */

struct out {
	struct cm_lint *v;
	size_t n, cap;
};

static int add(struct out *o, const struct cm_lint *l)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct cm_lint *v = realloc(o->v, cap * sizeof *v);
		if (!v)
			return CM_ENOMEM;
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = *l;
	return 0;
}

static bool hides(enum cm_action a)
{
	return a == CM_ACT_CLEAR || a == CM_ACT_HIDE_CHK || a == CM_ACT_REQUIRE0;
}

static const char *origin_of(const cm_mask *m, const struct cm_feature *f)
{
	const struct cm_mask_reg *r = cm_mask_find(m, f->leaf, f->subleaf, f->reg);
	return r ? r->origin : "";
}

int cm_mask_lint(const cm_mask *m, struct cm_lint **out, size_t *n, struct cm_error *err)
{
	struct out o = { 0 };
	int rc = 0;
	size_t nf = cm_feature_count();
	/* the features the mask hides */
	struct cm_fset hidden = { { 0 } };
	for (size_t id = 0; id < nf; id++) {
		const struct cm_feature *f = cm_feature_at(id);
		if (hides(cm_mask_action(m, f->leaf, f->subleaf, f->reg, f->bit)))
			cm_fset_add(&hidden, id);
	}
	/*
	 * For each, what needs it and stays visible. A dependent that also needs a nearer
	 * hidden feature (AVX2 under AVX under XSAVE) is reported once, under the nearer one.
	 */
	for (long p = cm_fset_next(&hidden, 0); p >= 0 && !rc; p = cm_fset_next(&hidden, (size_t)p + 1)) {
		const struct cm_feature *f = cm_feature_at((size_t)p);
		struct cm_fset one = { { 0 } }, need, nearer = { { 0 } };
		cm_fset_add(&one, (size_t)p);
		cm_deps_closure(&one, &need);
		struct cm_fset hidden_below = need;
		cm_fset_and(&hidden_below, &hidden);
		cm_deps_closure(&hidden_below, &nearer);
		for (long d = cm_fset_next(&need, 0); d >= 0 && !rc; d = cm_fset_next(&need, (size_t)d + 1)) {
			const struct cm_feature *g = cm_feature_at((size_t)d);
			/* hidden already, reported under a nearer hidden feature, or set by the OS */
			if (cm_fset_has(&hidden, (size_t)d) || cm_fset_has(&nearer, (size_t)d) ||
			    (g->flags & CM_FF_DYNAMIC))
				continue;
			struct cm_lint l = { CM_LINT_DEPENDENCY, (int)d, (int)p, g->leaf, g->subleaf,
					     g->reg, g->bit, origin_of(m, f) };
			rc = add(&o, &l);
		}
	}
	/* per bit of every register the mask names */
	for (size_t i = 0; i < cm_mask_count(m) && !rc; i++) {
		const struct cm_mask_reg *r = cm_mask_at(m, i);
		for (int b = 31; b >= 0 && !rc; b--) {
			enum cm_action a = (enum cm_action)r->act[b];
			if (a == CM_ACT_DEFAULT)
				continue;
			int id = cm_feature_at_bit(r->leaf, r->subleaf, r->reg, b);
			struct cm_lint l = { CM_LINT_NOT_A_FEATURE, id, -1, r->leaf, r->subleaf,
					     r->reg, (uint8_t)b, r->origin };
			if (r->leaf == HYPERVISOR_LEAF && r->reg == CM_ECX && b == HYPERVISOR_BIT) {
				l.kind = CM_LINT_HYPERVISOR_BIT;
				rc = add(&o, &l);
			} else if (id < 0 && a != CM_ACT_IGNORE) {
				rc = add(&o, &l);
			} else if (id >= 0 && a == CM_ACT_SET) {
				l.kind = CM_LINT_FORCED_ON;
				rc = add(&o, &l);
			}
		}
	}
	if (rc) {
		free(o.v);
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	}
	*out = o.v;
	*n = o.n;
	return 0;
}
