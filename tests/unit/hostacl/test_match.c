/*
 * test_match.c - verdicts in apt-cacher's order: loopback, allow, deny; which entry
 * decided; a.b.c.d and ::ffff:a.b.c.d as one host for entries of every form; and the
 * naive (1.7.3) comparison that keeps the two apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hostacl.h"

static const char none[] = "(none)";	/* no list at all, told apart by its address */
#define NONE none

static hacl_list *parse(const char *text)
{
	hacl_list *l = NULL;
	if (text == NONE)
		return NULL;
	struct hacl_error err;
	if (hacl_list_parse(&l, text, strlen(text), &err))
		fail_msg("'%s': column %zu: %s", text, err.column, err.msg);
	return l;
}

static struct hacl_addr addr(const char *s)
{
	struct hacl_addr a;
	if (hacl_addr_parse(&a, s, strlen(s), HACL_ZONE_OK, NULL))
		fail_msg("bad address %s", s);
	return a;
}

struct want {
	bool allowed;
	enum hacl_why why;
	long allow_index, deny_index;
};

struct match_case {
	const char *allow, *deny, *addr;
	unsigned flags;
	struct want correct, naive;
};

static void check(const struct match_case *c)
{
	hacl_list *allow = parse(c->allow), *deny = parse(c->deny);
	struct hacl_addr a = addr(c->addr);
	struct hacl_verdict v[2];
	hacl_match(&v[0], allow, deny, &a, c->flags);
	hacl_match(&v[1], allow, deny, &a, c->flags | HACL_NAIVE);
	const struct want *w[2] = { &c->correct, &c->naive };
	for (int k = 0; k < 2; k++)
		if (v[k].allowed != w[k]->allowed || v[k].why != w[k]->why ||
		    v[k].allow_index != w[k]->allow_index || v[k].deny_index != w[k]->deny_index)
			fail_msg("%s against allow '%s' deny '%s' (%s): got %d why %d allow %ld deny %ld",
				 c->addr, c->allow, c->deny, k ? "naive" : "correct",
				 v[k].allowed, v[k].why, v[k].allow_index, v[k].deny_index);
	hacl_list_free(allow);
	hacl_list_free(deny);
}

#define ALLOWED(i) { true, HACL_WHY_ALLOWED, i, -1 }
#define NOT_ALLOWED(d) { false, HACL_WHY_NOT_ALLOWED, -1, d }
#define DENIED(i, d) { false, HACL_WHY_DENIED, i, d }
#define LOOPBACK { true, HACL_WHY_LOOPBACK, -1, -1 }
#define OPEN { true, HACL_WHY_NO_ALLOW_LIST, -1, -1 }

/* The seed: an IPv4 allowed_hosts, and a client that arrives on a dual-stack socket. */
static void seed_story(void **state)
{
	(void)state;
	static const struct match_case cases[] = {
		/* the bug: correct says allowed, 1.7.3 says 403 */
		{ "192.168.1.0/24", NONE, "::ffff:192.168.1.5", 0, ALLOWED(0), NOT_ALLOWED(-1) },
		/* on an IPv4 socket the client arrives as itself, and both agree */
		{ "192.168.1.0/24", NONE, "192.168.1.5", 0, ALLOWED(0), ALLOWED(0) },
		/* the workaround: a mapped list matches the mapped client, even naively */
		{ "::ffff:192.168.1.0/120", NONE, "::ffff:192.168.1.5", 0, ALLOWED(0), ALLOWED(0) },
		/* ... but not a plain IPv4 client, naively */
		{ "::ffff:192.168.1.0/120", NONE, "192.168.1.5", 0, ALLOWED(0), NOT_ALLOWED(-1) },
		/* outside the subnet, nobody allows it */
		{ "192.168.1.0/24", NONE, "::ffff:192.168.2.5", 0, NOT_ALLOWED(-1), NOT_ALLOWED(-1) },
		/* "allowed_hosts = *": everyone, both ways */
		{ "*", NONE, "::ffff:10.9.8.7", 0, ALLOWED(0), ALLOWED(0) },
		{ "*", NONE, "2001:db8::1", 0, ALLOWED(0), ALLOWED(0) },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(&cases[i]);
}

static void order_of_evaluation(void **state)
{
	(void)state;
	static const struct match_case cases[] = {
		/* no allow list: everyone passes the allow step */
		{ NONE, NONE, "10.0.0.1", 0, OPEN, OPEN },
		{ NONE, "10.0.0.0/8", "10.0.0.1", 0, { false, HACL_WHY_DENIED, -1, 0 },
		  { false, HACL_WHY_DENIED, -1, 0 } },
		/* an empty allow list lets nobody pass */
		{ "", NONE, "10.0.0.1", 0, NOT_ALLOWED(-1), NOT_ALLOWED(-1) },
		/* deny wins over allow, whatever the order of the lists */
		{ "10.0.0.0/8", "10.1.0.0/16", "10.1.2.3", 0, DENIED(0, 0), DENIED(0, 0) },
		{ "10.0.0.0/8", "10.1.0.0/16", "10.2.2.3", 0, ALLOWED(0), ALLOWED(0) },
		/* the first allow entry that covers it decides */
		{ "10.0.0.0/8, 10.1.0.0/16, *", NONE, "10.1.2.3", 0, ALLOWED(0), ALLOWED(0) },
		{ "192.168.0.0/16, 10.1.0.0/16, *", NONE, "10.1.2.3", 0, ALLOWED(1), ALLOWED(1) },
		/* not allowed, and a deny entry matches too: the allow step decided */
		{ "192.168.0.0/16", "10.0.0.0/8", "10.1.2.3", 0, NOT_ALLOWED(0), NOT_ALLOWED(0) },
		/* a mapped client with an IPv4 deny entry: correct denies, 1.7.3 lets it in */
		{ "*", "10.66.0.0/16", "::ffff:10.66.1.1", 0, DENIED(0, 0), ALLOWED(0) },
		/* and the other way round */
		{ "*", "::ffff:10.66.0.0/112", "10.66.1.1", 0, DENIED(0, 0), ALLOWED(0) },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(&cases[i]);
}

static void every_entry_form_both_ways(void **state)
{
	(void)state;
	/* each list covers 10.0.0.8 .. 10.0.0.15 in one form; both spellings of each address */
	static const char *const lists[] = {
		"10.0.0.8/29", "10.0.0.8/255.255.255.248", "10.0.0.8-10.0.0.15", "10.0.0.8-15",
		"::ffff:10.0.0.8/125", "::ffff:10.0.0.8-::ffff:10.0.0.15",
		"::ffff:a00:8 - ::ffff:a00:f",
	};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		hacl_list *l = parse(lists[i]);
		for (int host = 0; host < 24; host++) {
			char v4[32], v6[40];
			snprintf(v4, sizeof v4, "10.0.0.%d", host);
			snprintf(v6, sizeof v6, "::ffff:10.0.0.%d", host);
			struct hacl_addr a = addr(v4), b = addr(v6);
			bool inside = host >= 8 && host <= 15;
			struct hacl_verdict x, y;
			hacl_match(&x, l, NULL, &a, 0);
			hacl_match(&y, l, NULL, &b, 0);
			if (x.allowed != inside || y.allowed != inside)
				fail_msg("'%s': %s %d, %s %d", lists[i], v4, x.allowed, v6, y.allowed);
			/* naively only the entry's own family matches */
			int fam = hacl_list_at(l, 0)->family;
			hacl_match(&x, l, NULL, &a, HACL_NAIVE);
			hacl_match(&y, l, NULL, &b, HACL_NAIVE);
			assert_int_equal(x.allowed, inside && fam == 4);
			assert_int_equal(y.allowed, inside && fam == 6);
		}
		hacl_list_free(l);
	}
}

static void loopback_rule(void **state)
{
	(void)state;
	static const struct match_case cases[] = {
		{ "", NONE, "127.0.0.1", HACL_LOOPBACK, LOOPBACK, LOOPBACK },
		{ "", NONE, "127.255.0.9", HACL_LOOPBACK, LOOPBACK, LOOPBACK },
		{ "", NONE, "::1", HACL_LOOPBACK, LOOPBACK, LOOPBACK },
		/* on a dual-stack socket: loopback correctly, not to the naive comparison */
		{ "", NONE, "::ffff:127.0.0.1", HACL_LOOPBACK, LOOPBACK, NOT_ALLOWED(-1) },
		/* loopback comes before the deny list */
		{ "", "127.0.0.0/8", "127.0.0.1", HACL_LOOPBACK, LOOPBACK, LOOPBACK },
		/* without the rule, loopback is an address like any other */
		{ "", NONE, "127.0.0.1", 0, NOT_ALLOWED(-1), NOT_ALLOWED(-1) },
		{ "", NONE, "128.0.0.1", HACL_LOOPBACK, NOT_ALLOWED(-1), NOT_ALLOWED(-1) },
		{ "", NONE, "::2", HACL_LOOPBACK, NOT_ALLOWED(-1), NOT_ALLOWED(-1) },
		/* ::127.0.0.1 (IPv4-compatible) is not loopback */
		{ "", NONE, "::127.0.0.1", HACL_LOOPBACK, NOT_ALLOWED(-1), NOT_ALLOWED(-1) },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(&cases[i]);
}

static void covers(void **state)
{
	(void)state;
	hacl_list *l = parse("::/0, 0.0.0.0/0, 2001:db8::/32");
	struct hacl_addr v4 = addr("10.1.1.1"), m = addr("::ffff:10.1.1.1"), v6 = addr("2001:db8::5");
	/* ::/0 holds every IPv6 address, the mapped ones included, so 10.1.1.1 too */
	assert_true(hacl_entry_covers(hacl_list_at(l, 0), &v4, 0));
	assert_false(hacl_entry_covers(hacl_list_at(l, 0), &v4, HACL_NAIVE));
	assert_true(hacl_entry_covers(hacl_list_at(l, 0), &m, HACL_NAIVE));
	/* 0.0.0.0/0 is every IPv4 address, and no other IPv6 one */
	assert_true(hacl_entry_covers(hacl_list_at(l, 1), &m, 0));
	assert_false(hacl_entry_covers(hacl_list_at(l, 1), &v6, 0));
	assert_true(hacl_entry_covers(hacl_list_at(l, 2), &v6, HACL_NAIVE));
	assert_false(hacl_entry_covers(hacl_list_at(l, 2), &m, 0));
	hacl_list_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_story),
		cmocka_unit_test(order_of_evaluation),
		cmocka_unit_test(every_entry_form_both_ways),
		cmocka_unit_test(loopback_rule),
		cmocka_unit_test(covers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
