/*
 * fmt_xen.c - Xen's CPUID masks, as xl.cfg(5) describes them:
 *
 *   cpuid = [ "0x00000001:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0,edx=xx0xxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
 *             "7,0:ebx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0" ]         (legacy "xend" strings)
 *   cpuid = "host,tm=0,sse3=0"                                      (libxl names)
 *
 * Leaf and subleaf are numbers as C's strtoul(..., 0) reads them (decimal, 0x hex, or a
 * leading 0 for octal, exactly as libxl does). 32 characters, bit 31 first: 1 force on,
 * 0 force off, x the default, k the host's value kept across migration, s its old alias.
 * Strings may stand alone, one per line, quoted or not, or in an xl.cfg list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int xen_action(char c)
{
	switch (c) {
	case 'x':
		return CM_ACT_DEFAULT;
	case '1':
		return CM_ACT_SET;
	case '0':
		return CM_ACT_CLEAR;
	case 'k':
	case 's':
		return CM_ACT_HOST;
	}
	return -1;
}

/* A number the way strtoul(s, 0) reads one, without its silent wrap-around. */
static int number(const char *s, size_t n, size_t *i, uint32_t *v)
{
	size_t j = *i;
	unsigned base = 10;
	if (j + 1 < n && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X'))
		return cm__hex32(s, n, i, true, v);
	if (j < n && s[j] == '0')
		base = 8;
	uint64_t x = 0;
	size_t start = j;
	while (j < n && s[j] >= '0' && s[j] <= (base == 8 ? '7' : '9')) {
		x = x * base + (uint64_t)(s[j] - '0');
		if (x > UINT32_MAX)
			return CM_ERANGE;
		j++;
	}
	if (j == start)
		return CM_EPARSE;
	*i = j;
	*v = (uint32_t)x;
	return 0;
}

struct str {
	const char *s;
	size_t n;
	long line, col;	/* of its first character */
};

static void warn_msg(cm_warn_cb warn, void *payload, long line, long col, const char *msg,
		     const char *what, size_t wn)
{
	if (!warn)
		return;
	struct cm_error w;
	cm_error_clear(&w);
	w.line = line;
	w.column = col;
	snprintf(w.msg, sizeof w.msg, "%s '%.*s'", msg, (int)(wn > 60 ? 60 : wn), what);
	warn(&w, payload);
}

/* libxl: "host,name=c,name=c": every name a feature of the table, c one legend character. */
static int parse_libxl(cm_mask *m, const struct str *x, const char *origin, cm_warn_cb warn,
		       void *payload, struct cm_error *err)
{
	size_t i = 4; /* after "host" */
	while (i < x->n) {
		if (x->s[i] != ',')
			return cm__fail(err, CM_EPARSE, x->line, x->col + (long)i,
					"expected ',' between name=value pairs");
		i++;
		cm__skip_ws(x->s, x->n, &i);
		size_t ns = i;
		while (i < x->n && x->s[i] != '=' && x->s[i] != ',')
			i++;
		if (i >= x->n || x->s[i] != '=')
			return cm__fail(err, CM_EPARSE, x->line, x->col + (long)ns,
					"expected name=value (libxl returns 1 for this)");
		char name[64];
		size_t nn = i - ns;
		if (nn == 0 || nn >= sizeof name)
			return cm__fail(err, CM_EPARSE, x->line, x->col + (long)ns,
					"a feature name of 1 to 63 characters");
		memcpy(name, x->s + ns, nn);
		name[nn] = '\0';
		i++;
		size_t vs = i;
		while (i < x->n && x->s[i] != ',')
			i++;
		int id = cm_feature_find(name);
		if (id < 0) {
			static const char *const numeric[] = { "apicidsize", "brandid", "clflush",
							       "family", "localapicid", "maxleaf",
							       "maxhvleaf", "model", "nc", "proccount",
							       "procpkg", "stepping" };
			bool num = false;
			for (size_t k = 0; k < CM_ARRAY_SIZE(numeric); k++)
				num |= strcmp(numeric[k], name) == 0;
			if (num) {
				warn_msg(warn, payload, x->line, x->col + (long)ns,
					 "numeric libxl key is not a mask; not used:", name, nn);
				continue;
			}
			return cm__fail(err, CM_ENOTFOUND, x->line, x->col + (long)ns,
					"'%s' is not a feature name (libxl returns 2 for this)",
					name);
		}
		int a = i - vs == 1 ? xen_action(x->s[vs]) : -1;
		if (a < 0)
			return cm__fail(err, CM_EPARSE, x->line, x->col + (long)vs,
					"the value of %s is one of 1 0 x k s (libxl returns 3 for "
					"this)", name);
		const struct cm_feature *f = cm_feature_at((size_t)id);
		int rc = cm_mask_set_at(m, f->leaf, f->subleaf, f->reg, f->bit, (enum cm_action)a,
					origin, (unsigned)(x->col + (long)vs));
		if (rc)
			return cm__fail(err, rc, x->line, -1, "out of memory");
	}
	return 0;
}

/* "leaf[,subleaf]:reg=bits[,reg=bits]..." */
static int parse_xend(cm_mask *m, const struct str *x, const char *origin, struct cm_error *err)
{
	size_t i = 0;
	uint32_t leaf, sub;
	int rc = number(x->s, x->n, &i, &leaf);
	if (rc)
		return cm__fail(err, rc, x->line, x->col,
				rc == CM_ERANGE ? "the leaf does not fit in 32 bits"
						: "expected a leaf number (decimal or 0x hex)");
	bool has_sub = i < x->n && x->s[i] == ',';
	if (has_sub) {
		i++;
		size_t ss = i;
		rc = number(x->s, x->n, &i, &sub);
		if (rc || sub == CM_NO_SUBLEAF)
			return cm__fail(err, rc ? rc : CM_ERANGE, x->line, x->col + (long)ss,
					"expected a subleaf number after ','");
	} else {
		sub = cm_leaf_has_subleaves(leaf) ? 0 : CM_NO_SUBLEAF;
	}
	if (i >= x->n || x->s[i] != ':')
		return cm__fail(err, CM_EPARSE, x->line, x->col + (long)i,
				"expected ':' after the leaf%s", has_sub ? " and subleaf" : "");
	i++;
	for (bool first = true; i < x->n; first = false) {
		if (!first) {
			if (x->s[i] != ',')
				return cm__fail(err, CM_EPARSE, x->line, x->col + (long)i,
						"expected ',' before the next register");
			i++;
			while (i < x->n && (x->s[i] == ' ' || x->s[i] == '\t' || x->s[i] == '\n'))
				i++;
		}
		size_t rs = i;
		int reg = i + 4 <= x->n && x->s[i + 3] == '=' ? cm_reg_from_name(x->s + i, 3) : -1;
		if (reg < 0)
			return cm__fail(err, CM_EPARSE, x->line, x->col + (long)rs,
					"expected eax=, ebx=, ecx= or edx=");
		i += 4;
		size_t bs = i;
		while (i < x->n && x->s[i] != ',')
			i++;
		if (i - bs != 32)
			return cm__fail(err, CM_EPARSE, x->line, x->col + (long)bs,
					"%s= takes exactly 32 characters, not %zu", cm_reg_name(reg),
					i - bs);
		for (size_t k = 0; k < 32; k++) {
			int a = xen_action(x->s[bs + k]);
			int bit = 31 - (int)k;
			if (a < 0) {
				rc = cm__fail(err, CM_EPARSE, x->line, x->col + (long)(bs + k),
					      "'%c' (bit %d) is not one of Xen's 1 0 x k s",
					      x->s[bs + k], bit);
				if (err)
					err->bit = bit;
				return rc;
			}
			if ((rc = cm_mask_set_at(m, leaf, sub, reg, bit, (enum cm_action)a, origin,
						 (unsigned)(x->col + (long)(bs + k)))))
				return cm__fail(err, rc, x->line, -1, "out of memory");
		}
	}
	return 0;
}

/* The strings of the input: quoted ones when there are quotes, else whole lines. */
static int next_string(struct cm__lines *it, struct cm__line *l, size_t *pos, struct str *out,
		       struct cm_error *err)
{
	for (;;) {
		if (l->s == NULL || *pos >= l->n) {
			int rc = cm__lines_next(it, l, err);
			if (rc <= 0)
				return rc;
			*pos = 0;
		}
		size_t i = *pos;
		cm__skip_ws(l->s, l->n, &i);
		if (i == l->n || l->s[i] == '#') {
			*pos = l->n;
			continue;
		}
		long q = -1;
		for (size_t k = i; k < l->n; k++)
			if (l->s[k] == '"' || l->s[k] == '\'') {
				q = (long)k;
				break;
			}
		if (q < 0) {
			/* an unquoted string, unless this is list punctuation */
			size_t e = l->n;
			while (e > i && (l->s[e - 1] == ' ' || l->s[e - 1] == '\t'))
				e--;
			*pos = l->n;
			bool punct = true;
			for (size_t k = i; k < e; k++)
				punct &= strchr("[],=", l->s[k]) != NULL || l->s[k] == ' ';
			if (punct || cm__starts(l->s + i, e - i, "cpuid"))
				continue;
			*out = (struct str){ l->s + i, e - i, l->no, (long)i + 1 };
			return 1;
		}
		char qc = l->s[q];
		size_t start = (size_t)q + 1, k = start;
		while (k < l->n && l->s[k] != qc)
			k++;
		if (k >= l->n)
			return cm__fail(err, CM_EPARSE, l->no, q + 1, "a string without its closing %c",
					qc);
		*pos = k + 1;
		*out = (struct str){ l->s + start, k - start, l->no, (long)start + 1 };
		return 1;
	}
}

int cm_mask_read_xen(cm_mask **out, const char *data, size_t len, const char *name,
		     cm_warn_cb warn, void *payload, struct cm_error *err)
{
	cm_mask *m;
	if (cm_mask_new(&m))
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	struct cm__lines it;
	struct cm__line l = { NULL, 0, 0 };
	size_t pos = 0;
	struct str x = { NULL, 0, 0, 0 };
	int rc, count = 0;
	cm__lines_init(&it, data, len);
	while ((rc = next_string(&it, &l, &pos, &x, err)) == 1) {
		char origin[512];
		snprintf(origin, sizeof origin, "%s:%ld", name ? name : "", x.line);
		if (x.n >= 4 && memcmp(x.s, "host", 4) == 0 && (x.n == 4 || x.s[4] == ','))
			rc = parse_libxl(m, &x, origin, warn, payload, err);
		else
			rc = parse_xend(m, &x, origin, err);
		if (rc)
			break;
		count++;
	}
	if (!rc && count == 0)
		rc = cm__fail(err, CM_EPARSE, 1, -1, "no Xen CPUID mask strings in the input");
	if (rc) {
		cm_mask_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int cm_mask_write_xen(struct cm_buf *b, const cm_mask *m, struct cm_error *err)
{
	for (size_t i = 0; i < cm_mask_count(m); i++) {
		const struct cm_mask_reg *r = cm_mask_at(m, i);
		char v[33];
		bool any = false;
		for (int k = 0; k < 32; k++) {
			char c;
			switch (r->act[k]) {
			case CM_ACT_DEFAULT:
				c = 'x';
				break;
			case CM_ACT_SET:
				c = '1';
				break;
			case CM_ACT_CLEAR:
				c = '0';
				break;
			case CM_ACT_HOST:
				c = 'k';
				break;
			default:
				return cm__fail(err, CM_EUNSUPPORTED, -1, -1,
						"Xen has no '%c' (CPUID level %#x register '%s' bit "
						"%d): its legend is 1 0 x k",
						cm_action_vmx_char((enum cm_action)r->act[k]), r->leaf,
						cm_reg_name(r->reg), k);
			}
			any |= c != 'x';
			v[31 - k] = c;
		}
		v[32] = '\0';
		if (!any)
			continue;
		if (r->subleaf == CM_NO_SUBLEAF)
			cm_buf_printf(b, "\"0x%08x:%s=%s\"\n", r->leaf, cm_reg_name(r->reg), v);
		else
			cm_buf_printf(b, "\"0x%08x,0x%02x:%s=%s\"\n", r->leaf, r->subleaf,
				      cm_reg_name(r->reg), v);
	}
	return b->err ? cm__fail(err, b->err, -1, -1, "out of memory") : 0;
}
