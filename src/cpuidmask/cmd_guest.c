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

/* A mask action the view did not apply (cm_guest_mask_unconfirmed). */
struct unapplied {
	const struct cm_mask_reg *r;
	int bit;
	int asked;	/* the value the mask asks for */
	int shown;	/* the value the view keeps */
};

#define MAX_UNAPPLIED 32

static const char unconfirmed_note[] =
	"VMware sets this bit for every guest; whether it honours a VM mask on it is not "
	"documented (unconfirmed), so the view keeps VMware's value";

/* The bits where the mask asks for a value the view does not show, because no source says
 * whether VMware applies it. */
static size_t find_unapplied(const cm_snap *host, const cm_snap *guest, const cm_mask *mask,
			     bool vmware, struct unapplied *out)
{
	size_t n = 0;
	for (size_t i = 0; vmware && mask && i < cm_mask_count(mask); i++) {
		const struct cm_mask_reg *r = cm_mask_at(mask, i);
		for (int b = 31; b >= 0 && n < MAX_UNAPPLIED; b--) {
			if (!cm_guest_mask_unconfirmed(r->leaf, r->subleaf, r->reg, b))
				continue;
			int asked;
			switch (r->act[b]) {
			case CM_ACT_SET:
				asked = 1;
				break;
			case CM_ACT_CLEAR:
			case CM_ACT_HIDE_CHK:
				asked = 0;
				break;
			case CM_ACT_HOST:
				asked = cm_snap_bit(host, r->leaf, r->subleaf, r->reg, b);
				break;
			default:
				continue;
			}
			int shown = cm_snap_bit(guest, r->leaf, r->subleaf, r->reg, b);
			if (asked < 0 || asked == shown)
				continue;
			out[n++] = (struct unapplied){ r, b, asked, shown };
		}
	}
	return n;
}

static void where_of(const struct unapplied *u, char *out, size_t n)
{
	const char *o = u->r->bit_origin[u->bit][0] ? u->r->bit_origin[u->bit] : u->r->origin;
	if (u->r->col[u->bit] && u->r->bit_origin[u->bit][0])
		snprintf(out, n, "%s:%u", o, (unsigned)u->r->col[u->bit]);
	else
		snprintf(out, n, "%s", o[0] ? o : "?");
}

static void print_unapplied(const struct unapplied *u, size_t n)
{
	if (!n)
		return;
	printf("\nunconfirmed: the mask asks for more than the view shows (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		int id = cm_feature_at_bit(u[i].r->leaf, u[i].r->subleaf, u[i].r->reg, u[i].bit);
		char where[600];
		where_of(&u[i], where, sizeof where);
		printf("  %-20s %s: mask '%c' at %s asks for %d; %s (%d)\n",
		       id >= 0 ? cm_feature_at((size_t)id)->name : "?",
		       id >= 0 ? cm_feature_at((size_t)id)->label : "?",
		       cm_action_vmx_char((enum cm_action)u[i].r->act[u[i].bit]), where, u[i].asked,
		       unconfirmed_note, u[i].shown);
	}
}

static void json_unapplied(struct json *j, const struct unapplied *u, size_t n)
{
	json_array(j, "unconfirmed");
	for (size_t i = 0; i < n; i++) {
		int id = cm_feature_at_bit(u[i].r->leaf, u[i].r->subleaf, u[i].r->reg, u[i].bit);
		char where[600], act[2] = { cm_action_vmx_char((enum cm_action)u[i].r->act[u[i].bit]),
					     '\0' };
		where_of(&u[i], where, sizeof where);
		json_object(j, NULL);
		if (id >= 0)
			json_feature(j, "feature", (size_t)id);
		else
			json_null(j, "feature");
		json_uint(j, "leaf", u[i].r->leaf);
		json_string(j, "register", cm_reg_name(u[i].r->reg));
		json_uint(j, "bit", (unsigned)u[i].bit);
		json_string(j, "mask", act);
		json_string(j, "origin", where);
		json_int(j, "asked", u[i].asked);
		json_int(j, "shown", u[i].shown);
		json_string(j, "note", unconfirmed_note);
		json_end(j);
	}
	json_end(j);
}

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
			bool owned = vmware && cm_guest_mask_unconfirmed(f->leaf, f->subleaf, f->reg,
									  f->bit);
			if (owned && a != CM_ACT_DEFAULT && a != CM_ACT_IGNORE &&
			    a != CM_ACT_REQUIRE0 && a != CM_ACT_REQUIRE1) {
				cm_profile_rule_of((size_t)id, &why);
				printf("  %-20s %s: VMware profile (%s); the mask's '%c' is under "
				       "\"unconfirmed\"\n",
				       f->name, f->label, why, cm_action_vmx_char(a));
			} else if (a != CM_ACT_DEFAULT && a != CM_ACT_IGNORE && a != CM_ACT_REQUIRE0 &&
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
	struct unapplied un[MAX_UNAPPLIED];
	size_t nun = find_unapplied(host, guest, mask, !no_profile, un);
	if (as_json) {
		struct json j;
		show_json_open(&j, guest);
		json_unapplied(&j, un, nun);
		json_end(&j);
		json_finish(&j);
	} else {
		show_text(guest, leaves);
		print_changes(host, guest, mask, !no_profile);
		print_unapplied(un, nun);
	}
out:
	cm_snap_free(host);
	cm_snap_free(guest);
	cm_mask_free(mask);
	return rc;
}
