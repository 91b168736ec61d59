/* cmd_modes.c - cpuidmask modes: which named baselines hosts meet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask modes", "[HOST...]",
	"Which named baselines each HOST meets (VMware EVC-like generations, QEMU/libvirt\n"
	"CPU models, x86-64 psABI levels), and for several hosts the highest each family\n"
	"offers them all.",
	"HOST defaults to this machine. --list prints the named baselines and what each\n"
	"is built from. EVC-like modes are cpuidmask's reconstruction (docs/baselines.md):\n"
	"VMware's own masks are not public.\n",
};

static const char *const families[] = { "evc", "qemu", "x86-64" };

static void list_models(bool as_json)
{
	struct json j;
	if (as_json) {
		json_init(&j, stdout);
		json_array(&j, NULL);
	}
	for (size_t i = 0; i < cm_model_count(); i++) {
		const struct cm_model *m = cm_model_at(i);
		struct cm_fset f;
		cm_model_features(m, &f);
		if (as_json) {
			json_object_inline(&j, NULL);
			json_string(&j, "name", m->name);
			json_string(&j, "family", m->family);
			json_string(&j, "vendor", m->vendor);
			json_string(&j, "description", m->desc);
			json_uint(&j, "features", cm_fset_count(&f));
			json_end(&j);
		} else {
			printf("%-26s %-6s %-5s %3zu  %s\n", m->name, m->family, m->vendor,
			       cm_fset_count(&f), m->desc);
		}
	}
	if (as_json) {
		json_end(&j);
		json_finish(&j);
	}
}

/*
 * "Westmere (EVC-like)": how an EVC-like mode is shown, so that it is not taken for one of
 * VMware's own EVC keys (the key-like name is cpuidmask's, docs/baselines.md). The
 * generation is the quoted name of the description ('Intel "Westmere" Generation'), else its
 * words before the vendor-less "Generation N" ('AMD Opteron Generation 1').
 */
static void mode_label(const struct cm_model *m, char *out, size_t n)
{
	if (strcmp(m->family, "evc") != 0) {
		snprintf(out, n, "%s", m->name);
		return;
	}
	const char *d = m->desc, *end = strstr(d, " (EVC-like)");
	size_t len = end ? (size_t)(end - d) : strlen(d);
	const char *q = memchr(d, '"', len);
	const char *q2 = q ? memchr(q + 1, '"', len - (size_t)(q + 1 - d)) : NULL;
	if (q && q2) {
		snprintf(out, n, "%.*s (EVC-like)", (int)(q2 - q - 1), q + 1);
		return;
	}
	const char *sp = memchr(d, ' ', len);
	if (sp) {
		len -= (size_t)(sp + 1 - d);
		d = sp + 1;
	}
	snprintf(out, n, "%.*s (EVC-like)", (int)len, d);
}

static bool fits(const struct cm_model *m, const char *family, enum cm_vendor v)
{
	if (strcmp(m->family, family) != 0)
		return false;
	if (strcmp(m->vendor, "any") == 0)
		return true;
	if (v == CM_VENDOR_HYGON && strcmp(m->vendor, "amd") == 0)
		return true;
	return strcmp(m->vendor, cm_vendor_name(v)) == 0;
}

/* What the hosts meet: met[i] for model i, true when every host meets it. */
static void meets(cm_snap **hosts, int n, enum cm_vendor v, bool *met)
{
	for (size_t i = 0; i < cm_model_count(); i++) {
		const struct cm_model *m = cm_model_at(i);
		met[i] = fits(m, "evc", v) || fits(m, "qemu", v) || fits(m, "x86-64", v);
		for (int h = 0; h < n && met[i]; h++)
			met[i] = cm_model_met(m, hosts[h], NULL);
	}
}

/*
 * The first model of the family after the best one, in the table's order, that the hosts do
 * not all meet, and what they lack for it: for the EVC-like chain and the psABI levels, the
 * step up. NULL for the QEMU models, which form no chain.
 */
static const struct cm_model *next_up(const char *family, const struct cm_model *best,
				      cm_snap **hosts, int n, enum cm_vendor v,
				      struct cm_fset *lacks)
{
	if (strcmp(family, "qemu") == 0)
		return NULL;
	bool after = best == NULL;
	for (size_t i = 0; i < cm_model_count(); i++) {
		const struct cm_model *m = cm_model_at(i);
		if (m == best) {
			after = true;
			continue;
		}
		if (!after || !fits(m, family, v))
			continue;
		memset(lacks, 0, sizeof *lacks);
		for (int h = 0; h < n; h++) {
			struct cm_fset miss;
			if (!cm_model_met(m, hosts[h], &miss))
				cm_fset_or(lacks, &miss);
		}
		if (!cm_fset_empty(lacks))
			return m;
	}
	return NULL;
}

static void print_names(const struct cm_fset *s)
{
	for (long id = cm_fset_next(s, 0); id >= 0; id = cm_fset_next(s, (size_t)id + 1))
		printf(" %s", cm_feature_at((size_t)id)->name);
}

static void json_names(struct json *j, const char *key, const struct cm_fset *s)
{
	json_array(j, key);
	for (long id = cm_fset_next(s, 0); id >= 0; id = cm_fset_next(s, (size_t)id + 1))
		json_string(j, NULL, cm_feature_at((size_t)id)->name);
	json_end(j);
}

/* One family for a host or for all: the best, the label, all met, the next step up. */
static void family_report(struct json *j, const char *family, const struct cm_model *best,
			  const bool *met, cm_snap **hosts, int n, enum cm_vendor v)
{
	char label[128];
	if (best)
		mode_label(best, label, sizeof label);
	struct cm_fset lacks;
	const struct cm_model *next = next_up(family, best, hosts, n, v, &lacks);
	if (j) {
		json_object(j, family);
		json_string(j, "best", best ? best->name : NULL);
		json_string(j, "label", best ? label : NULL);
		json_array(j, "meets");
		for (size_t i = 0; i < cm_model_count(); i++)
			if (met[i] && strcmp(cm_model_at(i)->family, family) == 0)
				json_string(j, NULL, cm_model_at(i)->name);
		json_end(j);
		if (next) {
			json_object(j, "next");
			json_string(j, "name", next->name);
			json_names(j, "lacks", &lacks);
			json_end(j);
		} else {
			json_null(j, "next");
		}
		json_end(j);
		return;
	}
	if (!best) {
		printf("  %-7s (none)\n", family);
	} else if (strcmp(family, "evc") == 0) {
		printf("  %-7s %s: %s\n", family, label, best->name);
	} else {
		printf("  %-7s %s\n", family, best->name);
	}
	size_t count = 0;
	for (size_t i = 0; i < cm_model_count(); i++)
		count += met[i] && strcmp(cm_model_at(i)->family, family) == 0;
	if (count) {
		printf("          meets %zu:", count);
		for (size_t i = 0; i < cm_model_count(); i++)
			if (met[i] && strcmp(cm_model_at(i)->family, family) == 0)
				printf(" %s", cm_model_at(i)->name);
		printf("\n");
	}
	if (next) {
		char nl[128];
		mode_label(next, nl, sizeof nl);
		printf("          not %s: lacks", nl);
		print_names(&lacks);
		printf("\n");
	}
}

int cmd_modes(int argc, char **argv)
{
	bool as_json = false, list = false;
	struct source_opts so = SOURCE_OPTS_INIT;
	const struct opt opts[] = {
		{ OPT_FLAG, "list", 0, &list, NULL, "list the named baselines" },
		{ OPT_FLAG, "json", 0, &as_json, NULL, "print JSON (docs/json.md)" },
		SOURCE_OPTS(so),
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (list) {
		list_models(as_json);
		return EXIT_OK;
	}
	char *host_arg[] = { "host" };
	char **args = nrest ? rest : host_arg;
	int n = nrest ? nrest : 1;
	cm_snap **hosts;
	if ((rc = hosts_load(args, n, &so, &hosts)))
		return rc;
	bool *met = calloc(cm_model_count(), sizeof *met);
	if (!met) {
		hosts_free(hosts, n);
		return error("out of memory");
	}
	struct json j;
	if (as_json) {
		json_init(&j, stdout);
		json_object(&j, NULL);
		json_array(&j, "hosts");
	}
	struct cm_baseline b;
	struct cm_error err;
	bool have_common = cm_baseline(&b, (const cm_snap *const *)hosts, (size_t)n,
				       CM_BASELINE_FORCE, &err) == 0 && !b.mixed_vendors;
	for (int i = 0; i < n; i++) {
		struct cm_cpuinfo ci;
		cm_decode(hosts[i], &ci);
		if (as_json) {
			json_object(&j, NULL);
			json_string(&j, "host", args[i]);
			json_string(&j, "brand", ci.brand[0] ? ci.brand : NULL);
		} else {
			printf("%s%s%s%s\n", args[i], ci.brand[0] ? " (" : "", ci.brand,
			       ci.brand[0] ? ")" : "");
		}
		struct cm_baseline one;
		const cm_snap *h = hosts[i];
		cm_baseline(&one, &h, 1, 0, NULL);
		meets(&hosts[i], 1, ci.vendor_id, met);
		for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
			const struct cm_model *m = cm_model_best(&one.common, ci.vendor_id, families[f]);
			if (as_json)
				json_string(&j, families[f], m ? m->name : NULL);
		}
		if (as_json)
			json_object(&j, "families");
		for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
			const struct cm_model *m = cm_model_best(&one.common, ci.vendor_id, families[f]);
			family_report(as_json ? &j : NULL, families[f], m, met, &hosts[i], 1,
				      ci.vendor_id);
		}
		if (as_json) {
			json_end(&j);
			json_end(&j);
		}
	}
	if (as_json)
		json_end(&j);
	if (n > 1) {
		if (as_json)
			json_object(&j, "common");
		else
			printf("all %d hosts%s\n", n, have_common ? "" : ": different vendors, none");
		if (have_common)
			meets(hosts, n, b.vendor, met);
		for (size_t f = 0; have_common && f < sizeof families / sizeof families[0]; f++) {
			const struct cm_model *m = cm_model_best(&b.common, b.vendor, families[f]);
			if (as_json)
				json_string(&j, families[f], m ? m->name : NULL);
		}
		if (as_json && have_common)
			json_object(&j, "families");
		for (size_t f = 0; have_common && f < sizeof families / sizeof families[0]; f++) {
			const struct cm_model *m = cm_model_best(&b.common, b.vendor, families[f]);
			family_report(as_json ? &j : NULL, families[f], m, met, hosts, n, b.vendor);
		}
		if (as_json && have_common)
			json_end(&j);
		if (as_json)
			json_end(&j);
	}
	if (as_json) {
		json_end(&j);
		json_finish(&j);
	}
	free(met);
	hosts_free(hosts, n);
	return EXIT_OK;
}
