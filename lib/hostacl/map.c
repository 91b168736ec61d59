/*
 * map.c - rewriting entries between IPv4 and IPv4-mapped IPv6 notation, and splitting a
 * range into the fewest prefixes that cover it exactly.
 *
 * To the mapped form every IPv4 entry has an exact equivalent: a.b.c.d/n is
 * ::ffff:a.b.c.d/(n+96), a netmask becomes its prefix length, and a range becomes
 * prefixes (apt-cacher 1.7 accepts a range only when it is exactly one subnet). Back to
 * IPv4, only entries inside ::ffff:0:0/96 have an equivalent; an entry that covers
 * mapped and other IPv6 addresses (::/0, say) is left as it was and reported.
 */
#include <string.h>

#include "internal.h"

size_t hacl_range_split(struct hacl_prefix *out, const struct hacl_addr *first,
			const struct hacl_addr *last)
{
	struct hacl_addr cur = *first, end;
	size_t n = 0;
	if (hacl__cmp(first, last) > 0)
		return 0;
	for (;;) {
		/* the largest block that starts at cur (alignment) and ends by last */
		int len = 128 - hacl__trailing_zeros(&cur);
		for (;; len++) {
			hacl__fill(&end, &cur, len, 1);
			if (hacl__cmp(&end, last) <= 0)
				break;
		}
		out[n].addr = cur;
		out[n].addr.family = first->family;
		out[n].len = len;
		n++;
		if (hacl__cmp(&end, last) >= 0 || n == HACL_SPLIT_MAX)
			break;
		cur = end;
		hacl__inc(&cur);
	}
	return n;
}

/* Does [first, last] reach into ::ffff:0:0/96? */
static bool touches_mapped(const struct hacl_entry *e)
{
	struct hacl_addr lo, hi;
	hacl__v4(&lo, 0);
	hacl__v4(&hi, 0xffffffffu);
	return hacl__cmp(&e->first, &hi) <= 0 && hacl__cmp(&e->last, &lo) >= 0;
}

static enum hacl_map_result to_mapped(struct hacl_buf *out, const struct hacl_entry *e,
				      const char *sep)
{
	if (e->kind == HACL_NAME)
		return HACL_MAP_INEXACT;	/* its addresses are the daemon's to find */
	if (e->kind == HACL_ANY || e->family == 6)
		return HACL_MAP_SAME;
	if (e->kind == HACL_RANGE) {
		struct hacl_prefix p[HACL_SPLIT_MAX];
		size_t n = hacl_range_split(p, &e->first, &e->last);
		if (n == 0)
			return HACL_MAP_SAME;	/* not from hacl_list_parse(): keep it as written */
		for (size_t i = 0; i < n; i++) {
			if (i)
				hacl__puts(out, sep);
			hacl__put_prefix(out, &p[i].addr, p[i].len, 6);
		}
		return HACL_MAP_CHANGED;
	}
	int len = e->kind == HACL_HOST ? 128 : e->prefix + 96;
	hacl__put_prefix(out, &e->addr, len, 6);
	if (e->kind != HACL_HOST && len == 128)
		hacl__puts(out, "/128");
	return HACL_MAP_CHANGED;
}

static enum hacl_map_result to_ipv4(struct hacl_buf *out, const struct hacl_entry *e)
{
	if (e->kind == HACL_NAME)
		return HACL_MAP_INEXACT;
	if (e->kind == HACL_ANY || e->family == 4)
		return HACL_MAP_SAME;
	bool inside = hacl_addr_is_mapped(&e->first) && hacl_addr_is_mapped(&e->last);
	if (!inside)
		return touches_mapped(e) ? HACL_MAP_INEXACT : HACL_MAP_SAME;
	if (e->kind == HACL_RANGE) {
		hacl__put_prefix(out, &e->first, 128, 4);
		hacl__puts(out, "-");
		hacl__put_prefix(out, &e->last, 128, 4);
	} else {
		hacl__put_prefix(out, &e->addr, e->kind == HACL_HOST ? 128 : e->prefix, 4);
		if (e->kind == HACL_PREFIX && e->prefix == 128)
			hacl__puts(out, "/32");
	}
	return HACL_MAP_CHANGED;
}

int hacl_entry_map(struct hacl_buf *out, const struct hacl_entry *e, enum hacl_target t,
		   const char *sep, enum hacl_map_result *res)
{
	size_t mark = out->len;
	enum hacl_map_result r = t == HACL_TO_MAPPED ? to_mapped(out, e, sep) : to_ipv4(out, e);
	if (r != HACL_MAP_CHANGED) {
		if (out->data && !out->err)
			out->data[out->len = mark] = '\0';
		hacl__putn(out, e->text, e->len);
	}
	if (res)
		*res = r;
	return out->err;
}

int hacl_entry_prefixes(struct hacl_buf *out, const struct hacl_entry *e, const char *sep)
{
	if (e->kind == HACL_ANY) {
		hacl__puts(out, "*");
		return out->err;
	}
	if (e->kind == HACL_NAME) {
		hacl__putn(out, e->text, e->len);
		return out->err;
	}
	struct hacl_prefix p[HACL_SPLIT_MAX];
	size_t n = hacl_range_split(p, &e->first, &e->last);
	if (n == 0)	/* first > last: not from hacl_list_parse(); keep it as written */
		hacl__putn(out, e->text, e->len);
	for (size_t i = 0; i < n; i++) {
		if (i)
			hacl__puts(out, sep);
		hacl__put_prefix(out, &p[i].addr, p[i].len, e->family);
	}
	return out->err;
}

int hacl_list_map(struct hacl_buf *out, const hacl_list *l, enum hacl_target t,
		  enum hacl_map_result *results, size_t *inexact)
{
	size_t bad = 0, written = 0;
	bool star = hacl_list_is_star(l);
	hacl__putn(out, "", 0);	/* an empty list still gives "" rather than NULL */
	for (size_t i = 0; i < hacl_list_count(l); i++) {
		const struct hacl_entry *e = hacl_list_at(l, i);
		enum hacl_map_result r = HACL_MAP_DROPPED;
		if (e->kind != HACL_ANY || star) {
			if (written++)
				hacl__puts(out, ", ");
			if (hacl_entry_map(out, e, t, ", ", &r))
				return out->err;
		}
		if (results)
			results[i] = r;
		bad += r == HACL_MAP_INEXACT;
	}
	if (inexact)
		*inexact = bad;
	return out->err;
}
