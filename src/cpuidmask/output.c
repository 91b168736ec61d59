/* output.c - features and snapshots as text and as JSON. */
#include <string.h>

#include "cli.h"

void print_group_title(FILE *f, uint32_t leaf, uint32_t subleaf, int reg)
{
	if (subleaf != CM_NO_SUBLEAF && subleaf != 0)
		fprintf(f, "CPUID level %#x subleaf %#x register '%s'", leaf, subleaf,
			cm_reg_name(reg));
	else
		fprintf(f, "CPUID level %#x register '%s'", leaf, cm_reg_name(reg));
}

void print_fset(FILE *f, const struct cm_fset *s, int indent)
{
	const struct cm_feature *prev = NULL;
	for (long id = cm_fset_next(s, 0); id >= 0; id = cm_fset_next(s, (size_t)id + 1)) {
		const struct cm_feature *ft = cm_feature_at((size_t)id);
		if (!prev || prev->leaf != ft->leaf || prev->subleaf != ft->subleaf ||
		    prev->reg != ft->reg) {
			fprintf(f, "%*s", indent, "");
			print_group_title(f, ft->leaf, ft->subleaf, ft->reg);
			fputc('\n', f);
		}
		fprintf(f, "%*s  bit %2u  %-20s %s\n", indent, "", ft->bit, ft->name, ft->label);
		prev = ft;
	}
}

void json_feature(struct json *j, const char *key, size_t id)
{
	const struct cm_feature *f = cm_feature_at(id);
	json_object_inline(j, key);
	json_string(j, "name", f->name);
	json_string(j, "label", f->label);
	json_uint(j, "leaf", f->leaf);
	json_uint(j, "subleaf", f->subleaf == CM_NO_SUBLEAF ? 0 : f->subleaf);
	json_string(j, "register", cm_reg_name(f->reg));
	json_uint(j, "bit", f->bit);
	json_end(j);
}

void json_fset(struct json *j, const char *key, const struct cm_fset *s)
{
	json_array(j, key);
	for (long id = cm_fset_next(s, 0); id >= 0; id = cm_fset_next(s, (size_t)id + 1))
		json_feature(j, NULL, (size_t)id);
	json_end(j);
}

void print_fset_groups(FILE *f, const struct cm_fset *s, int indent)
{
	const struct cm_feature *first = NULL;
	size_t count = 0;
	for (long id = cm_fset_next(s, 0);; id = cm_fset_next(s, (size_t)id + 1)) {
		const struct cm_feature *ft = id >= 0 ? cm_feature_at((size_t)id) : NULL;
		if (first && (!ft || first->leaf != ft->leaf || first->subleaf != ft->subleaf ||
			      first->reg != ft->reg)) {
			fprintf(f, "%*s", indent, "");
			print_group_title(f, first->leaf, first->subleaf, first->reg);
			fprintf(f, ": %zu feature%s\n", count, count == 1 ? "" : "s");
			first = NULL;
		}
		if (!ft)
			break;
		if (!first) {
			first = ft;
			count = 0;
		}
		count++;
	}
}

void group_label(const struct cm_fleet_group *g, char *out, size_t n)
{
	unsigned fam = (g->signature >> 8) & 0xf, model = (g->signature >> 4) & 0xf;
	unsigned dfam = fam == 0xf ? fam + ((g->signature >> 20) & 0xff) : fam;
	unsigned dmod = fam >= 6 ? model + (((g->signature >> 16) & 0xf) << 4) : model;
	/* the microarchitecture, from a snapshot holding only the signature */
	cm_snap *s = NULL;
	const char *uarch = NULL;
	struct cm_cpuinfo ci;
	if (cm_snap_new(&s) == 0) {
		static const char *const ids[] = { "", "GenuineIntel", "AuthenticAMD", "HygonGenuine",
						   "CentaurHauls", "  Shanghai  ", "", "" };
		uint32_t r0[4] = { 1, 0, 0, 0 }, r1[4] = { g->signature, 0, 0, 0 };
		const char *id = ids[g->vendor < 7 ? g->vendor : 0];
		if (strlen(id) == 12) {
			memcpy(&r0[1], id, 4);
			memcpy(&r0[3], id + 4, 4);
			memcpy(&r0[2], id + 8, 4);
		}
		cm_snap_add(s, 0, CM_NO_SUBLEAF, r0, NULL);
		cm_snap_add(s, 1, CM_NO_SUBLEAF, r1, NULL);
		cm_decode(s, &ci);
		uarch = ci.uarch;
	}
	snprintf(out, n, "%s, family %#x model %#x", uarch ? uarch : "unknown", dfam, dmod);
	cm_snap_free(s);
}

