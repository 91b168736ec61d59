/*
 * fmt_instlat.c - InstLatx64 CPUID dumps (AIDA64 / EVEREST text), three layouts:
 *
 *   ------[ Logical CPU #0 ]------                  (or "CPUID Registers / Logical CPU #0")
 *   CPUID 00000000: 0000000B-756E6547-6C65746E-49656E69 [GenuineIntel]
 *   CPUID 0000000D: 000002E7-00000A80-00000A88-00000000 [SL 00] [x87]
 *
 *   CPU#000 AffMask: 0x0000000000000001             ("CPUID2" files)
 *
 *       CPUID Registers (CPU #0):                   (AIDA64 report page, no ':' after the leaf)
 *         CPUID 00000004                  1C004121-01C0003F-0000003F-00000000 [SL 00]
 *
 * Registers are EAX-EBX-ECX-EDX. "[SL nn]" is the subleaf in hex. Older files repeat the
 * line of a subleaf leaf without a tag: those count up from 0, except leaf 0xD, whose
 * untagged lines are recognised by the standard XSAVE layout (AIDA64 1.x skips subleaf 1,
 * whose bits are then unknown).
 * Everything else in these files (headers, decoded text, MSR lines) is ignored, but a line
 * of another CPUID dump format is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"


int cm__probe_instlat(const char *data, size_t len)
{
	struct cm__lines it;
	struct cm__line l;
	cm__lines_init(&it, data, len);
	for (int k = 0; k < 400 && cm__lines_next(&it, &l, NULL) == 1; k++) {
		const char *f = cm__line_format(l.s, l.n);
		if (f)
			return strcmp(f, "instlat") == 0 ? 80 : 0;
	}
	return 0;
}

/* Standard-format XSAVE components: size (EAX) and offset (EBX) of subleaf n >= 2. */
static const struct {
	uint32_t sub, size, offset;
} xsave_layout[] = {
	{ 2, 0x100, 0x240 },  { 3, 0x40, 0x3c0 },  { 4, 0x40, 0x400 },	{ 5, 0x40, 0x440 },
	{ 6, 0x200, 0x480 },  { 7, 0x400, 0x680 }, { 9, 0x8, 0xa80 },	{ 17, 0x40, 0xac0 },
	{ 18, 0x2000, 0xb00 }, { 19, 0x80, 0x980 }, /* APX reuses the MPX area */
};

struct state {
	const struct cm__reader *r;
	cm_snap *s;
	struct cm__origins o;
	long cpu;
	bool outside;		/* in a section that is not a CPU's */
	/* untagged repeats of the current leaf */
	uint32_t last_leaf;
	uint32_t repeat;
	bool have_last;
	bool seen_sub1;
	bool untagged_xsave;	/* leaf 0xD lines without [SL] tags */
};

static int finish_cpu(struct state *st)
{
	if (!st->s)
		return 0;
	int rc;
	/* AIDA64 1.x skips leaf 0xD subleaf 1 in untagged files: its bits are unknown, not 0 */
	if (st->untagged_xsave && cm_snap_find(st->s, 0xd, 0) && !cm_snap_find(st->s, 0xd, 1)) {
		static const uint32_t zero[4], none[4];
		if (cm_snap_add(st->s, 0xd, 1, zero, none)) {
			cm_snap_free(st->s);
			st->s = NULL;
			return cm__fail(st->r->err, CM_ENOMEM, -1, -1, "out of memory");
		}
	}
	if (cm_snap_count(st->s) == 0) {
		rc = 0;	/* a header with no CPUID lines (a report's other pages): skip it */
		cm_snap_free(st->s);
	} else {
		char src[600];
		snprintf(src, sizeof src, "%s (CPU #%ld)", st->r->name, st->cpu);
		if (cm_snap_set_source(st->s, src)) {
			cm_snap_free(st->s);
			rc = cm__fail(st->r->err, CM_ENOMEM, -1, -1, "out of memory");
		} else {
			rc = st->r->emit(st->s, st->cpu, st->r->payload);
		}
	}
	st->s = NULL;
	cm__origins_free(&st->o);
	return rc;
}

static int start_cpu(struct state *st, long cpu)
{
	int rc = finish_cpu(st);
	if (rc)
		return rc;
	if (cm_snap_new(&st->s))
		return cm__fail(st->r->err, CM_ENOMEM, -1, -1, "out of memory");
	st->cpu = cpu;
	st->outside = false;
	st->have_last = false;
	st->seen_sub1 = false;
	st->untagged_xsave = false;
	return 0;
}

/*
 * A section header: the CPU number it starts, HEADER_OTHER for any other "------[ ... ]------"
 * section (which ends the current CPU), or HEADER_NONE.
 */
#define HEADER_NONE (-1)
#define HEADER_OTHER (-2)
#define HEADER_BAD (-3)		/* a CPU header whose number cannot be read */
#define MAX_CPU 65535

static long number_after(const char *s, size_t n, size_t j)
{
	uint32_t v;
	if (cm__dec32(s, n, &j, &v) || v > MAX_CPU)
		return HEADER_BAD;
	return (long)v;
}

static long header_cpu(const char *s, size_t n)
{
	size_t i = 0;
	cm__skip_ws(s, n, &i);
	if (cm__starts(s + i, n - i, "------[ ")) {
		static const char *const cpu_sections[] = { "------[ Logical CPU #",
							    "------[ CPUID Registers / Logical CPU #" };
		for (size_t m = 0; m < 2; m++)
			if (cm__starts(s + i, n - i, cpu_sections[m]))
				return number_after(s, n, i + strlen(cpu_sections[m]));
		return HEADER_OTHER;
	}
	if (cm__starts(s + i, n - i, "CPU#") && cm__find(s, n, "AffMask:") > 0)
		return number_after(s, n, i + 4);
	if (cm__starts(s + i, n - i, "CPUID Registers (CPU #"))
		return number_after(s, n, i + 22);
	return HEADER_NONE;
}

static uint32_t untagged_subleaf(struct state *st, uint32_t leaf, const uint32_t r[4],
				 const struct cm__line *l, int *rc)
{
	*rc = 0;
	if (!st->have_last || st->last_leaf != leaf) {
		st->have_last = true;
		st->last_leaf = leaf;
		st->repeat = 0;
		st->seen_sub1 = false;
		return cm_leaf_has_subleaves(leaf) ? 0 : CM_NO_SUBLEAF;
	}
	st->repeat++;
	if (!cm_leaf_has_subleaves(leaf))
		return CM_NO_SUBLEAF;	/* a repeat of a plain leaf: the duplicate check decides */
	if (leaf != 0xd)
		return st->repeat;
	for (size_t i = 0; i < sizeof xsave_layout / sizeof xsave_layout[0]; i++)
		if (r[CM_EAX] == xsave_layout[i].size && r[CM_EBX] == xsave_layout[i].offset)
			return xsave_layout[i].sub;
	if (!st->seen_sub1 && r[CM_EAX] <= 0x1f) {
		st->seen_sub1 = true;	/* XSAVEOPT/XSAVEC/XGETBV1/XSAVES/XFD flags */
		return 1;
	}
	*rc = cm__fail(st->r->err, CM_EPARSE, l->no, 1,
		       "leaf 0xD line without an [SL nn] tag that is neither subleaf 1 nor a "
		       "standard XSAVE component; cannot tell its subleaf");
	return 0;
}

static int parse_cpuid(struct state *st, const struct cm__line *l, long at)
{
	const char *s = l->s;
	size_t n = l->n, i = (size_t)at + 6;
	uint32_t leaf, sub, reg[4];
	struct cm_error *err = st->r->err;
	size_t ls = i;
	if (cm__hex32(s, n, &i, false, &leaf) || i - ls != 8)
		return cm__fail(err, CM_EPARSE, l->no, (long)ls + 1,
				"expected 8 hex digits of the leaf after 'CPUID '");
	if (i < n && s[i] == ':')
		i++;
	for (int r = 0; r < 4; r++) {
		if (r == 0)
			cm__skip_ws(s, n, &i);
		else if (i < n && s[i] == '-')
			i++;
		else
			return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
					"expected '-' between the registers (EAX-EBX-ECX-EDX)");
		size_t rs = i;
		int rc = cm__hex32(s, n, &i, false, &reg[r]);
		if (rc == 0 && i - rs != 8)
			rc = i - rs > 8 ? CM_ERANGE : CM_EPARSE;
		if (rc == CM_ERANGE)
			return cm__fail(err, rc, l->no, (long)rs + 1,
					"register value has more than 8 hex digits");
		if (rc)
			return cm__fail(err, rc, l->no, (long)rs + 1,
					"expected a register as 8 hex digits");
	}
	if (i < n && s[i] != ' ' && s[i] != '\t')
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
				"unexpected text right after the four registers");
	size_t j = i;
	cm__skip_ws(s, n, &j);
	int rc = 0;
	if (cm__starts(s + j, n - j, "[SL ")) {
		size_t k = j + 4, ks = k;
		if (cm__hex32(s, n, &k, false, &sub) || k - ks > 8 || k >= n || s[k] != ']' ||
		    sub == CM_NO_SUBLEAF)
			return cm__fail(err, CM_EPARSE, l->no, (long)j + 1,
					"expected a hex subleaf in '[SL nn]'");
		st->have_last = true;
		st->last_leaf = leaf;
		st->repeat = sub;
		if (leaf == 0xd && sub == 1)
			st->seen_sub1 = true;
	} else {
		sub = untagged_subleaf(st, leaf, reg, l, &rc);
		if (rc)
			return rc;
		if (leaf == 0xd)
			st->untagged_xsave = true;
	}
	if (!st->s && (rc = start_cpu(st, 0)))
		return rc;
	return cm__add_result(st->s, &st->o, leaf, sub, reg, NULL, l->no, true, err);
}

int cm__read_instlat(const struct cm__reader *r)
{
	struct state st = { .r = r, .cpu = 0 };
	struct cm__lines it;
	struct cm__line l;
	int rc;
	uint8_t *seen = calloc(MAX_CPU + 1, 1);	/* CPU numbers met so far */
	if (!seen)
		return cm__fail(r->err, CM_ENOMEM, -1, -1, "out of memory");
	cm__lines_init(&it, r->data, r->len);
	while ((rc = cm__lines_next(&it, &l, r->err)) == 1) {
		long cpu = header_cpu(l.s, l.n);
		if (cpu == HEADER_OTHER) {
			if ((rc = finish_cpu(&st)))
				goto out;
			st.outside = true;
			continue;
		}
		if (cpu == HEADER_BAD) {
			rc = cm__fail(r->err, CM_EPARSE, l.no, 1,
				      "a CPU section header without a CPU number from 0 to %d",
				      MAX_CPU);
			goto out;
		}
		if (cpu >= 0) {
			if (seen[cpu]) {
				rc = cm__fail(r->err, CM_ECONFLICT, l.no, 1,
					      "CPU #%ld appears twice", cpu);
				goto out;
			}
			seen[cpu] = 1;
			if ((rc = start_cpu(&st, cpu)))
				goto out;
			continue;
		}
		/* "CPUID " and 8 hex digits starts a register line, however the rest looks */
		size_t i = 0;
		cm__skip_ws(l.s, l.n, &i);
		bool ours = cm__starts(l.s + i, l.n - i, "CPUID ") && l.n - i >= 14;
		for (size_t k = i + 6; ours && k < i + 14; k++)
			ours = cm__is_hex((unsigned char)l.s[k]);
		if (!ours) {
			if ((rc = cm__foreign_line(&l, "instlat", r->err)))
				goto out;
			continue;
		}
		if (st.outside) {
			rc = cm__fail(r->err, CM_EPARSE, l.no, 1,
				      "CPUID line outside a 'Logical CPU' section");
			goto out;
		}
		if (!st.s)
			seen[0] = 1;	/* lines before any header are CPU 0 */
		if ((rc = parse_cpuid(&st, &l, (long)i)))
			goto out;
	}
	if (!rc)
		rc = finish_cpu(&st);
out:
	free(seen);
	cm_snap_free(st.s);
	cm__origins_free(&st.o);
	return rc;
}
