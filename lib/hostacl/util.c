/* util.c - status phrases, error details, and the text buffer of libhostacl. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *hacl_strerror(int code)
{
	switch (code) {
	case HACL_OK:
		return "success";
	case HACL_ENOMEM:
		return "out of memory";
	case HACL_EPARSE:
		return "not a valid address, list or configuration";
	case HACL_EHOSTNAME:
		return "a host name where an address belongs";
	default:
		return "unknown error";
	}
}

char *hacl__quote(char *buf, size_t size, const char *s, size_t n)
{
	size_t max = size - 4 < HACL__QUOTE_MAX ? size - 4 : HACL__QUOTE_MAX;
	size_t k = n > max ? max : n;
	for (size_t i = 0; i < k; i++)	/* control bytes would garble a terminal */
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (n > max) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

void hacl__line_col(const char *text, size_t pos, size_t *line, size_t *column)
{
	size_t l = 1, bol = 0;
	for (size_t i = 0; i < pos; i++)
		if (text[i] == '\n') {
			l++;
			bol = i + 1;
		}
	*line = l;
	*column = pos - bol + 1;
}

int hacl__fail(struct hacl_error *err, int code, const char *text, size_t len, size_t pos,
	       size_t entry_off, size_t entry_len, const char *msg)
{
	if (!err)
		return code;
	if (pos > len)
		pos = len;
	memset(err, 0, sizeof *err);
	err->code = code;
	err->offset = pos;
	hacl__line_col(text, pos, &err->line, &err->column);
	if (entry_len) {
		size_t l;
		hacl__line_col(text, entry_off, &l, &err->entry_column);
		hacl__quote(err->entry, sizeof err->entry, text + entry_off, entry_len);
	}
	snprintf(err->msg, sizeof err->msg, "%s", msg);
	return code;
}

void *hacl__grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	size_t c = *cap ? *cap * 2 : 8;
	if (c < *cap || c > SIZE_MAX / size)
		return NULL;
	void *p = realloc(v, c * size);
	if (p)
		*cap = c;
	return p;
}

void hacl_buf_free(struct hacl_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}

void hacl__putn(struct hacl_buf *b, const char *s, size_t n)
{
	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->data, cap);
		if (!p) {
			b->err = HACL_ENOMEM;
			return;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

int hacl_buf_append(struct hacl_buf *b, const char *s, size_t n)
{
	hacl__putn(b, s, n);
	return b->err;
}

void hacl__puts(struct hacl_buf *b, const char *s)
{
	hacl__putn(b, s, strlen(s));
}

void hacl__printf(struct hacl_buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		b->err = b->err ? b->err : HACL_ENOMEM;
		return;
	}
	hacl__putn(b, tmp, (size_t)n);
}

void hacl__put_prefix(struct hacl_buf *b, const struct hacl_addr *a, int len, uint8_t family)
{
	char s[HACL_ADDR_STRLEN];
	struct hacl_addr x = *a;
	x.family = family;
	hacl__puts(b, hacl_addr_format(s, &x));
	if (len < 128)
		hacl__printf(b, "/%d", family == 4 ? len - 96 : len);
}
