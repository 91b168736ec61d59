/* cmd_apply.c - cpuidmask apply: write a mask into a VM's .vmx, safely. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/file.h"
#include "../common/udiff.h"
#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask apply", "VM.vmx [HOST...]",
	"Write CPUID mask lines into a VM's .vmx: from --mask FILE, from the baseline of\n"
	"the HOSTs (--baseline), or from a named baseline (--mode NAME).",
	"Only the cpuid.* (and featMask.*) lines the mask sets are replaced or added;\n"
	"every other byte of the file stays as it was (order, comments, CRLF, a missing\n"
	"final newline). The new file is written beside the old one, synced and renamed\n"
	"over it, keeping its owner and mode, after a backup (VM.vmx.cpuidmask.bak, or\n"
	"--backup SUFFIX; a backup is never overwritten: a later one is .bak.1, .bak.2);\n"
	"nothing is written when the file changed while cpuidmask worked. Applying twice\n"
	"changes nothing the second time. --dry-run prints the change as a unified diff.\n"
	"Exit status: 0 done (or nothing to do), 1 a HOST does not meet --mode, 2 error.\n",
};

/* The key = "value" pairs of emitted .vmx text. */
struct pairs {
	char **keys, **values;
	size_t n;
};

static void pairs_free(struct pairs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->keys[i]);
		free(p->values[i]);
	}
	free(p->keys);
	free(p->values);
}

static int pairs_from(const char *text, struct pairs *p)
{
	memset(p, 0, sizeof *p);
	size_t cap = 0;
	for (const char *s = text; s && *s;) {
		const char *nl = strchr(s, '\n');
		const char *eq = strstr(s, " = \"");
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (eq && eq < s + n) {
			if (p->n == cap) {
				cap = cap ? cap * 2 : 16;
				char **k = realloc(p->keys, cap * sizeof *k);
				char **v = realloc(p->values, cap * sizeof *v);
				if (k)
					p->keys = k;
				if (v)
					p->values = v;
				if (!k || !v)
					return -1;
			}
			const char *vs = eq + 4, *ve = s + n - 1; /* the closing quote */
			p->keys[p->n] = strndup(s, (size_t)(eq - s));
			p->values[p->n] = strndup(vs, (size_t)(ve - vs));
			if (!p->keys[p->n] || !p->values[p->n])
				return -1;
			p->n++;
		}
		s = nl ? nl + 1 : s + n;
	}
	return 0;
}

/* The desired lines: .vmx keys, or featMask keys for what cpuid.* keys cannot reach. */
static int lines_for(const cm_mask *m, struct cm_buf *out)
{
	struct cm_error err;
	struct cm_emit_input in = { .mask = m, .vendor = CM_VENDOR_UNKNOWN };
	if (cm_emit(out, CM_TARGET_VMX, &in, NULL, NULL, &err) == 0)
		return 0;
	cm_buf_reset(out);
	if (cm_emit(out, CM_TARGET_FEATMASK, &in, NULL, NULL, &err))
		return error("%s", err.msg);
	return 0;
}

int cmd_apply(int argc, char **argv)
{
	bool baseline = false, dry_run = false, force = false;
	const char *mask_arg = NULL, *mode_arg = NULL, *suffix = ".cpuidmask.bak";
	const char *style_arg = NULL;
	struct source_opts so = SOURCE_OPTS_INIT;
	const struct opt opts[] = {
		{ OPT_FLAG, "baseline", 'b', &baseline, NULL, "the baseline of the HOSTs given" },
		{ OPT_STRING, "mask", 0, &mask_arg, "FILE", "a mask (.vmx lines or Xen strings)" },
		{ OPT_STRING, "mode", 'm', &mode_arg, "NAME", "a named baseline (checked against HOSTs)" },
		{ OPT_STRING, "style", 0, &style_arg, "minimal|full", "with --baseline (default minimal)" },
		{ OPT_FLAG, "dry-run", 'n', &dry_run, NULL, "print the change; write nothing" },
		{ OPT_STRING, "backup", 0, &suffix, "SUFFIX", "backup name suffix (default .cpuidmask.bak)" },
		{ OPT_FLAG, "force", 0, &force, NULL, "accept hosts of different vendors" },
		SOURCE_OPTS(so),
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest < 1 || (baseline + !!mask_arg + !!mode_arg) != 1)
		return error("apply takes VM.vmx and one of --baseline HOST..., --mask FILE or "
			     "--mode NAME; see 'cpuidmask apply --help'");
	if (baseline && nrest < 2)
		return error("--baseline needs at least one HOST after VM.vmx");
	if (mask_arg && nrest > 1)
		return error("--mask takes no HOST operands");
	if (!suffix[0])
		return error("--backup needs a non-empty suffix: apply always keeps a backup");
	const char *vmx = rest[0];
	cm_mask *m = NULL;
	cm_snap **hosts = NULL;
	int nhosts = nrest - 1;
	char *old = NULL, *bak = NULL;
	struct cm_buf lines = CM_BUF_INIT, out = CM_BUF_INIT;
	struct pairs p = { 0 };
	struct cm_error err;
	cm_error_clear(&err);
	int status = EXIT_OK;

	if (mask_arg) {
		if ((rc = mask_load(mask_arg, &m)))
			goto out;
	} else {
		if ((rc = hosts_load(rest + 1, nhosts, &so, &hosts)))
			goto out;
		struct cm_baseline b;
		memset(&b, 0, sizeof b);
		if (nhosts && cm_baseline(&b, (const cm_snap *const *)hosts, (size_t)nhosts,
					  force ? CM_BASELINE_FORCE : 0, &err)) {
			rc = baseline_error(&err, hosts, nhosts);
			goto out;
		}
		struct cm_fset keep = b.common, some = b.some;
		enum cm_mask_style style = CM_STYLE_MINIMAL;
		if (style_arg && strcmp(style_arg, "full") == 0)
			style = CM_STYLE_FULL;
		else if (style_arg && strcmp(style_arg, "minimal") != 0) {
			rc = error("--style takes minimal or full, not '%s'", style_arg);
			goto out;
		}
		if (mode_arg) {
			const struct cm_model *mode = model_lookup(mode_arg);
			if (!mode) {
				rc = error("no named baseline is called '%s'", mode_arg);
				goto out;
			}
			cm_model_features(mode, &keep);
			if (!nhosts)
				memset(&some, 0, sizeof some);
			style = strcmp(mode->family, "x86-64") ? CM_STYLE_EXACT : CM_STYLE_MINIMAL;
			for (int i = 0; i < nhosts; i++)
				if (!cm_model_met(mode, hosts[i], NULL)) {
					warning("%s does not meet %s (see 'cpuidmask baseline --mode %s "
						"%s')", rest[i + 1], mode->name, mode_arg, rest[i + 1]);
					status = EXIT_DIFFER;
				}
		}
		if (cm_baseline_mask(&m, &keep, &some, style, true, &err)) {
			rc = error("%s", err.msg);
			goto out;
		}
	}
	if ((rc = lines_for(m, &lines)) || pairs_from(lines.data, &p)) {
		rc = rc ? rc : error("out of memory");
		goto out;
	}
	struct stat before;
	size_t len, changed = 0;
	if (stat(vmx, &before) != 0) {
		rc = error("%s: cannot read it (%s)", vmx, "no such file, or no access");
		goto out;
	}
	if (file_read(vmx, &old, &len)) {
		rc = EXIT_ERROR;
		goto out;
	}
	/* the file must read as a .vmx, with each mask key at most once */
	cm_mask *check = NULL;
	if (cm_mask_read_vmx(&check, old, len, vmx, NULL, NULL, &err)) {
		rc = report_error(vmx, &err);
		goto out;
	}
	cm_mask_free(check);
	if (cm_vmx_set_keys(&out, old, len, (const char *const *)p.keys,
			    (const char *const *)p.values, p.n, &changed, &err)) {
		rc = report_error(vmx, &err);
		goto out;
	}
	if (changed == 0) {
		printf("%s: nothing to change\n", vmx);
		rc = status;
		goto out;
	}
	if (dry_run) {
		if (udiff(stdout, vmx, old, len, vmx, out.data, out.len))
			rc = error("out of memory");
		else
			rc = status;
		goto out;
	}
	if (file_edit(vmx, old, len, &before, out.data, out.len, suffix, &bak)) {
		rc = EXIT_ERROR;
		goto out;
	}
	printf("%s: %zu line%s written (backup: %s)\n", vmx, changed, changed == 1 ? "" : "s", bak);
	rc = status;
out:
	free(old);
	free(bak);
	pairs_free(&p);
	cm_buf_free(&lines);
	cm_buf_free(&out);
	cm_mask_free(m);
	hosts_free(hosts, nhosts > 0 ? nhosts : 0);
	return rc;
}
