/* snap.c - CPUID snapshots: a sorted table (leaf, subleaf) -> four registers. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct cm_snap {
	struct cm_leaf *v;	/* sorted by cmp() */
	size_t n, cap;
	char *source;		/* NULL when not set */
	bool partial;		/* unlisted leaves are unknown rather than zero */
};

/* Order: leaf first, then CM_NO_SUBLEAF before subleaf 0, 1, ... (< 0, 0 or > 0). */
static int cmp(uint32_t leaf_a, uint32_t sub_a, uint32_t leaf_b, uint32_t sub_b)
{
	if (leaf_a != leaf_b)
		return leaf_a < leaf_b ? -1 : 1;
	uint32_t a = sub_a + 1, b = sub_b + 1;	/* CM_NO_SUBLEAF wraps to 0 */
	return a < b ? -1 : a > b;
}

int cm_snap_new(cm_snap **out)
{
	cm_snap *s = calloc(1, sizeof *s);
	if (!s)
		return CM_ENOMEM;
	*out = s;
	return 0;
}

void cm_snap_free(cm_snap *s)
{
	if (!s)
		return;
	free(s->v);
	free(s->source);
	free(s);
}

int cm_snap_dup(cm_snap **out, const cm_snap *s)
{
	cm_snap *d;
	if (cm_snap_new(&d))
		return CM_ENOMEM;
	if (s->n) {
		d->v = malloc(s->n * sizeof *d->v);
		if (!d->v) {
			cm_snap_free(d);
			return CM_ENOMEM;
		}
		memcpy(d->v, s->v, s->n * sizeof *d->v);
		d->n = d->cap = s->n;
	}
	if (cm_snap_set_source(d, s->source)) {
		cm_snap_free(d);
		return CM_ENOMEM;
	}
	d->partial = s->partial;
	*out = d;
	return 0;
}

/* Index of the first entry at or after (leaf, subleaf). */
static size_t lower_bound(const cm_snap *s, uint32_t leaf, uint32_t subleaf)
{
	size_t lo = 0, hi = s->n;
	/* dumps are mostly added in order: check the end first */
	if (hi && cmp(s->v[hi - 1].leaf, s->v[hi - 1].subleaf, leaf, subleaf) < 0)
		return hi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp(s->v[mid].leaf, s->v[mid].subleaf, leaf, subleaf) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool at(const cm_snap *s, size_t i, uint32_t leaf, uint32_t subleaf)
{
	return i < s->n && s->v[i].leaf == leaf && s->v[i].subleaf == subleaf;
}

static int store(cm_snap *s, uint32_t leaf, uint32_t subleaf, const uint32_t reg[4],
		 const uint32_t known[4], bool replace)
{
	size_t i = lower_bound(s, leaf, subleaf);
	struct cm_leaf e = { .leaf = leaf, .subleaf = subleaf };
	for (int r = 0; r < 4; r++) {
		e.known[r] = known ? known[r] : UINT32_MAX;
		e.reg[r] = reg[r] & e.known[r];
	}
	if (at(s, i, leaf, subleaf)) {
		if (!replace)
			return CM_ECONFLICT;
		s->v[i] = e;
		return 0;
	}
	if (s->n >= CM_SNAP_MAX)
		return CM_ERANGE;	/* keeps sorted insertion far from quadratic trouble */
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct cm_leaf *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return CM_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof *s->v);
	s->v[i] = e;
	s->n++;
	return 0;
}

int cm_snap_add(cm_snap *s, uint32_t leaf, uint32_t subleaf, const uint32_t reg[4],
		const uint32_t known[4])
{
	return store(s, leaf, subleaf, reg, known, false);
}

int cm_snap_put(cm_snap *s, uint32_t leaf, uint32_t subleaf, const uint32_t reg[4],
		const uint32_t known[4])
{
	return store(s, leaf, subleaf, reg, known, true);
}

size_t cm_snap_count(const cm_snap *s)
{
	return s->n;
}

const struct cm_leaf *cm_snap_at(const cm_snap *s, size_t i)
{
	return i < s->n ? &s->v[i] : NULL;
}

const struct cm_leaf *cm_snap_find(const cm_snap *s, uint32_t leaf, uint32_t subleaf)
{
	size_t i = lower_bound(s, leaf, subleaf);
	return at(s, i, leaf, subleaf) ? &s->v[i] : NULL;
}

/* The base of the CPUID range a leaf belongs to: 0, 0x40000000, 0x80000000, 0xC0000000. */
static uint32_t range_base(uint32_t leaf)
{
	return leaf & 0xC0000000u;
}

/* True when the leaf is past the maximum its range's first leaf reports. */
static bool beyond_max(const cm_snap *s, uint32_t leaf)
{
	uint32_t base = range_base(leaf);
	if (leaf == base && base == 0)
		return false;
	const struct cm_leaf *first = cm_snap_find(s, base, CM_NO_SUBLEAF);
	if (!first)
		first = cm_snap_find(s, base, 0);
	if (!first || first->known[CM_EAX] != UINT32_MAX) {
		/* No maximum to go by. A complete capture always has leaf 0; the other ranges
		 * exist only when their first leaf does. */
		return base != 0 && !s->partial;
	}
	uint32_t max = first->reg[CM_EAX];
	if (base != 0 && range_base(max) != base)
		return true;	/* an absent range answers garbage or zeros, its first leaf too */
	return leaf > max;
}

const struct cm_leaf *cm_snap_lookup(const cm_snap *s, uint32_t leaf, uint32_t subleaf)
{
	if (beyond_max(s, leaf))
		return NULL;
	const struct cm_leaf *e = cm_snap_find(s, leaf, subleaf);
	if (e)
		return e;
	bool uses_ecx = cm_leaf_has_subleaves(leaf);
	if (subleaf == CM_NO_SUBLEAF)
		return cm_snap_find(s, leaf, 0);
	if (subleaf == 0 || !uses_ecx) {
		e = cm_snap_find(s, leaf, CM_NO_SUBLEAF);
		if (!e && !uses_ecx)
			e = cm_snap_find(s, leaf, 0);
	}
	return e;
}

int cm_snap_bit(const cm_snap *s, uint32_t leaf, uint32_t subleaf, int reg, int bit)
{
	if (reg < 0 || reg > 3 || bit < 0 || bit > 31)
		return -1;
	uint32_t m = (uint32_t)1 << bit;
	const struct cm_leaf *e = cm_snap_lookup(s, leaf, subleaf);
	if (e)
		return (e->known[reg] & m) ? !!(e->reg[reg] & m) : -1;
	if (!s->partial || beyond_max(s, leaf))
		return 0;
	return -1;
}

int cm_snap_set_source(cm_snap *s, const char *source)
{
	char *copy = NULL;
	if (source) {
		size_t n = strlen(source) + 1;
		copy = malloc(n);
		if (!copy)
			return CM_ENOMEM;
		memcpy(copy, source, n);
	}
	free(s->source);
	s->source = copy;
	return 0;
}

const char *cm_snap_source(const cm_snap *s)
{
	return s->source ? s->source : "";
}

void cm_snap_set_complete(cm_snap *s, bool complete)
{
	s->partial = !complete;
}

bool cm_snap_complete(const cm_snap *s)
{
	return !s->partial;
}

bool cm_snap_equal(const cm_snap *a, const cm_snap *b)
{
	if (a->partial != b->partial || a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct cm_leaf *x = &a->v[i], *y = &b->v[i];
		if (x->leaf != y->leaf || x->subleaf != y->subleaf)
			return false;
		for (int r = 0; r < 4; r++)
			if (x->reg[r] != y->reg[r] || x->known[r] != y->known[r])
				return false;
	}
	return true;
}
