/*
 * match.c - deciding about one client address, in apt-cacher's order.
 *
 * Entries and addresses all live in the 128-bit space with IPv4 mapped into
 * ::ffff:0:0/96, so the correct comparison is a plain interval test: a.b.c.d and
 * ::ffff:a.b.c.d fall into the same entries whichever way either was written. The naive
 * comparison (our model of apt-cacher 1.7.3 on a dual-stack socket) adds one condition:
 * the entry and the address must have been written in the same family.
 *
 * '*' is apt-cacher's `$cfg->{allowed_hosts} eq '*'`: every host, but only as the whole
 * allow list. Anywhere else apt-cacher hands it to NetAddr::IP->new(), which cannot read
 * it, and the item is logged and ignored: here it covers nothing.
 */
#include <string.h>

#include "internal.h"

bool hacl_entry_covers(const struct hacl_entry *e, const struct hacl_addr *a, unsigned flags)
{
	if (e->kind == HACL_ANY || e->kind == HACL_NAME)
		return false;	/* a name is resolved by the daemon, never by hostacl */
	if ((flags & HACL_NAIVE) && e->family != a->family)
		return false;
	return hacl__cmp(&e->first, a) <= 0 && hacl__cmp(a, &e->last) <= 0;
}

/* 127.0.0.0/8 (as IPv4 and, when comparing correctly, as ::ffff:127.0.0.0/104) or ::1. */
static bool loopback(const struct hacl_addr *a, unsigned flags)
{
	static const uint8_t one[16] = { [15] = 1 };
	if (hacl_addr_is_mapped(a) && a->b[12] == 127)
		return !(flags & HACL_NAIVE) || a->family == 4;
	return memcmp(a->b, one, 16) == 0;
}

/* Index of the first entry of l that covers a, or -1. */
static long first_cover(const hacl_list *l, const struct hacl_addr *a, unsigned flags)
{
	for (size_t i = 0; i < hacl_list_count(l); i++)
		if (hacl_entry_covers(hacl_list_at(l, i), a, flags))
			return (long)i;
	return -1;
}

void hacl_match(struct hacl_verdict *out, const hacl_list *allow, const hacl_list *deny,
		const struct hacl_addr *a, unsigned flags)
{
	struct hacl_verdict v = { false, HACL_WHY_NOT_ALLOWED, -1, -1 };
	if ((flags & HACL_LOOPBACK) && loopback(a, flags)) {
		v.allowed = true;
		v.why = HACL_WHY_LOOPBACK;
		*out = v;
		return;
	}
	v.allow_index = hacl_list_is_star(allow) ? 0 : allow ? first_cover(allow, a, flags) : -1;
	v.deny_index = deny ? first_cover(deny, a, flags) : -1;
	bool passed = !allow || v.allow_index >= 0;
	if (!passed)
		v.why = HACL_WHY_NOT_ALLOWED;
	else if (v.deny_index >= 0)
		v.why = HACL_WHY_DENIED;
	else
		v.why = allow ? HACL_WHY_ALLOWED : HACL_WHY_NO_ALLOW_LIST;
	v.allowed = passed && v.deny_index < 0;
	*out = v;
}
