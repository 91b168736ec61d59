/*
 * fuzz_read.c - libFuzzer target for the readers. Built once per format with
 * -DFUZZ_FORMAT='"name"' (or without it: auto-detection). Any input must either fail with
 * an error message or give a snapshot that survives dump -> read -> dump byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuidmask.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT NULL
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_roundtrip(const cm_snap *s)
{
	struct cm_buf a = CM_BUF_INIT, b = CM_BUF_INIT;
	if (cm_write_dump(&a, s))
		abort();
	struct cm_read_opts o = CM_READ_OPTS_INIT;
	o.format = "cpuidmask";
	struct cm_error err;
	cm_snap *t = NULL;
	if (cm_read(&t, a.data, a.len, "roundtrip", &o, &err)) {
		fprintf(stderr, "canonical dump does not read back: line %ld: %s\n%s", err.line,
			err.msg, a.data);
		abort();
	}
	if (!cm_snap_equal(s, t))
		abort();
	if (cm_write_dump(&b, t) || a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		abort();
	struct cm_cpuinfo ci;
	cm_decode(t, &ci);
	struct cm_fset x, y, u;
	cm_diff(s, t, &x, &y, &u, NULL, NULL);
	if (!cm_fset_empty(&x) || !cm_fset_empty(&y))
		abort();
	cm_snap_free(t);
	cm_buf_free(&a);
	cm_buf_free(&b);
}

static int each(cm_snap *s, long cpu, void *payload)
{
	(void)cpu;
	(void)payload;
	check_roundtrip(s);
	cm_snap_free(s);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_read_opts o = CM_READ_OPTS_INIT;
	o.format = FUZZ_FORMAT;
	struct cm_error err;
	cm_snap *s = NULL;
	int rc = cm_read(&s, (const char *)data, size, "fuzz", &o, &err);
	if (rc == 0) {
		check_roundtrip(s);
		cm_snap_free(s);
	} else if (err.msg[0] == '\0' || err.code != rc) {
		abort();	/* every failure says what is wrong */
	}
	o.view = CM_VIEW_GUEST;
	cm_read_each((const char *)data, size, "fuzz", &o, each, NULL, &err);
	return 0;
}
