/* json.c - the streaming JSON writer of json.h. */
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->has_items[0] = false;
	j->inline_level[0] = false;
}

/*
 * Length of the valid UTF-8 sequence at p, of at most `left` bytes, or 0 (RFC 3629: no
 * overlongs, no surrogates).
 */
static int utf8_len(const unsigned char *p, size_t left)
{
	int n;
	uint32_t c;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	if ((size_t)n > left)
		return 0;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) || (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return n;
}

/* s[0..len) as a JSON string; a NUL byte becomes \u0000 */
static void put_string_n(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	const unsigned char *end = (const unsigned char *)s + len;
	for (const unsigned char *p = (const unsigned char *)s; p < end; p++) {
		if (*p >= 0x80) {
			/* bytes that are not UTF-8 (a Latin-1 file name) become U+FFFD */
			int n = utf8_len(p, (size_t)(end - p));
			if (n == 0) {
				fputs("\\ufffd", f);
			} else {
				fwrite(p, 1, (size_t)n, f);
				p += n - 1;
			}
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void put_string(FILE *f, const char *s)
{
	put_string_n(f, s, strlen(s));
}

/* Separator, newline and indentation before an item, then the key. */
static void item(struct json *j, const char *key)
{
	if (j->depth > 0) {
		bool in = j->inline_level[j->depth];
		if (j->has_items[j->depth])
			fputc(',', j->f);
		if (in) {
			if (j->has_items[j->depth])
				fputc(' ', j->f);
		} else {
			fputc('\n', j->f);
			for (int i = 0; i < j->depth; i++)
				fputs("  ", j->f);
		}
		j->has_items[j->depth] = true;
	}
	if (key) {
		put_string(j->f, key);
		fputs(": ", j->f);
	}
}

static void open_level(struct json *j, const char *key, char c, bool in)
{
	item(j, key);
	fputc(c, j->f);
	bool parent_inline = j->depth > 0 && j->inline_level[j->depth];
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->has_items[j->depth] = false;
	j->inline_level[j->depth] = in || parent_inline;
	j->closer[j->depth] = c == '{' ? '}' : ']';
}

void json_object(struct json *j, const char *key)
{
	open_level(j, key, '{', false);
}

void json_object_inline(struct json *j, const char *key)
{
	open_level(j, key, '{', true);
}

void json_array(struct json *j, const char *key)
{
	open_level(j, key, '[', false);
}

void json_end(struct json *j)
{
	bool had = j->has_items[j->depth];
	bool in = j->inline_level[j->depth];
	char c = j->closer[j->depth];
	j->depth--;
	if (had && !in) {
		fputc('\n', j->f);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	fputc(c, j->f);
}

void json_string(struct json *j, const char *key, const char *value)
{
	item(j, key);
	if (value)
		put_string(j->f, value);
	else
		fputs("null", j->f);
}

void json_string_n(struct json *j, const char *key, const char *value, size_t len)
{
	item(j, key);
	if (value)
		put_string_n(j->f, value, len);
	else
		fputs("null", j->f);
}

void json_int(struct json *j, const char *key, long long value)
{
	item(j, key);
	fprintf(j->f, "%lld", value);
}

void json_uint(struct json *j, const char *key, unsigned long long value)
{
	item(j, key);
	fprintf(j->f, "%llu", value);
}

void json_bool(struct json *j, const char *key, bool value)
{
	item(j, key);
	fputs(value ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	item(j, key);
	fputs("null", j->f);
}

void json_finish(struct json *j)
{
	fputc('\n', j->f);
}
