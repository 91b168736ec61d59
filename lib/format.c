/*
 * format.c - the table of input formats, detection, and the two read entry points. Each
 * format's reader lives in fmt_<name>.c and has the same shape (struct cm__reader).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct format {
	struct cm_format_info info;
	int (*probe)(const char *data, size_t len);
	int (*read)(const struct cm__reader *r);
};

static const struct format formats[] = {
	{ { "cpuidmask", "cpuidmask's own dump format (cpuidmask dump; several per file)", true,
	    false, true },
	  cm__probe_canonical, cm__read_canonical },
	{ { "cpuid-r", "Todd Allen's cpuid -r raw output (one or all CPUs)", true, false, false },
	  cm__probe_cpuid_raw, cm__read_cpuid_raw },
	{ { "instlat", "InstLatx64 CPUID dump (.txt)", true, false, false },
	  cm__probe_instlat, cm__read_instlat },
	{ { "vmware-log", "VMware vmware.log (hostCPUID, guestCPUID, CPUID[n] lines)", true, true,
	    false },
	  cm__probe_vmware_log, cm__read_vmware_log },
	{ { "libvirt", "libvirt CPU data XML (<cpudata arch='x86'>)", false, false, false },
	  cm__probe_libvirt, cm__read_libvirt },
	{ { "vsphere", "vSphere HostCpuIdInfo (PowerCLI, govc), known leaves only", true, false,
	    true },
	  cm__probe_vsphere, cm__read_vsphere },
};

size_t cm_format_count(void)
{
	return CM_ARRAY_SIZE(formats);
}

const struct cm_format_info *cm_format_at(size_t i)
{
	return i < CM_ARRAY_SIZE(formats) ? &formats[i].info : NULL;
}

static const struct format *best_format(const char *data, size_t len)
{
	const struct format *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < CM_ARRAY_SIZE(formats); i++) {
		int score = formats[i].probe(data, len);
		if (score > best_score) {
			best_score = score;
			best = &formats[i];
		}
	}
	return best;
}

const struct cm_format_info *cm_format_probe(const char *data, size_t len)
{
	const struct format *f = best_format(data, len);
	return f ? &f->info : NULL;
}

/* ---- collecting what a reader emits, so callers see nothing from a bad file */

struct collected {
	cm_snap **v;
	long *cpu;
	size_t n, cap;
	int rc;
};

static int collect(cm_snap *s, long cpu, void *payload)
{
	struct collected *c = payload;
	if (cm_snap_count(s) == 0) {	/* every reader promises results; keep it so */
		cm_snap_free(s);
		return CM_EPARSE;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4;
		cm_snap **v = realloc(c->v, cap * sizeof *v);
		if (!v) {
			cm_snap_free(s);
			return CM_ENOMEM;
		}
		c->v = v;
		long *k = realloc(c->cpu, cap * sizeof *k);
		if (!k) {
			cm_snap_free(s);
			return CM_ENOMEM;
		}
		c->cpu = k;
		c->cap = cap;
	}
	c->v[c->n] = s;
	c->cpu[c->n] = cpu;
	c->n++;
	return 0;
}

static void collected_free(struct collected *c)
{
	for (size_t i = 0; i < c->n; i++)
		cm_snap_free(c->v[i]);
	free(c->v);
	free(c->cpu);
}

static bool all_blank(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\n' && data[i] != '\r')
			return false;
	return true;
}

static int read_all(const char *data, size_t len, const char *name,
		    const struct cm_read_opts *opts, struct collected *c, struct cm_error *err)
{
	static const struct cm_read_opts defaults = CM_READ_OPTS_INIT;
	if (!opts)
		opts = &defaults;
	if (all_blank(data, len))
		return cm__fail(err, CM_EPARSE, 1, -1, "empty input: no CPUID data");
	const struct format *f = NULL;
	if (opts->format) {
		for (size_t i = 0; i < CM_ARRAY_SIZE(formats); i++)
			if (strcmp(formats[i].info.name, opts->format) == 0)
				f = &formats[i];
		if (!f)
			return cm__fail(err, CM_ENOTFOUND, -1, -1,
					"unknown format '%s' (see 'cpuidmask formats')",
					opts->format);
	} else {
		f = best_format(data, len);
		if (!f) {
			/* say why when a line of the start is not text at all */
			struct cm__lines it;
			struct cm__line l;
			int rc;
			cm__lines_init(&it, data, len);
			for (int k = 0; k < 64 && (rc = cm__lines_next(&it, &l, err)) == 1; k++)
				;
			if (rc < 0)
				return rc;
			return cm__fail(err, CM_EPARSE, 1, -1,
					"not a CPUID dump in any known format (see 'cpuidmask "
					"formats'; give --format to force one)");
		}
	}
	struct cm__reader r = { data, len, name ? name : "", opts, collect, c, err };
	int rc = f->read(&r);
	if (rc) {
		if (err && (!err->msg[0] || err->code != rc))
			cm__fail(err, rc, -1, -1, "cannot read %s data: %s", f->info.name,
				 cm_strerror(rc));
		return rc;
	}
	if (c->n == 0)
		return cm__fail(err, CM_EPARSE, -1, -1, "no CPUID data found (%s format)",
				f->info.name);
	return 0;
}

int cm_read(cm_snap **out, const char *data, size_t len, const char *name,
	    const struct cm_read_opts *opts, struct cm_error *err)
{
	struct collected c = { 0 };
	int rc = read_all(data, len, name, opts, &c, err);
	if (rc) {
		collected_free(&c);
		return rc;
	}
	long want = opts ? opts->cpu : -1;
	size_t pick = 0;
	if (want >= 0) {
		for (pick = 0; pick < c.n && c.cpu[pick] != want; pick++)
			;
		if (pick == c.n) {
			long lo = c.cpu[0], hi = c.cpu[0];
			for (size_t i = 1; i < c.n; i++) {
				lo = c.cpu[i] < lo ? c.cpu[i] : lo;
				hi = c.cpu[i] > hi ? c.cpu[i] : hi;
			}
			rc = lo == hi ? cm__fail(err, CM_ENOTFOUND, -1, -1,
						 "no CPU %ld here: the data holds only CPU %ld",
						 want, lo)
				      : cm__fail(err, CM_ENOTFOUND, -1, -1,
						 "no CPU %ld here: the data holds CPUs %ld to %ld",
						 want, lo, hi);
			collected_free(&c);
			return rc;
		}
	}
	*out = c.v[pick];
	c.v[pick] = NULL;
	collected_free(&c);
	return 0;
}

int cm_read_each(const char *data, size_t len, const char *name, const struct cm_read_opts *opts,
		 cm_snap_cb cb, void *payload, struct cm_error *err)
{
	struct collected c = { 0 };
	int rc = read_all(data, len, name, opts, &c, err);
	for (size_t i = 0; !rc && i < c.n; i++) {
		if (opts && opts->cpu >= 0 && c.cpu[i] != opts->cpu)
			continue;
		cm_snap *s = c.v[i];
		c.v[i] = NULL;
		rc = cb(s, c.cpu[i], payload);
	}
	collected_free(&c);
	return rc;
}

/* ---- duplicate-aware adding, shared by the readers */

void cm__origins_free(struct cm__origins *o)
{
	free(o->v);
	o->v = NULL;
	o->n = o->cap = 0;
}

int cm__add_result(cm_snap *s, struct cm__origins *o, uint32_t leaf, uint32_t subleaf,
		   const uint32_t reg[4], const uint32_t known[4], long line, bool same_ok,
		   struct cm_error *err)
{
	int rc = cm_snap_add(s, leaf, subleaf, reg, known);
	if (rc == CM_ENOMEM)
		return cm__fail(err, rc, line, -1, "out of memory");
	if (rc == CM_ERANGE)
		return cm__fail(err, rc, line, -1,
				"more than %d CPUID results for one CPU: this is not one CPU's "
				"dump", CM_SNAP_MAX);
	if (rc == CM_ECONFLICT) {
		const struct cm_leaf *e = cm_snap_find(s, leaf, subleaf);
		bool same = true;
		for (int i = 0; i < 4; i++) {
			uint32_t k = known ? known[i] : UINT32_MAX;
			if (e->known[i] != k || e->reg[i] != (reg[i] & k))
				same = false;
		}
		if (same && same_ok)
			return 0;
		long first = -1;
		for (size_t i = 0; i < o->n; i++)
			if (o->v[i].leaf == leaf && o->v[i].subleaf == subleaf)
				first = o->v[i].line;
		char sub[24] = "";
		if (subleaf != CM_NO_SUBLEAF)
			snprintf(sub, sizeof sub, " subleaf 0x%x", subleaf);
		rc = cm__fail(err, CM_ECONFLICT, line, -1,
			      "leaf 0x%08x%s given again (first on line %ld)%s", leaf, sub, first,
			      same ? "" : " with different values");
		if (err) {
			err->leaf = leaf;
			err->subleaf = subleaf;
		}
		return rc;
	}
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct cm__origin *v = realloc(o->v, cap * sizeof *v);
		if (!v)
			return cm__fail(err, CM_ENOMEM, line, -1, "out of memory");
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = (struct cm__origin){ leaf, subleaf, line };
	return 0;
}
