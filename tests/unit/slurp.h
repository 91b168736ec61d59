/*
 * slurp.h - the unit tests' file reader (cmocka must be included first). Tests run from
 * the repository root, so data paths are relative to it.
 */
#ifndef TEST_SLURP_H
#define TEST_SLURP_H

#include <stdio.h>
#include <stdlib.h>

/* The whole file, NUL-terminated; fails the test when it cannot be read. */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	assert_non_null(buf);
	size_t k;
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

#endif
