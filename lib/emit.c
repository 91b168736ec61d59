/*
 * emit.c - configurations for every hypervisor: VMware .vmx and featMask lines, Xen's two
 * cpuid= forms, QEMU -cpu, libvirt <cpu> and Proxmox cpu: lines. Mask targets write what a
 * mask hides; model targets pick the largest named model inside the kept features and add
 * the rest by name.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const target_names[] = {
	[CM_TARGET_VMX] = "vmx",       [CM_TARGET_FEATMASK] = "featmask", [CM_TARGET_XEN] = "xen",
	[CM_TARGET_XL] = "xl",	       [CM_TARGET_QEMU] = "qemu",	  [CM_TARGET_LIBVIRT] = "libvirt",
	[CM_TARGET_PROXMOX] = "proxmox",
};

int cm_target_from_name(const char *name)
{
	for (size_t i = 0; i < CM_ARRAY_SIZE(target_names); i++)
		if (strcmp(target_names[i], name) == 0)
			return (int)i;
	return -1;
}

static int unsupported(struct cm_error *err, const char *target, uint32_t leaf, uint32_t sub,
		       int reg, int bit, const char *why)
{
	int id = cm_feature_at_bit(leaf, sub, reg, bit);
	char where[96];
	if (sub != CM_NO_SUBLEAF && sub != 0)
		snprintf(where, sizeof where, "CPUID level %#x subleaf %#x register '%s' bit %d", leaf,
			 sub, cm_reg_name(reg), bit);
	else
		snprintf(where, sizeof where, "CPUID level %#x register '%s' bit %d", leaf,
			 cm_reg_name(reg), bit);
	int rc = cm__fail(err, CM_EUNSUPPORTED, -1, -1, "%s cannot express %s%s%s%s: %s", target,
			  where, id >= 0 ? " (" : "", id >= 0 ? cm_feature_at((size_t)id)->name : "",
			  id >= 0 ? ")" : "", why);
	if (err) {
		err->leaf = leaf;
		err->subleaf = sub;
		err->reg = reg;
		err->bit = bit;
	}
	return rc;
}

/*
 * cpuid.<leaf>.<reg> lines. Such a key reaches subleaf 0 only: an action on another subleaf
 * is an error naming its first bit (highest first, as the line would show it) and feature.
 */
static int emit_vmx(struct cm_buf *b, const cm_mask *m, struct cm_error *err)
{
	for (size_t i = 0; i < cm_mask_count(m); i++) {
		const struct cm_mask_reg *r = cm_mask_at(m, i);
		if (r->subleaf == CM_NO_SUBLEAF || r->subleaf == 0)
			continue;
		for (int bit = 31; bit >= 0; bit--)
			if (r->act[bit] != CM_ACT_DEFAULT)
				return unsupported(err, "a .vmx cpuid.* line", r->leaf, r->subleaf,
						   r->reg, bit,
						   "cpuid.<leaf>.<reg> reaches subleaf 0 only");
	}
	return cm_mask_write_vmx(b, m, err);
}

/* featMask.vm.cpuid.<key> for bits with a vSphere key, cpuid.* lines for the rest. */
static int emit_featmask(struct cm_buf *b, const cm_mask *m, struct cm_error *err)
{
	cm_mask *rest;
	if (cm_mask_new(&rest))
		return cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	struct cm_buf keys = CM_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < cm_mask_count(m) && !rc; i++) {
		const struct cm_mask_reg *r = cm_mask_at(m, i);
		for (int bit = 31; bit >= 0 && !rc; bit--) {
			enum cm_action a = (enum cm_action)r->act[bit];
			if (a == CM_ACT_DEFAULT)
				continue;
			int id = cm_feature_at_bit(r->leaf, r->subleaf, r->reg, bit);
			const struct cm_feature *f = id >= 0 ? cm_feature_at((size_t)id) : NULL;
			if (f && f->vmware_key && (a == CM_ACT_CLEAR || a == CM_ACT_SET)) {
				/* the key as the known samples spell it ([LAMW], the WS17 log:
				 * lower case); whether vSphere ignores case is UNCONFIRMED
				 * (formats.md 1.6), so no other spelling is written */
				cm_buf_printf(&keys, "featMask.vm.%s = \"Val:%d\"\n", f->vmware_key,
					      a == CM_ACT_SET);
			} else if (r->subleaf == CM_NO_SUBLEAF || r->subleaf == 0) {
				rc = cm_mask_set(rest, r->leaf, r->subleaf, r->reg, bit, a, "");
			} else {
				rc = unsupported(err, "a VMware featMask", r->leaf, r->subleaf, r->reg,
						 bit, "no vSphere feature key names it and no "
						      "cpuid.* key reaches that subleaf");
			}
		}
	}
	if (!rc)
		rc = cm_mask_write_vmx(b, rest, err);
	if (!rc && keys.len)
		cm_buf_add(b, keys.data, keys.len);
	if (!rc && keys.err)
		rc = cm__fail(err, CM_ENOMEM, -1, -1, "out of memory");
	cm_buf_free(&keys);
	cm_mask_free(rest);
	return rc;
}

static int emit_xen(struct cm_buf *b, const cm_mask *m, struct cm_error *err)
{
	struct cm_buf s = CM_BUF_INIT;
	int rc = cm_mask_write_xen(&s, m, err);
	if (!rc) {
		cm_buf_puts(b, "cpuid = [");
		const char *p = s.data;
		bool first = true;
		while (p && *p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			cm_buf_printf(b, "%s%.*s", first ? " " : ",\n          ", (int)n, p);
			first = false;
			p = nl ? nl + 1 : p + n;
		}
		cm_buf_puts(b, first ? "]\n" : " ]\n");
	}
	cm_buf_free(&s);
	return rc;
}

static int emit_xl(struct cm_buf *b, const cm_mask *m, struct cm_error *err)
{
	cm_buf_puts(b, "cpuid = \"host");
	for (size_t i = 0; i < cm_mask_count(m); i++) {
		const struct cm_mask_reg *r = cm_mask_at(m, i);
		for (int bit = 31; bit >= 0; bit--) {
			enum cm_action a = (enum cm_action)r->act[bit];
			if (a == CM_ACT_DEFAULT)
				continue;
			int id = cm_feature_at_bit(r->leaf, r->subleaf, r->reg, bit);
			const struct cm_feature *f = id >= 0 ? cm_feature_at((size_t)id) : NULL;
			char c = a == CM_ACT_CLEAR ? '0' : a == CM_ACT_SET ? '1' : a == CM_ACT_HOST ? 'k' : 0;
			if (!c)
				return unsupported(err, "Xen's libxl form", r->leaf, r->subleaf, r->reg,
						   bit, "its legend is 1 0 x k");
			if (!f || !f->xen_name)
				return unsupported(err, "Xen's libxl form", r->leaf, r->subleaf, r->reg,
						   bit, "Xen has no name for it (use --target xen)");
			cm_buf_printf(b, ",%s=%c", f->xen_name, c);
		}
	}
	cm_buf_puts(b, "\"\n");
	return b->err ? cm__fail(err, CM_ENOMEM, -1, -1, "out of memory") : 0;
}

/*
 * A feature a guest would be given by name: not host-only, not OS-set, not XSAVE state
 * (QEMU derives it), not one that blocks migration (invariant TSC), not the VM's own
 * topology (HTT) or a bit that takes something away.
 */
static bool nameable(const struct cm_feature *f)
{
	if (f->flags & (CM_FF_HOSTONLY | CM_FF_DYNAMIC | CM_FF_XSTATE | CM_FF_NOMIGRATE))
		return false;
	int id = cm_feature_at_bit(f->leaf, f->subleaf, f->reg, f->bit);
	return cm_profile_rule_of((size_t)id, NULL) != CM_PROF_UNTRACKED;
}

enum tool { TOOL_QEMU, TOOL_LIBVIRT };

static const char *tool_name(const struct cm_feature *f, enum tool t)
{
	return t == TOOL_QEMU ? f->qemu_name : f->libvirt_name;
}

/* The model, the features to add and to remove, for QEMU-based targets. */
struct plan {
	const struct cm_model *model;
	struct cm_fset add, remove;
};

static int plan_for(struct plan *p, const struct cm_emit_input *in, enum tool t, cm_warn_cb note,
		    void *payload, struct cm_error *err)
{
	struct cm_fset in_model;
	/* the largest model inside the features that the hypervisor at hand knows */
	p->model = cm__model_best_filtered(in->keep, in->vendor, "qemu", in->known, in->known_ctx);
	if (!p->model)
		return cm__fail(err, CM_ENOTFOUND, -1, -1,
				"no QEMU/libvirt CPU model fits inside these features");
	cm_model_features(p->model, &in_model);
	p->add = *in->keep;
	cm_fset_andnot(&p->add, &in_model);
	p->remove = in_model;
	cm_fset_andnot(&p->remove, in->keep);
	for (long id = cm_fset_next(&p->add, 0); id >= 0; id = cm_fset_next(&p->add, (size_t)id + 1)) {
		const struct cm_feature *f = cm_feature_at((size_t)id);
		bool named = tool_name(f, t) &&
			     (!in->known || in->known(false, tool_name(f, t), in->known_ctx));
		if (nameable(f) && named && strcmp(f->name, "hypervisor") != 0)
			continue;
		cm_fset_del(&p->add, (size_t)id);
		if (note && nameable(f) && strcmp(f->name, "hypervisor") != 0) {
			struct cm_error w;
			cm_error_clear(&w);
			snprintf(w.msg, sizeof w.msg,
				 "%s %s no name for %s (%s): the guest will not see it",
				 t == TOOL_QEMU ? "QEMU" : "libvirt",
				 in->known ? "here has" : "has", f->name, f->label);
			note(&w, payload);
		}
	}
	for (long id = cm_fset_next(&p->remove, 0); id >= 0;
	     id = cm_fset_next(&p->remove, (size_t)id + 1)) {
		const struct cm_feature *f = cm_feature_at((size_t)id);
		if (!tool_name(f, t))
			return unsupported(err, t == TOOL_QEMU ? "QEMU" : "libvirt", f->leaf,
					   f->subleaf, f->reg, f->bit, "it has no name for it");
	}
	return 0;
}

static int emit_qemu(struct cm_buf *b, const struct cm_emit_input *in, cm_warn_cb note,
		     void *payload, struct cm_error *err)
{
	struct plan p;
	int rc = plan_for(&p, in, TOOL_QEMU, note, payload, err);
	if (rc)
		return rc;
	cm_buf_printf(b, "-cpu %s", p.model->name);
	for (long id = cm_fset_next(&p.add, 0); id >= 0; id = cm_fset_next(&p.add, (size_t)id + 1))
		cm_buf_printf(b, ",%s=on", cm_feature_at((size_t)id)->qemu_name);
	for (long id = cm_fset_next(&p.remove, 0); id >= 0;
	     id = cm_fset_next(&p.remove, (size_t)id + 1))
		cm_buf_printf(b, ",%s=off", cm_feature_at((size_t)id)->qemu_name);
	cm_buf_puts(b, ",enforce\n");
	return b->err ? cm__fail(err, CM_ENOMEM, -1, -1, "out of memory") : 0;
}

static int emit_libvirt(struct cm_buf *b, const struct cm_emit_input *in, cm_warn_cb note,
			void *payload, struct cm_error *err)
{
	struct plan p;
	int rc = plan_for(&p, in, TOOL_LIBVIRT, note, payload, err);
	if (rc)
		return rc;
	cm_buf_puts(b, "<cpu mode='custom' match='exact' check='full'>\n");
	cm_buf_printf(b, "  <model fallback='forbid'>%s</model>\n", p.model->name);
	if (in->vendor == CM_VENDOR_INTEL)
		cm_buf_puts(b, "  <vendor>Intel</vendor>\n");
	else if (in->vendor == CM_VENDOR_AMD)
		cm_buf_puts(b, "  <vendor>AMD</vendor>\n");
	for (long id = cm_fset_next(&p.add, 0); id >= 0; id = cm_fset_next(&p.add, (size_t)id + 1))
		cm_buf_printf(b, "  <feature policy='require' name='%s'/>\n",
			      cm_feature_at((size_t)id)->libvirt_name);
	for (long id = cm_fset_next(&p.remove, 0); id >= 0;
	     id = cm_fset_next(&p.remove, (size_t)id + 1))
		cm_buf_printf(b, "  <feature policy='disable' name='%s'/>\n",
			      cm_feature_at((size_t)id)->libvirt_name);
	cm_buf_puts(b, "</cpu>\n");
	return b->err ? cm__fail(err, CM_ENOMEM, -1, -1, "out of memory") : 0;
}

/* Proxmox lets a VM line carry only these flags; others need a custom model. */
static const char *const proxmox_vm_flags[] = { "aes",	       "amd-no-ssb", "amd-ssbd",
						"hv-evmcs",    "hv-tlbflush", "ibpb",
						"md-clear",    "nested-virt", "pcid",
						"pdpe1gb",     "spec-ctrl",  "ssbd",
						"virt-ssbd" };

static int emit_proxmox(struct cm_buf *b, const struct cm_emit_input *in, cm_warn_cb note,
			void *payload, struct cm_error *err)
{
	struct plan p;
	int rc = plan_for(&p, in, TOOL_QEMU, note, payload, err);
	if (rc)
		return rc;
	struct cm_buf flags = CM_BUF_INIT;
	bool vm_line_ok = true;
	for (int pass = 0; pass < 2; pass++) {
		const struct cm_fset *s = pass ? &p.remove : &p.add;
		for (long id = cm_fset_next(s, 0); id >= 0; id = cm_fset_next(s, (size_t)id + 1)) {
			const char *n = cm_feature_at((size_t)id)->qemu_name;
			bool allowed = false;
			for (size_t k = 0; k < CM_ARRAY_SIZE(proxmox_vm_flags); k++)
				allowed |= strcmp(proxmox_vm_flags[k], n) == 0;
			vm_line_ok &= allowed;
			cm_buf_printf(&flags, "%s%c%s", flags.len ? ";" : "", pass ? '-' : '+', n);
		}
	}
	const char *name = in->name ? in->name : "cpuidmask-baseline";
	if (vm_line_ok) {
		cm_buf_printf(b, "cpu: %s%s%s\n", p.model->name, flags.len ? ",flags=" : "",
			      flags.len ? flags.data : "");
	} else {
		cm_buf_printf(b, "# /etc/pve/virtual-guest/cpu-models.conf\ncpu-model: %s\n", name);
		if (flags.len)
			cm_buf_printf(b, "    flags %s\n", flags.data);
		cm_buf_printf(b, "    reported-model %s\n\n# the VM's configuration\ncpu: custom-%s\n",
			      p.model->name, name);
	}
	rc = flags.err || b->err ? cm__fail(err, CM_ENOMEM, -1, -1, "out of memory") : 0;
	cm_buf_free(&flags);
	return rc;
}

int cm_emit(struct cm_buf *b, enum cm_target target, const struct cm_emit_input *in,
	    cm_warn_cb note, void *payload, struct cm_error *err)
{
	switch (target) {
	case CM_TARGET_VMX:
		return emit_vmx(b, in->mask, err);
	case CM_TARGET_FEATMASK:
		return emit_featmask(b, in->mask, err);
	case CM_TARGET_XEN:
		return emit_xen(b, in->mask, err);
	case CM_TARGET_XL:
		return emit_xl(b, in->mask, err);
	case CM_TARGET_QEMU:
		return emit_qemu(b, in, note, payload, err);
	case CM_TARGET_LIBVIRT:
		return emit_libvirt(b, in, note, payload, err);
	case CM_TARGET_PROXMOX:
		return emit_proxmox(b, in, note, payload, err);
	}
	return cm__fail(err, CM_ENOTFOUND, -1, -1, "unknown target");
}
