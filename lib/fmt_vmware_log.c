/*
 * fmt_vmware_log.c - the CPUID lines of a VMware vmware.log, old and new styles. Whatever
 * precedes the anchor (time stamp, thread, level tag) is not parsed.
 *
 *   hostCPUID level 00000001, 0: 0x000206a7 0x00100800 0x1fbae3ff 0xbfebfbff   host view
 *   CPUID[1] level 00000001, 0: 0x...                                          host CPU 1
 *   guestCPUID level 00000001, 0: 0x...                                        guest view
 *   guest vs. host CPUID guest level 00000001,  0: 0x...                       guest view
 *   guest vs. host CPUID *host level 00000001,  0: 0x...   host value where it differs
 *
 * Subleaves are hex. In the "guest vs. host" block a leaf whose guest value is zero has no
 * line, and a host line only follows where the host differs; a host view built from that
 * block alone is therefore partial (zero guest leaves leave the host unknown).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

enum kind { K_HOST, K_CPU, K_GUEST_OLD, K_GUEST_BLOCK, K_HOST_BLOCK };

static const struct {
	const char *anchor;
	enum kind kind;
} anchors[] = {
	{ "guest vs. host CPUID guest level ", K_GUEST_BLOCK },
	{ "guest vs. host CPUID *host level ", K_HOST_BLOCK },
	{ "hostCPUID level ", K_HOST },
	{ "guestCPUID level ", K_GUEST_OLD },
	{ "CPUID[", K_CPU },
};

int cm__probe_vmware_log(const char *data, size_t len)
{
	struct cm__lines it;
	struct cm__line l;
	cm__lines_init(&it, data, len);
	/* the CPUID lines come after a few hundred lines of configuration */
	for (int k = 0; k < 5000 && cm__lines_next(&it, &l, NULL) == 1; k++) {
		const char *f = cm__line_format(l.s, l.n);
		if (f)
			return strcmp(f, "vmware-log") == 0 ? 85 : 0;
	}
	return 0;
}

/* One register line, parsed from just after "level ". */
struct rec {
	enum kind kind;
	long cpu;
	uint32_t leaf, sub, reg[4];
	long line;
};

static int parse_values(const struct cm__line *l, size_t i, struct rec *rec, struct cm_error *err)
{
	const char *s = l->s;
	size_t n = l->n, ls = i;
	if (cm__hex32(s, n, &i, false, &rec->leaf) || i - ls != 8)
		return cm__fail(err, CM_EPARSE, l->no, (long)ls + 1,
				"expected the leaf as 8 hex digits after 'level '");
	if (i >= n || s[i] != ',')
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1, "expected ',' after the leaf");
	i++;
	cm__skip_ws(s, n, &i);
	size_t ss = i;
	int rc = cm__hex32(s, n, &i, false, &rec->sub);
	if (rc || rec->sub == CM_NO_SUBLEAF)
		return cm__fail(err, rc == CM_ERANGE ? rc : CM_EPARSE, l->no, (long)ss + 1,
				"expected the subleaf in hex after ','");
	if (i >= n || s[i] != ':')
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1, "expected ':' after the subleaf");
	i++;
	static const char *const names[4] = { "eax", "ebx", "ecx", "edx" };
	for (int r = 0; r < 4; r++) {
		size_t before = i;
		cm__skip_ws(s, n, &i);
		size_t rs = i;
		if (i == before || !(i + 1 < n && s[i] == '0' && s[i + 1] == 'x'))
			return cm__fail(err, CM_EPARSE, l->no, (long)i + 1,
					"expected %s as 0x and 8 hex digits", names[r]);
		rc = cm__hex32(s, n, &i, true, &rec->reg[r]);
		if (rc == CM_ERANGE || (rc == 0 && i - rs > 10))
			return cm__fail(err, CM_ERANGE, l->no, (long)rs + 1,
					"%s does not fit in 32 bits", names[r]);
		if (rc == 0 && i - rs != 10)
			rc = CM_EPARSE;	/* VMware always writes 8 digits: fewer is a cut line */
		if (rc)
			return cm__fail(err, rc, l->no, (long)rs + 1,
					"expected %s as 0x and 8 hex digits", names[r]);
	}
	if (!cm__rest_blank(s, n, i))
		return cm__fail(err, CM_EPARSE, l->no, (long)i + 1, "unexpected text after edx");
	return 0;
}

/* 1 with *rec filled when the line is a CPUID register line, 0 when it is not, or < 0. */
static int parse_line(const struct cm__line *l, struct rec *rec, struct cm_error *err)
{
	for (size_t a = 0; a < sizeof anchors / sizeof anchors[0]; a++) {
		long at = cm__find(l->s, l->n, anchors[a].anchor);
		if (at < 0)
			continue;
		size_t i = (size_t)at + strlen(anchors[a].anchor);
		rec->kind = anchors[a].kind;
		rec->cpu = -1;
		rec->line = l->no;
		if (rec->kind == K_CPU) {
			uint32_t cpu;
			if (cm__dec32(l->s, l->n, &i, &cpu) || !cm__starts(l->s + i, l->n - i, "] "))
				continue;	/* "CPUID[" in some other message */
			i += 2;
			if (!cm__starts(l->s + i, l->n - i, "level "))
				return 0;	/* "CPUID[0] vendor: ..." and the like */
			i += 6;
			rec->cpu = (long)cpu;
		}
		int rc = parse_values(l, i, rec, err);
		return rc ? rc : 1;
	}
	return 0;
}

/* The snapshots being built, one per view. */
struct views {
	cm_snap *host, *guest_old, *guest_block, *host_block;
	struct cm__origins o_host, o_guest_old, o_guest_block, o_host_block;
	cm_snap *cpu[64];
	struct cm__origins o_cpu[64];
	long ncpu;
	long last_guest_line;	/* the guest line a "*host" line belongs to */
	uint32_t last_guest_leaf, last_guest_sub;
};

static int add(cm_snap **s, struct cm__origins *o, const struct rec *rec, struct cm_error *err)
{
	if (!*s && cm_snap_new(s))
		return cm__fail(err, CM_ENOMEM, rec->line, -1, "out of memory");
	return cm__add_result(*s, o, rec->leaf, rec->sub, rec->reg, NULL, rec->line, true, err);
}

static int take(struct views *v, const struct rec *rec, struct cm_error *err)
{
	switch (rec->kind) {
	case K_HOST:
		return add(&v->host, &v->o_host, rec, err);
	case K_GUEST_OLD:
		return add(&v->guest_old, &v->o_guest_old, rec, err);
	case K_GUEST_BLOCK:
		v->last_guest_line = rec->line;
		v->last_guest_leaf = rec->leaf;
		v->last_guest_sub = rec->sub;
		return add(&v->guest_block, &v->o_guest_block, rec, err);
	case K_HOST_BLOCK:
		if (v->last_guest_line != rec->line - 1 || v->last_guest_leaf != rec->leaf ||
		    v->last_guest_sub != rec->sub)
			return cm__fail(err, CM_EPARSE, rec->line, 1,
					"a '*host' line must follow the 'guest' line of the same "
					"leaf and subleaf");
		return add(&v->host_block, &v->o_host_block, rec, err);
	case K_CPU:
		if (rec->cpu >= (long)(sizeof v->cpu / sizeof v->cpu[0]))
			return cm__fail(err, CM_ERANGE, rec->line, 1,
					"CPUID[%ld]: more host CPUs than cpuidmask keeps apart (64)",
					rec->cpu);
		if (rec->cpu + 1 > v->ncpu)
			v->ncpu = rec->cpu + 1;
		return add(&v->cpu[rec->cpu], &v->o_cpu[rec->cpu], rec, err);
	}
	return 0;
}

/*
 * The host view from the "guest vs. host" block: the host line where there is one, else the
 * guest value, which the host shares; hypervisor leaves are the guest's own. Leaves with a
 * zero guest value are not in the block, so the host view is partial.
 */
static int host_from_block(struct views *v, cm_snap **out, struct cm_error *err)
{
	cm_snap *s;
	if (cm_snap_new(&s))
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	cm_snap_set_complete(s, false);
	for (size_t i = 0; v->guest_block && i < cm_snap_count(v->guest_block); i++) {
		const struct cm_leaf *g = cm_snap_at(v->guest_block, i);
		if ((g->leaf & 0xf0000000u) == 0x40000000u)
			continue;
		const struct cm_leaf *h =
			v->host_block ? cm_snap_find(v->host_block, g->leaf, g->subleaf) : NULL;
		if (cm_snap_add(s, g->leaf, g->subleaf, (h ? h : g)->reg, NULL)) {
			cm_snap_free(s);
			return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
		}
	}
	if (cm_snap_count(s) == 0) {
		cm_snap_free(s);
		return cm__fail(err, CM_ENOTFOUND, -1, -1,
				"the 'guest vs. host CPUID' block has only hypervisor leaves: no "
				"host CPUID in this log");
	}
	*out = s;
	return 0;
}

static int emit(const struct cm__reader *r, cm_snap **s, long cpu, const char *what)
{
	char src[600];
	snprintf(src, sizeof src, "%s (%s)", r->name, what);
	if (cm_snap_set_source(*s, src))
		return cm__fail(r->err, CM_ENOMEM, -1, -1, "out of memory");
	cm_snap *x = *s;
	*s = NULL;
	return r->emit(x, cpu, r->payload);
}

static int choose(const struct cm__reader *r, struct views *v)
{
	const struct cm_read_opts *o = r->opts;
	if (o->view == CM_VIEW_GUEST) {
		if (o->cpu >= 0)
			return cm__fail(r->err, CM_EUNSUPPORTED, -1, -1,
					"--cpu selects a host CPU; the guest view has none");
		if (v->guest_block && v->guest_old)
			return cm__fail(r->err, CM_ECONFLICT, -1, -1,
					"the log has both 'guestCPUID' lines and a 'guest vs. "
					"host' block; cannot tell which is the guest");
		if (v->guest_block)
			return emit(r, &v->guest_block, 0, "guest");
		if (v->guest_old)
			return emit(r, &v->guest_old, 0, "guest");
		return cm__fail(r->err, CM_ENOTFOUND, -1, -1,
				"no guest CPUID in this log (no 'guestCPUID' lines, no 'guest "
				"vs. host CPUID' block): was the VM powered on?");
	}
	if (o->cpu >= 0) {
		for (long c = 0; c < v->ncpu; c++) {
			if (!v->cpu[c])
				continue;
			char what[32];
			snprintf(what, sizeof what, "host CPU %ld", c);
			int rc = emit(r, &v->cpu[c], c, what);
			if (rc)
				return rc;
		}
		if (v->ncpu == 0)
			return cm__fail(r->err, CM_ENOTFOUND, -1, -1,
					"--cpu: this log has no per-CPU 'CPUID[n]' lines, only the "
					"common host view");
		return 0;
	}
	if (v->host)
		return emit(r, &v->host, 0, "host");
	if (v->guest_block) {
		cm_snap *s;
		int rc = host_from_block(v, &s, r->err);
		if (rc)
			return rc;
		rc = emit(r, &s, 0, "host, from the guest vs. host block");
		cm_snap_free(s);
		return rc;
	}
	for (long c = 0; c < v->ncpu; c++)
		if (v->cpu[c])
			return emit(r, &v->cpu[c], c, "host CPU");
	return cm__fail(r->err, CM_ENOTFOUND, -1, -1,
			"no host CPUID in this log (no 'hostCPUID', 'CPUID[n]' or 'guest vs. "
			"host CPUID' lines)");
}

int cm__read_vmware_log(const struct cm__reader *r)
{
	struct views v;
	memset(&v, 0, sizeof v);
	v.last_guest_line = -2;
	struct cm__lines it;
	struct cm__line l;
	int rc;
	cm__lines_init(&it, r->data, r->len);
	while ((rc = cm__lines_next(&it, &l, r->err)) == 1) {
		/* a line with an anchor is parsed, and a broken one is an error */
		struct rec rec;
		rc = parse_line(&l, &rec, r->err);
		if (rc < 0)
			break;
		if (rc == 1) {
			if ((rc = take(&v, &rec, r->err)))
				break;
			continue;
		}
		if ((rc = cm__foreign_line(&l, "vmware-log", r->err)))
			break;
	}
	if (!rc)
		rc = choose(r, &v);
	cm_snap_free(v.host);
	cm_snap_free(v.guest_old);
	cm_snap_free(v.guest_block);
	cm_snap_free(v.host_block);
	cm__origins_free(&v.o_host);
	cm__origins_free(&v.o_guest_old);
	cm__origins_free(&v.o_guest_block);
	cm__origins_free(&v.o_host_block);
	for (size_t c = 0; c < sizeof v.cpu / sizeof v.cpu[0]; c++) {
		cm_snap_free(v.cpu[c]);
		cm__origins_free(&v.o_cpu[c]);
	}
	return rc;
}
