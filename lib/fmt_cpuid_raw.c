/*
 * fmt_cpuid_raw.c - Todd Allen's `cpuid -r` raw output:
 *
 *   CPU 0:                       (or "CPU:" with -1; absent in the oldest versions)
 *      0x00000007 0x00: eax=0x00000000 ebx=0x00000281 ecx=0x00000000 edx=0x00000000
 *      0x00000001: eax=...       (old form without subleaf)
 *
 * Any hex width is accepted, as cpuid -f accepts it. In the old form a leaf that takes a
 * subleaf is numbered by its running count, as cpuid -f numbers it; other leaves have no
 * subleaf. Blank lines and '#' comments are allowed (cpuid -f itself refuses them).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* "0xHEX" as cpuid writes it. */
static int hex_token(const struct cm__line *l, size_t *i, uint32_t *v, const char *what,
		     struct cm_error *err)
{
	size_t start = *i;
	if (!(l->n - *i >= 2 && l->s[*i] == '0' && (l->s[*i + 1] == 'x' || l->s[*i + 1] == 'X')))
		return cm__fail(err, CM_EPARSE, l->no, (long)start + 1,
				"expected %s as 0x followed by hex digits", what);
	int rc = cm__hex32(l->s, l->n, i, true, v);
	if (rc == CM_ERANGE)
		return cm__fail(err, rc, l->no, (long)start + 1,
				"%s does not fit in 32 bits", what);
	if (rc)
		return cm__fail(err, rc, l->no, (long)start + 1,
				"expected hex digits after 0x in %s", what);
	return 0;
}

/* Is this a leaf line ("0x... [0x...]: eax=...")? Only the shape, for probing. */
static bool leaf_line(const char *s, size_t n)
{
	size_t i = 0;
	cm__skip_ws(s, n, &i);
	if (!cm__starts(s + i, n - i, "0x"))
		return false;
	return cm__find(s, n, ": eax=0x") > 0;
}

static bool cpu_header(const char *s, size_t n, size_t *after)
{
	size_t i = 0;
	cm__skip_ws(s, n, &i);
	if (!cm__starts(s + i, n - i, "CPU"))
		return false;
	/* "CPU:", "CPU 3:", never "CPUID ..." */
	if (i + 3 < n && s[i + 3] != ':' && s[i + 3] != ' ' && s[i + 3] != '\t' &&
	    !(s[i + 3] >= '0' && s[i + 3] <= '9'))
		return false;
	*after = i + 3;
	return true;
}

int cm__probe_cpuid_raw(const char *data, size_t len)
{
	struct cm__lines it;
	struct cm__line l;
	cm__lines_init(&it, data, len);
	for (int k = 0; k < 64 && cm__lines_next(&it, &l, NULL) == 1; k++) {
		size_t a = 0;
		cm__skip_ws(l.s, l.n, &a);
		if (a == l.n || l.s[a] == '#')
			continue;
		if (leaf_line(l.s, l.n))
			return 90;
		if (cpu_header(l.s, l.n, &a) && l.n && l.s[l.n - 1] == ':')
			continue;
		return 0;
	}
	return 0;
}

struct state {
	const struct cm__reader *r;
	cm_snap *s;
	struct cm__origins o;
	long cpu;
	long ncpus;
	long header_line;	/* of the current CPU's header, -1 when implicit */
	/* old form: how many lines each subleaf-taking leaf has had in this CPU */
	struct {
		uint32_t leaf, count;
	} seen[32];
	size_t nseen;
	long *seen_max;		/* the highest CPU number started so far */
};

/* The subleaf of an old-form line: the leaf's running count, or none. */
static uint32_t running_subleaf(struct state *st, uint32_t leaf)
{
	if (!cm_leaf_has_subleaves(leaf))
		return CM_NO_SUBLEAF;
	for (size_t i = 0; i < st->nseen; i++)
		if (st->seen[i].leaf == leaf)
			return st->seen[i].count++;
	if (st->nseen < sizeof st->seen / sizeof st->seen[0]) {
		st->seen[st->nseen].leaf = leaf;
		st->seen[st->nseen].count = 1;
		st->nseen++;
	}
	return 0;
}

static int finish_cpu(struct state *st)
{
	if (!st->s)
		return 0;
	int rc = 0;
	if (cm_snap_count(st->s) == 0)
		return cm__fail(st->r->err, CM_EPARSE, st->header_line, -1,
				"CPU %ld has no CPUID lines", st->cpu);
	char src[512];
	if (st->ncpus > 1 || st->cpu > 0)
		snprintf(src, sizeof src, "%s (CPU %ld)", st->r->name, st->cpu);
	else
		snprintf(src, sizeof src, "%s", st->r->name);
	if (cm_snap_set_source(st->s, src)) {
		cm_snap_free(st->s);
		rc = cm__fail(st->r->err, CM_ENOMEM, -1, -1, "out of memory");
	} else
		rc = st->r->emit(st->s, st->cpu, st->r->payload);
	st->s = NULL;
	cm__origins_free(&st->o);
	return rc;
}

static int start_cpu(struct state *st, long cpu, long line)
{
	int rc = finish_cpu(st);
	if (rc)
		return rc;
	if (cm_snap_new(&st->s))
		return cm__fail(st->r->err, CM_ENOMEM, -1, -1, "out of memory");
	st->cpu = cpu;
	st->header_line = line;
	st->ncpus++;
	st->nseen = 0;
	return 0;
}

static int parse_header(struct state *st, const struct cm__line *l, size_t i, long *seen_max)
{
	cm__skip_ws(l->s, l->n, &i);
	long cpu;
	if (i < l->n && l->s[i] == ':') {
		cpu = *seen_max + 1;
		i++;
	} else {
		uint32_t v;
		size_t ns = i;
		if (cm__dec32(l->s, l->n, &i, &v) || i >= l->n || l->s[i] != ':')
			return cm__fail(st->r->err, CM_EPARSE, l->no, (long)ns + 1,
					"expected 'CPU:' or 'CPU <number>:'");
		cpu = (long)v;
		i++;
	}
	if (!cm__rest_blank(l->s, l->n, i))
		return cm__fail(st->r->err, CM_EPARSE, l->no, (long)i + 1,
				"unexpected text after the CPU header");
	if (cpu <= *seen_max && (st->ncpus > 0 || *seen_max >= 0))
		return cm__fail(st->r->err, CM_ECONFLICT, l->no, 1,
				"CPU %ld appears twice (or out of order)", cpu);
	*seen_max = cpu;
	return start_cpu(st, cpu, l->no);
}

static int parse_leaf(struct state *st, const struct cm__line *l)
{
	size_t i = 0;
	uint32_t leaf, sub = CM_NO_SUBLEAF, reg[4];
	struct cm_error *err = st->r->err;
	bool old_form = true;
	int rc = cm__foreign_line(l, "cpuid-r", err);
	if (rc)
		return rc;
	cm__skip_ws(l->s, l->n, &i);
	rc = hex_token(l, &i, &leaf, "the leaf", err);
	if (rc)
		return rc;
	cm__skip_ws(l->s, l->n, &i);
	if (i < l->n && l->s[i] != ':') {
		if ((rc = hex_token(l, &i, &sub, "the subleaf", err)))
			return rc;
		if (sub == CM_NO_SUBLEAF)
			return cm__fail(err, CM_ERANGE, l->no, -1, "subleaf 0xffffffff is out of range");
		cm__skip_ws(l->s, l->n, &i);
		old_form = false;
	}
	if (i >= l->n || l->s[i] != ':')
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1, "expected ':' after the leaf");
	i++;
	static const char *const names[4] = { "eax=", "ebx=", "ecx=", "edx=" };
	for (int r = 0; r < 4; r++) {
		cm__skip_ws(l->s, l->n, &i);
		if (!cm__starts(l->s + i, l->n - i, names[r]))
			return cm__fail(err, CM_EPARSE, l->no, (long)i + 1, "expected '%s0x...'",
					names[r]);
		i += 4;
		char what[8];
		snprintf(what, sizeof what, "%.3s", names[r]);
		if ((rc = hex_token(l, &i, &reg[r], what, err)))
			return rc;
	}
	if (!cm__rest_blank(l->s, l->n, i))
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
				"unexpected text after edx");
	if (!st->s) {
		/* lines before any header are CPU 0; a later "CPU 0:" repeats it */
		if ((rc = start_cpu(st, 0, -1)))
			return rc;
		*st->seen_max = 0;
	}
	if (old_form)
		sub = running_subleaf(st, leaf);
	return cm__add_result(st->s, &st->o, leaf, sub, reg, NULL, l->no, true, err);
}

int cm__read_cpuid_raw(const struct cm__reader *r)
{
	struct state st = { .r = r, .cpu = -1 };
	struct cm__lines it;
	struct cm__line l;
	long seen_max = -1;
	st.seen_max = &seen_max;
	int rc;
	cm__lines_init(&it, r->data, r->len);
	while ((rc = cm__lines_next(&it, &l, r->err)) == 1) {
		size_t after = 0;
		cm__skip_ws(l.s, l.n, &after);
		if (after == l.n || l.s[after] == '#')
			continue;
		if (cpu_header(l.s, l.n, &after))
			rc = parse_header(&st, &l, after, &seen_max);
		else
			rc = parse_leaf(&st, &l);
		if (rc)
			break;
	}
	if (!rc)
		rc = finish_cpu(&st);
	cm_snap_free(st.s);
	cm__origins_free(&st.o);
	return rc;
}
