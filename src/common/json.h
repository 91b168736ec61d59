/*
 * json.h - a small streaming JSON writer (shared by the CLIs). Output is indented with two
 * spaces, keys in the order written, strings escaped per RFC 8259.
 */
#ifndef CLI_JSON_H
#define CLI_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;
	int depth;
	bool has_items[JSON_MAX_DEPTH];
	bool inline_level[JSON_MAX_DEPTH];	/* this object is written on one line */
	char closer[JSON_MAX_DEPTH];		/* '}' or ']' */
};

void json_init(struct json *j, FILE *f);
/* key is NULL inside arrays and at the top level. */
void json_object(struct json *j, const char *key);
/* An object written on one line: {"a": 1, "b": 2}. */
void json_object_inline(struct json *j, const char *key);
void json_array(struct json *j, const char *key);
void json_end(struct json *j);		/* closes the innermost object or array */
void json_string(struct json *j, const char *key, const char *value);	/* NULL -> null */
/* value[0..len), which may hold NUL bytes (written as \u0000); NULL -> null */
void json_string_n(struct json *j, const char *key, const char *value, size_t len);
void json_int(struct json *j, const char *key, long long value);
void json_uint(struct json *j, const char *key, unsigned long long value);
void json_bool(struct json *j, const char *key, bool value);
void json_null(struct json *j, const char *key);
/* Ends the document with a newline. */
void json_finish(struct json *j);

#endif
