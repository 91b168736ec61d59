/* buf.c - a growable text buffer with a size cap and a sticky error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define CM_BUF_DEFAULT_MAX ((size_t)64 << 20)

void cm_buf_init(struct cm_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = 0;
}

void cm_buf_free(struct cm_buf *b)
{
	free(b->data);
	cm_buf_init(b, b->max);
}

void cm_buf_reset(struct cm_buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Make room for n more bytes plus the NUL. */
static int grow(struct cm_buf *b, size_t n)
{
	size_t max = b->max ? b->max : CM_BUF_DEFAULT_MAX;
	if (b->err)
		return b->err;
	if (n > max || b->len > max - n)
		return b->err = CM_ENOMEM;
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return b->err = CM_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int cm_buf_add(struct cm_buf *b, const char *s, size_t n)
{
	int rc = grow(b, n);
	if (rc)
		return rc;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int cm_buf_puts(struct cm_buf *b, const char *s)
{
	return cm_buf_add(b, s, strlen(s));
}

int cm_buf_vprintf(struct cm_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return b->err ? b->err : (b->err = CM_ERANGE);
	int rc = grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int cm_buf_printf(struct cm_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = cm_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}
