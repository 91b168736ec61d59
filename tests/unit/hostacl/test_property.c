/*
 * test_property.c - properties over a million seeded random addresses and thousands of
 * random lists of every entry form:
 *   - the verdict (and the entries that decided) for a.b.c.d equals the one for
 *     ::ffff:a.b.c.d;
 *   - the verdict is exactly "some allow entry covers it and no deny entry does", by a
 *     reference computed from how the lists were generated: in particular an address
 *     outside every allow entry is never allowed;
 *   - map then match agrees with match, to the mapped form and back to IPv4;
 *   - after mapping, even the naive (1.7.3) comparison gets mapped clients right.
 * HOSTACL_SEED=N in the environment picks another seed; a failure names the seed.
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

#define LIST_PAIRS 2000
#define ADDRS_PER_PAIR 500	/* 2000 * 500 = 1 000 000 addresses, each in both forms */
#define MAX_ENTRIES 8

static uint64_t seed = 0x686f737461636cULL;	/* "hostacl" */
static uint64_t rng;

static uint64_t next(void)	/* splitmix64 */
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(next() % n);
}

/* One random list, as text, with the IPv4 interval each entry covers. */
struct rlist {
	char text[MAX_ENTRIES * 80];
	uint32_t lo[MAX_ENTRIES], hi[MAX_ENTRIES];
	bool any[MAX_ENTRIES];		/* '*' */
	bool v6only[MAX_ENTRIES];	/* in 2001:db8::/32: covers no IPv4 address */
	int n;
};

static void quad(char *buf, size_t n, uint32_t v)
{
	snprintf(buf, n, "%u.%u.%u.%u", v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255);
}

static uint32_t mask(int len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

/* An address near the bases the lists are drawn around. */
static uint32_t near(const uint32_t base[3])
{
	return base[below(3)] | below(0x10000);
}

/* Append one random entry to l. */
static void entry(struct rlist *l, const uint32_t base[3])
{
	char a[20], b[20], *t = l->text + strlen(l->text);
	size_t room = sizeof l->text - strlen(l->text);
	uint32_t x = near(base), y = near(base);
	int len = 16 + (int)below(17), k = l->n++;
	bool mapped = below(3) == 0;
	const char *m = mapped ? "::ffff:" : "";
	l->any[k] = l->v6only[k] = false;
	switch (below(16)) {
	case 0:
		if (below(8) == 0) {
			l->any[k] = true;
			snprintf(t, room, "*");
			return;
		}
		/* fall through */
	case 1:
	case 2:
		l->v6only[k] = true;
		snprintf(t, room, "2001:db8:%x::/%u", below(0x10000), 48 + below(81));
		return;
	case 3:
	case 4:
		l->lo[k] = l->hi[k] = x;
		quad(a, sizeof a, x);
		snprintf(t, room, "%s%s", m, a);
		return;
	case 5:
	case 6:
	case 7:
	case 8:
		l->lo[k] = x & mask(len);
		l->hi[k] = l->lo[k] | ~mask(len);
		quad(a, sizeof a, below(8) ? l->lo[k] : x);	/* sometimes with host bits */
		snprintf(t, room, "%s%s/%d", m, a, mapped ? len + 96 : len);
		return;
	case 9:
	case 10:
		if (!mapped) {
			l->lo[k] = x & mask(len);
			l->hi[k] = l->lo[k] | ~mask(len);
			quad(a, sizeof a, l->lo[k]);
			quad(b, sizeof b, mask(len));
			snprintf(t, room, "%s/%s", a, b);
			return;
		}
		/* fall through */
	default:
		l->lo[k] = x < y ? x : y;
		l->hi[k] = x < y ? y : x;
		if (!mapped && below(4) == 0) {		/* a.b.c.d-n */
			l->hi[k] = (l->lo[k] & ~0xffu) | ((l->lo[k] & 0xff) + below(256 - (l->lo[k] & 0xff)));
			quad(a, sizeof a, l->lo[k]);
			snprintf(t, room, "%s-%u", a, l->hi[k] & 0xff);
			return;
		}
		quad(a, sizeof a, l->lo[k]);
		quad(b, sizeof b, l->hi[k]);
		snprintf(t, room, "%s%s%s%s%s", m, a, below(2) ? " - " : "-", m, b);
		return;
	}
}

static void random_list(struct rlist *l, const uint32_t base[3])
{
	static const char *const seps[] = { ",", ", ", " ", ";", " ; ", "\t" };
	l->text[0] = '\0';
	l->n = 0;
	int n = 1 + (int)below(MAX_ENTRIES);
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(l->text, seps[below(6)]);
		entry(l, base);
	}
}

static hacl_list *parse(const char *text)
{
	hacl_list *h = NULL;
	struct hacl_error err;
	if (hacl_list_parse(&h, text, strlen(text), &err))
		fail_msg("seed %llu: '%s': column %zu: %s", (unsigned long long)seed, text,
			 err.column, err.msg);
	return h;
}

static hacl_list *remap(const hacl_list *l, enum hacl_target t)
{
	struct hacl_buf b = HACL_BUF_INIT;
	size_t inexact;
	assert_int_equal(hacl_list_map(&b, l, t, &inexact), 0);
	assert_int_equal(inexact, 0);
	hacl_list *m = parse(b.data);
	hacl_buf_free(&b);
	return m;
}

/* The first entry of l covering x, by the generator's own bookkeeping, or -1. */
static long reference(const struct rlist *l, uint32_t x)
{
	for (int i = 0; i < l->n; i++)
		if (l->any[i] || (!l->v6only[i] && l->lo[i] <= x && x <= l->hi[i]))
			return i;
	return -1;
}

static struct hacl_addr addr(const char *s)
{
	struct hacl_addr a;
	if (hacl_addr_parse(&a, s, strlen(s), 0, NULL))
		fail_msg("bad address %s", s);
	return a;
}

static void same(const struct hacl_verdict *a, const struct hacl_verdict *b, const char *what,
		 const char *who, const struct rlist *allow, const struct rlist *deny)
{
	if (a->allowed != b->allowed || a->why != b->why || a->allow_index != b->allow_index ||
	    a->deny_index != b->deny_index)
		fail_msg("seed %llu: %s: %s: %d/%d/%ld/%ld vs %d/%d/%ld/%ld; allow '%s' deny '%s'",
			 (unsigned long long)seed, what, who, a->allowed, a->why, a->allow_index,
			 a->deny_index, b->allowed, b->why, b->allow_index, b->deny_index,
			 allow->text, deny->text);
}

static void properties(void **state)
{
	(void)state;
	const char *env = getenv("HOSTACL_SEED");
	if (env)
		seed = strtoull(env, NULL, 0);
	rng = seed;
	static struct rlist ra, rd;
	long checked = 0, allowed = 0, naive_differs = 0;
	for (int pair = 0; pair < LIST_PAIRS; pair++) {
		uint32_t base[3];
		for (int i = 0; i < 3; i++)
			base[i] = (uint32_t)next() & 0xffff0000u;
		random_list(&ra, base);
		random_list(&rd, base);
		hacl_list *allow = parse(ra.text), *deny = parse(rd.text);
		hacl_list *allow6 = remap(allow, HACL_TO_MAPPED), *deny6 = remap(deny, HACL_TO_MAPPED);
		hacl_list *allow4 = remap(allow6, HACL_TO_IPV4), *deny4 = remap(deny6, HACL_TO_IPV4);
		for (int k = 0; k < ADDRS_PER_PAIR; k++) {
			/* half the addresses sit on an entry's edge, or just beside it */
			uint32_t x = near(base);
			int e = (int)below((uint32_t)ra.n);
			if (below(2) && !ra.any[e] && !ra.v6only[e]) {
				uint32_t edge = below(2) ? ra.lo[e] : ra.hi[e];
				x = edge + below(3) - 1;
			}
			char s4[20], s6[30];
			quad(s4, sizeof s4, x);
			snprintf(s6, sizeof s6, "::ffff:%s", s4);
			struct hacl_addr a4 = addr(s4), a6 = addr(s6);
			struct hacl_verdict v4, v6, m4, m6, r4, naive;
			hacl_match(&v4, allow, deny, &a4, 0);
			hacl_match(&v6, allow, deny, &a6, 0);
			same(&v4, &v6, "a.b.c.d vs ::ffff:a.b.c.d", s4, &ra, &rd);
			long ia = reference(&ra, x), id = reference(&rd, x);
			if (v4.allowed != (ia >= 0 && id < 0) || v4.allow_index != ia ||
			    v4.deny_index != id)
				fail_msg("seed %llu: %s: allowed %d (allow %ld deny %ld), reference "
					 "allow %ld deny %ld; allow '%s' deny '%s'",
					 (unsigned long long)seed, s4, v4.allowed, v4.allow_index,
					 v4.deny_index, ia, id, ra.text, rd.text);
			hacl_match(&m4, allow6, deny6, &a4, 0);
			hacl_match(&m6, allow6, deny6, &a6, HACL_NAIVE);
			hacl_match(&r4, allow4, deny4, &a4, 0);
			if (m4.allowed != v4.allowed || m6.allowed != v4.allowed || r4.allowed != v4.allowed)
				fail_msg("seed %llu: %s: %d, mapped lists %d, naively %d, back to IPv4 "
					 "%d; allow '%s' deny '%s'", (unsigned long long)seed, s4,
					 v4.allowed, m4.allowed, m6.allowed, r4.allowed, ra.text, rd.text);
			/* the loopback rule changes nothing about the two spellings being one */
			hacl_match(&v4, allow, deny, &a4, HACL_LOOPBACK);
			hacl_match(&v6, allow, deny, &a6, HACL_LOOPBACK);
			same(&v4, &v6, "with --loopback", s4, &ra, &rd);
			hacl_match(&naive, allow, deny, &a6, HACL_NAIVE);
			naive_differs += naive.allowed != v6.allowed;
			allowed += v6.allowed;
			checked++;
		}
		hacl_list_free(allow);
		hacl_list_free(deny);
		hacl_list_free(allow6);
		hacl_list_free(deny6);
		hacl_list_free(allow4);
		hacl_list_free(deny4);
	}
	assert_int_equal(checked, (long)LIST_PAIRS * ADDRS_PER_PAIR);
	/* the data exercised both verdicts, and the bug */
	assert_true(allowed > checked / 20 && allowed < checked - checked / 20);
	assert_true(naive_differs > checked / 50);
	print_message("seed %llu: %ld addresses, %ld allowed, the naive verdict differs on %ld\n",
		      (unsigned long long)seed, checked, allowed, naive_differs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(properties),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
