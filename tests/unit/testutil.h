/*
 * testutil.h - shared by the cmocka unit tests. Tests run from the repository root, so
 * data paths are relative to it ("tests/data/...").
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuidmask.h"

#define DUMPS "tests/data/dumps/"

#include "slurp.h"

/* Read a dump (any format, detected), failing the test with the reader's message. */
static inline cm_snap *load_fmt(const char *path, const char *format, long cpu)
{
	size_t len;
	char *data = slurp(path, &len);
	struct cm_read_opts o = CM_READ_OPTS_INIT;
	o.format = format;
	o.cpu = cpu;
	struct cm_error err;
	cm_snap *s = NULL;
	int rc = cm_read(&s, data, len, path, &o, &err);
	free(data);
	if (rc)
		fail_msg("%s:%ld: %s", path, err.line, err.msg);
	return s;
}

static inline cm_snap *load(const char *path)
{
	return load_fmt(path, NULL, -1);
}

/* Read text that must fail: returns the error, checks the code. */
static inline struct cm_error read_fails(const char *text, size_t len, const char *format,
					 int expect_code)
{
	struct cm_read_opts o = CM_READ_OPTS_INIT;
	o.format = format;
	struct cm_error err;
	cm_error_clear(&err);
	cm_snap *s = NULL;
	int rc = cm_read(&s, text, len, "input", &o, &err);
	if (rc == 0) {
		cm_snap_free(s);
		fail_msg("read of %.60s succeeded; expected failure %d", text, expect_code);
	}
	assert_int_equal(rc, expect_code);
	assert_int_equal(err.code, rc);
	assert_true(err.msg[0] != '\0');
	return err;
}

static inline int feature(const char *name)
{
	int id = cm_feature_find(name);
	if (id < 0)
		fail_msg("no feature %s", name);
	return id;
}

/* The dump fixtures, for tests that run over all of them. */
static const char *const all_dumps[] = {
	"amd-epyc-zen5-kvm-guest", "atom-c2750", "atom-p5362", "core-i5-2500", "core-i5-650",
	"core-i7-3770", "core-i7-4510u", "core2-e6850", "epyc-7502-32-core", "epyc-7601-32-core",
	"epyc-7713-64-core", "epyc-9334-32-core", "ice-lake-server", "opteron-6234",
	"ryzen-9-9950x-16-core", "xeon-e5-2650-v4", "xeon-gold-6148", "xeon-platinum-8268",
	"xeon-w3520", "xeon-w7-3465x",
};
#define N_DUMPS (sizeof all_dumps / sizeof all_dumps[0])

static inline cm_snap *load_fixture(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, DUMPS "%s.dump", name);
	return load(path);
}

#endif
