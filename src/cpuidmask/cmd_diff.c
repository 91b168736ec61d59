/* cmd_diff.c - cpuidmask diff: the features two CPUs do not share. */
#include <stdlib.h>

#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask diff", "A B",
	"Show the features CPU A exposes that B lacks and the reverse, grouped by CPUID\n"
	"register as vSphere groups them, then differing bits no feature names.",
	"A and B are dumps in any format cpuidmask reads, '-' for standard input, or\n"
	"'host' for the CPU this runs on. Exit status: 0 when both show the same\n"
	"features, 1 when they differ, 2 on error (as diff(1)).\n",
};

struct rawbits {
	struct cm_rawbit *v;
	size_t n, cap;
};

static int keep_rawbit(const struct cm_rawbit *b, void *payload)
{
	struct rawbits *r = payload;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		struct cm_rawbit *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return CM_ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *b;
	return 0;
}

/*
 * Why a difference is not what it seems, or NULL. `lacks` is the side without the feature.
 * Intel reports SYSCALL (0x80000001 EDX[11]) only to 64-bit code, so a dump taken by a
 * 32-bit program (many InstLatx64 files, the seed's Atom C2750 among them) shows LM without
 * it; guest, check, baseline and fleet count it as present (lib/guest.c, lib/baseline.c).
 */
static const char *note_of(const struct cm_feature *f, const cm_snap *lacks, bool lacks_a)
{
	if (f->leaf == 0x80000001u && f->reg == CM_EDX && f->bit == 11 &&
	    cm_snap_bit(lacks, 0x80000001u, CM_NO_SUBLEAF, CM_EDX, 29) == 1)
		return lacks_a ? "not a real difference: A shows LM without SYSCALL, as an Intel CPU "
				 "does to 32-bit code like the program that took A's dump; in "
				 "64-bit mode A has SYSCALL too"
			       : "not a real difference: B shows LM without SYSCALL, as an Intel CPU "
				 "does to 32-bit code like the program that took B's dump; in "
				 "64-bit mode B has SYSCALL too";
	return NULL;
}

/* print_fset, with a note under a feature whose difference needs one */
static void print_only(const struct cm_fset *s, const cm_snap *lacks, bool lacks_a)
{
	const struct cm_feature *prev = NULL;
	for (long id = cm_fset_next(s, 0); id >= 0; id = cm_fset_next(s, (size_t)id + 1)) {
		const struct cm_feature *ft = cm_feature_at((size_t)id);
		if (!prev || prev->leaf != ft->leaf || prev->subleaf != ft->subleaf ||
		    prev->reg != ft->reg) {
			printf("  ");
			print_group_title(stdout, ft->leaf, ft->subleaf, ft->reg);
			printf("\n");
		}
		printf("    bit %2u  %-20s %s\n", ft->bit, ft->name, ft->label);
		const char *note = note_of(ft, lacks, lacks_a);
		if (note)
			printf("%12s%-20s (%s)\n", "", "", note);
		prev = ft;
	}
}

static void json_notes(struct json *j, const struct cm_fset *s, const cm_snap *lacks,
		       bool lacks_a)
{
	for (long id = cm_fset_next(s, 0); id >= 0; id = cm_fset_next(s, (size_t)id + 1)) {
		const char *note = note_of(cm_feature_at((size_t)id), lacks, lacks_a);
		if (!note)
			continue;
		json_object_inline(j, NULL);
		json_string(j, "name", cm_feature_at((size_t)id)->name);
		json_string(j, "note", note);
		json_end(j);
	}
}

static void print_side(const char *tag, const cm_snap *s)
{
	struct cm_cpuinfo ci;
	cm_decode(s, &ci);
	printf("%s: %s", tag, cm_snap_source(s));
	if (ci.brand[0])
		printf(" (%s)", ci.brand);
	printf("\n");
}

static void json_side(struct json *j, const char *key, const cm_snap *s)
{
	struct cm_cpuinfo ci;
	cm_decode(s, &ci);
	json_object(j, key);
	json_string(j, "source", cm_snap_source(s));
	json_string(j, "vendor", ci.vendor[0] ? ci.vendor : NULL);
	json_string(j, "brand", ci.brand[0] ? ci.brand : NULL);
	json_end(j);
}

int cmd_diff(int argc, char **argv)
{
	bool as_json = false;
	struct source_opts so = SOURCE_OPTS_INIT;
	const struct opt opts[] = {
		{ OPT_FLAG, "json", 0, &as_json, NULL, "print JSON (docs/json.md)" },
		SOURCE_OPTS(so),
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest != 2)
		return error("diff takes two SOURCEs, A and B; see 'cpuidmask diff --help'");
	cm_snap *a = NULL, *b = NULL;
	if ((rc = source_load(rest[0], &so, &a)) || (rc = source_load(rest[1], &so, &b))) {
		cm_snap_free(a);
		return rc;
	}
	struct cm_fset only_a, only_b, unknown;
	struct rawbits raw = { 0 };
	if (cm_diff(a, b, &only_a, &only_b, &unknown, keep_rawbit, &raw)) {
		rc = error("out of memory");
		goto out;
	}
	bool differ = !cm_fset_empty(&only_a) || !cm_fset_empty(&only_b);
	if (as_json) {
		struct json j;
		json_init(&j, stdout);
		json_object(&j, NULL);
		json_side(&j, "a", a);
		json_side(&j, "b", b);
		json_bool(&j, "equal", !differ);
		json_fset(&j, "only_a", &only_a);
		json_fset(&j, "only_b", &only_b);
		json_fset(&j, "unknown", &unknown);
		json_array(&j, "notes");
		json_notes(&j, &only_a, b, false);
		json_notes(&j, &only_b, a, true);
		json_end(&j);
		json_array(&j, "other_bits");
		for (size_t i = 0; i < raw.n; i++) {
			const struct cm_rawbit *r = &raw.v[i];
			json_object_inline(&j, NULL);
			json_uint(&j, "leaf", r->leaf);
			json_uint(&j, "subleaf", r->subleaf == CM_NO_SUBLEAF ? 0 : r->subleaf);
			json_string(&j, "register", cm_reg_name(r->reg));
			json_uint(&j, "bit", r->bit);
			json_uint(&j, "a", r->a);
			json_uint(&j, "b", r->b);
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
		json_finish(&j);
	} else {
		print_side("A", a);
		print_side("B", b);
		if (!differ)
			printf("\nA and B show the same features.\n");
		if (!cm_fset_empty(&only_a)) {
			printf("\nOnly in A (%zu):\n", cm_fset_count(&only_a));
			print_only(&only_a, b, false);
		}
		if (!cm_fset_empty(&only_b)) {
			printf("\nOnly in B (%zu):\n", cm_fset_count(&only_b));
			print_only(&only_b, a, true);
		}
		if (raw.n) {
			printf("\nOther differing bits (no feature of the table names them):\n");
			for (size_t i = 0; i < raw.n; i++) {
				const struct cm_rawbit *r = &raw.v[i];
				printf("  ");
				print_group_title(stdout, r->leaf, r->subleaf, r->reg);
				printf(" bit %u: A=%u B=%u\n", r->bit, r->a, r->b);
			}
		}
		if (!cm_fset_empty(&unknown)) {
			printf("\nNot compared, unknown in A or B (%zu, see --json for the list):\n",
			       cm_fset_count(&unknown));
			print_fset_groups(stdout, &unknown, 2);
		}
	}
	rc = differ ? EXIT_DIFFER : EXIT_OK;
out:
	free(raw.v);
	cm_snap_free(a);
	cm_snap_free(b);
	return rc;
}
