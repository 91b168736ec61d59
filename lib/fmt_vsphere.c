/*
 * fmt_vsphere.c - vSphere HostCpuIdInfo feature vectors as tools print them: govc's JSON
 * (host.info --json, object.collect -json) and the Go literal of govc object.collect -dump and
 * govmomi (real samples in tests/data/formats/vsphere/), and the shapes PowerCLI's Format-List
 * and pyVmomi's repr would have (UNCONFIRMED: no real output found; PowerCLI's is tested on a
 * constructed sample only). Only the key/value shape matters:
 *
 *   Level: -2147483647          "Level": 1,         level = 1           Level : 1
 *   Eax:   "0000:0000:...:1101" "Eax": "0000:...",  eax = '0000:...'    Eax   : 0000:...
 *
 * Registers are 32 bits, leftmost = bit 31, in groups of four joined by ':' (the 32-char
 * form without ':' is accepted too); '-' is a bit vSphere does not know. Level is the
 * CPUID leaf as a signed 32-bit number (0x80000001 prints as -2147483647). A vector names
 * a few leaves only, so the snapshot is partial: every other leaf is unknown.
 *
 * A host record has per-package vectors (CpuPkg[i].CpuFeature) and the host-wide one
 * (CpuFeature), which vSphere uses for compatibility. The host-wide vectors are read by
 * default, one snapshot per host; --cpu N takes the N-th vector of the file instead
 * (counting every vector, packages included, from 0).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

enum key { KEY_NONE, KEY_LEVEL, KEY_VENDOR, KEY_EAX, KEY_EBX, KEY_ECX, KEY_EDX, KEY_PKG,
	   KEY_FEATURE };

/* Case-insensitive comparison of [s, s+n) with a lower-case word. */
static bool word_is(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);
	if (n != k)
		return false;
	for (size_t i = 0; i < k; i++) {
		int c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != w[i])
			return false;
	}
	return true;
}

/*
 * Split "  KEY<sep>VALUE" where KEY may be quoted and sep is ':' or '='. Returns the key and
 * sets *vs to the start of the value (after blanks), *indent to the key's column.
 */
static enum key split(const char *s, size_t n, size_t *vs, size_t *indent)
{
	size_t i = 0;
	cm__skip_ws(s, n, &i);
	*indent = i;
	bool quoted = i < n && s[i] == '"';
	if (quoted)
		i++;
	size_t ks = i;
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
			 (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
		i++;
	size_t kn = i - ks;
	if (quoted) {
		if (i >= n || s[i] != '"')
			return KEY_NONE;
		i++;
	}
	cm__skip_ws(s, n, &i);
	if (i >= n || (s[i] != ':' && s[i] != '='))
		return KEY_NONE;
	i++;
	cm__skip_ws(s, n, &i);
	*vs = i;
	static const struct {
		const char *w;
		enum key k;
	} keys[] = { { "level", KEY_LEVEL }, { "vendor", KEY_VENDOR }, { "eax", KEY_EAX },
		     { "ebx", KEY_EBX },     { "ecx", KEY_ECX },	     { "edx", KEY_EDX },
		     { "cpupkg", KEY_PKG },  { "cpufeature", KEY_FEATURE } };
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		if (word_is(s + ks, kn, keys[k].w))
			return keys[k].k;
	return KEY_NONE;
}

int cm__probe_vsphere(const char *data, size_t len)
{
	struct cm__lines it;
	struct cm__line l;
	cm__lines_init(&it, data, len);
	bool level = false;
	for (int k = 0; k < 400 && cm__lines_next(&it, &l, NULL) == 1; k++) {
		size_t vs, ind;
		enum key key = split(l.s, l.n, &vs, &ind);
		if (key == KEY_LEVEL)
			level = true;
		if (level && key >= KEY_EAX && key <= KEY_EDX)
			return 75;
		if (cm__line_format(l.s, l.n))
			return 0;
	}
	return 0;
}

struct vec {
	uint32_t leaf;
	uint32_t reg[4], known[4];
	bool have_level, have_reg[4];
	long line;		/* of the Level key */
};

struct group {
	cm_snap *s;
	struct cm__origins o;
	bool pkg;		/* a package's vector rather than the host-wide one */
	long line;
};

struct state {
	const struct cm__reader *r;
	struct group g;
	bool open;
	long index;		/* groups seen, in file order */
	long pkg_indent;	/* column of the last "CpuPkg" key, or -1 */
	bool in_pkg;
	long emitted;
	struct vec v;
	bool have_vec;
};

/* "0000:...:1101" or 32 chars of 0, 1, '-'; quotes around it are allowed. */
static int parse_bits(const struct cm__line *l, size_t i, uint32_t *v, uint32_t *k,
		      struct cm_error *err)
{
	const char *s = l->s;
	size_t n = l->n;
	char q = 0;
	if (i < n && (s[i] == '"' || s[i] == '\''))
		q = s[i++];
	size_t start = i;
	int bits = 0;
	*v = *k = 0;
	for (; i < n && bits < 32; i++) {
		char c = s[i];
		if (c == ':' && bits % 4 == 0 && bits > 0)
			continue;
		if (c != '0' && c != '1' && c != '-') {
			if (strchr("xXTFRH", c))
				return cm__fail(err, CM_EUNSUPPORTED, l->no, (long)i + 1,
						"'%c' is a requirement character: this is a VM "
						"mask, not a host feature vector", c);
			return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
					"expected 0, 1 or - (bit %d counting from the left)",
					bits + 1);
		}
		*v <<= 1;
		*k <<= 1;
		if (c != '-') {
			*k |= 1;
			*v |= (uint32_t)(c == '1');
		}
		bits++;
	}
	if (bits < 32)
		return cm__fail(err, CM_EPARSE, l->no, (long)start + 1,
				"a register needs 32 bits (8 groups of 4), this has %d", bits);
	if (q) {
		if (i >= n || s[i] != q)
			return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
					"expected the closing quote after 32 bits");
		i++;
	}
	if (i < n && s[i] == ',')
		i++;
	if (!cm__rest_blank(s, n, i))
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
				"unexpected text after the 32 bits");
	return 0;
}

static int parse_level(const struct cm__line *l, size_t i, uint32_t *leaf, struct cm_error *err)
{
	const char *s = l->s;
	size_t n = l->n, start = i;
	bool neg = i < n && s[i] == '-';
	if (neg)
		i++;
	uint32_t v;
	int rc;
	if (!neg && i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
		rc = cm__hex32(s, n, &i, true, &v);
	else
		rc = cm__dec32(s, n, &i, &v);
	if (rc == 0 && neg && v > 0x80000000u)
		rc = CM_ERANGE;
	if (rc == CM_ERANGE)
		return cm__fail(err, rc, l->no, (long)start + 1,
				"level is outside a signed or unsigned 32-bit number");
	if (rc)
		return cm__fail(err, rc, l->no, (long)start + 1, "expected a number after level");
	*leaf = neg ? (uint32_t)(0u - v) : v;
	if (i < n && s[i] == ',')
		i++;
	if (!cm__rest_blank(s, n, i))
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
				"unexpected text after the level");
	return 0;
}

static int flush_vec(struct state *st)
{
	if (!st->have_vec)
		return 0;
	st->have_vec = false;
	struct vec *v = &st->v;
	if (!v->have_level)
		return cm__fail(st->r->err, CM_EPARSE, v->line, -1,
				"registers without a level (leaf)");
	for (int r = 0; r < 4; r++)
		if (!v->have_reg[r])
			return cm__fail(st->r->err, CM_EPARSE, v->line, -1,
					"level %#x has no %s: a HostCpuIdInfo has all four "
					"registers (is the file cut short?)", v->leaf, cm_reg_name(r));
	return cm__add_result(st->g.s, &st->g.o, v->leaf, CM_NO_SUBLEAF, v->reg, v->known,
			      v->line, true, st->r->err);
}

static int close_group(struct state *st)
{
	int rc = flush_vec(st);
	if (rc || !st->open)
		return rc;
	st->open = false;
	cm_snap *s = st->g.s;
	st->g.s = NULL;
	cm__origins_free(&st->g.o);
	if (cm_snap_count(s) == 0) {	/* "CpuFeature": [] */
		cm_snap_free(s);
		return 0;
	}
	long idx = st->index++;
	const struct cm_read_opts *o = st->r->opts;
	bool want = o->cpu >= 0 ? idx == o->cpu : !st->g.pkg;
	if (!want) {
		cm_snap_free(s);
		return 0;
	}
	char src[600];
	snprintf(src, sizeof src, "%s (%s vector %ld)", st->r->name,
		 st->g.pkg ? "package" : "host", idx);
	if (cm_snap_set_source(s, src)) {
		cm_snap_free(s);
		return cm__fail(st->r->err, CM_ENOMEM, -1, -1, "out of memory");
	}
	st->emitted++;
	return st->r->emit(s, idx, st->r->payload);
}

static int open_group(struct state *st, long line)
{
	int rc = close_group(st);
	if (rc)
		return rc;
	if (cm_snap_new(&st->g.s))
		return cm__fail(st->r->err, CM_ENOMEM, -1, -1, "out of memory");
	cm_snap_set_complete(st->g.s, false);
	st->g.pkg = st->in_pkg;
	st->g.line = line;
	st->open = true;
	return 0;
}

int cm__read_vsphere(const struct cm__reader *r)
{
	struct state st;
	memset(&st, 0, sizeof st);
	st.r = r;
	st.pkg_indent = -1;
	struct cm__lines it;
	struct cm__line l;
	int rc;
	/* packages, when kept, go to the caller too; the first vector when there is no host one */
	cm__lines_init(&it, r->data, r->len);
	while ((rc = cm__lines_next(&it, &l, r->err)) == 1) {
		size_t vs, ind;
		enum key key = split(l.s, l.n, &vs, &ind);
		if (key == KEY_NONE) {
			if ((rc = cm__foreign_line(&l, "vsphere", r->err)))
				break;
			continue;
		}
		if (key == KEY_PKG) {
			st.pkg_indent = (long)ind;
			st.in_pkg = true;
			continue;
		}
		if (key == KEY_FEATURE) {
			if (st.pkg_indent >= 0 && (long)ind <= st.pkg_indent)
				st.in_pkg = false;
			if ((rc = open_group(&st, l.no)))
				break;
			continue;
		}
		if (key == KEY_VENDOR)
			continue;
		if (key == KEY_LEVEL) {
			if ((rc = flush_vec(&st)))
				break;
			uint32_t leaf = 0;
			if ((rc = parse_level(&l, vs, &leaf, r->err)))
				break;
			/* a list without a CpuFeature key starts a vector set at level 0; any
			 * other repeated level is a duplicate, which cm__add_result refuses */
			if (!st.open || (leaf == 0 && cm_snap_count(st.g.s)))
				if ((rc = open_group(&st, l.no)))
					break;
			memset(&st.v, 0, sizeof st.v);
			st.v.leaf = leaf;
			st.v.have_level = true;
			st.v.line = l.no;
			st.have_vec = true;
			continue;
		}
		/* a register */
		int reg = key - KEY_EAX;
		if (!st.have_vec) {
			rc = cm__fail(r->err, CM_EPARSE, l.no, (long)ind + 1,
				      "a register before any level (leaf)");
			break;
		}
		if (st.v.have_reg[reg]) {
			rc = cm__fail(r->err, CM_ECONFLICT, l.no, (long)ind + 1,
				      "%s given twice for level %#x", cm_reg_name(reg), st.v.leaf);
			break;
		}
		if ((rc = parse_bits(&l, vs, &st.v.reg[reg], &st.v.known[reg], r->err)))
			break;
		st.v.have_reg[reg] = true;
	}
	if (!rc)
		rc = close_group(&st);
	if (!rc && st.emitted == 0) {
		if (r->opts->cpu >= 0)
			rc = cm__fail(r->err, CM_ENOTFOUND, -1, -1,
				      "no vector %ld: the file has %ld (counting from 0)",
				      r->opts->cpu, st.index);
		else if (st.index > 0)
			rc = cm__fail(r->err, CM_ENOTFOUND, -1, -1,
				      "only per-package vectors here, no host-wide CpuFeature; "
				      "give --cpu N to take package vector N");
	}
	cm_snap_free(st.g.s);
	cm__origins_free(&st.g.o);
	return rc;
}
