/*
 * features.c - the feature table (lib/features.def) as an array, and lookups by name and
 * by bit. The table is data; this file only expands it.
 */
#include <string.h>

#include "internal.h"

#define NS CM_NO_SUBLEAF
#define EAX CM_EAX
#define EBX CM_EBX
#define ECX CM_ECX
#define EDX CM_EDX
/* flag letters used in the table */
#define I CM_FF_INTEL
#define A CM_FF_AMD
#define C CM_FF_CENTAUR
#define DYN CM_FF_DYNAMIC
#define HOST CM_FF_HOSTONLY
#define XS CM_FF_XSTATE
#define ACC CM_FF_ACCUMULATE
#define NOMIG CM_FF_NOMIGRATE
#define VL CM_FF_VMLABEL

static const struct cm_feature table[] = {
#define CM_FEATURE(leaf, sub, reg, bit, name, flags, label, vmkey, lnx, qemu, lv, xen, desc) \
	{ name, leaf, sub, reg, bit, (flags), label, vmkey, lnx, qemu, lv, xen, desc },
#include "features.def"
#undef CM_FEATURE
};

_Static_assert(CM_ARRAY_SIZE(table) <= CM_FSET_BITS, "CM_FSET_BITS is too small for the table");

size_t cm_feature_count(void)
{
	return CM_ARRAY_SIZE(table);
}

const struct cm_feature *cm_feature_at(size_t id)
{
	return id < CM_ARRAY_SIZE(table) ? &table[id] : NULL;
}

/* Names compare without regard to case or to '-', '_' and '.' ("sse4.1" = "SSE4_1"). */
static int fold(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	if (c == '-' || c == '.')
		return '_';
	return c;
}

static bool same_name(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	while (*a && *b && fold((unsigned char)*a) == fold((unsigned char)*b))
		a++, b++;
	return *a == '\0' && *b == '\0';
}

int cm_feature_find(const char *name)
{
	if (!name || !*name)
		return CM_ENOTFOUND;
	for (size_t i = 0; i < CM_ARRAY_SIZE(table); i++)
		if (same_name(table[i].name, name))
			return (int)i;
	for (size_t i = 0; i < CM_ARRAY_SIZE(table); i++) {
		const struct cm_feature *f = &table[i];
		if (same_name(f->linux_name, name) || same_name(f->qemu_name, name) ||
		    same_name(f->libvirt_name, name) || same_name(f->xen_name, name) ||
		    same_name(f->vmware_key, name))
			return (int)i;
	}
	return CM_ENOTFOUND;
}

/* (leaf, subleaf, reg, bit) as one sortable number, table order. */
static uint64_t pos(uint32_t leaf, uint32_t sub, int reg, int bit)
{
	uint64_t s = sub == NS ? 0 : (uint64_t)sub + 1;
	return ((uint64_t)leaf << 32 | (s & 0xffffff) << 8) | (uint64_t)(reg * 32 + bit);
}

int cm_feature_at_bit(uint32_t leaf, uint32_t subleaf, int reg, int bit)
{
	uint64_t k = pos(leaf, subleaf, reg, bit);
	size_t lo = 0, hi = CM_ARRAY_SIZE(table);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cm_feature *f = &table[mid];
		uint64_t m = pos(f->leaf, f->subleaf, f->reg, f->bit);
		if (m == k)
			return (int)mid;
		if (m < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return CM_ENOTFOUND;
}

void cm_snap_features(const cm_snap *s, struct cm_fset *present, struct cm_fset *unknown)
{
	memset(present, 0, sizeof *present);
	if (unknown)
		memset(unknown, 0, sizeof *unknown);
	const struct cm_leaf *e = NULL;
	uint32_t leaf = 0, sub = 0;
	bool have = false;
	for (size_t i = 0; i < CM_ARRAY_SIZE(table); i++) {
		const struct cm_feature *f = &table[i];
		if (!have || f->leaf != leaf || f->subleaf != sub) {
			leaf = f->leaf;
			sub = f->subleaf;
			have = true;
			e = cm_snap_lookup(s, leaf, sub);
		}
		int v;
		if (e) {
			uint32_t m = (uint32_t)1 << f->bit;
			v = (e->known[f->reg] & m) ? !!(e->reg[f->reg] & m) : -1;
		} else {
			v = cm_snap_bit(s, f->leaf, f->subleaf, f->reg, f->bit);
		}
		if (v > 0)
			cm_fset_add(present, i);
		else if (v < 0 && unknown)
			cm_fset_add(unknown, i);
	}
}
