/* cmd_show.c - cpuidmask show: decode one CPU. */
#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask show", "[SOURCE]",
	"Decode a CPU: vendor, brand, family/model/stepping, microarchitecture, x86-64\n"
	"level and every named feature it shows, grouped by CPUID register.",
	"SOURCE is a dump in any format cpuidmask reads, '-' for standard input, or\n"
	"'host' (the default) for the CPU this runs on.\n",
};

void show_text(const cm_snap *s, bool leaves)
{
	struct cm_cpuinfo cinfo;
	const struct cm_cpuinfo *ci = &cinfo;
	cm_decode(s, &cinfo);
	struct cm_fset have, unknown;
	cm_snap_features(s, &have, &unknown);
	printf("source:     %s\n", cm_snap_source(s));
	if (ci->vendor[0])
		printf("vendor:     %s (%s)\n", ci->vendor, cm_vendor_name(ci->vendor_id));
	else
		printf("vendor:     unknown\n");
	printf("brand:      %s\n", ci->brand[0] ? ci->brand : "unknown");
	if (ci->has_signature)
		printf("signature:  0x%08x (family %#x, model %#x, stepping %#x)\n", ci->signature,
		       ci->family, ci->model, ci->stepping);
	else
		printf("signature:  unknown\n");
	printf("uarch:      %s\n", ci->uarch ? ci->uarch : "unknown");
	if (ci->x86_64_level == ci->x86_64_level_max && ci->x86_64_level)
		printf("x86-64:     v%d\n", ci->x86_64_level);
	else if (ci->x86_64_level == ci->x86_64_level_max)
		printf("x86-64:     no\n");
	else if (ci->x86_64_level)
		printf("x86-64:     v%d to v%d (some leaves are unknown)\n", ci->x86_64_level,
		       ci->x86_64_level_max);
	else
		printf("x86-64:     unknown (some leaves are unknown)\n");
	printf("leaves:     max basic %#x, max extended %#x, %zu results%s\n", ci->max_leaf,
	       ci->max_ext_leaf, cm_snap_count(s),
	       cm_snap_complete(s) ? "" : " (partial: unlisted leaves are unknown)");
	printf("\nfeatures (%zu):\n", cm_fset_count(&have));
	print_fset(stdout, &have, 2);
	if (!cm_fset_empty(&unknown)) {
		printf("\nunknown (%zu, not in the data; see --json for the list):\n",
		       cm_fset_count(&unknown));
		print_fset_groups(stdout, &unknown, 2);
	}
	if (leaves) {
		printf("\nleaves:\n  leaf.sub     eax      ebx      ecx      edx\n");
		for (size_t i = 0; i < cm_snap_count(s); i++) {
			const struct cm_leaf *e = cm_snap_at(s, i);
			if (e->subleaf == CM_NO_SUBLEAF)
				printf("  %08x   ", e->leaf);
			else
				printf("  %08x.%02x", e->leaf, e->subleaf);
			for (int r = 0; r < 4; r++) {
				if (e->known[r] == UINT32_MAX)
					printf(" %08x", e->reg[r]);
				else
					printf(" %s", e->known[r] ? "(partly)" : "--------");
			}
			printf("\n");
		}
	}
}

void show_json(const cm_snap *s)
{
	struct json j;
	show_json_open(&j, s);
	json_end(&j);
	json_finish(&j);
}

/* show --json's document, left open after "leaves" for the caller's keys. */
void show_json_open(struct json *jp, const cm_snap *s)
{
	struct cm_cpuinfo cinfo;
	const struct cm_cpuinfo *ci = &cinfo;
	cm_decode(s, &cinfo);
	struct cm_fset have, unknown;
	cm_snap_features(s, &have, &unknown);
	json_init(jp, stdout);
	json_object(jp, NULL);
	json_string(jp, "source", cm_snap_source(s));
	json_string(jp, "vendor", ci->vendor[0] ? ci->vendor : NULL);
	json_string(jp, "vendor_id", cm_vendor_name(ci->vendor_id));
	json_string(jp, "brand", ci->brand[0] ? ci->brand : NULL);
	if (ci->has_signature) {
		json_uint(jp, "signature", ci->signature);
		json_uint(jp, "family", ci->family);
		json_uint(jp, "model", ci->model);
		json_uint(jp, "stepping", ci->stepping);
	} else {
		json_null(jp, "signature");
		json_null(jp, "family");
		json_null(jp, "model");
		json_null(jp, "stepping");
	}
	json_string(jp, "microarchitecture", ci->uarch);
	json_int(jp, "x86_64_level", ci->x86_64_level);
	json_int(jp, "x86_64_level_max", ci->x86_64_level_max);
	json_bool(jp, "complete", cm_snap_complete(s));
	json_fset(jp, "features", &have);
	json_fset(jp, "unknown_features", &unknown);
	json_array(jp, "leaves");
	for (size_t i = 0; i < cm_snap_count(s); i++) {
		const struct cm_leaf *e = cm_snap_at(s, i);
		json_object_inline(jp, NULL);
		json_uint(jp, "leaf", e->leaf);
		json_uint(jp, "subleaf", e->subleaf == CM_NO_SUBLEAF ? 0 : e->subleaf);
		json_bool(jp, "indexed", e->subleaf != CM_NO_SUBLEAF);
		for (int r = 0; r < 4; r++)
			json_uint(jp, cm_reg_name(r), e->reg[r]);
		bool partial = false;
		for (int r = 0; r < 4; r++)
			partial |= e->known[r] != UINT32_MAX;
		if (partial) {
			json_object_inline(jp, "known");
			for (int r = 0; r < 4; r++)
				json_uint(jp, cm_reg_name(r), e->known[r]);
			json_end(jp);
		}
		json_end(jp);
	}
	json_end(jp);
}

int cmd_show(int argc, char **argv)
{
	bool as_json = false, leaves = false;
	struct source_opts so = SOURCE_OPTS_INIT;
	const struct opt opts[] = {
		{ OPT_FLAG, "json", 0, &as_json, NULL, "print JSON (docs/json.md)" },
		{ OPT_FLAG, "leaves", 'l', &leaves, NULL, "also print every CPUID result" },
		SOURCE_OPTS(so),
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest > 1)
		return error("show takes at most one SOURCE; see 'cpuidmask show --help'");
	cm_snap *s;
	if ((rc = source_load(nrest ? rest[0] : NULL, &so, &s)))
		return rc;
	if (as_json)
		show_json(s);
	else
		show_text(s, leaves);
	cm_snap_free(s);
	return EXIT_OK;
}
