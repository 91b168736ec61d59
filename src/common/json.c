/* json.c - the streaming JSON writer of json.h. */
#include "json.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->has_items[0] = false;
	j->inline_level[0] = false;
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
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
