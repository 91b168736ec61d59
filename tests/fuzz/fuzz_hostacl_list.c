/*
 * fuzz_hostacl_list.c - libFuzzer target for libhostacl's list and address parsers.
 * A failure must say where (a column inside the input) and why. A list that parses must
 * rewrite to the mapped form and back to IPv4 into lists that parse again and cover the
 * same addresses, checked at every entry's edges; the naive comparison must agree with
 * the correct one on mapped addresses once the list is mapped; an address that parses
 * must print and parse back to the same bytes. Each entry's line and column must be
 * where its offset lies; quoted input in an error never runs past 40 bytes and "...".
 */
#include <stdlib.h>
#include <string.h>

#include "hostacl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const struct hacl_error *err, size_t size)
{
	if (!err->msg[0] || err->column < 1 || err->line < 1 || err->offset > size ||
	    strlen(err->entry) > 43)
		abort();
}

static hacl_list *reparse(const hacl_list *l, enum hacl_target t)
{
	struct hacl_buf b = HACL_BUF_INIT;
	hacl_list *m = NULL;
	enum hacl_map_result *r = malloc((hacl_list_count(l) + 1) * sizeof *r);
	if (!r || hacl_list_map(&b, l, t, r, NULL) || hacl_list_parse(&m, b.data, b.len, NULL))
		abort();
	for (size_t i = 0; i < hacl_list_count(l); i++)
		if ((r[i] == HACL_MAP_DROPPED) !=
		    (hacl_list_at(l, i)->kind == HACL_ANY && !hacl_list_is_star(l)))
			abort();
	if (hacl_list_is_star(m) != hacl_list_is_star(l))
		abort();
	free(r);
	hacl_buf_free(&b);
	return m;
}

/* Does some entry of l cover a? */
static bool covered(const hacl_list *l, const struct hacl_addr *a, unsigned flags)
{
	struct hacl_verdict v;
	hacl_match(&v, l, NULL, a, flags);
	return v.allowed;
}

static void probe_point(const hacl_list *l, const hacl_list *m, const hacl_list *back,
			struct hacl_addr a)
{
	for (int fam = 4; fam <= 6; fam += 2) {
		if (fam == 4 && !hacl_addr_is_mapped(&a))
			continue;
		a.family = (uint8_t)fam;
		bool want = covered(l, &a, 0);
		if (covered(m, &a, 0) != want || covered(back, &a, 0) != want)
			abort();
		if (fam == 6 && hacl_addr_is_mapped(&a) && covered(m, &a, HACL_NAIVE) != want)
			abort();
	}
}

static void step(struct hacl_addr *a, int up)
{
	for (int i = 15; i >= 0; i--) {
		if (up ? ++a->b[i] != 0 : a->b[i]-- != 0)
			return;
	}
}

static void lists(const char *text, size_t size)
{
	hacl_list *l = NULL;
	struct hacl_error err;
	if (hacl_list_parse(&l, text, size, &err)) {
		check_error(&err, size);
		return;
	}
	hacl_list *m = reparse(l, HACL_TO_MAPPED), *back = reparse(m, HACL_TO_IPV4);
	size_t line = 1, bol = 0, scanned = 0;
	for (size_t i = 0; i < hacl_list_count(l); i++) {
		const struct hacl_entry *e = hacl_list_at(l, i);
		for (; scanned < e->offset; scanned++)
			if (text[scanned] == '\n') {
				line++;
				bol = scanned + 1;
			}
		if (e->line != line || e->column != e->offset - bol + 1)
			abort();
	}
	for (size_t i = 0; i < hacl_list_count(l) && i < 64; i++) {
		const struct hacl_entry *e = hacl_list_at(l, i);
		if (memcmp(e->first.b, e->last.b, 16) > 0 || e->offset + e->len > size)
			abort();
		struct hacl_addr p[4] = { e->first, e->last, e->first, e->last };
		step(&p[2], 0);
		step(&p[3], 1);
		for (int k = 0; k < 4; k++)
			probe_point(l, m, back, p[k]);
	}
	hacl_list_free(l);
	hacl_list_free(m);
	hacl_list_free(back);
}

static void address(const char *text, size_t size)
{
	struct hacl_addr a, b;
	struct hacl_error err;
	char s[HACL_ADDR_STRLEN];
	if (hacl_addr_parse(&a, text, size, HACL_ZONE_OK, &err)) {
		check_error(&err, size);
		return;
	}
	hacl_addr_format(s, &a);
	if (hacl_addr_parse(&b, s, strlen(s), 0, NULL) || memcmp(a.b, b.b, 16) != 0 ||
	    a.family != b.family)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy without a NUL after it, so reading past `size` is caught */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	lists(text, size);
	address(text, size);
	free(text);
	return 0;
}
