/* diff.c - the features two snapshots do not share, and their unnamed differing bits. */
#include "internal.h"

/* Walk the unnamed bits of every register the table covers. */
static int raw_walk(const cm_snap *a, const cm_snap *b, cm_rawbit_cb cb, void *payload)
{
	size_t n = cm_feature_count();
	size_t i = 0;
	while (i < n) {
		const struct cm_feature *f = cm_feature_at(i);
		uint32_t named = 0;
		size_t j = i;
		for (; j < n; j++) {
			const struct cm_feature *g = cm_feature_at(j);
			if (g->leaf != f->leaf || g->subleaf != f->subleaf || g->reg != f->reg)
				break;
			named |= (uint32_t)1 << g->bit;
		}
		for (int bit = 0; bit < 32; bit++) {
			if (named & ((uint32_t)1 << bit))
				continue;
			int va = cm_snap_bit(a, f->leaf, f->subleaf, f->reg, bit);
			int vb = cm_snap_bit(b, f->leaf, f->subleaf, f->reg, bit);
			if (va < 0 || vb < 0 || va == vb)
				continue;
			struct cm_rawbit rb = { f->leaf, f->subleaf, f->reg, (uint8_t)bit,
						(uint8_t)va, (uint8_t)vb };
			int rc = cb(&rb, payload);
			if (rc)
				return rc;
		}
		i = j;
	}
	return 0;
}

int cm_diff(const cm_snap *a, const cm_snap *b, struct cm_fset *only_a, struct cm_fset *only_b,
	    struct cm_fset *unknown, cm_rawbit_cb cb, void *payload)
{
	struct cm_fset pa, pb, ua, ub, oa, ob;
	cm_snap_features(a, &pa, &ua);
	cm_snap_features(b, &pb, &ub);
	cm_fset_or(&ua, &ub);
	oa = pa;
	cm_fset_andnot(&oa, &pb);
	cm_fset_andnot(&oa, &ua);
	ob = pb;
	cm_fset_andnot(&ob, &pa);
	cm_fset_andnot(&ob, &ua);
	int rc = cb ? raw_walk(a, b, cb, payload) : 0;
	if (rc)
		return rc;	/* outputs are written only on success */
	*only_a = oa;
	*only_b = ob;
	if (unknown)
		*unknown = ua;
	return 0;
}
