/* cmd_mask.c - cpuidmask mask explain | merge | lint: per-VM CPUID masks. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask mask", "explain|merge|lint ...",
	"Work with per-VM CPUID masks: VMware .vmx lines (cpuid.<leaf>.<reg> = \"...\")\n"
	"and Xen's legacy strings (\"leaf[,subleaf]:reg=...\").",
	"  mask explain FILE|LINE...   every bit a mask sets: feature, label, action\n"
	"  mask merge FILE...          one mask hiding all that any of them hides\n"
	"  mask lint FILE|LINE...      hidden features whose dependents stay visible, ...\n"
	"A FILE is a .vmx (other keys are ignored) or a file of Xen strings; an argument\n"
	"that is not a file is read as mask text, e.g. 'cpuid.1.ecx = \"---------0----...\"'.\n"
	"Exit status: explain and merge 0, lint 0 when clean and 1 with findings; 2 on error.\n",
};

/* Every operand into one mask (merged), each remembered for messages. */
static int load_all(char **args, int n, cm_mask **out)
{
	cm_mask *all;
	if (cm_mask_new(&all))
		return error("out of memory");
	for (int i = 0; i < n; i++) {
		struct stat st;
		cm_mask *m;
		int rc;
		if (strcmp(args[i], "-") == 0 || stat(args[i], &st) == 0) {
			rc = mask_load(args[i], &m);
		} else {
			char name[32];
			snprintf(name, sizeof name, "(argument %d)", i + 1);
			rc = mask_load_text(args[i], name, &m);
		}
		if (rc) {
			cm_mask_free(all);
			return rc;
		}
		struct cm_error err;
		cm_error_clear(&err);
		rc = cm_mask_merge(all, m, &err);
		if (rc) {
			/* file:line:col: of the character that conflicts, as other mask errors */
			const struct cm_mask_reg *r =
				rc == CM_ECONFLICT ? cm_mask_find(m, err.leaf, err.subleaf, err.reg)
						   : NULL;
			char where[600] = "";
			if (r && r->bit_origin[err.bit][0] && r->col[err.bit])
				snprintf(where, sizeof where, "%s:%u", r->bit_origin[err.bit],
					 (unsigned)r->col[err.bit]);
			else if (r && r->origin[0])
				snprintf(where, sizeof where, "%s", r->origin);
			rc = where[0] ? error_at(where, "%s", err.msg) : error("%s", err.msg);
			cm_mask_free(m);
			cm_mask_free(all);
			return rc;
		}
		cm_mask_free(m);
	}
	*out = all;
	return 0;
}

static void key_of(const struct cm_mask_reg *r, char *out, size_t n)
{
	if (r->subleaf == CM_NO_SUBLEAF || r->subleaf == 0)
		snprintf(out, n, "cpuid.%x.%s", r->leaf, cm_reg_name(r->reg));
	else
		snprintf(out, n, "%#x,%u:%s", r->leaf, r->subleaf, cm_reg_name(r->reg));
}

static int explain(cm_mask *m, bool as_json)
{
	struct json j;
	if (as_json) {
		json_init(&j, stdout);
		json_object(&j, NULL);
		json_array(&j, "registers");
	}
	for (size_t i = 0; i < cm_mask_count(m); i++) {
		const struct cm_mask_reg *r = cm_mask_at(m, i);
		char key[64];
		key_of(r, key, sizeof key);
		if (as_json) {
			json_object(&j, NULL);
			json_string(&j, "key", key);
			json_uint(&j, "leaf", r->leaf);
			json_uint(&j, "subleaf", r->subleaf == CM_NO_SUBLEAF ? 0 : r->subleaf);
			json_string(&j, "register", cm_reg_name(r->reg));
			json_string(&j, "origin", r->origin);
			json_array(&j, "bits");
		} else {
			printf("%s  (%s)  ", key, r->origin);
			print_group_title(stdout, r->leaf, r->subleaf, r->reg);
			printf("\n");
		}
		for (int b = 31; b >= 0; b--) {
			enum cm_action a = (enum cm_action)r->act[b];
			if (a == CM_ACT_DEFAULT)
				continue;
			int id = cm_feature_at_bit(r->leaf, r->subleaf, r->reg, b);
			if (as_json) {
				json_object_inline(&j, NULL);
				json_uint(&j, "bit", (unsigned)b);
				char c[2] = { cm_action_vmx_char(a), 0 };
				json_string(&j, "action", c);
				json_string(&j, "meaning", cm_action_describe(a));
				if (id >= 0)
					json_feature(&j, "feature", (size_t)id);
				else
					json_null(&j, "feature");
				json_end(&j);
				continue;
			}
			if (id >= 0) {
				const struct cm_feature *f = cm_feature_at((size_t)id);
				printf("  bit %2d  %c  %-20s %s: %s\n", b, cm_action_vmx_char(a), f->name,
				       cm_action_describe(a), f->label);
				continue;
			}
			/* runs of unnamed bits with one action on one line */
			int lo = b;
			while (lo > 0 && r->act[lo - 1] == a &&
			       cm_feature_at_bit(r->leaf, r->subleaf, r->reg, lo - 1) < 0)
				lo--;
			if (lo == b)
				printf("  bit %2d  %c  %-20s %s\n", b, cm_action_vmx_char(a), "-",
				       cm_action_describe(a));
			else
				printf("  bits %d-%d  %c  %-15s %s (%d bits)\n", b, lo,
				       cm_action_vmx_char(a), "-", cm_action_describe(a), b - lo + 1);
			b = lo;
		}
		if (as_json) {
			json_end(&j);
			json_end(&j);
		}
	}
	if (as_json) {
		json_end(&j);
		json_end(&j);
		json_finish(&j);
	}
	return EXIT_OK;
}

/* The shortest chain of dependency edges from `from` to `to`, as "a -> b -> c". */
static void chain(int from, int to, char *out, size_t n)
{
	size_t nd = cm_dep_count(), nf = cm_feature_count();
	int *prev = malloc(nf * sizeof *prev), *queue = malloc(nf * sizeof *queue);
	if (!prev || !queue) {
		snprintf(out, n, "%s", cm_feature_at((size_t)to)->name);
		free(prev);
		free(queue);
		return;
	}
	for (size_t i = 0; i < nf; i++)
		prev[i] = -2;
	size_t head = 0, tail = 0;
	queue[tail++] = from;
	prev[from] = -1;
	while (head < tail && prev[to] == -2) {
		int x = queue[head++];
		for (size_t e = 0; e < nd; e++) {
			const struct cm_dep *d = cm_dep_at(e);
			if (cm_feature_find(d->feature) != x)
				continue;
			int y = cm_feature_find(d->dependent);
			if (y >= 0 && prev[y] == -2) {
				prev[y] = x;
				queue[tail++] = y;
			}
		}
	}
	int path[64], k = 0;
	for (int x = to; x >= 0 && k < 64; x = prev[x])
		path[k++] = x;
	out[0] = '\0';
	for (int i = k - 1; i >= 0; i--) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%s", cm_feature_at((size_t)path[i])->name,
			 i ? " -> " : "");
	}
	free(prev);
	free(queue);
}

static int lint(cm_mask *m)
{
	struct cm_lint *v;
	size_t n;
	struct cm_error err;
	if (cm_mask_lint(m, &v, &n, &err))
		return error("%s", err.msg);
	cm_mask *fix;
	if (cm_mask_dup(&fix, m)) {
		free(v);
		return error("out of memory");
	}
	size_t findings = 0;
	char unreachable[1024] = "";
	for (size_t i = 0; i < n; i++) {
		const struct cm_lint *l = &v[i];
		const char *where = l->origin[0] ? l->origin : "mask";
		const struct cm_feature *f = l->feature >= 0 ? cm_feature_at((size_t)l->feature) : NULL;
		switch (l->kind) {
		case CM_LINT_DEPENDENCY: {
			/* one finding per hidden feature, its visible dependents below it */
			const struct cm_feature *p = cm_feature_at((size_t)l->parent);
			size_t j = i;
			while (j + 1 < n && v[j + 1].kind == CM_LINT_DEPENDENCY &&
			       v[j + 1].parent == l->parent)
				j++;
			printf("%s: %s is hidden, but %zu feature%s that need%s it %s not:\n", where,
			       p->name, j - i + 1, j > i ? "s" : "", j > i ? "" : "s",
			       j > i ? "are" : "is");
			for (size_t k = i; k <= j; k++) {
				const struct cm_feature *g = cm_feature_at((size_t)v[k].feature);
				char path[512];
				chain(l->parent, v[k].feature, path, sizeof path);
				printf("  %-20s %s\n", g->name, path);
				if (g->subleaf != CM_NO_SUBLEAF && g->subleaf != 0) {
					if (!strstr(unreachable, g->name)) {
						size_t len = strlen(unreachable);
						snprintf(unreachable + len, sizeof unreachable - len,
							 "%s%s", len ? ", " : "", g->name);
					}
				} else {
					cm_mask_set(fix, g->leaf, g->subleaf, g->reg, g->bit,
						    CM_ACT_CLEAR, "");
				}
			}
			findings++;
			i = j;
			break;
		}
		case CM_LINT_HYPERVISOR_BIT:
			printf("%s: CPUID level 0x1 register 'ecx' bit 31 (hypervisor) is forced to "
			       "'%c': VMware sets it for every guest, whether a VM mask can change "
			       "it is not documented, and a guest that sees 0 thinks it runs on "
			       "bare metal\n",
			       where, cm_action_vmx_char(cm_mask_action(m, 1, CM_NO_SUBLEAF, CM_ECX,
									 31)));
			findings++;
			break;
		case CM_LINT_FORCED_ON:
			printf("%s: %s (%s) is forced on: the guest is told the CPU has it, and "
			       "faults where the host lacks it\n",
			       where, f->name, f->label);
			findings++;
			break;
		case CM_LINT_NOT_A_FEATURE: {
			/* a register's unnamed bits in one note */
			size_t j = i;
			while (j + 1 < n && v[j + 1].kind == CM_LINT_NOT_A_FEATURE &&
			       v[j + 1].leaf == l->leaf && v[j + 1].subleaf == l->subleaf &&
			       v[j + 1].reg == l->reg)
				j++;
			printf("%s: note: ", where);
			print_group_title(stdout, l->leaf, l->subleaf, l->reg);
			printf(": bit%s ", j > i ? "s" : "");
			for (size_t k = i; k <= j; k++) {
				/* runs of consecutive bits as "31-19" */
				size_t e = k;
				while (e < j && v[e + 1].bit + 1 == v[e].bit)
					e++;
				if (e > k)
					printf("%s%u-%u", k > i ? ", " : "", v[k].bit, v[e].bit);
				else
					printf("%s%u", k > i ? ", " : "", v[k].bit);
				k = e;
			}
			printf(" name%s no feature (fields or reserved bits)\n", j > i ? "" : "s");
			i = j;
			break;
		}
		}
	}
	if (findings && !cm_mask_empty(fix)) {
		/* the lines that hide the dependents too */
		struct cm_buf b = CM_BUF_INIT;
		cm_mask *only;
		if (cm_mask_new(&only) == 0) {
			for (size_t i = 0; i < n; i++) {
				if (v[i].kind != CM_LINT_DEPENDENCY)
					continue;
				const struct cm_mask_reg *r =
					cm_mask_find(fix, v[i].leaf, v[i].subleaf, v[i].reg);
				if (!r || cm_mask_find(only, r->leaf, r->subleaf, r->reg))
					continue;
				for (int k = 0; k < 32; k++)
					cm_mask_set(only, r->leaf, r->subleaf, r->reg, k,
						    (enum cm_action)r->act[k], "");
			}
			if (cm_mask_write_vmx(&b, only, NULL) == 0 && b.len)
				printf("\nlines that hide the dependents too (they replace the mask's lines of the same key):\n%s", b.data);
			cm_mask_free(only);
		}
		cm_buf_free(&b);
	}
	if (unreachable[0])
		printf("\nno cpuid.* key reaches subleaf 1 (%s): hide them with featMask keys "
		       "(hardware version 9+), or accept that the guest sees them\n",
		       unreachable);
	if (!findings)
		printf("no findings\n");
	free(v);
	cm_mask_free(fix);
	return findings ? EXIT_DIFFER : EXIT_OK;
}

int cmd_mask(int argc, char **argv)
{
	bool as_json = false, xen = false;
	const struct opt opts[] = {
		{ OPT_FLAG, "json", 0, &as_json, NULL, "explain: print JSON (docs/json.md)" },
		{ OPT_FLAG, "xen", 0, &xen, NULL, "merge: write Xen strings instead of .vmx lines" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest < 2)
		return error("mask needs a verb (explain, merge, lint) and at least one "
			     "FILE or LINE; see 'cpuidmask mask --help'");
	const char *verb = rest[0];
	if (strcmp(verb, "explain") && strcmp(verb, "merge") && strcmp(verb, "lint"))
		return error("'%s' is not a mask verb: explain, merge or lint", verb);
	cm_mask *m = NULL;
	if ((rc = load_all(rest + 1, nrest - 1, &m)))
		return rc;
	if (strcmp(verb, "explain") == 0) {
		rc = explain(m, as_json);
	} else if (strcmp(verb, "lint") == 0) {
		rc = lint(m);
	} else {
		struct cm_buf b = CM_BUF_INIT;
		struct cm_error err;
		cm_error_clear(&err);
		if ((xen ? cm_mask_write_xen : cm_mask_write_vmx)(&b, m, &err))
			rc = error("%s", err.msg);
		else
			fputs(b.data ? b.data : "", stdout);
		cm_buf_free(&b);
	}
	cm_mask_free(m);
	return rc;
}
