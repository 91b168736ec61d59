/*
 * fuzz_mask.c - libFuzzer target for the mask readers (.vmx and Xen), built with
 * -DFUZZ_MASK='cm_mask_read_vmx' or 'cm_mask_read_xen' (or without: detection). A mask
 * that reads must write, read back the same, merge with itself and lint without error.
 */
#include <stdlib.h>
#include <string.h>

#include "cpuidmask.h"

#ifndef FUZZ_MASK
#define FUZZ_MASK cm_mask_read
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const cm_mask *a, const cm_mask *b)
{
	for (size_t i = 0; i < cm_mask_count(a); i++) {
		const struct cm_mask_reg *r = cm_mask_at(a, i);
		const struct cm_mask_reg *s = cm_mask_find(b, r->leaf, r->subleaf, r->reg);
		bool any = false;
		for (int k = 0; k < 32; k++)
			any |= r->act[k] != CM_ACT_DEFAULT;
		if (!any)
			continue;
		if (!s || memcmp(r->act, s->act, 32) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_error err;
	cm_mask *m = NULL;
	if (FUZZ_MASK(&m, (const char *)data, size, "fuzz", NULL, NULL, &err)) {
		if (!err.msg[0])
			abort();
		return 0;
	}
	struct cm_buf b = CM_BUF_INIT;
	if (cm_mask_write_vmx(&b, m, &err) == 0) {
		cm_mask *back = NULL;
		if (cm_mask_read_vmx(&back, b.data ? b.data : "", b.len, "w", NULL, NULL, &err))
			abort();
		same(m, back);
		cm_mask_free(back);
	} else if (!err.msg[0]) {
		abort();
	}
	cm_buf_free(&b);
	cm_mask *twice = NULL;
	if (cm_mask_dup(&twice, m) || cm_mask_merge(twice, m, &err))
		abort();
	same(m, twice);
	cm_mask_free(twice);
	struct cm_lint *v;
	size_t n;
	if (cm_mask_lint(m, &v, &n, &err))
		abort();
	free(v);
	cm_mask_free(m);
	return 0;
}
