/*
 * mftest.h - shared by the mailfolders unit tests (cmocka). Tests run from the repository
 * root, so data paths are relative to it.
 */
#ifndef MFTEST_H
#define MFTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mailfolders.h"

#define MF_DATA "tests/data/mailfolders/"

/* The whole file, NUL-terminated; fails the test when it cannot be read. */
static inline char *mft_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	size_t cap = 1 << 16, n = 0, k;
	char *buf = malloc(cap + 1);
	assert_non_null(buf);
	while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Assert that s contains part, showing both when it does not. */
#define assert_contains(s, part) \
	do { \
		const char *s_ = (s), *p_ = (part); \
		if (!s_ || !strstr(s_, p_)) \
			fail_msg("\"%s\" does not contain \"%s\"", s_ ? s_ : "(null)", p_); \
	} while (0)

#endif
