/* cmd_features.c - cpuidmask features: the feature table, whole or by name. */
#include <string.h>

#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask features", "[NAME]...",
	"List the feature table: every named CPUID bit with its position, vSphere label\n"
	"and the spellings of Linux, QEMU, libvirt and Xen.",
	"NAME selects features by any of their spellings ('sse4.1', 'SSE4_1' and\n"
	"'sse4-1' are the same); without NAME every row is listed.\n",
};

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static void flag_words(const struct cm_feature *f, char *out, size_t n)
{
	static const struct {
		unsigned flag;
		const char *word;
	} words[] = {
		{ CM_FF_DYNAMIC, "os-set" },	   { CM_FF_HOSTONLY, "host-only" },
		{ CM_FF_XSTATE, "xsave-state" },   { CM_FF_ACCUMULATE, "or-across-pool" },
		{ CM_FF_NOMIGRATE, "no-migrate" },
	};
	out[0] = '\0';
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (!(f->flags & words[i].flag))
			continue;
		if (out[0])
			strncat(out, ",", n - strlen(out) - 1);
		strncat(out, words[i].word, n - strlen(out) - 1);
	}
}

static const char *vendor_word(const struct cm_feature *f)
{
	return f->flags & CM_FF_AMD ? "amd" : f->flags & CM_FF_CENTAUR ? "centaur" : "intel";
}

static void print_row(const struct cm_feature *f, bool markdown)
{
	char loc[48], flags[96];
	if (f->subleaf == CM_NO_SUBLEAF)
		snprintf(loc, sizeof loc, "%#x.%s[%u]", f->leaf, cm_reg_name(f->reg), f->bit);
	else
		snprintf(loc, sizeof loc, "%#x.%u.%s[%u]", f->leaf, f->subleaf, cm_reg_name(f->reg),
			 f->bit);
	flag_words(f, flags, sizeof flags);
	if (markdown) {
		printf("| `%s` | %s | %s%s | %s | %s | %s | %s | %s | %s |\n", f->name, loc, f->label,
		       (f->flags & CM_FF_VMLABEL) ? "" : " *", or_dash(f->linux_name),
		       or_dash(f->qemu_name), or_dash(f->libvirt_name), or_dash(f->xen_name),
		       flags[0] ? flags : "-", f->desc);
		return;
	}
	printf("%-22s %-18s %s\n", f->name, loc, f->label);
	printf("%22s linux %s, qemu %s, libvirt %s, xen %s, vendor %s%s%s\n", "",
	       or_dash(f->linux_name), or_dash(f->qemu_name), or_dash(f->libvirt_name),
	       or_dash(f->xen_name), vendor_word(f), flags[0] ? ", " : "", flags);
	printf("%22s %s\n", "", f->desc);
}

static void json_row(struct json *j, const struct cm_feature *f)
{
	char flags[96];
	flag_words(f, flags, sizeof flags);
	json_object_inline(j, NULL);
	json_string(j, "name", f->name);
	json_string(j, "label", f->label);
	json_uint(j, "leaf", f->leaf);
	json_uint(j, "subleaf", f->subleaf == CM_NO_SUBLEAF ? 0 : f->subleaf);
	json_string(j, "register", cm_reg_name(f->reg));
	json_uint(j, "bit", f->bit);
	json_bool(j, "vmware_label", f->flags & CM_FF_VMLABEL);
	json_string(j, "vmware_key", f->vmware_key);
	json_string(j, "linux", f->linux_name);
	json_string(j, "qemu", f->qemu_name);
	json_string(j, "libvirt", f->libvirt_name);
	json_string(j, "xen", f->xen_name);
	json_string(j, "vendor", vendor_word(f));
	json_string(j, "flags", flags);
	json_string(j, "description", f->desc);
	json_end(j);
}

int cmd_features(int argc, char **argv)
{
	bool as_json = false, markdown = false;
	const struct opt opts[] = {
		{ OPT_FLAG, "json", 0, &as_json, NULL, "print JSON (docs/json.md)" },
		{ OPT_FLAG, "markdown", 0, &markdown, NULL, "print a Markdown table (docs/features.md)" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	size_t n = cm_feature_count();
	struct cm_fset pick = { { 0 } };
	for (int i = 0; i < nrest; i++) {
		int id = cm_feature_find(rest[i]);
		if (id < 0)
			return error("no feature is called '%s' (see 'cpuidmask features')", rest[i]);
		cm_fset_add(&pick, (size_t)id);
	}
	if (nrest == 0)
		for (size_t i = 0; i < n; i++)
			cm_fset_add(&pick, i);
	struct json j;
	if (as_json) {
		json_init(&j, stdout);
		json_array(&j, NULL);
	} else if (markdown) {
		printf("| name | bit | label | linux | qemu | libvirt | xen | flags | description |\n"
		       "|---|---|---|---|---|---|---|---|---|\n");
	}
	for (long id = cm_fset_next(&pick, 0); id >= 0; id = cm_fset_next(&pick, (size_t)id + 1)) {
		const struct cm_feature *f = cm_feature_at((size_t)id);
		if (as_json)
			json_row(&j, f);
		else
			print_row(f, markdown);
	}
	if (as_json) {
		json_end(&j);
		json_finish(&j);
	}
	return EXIT_OK;
}
