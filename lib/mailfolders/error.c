/* error.c - status names, error filling, a growable string. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *mf_strerror(int code)
{
	switch (code) {
	case MF_OK: return "success";
	case MF_ENOMEM: return "out of memory";
	case MF_EPARSE: return "malformed input";
	case MF_ENOTDB: return "not a SQLite database, or a damaged one";
	case MF_ESCHEMA: return "not the mail app's schema";
	case MF_ENOTFOUND: return "not found";
	case MF_EAMBIGUOUS: return "ambiguous";
	case MF_EBUSY: return "locked by another program";
	case MF_EIO: return "input/output error";
	case MF_ECHANGED: return "changed by another program meanwhile";
	case MF_ENET: return "server unreachable or misbehaving";
	case MF_EAUTH: return "login refused";
	case MF_EINVAL: return "invalid argument";
	case MF_EREADONLY: return "read-only";
	case MF_EJOURNAL: return "an interrupted transaction to roll back";
	default: return "unknown error";
	}
}

static int vfail(struct mf_error *err, int code, long line, const char *fmt, va_list ap)
{
	if (err) {
		err->code = code;
		err->line = line;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	}
	return code;
}

int mf__fail(struct mf_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, code, 0, fmt, ap);
	va_end(ap);
	return code;
}

int mf__fail_at(struct mf_error *err, int code, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, code, line, fmt, ap);
	va_end(ap);
	return code;
}

void mf__clear(struct mf_error *err)
{
	if (err) {
		err->code = 0;
		err->line = 0;
		err->msg[0] = '\0';
	}
}

static int grow(struct mf_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1) {
		if (cap > ((size_t)1 << 30))
			return MF_ENOMEM;
		cap *= 2;
	}
	char *p = realloc(b->data, cap);
	if (!p)
		return MF_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int mf__buf_add(struct mf_buf *b, const char *s, size_t n)
{
	if (grow(b, n))
		return MF_ENOMEM;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int mf__buf_addc(struct mf_buf *b, char c)
{
	return mf__buf_add(b, &c, 1);
}

int mf__buf_addf(struct mf_buf *b, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n)) {
		va_end(ap2);
		return MF_ENOMEM;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	b->len += (size_t)n;
	return 0;
}

void mf__buf_free(struct mf_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int mf__buf_finish(struct mf_buf *b, int rc, char **out, struct mf_error *err)
{
	if (!rc && !b->data)
		rc = mf__buf_add(b, "", 0);
	if (rc) {
		if (rc == MF_ENOMEM)
			mf__fail(err, MF_ENOMEM, "out of memory");
		mf__buf_free(b);
		return rc;
	}
	*out = b->data;
	return 0;
}

void mf__show(char *out, size_t outsz, const char *s, size_t n)
{
	size_t o = 0;
	if (outsz == 0)
		return;
	for (size_t i = 0; i < n && o + 5 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
	}
	if (o >= outsz)
		o = outsz - 1;
	out[o] = '\0';
}

char *mf__strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}
