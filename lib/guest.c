/*
 * guest.c - the CPUID a VM sees (host, then the hypervisor's default profile, then the VM's
 * mask) and the offline vMotion check built on it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const struct cm_profile_entry profile[] = {
#define CM_PROFILE(feature, rule, why) { feature, CM_PROF_##rule, why },
#include "profile_vmware.def"
#undef CM_PROFILE
};

size_t cm_profile_count(void)
{
	return CM_ARRAY_SIZE(profile);
}

const struct cm_profile_entry *cm_profile_at(size_t i)
{
	return i < CM_ARRAY_SIZE(profile) ? &profile[i] : NULL;
}

/* The profile row of each feature id, found once (read-only afterwards); -1 for none. */
static short row_of[CM_FSET_BITS];
static pthread_once_t rows_once = PTHREAD_ONCE_INIT;

static void find_rows(void)
{
	for (size_t i = 0; i < CM_FSET_BITS; i++)
		row_of[i] = -1;
	for (size_t i = 0; i < CM_ARRAY_SIZE(profile); i++) {
		int id = cm_feature_find(profile[i].feature);
		if (id >= 0)
			row_of[id] = (short)i;
	}
}

enum cm_profile_rule cm_profile_rule_of(size_t id, const char **why)
{
	const struct cm_feature *f = cm_feature_at(id);
	pthread_once(&rows_once, find_rows);
	if (f && row_of[id] >= 0) {
		if (why)
			*why = profile[row_of[id]].why;
		return profile[row_of[id]].rule;
	}
	if (f && (f->flags & CM_FF_HOSTONLY)) {
		if (why)
			*why = "host-only in the feature table (power management, debug, "
			       "virtualisation hardware)";
		return CM_PROF_HIDE;
	}
	if (f && (f->flags & CM_FF_DYNAMIC)) {
		if (why)
			*why = "set by the guest OS";
		return CM_PROF_OS;
	}
	if (why)
		*why = "passed through";
	return CM_PROF_PASS;
}

/*
 * The host's bit as the guest's world sees it. Intel reports SYSCALL only to 64-bit code,
 * so a dump from a 32-bit program has LM without it; a 64-bit guest gets it.
 */
#define EXT1 0x80000001u
#define SYSCALL_BIT 11	/* 0x80000001 EDX */
#define LM_BIT 29	/* 0x80000001 EDX */

static int host_bit(const cm_snap *host, const struct cm_feature *f)
{
	int v = cm_snap_bit(host, f->leaf, f->subleaf, f->reg, f->bit);
	if (v == 0 && f->leaf == EXT1 && f->reg == CM_EDX && f->bit == SYSCALL_BIT &&
	    cm_snap_bit(host, EXT1, CM_NO_SUBLEAF, CM_EDX, LM_BIT) == 1)
		v = 1;
	return v;
}

/* The guest's value of a feature bit under the profile alone (-1 unknown). */
static int profile_bit(const cm_snap *host, size_t id, bool vmware)
{
	const struct cm_feature *f = cm_feature_at(id);
	int v = host_bit(host, f);
	if (!vmware)
		return v;
	switch (cm_profile_rule_of(id, NULL)) {
	case CM_PROF_HIDE:
	case CM_PROF_OS:
		return 0;
	case CM_PROF_SET:
		return 1;
	default:
		return v;
	}
}

/*
 * CPUID.1:ECX[31], hypervisor present: VMware sets it for every guest (both logs), and no
 * source says whether a VM's mask can change it (research/formats.md 1.8, 9.6: UNCONFIRMED).
 * The view keeps VMware's value there and the caller says what the mask asked for.
 */
#define HYPERVISOR_BIT 31

bool cm_guest_mask_unconfirmed(uint32_t leaf, uint32_t subleaf, int reg, int bit)
{
	(void)subleaf; /* leaf 1 has none */
	return leaf == 1 && reg == CM_ECX && bit == HYPERVISOR_BIT;
}

int cm_guest_view(cm_snap **out, const cm_snap *host, const cm_mask *mask, bool vmware,
		  struct cm_error *err)
{
	cm_snap *g;
	if (cm_snap_dup(&g, host))
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	int rc = 0;
	/* the profile, on every feature bit of a leaf the host has */
	for (size_t id = 0; id < cm_feature_count() && !rc; id++) {
		const struct cm_feature *f = cm_feature_at(id);
		const struct cm_leaf *e = cm_snap_lookup(g, f->leaf, f->subleaf);
		if (!e)
			continue;
		int v = profile_bit(host, id, vmware);
		uint32_t r[4], k[4], m = (uint32_t)1 << f->bit;
		memcpy(r, e->reg, sizeof r);
		memcpy(k, e->known, sizeof k);
		if (v < 0)
			continue;
		r[f->reg] = v ? r[f->reg] | m : r[f->reg] & ~m;
		k[f->reg] |= m;
		rc = cm_snap_put(g, e->leaf, e->subleaf, r, k);
	}
	/* the mask, on every bit of the registers it names */
	for (size_t i = 0; mask && i < cm_mask_count(mask) && !rc; i++) {
		const struct cm_mask_reg *mr = cm_mask_at(mask, i);
		const struct cm_leaf *e = cm_snap_lookup(g, mr->leaf, mr->subleaf);
		const struct cm_leaf *h = cm_snap_lookup(host, mr->leaf, mr->subleaf);
		uint32_t r[4] = { 0 }, k[4] = { 0 };
		uint32_t leaf = mr->leaf, sub = mr->subleaf;
		if (e) {
			memcpy(r, e->reg, sizeof r);
			memcpy(k, e->known, sizeof k);
			leaf = e->leaf;
			sub = e->subleaf;
		} else {
			memset(k, 0xff, sizeof k);
		}
		for (int b = 0; b < 32; b++) {
			uint32_t m = (uint32_t)1 << b;
			if (vmware && cm_guest_mask_unconfirmed(mr->leaf, mr->subleaf, mr->reg, b))
				continue;
			switch (mr->act[b]) {
			case CM_ACT_SET:
				r[mr->reg] |= m;
				k[mr->reg] |= m;
				break;
			case CM_ACT_CLEAR:
			case CM_ACT_HIDE_CHK:
				r[mr->reg] &= ~m;
				k[mr->reg] |= m;
				break;
			case CM_ACT_HOST:
				r[mr->reg] = (r[mr->reg] & ~m) | (h ? h->reg[mr->reg] & m : 0);
				k[mr->reg] = (k[mr->reg] & ~m) | (h ? h->known[mr->reg] & m : m);
				break;
			default:
				break;
			}
		}
		rc = cm_snap_put(g, leaf, sub, r, k);
	}
	if (rc) {
		cm_snap_free(g);
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	}
	*out = g;
	return 0;
}

const char *cm_block_reason_name(enum cm_block_reason r)
{
	switch (r) {
	case CM_BLOCK_MISSING:
		return "missing";
	case CM_BLOCK_REQUIRED:
		return "required";
	case CM_BLOCK_MISMATCH:
		return "mismatch";
	case CM_BLOCK_UNKNOWN:
		return "unknown";
	}
	return "?";
}

void cm_check_free(struct cm_check *c)
{
	if (!c)
		return;
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

static int add_block(struct cm_check *c, size_t *cap, const struct cm_block *b)
{
	if (c->n == *cap) {
		size_t n = *cap ? *cap * 2 : 16;
		struct cm_block *v = realloc(c->v, n * sizeof *v);
		if (!v)
			return CM_ENOMEM;
		c->v = v;
		*cap = n;
	}
	c->v[c->n++] = *b;
	return 0;
}

/* What the check knows of each host: its features, and which of them are unknown. */
struct side {
	const cm_snap *s;
	struct cm_fset have, unknown;
};

static void side_init(struct side *sd, const cm_snap *s)
{
	sd->s = s;
	cm__host_features(s, &sd->have, &sd->unknown);
}

/* A bit of a host: through the feature sets for named bits, the raw dump otherwise. */
static int side_bit(const struct side *sd, int id, uint32_t leaf, uint32_t sub, int reg, int bit)
{
	if (id < 0)
		return cm_snap_bit(sd->s, leaf, sub, reg, bit);
	if (cm_fset_has(&sd->unknown, (size_t)id))
		return -1;
	return cm_fset_has(&sd->have, (size_t)id);
}

/* Check one bit (`id` its feature, or -1); adds a block when it stops the migration. */
static int check_bit(struct cm_check *c, size_t *cap, const struct side *on, const struct side *to,
		     const cm_mask *mask, int id, uint32_t leaf, uint32_t sub, int reg, int bit)
{
	enum cm_action a = cm_mask_action(mask, leaf, sub, reg, bit);
	if (a == CM_ACT_SET || a == CM_ACT_CLEAR || a == CM_ACT_IGNORE)
		return 0; /* what the guest sees is fixed, or unused: nothing to compare */
	/* the default on a bit VMware's profile decides: nothing to compare either */
	if (a == CM_ACT_DEFAULT && (id < 0 || cm_profile_rule_of((size_t)id, NULL) != CM_PROF_PASS))
		return 0;
	int von = side_bit(on, id, leaf, sub, reg, bit), vto = side_bit(to, id, leaf, sub, reg, bit);
	struct cm_block b = { leaf, sub, (uint8_t)reg, (uint8_t)bit, id, CM_BLOCK_MISSING, a,
			      (int8_t)von, (int8_t)vto, false };
	switch (a) {
	case CM_ACT_REQUIRE1:
	case CM_ACT_REQUIRE0: {
		int want = a == CM_ACT_REQUIRE1;
		if (von == want && vto == want)
			return 0;
		if (vto == want && von < 0)
			return 0;
		b.reason = vto < 0 ? CM_BLOCK_UNKNOWN : CM_BLOCK_REQUIRED;
		b.at_power_on = von != want;
		return add_block(c, cap, &b);
	}
	case CM_ACT_HIDE_CHK:
	case CM_ACT_HOST:
		if (von == vto && von >= 0)
			return 0;
		b.reason = von < 0 || vto < 0 ? CM_BLOCK_UNKNOWN : CM_BLOCK_MISMATCH;
		return add_block(c, cap, &b);
	default:
		/* the guest sees the host's bit: it must be on the destination too */
		if (von != 1 || vto == 1)
			return 0;
		b.reason = vto < 0 ? CM_BLOCK_UNKNOWN : CM_BLOCK_MISSING;
		return add_block(c, cap, &b);
	}
}

int cm_check_migration(struct cm_check *out, const cm_snap *on, const cm_snap *to,
		       const cm_mask *mask, struct cm_error *err)
{
	struct cm_check c = { true, 0, NULL };
	size_t cap = 0;
	int rc = 0;
	struct side son, sto;
	side_init(&son, on);
	side_init(&sto, to);
	/* every feature bit, then every other bit a mask puts a requirement on */
	for (size_t id = 0; id < cm_feature_count() && !rc; id++) {
		const struct cm_feature *f = cm_feature_at(id);
		rc = check_bit(&c, &cap, &son, &sto, mask, (int)id, f->leaf, f->subleaf, f->reg,
			       f->bit);
	}
	for (size_t i = 0; mask && i < cm_mask_count(mask) && !rc; i++) {
		const struct cm_mask_reg *mr = cm_mask_at(mask, i);
		for (int b = 0; b < 32 && !rc; b++) {
			if (cm_feature_at_bit(mr->leaf, mr->subleaf, mr->reg, b) >= 0)
				continue;
			rc = check_bit(&c, &cap, &son, &sto, mask, -1, mr->leaf, mr->subleaf, mr->reg,
				       b);
		}
	}
	if (rc) {
		cm_check_free(&c);
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	}
	c.pass = c.n == 0;
	*out = c;
	return 0;
}
