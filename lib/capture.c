/*
 * capture.c - read the CPU this code runs on. The enumeration walks every range up to the
 * maximum its first leaf reports and every subleaf by the rule of lib/leaves.c; it is
 * written against a CPUID function so tests can run it on a recorded CPU.
 */
#define _GNU_SOURCE
#include <string.h>

#include "internal.h"
#include "leaves.h"
#include "capture.h"

/* No real range or leaf goes this far; a broken hypervisor must not make us loop. */
#define MAX_LEAVES_PER_RANGE 0x100u
#define MAX_SUBLEAVES 0x100u

struct walk {
	cm__cpuid_fn fn;
	void *ctx;
	cm_snap *s;
	int rc;
};

static void query(struct walk *w, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	w->fn(w->ctx, leaf, sub == CM_NO_SUBLEAF ? 0 : sub, r);
}

static void keep(struct walk *w, uint32_t leaf, uint32_t sub, const uint32_t r[4])
{
	if (!w->rc)
		w->rc = cm_snap_put(w->s, leaf, sub, r, NULL);
}

/* Query and keep one subleaf; the registers are left in r. */
static void take(struct walk *w, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	query(w, leaf, sub, r);
	keep(w, leaf, sub, r);
}

static void take_bitmap(struct walk *w, uint32_t leaf, uint32_t map)
{
	uint32_t r[4];
	for (uint32_t b = 1; b < 32; b++)
		if (map & ((uint32_t)1 << b))
			take(w, leaf, b, r);
}

static void take_leaf(struct walk *w, uint32_t leaf)
{
	const struct cm__leafrule *rule = cm__leafrule_find(leaf);
	uint32_t r[4], r0[4], r1[4];
	if (!rule) {
		take(w, leaf, CM_NO_SUBLEAF, r);
		return;
	}
	switch (rule->rule) {
	case CM__SUB_MAX_IN_EAX:
		take(w, leaf, 0, r0);
		for (uint32_t i = 1; i <= r0[CM_EAX] && i < MAX_SUBLEAVES; i++)
			take(w, leaf, i, r);
		break;
	case CM__SUB_CACHE_TYPE:
		for (uint32_t i = 0; i < MAX_SUBLEAVES; i++) {
			query(w, leaf, i, r);
			if ((r[CM_EAX] & 0x1f) == 0) {
				if (i == 0)
					keep(w, leaf, i, r);
				break;
			}
			keep(w, leaf, i, r);
		}
		break;
	case CM__SUB_LEVEL_TYPE:
		take(w, leaf, 0, r0);
		for (uint32_t i = 1; i < MAX_SUBLEAVES && ((r0[CM_ECX] >> 8) & 0xff); i++) {
			query(w, leaf, i, r0);
			if (((r0[CM_ECX] >> 8) & 0xff) == 0)
				break;
			keep(w, leaf, i, r0);
		}
		break;
	case CM__SUB_XSAVE: {
		take(w, leaf, 0, r0);
		take(w, leaf, 1, r1);
		uint64_t comps = ((uint64_t)r0[CM_EDX] << 32 | r0[CM_EAX]) |
				 ((uint64_t)r1[CM_EDX] << 32 | r1[CM_ECX]);
		for (uint32_t i = 2; i < 64; i++)
			if (comps & ((uint64_t)1 << i))
				take(w, leaf, i, r);
		break;
	}
	case CM__SUB_BITMAP_EAX:
		take(w, leaf, 0, r0);
		take_bitmap(w, leaf, r0[CM_EAX]);
		break;
	case CM__SUB_BITMAP_EBX:
		take(w, leaf, 0, r0);
		take_bitmap(w, leaf, r0[CM_EBX]);
		break;
	case CM__SUB_BITMAP_EDX:
		take(w, leaf, 0, r0);
		take_bitmap(w, leaf, r0[CM_EDX]);
		break;
	case CM__SUB_SGX:
		take(w, leaf, 0, r);
		take(w, leaf, 1, r);
		for (uint32_t i = 2; i < MAX_SUBLEAVES; i++) {
			query(w, leaf, i, r);
			if ((r[CM_EAX] & 0xf) == 0)
				break;
			keep(w, leaf, i, r);
		}
		break;
	case CM__SUB_PCONFIG:
		take(w, leaf, 0, r0);
		for (uint32_t i = 1; i < MAX_SUBLEAVES && (r0[CM_EAX] & 0xfff); i++) {
			query(w, leaf, i, r0);
			if ((r0[CM_EAX] & 0xfff) == 0)
				break;
			keep(w, leaf, i, r0);
		}
		break;
	}
}

/* Walk one range: its first leaf gives the maximum, which must lie inside the range. */
static void take_range(struct walk *w, uint32_t base)
{
	uint32_t r[4];
	query(w, base, CM_NO_SUBLEAF, r);
	uint32_t max = r[CM_EAX];
	if (base != 0 && (max < base || max - base >= MAX_LEAVES_PER_RANGE))
		return;	/* the range is not implemented */
	if (base == 0 && max >= MAX_LEAVES_PER_RANGE)
		max = MAX_LEAVES_PER_RANGE - 1;
	for (uint32_t leaf = base; leaf <= max && !w->rc; leaf++)
		take_leaf(w, leaf);
}

int cm__enumerate(cm_snap **out, cm__cpuid_fn fn, void *ctx)
{
	cm_snap *s;
	if (cm_snap_new(&s))
		return CM_ENOMEM;
	struct walk w = { fn, ctx, s, 0 };
	uint32_t r[4];

	take_range(&w, 0x00000000);
	query(&w, 1, CM_NO_SUBLEAF, r);
	if (r[CM_ECX] & (1u << 31))	/* a hypervisor is present */
		take_range(&w, 0x40000000);
	take_range(&w, 0x80000000);
	query(&w, 0, CM_NO_SUBLEAF, r);
	char vendor[13];
	enum cm_vendor v = cm__vendor_from_regs(r[CM_EBX], r[CM_ECX], r[CM_EDX], vendor);
	if (v == CM_VENDOR_CENTAUR || v == CM_VENDOR_ZHAOXIN)
		take_range(&w, 0xC0000000);
	if (w.rc) {
		cm_snap_free(s);
		return w.rc;
	}
	*out = s;
	return 0;
}

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#ifdef __linux__
#include <sched.h>
#endif

static void hw_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	(void)ctx;
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}

int cm_capture(cm_snap **out, struct cm_error *err)
{
#ifdef __linux__
	/* Stay on one CPU, so per-CPU fields (APIC ids) come from one place. */
	cpu_set_t old, one;
	bool pinned = false;
	int cpu = sched_getcpu();
	if (cpu >= 0 && sched_getaffinity(0, sizeof old, &old) == 0) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		pinned = sched_setaffinity(0, sizeof one, &one) == 0;
	}
#endif
	cm_snap *s = NULL;
	int rc = cm__enumerate(&s, hw_cpuid, NULL);
#ifdef __linux__
	if (pinned)
		sched_setaffinity(0, sizeof old, &old);
#endif
	if (rc)
		return cm__fail(err, rc, -1, -1, "cannot capture the CPU: %s", cm_strerror(rc));
	*out = s;
	return 0;
}
#else
int cm_capture(cm_snap **out, struct cm_error *err)
{
	(void)out;
	return cm__fail(err, CM_EUNSUPPORTED, -1, -1,
			"this build is not for x86, so it cannot execute CPUID; read a dump "
			"taken on the host instead (cpuidmask dump, cpuid -r, ...)");
}
#endif
