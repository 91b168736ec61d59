/*
 * fleet.c - many hosts at once. A host costs its name and a group index; hosts with the
 * same features (and the same unknown features: partial data such as vSphere vectors)
 * share a group. Our dump format and cpuid -r text go through a fast path
 * that parses fixed-width lines with a lookup table and keeps only the registers features
 * live in; a file it does not recognise line by line goes to the strict reader instead, so
 * both paths accept and refuse the same inputs.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- where features live: a few (leaf, subleaf) slots */

#define NO_SLOT 0xff
#define LEAF_INDEXES 97	/* 0..31 basic, 32..95 0x80000000.., 96 0xC0000001 */
#define SUBS 4		/* subleaves 0..3 */
#define MAX_SLOTS 40

struct slot {
	uint32_t leaf, subleaf;
	uint32_t named[4];	/* bits with a feature, per register */
	int16_t id[4][32];	/* the feature of each bit, or -1 */
};

struct layout {
	uint8_t slot_of[LEAF_INDEXES][SUBS];
	struct slot slots[MAX_SLOTS];
	size_t nslots;
	uint8_t leaf0, ext0, leaf1;	/* slots of leaves 0, 0x80000000, 1 */
};

static struct layout L;
static pthread_once_t layout_once = PTHREAD_ONCE_INIT;

static int leaf_index(uint32_t leaf)
{
	if (leaf < 32)
		return (int)leaf;
	if (leaf >= 0x80000000u && leaf < 0x80000040u)
		return 32 + (int)(leaf - 0x80000000u);
	if (leaf == 0xC0000001u)
		return 96;
	return -1;
}

static uint8_t add_slot(uint32_t leaf, uint32_t sub)
{
	int li = leaf_index(leaf);
	uint32_t s = sub == CM_NO_SUBLEAF ? 0 : sub;
	if (li < 0 || s >= SUBS)
		return NO_SLOT;
	if (L.slot_of[li][s] != NO_SLOT)
		return L.slot_of[li][s];
	if (L.nslots == MAX_SLOTS)
		return NO_SLOT;
	uint8_t n = (uint8_t)L.nslots++;
	L.slots[n].leaf = leaf;
	L.slots[n].subleaf = s;
	L.slot_of[li][s] = n;
	return n;
}

static void build_layout(void)
{
	memset(L.slot_of, NO_SLOT, sizeof L.slot_of);
	memset(L.slots, 0xff, sizeof L.slots);	/* every id -1 */
	for (size_t i = 0; i < MAX_SLOTS; i++)
		memset(L.slots[i].named, 0, sizeof L.slots[i].named);
	L.nslots = 0;
	L.leaf0 = add_slot(0, 0);
	L.leaf1 = add_slot(1, 0);
	L.ext0 = add_slot(0x80000000u, 0);
	for (size_t id = 0; id < cm_feature_count(); id++) {
		const struct cm_feature *f = cm_feature_at(id);
		uint8_t s = add_slot(f->leaf, f->subleaf);
		if (s == NO_SLOT)
			continue;
		L.slots[s].named[f->reg] |= (uint32_t)1 << f->bit;
		L.slots[s].id[f->reg][f->bit] = (int16_t)id;
	}
}

/* ---- a host as the fast path sees it */

struct rec {
	uint32_t val[MAX_SLOTS][4];
	uint64_t present;	/* slots seen */
};

/* Features of a record, as cm__host_features computes them for a snapshot. */
static void rec_features(const struct rec *r, struct cm_fset *out, enum cm_vendor *vendor,
			 uint32_t *signature)
{
	memset(out, 0, sizeof *out);
	uint32_t max0 = (r->present >> L.leaf0 & 1) ? r->val[L.leaf0][CM_EAX] : 0;
	uint32_t maxe = (r->present >> L.ext0 & 1) ? r->val[L.ext0][CM_EAX] : 0;
	bool has0 = r->present >> L.leaf0 & 1;
	for (size_t s = 0; s < L.nslots; s++) {
		if (!(r->present >> s & 1))
			continue;
		uint32_t leaf = L.slots[s].leaf;
		/* beyond its range's maximum the leaf reads as absent (cm_snap_lookup) */
		if (leaf >= 0xC0000000u)
			continue;	/* the Centaur range: not kept by the fast path */
		if (leaf >= 0x80000000u ? (maxe < 0x80000000u || leaf > maxe) : (has0 && leaf > max0))
			continue;
		for (int reg = 0; reg < 4; reg++) {
			uint32_t m = r->val[s][reg] & L.slots[s].named[reg];
			while (m) {
				int bit = __builtin_ctz(m);
				m &= m - 1;
				cm_fset_add(out, (size_t)L.slots[s].id[reg][bit]);
			}
		}
	}
	/* Intel's 32-bit SYSCALL blind spot, as cm__host_features */
	uint8_t e1 = L.slot_of[leaf_index(0x80000001u)][0];
	int lm = L.slots[e1].id[CM_EDX][29], sc = L.slots[e1].id[CM_EDX][11];
	if (lm >= 0 && sc >= 0 && cm_fset_has(out, (size_t)lm))
		cm_fset_add(out, (size_t)sc);
	char v[13];
	*vendor = has0 ? cm__vendor_from_regs(r->val[L.leaf0][CM_EBX], r->val[L.leaf0][CM_ECX],
					      r->val[L.leaf0][CM_EDX], v)
		       : CM_VENDOR_UNKNOWN;
	*signature = (r->present >> L.leaf1 & 1) ? r->val[L.leaf1][CM_EAX] : 0;
}

/* ---- the fleet */

struct host {
	size_t name;		/* offset in the name arena */
	uint32_t group;
};

struct cm_fleet {
	struct host *hosts;
	size_t nhosts, cap_hosts;
	char *names;
	size_t names_len, names_cap;
	struct cm_fleet_group *groups;
	size_t ngroups, cap_groups;
	uint32_t *table;	/* open addressing: group index + 1, 0 = empty */
	size_t table_cap;
	uint32_t *order;	/* group index -> sorted position, after cm_fleet_sort */
};

int cm_fleet_new(cm_fleet **out)
{
	pthread_once(&layout_once, build_layout);
	cm_fleet *f = calloc(1, sizeof *f);
	if (!f)
		return CM_ENOMEM;
	*out = f;
	return 0;
}

void cm_fleet_free(cm_fleet *f)
{
	if (!f)
		return;
	free(f->hosts);
	free(f->names);
	free(f->groups);
	free(f->table);
	free(f->order);
	free(f);
}

/* The unknown set of hosts whose data gives every bit (everything the fast path reads). */
static const struct cm_fset none;

static uint64_t hash_group(const struct cm_fset *s, const struct cm_fset *u, enum cm_vendor v)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)v;
	for (size_t i = 0; i < CM_FSET_BITS / 64; i++) {
		h ^= s->w[i];
		h *= 1099511628211ull;
		h ^= h >> 29;
	}
	if (u != &none && !cm_fset_empty(u))	/* complete hosts hash as before */
		for (size_t i = 0; i < CM_FSET_BITS / 64; i++) {
			h ^= u->w[i];
			h *= 1099511628211ull;
			h ^= h >> 31;
		}
	return h;
}

static int grow_table(cm_fleet *f)
{
	size_t cap = f->table_cap ? f->table_cap * 2 : 1024;
	uint32_t *t = calloc(cap, sizeof *t);
	if (!t)
		return CM_ENOMEM;
	for (size_t g = 0; g < f->ngroups; g++) {
		size_t i = hash_group(&f->groups[g].features, &f->groups[g].unknown,
				      f->groups[g].vendor) &
			   (cap - 1);
		while (t[i])
			i = (i + 1) & (cap - 1);
		t[i] = (uint32_t)g + 1;
	}
	free(f->table);
	f->table = t;
	f->table_cap = cap;
	return 0;
}

/* The group of these features and unknown features, made when new. */
static int group_of(cm_fleet *f, const struct cm_fset *s, const struct cm_fset *u,
		    enum cm_vendor v, uint32_t sig, uint32_t *out)
{
	if ((f->ngroups + 1) * 2 > f->table_cap && grow_table(f))
		return CM_ENOMEM;
	size_t i = hash_group(s, u, v) & (f->table_cap - 1);
	for (; f->table[i]; i = (i + 1) & (f->table_cap - 1)) {
		struct cm_fleet_group *g = &f->groups[f->table[i] - 1];
		if (g->vendor == v && cm_fset_equal(&g->features, s) &&
		    cm_fset_equal(&g->unknown, u)) {
			*out = f->table[i] - 1;
			return 0;
		}
	}
	if (f->ngroups == f->cap_groups) {
		size_t cap = f->cap_groups ? f->cap_groups * 2 : 64;
		struct cm_fleet_group *g = realloc(f->groups, cap * sizeof *g);
		if (!g)
			return CM_ENOMEM;
		f->groups = g;
		f->cap_groups = cap;
	}
	struct cm_fleet_group *g = &f->groups[f->ngroups];
	g->features = *s;
	g->unknown = *u;
	g->vendor = v;
	g->signature = sig;
	g->hosts = 0;
	g->first = f->nhosts;
	f->table[i] = (uint32_t)f->ngroups + 1;
	*out = (uint32_t)f->ngroups++;
	return 0;
}

static int add_host(cm_fleet *f, const char *name, size_t name_len, const struct cm_fset *s,
		    const struct cm_fset *u, enum cm_vendor v, uint32_t sig)
{
	if (f->nhosts == f->cap_hosts) {
		size_t cap = f->cap_hosts ? f->cap_hosts * 2 : 1024;
		struct host *h = realloc(f->hosts, cap * sizeof *h);
		if (!h)
			return CM_ENOMEM;
		f->hosts = h;
		f->cap_hosts = cap;
	}
	if (f->names_len + name_len + 1 > f->names_cap) {
		size_t cap = f->names_cap ? f->names_cap : 65536;
		while (cap < f->names_len + name_len + 1)
			cap *= 2;
		char *n = realloc(f->names, cap);
		if (!n)
			return CM_ENOMEM;
		f->names = n;
		f->names_cap = cap;
	}
	uint32_t g;
	if (group_of(f, s, u, v, sig, &g))
		return CM_ENOMEM;
	if (f->groups[g].hosts == 0)
		f->groups[g].first = f->nhosts;	/* new, or emptied by a rolled-back file */
	memcpy(f->names + f->names_len, name, name_len);
	f->names[f->names_len + name_len] = '\0';
	f->hosts[f->nhosts].name = f->names_len;
	f->hosts[f->nhosts].group = g;
	f->names_len += name_len + 1;
	f->groups[g].hosts++;
	f->nhosts++;
	return 0;
}

/* Undo the hosts added since `mark` (a file that turned out bad). */
static void rollback(cm_fleet *f, size_t mark)
{
	while (f->nhosts > mark) {
		struct host *h = &f->hosts[--f->nhosts];
		f->groups[h->group].hosts--;
		f->names_len = h->name;
	}
	/* empty groups stay; cm_fleet_sort drops them */
}

/* ---- the fast path */

static const int8_t hexv[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/*
 * Exactly 8 hex digits at p into *v; false if any is not one. Eight at once (SWAR) on
 * little-endian machines: validate each byte's range, turn each into its nibble
 * ((c & 0xF) + 9 for letters), then gather the nibbles, most significant first.
 */
#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

static inline uint64_t in_range(uint64_t x, unsigned lo, unsigned hi)
{
	/* for bytes below 0x80: the high bit of each byte set when lo <= byte <= hi */
	uint64_t ge = x + (0x80 - lo) * ONES, gt = x + (0x7f - hi) * ONES;
	return ge & ~gt & HIGH;
}

static inline bool hex8(const unsigned char *p, uint32_t *v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t x;
	memcpy(&x, p, 8);
	uint64_t ok = in_range(x, '0', '9') | in_range(x | 0x20 * ONES, 'a', 'f');
	if ((x & HIGH) || ok != HIGH)
		return false;
	uint64_t d = (x & 0x0f * ONES) + ((x >> 6) & ONES) * 9;
	d = ((d & 0x0f000f000f000f00ull) >> 8) | ((d & 0x000f000f000f000full) << 4);
	d = ((d & 0x00ff000000ff0000ull) >> 16) | ((d & 0x000000ff000000ffull) << 8);
	*v = (uint32_t)(((d & 0xffff) << 16) | ((d >> 32) & 0xffff));
	return true;
#else
	uint32_t x = 0;
	int bad = 0;
	for (int i = 0; i < 8; i++) {
		int dg = hexv[p[i]];
		bad |= dg == 0;
		x = x << 4 | (uint32_t)(dg - 1);
	}
	*v = x;
	return !bad;
#endif
}

static inline bool hex2(const unsigned char *p, uint32_t *v)
{
	int a = hexv[p[0]], b = hexv[p[1]];
	if (!a || !b)
		return false;
	*v = (uint32_t)((a - 1) << 4 | (b - 1));
	return true;
}

/* The next line end: lines are short, so a short search first. */
static inline const unsigned char *next_nl(const unsigned char *p, const unsigned char *end)
{
	size_t left = (size_t)(end - p);
	const unsigned char *nl = memchr(p, '\n', left < 96 ? left : 96);
	return nl || left <= 96 ? nl : memchr(p + 96, '\n', left - 96);
}

/* Keep one result in the record; false when out of order (the strict reader decides). */
static inline bool keep(struct rec *r, uint64_t *last, uint32_t leaf, uint32_t sub,
			const uint32_t v[4])
{
	uint64_t key = (uint64_t)leaf << 32 | (sub == CM_NO_SUBLEAF ? 0 : (uint64_t)sub + 1);
	if (key <= *last && *last != UINT64_MAX)
		return false;
	*last = key;
	int li = leaf_index(leaf);
	uint32_t s = sub == CM_NO_SUBLEAF ? 0 : sub;
	if (li < 0 || s >= SUBS)
		return true;
	uint8_t slot = L.slot_of[li][s];
	if (slot == NO_SLOT)
		return true;
	if (r->present >> slot & 1)
		return false;	/* NS and .00 of one leaf: let the strict reader judge */
	memcpy(r->val[slot], v, sizeof r->val[slot]);
	r->present |= (uint64_t)1 << slot;
	return true;
}

struct fast {
	cm_fleet *f;
	const char *name;
	struct rec r;
	uint64_t last;
	bool open;
	const char *src;	/* the host's source: line text, or NULL for the file name */
	size_t src_len;
	long index;
};

static int fast_finish(struct fast *fs)
{
	if (!fs->open)
		return 0;
	if (!fs->r.present)
		return CM_EPARSE;	/* a header without results: the strict reader says so */
	struct cm_fset s;
	enum cm_vendor v;
	uint32_t sig;
	rec_features(&fs->r, &s, &v, &sig);
	char buf[600];
	const char *n = fs->src;
	size_t len = fs->src_len;
	if (!n) {
		int k = fs->index > 0 ? snprintf(buf, sizeof buf, "%s#%ld", fs->name, fs->index + 1)
				      : snprintf(buf, sizeof buf, "%s", fs->name);
		n = buf;
		len = (size_t)k < sizeof buf ? (size_t)k : sizeof buf - 1;
	}
	fs->open = false;
	return add_host(fs->f, n, len, &s, &none, v, sig) ? CM_ENOMEM : 0;
}

static void fast_start(struct fast *fs)
{
	memset(&fs->r, 0, sizeof fs->r);
	fs->last = UINT64_MAX;
	fs->open = true;
	fs->src = NULL;
	fs->index++;
}

/*
 * Our dump format as `cpuidmask dump` writes it. 1 when the fast path did the whole input,
 * 0 when the strict reader must, < 0 out of memory.
 */
static int fast_canonical(cm_fleet *f, const char *data, size_t len, const char *name)
{
	struct fast fs = { .f = f, .name = name, .index = -1 };
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	while (p < end) {
		const unsigned char *nl = next_nl(p, end);
		const unsigned char *e = nl ? nl : end;
		size_t n = (size_t)(e - p);
		if (n == 47 && (p[8] == ' ' || p[8] == '.')) {
			uint32_t leaf = 0, sub = CM_NO_SUBLEAF, v[4] = { 0 };
			bool ok = fs.open && hex8(p, &leaf);
			if (p[8] == '.')
				ok &= hex2(p + 9, &sub);
			else
				ok &= p[9] == ' ' && p[10] == ' ';
			for (int k = 0; k < 4; k++)
				ok &= p[11 + 9 * k] == ' ' && hex8(p + 12 + 9 * k, &v[k]);
			if (!ok || !keep(&fs.r, &fs.last, leaf, sub, v))
				return 0;
		} else if (n && p[0] == '#' && n <= CM_MAX_LINE) {
			/* a comment */
		} else if (n == 16 && memcmp(p, "cpuidmask-dump 1", 16) == 0) {
			int rc = fast_finish(&fs);
			if (rc)
				return rc == CM_ENOMEM ? rc : 0;
			fast_start(&fs);
		} else if (n > 8 && memcmp(p, "source: ", 8) == 0 && fs.open && !fs.src &&
			   p[n - 1] != ' ' && p[8] != ' ') {
			for (size_t k = 8; k < n; k++)
				if (p[k] < 0x20 && p[k] != '\t')
					return 0;
			if (n - 8 > 1023)
				return 0;
			fs.src = (const char *)p + 8;
			fs.src_len = n - 8;
		} else {
			return 0;	/* anything else: blank lines, complete: no, errors ... */
		}
		p = nl ? nl + 1 : end;
	}
	int rc = fast_finish(&fs);
	if (rc)
		return rc == CM_ENOMEM ? rc : 0;
	return fs.index >= 0;
}

/* cpuid -r as cpuid writes it: "CPU n:"/"CPU:" headers, 79-character records; CPU 0 kept. */
static int fast_cpuid_raw(cm_fleet *f, const char *data, size_t len, const char *name)
{
	struct fast fs = { .f = f, .name = name, .index = -1 };
	struct rec skip;
	uint64_t skip_last = UINT64_MAX;
	int cpus = 0;
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	while (p < end) {
		/*
		 * cpuid -r lines are 79 bytes: look there before searching (a shorter line that
		 * happens to have a newline there fails the byte-by-byte check below, and the
		 * strict reader takes the file)
		 */
		const unsigned char *nl = end - p > 79 && p[79] == '\n' ? p + 79 : next_nl(p, end);
		const unsigned char *e = nl ? nl : end;
		size_t n = (size_t)(e - p);
		if (n == 79 && p[0] == ' ' && p[3] == '0' && p[4] == 'x' && p[13] == ' ' &&
		    p[14] == '0' && p[15] == 'x' && p[18] == ':' && memcmp(p + 19, " eax=0x", 7) == 0 &&
		    memcmp(p + 34, " ebx=0x", 7) == 0 && memcmp(p + 49, " ecx=0x", 7) == 0 &&
		    memcmp(p + 64, " edx=0x", 7) == 0 && p[1] == ' ' && p[2] == ' ') {
			uint32_t leaf = 0, sub = 0, v[4] = { 0 };
			bool ok = cpus > 0 && hex8(p + 5, &leaf) && hex2(p + 16, &sub) &&
				  hex8(p + 26, &v[0]) && hex8(p + 41, &v[1]) && hex8(p + 56, &v[2]) &&
				  hex8(p + 71, &v[3]);
			if (!ok)
				return 0;
			/* the first CPU is the host; the others are only checked for order */
			if (cpus == 1 ? !keep(&fs.r, &fs.last, leaf, sub, v)
				      : !keep(&skip, &skip_last, leaf, sub, v))
				return 0;
		} else if ((n == 4 && memcmp(p, "CPU:", 4) == 0) ||
			   (n >= 6 && memcmp(p, "CPU ", 4) == 0 && p[n - 1] == ':')) {
			for (size_t k = 4; n > 4 && k < n - 1; k++)
				if (p[k] < '0' || p[k] > '9')
					return 0;
			if (n == 4 && cpus > 0)
				return 0;	/* "CPU:" twice: the strict reader explains */
			if (++cpus == 1) {
				fast_start(&fs);
				fs.index = 0;
			} else {
				if (!fs.r.present && cpus == 2)
					return 0;
				memset(&skip, 0, sizeof skip);
				skip_last = UINT64_MAX;
			}
		} else {
			return 0;
		}
		p = nl ? nl + 1 : end;
	}
	if (cpus == 0)
		return 0;
	int rc = fast_finish(&fs);
	if (rc)
		return rc == CM_ENOMEM ? rc : 0;
	return 1;
}

/* ---- the strict path */

struct slow {
	cm_fleet *f;
	bool several;	/* every snapshot a host, or only the first */
	long taken;
	int rc;
};

static int slow_host(cm_snap *s, long cpu, void *payload)
{
	(void)cpu;
	struct slow *sl = payload;
	int rc = 0;
	if (sl->several || sl->taken == 0) {
		struct cm_fset have, unknown;
		cm__host_features(s, &have, &unknown);
		cm_fset_andnot(&unknown, &have);	/* SYSCALL, implied by LM */
		struct cm_cpuinfo ci;
		cm_decode(s, &ci);
		const char *n = cm_snap_source(s);
		rc = add_host(sl->f, n, strlen(n), &have, &unknown, ci.vendor_id, ci.signature);
	}
	sl->taken++;
	cm_snap_free(s);
	return rc;
}

int cm_fleet_add(cm_fleet *f, const char *data, size_t len, const char *name,
		 struct cm_error *err)
{
	size_t mark = f->nhosts;
	const struct cm_format_info *fmt = cm_format_probe(data, len);
	int rc = 0;
	/* the fast paths skip comments unread: a NUL byte anywhere is the strict reader's */
	bool text = memchr(data, '\0', len) == NULL;
	if (!text)
		fmt = NULL;
	if (fmt && strcmp(fmt->name, "cpuidmask") == 0)
		rc = fast_canonical(f, data, len, name);
	else if (fmt && strcmp(fmt->name, "cpuid-r") == 0)
		rc = fast_cpuid_raw(f, data, len, name);
	if (rc == 1)
		return 0;
	rollback(f, mark);
	if (rc < 0)
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	if (!text)
		fmt = cm_format_probe(data, len);
	struct slow sl = { f, fmt && fmt->multi_host, 0, 0 };
	rc = cm_read_each(data, len, name, NULL, slow_host, &sl, err);
	if (rc) {
		rollback(f, mark);
		if (rc == CM_ENOMEM && err && !err->msg[0])
			cm__fail(err, rc, -1, -1, "out of memory");
	}
	return rc;
}

/* ---- results */

static int by_size(const void *a, const void *b)
{
	const struct cm_fleet_group *x = a, *y = b;
	if (x->hosts != y->hosts)
		return x->hosts < y->hosts ? 1 : -1;
	return x->first < y->first ? -1 : x->first > y->first;
}

void cm_fleet_sort(cm_fleet *f)
{
	/* drop empty groups, sort, renumber the hosts' group indexes */
	uint32_t *old_to_new = malloc((f->ngroups + 1) * sizeof *old_to_new);
	struct cm_fleet_group *sorted = malloc((f->ngroups + 1) * sizeof *sorted);
	uint32_t *tag = malloc((f->ngroups + 1) * sizeof *tag);
	if (!old_to_new || !sorted || !tag) {
		free(old_to_new);
		free(sorted);
		free(tag);
		return;	/* unsorted, still correct */
	}
	size_t n = 0;
	for (size_t g = 0; g < f->ngroups; g++)
		if (f->groups[g].hosts) {
			/* the first host, after rollbacks, is the lowest that remains */
			sorted[n] = f->groups[g];
			tag[n++] = (uint32_t)g;
		}
	/* keep the old index beside each group through the sort */
	struct pair {
		struct cm_fleet_group g;
		uint32_t old;
	} *pairs = malloc((n + 1) * sizeof *pairs);
	if (!pairs) {
		free(old_to_new);
		free(sorted);
		free(tag);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		pairs[i].g = sorted[i];
		pairs[i].old = tag[i];
	}
	qsort(pairs, n, sizeof *pairs, by_size);
	for (size_t i = 0; i < n; i++) {
		f->groups[i] = pairs[i].g;
		old_to_new[pairs[i].old] = (uint32_t)i;
	}
	f->ngroups = n;
	for (size_t h = 0; h < f->nhosts; h++)
		f->hosts[h].group = old_to_new[f->hosts[h].group];
	/* the hash table indexes the old order: rebuild it */
	free(f->table);
	f->table = NULL;
	f->table_cap = 0;
	grow_table(f);
	free(pairs);
	free(old_to_new);
	free(sorted);
	free(tag);
}

size_t cm_fleet_host_count(const cm_fleet *f)
{
	return f->nhosts;
}

size_t cm_fleet_group_count(const cm_fleet *f)
{
	return f->ngroups;
}

const struct cm_fleet_group *cm_fleet_group_at(const cm_fleet *f, size_t i)
{
	return i < f->ngroups ? &f->groups[i] : NULL;
}

const char *cm_fleet_host_name(const cm_fleet *f, size_t i)
{
	return i < f->nhosts ? f->names + f->hosts[i].name : NULL;
}

size_t cm_fleet_host_group(const cm_fleet *f, size_t i)
{
	return i < f->nhosts ? f->hosts[i].group : 0;
}

/* AND, then whatever needs something not common goes too. */
static void close_common(struct cm_fset *common)
{
	struct cm_fset absent = { { 0 } }, below;
	for (size_t id = 0; id < cm_feature_count(); id++)
		if (!cm_fset_has(common, id))
			cm_fset_add(&absent, id);
	cm_deps_closure(&absent, &below);
	cm_fset_andnot(common, &below);
}

void cm_fleet_baseline(const cm_fleet *f, enum cm_vendor v, struct cm_fset *out)
{
	bool any = false;
	memset(out, 0, sizeof *out);
	for (size_t g = 0; g < f->ngroups; g++) {
		if (f->groups[g].vendor != v || !f->groups[g].hosts)
			continue;
		if (!any)
			*out = f->groups[g].features;
		else
			cm_fset_and(out, &f->groups[g].features);
		any = true;
	}
	if (any)
		close_common(out);
}

/* What a group is not known to lack: its features and its unknown ones. */
static void maybe(const struct cm_fleet_group *g, struct cm_fset *out)
{
	*out = g->features;
	cm_fset_or(out, &g->unknown);
}

void cm_fleet_unknown(const cm_fleet *f, enum cm_vendor v, struct cm_fset *out, size_t *hosts)
{
	/* the baseline if every unknown bit were 1, less the baseline */
	struct cm_fset hope, base;
	memset(&hope, 0xff, sizeof hope);
	for (size_t g = 0; g < f->ngroups; g++) {
		if (f->groups[g].vendor != v || !f->groups[g].hosts)
			continue;
		struct cm_fset m;
		maybe(&f->groups[g], &m);
		cm_fset_and(&hope, &m);
	}
	close_common(&hope);
	cm_fleet_baseline(f, v, &base);
	cm_fset_andnot(&hope, &base);
	*out = hope;
	if (!hosts)
		return;
	memset(hosts, 0, cm_feature_count() * sizeof *hosts);
	for (size_t g = 0; g < f->ngroups; g++) {
		const struct cm_fleet_group *grp = &f->groups[g];
		if (grp->vendor != v || !grp->hosts || cm_fset_empty(&grp->unknown))
			continue;
		/* of those, what this group does not surely have (itself, or what it needs) */
		struct cm_fset sure = grp->features, unsure = hope;
		close_common(&sure);
		cm_fset_andnot(&unsure, &sure);
		for (long id = cm_fset_next(&unsure, 0); id >= 0; id = cm_fset_next(&unsure, (size_t)id + 1))
			hosts[id] += grp->hosts;
	}
}

static int by_gain(const void *a, const void *b)
{
	const struct cm_fleet_gain *x = a, *y = b;
	size_t nx = cm_fset_count(&x->gain), ny = cm_fset_count(&y->gain);
	if (nx != ny)
		return nx < ny ? 1 : -1;
	nx = cm_fset_count(&x->unknown);
	ny = cm_fset_count(&y->unknown);
	if (nx != ny)
		return nx < ny ? 1 : -1;
	return x->group < y->group ? -1 : x->group > y->group;
}

int cm_fleet_limiting(const cm_fleet *f, enum cm_vendor v, size_t max, struct cm_fleet_gain **out,
		      size_t *n)
{
	/* the groups of this vendor, and prefix/suffix ANDs to leave one out in O(1) */
	size_t k = 0;
	for (size_t g = 0; g < f->ngroups; g++)
		k += f->groups[g].vendor == v && f->groups[g].hosts;
	size_t *idx = malloc((k + 1) * sizeof *idx);
	struct cm_fset *pre = malloc((k + 1) * sizeof *pre), *suf = malloc((k + 1) * sizeof *suf);
	struct cm_fleet_gain *res = malloc((k + 1) * sizeof *res);
	if (!idx || !pre || !suf || !res) {
		free(idx);
		free(pre);
		free(suf);
		free(res);
		return CM_ENOMEM;
	}
	k = 0;
	for (size_t g = 0; g < f->ngroups; g++)
		if (f->groups[g].vendor == v && f->groups[g].hosts)
			idx[k++] = g;
	struct cm_fset all;
	memset(&all, 0xff, sizeof all);
	for (size_t i = 0; i < k; i++) {
		pre[i + 1] = i ? pre[i] : all;
		cm_fset_and(&pre[i + 1], &f->groups[idx[i]].features);
	}
	pre[0] = all;
	suf[k] = all;
	for (size_t i = k; i-- > 0;) {
		suf[i] = suf[i + 1];
		cm_fset_and(&suf[i], &f->groups[idx[i]].features);
	}
	struct cm_fset base;
	cm_fleet_baseline(f, v, &base);
	size_t m = 0;
	for (size_t i = 0; k > 1 && i < k; i++) {
		struct cm_fset others = pre[i];
		cm_fset_and(&others, &suf[i + 1]);
		struct cm_fset without = others;
		close_common(&without);
		cm_fset_andnot(&without, &base);
		if (cm_fset_empty(&without))
			continue;
		/* of that, what the group would not hold down if its unknown bits were 1 */
		struct cm_fset unknown = { { 0 } };
		const struct cm_fleet_group *g = &f->groups[idx[i]];
		if (!cm_fset_empty(&g->unknown)) {
			struct cm_fset m1;
			maybe(g, &m1);
			unknown = others;
			cm_fset_and(&unknown, &m1);
			close_common(&unknown);
			cm_fset_andnot(&unknown, &base);
			cm_fset_andnot(&without, &unknown);
		}
		res[m].group = idx[i];
		res[m].gain = without;
		res[m].unknown = unknown;
		m++;
	}
	qsort(res, m, sizeof *res, by_gain);
	if (m > max)
		m = max;
	free(idx);
	free(pre);
	free(suf);
	*out = res;
	*n = m;
	return 0;
}

void cm_fleet_ladder_free(struct cm_fleet_ladder *l)
{
	free(l->steps);
	free(l->groups);
	memset(l, 0, sizeof *l);
}

/*
 * The dependency closure commutes with the AND (a feature survives iff it and everything it
 * needs is in every group), so the ladder works on each group's closed set: retiring the
 * groups that lack a feature there is exactly what it takes to gain that feature. A group
 * is retired only for what it is known to lack: the choice works on each group's hopeful
 * set (closed over its features and its unknown ones), and takes only features every
 * remaining group either surely has or is known to lack. The remaining groups surely have
 * the features of their closed sets; of what that adds to the baseline, the part every
 * retired group's hopeful set holds is `unknown` (they only did not give it), the rest is
 * the gain.
 */
static void remaining_baseline(const struct cm_fset *closed, const bool *gone, size_t k,
			       struct cm_fset *out)
{
	memset(out, 0xff, sizeof *out);
	for (size_t i = 0; i < k; i++)
		if (!gone[i])
			cm_fset_and(out, &closed[i]);
}

int cm_fleet_ladder(const cm_fleet *f, enum cm_vendor v, size_t max, struct cm_fleet_ladder *out)
{
	memset(out, 0, sizeof *out);
	size_t k = 0, total = 0;
	for (size_t g = 0; g < f->ngroups; g++)
		if (f->groups[g].vendor == v && f->groups[g].hosts) {
			k++;
			total += f->groups[g].hosts;
		}
	size_t nf = cm_feature_count();
	size_t *idx = malloc((k + 1) * sizeof *idx);
	struct cm_fset *closed = malloc((k + 1) * sizeof *closed);
	struct cm_fset *hope = malloc((k + 1) * sizeof *hope);
	bool *gone = calloc(k + 1, sizeof *gone);
	size_t *lacking = calloc(nf, sizeof *lacking);	/* hosts still in known to lack it */
	size_t *unsure = calloc(nf, sizeof *unsure);	/* groups still in not giving it */
	out->groups = malloc((k + 1) * sizeof *out->groups);
	out->steps = malloc((max + 1) * sizeof *out->steps);
	if (!idx || !closed || !hope || !gone || !lacking || !unsure || !out->groups ||
	    !out->steps) {
		free(unsure);
		free(idx);
		free(closed);
		free(hope);
		free(gone);
		free(lacking);
		cm_fleet_ladder_free(out);
		return CM_ENOMEM;
	}
	k = 0;
	struct cm_fset hope_base;
	memset(&hope_base, 0xff, sizeof hope_base);
	for (size_t g = 0; g < f->ngroups; g++)
		if (f->groups[g].vendor == v && f->groups[g].hosts) {
			closed[k] = f->groups[g].features;
			close_common(&closed[k]);
			maybe(&f->groups[g], &hope[k]);
			close_common(&hope[k]);
			cm_fset_and(&hope_base, &hope[k]);
			idx[k++] = g;
		}
	/* candidates: features some group has (closed) and some group is known to lack */
	struct cm_fset base, cand = { { 0 } };
	cm_fleet_baseline(f, v, &base);
	for (size_t i = 0; i < k; i++)
		cm_fset_or(&cand, &closed[i]);
	cm_fset_andnot(&cand, &hope_base);
	for (size_t i = 0; i < k; i++) {
		struct cm_fset miss = cand;
		cm_fset_andnot(&miss, &hope[i]);
		for (long id = cm_fset_next(&miss, 0); id >= 0; id = cm_fset_next(&miss, (size_t)id + 1))
			lacking[id] += f->groups[idx[i]].hosts;
		struct cm_fset u = hope[i];
		cm_fset_andnot(&u, &closed[i]);
		for (long id = cm_fset_next(&u, 0); id >= 0; id = cm_fset_next(&u, (size_t)id + 1))
			unsure[id]++;
	}
	struct cm_fset retired_hope;	/* AND of the retired groups' hopeful sets */
	memset(&retired_hope, 0xff, sizeof retired_hope);
	size_t left = total;
	while (out->nsteps < max) {
		/* the feature the fewest remaining hosts lack (and some still have) */
		long best = -1;
		for (long id = cm_fset_next(&cand, 0); id >= 0; id = cm_fset_next(&cand, (size_t)id + 1))
			if (lacking[id] && lacking[id] < left && !unsure[id] &&
			    (best < 0 || lacking[id] < lacking[best]))
				best = id;
		if (best < 0 || 2 * (total - left + lacking[best]) > total)
			break;
		for (size_t i = 0; i < k; i++) {
			if (gone[i] || cm_fset_has(&hope[i], (size_t)best))
				continue;
			gone[i] = true;
			out->groups[out->ngroups++] = idx[i];
			left -= f->groups[idx[i]].hosts;
			struct cm_fset miss = cand;
			cm_fset_andnot(&miss, &hope[i]);
			for (long id = cm_fset_next(&miss, 0); id >= 0;
			     id = cm_fset_next(&miss, (size_t)id + 1))
				lacking[id] -= f->groups[idx[i]].hosts;
			struct cm_fset u = hope[i];
			cm_fset_andnot(&u, &closed[i]);
			for (long id = cm_fset_next(&u, 0); id >= 0; id = cm_fset_next(&u, (size_t)id + 1))
				unsure[id]--;
			cm_fset_and(&retired_hope, &hope[i]);
		}
		struct cm_fleet_step *st = &out->steps[out->nsteps++];
		remaining_baseline(closed, gone, k, &st->gain);
		cm_fset_andnot(&st->gain, &base);
		st->unknown = st->gain;
		cm_fset_and(&st->unknown, &retired_hope);
		cm_fset_andnot(&st->gain, &retired_hope);
		st->hosts = total - left;
		st->groups = out->ngroups;
	}
	free(idx);
	free(closed);
	free(hope);
	free(gone);
	free(lacking);
	free(unsure);
	return 0;
}
