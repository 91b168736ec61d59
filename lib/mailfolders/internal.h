/* internal.h - what the files of libmailfolders share; never installed. */
#ifndef MAILFOLDERS_INTERNAL_H
#define MAILFOLDERS_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "mailfolders.h"

/* Set err (if not NULL) to code and the formatted message; returns code. */
int mf__fail(struct mf_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same with a line number. */
int mf__fail_at(struct mf_error *err, int code, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void mf__clear(struct mf_error *err);

/* A growable NUL-terminated string; append functions return 0 or MF_ENOMEM. */
struct mf_buf {
	char *data;
	size_t len, cap;
};
int mf__buf_add(struct mf_buf *b, const char *s, size_t n);
int mf__buf_addf(struct mf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int mf__buf_addc(struct mf_buf *b, char c);
void mf__buf_free(struct mf_buf *b);
/*
 * The end of a function that builds a string in b: when rc is 0, hand b's text to *out and
 * return 0; else free b, report MF_ENOMEM in err (other codes are already reported) and
 * return rc.
 */
int mf__buf_finish(struct mf_buf *b, int rc, char **out, struct mf_error *err);

/* Printable form of untrusted bytes for messages: at most n bytes, escapes for the rest. */
void mf__show(char *out, size_t outsz, const char *s, size_t n);

/*
 * One UTF-8 character at s[*i] (i < len), strictly (no overlong forms, surrogates or code
 * points past U+10FFFF): its code point, with *i moved past it; -1 and *i unchanged when
 * the bytes there are not UTF-8.
 */
long mf__utf8_next(const unsigned char *s, size_t len, size_t *i);

/* strdup that returns NULL for NULL. */
char *mf__strdup(const char *s);

#endif
