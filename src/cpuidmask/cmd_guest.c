/* cmd_guest.c - cpuidmask guest: what a VM sees when powered on on a host. */
#include <string.h>

#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask guest", "HOST",
	"The CPUID a VM sees when powered on on HOST: the host's values, then VMware's\n"
	"default guest profile (docs/masks.md), then the VM's own mask.",
	"HOST is a dump in any format cpuidmask reads, '-', or 'host'. --vmx takes a .vmx\n"
	"file (or Xen strings); without it the VM has no mask.\n",
};

/* The features the guest does not get, and why. */
static void print_changes(const cm_snap *host, const cm_snap *guest, const cm_mask *mask,
			  bool vmware)
{
	struct cm_fset h, g, lost, added;
	cm_snap_features(host, &h, NULL);
	cm_snap_features(guest, &g, NULL);
	lost = h;
	cm_fset_andnot(&lost, &g);
	added = g;
	cm_fset_andnot(&added, &h);
	for (int pass = 0; pass < 2; pass++) {
		const struct cm_fset *set = pass ? &added : &lost;
		if (cm_fset_empty(set))
			continue;
		printf("\n%s (%zu):\n", pass ? "shown to the guest although the host lacks it"
					     : "hidden from the guest",
		       cm_fset_count(set));
		for (long id = cm_fset_next(set, 0); id >= 0; id = cm_fset_next(set, (size_t)id + 1)) {
			const struct cm_feature *f = cm_feature_at((size_t)id);
			const struct cm_mask_reg *r =
				mask ? cm_mask_find(mask, f->leaf, f->subleaf, f->reg) : NULL;
			enum cm_action a = cm_mask_action(mask, f->leaf, f->subleaf, f->reg, f->bit);
			const char *why = NULL;
			if (a != CM_ACT_DEFAULT && a != CM_ACT_IGNORE && a != CM_ACT_REQUIRE0 &&
			    a != CM_ACT_REQUIRE1)
				printf("  %-20s %s: mask '%c' at %s\n", f->name, f->label,
				       cm_action_vmx_char(a), r ? r->origin : "?");
			else if (vmware && cm_profile_rule_of((size_t)id, &why) != CM_PROF_PASS)
				printf("  %-20s %s: VMware profile (%s)\n", f->name, f->label, why);
			else if (pass && strcmp(f->name, "syscall") == 0)
				/* lib/guest.c: Intel hides SYSCALL from 32-bit code only */
				printf("  %-20s %s: the dump was taken by 32-bit code, to which Intel "
				       "does not show SYSCALL; a 64-bit guest sees it\n",
				       f->name, f->label);
			else
				printf("  %-20s %s\n", f->name, f->label);
		}
	}
}

int cmd_guest(int argc, char **argv)
{
	bool as_json = false, no_profile = false, leaves = false;
	const char *vmx = NULL;
	struct source_opts so = SOURCE_OPTS_INIT;
	const struct opt opts[] = {
		{ OPT_STRING, "vmx", 0, &vmx, "FILE", "the VM's mask (.vmx or Xen strings)" },
		{ OPT_FLAG, "no-profile", 0, &no_profile, NULL, "apply no hypervisor profile" },
		{ OPT_FLAG, "json", 0, &as_json, NULL, "print JSON, as show --json" },
		{ OPT_FLAG, "leaves", 'l', &leaves, NULL, "also print every CPUID result" },
		SOURCE_OPTS(so),
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest != 1)
		return error("guest takes one HOST; see 'cpuidmask guest --help'");
	cm_snap *host = NULL, *guest = NULL;
	cm_mask *mask = NULL;
	if ((rc = source_load(rest[0], &so, &host)) || (vmx && (rc = mask_load(vmx, &mask))))
		goto out;
	struct cm_error err;
	cm_error_clear(&err);
	if (cm_guest_view(&guest, host, mask, !no_profile, &err)) {
		rc = error("%s", err.msg);
		goto out;
	}
	char src[1200];
	snprintf(src, sizeof src, "guest on %s%s%s%s", cm_snap_source(host), vmx ? " with " : "",
		 vmx ? vmx : "", no_profile ? ", no profile" : "");
	cm_snap_set_source(guest, src);
	if (as_json) {
		show_json(guest);
	} else {
		show_text(guest, leaves);
		print_changes(host, guest, mask, !no_profile);
	}
out:
	cm_snap_free(host);
	cm_snap_free(guest);
	cm_mask_free(mask);
	return rc;
}
