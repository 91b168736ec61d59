/*
 * baseline.c - what a set of hosts share (AND, then the dependency closure, as Xen's
 * sanitise step does), and the mask that shows a guest only that.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define EXT1 0x80000001u

/*
 * The refusal of a mix of vendors. It names no source (a path or a libvirt test name can be
 * any length) so that the reason and the --force hint always fit in cm_error.msg: the
 * assertion counts a 20-digit host number and two 7-letter vendor names.
 */
#define MIXED_FMT                                                                           \
	"host %zu is %s, host 1 is %s: a running VM cannot move between CPU vendors whatever " \
	"its mask hides (vendor, family/model, SYSCALL/SYSENTER, virtualisation and "        \
	"microcode differ); --force gives a baseline for cold migration"
_Static_assert(sizeof MIXED_FMT - 1 - 6 + 20 + 7 + 7 < sizeof((struct cm_error *)0)->msg,
	       "the mixed-vendor refusal must fit in cm_error.msg");

/* The registers a full-style mask levels: the seed's, plus the rest of leaf 7 subleaf 0. */
static const struct cm_levelled levelled[] = {
	{ 0x00000001, CM_NO_SUBLEAF, CM_ECX }, { 0x00000001, CM_NO_SUBLEAF, CM_EDX },
	{ 0x00000007, 0, CM_EBX },	       { 0x00000007, 0, CM_ECX },
	{ 0x00000007, 0, CM_EDX },	       { 0x0000000d, 0, CM_EAX },
	{ 0x80000001, CM_NO_SUBLEAF, CM_ECX }, { 0x80000001, CM_NO_SUBLEAF, CM_EDX },
};

const struct cm_levelled *cm_levelled_regs(size_t *n)
{
	*n = CM_ARRAY_SIZE(levelled);
	return levelled;
}

void cm__host_features(const cm_snap *s, struct cm_fset *have, struct cm_fset *unknown)
{
	cm_snap_features(s, have, unknown);
	int lm = cm_feature_at_bit(EXT1, CM_NO_SUBLEAF, CM_EDX, 29);
	int sc = cm_feature_at_bit(EXT1, CM_NO_SUBLEAF, CM_EDX, 11);
	if (lm >= 0 && sc >= 0 && cm_fset_has(have, (size_t)lm))
		cm_fset_add(have, (size_t)sc);
}

int cm_baseline(struct cm_baseline *out, const cm_snap *const *hosts, size_t n, unsigned flags,
		struct cm_error *err)
{
	if (n == 0)
		return cm__fail(err, CM_EPARSE, -1, -1, "a baseline needs at least one host");
	struct cm_baseline b;
	memset(&b, 0, sizeof b);
	struct cm_cpuinfo first;
	cm_decode(hosts[0], &first);
	b.vendor = first.vendor_id;
	for (size_t i = 0; i < n; i++) {
		struct cm_fset have, unknown;
		cm__host_features(hosts[i], &have, &unknown);
		if (i == 0)
			b.common = have;
		else
			cm_fset_and(&b.common, &have);
		cm_fset_or(&b.some, &have);
		cm_fset_or(&b.unknown, &unknown);
		struct cm_cpuinfo ci;
		cm_decode(hosts[i], &ci);
		if (ci.vendor_id != b.vendor && !b.mixed_vendors) {
			b.mixed_vendors = true;
			if (!(flags & CM_BASELINE_FORCE)) {
				/* no source names: they can be any length, and the reason and the
				 * way out must always fit (err->line says which host; callers name
				 * it) */
				int rc = cm__fail(err, CM_ECONFLICT, -1, -1, MIXED_FMT, i + 1,
						  cm_vendor_name(ci.vendor_id), cm_vendor_name(b.vendor));
				if (err)
					err->line = (long)i;
				return rc;
			}
		}
	}
	cm_fset_andnot(&b.common, &b.unknown);
	/* close: whatever needs a feature that is not common is not common either */
	struct cm_fset absent = { { 0 } }, below;
	for (size_t id = 0; id < cm_feature_count(); id++)
		if (!cm_fset_has(&b.common, id))
			cm_fset_add(&absent, id);
	cm_deps_closure(&absent, &below);
	b.by_dependency = b.common;
	cm_fset_and(&b.by_dependency, &below);
	cm_fset_andnot(&b.common, &below);
	*out = b;
	return 0;
}

static bool levelled_reg(uint32_t leaf, uint32_t sub, int reg)
{
	for (size_t i = 0; i < CM_ARRAY_SIZE(levelled); i++)
		if (levelled[i].leaf == leaf && levelled[i].subleaf == sub && levelled[i].reg == reg)
			return true;
	return false;
}

/*
 * Bits a Xen mask leaves to Xen, which levels them itself and not by AND:
 * - pooled bits (CM_FF_ACCUMULATE, Xen's '|': MD_CLEAR, NO_LMSL, FS_GS_NS, VERW_CLEAR) are
 *   OR-ed across a migration pool: MD_CLEAR tells a guest to flush buffers with VERW, which
 *   is harmless where the host needs no flush, and NO_LMSL means a capability is missing, so
 *   hiding either where one host has it would take a mitigation or a warning away;
 * - FDP_EXCP_ONLY and NO_FPU_SEL ("zero_fcs_fds") say the x87 unit does less: their effect
 *   cannot be hidden from a guest, so Xen always shows the host's value (Xen's "special"
 *   annotation of them) and a 0 in a configuration would only claim what is not so.
 * VMware's profile already leaves the two x87 bits out (UNTRACKED) and compares MD_CLEAR.
 */
static bool levelled_by_xen(size_t id)
{
	const struct cm_feature *f = cm_feature_at(id);
	return (f->flags & CM_FF_ACCUMULATE) || strcmp(f->name, "fdp_excptn_only") == 0 ||
	       strcmp(f->name, "zero_fcs_fds") == 0;
}

/* Is this bit the mask's to hide? VMware's profile, or any hypervisor's own rules, may fix it. */
static bool maskable(size_t id, bool vmware)
{
	if (vmware)
		return cm_profile_rule_of(id, NULL) == CM_PROF_PASS;
	return !(cm_feature_at(id)->flags & (CM_FF_HOSTONLY | CM_FF_DYNAMIC | CM_FF_XSTATE)) &&
	       !levelled_by_xen(id);
}

int cm_baseline_mask(cm_mask **out, const struct cm_fset *keep, const struct cm_fset *some,
		     enum cm_mask_style style, bool vmware, struct cm_error *err)
{
	cm_mask *m;
	if (cm_mask_new(&m))
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	int rc = 0;
	if (style == CM_STYLE_MINIMAL) {
		for (long id = cm_fset_next(some, 0); id >= 0 && !rc; id = cm_fset_next(some, (size_t)id + 1)) {
			if (cm_fset_has(keep, (size_t)id) || !maskable((size_t)id, vmware))
				continue;
			const struct cm_feature *f = cm_feature_at((size_t)id);
			rc = cm_mask_set(m, f->leaf, f->subleaf, f->reg, f->bit, CM_ACT_CLEAR, "");
		}
	} else {
		for (size_t i = 0; i < CM_ARRAY_SIZE(levelled) && !rc; i++) {
			const struct cm_levelled *l = &levelled[i];
			for (int bit = 31; bit >= 0 && !rc; bit--) {
				int id = cm_feature_at_bit(l->leaf, l->subleaf, l->reg, bit);
				bool pass = id >= 0 && cm_fset_has(keep, (size_t)id);
				/* VMware sets these itself (hypervisor, x2APIC) or leaves them to the
				 * OS (OSXSAVE): forcing them would fight the hypervisor */
				if (id >= 0 && vmware && style == CM_STYLE_FULL) {
					enum cm_profile_rule r = cm_profile_rule_of((size_t)id, NULL);
					pass |= r == CM_PROF_SET || r == CM_PROF_OS;
				}
				/* nor forcing what Xen levels itself */
				if (id >= 0 && !vmware)
					pass |= levelled_by_xen((size_t)id);
				rc = cm_mask_set(m, l->leaf, l->subleaf, l->reg, bit,
						 pass ? CM_ACT_DEFAULT : CM_ACT_CLEAR, "");
			}
		}
		/* without XSAVE, leaf 0xD describes nothing: the seed zeroes it whole */
		int xsave = cm_feature_at_bit(1, CM_NO_SUBLEAF, CM_ECX, 26);
		if (!rc && xsave >= 0 && !cm_fset_has(keep, (size_t)xsave))
			for (int reg = CM_ECX; reg <= CM_EDX && !rc; reg++)
				for (int bit = 0; bit < 32 && !rc; bit++)
					rc = cm_mask_set(m, 0xd, 0, reg, bit, CM_ACT_CLEAR, "");
		/* features of other registers that must go too */
		for (long id = cm_fset_next(some, 0); id >= 0 && !rc; id = cm_fset_next(some, (size_t)id + 1)) {
			const struct cm_feature *f = cm_feature_at((size_t)id);
			if (cm_fset_has(keep, (size_t)id) || !maskable((size_t)id, vmware) ||
			    levelled_reg(f->leaf, f->subleaf, f->reg))
				continue;
			rc = cm_mask_set(m, f->leaf, f->subleaf, f->reg, f->bit, CM_ACT_CLEAR, "");
		}
	}
	if (rc) {
		cm_mask_free(m);
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	}
	*out = m;
	return 0;
}
