/* mask.c - per-bit actions per CPUID register, and merging masks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct cm_mask {
	struct cm_mask_reg *v;	/* in the order registers were first given */
	size_t n, cap;
	char **pool;		/* bit origins that are no register's own origin */
	size_t npool, cappool;
};

static const struct {
	char vmx;
	const char *describe;
} actions[CM_ACT_COUNT] = {
	[CM_ACT_DEFAULT] = { '-', "default (the hypervisor's profile decides)" },
	[CM_ACT_IGNORE] = { 'x', "not used by the guest; never checked" },
	[CM_ACT_REQUIRE1] = { 'T', "required on: the host must have it" },
	[CM_ACT_REQUIRE0] = { 'F', "required off: the host must not have it" },
	[CM_ACT_SET] = { '1', "force on" },
	[CM_ACT_CLEAR] = { '0', "hide" },
	[CM_ACT_HIDE_CHK] = { 'R', "hide, but source and destination must still agree" },
	[CM_ACT_HOST] = { 'H', "host value, source and destination must agree" },
};

char cm_action_vmx_char(enum cm_action a)
{
	return (unsigned)a < CM_ACT_COUNT ? actions[a].vmx : '?';
}

const char *cm_action_describe(enum cm_action a)
{
	return (unsigned)a < CM_ACT_COUNT ? actions[a].describe : "unknown";
}

int cm_mask_new(cm_mask **out)
{
	cm_mask *m = calloc(1, sizeof *m);
	if (!m)
		return CM_ENOMEM;
	*out = m;
	return 0;
}

void cm_mask_free(cm_mask *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		free((char *)m->v[i].origin);
	for (size_t i = 0; i < m->npool; i++)
		free(m->pool[i]);
	free(m->pool);
	free(m->v);
	free(m);
}

size_t cm_mask_count(const cm_mask *m)
{
	return m->n;
}

const struct cm_mask_reg *cm_mask_at(const cm_mask *m, size_t i)
{
	return i < m->n ? &m->v[i] : NULL;
}

/*
 * Subleaf 0 of a leaf that takes none is the leaf itself: a .vmx key has no subleaf, Xen's
 * "1,0:eax" names one, and both mean the same register, so a mask keeps one of them.
 */
static uint32_t canon_subleaf(uint32_t leaf, uint32_t subleaf)
{
	return subleaf == 0 && !cm_leaf_has_subleaves(leaf) ? CM_NO_SUBLEAF : subleaf;
}

const struct cm_mask_reg *cm_mask_find(const cm_mask *m, uint32_t leaf, uint32_t subleaf, int reg)
{
	subleaf = canon_subleaf(leaf, subleaf);
	for (size_t i = 0; m && i < m->n; i++)
		if (m->v[i].leaf == leaf && m->v[i].subleaf == subleaf && m->v[i].reg == reg)
			return &m->v[i];
	return NULL;
}

enum cm_action cm_mask_action(const cm_mask *m, uint32_t leaf, uint32_t subleaf, int reg, int bit)
{
	const struct cm_mask_reg *r = cm_mask_find(m, leaf, subleaf, reg);
	return r ? (enum cm_action)r->act[bit] : CM_ACT_DEFAULT;
}

static char *copy(const char *s)
{
	size_t n = strlen(s ? s : "") + 1;
	char *c = malloc(n);
	if (c)
		memcpy(c, s ? s : "", n);
	return c;
}

static struct cm_mask_reg *get_or_add(cm_mask *m, uint32_t leaf, uint32_t subleaf, int reg,
				      const char *origin)
{
	struct cm_mask_reg *r = (struct cm_mask_reg *)cm_mask_find(m, leaf, subleaf, reg);
	if (r)
		return r;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		struct cm_mask_reg *v = realloc(m->v, cap * sizeof *v);
		if (!v)
			return NULL;
		m->v = v;
		m->cap = cap;
	}
	char *o = copy(origin);
	if (!o)
		return NULL;
	r = &m->v[m->n++];
	memset(r, 0, sizeof *r);
	r->leaf = leaf;
	r->subleaf = canon_subleaf(leaf, subleaf);
	r->reg = (uint8_t)reg;
	r->origin = o;
	for (int b = 0; b < 32; b++)
		r->bit_origin[b] = "";
	return r;
}

/* `origin` as a string the mask owns: the register's own, or a copy kept in the pool. */
static const char *intern(cm_mask *m, const struct cm_mask_reg *r, const char *origin)
{
	if (!origin || !origin[0])
		return "";
	if (strcmp(origin, r->origin) == 0)
		return r->origin;
	/* lines come one after another: the last one kept is the likely match */
	if (m->npool && strcmp(origin, m->pool[m->npool - 1]) == 0)
		return m->pool[m->npool - 1];
	if (m->npool == m->cappool) {
		size_t cap = m->cappool ? m->cappool * 2 : 8;
		char **v = realloc(m->pool, cap * sizeof *v);
		if (!v)
			return NULL;
		m->pool = v;
		m->cappool = cap;
	}
	char *c = copy(origin);
	if (c)
		m->pool[m->npool++] = c;
	return c;
}

int cm_mask_set_at(cm_mask *m, uint32_t leaf, uint32_t subleaf, int reg, int bit,
		   enum cm_action a, const char *origin, unsigned col)
{
	if (reg < 0 || reg > 3 || bit < 0 || bit > 31 || (unsigned)a >= CM_ACT_COUNT)
		return CM_ERANGE;
	struct cm_mask_reg *r = get_or_add(m, leaf, subleaf, reg, origin);
	if (!r)
		return CM_ENOMEM;
	const char *o = intern(m, r, origin);
	if (!o)
		return CM_ENOMEM;
	r->act[bit] = (uint8_t)a;
	r->bit_origin[bit] = o;
	r->col[bit] = col > UINT16_MAX ? 0 : (uint16_t)col;
	return 0;
}

int cm_mask_set(cm_mask *m, uint32_t leaf, uint32_t subleaf, int reg, int bit, enum cm_action a,
		const char *origin)
{
	return cm_mask_set_at(m, leaf, subleaf, reg, bit, a, origin, 0);
}

int cm_mask_dup(cm_mask **out, const cm_mask *m)
{
	cm_mask *d;
	if (cm_mask_new(&d))
		return CM_ENOMEM;
	for (size_t i = 0; i < m->n; i++) {
		struct cm_mask_reg *r = get_or_add(d, m->v[i].leaf, m->v[i].subleaf, m->v[i].reg,
						   m->v[i].origin);
		if (!r) {
			cm_mask_free(d);
			return CM_ENOMEM;
		}
		memcpy(r->act, m->v[i].act, sizeof r->act);
		memcpy(r->col, m->v[i].col, sizeof r->col);
		for (int b = 0; b < 32; b++)
			if (!(r->bit_origin[b] = intern(d, r, m->v[i].bit_origin[b]))) {
				cm_mask_free(d);
				return CM_ENOMEM;
			}
	}
	*out = d;
	return 0;
}

bool cm_mask_empty(const cm_mask *m)
{
	for (size_t i = 0; m && i < m->n; i++)
		for (int b = 0; b < 32; b++)
			if (m->v[i].act[b] != CM_ACT_DEFAULT)
				return false;
	return true;
}

/*
 * The merge of two actions on one bit, or -1 when they cannot both hold. The default and
 * "ignore" give way to anything; hiding with and without the check hides with it.
 */
static int merge_one(int a, int b)
{
	if (a == b)
		return a;
	if (a == CM_ACT_DEFAULT || a == CM_ACT_IGNORE)
		return b == CM_ACT_DEFAULT ? a : b;
	if (b == CM_ACT_DEFAULT || b == CM_ACT_IGNORE)
		return a;
	if ((a == CM_ACT_CLEAR && b == CM_ACT_HIDE_CHK) || (a == CM_ACT_HIDE_CHK && b == CM_ACT_CLEAR))
		return CM_ACT_HIDE_CHK;
	return -1;
}

/* Where a bit's action was written: "FILE:LINE:COL", "FILE:LINE", or `none`. */
static void where_bit(const struct cm_mask_reg *r, int b, const char *none, char *out, size_t n)
{
	const char *o = r->bit_origin[b][0] ? r->bit_origin[b] : r->origin;
	if (!o[0])
		snprintf(out, n, "%s", none);
	else if (r->col[b] && r->bit_origin[b][0])
		snprintf(out, n, "%s:%u", o, (unsigned)r->col[b]);
	else
		snprintf(out, n, "%s", o);
}

int cm_mask_merge(cm_mask *into, const cm_mask *from, struct cm_error *err)
{
	/* check every bit first, so a conflict leaves `into` as it was */
	for (size_t i = 0; i < from->n; i++) {
		const struct cm_mask_reg *f = &from->v[i];
		const struct cm_mask_reg *t = cm_mask_find(into, f->leaf, f->subleaf, f->reg);
		for (int b = 31; t && b >= 0; b--) {
			if (merge_one(t->act[b], f->act[b]) >= 0)
				continue;
			int id = cm_feature_at_bit(f->leaf, f->subleaf, f->reg, b);
			char sub[24] = "", wt[96], wf[96];
			if (f->subleaf != CM_NO_SUBLEAF && f->subleaf != 0)
				snprintf(sub, sizeof sub, " subleaf %#x", f->subleaf);
			where_bit(t, b, "the first mask", wt, sizeof wt);
			where_bit(f, b, "the second mask", wf, sizeof wf);
			int rc = cm__fail(err, CM_ECONFLICT, -1, -1,
					  "conflict on CPUID level %#x%s register '%s' bit %d%s%s%s: "
					  "'%c' at %s, '%c' at %s",
					  f->leaf, sub, cm_reg_name(f->reg), b, id >= 0 ? " (" : "",
					  id >= 0 ? cm_feature_at((size_t)id)->name : "",
					  id >= 0 ? ")" : "", cm_action_vmx_char(t->act[b]), wt,
					  cm_action_vmx_char(f->act[b]), wf);
			if (err) {
				err->leaf = f->leaf;
				err->subleaf = f->subleaf;
				err->reg = f->reg;
				err->bit = b;
			}
			return rc;
		}
	}
	for (size_t i = 0; i < from->n; i++) {
		const struct cm_mask_reg *f = &from->v[i];
		struct cm_mask_reg *t = get_or_add(into, f->leaf, f->subleaf, f->reg, f->origin);
		if (!t)
			return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
		for (int b = 0; b < 32; b++) {
			int a = merge_one(t->act[b], f->act[b]);
			/* the bit's origin follows the action that won (the first on a tie) */
			if (a != t->act[b]) {
				const char *o = intern(into, t, f->bit_origin[b]);
				if (!o)
					return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
				t->bit_origin[b] = o;
				t->col[b] = f->col[b];
			}
			t->act[b] = (uint8_t)a;
		}
	}
	return 0;
}

int cm_mask_read(cm_mask **out, const char *data, size_t len, const char *name,
		 cm_warn_cb warn, void *payload, struct cm_error *err)
{
	/* Xen's strings have "leaf:reg=" where a .vmx has "cpuid." keys */
	struct cm__lines it;
	struct cm__line l;
	cm__lines_init(&it, data, len);
	while (cm__lines_next(&it, &l, NULL) == 1) {
		size_t i = 0;
		cm__skip_ws(l.s, l.n, &i);
		if (i == l.n || l.s[i] == '#')
			continue;
		long eq = cm__find(l.s, l.n, "=");
		long colon = cm__find(l.s, l.n, ":");
		bool xen = colon >= 0 && (eq < 0 || colon < eq) && cm__find(l.s, l.n, "cpuid.") < 0;
		xen |= cm__find(l.s, l.n, "host,") >= 0 && cm__find(l.s, l.n, "cpuid.") < 0;
		if (xen || (cm__starts(l.s + i, l.n - i, "cpuid") && cm__find(l.s, l.n, "[") >= 0))
			return cm_mask_read_xen(out, data, len, name, warn, payload, err);
		break;
	}
	return cm_mask_read_vmx(out, data, len, name, warn, payload, err);
}
