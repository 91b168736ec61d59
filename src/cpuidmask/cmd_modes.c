/* cmd_modes.c - cpuidmask modes: which named baselines hosts meet. */
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
		struct cm_fset have;
		cm_snap_features(hosts[i], &have, NULL);
		if (as_json) {
			json_object(&j, NULL);
			json_string(&j, "host", args[i]);
			json_string(&j, "brand", ci.brand[0] ? ci.brand : NULL);
		} else {
			printf("%s%s%s%s\n", args[i], ci.brand[0] ? " (" : "", ci.brand,
			       ci.brand[0] ? ")" : "");
		}
		for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
			struct cm_baseline one;
			const cm_snap *h = hosts[i];
			cm_baseline(&one, &h, 1, 0, NULL);
			const struct cm_model *m = cm_model_best(&one.common, ci.vendor_id, families[f]);
			if (as_json)
				json_string(&j, families[f], m ? m->name : NULL);
			else
				printf("  %-7s %s\n", families[f], m ? m->name : "(none)");
		}
		if (as_json)
			json_end(&j);
	}
	if (as_json)
		json_end(&j);
	if (n > 1) {
		if (as_json)
			json_object(&j, "common");
		else
			printf("all %d hosts%s\n", n, have_common ? "" : ": different vendors, none");
		for (size_t f = 0; have_common && f < sizeof families / sizeof families[0]; f++) {
			const struct cm_model *m = cm_model_best(&b.common, b.vendor, families[f]);
			if (as_json)
				json_string(&j, families[f], m ? m->name : NULL);
			else
				printf("  %-7s %s\n", families[f], m ? m->name : "(none)");
		}
		if (as_json)
			json_end(&j);
	}
	if (as_json) {
		json_end(&j);
		json_finish(&j);
	}
	hosts_free(hosts, n);
	return EXIT_OK;
}
