/* cmd_baseline.c - cpuidmask baseline: make any number of hosts look alike to a VM. */
#include <stdlib.h>
#include <string.h>

#include "../common/file.h"
#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask baseline", "HOST...",
	"The configuration that shows a VM only what every HOST has, for the hypervisor\n"
	"of --target: VMware .vmx or featMask lines, Xen cpuid=, QEMU -cpu, libvirt <cpu>,\n"
	"a Proxmox cpu: line. A feature whose prerequisite is not common is hidden too.",
	"--style minimal (the default) hides only what is not common, as the seed's merged\n"
	"lines do; --style full forces 0 on every other bit of the levelled registers, the\n"
	"seed's \"poor man's EVC\". --mode NAME writes the mask of a named baseline (see\n"
	"'cpuidmask modes'; EVC-like modes take the full style), checked against any HOST\n"
	"given. Hosts of different vendors are refused unless --force. -v explains on\n"
	"standard error. Exit status: 0, 1 when a HOST does not meet --mode, 2 on error.\n",
};

static void explain_set(const char *what, const struct cm_fset *s)
{
	if (cm_fset_empty(s))
		return;
	fprintf(stderr, "%s (%zu):\n", what, cm_fset_count(s));
	print_fset(stderr, s, 2);
}

static void note_cb(const struct cm_error *w, void *payload)
{
	(void)payload;
	fprintf(stderr, "cpuidmask: note: %s\n", w->msg);
}

/* Names in a libvirt CPU map directory: x86_<Model>.xml files and <feature name='...'>. */
struct cpu_map {
	const char *dir;
	char *features;		/* x86_features.xml, whole */
};

static bool map_knows(bool is_model, const char *name, void *ctx)
{
	struct cpu_map *map = ctx;
	char path[1024];
	if (is_model) {
		snprintf(path, sizeof path, "%s/x86_%s.xml", map->dir, name);
		FILE *f = fopen(path, "r");
		if (f)
			fclose(f);
		return f != NULL;
	}
	char want[256];
	snprintf(want, sizeof want, "<feature name='%s'>", name);
	return map->features && strstr(map->features, want);
}

static void json_lines(struct json *j, const char *key, const char *text)
{
	json_array(j, key);
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = malloc(n + 1);
		if (line) {
			memcpy(line, p, n);
			line[n] = '\0';
			json_string(j, NULL, line);
			free(line);
		}
		p = nl ? nl + 1 : p + n;
	}
	json_end(j);
}

int cmd_baseline(int argc, char **argv)
{
	bool as_json = false, force = false, verbose = false;
	const char *style_arg = NULL, *target_arg = "vmx", *mode_arg = NULL, *map_dir = NULL;
	struct source_opts so = SOURCE_OPTS_INIT;
	const struct opt opts[] = {
		{ OPT_STRING, "target", 't', &target_arg, "T",
		  "vmx (default), featmask, xen, xl, qemu, libvirt, proxmox, json" },
		{ OPT_STRING, "style", 0, &style_arg, "minimal|full", "what a mask hides (default minimal)" },
		{ OPT_STRING, "mode", 'm', &mode_arg, "NAME", "a named baseline instead of the hosts'" },
		{ OPT_FLAG, "force", 0, &force, NULL, "accept hosts of different vendors" },
		{ OPT_STRING, "cpu-map", 0, &map_dir, "DIR",
		  "libvirt: use only models and names of this CPU map" },
		{ OPT_FLAG, "json", 0, &as_json, NULL, "print JSON (docs/json.md)" },
		{ OPT_FLAG, "verbose", 'v', &verbose, NULL, "explain what is hidden and why" },
		SOURCE_OPTS(so),
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	/* --target json is --json: the baseline and the .vmx lines, as one document */
	if (strcmp(target_arg, "json") == 0) {
		as_json = true;
		target_arg = "vmx";
	}
	int target = cm_target_from_name(target_arg);
	if (target < 0)
		return error("--target takes vmx, featmask, xen, xl, qemu, libvirt, proxmox or json, "
			     "not '%s'", target_arg);
	const struct cm_model *mode = NULL;
	if (mode_arg && !(mode = model_lookup(mode_arg)))
		return error("no named baseline is called '%s' (see 'cpuidmask modes --list')",
			     mode_arg);
	if (!mode && nrest == 0)
		return error("baseline takes one or more HOSTs, or --mode NAME; see "
			     "'cpuidmask baseline --help'");
	enum cm_mask_style style = mode && strcmp(mode->family, "x86-64") != 0 ? CM_STYLE_FULL
									  : CM_STYLE_MINIMAL;
	if (style_arg && strcmp(style_arg, "minimal") == 0)
		style = CM_STYLE_MINIMAL;
	else if (style_arg && strcmp(style_arg, "full") == 0)
		style = CM_STYLE_FULL;
	else if (style_arg)
		return error("--style takes minimal or full, not '%s'", style_arg);

	cm_snap **hosts = NULL;
	struct cpu_map map = { map_dir, NULL };
	if ((rc = hosts_load(rest, nrest, &so, &hosts)))
		return rc;
	struct cm_error err;
	cm_error_clear(&err);
	struct cm_baseline b;
	memset(&b, 0, sizeof b);
	cm_mask *mask = NULL;
	struct cm_buf out = CM_BUF_INIT;
	bool all_meet = true;
	bool vmware = target == CM_TARGET_VMX || target == CM_TARGET_FEATMASK;
	if (nrest && cm_baseline(&b, (const cm_snap *const *)hosts, (size_t)nrest,
				 force ? CM_BASELINE_FORCE : 0, &err)) {
		rc = baseline_error(&err, hosts, nrest);
		goto out;
	}
	struct cm_fset keep = b.common, some = b.some;
	enum cm_vendor vendor = b.vendor;
	if (mode) {
		cm_model_features(mode, &keep);
		if (!nrest) {
			memset(&some, 0, sizeof some);
			vendor = strcmp(mode->vendor, "amd") == 0 ? CM_VENDOR_AMD : CM_VENDOR_INTEL;
		}
		for (int i = 0; i < nrest; i++) {
			struct cm_fset missing;
			if (cm_model_met(mode, hosts[i], &missing))
				continue;
			all_meet = false;
			fprintf(stderr, "cpuidmask: %s does not meet %s; it lacks:\n", rest[i],
				mode->name);
			print_fset(stderr, &missing, 2);
		}
	}
	/* a mode's mask is the seed's: exactly its features pass, whatever VMware does */
	if (mode && style == CM_STYLE_FULL)
		style = CM_STYLE_EXACT;
	if (cm_baseline_mask(&mask, &keep, &some, style, vmware, &err)) {
		rc = error("%s", err.msg);
		goto out;
	}
	struct cm_emit_input in = { .mask = mask, .keep = &keep, .vendor = vendor };
	if (map_dir) {
		char path[1024];
		size_t flen;
		snprintf(path, sizeof path, "%s/x86_features.xml", map_dir);
		if (file_read(path, &map.features, &flen)) {
			rc = EXIT_ERROR;
			goto out;
		}
		in.known = map_knows;
		in.known_ctx = &map;
	}
	if (cm_emit(&out, (enum cm_target)target, &in, as_json ? NULL : note_cb, NULL, &err)) {
		rc = error("%s%s", err.msg,
			   target == CM_TARGET_VMX && err.code == CM_EUNSUPPORTED
				   ? " (--target featmask reaches it)"
				   : "");
		goto out;
	}
	if (as_json) {
		struct json j;
		json_init(&j, stdout);
		json_object(&j, NULL);
		json_array(&j, "hosts");
		for (int i = 0; i < nrest; i++)
			json_string(&j, NULL, cm_snap_source(hosts[i]));
		json_end(&j);
		json_string(&j, "vendor", cm_vendor_name(vendor));
		json_string(&j, "mode", mode ? mode->name : NULL);
		json_string(&j, "style", style == CM_STYLE_MINIMAL ? "minimal" : "full");
		json_bool(&j, "hosts_meet_mode", all_meet);
		json_fset(&j, "common", &keep);
		struct cm_fset hidden = some;
		cm_fset_andnot(&hidden, &keep);
		json_fset(&j, "hidden", &hidden);
		json_fset(&j, "hidden_by_dependency", &b.by_dependency);
		json_fset(&j, "unknown", &b.unknown);
		json_object(&j, "config");
		json_string(&j, "target", target_arg);
		json_lines(&j, "lines", out.data);
		json_end(&j);
		json_end(&j);
		json_finish(&j);
	} else {
		fputs(out.data ? out.data : "", stdout);
		if (verbose) {
			/* what the lines hide, and what is different but not theirs to hide */
			struct cm_fset by_mask = { { 0 } }, other = some;
			for (size_t id = 0; id < cm_feature_count(); id++) {
				const struct cm_feature *f = cm_feature_at(id);
				if (cm_mask_action(mask, f->leaf, f->subleaf, f->reg, f->bit) ==
				    CM_ACT_CLEAR && cm_fset_has(&some, id))
					cm_fset_add(&by_mask, id);
			}
			cm_fset_andnot(&other, &keep);
			cm_fset_andnot(&other, &by_mask);
			explain_set("hidden by these lines", &by_mask);
			explain_set("of those, common to every host but hidden because something they "
				    "need is not", &b.by_dependency);
			explain_set(vmware ? "not on every host, but VMware already hides, sets or "
					     "leaves them to the guest OS"
					   : "not on every host, left to the hypervisor (host-only, "
					     "OS-set, XSAVE state it derives, bits Xen ORs across a "
					     "pool, x87 bits it cannot hide)",
				    &other);
			explain_set("unknown on some host (not in its data), hidden", &b.unknown);
		}
	}
	rc = all_meet ? EXIT_OK : EXIT_DIFFER;
out:
	free(map.features);
	cm_buf_free(&out);
	cm_mask_free(mask);
	hosts_free(hosts, nrest);
	return rc;
}
