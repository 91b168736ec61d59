/* output.c - features and snapshots as text and as JSON. */
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
