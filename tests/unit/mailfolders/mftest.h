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

#include "../slurp.h"

/* Assert that s contains part, showing both when it does not. */
#define assert_contains(s, part) \
	do { \
		const char *s_ = (s), *p_ = (part); \
		if (!s_ || !strstr(s_, p_)) \
			fail_msg("\"%s\" does not contain \"%s\"", s_ ? s_ : "(null)", p_); \
	} while (0)

#endif
