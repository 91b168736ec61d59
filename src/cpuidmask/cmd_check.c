/* cmd_check.c - cpuidmask check: an offline vMotion compatibility check. */
#include <string.h>

#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask check", "--on HOST_A --to HOST_B",
	"Would a VM configured by --vmx FILE, powered on on HOST_A, live-migrate to\n"
	"HOST_B? With VMware's rules (docs/masks.md): every feature the guest sees must\n"
	"be on HOST_B, and every T, F, R and H of the mask must hold.",
	"Blocking features are listed per CPUID register in vSphere's words, with mask\n"
	"lines that would hide them. --both also checks a VM powered on on HOST_B moving\n"
	"to HOST_A. Exit status: 0 the migration passes, 1 it is blocked, 2 an error.\n",
};

struct side {
	const char *name;
	const cm_snap *s;
};

/* One direction's result. */
struct result {
	const struct side *on, *to;
	struct cm_check c;
	struct cm_buf fix;	/* .vmx lines that hide the missing features */
};

static int run(struct result *r, const struct side *on, const struct side *to,
	       const cm_mask *mask)
{
	struct cm_error err;
	cm_error_clear(&err);
	r->on = on;
	r->to = to;
	cm_buf_init(&r->fix, 0);
	if (cm_check_migration(&r->c, on->s, to->s, mask, &err))
		return error("%s", err.msg);
	cm_mask *fix = NULL;
	if (cm_mask_new(&fix))
		return error("out of memory");
	for (size_t i = 0; i < r->c.n; i++)
		if (r->c.v[i].reason == CM_BLOCK_MISSING && r->c.v[i].feature >= 0)
			cm_mask_set(fix, r->c.v[i].leaf, r->c.v[i].subleaf, r->c.v[i].reg,
				    r->c.v[i].bit, CM_ACT_CLEAR, "");
	if (cm_mask_write_vmx(&r->fix, fix, &err))
		cm_buf_reset(&r->fix);	/* a feature no .vmx key reaches: no lines to offer */
	cm_mask_free(fix);
	return 0;
}

/*
 * The labels a real vMotion error showed: the seed's i7-3770 to Atom C2750 list (its only
 * such list; research/formats.md 3). Every other label is vSphere 8.0's name for the feature
 * key ([LAMW]), not seen in an error: printed, but marked as unconfirmed. FSGSBASE is the
 * seed's text; vSphere 8.0's key names it "... registers at any privilege level", and whether
 * the seed shortened it is not known either.
 */
static const struct {
	const char *name, *label;
} seen_in_seed[] = {
	{ "pcid", "PCID" },
	{ "avx", "Advanced Vector Extensions (AVX)" },
	{ "f16c", "Half-precision conversion instructions (F16C)" },
	{ "fsgsbase", "Instructions to read and write FS and GS base registers" },
	{ "xfeature_sse", "XSAVE SSE State" },
	{ "xfeature_ymm", "XSAVE YMM State" },
};

/* The label as the error would show it; *confirmed when a real error showed it so. */
static const char *error_label(const struct cm_feature *f, bool *confirmed)
{
	for (size_t i = 0; i < sizeof seen_in_seed / sizeof seen_in_seed[0]; i++)
		if (strcmp(f->name, seen_in_seed[i].name) == 0) {
			*confirmed = true;
			return seen_in_seed[i].label;
		}
	*confirmed = false;
	return f->label;
}

/*
 * Whether vSphere lists a blocking bit itself. The seed's list leaves out XSAVE (CPUID.1:ECX
 * [26]) although the Atom C2750 has none, and names the XSAVE state components instead: a
 * missing XSAVE is printed apart when a state component blocks too.
 */
static bool listed(const struct cm_check *c, const struct cm_block *b)
{
	if (b->feature < 0 || b->reason != CM_BLOCK_MISSING ||
	    strcmp(cm_feature_at((size_t)b->feature)->name, "xsave") != 0)
		return true;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].feature >= 0 && c->v[i].leaf == 0xd && c->v[i].subleaf == 0 &&
		    c->v[i].reg == CM_EAX && c->v[i].reason == CM_BLOCK_MISSING)
			return false;
	return true;
}

static void print_block(const struct cm_block *b, bool *unconfirmed)
{
	bool confirmed = true;
	if (b->feature >= 0)
		printf("  %s", error_label(cm_feature_at((size_t)b->feature), &confirmed));
	else
		printf("  bit %u", b->bit);
	if (!confirmed) {
		printf(" *");
		*unconfirmed = true;
	}
	switch (b->reason) {
	case CM_BLOCK_MISSING:
		break;
	case CM_BLOCK_REQUIRED:
		printf("  (the mask requires %d with '%c'; %s has %d)", b->action == CM_ACT_REQUIRE1,
		       cm_action_vmx_char(b->action),
		       b->at_power_on ? "the power-on host" : "the destination",
		       b->at_power_on ? b->on : b->to);
		break;
	case CM_BLOCK_MISMATCH:
		printf("  ('%c': the hosts differ, %d against %d)", cm_action_vmx_char(b->action),
		       b->on, b->to);
		break;
	case CM_BLOCK_UNKNOWN:
		printf("  (unknown: the data does not give this bit)");
		break;
	}
	printf("\n");
}

static void print_text(const struct result *r)
{
	const struct cm_check *c = &r->c;
	printf("VM powered on on %s, migrating to %s: %s\n", r->on->name, r->to->name,
	       c->pass ? "passes" : "blocked");
	const struct cm_block *prev = NULL;
	bool unconfirmed = false, apart = false;
	for (size_t i = 0; i < c->n; i++) {
		const struct cm_block *b = &c->v[i];
		if (!listed(c, b)) {
			apart = true;
			continue;
		}
		if (!prev || prev->leaf != b->leaf || prev->subleaf != b->subleaf ||
		    prev->reg != b->reg) {
			printf("Host CPU is incompatible with the virtual machine's requirements at ");
			print_group_title(stdout, b->leaf, b->subleaf, b->reg);
			printf(".\n");
		}
		prev = b;
		print_block(b, &unconfirmed);
	}
	if (apart) {
		printf("Also missing, named by vSphere through the XSAVE state components above:\n");
		for (size_t i = 0; i < c->n; i++)
			if (!listed(c, &c->v[i])) {
				const struct cm_feature *f = cm_feature_at((size_t)c->v[i].feature);
				printf("  %s  (", f->label);
				print_group_title(stdout, f->leaf, f->subleaf, f->reg);
				printf(" bit %u)\n", f->bit);
			}
	}
	if (unconfirmed)
		printf("* vSphere 8.0's name for the feature; no vMotion error seen showing it "
		       "(docs/masks.md)\n");
	if (!c->pass && r->fix.len)
		printf("Mask lines that hide the missing features:\n%s", r->fix.data);
}

static void json_block(struct json *j, const struct result *r, const struct cm_block *b)
{
	json_object_inline(j, NULL);
	if (b->feature >= 0) {
		const struct cm_feature *f = cm_feature_at((size_t)b->feature);
		json_string(j, "name", f->name);
		json_string(j, "label", f->label);
	} else {
		json_null(j, "name");
		json_null(j, "label");
	}
	json_uint(j, "leaf", b->leaf);
	json_uint(j, "subleaf", b->subleaf == CM_NO_SUBLEAF ? 0 : b->subleaf);
	json_string(j, "register", cm_reg_name(b->reg));
	json_uint(j, "bit", b->bit);
	json_string(j, "reason", cm_block_reason_name(b->reason));
	bool confirmed = false;
	if (b->feature >= 0)
		json_string(j, "error_label", error_label(cm_feature_at((size_t)b->feature), &confirmed));
	else
		json_null(j, "error_label");
	json_bool(j, "error_label_confirmed", confirmed);
	json_bool(j, "listed", listed(&r->c, b));
	char act[2] = { cm_action_vmx_char(b->action), 0 };
	json_string(j, "action", act);
	json_string(j, "on", r->on->name);
	json_string(j, "to", r->to->name);
	json_end(j);
}

static void print_json(const struct result *r, int n)
{
	struct json j;
	bool pass = true;
	for (int i = 0; i < n; i++)
		pass &= r[i].c.pass;
	json_init(&j, stdout);
	json_object(&j, NULL);
	json_bool(&j, "pass", pass);
	json_array(&j, "blocking");
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < r[i].c.n; k++)
			json_block(&j, &r[i], &r[i].c.v[k]);
	json_end(&j);
	json_array(&j, "checks");
	for (int i = 0; i < n; i++) {
		json_object(&j, NULL);
		json_string(&j, "on", r[i].on->name);
		json_string(&j, "to", r[i].to->name);
		json_bool(&j, "pass", r[i].c.pass);
		json_array(&j, "fix");
		const char *p = r[i].fix.data;
		while (p && *p) {
			const char *nl = strchr(p, '\n');
			char line[256];
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			snprintf(line, sizeof line, "%.*s", (int)len, p);
			json_string(&j, NULL, line);
			p = nl ? nl + 1 : NULL;
		}
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	json_finish(&j);
}

int cmd_check(int argc, char **argv)
{
	bool as_json = false, both = false;
	const char *vmx = NULL, *on_arg = NULL, *to_arg = NULL;
	struct source_opts so = SOURCE_OPTS_INIT;
	const struct opt opts[] = {
		{ OPT_STRING, "on", 0, &on_arg, "HOST_A", "the host the VM is powered on on" },
		{ OPT_STRING, "to", 0, &to_arg, "HOST_B", "the host it moves to" },
		{ OPT_STRING, "vmx", 0, &vmx, "FILE", "the VM's mask (.vmx or Xen strings)" },
		{ OPT_FLAG, "both", 0, &both, NULL, "also a VM powered on on HOST_B moving to HOST_A" },
		{ OPT_FLAG, "json", 0, &as_json, NULL, "print JSON (docs/json.md)" },
		SOURCE_OPTS(so),
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (!on_arg || !to_arg || nrest)
		return error("check takes --on HOST_A --to HOST_B (and no other operands); see "
			     "'cpuidmask check --help'");
	cm_snap *a = NULL, *b = NULL;
	cm_mask *mask = NULL;
	if ((rc = source_load(on_arg, &so, &a)) || (rc = source_load(to_arg, &so, &b)) ||
	    (vmx && (rc = mask_load(vmx, &mask))))
		goto out;
	/* hosts are named as the user named them */
	struct side sa = { on_arg, a }, sb = { to_arg, b };
	struct result r[2];
	memset(r, 0, sizeof r);
	int n = both ? 2 : 1;
	for (int i = 0; i < n && !rc; i++)
		rc = i == 0 ? run(&r[0], &sa, &sb, mask) : run(&r[1], &sb, &sa, mask);
	if (!rc) {
		bool pass = true;
		if (as_json)
			print_json(r, n);
		for (int i = 0; i < n; i++) {
			if (!as_json) {
				if (i)
					printf("\n");
				print_text(&r[i]);
			}
			pass &= r[i].c.pass;
		}
		rc = pass ? EXIT_OK : EXIT_DIFFER;
	}
	for (int i = 0; i < n; i++) {
		cm_check_free(&r[i].c);
		cm_buf_free(&r[i].fix);
	}
out:
	cm_snap_free(a);
	cm_snap_free(b);
	cm_mask_free(mask);
	return rc;
}
