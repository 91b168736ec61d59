/* fmt_canonical.c - cpuidmask's own dump format (docs/dump-format.md): reader and writer. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define MAGIC "cpuidmask-dump"
#define MAX_SOURCE 1023

int cm__probe_canonical(const char *data, size_t len)
{
	struct cm__lines it;
	struct cm__line l;
	cm__lines_init(&it, data, len);
	for (int k = 0; k < 64 && cm__lines_next(&it, &l, NULL) == 1; k++) {
		size_t i = 0;
		cm__skip_ws(l.s, l.n, &i);
		if (i == l.n || l.s[i] == '#')
			continue;
		return cm__starts(l.s + i, l.n - i, MAGIC) ? 100 : 0;
	}
	return 0;
}

/* A register: hex, "--------" (unknown), or VALUE/KNOWN. */
static int parse_reg(const struct cm__line *l, size_t *i, uint32_t *v, uint32_t *k,
		     struct cm_error *err, const char *which)
{
	size_t start = *i;
	if (l->n - *i >= 8 && memcmp(l->s + *i, "--------", 8) == 0) {
		*i += 8;
		*v = 0;
		*k = 0;
		return 0;
	}
	int rc = cm__hex32(l->s, l->n, i, false, v);
	if (rc == 0 && *i - start > 8)
		rc = CM_ERANGE;
	if (rc == CM_ERANGE)
		return cm__fail(err, rc, l->no, (long)start + 1,
				"%s value has more than 8 hex digits", which);
	if (rc)
		return cm__fail(err, rc, l->no, (long)start + 1,
				"expected the %s value (hex digits or --------)", which);
	*k = UINT32_MAX;
	if (*i < l->n && l->s[*i] == '/') {
		(*i)++;
		size_t ks = *i;
		rc = cm__hex32(l->s, l->n, i, false, k);
		if (rc == 0 && *i - ks > 8)
			rc = CM_ERANGE;
		if (rc)
			return cm__fail(err, rc == CM_ERANGE ? rc : CM_EPARSE, l->no, (long)ks + 1,
					"expected the mask of known %s bits after '/' (1 to 8 hex "
					"digits)", which);
		if (*v & ~*k)
			return cm__fail(err, CM_ERANGE, l->no, (long)start + 1,
					"%s has bits set that its mask says are unknown", which);
	}
	return 0;
}

static int parse_result(const struct cm__line *l, size_t i, cm_snap *s, struct cm__origins *o,
			struct cm_error *err)
{
	uint32_t leaf, sub = CM_NO_SUBLEAF, reg[4], known[4];
	size_t start = i;
	int rc = cm__hex32(l->s, l->n, &i, false, &leaf);
	if (rc == 0 && i - start > 8)
		rc = CM_ERANGE;
	if (rc == CM_ERANGE)
		return cm__fail(err, rc, l->no, (long)start + 1, "leaf has more than 8 hex digits");
	if (rc)
		return cm__fail(err, rc, l->no, (long)start + 1,
				"expected a result line 'LEAF[.SUB] EAX EBX ECX EDX', a "
				"'key: value' line or a # comment");
	if (i < l->n && l->s[i] == '.') {
		size_t ss = ++i;
		rc = cm__hex32(l->s, l->n, &i, false, &sub);
		if (rc == CM_ERANGE || (rc == 0 && (sub == CM_NO_SUBLEAF || i - ss > 8)))
			return cm__fail(err, CM_ERANGE, l->no, (long)ss + 1,
					"subleaf is out of range (at most 8 hex digits, below "
					"ffffffff)");
		if (rc)
			return cm__fail(err, rc, l->no, (long)ss + 1,
					"expected the subleaf in hex after '.'");
	}
	static const char *const names[4] = { "eax", "ebx", "ecx", "edx" };
	for (int r = 0; r < 4; r++) {
		size_t before = i;
		cm__skip_ws(l->s, l->n, &i);
		if (i == before || i == l->n)
			return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
					"expected four registers after the leaf; %s is missing",
					names[r]);
		rc = parse_reg(l, &i, &reg[r], &known[r], err, names[r]);
		if (rc)
			return rc;
	}
	if (!cm__rest_blank(l->s, l->n, i))
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
				"unexpected text after the four registers");
	return cm__add_result(s, o, leaf, sub, reg, known, l->no, false, err);
}

/* "key: value" header lines. */
static int parse_meta(const struct cm__line *l, size_t i, cm_snap *s, bool *seen_source,
		      bool *seen_complete, struct cm_error *err)
{
	const char *p = l->s + i;
	size_t n = l->n - i;
	if (cm__starts(p, n, "source:")) {
		if (*seen_source)
			return cm__fail(err, CM_ECONFLICT, l->no, (long)i + 1,
					"'source:' given twice");
		*seen_source = true;
		size_t j = 7;
		cm__skip_ws(p, n, &j);
		size_t end = n;
		while (end > j && (p[end - 1] == ' ' || p[end - 1] == '\t'))
			end--;
		char buf[MAX_SOURCE + 1];
		if (end - j >= sizeof buf)
			return cm__fail(err, CM_ERANGE, l->no, (long)(i + j) + 1,
					"source text is longer than %zu bytes", sizeof buf - 1);
		if (end == j)
			return cm__fail(err, CM_EPARSE, l->no, (long)(i + j) + 1,
					"'source:' without text; leave the line out instead");
		memcpy(buf, p + j, end - j);
		buf[end - j] = '\0';
		for (size_t k = 0; buf[k]; k++)
			if ((unsigned char)buf[k] < 0x20 && buf[k] != '\t')
				return cm__fail(err, CM_EPARSE, l->no, (long)(i + j + k) + 1,
						"control character in source text");
		return cm_snap_set_source(s, buf) ? cm__fail(err, CM_ENOMEM, l->no, -1,
							     "out of memory")
						  : 0;
	}
	if (cm__starts(p, n, "complete:")) {
		if (*seen_complete)
			return cm__fail(err, CM_ECONFLICT, l->no, (long)i + 1,
					"'complete:' given twice");
		*seen_complete = true;
		size_t j = 9;
		cm__skip_ws(p, n, &j);
		if (cm__starts(p + j, n - j, "yes") && cm__rest_blank(p, n, j + 3))
			cm_snap_set_complete(s, true);
		else if (cm__starts(p + j, n - j, "no") && cm__rest_blank(p, n, j + 2))
			cm_snap_set_complete(s, false);
		else
			return cm__fail(err, CM_EPARSE, l->no, (long)(i + j) + 1,
					"'complete:' takes 'yes' or 'no'");
		return 0;
	}
	return 1; /* not a header line */
}

/* The header line "cpuidmask-dump 1": 0, 1 when the line is not one, or an error. */
static int parse_magic(const struct cm__line *l, size_t i, struct cm_error *err)
{
	if (!cm__starts(l->s + i, l->n - i, MAGIC))
		return 1;
	size_t j = i + strlen(MAGIC), vs = j;
	uint32_t version;
	cm__skip_ws(l->s, l->n, &j);
	if (j == vs || cm__dec32(l->s, l->n, &j, &version) || !cm__rest_blank(l->s, l->n, j))
		return cm__fail(err, CM_EPARSE, l->no, (long)vs + 1,
				"expected a version number after '" MAGIC "'");
	if (version != 1)
		return cm__fail(err, CM_EUNSUPPORTED, l->no, (long)vs + 2,
				"dump format version %u is newer than this cpuidmask reads (1)",
				version);
	return 0;
}

/* One dump of the file, from its header to the next header or the end. */
struct dump {
	cm_snap *s;
	struct cm__origins o;
	bool seen_source, seen_complete;
	long header;	/* line of its header */
};

static int finish_dump(const struct cm__reader *r, struct dump *d, long index, long last_line)
{
	int rc = 0;
	if (!d->s)
		return 0;
	if (cm_snap_count(d->s) == 0)
		rc = cm__fail(r->err, CM_EPARSE, last_line, -1,
			      "the dump that starts on line %ld has a header but no CPUID results",
			      d->header);
	else if (!d->seen_source && r->name[0]) {
		/* several dumps in one file: tell them apart */
		char src[600];
		if (index > 0)
			snprintf(src, sizeof src, "%s#%ld", r->name, index + 1);
		else
			snprintf(src, sizeof src, "%s", r->name);
		if (cm_snap_set_source(d->s, src))
			rc = cm__fail(r->err, CM_ENOMEM, -1, -1, "out of memory");
	}
	if (!rc) {
		rc = r->emit(d->s, index, r->payload);
		d->s = NULL;
	}
	cm_snap_free(d->s);
	cm__origins_free(&d->o);
	memset(d, 0, sizeof *d);
	return rc;
}

int cm__read_canonical(const struct cm__reader *r)
{
	struct cm__lines it;
	struct cm__line l;
	struct dump d = { 0 };
	long index = -1;
	int rc;
	cm__lines_init(&it, r->data, r->len);
	while ((rc = cm__lines_next(&it, &l, r->err)) == 1) {
		size_t i = 0;
		cm__skip_ws(l.s, l.n, &i);
		if (i == l.n || l.s[i] == '#')
			continue;
		rc = parse_magic(&l, i, r->err);
		if (rc < 0)
			goto out;
		if (rc == 0) {
			/* a header: the next dump of a file that holds several */
			if ((rc = finish_dump(r, &d, index, l.no - 1)))
				goto out;
			index++;
			if (cm_snap_new(&d.s)) {
				rc = cm__fail(r->err, CM_ENOMEM, -1, -1, "out of memory");
				goto out;
			}
			d.header = l.no;
			continue;
		}
		if (!d.s) {
			rc = cm__fail(r->err, CM_EPARSE, l.no, (long)i + 1,
				      "expected '" MAGIC " 1' as the first line");
			goto out;
		}
		rc = parse_meta(&l, i, d.s, &d.seen_source, &d.seen_complete, r->err);
		if (rc < 0)
			goto out;
		if (rc == 0)
			continue;
		if ((rc = parse_result(&l, i, d.s, &d.o, r->err)))
			goto out;
	}
	if (rc)
		goto out;
	if (index < 0) {
		rc = cm__fail(r->err, CM_EPARSE, 1, -1, "empty input: no CPUID data");
		goto out;
	}
	rc = finish_dump(r, &d, index, it.lineno);
out:
	cm_snap_free(d.s);
	cm__origins_free(&d.o);
	return rc;
}

static void put_reg(struct cm_buf *b, uint32_t v, uint32_t k)
{
	if (k == 0)
		cm_buf_puts(b, " --------");
	else if (k == UINT32_MAX)
		cm_buf_printf(b, " %08x", v);
	else
		cm_buf_printf(b, " %08x/%08x", v, k);
}

int cm_write_dump(struct cm_buf *b, const cm_snap *s)
{
	cm_buf_puts(b, MAGIC " 1\n");
	/* the source on one line, trimmed, no control characters: the reader takes it back */
	const char *src = cm_snap_source(s);
	size_t n = strlen(src);
	while (*src == ' ' || *src == '\t')
		src++, n--;
	while (n && (src[n - 1] == ' ' || src[n - 1] == '\t'))
		n--;
	if (n > MAX_SOURCE)
		n = MAX_SOURCE;
	if (n) {
		cm_buf_puts(b, "source: ");
		for (size_t i = 0; i < n; i++)
			cm_buf_add(b, ((unsigned char)src[i] < 0x20 && src[i] != '\t') ? "?" : src + i,
				   1);
		cm_buf_puts(b, "\n");
	}
	if (!cm_snap_complete(s))
		cm_buf_puts(b, "complete: no\n");
	cm_buf_puts(b, "# leaf.sub  eax      ebx      ecx      edx\n");
	for (size_t i = 0; i < cm_snap_count(s); i++) {
		const struct cm_leaf *e = cm_snap_at(s, i);
		if (e->subleaf == CM_NO_SUBLEAF)
			cm_buf_printf(b, "%08x   ", e->leaf);
		else
			cm_buf_printf(b, "%08x.%02x", e->leaf, e->subleaf);
		for (int r = 0; r < 4; r++)
			put_reg(b, e->reg[r], e->known[r]);
		cm_buf_puts(b, "\n");
	}
	return b->err;
}
