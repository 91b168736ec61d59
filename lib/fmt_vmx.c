/*
 * fmt_vmx.c - VMware .vmx CPUID masks:  cpuid.<leaf>.<reg> = "<32 characters>"
 *
 * The leaf is hex without 0x (any case on input, lower case on output), the register one
 * of eax ebx ecx edx, the value 32 characters with bit 31 first, or the API's 39-character
 * form in groups of four joined by ':'. A key names subleaf 0 of a leaf that takes a
 * subleaf (the seed's cpuid.7.ebx and cpuid.d.eax); no .vmx syntax for other subleaves is
 * known. Characters (vSphere's legend): - x T F 1 0 R H; anything else, 'X' included (its
 * meaning is not documented: docs/masks.md), is an error naming the character, its column and
 * its bit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* cpuid.* keys that are not masks and that cpuidmask leaves alone without a warning. */
static const char *const other_cpuid_keys[] = { "cpuid.corespersocket", "cpuid.brandstring" };

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool key_is(const char *k, size_t n, const char *word)
{
	size_t w = strlen(word);
	if (n != w)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)k[i]) != word[i])
			return false;
	return true;
}

static int action_of(char c)
{
	for (int a = 0; a < CM_ACT_COUNT; a++)
		if (cm_action_vmx_char((enum cm_action)a) == c)
			return a;
	return -1;
}

/* A key seen, for duplicates. */
struct seen {
	const char *k;
	size_t n;
	long line;
};

struct vmx_state {
	struct seen *v;
	size_t n, cap;
};

static int seen_add(struct vmx_state *st, const char *k, size_t n, long line, long *dup)
{
	*dup = 0;
	for (size_t i = 0; i < st->n; i++) {
		if (st->v[i].n != n)
			continue;
		size_t j = 0;
		while (j < n && lower((unsigned char)st->v[i].k[j]) == lower((unsigned char)k[j]))
			j++;
		if (j == n) {
			*dup = st->v[i].line;
			return 0;
		}
	}
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct seen *v = realloc(st->v, cap * sizeof *v);
		if (!v)
			return CM_ENOMEM;
		st->v = v;
		st->cap = cap;
	}
	st->v[st->n++] = (struct seen){ k, n, line };
	return 0;
}

static void warn_at(cm_warn_cb warn, void *payload, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void warn_at(cm_warn_cb warn, void *payload, long line, long col, const char *fmt, ...)
{
	if (!warn)
		return;
	struct cm_error w;
	cm_error_clear(&w);
	w.line = line;
	w.column = col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w.msg, sizeof w.msg, fmt, ap);
	va_end(ap);
	warn(&w, payload);
}

/*
 * The 32 actions of a value and the column of each (1-based); `vs` is the value's column
 * (0-based).
 */
static int parse_bits(const struct cm__line *l, size_t vs, size_t vn, uint8_t act[32],
		      unsigned cols[32], struct cm_error *err)
{
	const char *v = l->s + vs;
	bool colons = vn == 39;
	if (vn != 32 && vn != 39)
		return cm__fail(err, CM_EPARSE, l->no, (long)vs + 1,
				"a mask value has 32 characters (or 39 with ':' every four), this "
				"one has %zu", vn);
	int bit = 31;
	for (size_t i = 0; i < vn; i++) {
		if (colons && i % 5 == 4) {
			if (v[i] != ':')
				return cm__fail(err, CM_EPARSE, l->no, (long)(vs + i) + 1,
						"expected ':' after every four characters of a "
						"39-character mask, found '%c'", v[i]);
			continue;
		}
		int a = action_of(v[i]);
		if (a < 0) {
			long col = (long)(vs + i) + 1;
			unsigned char c = (unsigned char)v[i];
			int rc;
			if (c == 'X')
				/* vSphere documents only the lower-case x; reading X as x would
				 * guess, and silently drop whatever check the writer meant */
				rc = cm__fail(err, CM_EPARSE, l->no, col,
					      "'X' (bit %d) has no documented meaning: use - x T F 1 "
					      "0 R H (lower-case x: not used by the guest)", bit);
			else if (c >= 0x20 && c < 0x7f)
				rc = cm__fail(err, CM_EPARSE, l->no, col,
					      "'%c' (bit %d) is not a mask character: use - x T F 1 "
					      "0 R H", c, bit);
			else
				rc = cm__fail(err, CM_EPARSE, l->no, col,
					      "byte 0x%02x (bit %d) is not a mask character: use - x "
					      "T F 1 0 R H", c, bit);
			if (err)
				err->bit = bit;
			return rc;
		}
		cols[bit] = (unsigned)(vs + i) + 1;
		act[bit--] = (uint8_t)a;
	}
	return 0;
}

/* Split "key = value": trimmed key and value, quotes removed. 0, or an error. */
static int split(const struct cm__line *l, size_t *ks, size_t *kn, size_t *vs, size_t *vn,
		 struct cm_error *err)
{
	size_t i = 0;
	cm__skip_ws(l->s, l->n, &i);
	*ks = i;
	long eq = cm__find(l->s + i, l->n - i, "=");
	if (eq < 0)
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
				"expected 'key = \"value\"'");
	size_t e = i + (size_t)eq;
	size_t ke = e;
	while (ke > i && (l->s[ke - 1] == ' ' || l->s[ke - 1] == '\t'))
		ke--;
	*kn = ke - i;
	if (*kn == 0)
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1, "a line with '=' but no key");
	size_t j = e + 1;
	cm__skip_ws(l->s, l->n, &j);
	size_t end = l->n;
	while (end > j && (l->s[end - 1] == ' ' || l->s[end - 1] == '\t'))
		end--;
	if (j < end && l->s[j] == '"') {
		if (end - j < 2 || l->s[end - 1] != '"')
			return cm__fail(err, CM_EPARSE, l->no, (long)j + 1,
					"the value's closing quote is missing");
		j++;
		end--;
	}
	*vs = j;
	*vn = end - j;
	return 0;
}

int cm_mask_read_vmx(cm_mask **out, const char *data, size_t len, const char *name,
		     cm_warn_cb warn, void *payload, struct cm_error *err)
{
	cm_mask *m;
	if (cm_mask_new(&m))
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	struct vmx_state st = { 0 };
	struct cm__lines it;
	struct cm__line l;
	int rc;
	if (!name)
		name = "";
	cm__lines_init(&it, data, len);
	while ((rc = cm__lines_next(&it, &l, err)) == 1) {
		size_t i = 0;
		cm__skip_ws(l.s, l.n, &i);
		if (i == l.n || l.s[i] == '#')
			continue;
		size_t ks = 0, kn = 0, vs = 0, vn = 0;
		if ((rc = split(&l, &ks, &kn, &vs, &vn, err)))
			break;
		const char *k = l.s + ks;
		long dup;
		if ((rc = seen_add(&st, k, kn, l.no, &dup))) {
			rc = cm__fail(err, rc, l.no, -1, "out of memory");
			break;
		}
		bool cpuid = kn > 6 && key_is(k, 6, "cpuid.");
		if (dup && cpuid) {
			rc = cm__fail(err, CM_ECONFLICT, l.no, (long)ks + 1,
				      "'%.*s' is given twice (first on line %ld): which one "
				      "should hold?", (int)kn, k, dup);
			break;
		}
		if (dup) {
			warn_at(warn, payload, l.no, (long)ks + 1,
				"'%.*s' is given twice (first on line %ld)", (int)kn, k, dup);
			continue;
		}
		if (!cpuid)
			continue;
		/* cpuid.<hex>.<reg> and nothing more */
		size_t j = 6;
		uint32_t leaf;
		int reg = -1;
		int hex = cm__hex32(k, kn, &j, false, &leaf);
		if (hex == 0 && j < kn && k[j] == '.') {
			size_t rs = j + 1;
			reg = rs + 3 == kn ? cm_reg_from_name(k + rs, 3) : -1;
		}
		if (hex == CM_ERANGE) {
			rc = cm__fail(err, CM_ERANGE, l.no, (long)ks + 7,
				      "the leaf of '%.*s' does not fit in 32 bits", (int)kn, k);
			break;
		}
		size_t dots = 0;
		for (size_t d = 0; d < kn; d++)
			dots += k[d] == '.';
		if ((hex != 0 || reg < 0) && dots == 2) {
			/* shaped like a mask key, but not one: an error, not a silent drop */
			long rest = cm__find(k + 6, kn - 6, ".");
			if (hex != 0 || (size_t)rest != j - 6)
				rc = cm__fail(err, CM_EPARSE, l.no, (long)ks + 7,
					      "'%.*s': the leaf must be hex digits, as in "
					      "cpuid.80000001.ecx", (int)kn, k);
			else
				rc = cm__fail(err, CM_EPARSE, l.no, (long)(ks + j) + 2,
					      "'%.*s': unknown register '%.*s' (eax, ebx, ecx or "
					      "edx)", (int)kn, k, (int)(kn - j - 1), k + j + 1);
			break;
		}
		if (hex != 0 || reg < 0) {
			bool known = false;
			for (size_t o = 0; o < CM_ARRAY_SIZE(other_cpuid_keys); o++)
				known |= key_is(k, kn, other_cpuid_keys[o]);
			if (!known)
				warn_at(warn, payload, l.no, (long)ks + 1,
					"'%.*s' is not a CPUID mask key cpuidmask knows "
					"(cpuid.<leaf>.<register>); it is not used", (int)kn, k);
			continue;
		}
		uint8_t act[32];
		unsigned cols[32];
		if ((rc = parse_bits(&l, vs, vn, act, cols, err))) {
			if (err) {
				err->leaf = leaf;
				err->reg = reg;
			}
			break;
		}
		char origin[512];
		snprintf(origin, sizeof origin, "%s:%ld", name, l.no);
		uint32_t sub = cm_leaf_has_subleaves(leaf) ? 0 : CM_NO_SUBLEAF;
		for (int b = 0; b < 32 && !rc; b++)
			rc = cm_mask_set_at(m, leaf, sub, reg, b, (enum cm_action)act[b], origin,
					    cols[b]);
		if (rc) {
			rc = cm__fail(err, rc, l.no, -1, "out of memory");
			break;
		}
	}
	free(st.v);
	if (rc) {
		cm_mask_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int cm_mask_write_vmx(struct cm_buf *b, const cm_mask *m, struct cm_error *err)
{
	for (size_t i = 0; i < cm_mask_count(m); i++) {
		const struct cm_mask_reg *r = cm_mask_at(m, i);
		bool any = false;
		for (int k = 0; k < 32; k++)
			any |= r->act[k] != CM_ACT_DEFAULT;
		if (!any)
			continue;
		if (r->subleaf != CM_NO_SUBLEAF && r->subleaf != 0)
			return cm__fail(err, CM_EUNSUPPORTED, -1, -1,
					"CPUID level %#x subleaf %#x register '%s' has no .vmx key "
					"(cpuid.<leaf>.<reg> reaches subleaf 0 only)",
					r->leaf, r->subleaf, cm_reg_name(r->reg));
		char v[33];
		for (int k = 0; k < 32; k++)
			v[31 - k] = cm_action_vmx_char((enum cm_action)r->act[k]);
		v[32] = '\0';
		cm_buf_printf(b, "cpuid.%x.%s = \"%s\"\n", r->leaf, cm_reg_name(r->reg), v);
	}
	return b->err ? cm__fail(err, b->err, -1, -1, "out of memory") : 0;
}

/* The kind of a key for grouping inserted lines: its text up to and including the first '.'. */
static size_t key_kind_len(const char *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (k[i] == '.')
			return i + 1;
	return n;
}

static bool same_key(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	return true;
}

int cm_vmx_set_keys(struct cm_buf *out, const char *data, size_t len, const char *const *keys,
		    const char *const *values, size_t n, size_t *changed, struct cm_error *err)
{
	/* the file's line end, and whether its last line has one */
	const char *eol = "\n";
	const char *nl = memchr(data, '\n', len);
	if (nl && nl > data && nl[-1] == '\r')
		eol = "\r\n";
	bool final_eol = len == 0 || data[len - 1] == '\n';
	bool *found = calloc(n ? n : 1, sizeof *found);
	/* where each key's kind was last seen: new keys go after it */
	size_t *after = calloc(n ? n : 1, sizeof *after);
	if (!found || !after) {
		free(found);
		free(after);
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	}
	size_t count = 0;
	int rc = 0;
	/* pass 1: which keys exist, where their kinds end; duplicates are refused */
	struct cm__lines it;
	struct cm__line l;
	cm__lines_init(&it, data, len);
	while ((rc = cm__lines_next(&it, &l, err)) == 1) {
		size_t i = 0;
		cm__skip_ws(l.s, l.n, &i);
		if (i == l.n || l.s[i] == '#')
			continue;
		size_t ks, kn, vs, vn;
		if (split(&l, &ks, &kn, &vs, &vn, NULL))
			continue;	/* a line that is not key = value is left alone */
		size_t line_end = (size_t)(it.p - data);
		for (size_t k = 0; k < n; k++) {
			if (same_key(l.s + ks, kn, keys[k])) {
				if (found[k]) {
					rc = cm__fail(err, CM_ECONFLICT, l.no, (long)ks + 1,
						      "'%s' is set twice in this file; fix that first",
						      keys[k]);
					goto out;
				}
				found[k] = true;
			}
			size_t kind = key_kind_len(keys[k], strlen(keys[k]));
			bool same_kind = kn >= kind;
			for (size_t c = 0; same_kind && c < kind; c++)
				same_kind = lower((unsigned char)l.s[ks + c]) ==
					    lower((unsigned char)keys[k][c]);
			if (same_kind)
				after[k] = line_end;
		}
	}
	if (rc < 0)
		goto out;
	rc = 0;
	/* pass 2: copy, replacing values and inserting new keys */
	cm__lines_init(&it, data, len);
	while (cm__lines_next(&it, &l, NULL) == 1) {
		size_t start = (size_t)(l.s - data), end = (size_t)(it.p - data);
		size_t ks, kn, vs, vn;
		size_t i = 0;
		cm__skip_ws(l.s, l.n, &i);
		bool kv = i < l.n && l.s[i] != '#' && split(&l, &ks, &kn, &vs, &vn, NULL) == 0;
		bool replaced = false;
		for (size_t k = 0; kv && k < n; k++) {
			if (!same_key(l.s + ks, kn, keys[k]))
				continue;
			/* the key, '=' and spacing as they were; the value quoted */
			size_t val_start = vs;
			if (val_start > 0 && l.s[val_start - 1] == '"')
				val_start--;
			char want[256];
			snprintf(want, sizeof want, "\"%s\"", values[k]);
			size_t vend = vs + vn + (vs + vn < l.n && l.s[vs + vn] == '"' ? 1 : 0);
			bool same = vend - val_start == strlen(want) &&
				    memcmp(l.s + val_start, want, strlen(want)) == 0;
			if (!same) {
				cm_buf_add(out, data + start, val_start);
				cm_buf_puts(out, want);
				cm_buf_add(out, l.s + vend, end - (start + vend));
				count++;
				replaced = true;
			}
		}
		if (!replaced)
			cm_buf_add(out, data + start, end - start);
		/* new keys whose kind ends here */
		for (size_t k = 0; k < n; k++) {
			if (found[k] || after[k] != end || after[k] == 0)
				continue;
			if (end == len && !final_eol)
				cm_buf_puts(out, eol);
			cm_buf_printf(out, "%s = \"%s\"%s", keys[k], values[k],
				      end == len && !final_eol ? "" : eol);
			found[k] = true;
			count++;
		}
	}
	/* keys of a kind the file does not have: at the end */
	bool need_eol = len > 0 && !final_eol;
	for (size_t k = 0; k < n; k++) {
		if (found[k])
			continue;
		if (need_eol) {
			cm_buf_puts(out, eol);
			need_eol = false;
		}
		bool last = true;
		for (size_t j = k + 1; j < n; j++)
			last &= found[j];
		cm_buf_printf(out, "%s = \"%s\"%s", keys[k], values[k],
			      last && len > 0 && !final_eol ? "" : eol);
		found[k] = true;
		count++;
	}
	if (out->err)
		rc = cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	else if (changed)
		*changed = count;
out:
	free(found);
	free(after);
	return rc;
}
