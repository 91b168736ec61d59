/*
 * features.c - the feature table (lib/features.def) as an array, and lookups by name and
 * by bit. The table is data; this file only expands it.
 */
#include <pthread.h>
#include <stdlib.h>
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

/*
 * Every spelling of every feature, folded, sorted once: lookups are a binary search. The
 * index is built on first use (pthread_once) and read-only afterwards.
 */
struct spelling {
	char key[48];		/* folded */
	uint16_t id;
	uint8_t rank;		/* 0 for the canonical name, which wins over other spellings */
};

#define MAX_SPELLINGS (CM_ARRAY_SIZE(table) * 6)
static struct spelling spellings[MAX_SPELLINGS];
static size_t n_spellings;
static pthread_once_t spellings_once = PTHREAD_ONCE_INIT;

static void fold_into(char *out, size_t cap, const char *in)
{
	size_t i = 0;
	for (; in[i] && i + 1 < cap; i++)
		out[i] = (char)fold((unsigned char)in[i]);
	out[i] = '\0';
}

static int spelling_cmp(const void *a, const void *b)
{
	const struct spelling *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return x->id - y->id;
}

static void build_spellings(void)
{
	for (size_t i = 0; i < CM_ARRAY_SIZE(table); i++) {
		const struct cm_feature *f = &table[i];
		const char *names[6] = { f->name,      f->linux_name, f->qemu_name,
					 f->libvirt_name, f->xen_name, f->vmware_key };
		for (int k = 0; k < 6; k++) {
			if (!names[k] || strlen(names[k]) >= sizeof spellings[0].key)
				continue;
			struct spelling *sp = &spellings[n_spellings++];
			fold_into(sp->key, sizeof sp->key, names[k]);
			sp->id = (uint16_t)i;
			sp->rank = k != 0;
		}
	}
	qsort(spellings, n_spellings, sizeof spellings[0], spelling_cmp);
}

int cm_feature_find(const char *name)
{
	if (!name || !*name || strlen(name) >= sizeof spellings[0].key)
		return CM_ENOTFOUND;
	pthread_once(&spellings_once, build_spellings);
	struct spelling want;
	fold_into(want.key, sizeof want.key, name);
	/* the first entry with this key: the canonical name if one has it, else the lowest id */
	size_t lo = 0, hi = n_spellings;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(spellings[mid].key, want.key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n_spellings && strcmp(spellings[lo].key, want.key) == 0)
		return spellings[lo].id;
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
