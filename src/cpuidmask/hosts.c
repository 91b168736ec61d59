/* hosts.c - loading several HOST operands at once (baseline, modes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int hosts_load(char **args, int n, const struct source_opts *so, cm_snap ***out)
{
	cm_snap **v = calloc((size_t)(n ? n : 1), sizeof *v);
	if (!v)
		return error("out of memory");
	for (int i = 0; i < n; i++) {
		int rc = source_load(args[i], so, &v[i]);
		if (rc) {
			hosts_free(v, i);
			return rc;
		}
	}
	*out = v;
	return 0;
}

void hosts_free(cm_snap **v, int n)
{
	for (int i = 0; v && i < n; i++)
		cm_snap_free(v[i]);
	free(v);
}

const struct cm_model *model_lookup(const char *name)
{
	/* the exact name first ("Westmere" is QEMU's model) */
	for (size_t i = 0; i < cm_model_count(); i++)
		if (strcmp(cm_model_at(i)->name, name) == 0)
			return cm_model_at(i);
	/* then "westmere" for the EVC-like "intel-westmere", "zen3" for "amd-zen3" */
	const struct cm_model *m;
	char full[96];
	snprintf(full, sizeof full, "intel-%s", name);
	if ((m = cm_model_find(full)))
		return m;
	snprintf(full, sizeof full, "amd-%s", name);
	if ((m = cm_model_find(full)))
		return m;
	return cm_model_find(name);
}

/* cm_baseline's refusal, then which hosts it means (the library's message names none). */
int baseline_error(const struct cm_error *err, cm_snap *const *hosts, int n)
{
	int rc = error("%s", err->msg);
	if (err->code == CM_ECONFLICT && err->line > 0 && err->line < n) {
		const cm_snap *pair[2] = { hosts[0], hosts[err->line] };
		long num[2] = { 1, err->line + 1 };
		for (int k = 0; k < 2; k++) {
			struct cm_cpuinfo ci;
			cm_decode(pair[k], &ci);
			error("  host %ld (%s): %s", num[k], cm_vendor_name(ci.vendor_id),
			      cm_snap_source(pair[k]));
		}
	}
	return rc;
}
