/*
 * fuzz_hostacl_conf.c - libFuzzer target for libhostacl's apt-cacher.conf reader, checker
 * and fixer. A failure must say where; a config that reads must check, and fix in both
 * styles into a text that reads again, has nothing left to fix, and fixes to itself; a
 * text without findings to fix must come back byte for byte. Host names (HACL_NAME) are
 * findings, never fixable, and a fix keeps each of them as it was: the fixed text holds
 * the same names, in the same order.
 * Read again with HACL_CONF_ALL_ERRORS, the text must read and keep at most
 * HACL_CONF_ERRORS_MAX errors, each within the text (or just after its last byte), at the
 * line and column of its offset, in file order, the first being the error of
 * hacl_conf_read() (and none when that read succeeded); a conf with errors must check,
 * and must not fix.
 */
#include <stdlib.h>
#include <string.h>

#include "hostacl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t fixable(const hacl_conf *c)
{
	struct hacl_finding *f = NULL;
	size_t n = 0, k = 0;
	if (hacl_conf_check(c, &f, &n))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (f[i].line < 1 || f[i].column < 1 || f[i].conf_line >= hacl_conf_count(c))
			abort();
		k += f[i].fixable;
		if (f[i].kind == HACL_F_HOST_NAME &&
		    (f[i].fixable || hacl_list_at(hacl_conf_at(c, f[i].conf_line)->list,
						  f[i].entry)->kind != HACL_NAME))
			abort();
	}
	free(f);
	return k;
}

/* The next host-name entry of c from position (*line, *entry) on, or NULL; advances. */
static const struct hacl_entry *next_name(const hacl_conf *c, size_t *line, size_t *entry)
{
	for (; *line < hacl_conf_count(c); (*line)++, *entry = 0) {
		const hacl_list *l = hacl_conf_at(c, *line)->list;
		while (*entry < hacl_list_count(l)) {
			const struct hacl_entry *e = hacl_list_at(l, (*entry)++);
			if (e->kind == HACL_NAME)
				return e;
		}
	}
	return NULL;
}

/* Do a and b hold the same host-name entries, in the same order? */
static bool same_names(const hacl_conf *a, const hacl_conf *b)
{
	size_t la = 0, ea = 0, lb = 0, eb = 0;
	for (;;) {
		const struct hacl_entry *x = next_name(a, &la, &ea), *y = next_name(b, &lb, &eb);
		if (!x || !y)
			return !x && !y;
		if (x->len != y->len || memcmp(x->text, y->text, x->len) != 0)
			return false;
	}
}

static void fix(const hacl_conf *c, const char *text, size_t size, enum hacl_fix_style s)
{
	struct hacl_buf once = HACL_BUF_INIT, twice = HACL_BUF_INIT;
	size_t edits, again;
	hacl_conf *c2 = NULL;
	if (hacl_conf_fix(&once, c, s, &edits))
		abort();
	if (edits != fixable(c))
		abort();
	if (edits == 0 && (once.len != size || memcmp(once.data, text, size) != 0))
		abort();
	if (hacl_conf_read(&c2, once.data, once.len, NULL) || fixable(c2) != 0 ||
	    !same_names(c, c2))
		abort();
	if (hacl_conf_fix(&twice, c2, s, &again) || again != 0 || twice.len != once.len ||
	    memcmp(twice.data, once.data, once.len) != 0)
		abort();
	hacl_conf_free(c2);
	hacl_buf_free(&once);
	hacl_buf_free(&twice);
}

/* Line and column (from 1) of byte pos of text. */
static void line_col(const char *text, size_t pos, size_t *line, size_t *column)
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

static bool same_error(const struct hacl_error *a, const struct hacl_error *b)
{
	return a->code == b->code && a->offset == b->offset && a->line == b->line &&
	       a->column == b->column && a->entry_column == b->entry_column &&
	       strcmp(a->entry, b->entry) == 0 && strcmp(a->msg, b->msg) == 0;
}

/* The HACL_CONF_ALL_ERRORS read; strict is the error of hacl_conf_read(), or NULL. */
static void all_errors(const char *text, size_t size, const struct hacl_error *strict)
{
	hacl_conf *c = NULL;
	struct hacl_error err;
	if (hacl_conf_read_flags(&c, text, size, HACL_CONF_ALL_ERRORS, &err)) {
		if (err.code != HACL_ENOMEM && size <= HACL_CONF_MAX)
			abort();
		return;
	}
	size_t n = hacl_conf_error_count(c), more = hacl_conf_errors_more(c);
	if (n > HACL_CONF_ERRORS_MAX || (more && n != HACL_CONF_ERRORS_MAX) ||
	    hacl_conf_error_at(c, n) != NULL)
		abort();
	if (strict ? n == 0 || !same_error(hacl_conf_error_at(c, 0), strict) : n != 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct hacl_error *e = hacl_conf_error_at(c, i);
		size_t line, column;
		/* offset == size: something is missing after the last byte ("10.0.0.") */
		if (!e || !e->msg[0] || !e->entry[0] || e->offset > size || e->entry_column < 1 ||
		    (e->code != HACL_EPARSE && e->code != HACL_EHOSTNAME) ||
		    (i > 0 && e->offset <= hacl_conf_error_at(c, i - 1)->offset))
			abort();
		line_col(text, e->offset, &line, &column);
		if (line != e->line || column != e->column)
			abort();
	}
	if (n) {
		struct hacl_buf out = HACL_BUF_INIT;
		size_t edits = 0;
		(void)fixable(c);
		if (hacl_conf_fix(&out, c, HACL_FIX_ADD, &edits) != HACL_EPARSE || out.data ||
		    edits != 0)
			abort();
	}
	hacl_conf_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	hacl_conf *c = NULL;
	struct hacl_error err;
	if (hacl_conf_read(&c, text, size, &err)) {
		if (!err.msg[0] || err.line < 1 || err.column < 1 || err.offset > size)
			abort();
		if (err.code != HACL_ENOMEM)
			all_errors(text, size, &err);
	} else {
		all_errors(text, size, NULL);
		fix(c, text, size, HACL_FIX_ADD);
		fix(c, text, size, HACL_FIX_REPLACE);
		hacl_conf_free(c);
	}
	free(text);
	return 0;
}
