/*
 * test_parse.c - libhostacl's parsers: addresses in every RFC 4291 text form and their
 * RFC 5952 output, the five kinds of list entry, separators, and the exact error (code,
 * column, entry, message) for each kind of mistake.
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

static char *fmt(const struct hacl_addr *a)
{
	static char buf[4][HACL_ADDR_STRLEN];
	static int k;
	k = (k + 1) % 4;
	return hacl_addr_format(buf[k], a);
}

static hacl_list *parse(const char *text)
{
	hacl_list *l = NULL;
	struct hacl_error err;
	if (hacl_list_parse(&l, text, strlen(text), &err))
		fail_msg("'%s': column %zu: %s", text, err.column, err.msg);
	return l;
}

/* ---------------------------------------------------------------- addresses */

static void address_forms(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
		int family;
	} cases[] = {
		{ "192.168.1.5", "192.168.1.5", 4 },
		{ "0.0.0.0", "0.0.0.0", 4 },
		{ "255.255.255.255", "255.255.255.255", 4 },
		{ "::", "::", 6 },
		{ "::1", "::1", 6 },
		{ "1::", "1::", 6 },
		{ "2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1", 6 },	/* first of two equal runs */
		{ "2001:db8:0:0:0:0:2:1", "2001:db8::2:1", 6 },
		{ "2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329", 6 },
		{ "1:0:0:2:0:0:0:3", "1:0:0:2::3", 6 },		/* the longer run */
		{ "1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7", 6 },	/* one zero group stays */
		{ "::ffff:192.168.1.5", "::ffff:192.168.1.5", 6 },
		{ "0:0:0:0:0:FFFF:C0A8:0105", "::ffff:192.168.1.5", 6 },
		{ "::ffff:c0a8:105", "::ffff:192.168.1.5", 6 },
		{ "::192.168.1.5", "::c0a8:105", 6 },		/* IPv4-compatible: not mapped */
		{ "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304", 6 },
		{ "fe80::1%eth0", "fe80::1", 6 },
		{ "fe80::1%2", "fe80::1", 6 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct hacl_addr a;
		struct hacl_error err;
		if (hacl_addr_parse(&a, cases[i].in, strlen(cases[i].in), HACL_ZONE_OK, &err))
			fail_msg("%s: %s", cases[i].in, err.msg);
		assert_string_equal(fmt(&a), cases[i].out);
		assert_int_equal(a.family, cases[i].family);
		/* the output reads back as the same address */
		struct hacl_addr b;
		assert_int_equal(hacl_addr_parse(&b, fmt(&a), strlen(fmt(&a)), 0, NULL), 0);
		assert_memory_equal(a.b, b.b, 16);
	}
}

static void same_host_both_ways(void **state)
{
	(void)state;
	struct hacl_addr v4, v6, flipped;
	assert_int_equal(hacl_addr_parse(&v4, "10.1.2.3", 8, 0, NULL), 0);
	assert_int_equal(hacl_addr_parse(&v6, "::ffff:10.1.2.3", 15, 0, NULL), 0);
	assert_memory_equal(v4.b, v6.b, 16);	/* one host, one set of bytes */
	assert_int_equal(v4.family, 4);
	assert_int_equal(v6.family, 6);
	assert_true(hacl_addr_flip(&flipped, &v4));
	assert_string_equal(fmt(&flipped), "::ffff:10.1.2.3");
	assert_true(hacl_addr_flip(&flipped, &v6));
	assert_string_equal(fmt(&flipped), "10.1.2.3");
	assert_int_equal(hacl_addr_parse(&v6, "2001:db8::1", 11, 0, NULL), 0);
	assert_false(hacl_addr_flip(&flipped, &v6));
	assert_false(hacl_addr_is_mapped(&v6));
}

static void address_errors(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int code;
		size_t column;
		const char *msg;
	} cases[] = {
		{ "010.0.0.1", HACL_EPARSE, 1, "octet '010' has a leading zero: decimal 10 to some "
		  "parsers, octal 8 to others (inet_aton); write it without the zero" },
		{ "10.0.0.09", HACL_EPARSE, 8, "octet '09' has a leading zero, which some parsers "
		  "take for octal; write it without the zero" },
		{ "10.1", HACL_EPARSE, 1, "'10.1' is a short form (inet_aton() reads it as "
		  "10.0.0.1); write all four octets" },
		{ "10.1.2", HACL_EPARSE, 1, "'10.1.2' is a short form (inet_aton() reads it as "
		  "10.1.0.2); write all four octets" },
		{ "256.0.0.1", HACL_EPARSE, 1, "octet '256' is out of range (0-255)" },
		{ "1.2.3.4.5", HACL_EPARSE, 8, "unexpected '.' after four octets" },
		{ "1.2.3.", HACL_EPARSE, 7, "an octet is missing at the end" },
		{ "0x0a.0.0.1", HACL_EPARSE, 1, "hexadecimal octets are not accepted" },
		{ "1.2.3.4x", HACL_EPARSE, 8, "unexpected 'x' after '1.2.3.4'" },
		/* "unexpected X" reads right for every kind of character */
		{ "1.2.3.4 ", HACL_EPARSE, 8, "unexpected space after '1.2.3.4'" },
		{ "1.2.3.4\t", HACL_EPARSE, 8, "unexpected tab after '1.2.3.4'" },
		{ "1.2.3.4\n", HACL_EPARSE, 8, "unexpected byte 0x0a after '1.2.3.4'" },
		{ "1.2.3.4\xc3\xa9", HACL_EPARSE, 8, "unexpected byte 0xc3 after '1.2.3.4'" },
		{ " 1.2.3.4", HACL_EPARSE, 1, "unexpected space in an IPv4 address" },
		{ "::\x7f", HACL_EPARSE, 3, "unexpected byte 0x7f in an IPv6 address" },
		{ "1:\t:2", HACL_EPARSE, 3, "unexpected tab in an IPv6 address" },
		{ ":1::", HACL_EPARSE, 1, "an IPv6 address does not start with a single ':'" },
		{ "1::2:", HACL_EPARSE, 5, "an IPv6 address does not end with a single ':'" },
		{ "1:::2", HACL_EPARSE, 4, "too many ':' in a row" },
		{ "1::2::3", HACL_EPARSE, 5, "'::' may appear only once" },
		{ "1:2:3:4:5:6:7:8:9", HACL_EPARSE, 17, "more than 8 groups" },
		{ "1:2:3:4:5:6:7", HACL_EPARSE, 1, "only 7 of 8 groups, and no '::' for the "
		  "missing ones" },
		{ "1:2:3:4::5:6:7:8", HACL_EPARSE, 8, "'::' stands for at least one zero group, "
		  "but all 8 are written" },
		{ "12345::", HACL_EPARSE, 1, "group '12345' has more than 4 hex digits" },
		{ "1:2:3:4:5:6:7:1.2.3.4", HACL_EPARSE, 15, "no room for an IPv4 part after 7 "
		  "groups" },
		{ "::ffff:1.2.3", HACL_EPARSE, 8, "'1.2.3' is a short form (inet_aton() reads it as "
		  "1.2.0.3); write all four octets" },
		{ "::g", HACL_EPARSE, 3, "unexpected 'g' in an IPv6 address" },
		{ "fe80::1%", HACL_EPARSE, 9, "the zone id after '%' must be an interface name or "
		  "number" },
		/* a zone id is an interface name or number: at most 15 bytes (IF_NAMESIZE - 1) */
		{ "fe80::1%abcdefghijklmnop", HACL_EPARSE, 24, "the zone id after '%' is 16 bytes "
		  "long; an interface name or number has at most 15" },
		{ "1.2.3.4%eth0", HACL_EPARSE, 8, "only IPv6 addresses take a zone id" },
		{ "localhost", HACL_EHOSTNAME, 1, "'localhost' is a host name: hostacl does not "
		  "resolve names (the daemon does, when it reads its list); write the address" },
		{ "", HACL_EPARSE, 1, "an address is missing" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct hacl_addr a;
		struct hacl_error err;
		int rc = hacl_addr_parse(&a, cases[i].in, strlen(cases[i].in), HACL_ZONE_OK, &err);
		if (rc != cases[i].code || err.column != cases[i].column ||
		    strcmp(err.msg, cases[i].msg) != 0)
			fail_msg("'%s': got %d at column %zu: %s", cases[i].in, rc, err.column, err.msg);
		assert_int_equal(err.code, rc);
	}
	/* without HACL_ZONE_OK a zone is an error */
	struct hacl_error err;
	struct hacl_addr a;
	assert_int_equal(hacl_addr_parse(&a, "fe80::1%eth0", 12, 0, &err), HACL_EPARSE);
	assert_int_equal(err.column, 8);
	assert_string_equal(err.msg, "a zone id ('%...') does not belong here");
	/* a zone id of 15 bytes is fine, and ignored */
	assert_int_equal(hacl_addr_parse(&a, "fe80::1%abcdefghijklmno", 23, HACL_ZONE_OK, &err), 0);
	assert_string_equal(fmt(&a), "fe80::1");
	/* huge input is quoted cut, with "...": never the whole of it */
	char huge[4096];
	memset(huge, '1', sizeof huge);
	assert_int_equal(hacl_addr_parse(&a, huge, sizeof huge, 0, &err), HACL_EPARSE);
	assert_string_equal(err.msg, "octet '1111111111111111111111111111111111111111...' is "
			    "out of range (0-255)");
	memset(huge, 'a', sizeof huge);
	assert_int_equal(hacl_addr_parse(&a, huge, sizeof huge, 0, &err), HACL_EHOSTNAME);
	assert_string_equal(err.msg, "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is a host "
			    "name: hostacl does not resolve names (the daemon does, when it reads "
			    "its list); write the address");
	assert_string_equal(err.entry, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...");
	memcpy(huge, "1::", 3);		/* "1::aaaa...": a hex group of 61 digits */
	assert_int_equal(hacl_addr_parse(&a, huge, 64, 0, &err), HACL_EPARSE);
	assert_string_equal(err.msg, "group 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' has more "
			    "than 4 hex digits");
	/* the text need not be NUL-terminated: only len bytes are read */
	assert_int_equal(hacl_addr_parse(&a, "10.0.0.1999", 8, 0, NULL), 0);
	assert_string_equal(fmt(&a), "10.0.0.1");
}

/* ---------------------------------------------------------------- list entries */

static void entry_kinds(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum hacl_kind kind;
		int family, prefix;
		const char *first, *last;
		unsigned warnings;
	} cases[] = {
		{ "*", HACL_ANY, 0, 0, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0 },
		{ "192.168.1.5", HACL_HOST, 4, 32, "192.168.1.5", "192.168.1.5", 0 },
		{ "192.168.1.0/24", HACL_PREFIX, 4, 24, "192.168.1.0", "192.168.1.255", 0 },
		{ "192.168.1.5/24", HACL_PREFIX, 4, 24, "192.168.1.0", "192.168.1.255",
		  HACL_WARN_HOST_BITS },
		{ "0.0.0.0/0", HACL_PREFIX, 4, 0, "0.0.0.0", "255.255.255.255", 0 },
		{ "10.0.0.0/255.0.0.0", HACL_NETMASK, 4, 8, "10.0.0.0", "10.255.255.255", 0 },
		{ "10.0.0.0/0.0.0.0", HACL_NETMASK, 4, 0, "0.0.0.0", "255.255.255.255",
		  HACL_WARN_HOST_BITS },
		{ "10.1.2.3/255.255.255.255", HACL_NETMASK, 4, 32, "10.1.2.3", "10.1.2.3", 0 },
		{ "192.168.0.3-192.168.0.56", HACL_RANGE, 4, -1, "192.168.0.3", "192.168.0.56", 0 },
		{ "192.168.0.0 - 192.168.0.63", HACL_RANGE, 4, -1, "192.168.0.0", "192.168.0.63", 0 },
		{ "192.168.0.0-63", HACL_RANGE, 4, -1, "192.168.0.0", "192.168.0.63", 0 },
		{ "10.0.0.7-10.0.0.7", HACL_RANGE, 4, -1, "10.0.0.7", "10.0.0.7", 0 },
		{ "::1", HACL_HOST, 6, 128, "::1", "::1", 0 },
		{ "2001:db8::/32", HACL_PREFIX, 6, 32, "2001:db8::",
		  "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 0 },
		{ "::ffff:192.168.1.0/120", HACL_PREFIX, 6, 120, "::ffff:192.168.1.0",
		  "::ffff:192.168.1.255", 0 },
		{ "::ffff:192.168.1.0/24", HACL_PREFIX, 6, 24, "::",
		  "0:ff:ffff:ffff:ffff:ffff:ffff:ffff",
		  HACL_WARN_HOST_BITS | HACL_WARN_MAPPED_PREFIX },
		{ "::ffff:0:0/96", HACL_PREFIX, 6, 96, "::ffff:0.0.0.0", "::ffff:255.255.255.255", 0 },
		{ "::/0", HACL_PREFIX, 6, 0, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0 },
		{ "fe80::1-fe80::ff", HACL_RANGE, 6, -1, "fe80::1", "fe80::ff", 0 },
		{ "::ffff:10.0.0.1 - ::ffff:10.0.0.9", HACL_RANGE, 6, -1, "::ffff:10.0.0.1",
		  "::ffff:10.0.0.9", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hacl_list *l = parse(cases[i].in);
		assert_int_equal(hacl_list_count(l), 1);
		const struct hacl_entry *e = hacl_list_at(l, 0);
		if (e->kind != cases[i].kind || e->family != cases[i].family ||
		    (cases[i].prefix >= 0 && e->prefix != cases[i].prefix) ||
		    strcmp(fmt(&e->first), cases[i].first) != 0 ||
		    strcmp(fmt(&e->last), cases[i].last) != 0 || e->warnings != cases[i].warnings)
			fail_msg("'%s': kind %d family %d /%d %s..%s warnings %u", cases[i].in,
				 e->kind, e->family, e->prefix, fmt(&e->first), fmt(&e->last),
				 e->warnings);
		assert_int_equal(e->len, strlen(cases[i].in));
		assert_memory_equal(e->text, cases[i].in, e->len);
		hacl_list_free(l);
	}
}

static void separators(void **state)
{
	(void)state;
	hacl_list *l = parse("  10.0.0.1,10.0.0.2;10.0.0.3 10.0.0.4\t10.0.0.5\n10.0.0.6 ,; 10.0.0.7,");
	assert_int_equal(hacl_list_count(l), 7);
	for (size_t i = 0; i < 7; i++) {
		char want[16];
		snprintf(want, sizeof want, "10.0.0.%zu", i + 1);
		assert_string_equal(fmt(&hacl_list_at(l, i)->first), want);
		assert_int_equal(hacl_list_at(l, i)->len, strlen(want));
	}
	assert_int_equal(hacl_list_at(l, 0)->offset, 2);
	hacl_list_free(l);
	/* a range with blanks around its dash is one entry, however the blanks fall */
	static const char *const ranges[] = { "10.0.0.1 - 10.0.0.9", "10.0.0.1 -10.0.0.9",
					      "10.0.0.1- 10.0.0.9", "10.0.0.1\t-\t10.0.0.9" };
	for (size_t i = 0; i < 4; i++) {
		l = parse(ranges[i]);
		assert_int_equal(hacl_list_count(l), 1);
		assert_int_equal(hacl_list_at(l, 0)->kind, HACL_RANGE);
		assert_int_equal(hacl_list_at(l, 0)->len, strlen(ranges[i]));
		hacl_list_free(l);
	}
	l = parse("10.0.0.1 - 10.0.0.9, 10.0.1.0/24");
	assert_int_equal(hacl_list_count(l), 2);
	hacl_list_free(l);
	l = parse("");
	assert_int_equal(hacl_list_count(l), 0);
	assert_null(hacl_list_at(l, 0));
	hacl_list_free(l);
	l = parse(" ,;, ");
	assert_int_equal(hacl_list_count(l), 0);
	hacl_list_free(l);
	hacl_list_free(NULL);
}

static void list_errors(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int code;
		size_t column, entry_column;
		const char *entry, *msg;
	} cases[] = {
		{ "10.0.0.0/8, 010.0.0.1", HACL_EPARSE, 13, 13, "010.0.0.1", NULL },
		{ "1.2.3.4/33", HACL_EPARSE, 9, 1, "1.2.3.4/33",
		  "prefix /33 is out of range for IPv4 (0-32)" },
		{ "::/129", HACL_EPARSE, 4, 1, "::/129", "prefix /129 is out of range for IPv6 (0-128)" },
		{ "1.2.3.4/024", HACL_EPARSE, 9, 1, "1.2.3.4/024",
		  "the prefix length '024' has a leading zero" },
		{ "1.2.3.4/", HACL_EPARSE, 9, 1, "1.2.3.4/",
		  "the prefix length is missing after '/'" },
		{ "1.2.3.4/,24", HACL_EPARSE, 9, 1, "1.2.3.4/",
		  "the prefix length is missing after '/'" },
		{ "1.2.3.4/ 1", HACL_EPARSE, 9, 1, "1.2.3.4/",
		  "the prefix length is missing: a blank after '/' ends the entry; write /n with "
		  "no space" },
		{ "1.2.3.4/2x", HACL_EPARSE, 10, 1, "1.2.3.4/2x",
		  "unexpected 'x' in the prefix length, a decimal number from 0 to 32" },
		{ "1.2.3.4/2\x01", HACL_EPARSE, 10, 1, "1.2.3.4/2?",
		  "unexpected byte 0x01 in the prefix length, a decimal number from 0 to 32" },
		{ "1.2.3.4/0x10", HACL_EPARSE, 10, 1, "1.2.3.4/0x10",
		  "unexpected 'x' in the prefix length, a decimal number from 0 to 32" },
		/* a sign after '/' is a prefix mistake, not a range ("the ends of a range ...") */
		{ "1.2.3.4/-1", HACL_EPARSE, 9, 1, "1.2.3.4/-1",
		  "a prefix length takes no sign ('-'): write /n with n from 0 to 32" },
		{ "1.2.3.4/+1", HACL_EPARSE, 9, 1, "1.2.3.4/+1",
		  "a prefix length takes no sign ('+'): write /n with n from 0 to 32" },
		{ "2001:db8::/-64", HACL_EPARSE, 12, 1, "2001:db8::/-64",
		  "a prefix length takes no sign ('-'): write /n with n from 0 to 128" },
		{ "1.2.3.4/24/8", HACL_EPARSE, 11, 1, "1.2.3.4/24/8", "unexpected second '/'" },
		{ "1.2.3.4//24", HACL_EPARSE, 9, 1, "1.2.3.4//24", "unexpected second '/'" },
		{ "/24", HACL_EPARSE, 1, 1, "/24", "an address is missing before '/'" },
		{ "10.0.0.0/255.0.255.0", HACL_EPARSE, 10, 1, "10.0.0.0/255.0.255.0",
		  "netmask 255.0.255.0 is not contiguous (ones, then zeros)" },
		{ "::1/255.0.0.0", HACL_EPARSE, 5, 1, "::1/255.0.0.0",
		  "only IPv4 takes a netmask; write /n for IPv6" },
		{ "10.0.0.0/ffff::", HACL_EPARSE, 10, 1, "10.0.0.0/ffff::",
		  "unexpected 'f' in the prefix length, a decimal number from 0 to 32" },
		{ "a, 10.0.0.9-10.0.0.1", HACL_EHOSTNAME, 1, 1, "a", NULL },
		{ "10.0.0.9-10.0.0.1", HACL_EPARSE, 10, 1, "10.0.0.9-10.0.0.1",
		  "the range ends before it starts" },
		{ "10.0.0.9-1", HACL_EPARSE, 10, 1, "10.0.0.9-1", "the range ends before it starts" },
		{ "10.0.0.0-256", HACL_EPARSE, 10, 1, "10.0.0.0-256",
		  "the last octet 256 is out of range (0-255)" },
		{ "10.0.0.0-09", HACL_EPARSE, 10, 1, "10.0.0.0-09",
		  "the last octet '09' has a leading zero" },
		{ "10.0.0.1-::ffff:10.0.0.9", HACL_EPARSE, 10, 1, "10.0.0.1-::ffff:10.0.0.9",
		  "a range starts and ends in one family (here IPv4, then IPv6); write both ends "
		  "as a.b.c.d or both as ::ffff:a.b.c.d" },
		{ "10.0.0.0/8-10.0.0.9", HACL_EPARSE, 9, 1, "10.0.0.0/8-10.0.0.9",
		  "the ends of a range take no /prefix" },
		{ "10.0.0.1-10.0.0.2-10.0.0.3", HACL_EPARSE, 18, 1, "10.0.0.1-10.0.0.2-10.0.0.3",
		  "a range has one '-'" },
		{ "-10.0.0.1", HACL_EPARSE, 1, 1, "-10.0.0.1",
		  "a range needs a first address before '-'" },
		{ "10.0.0.1 -", HACL_EPARSE, 10, 10, "-", "a range needs a first address before '-'" },
		{ "10.*", HACL_EPARSE, 4, 1, "10.*", "'*' stands alone: patterns such as 10.* are "
		  "not supported; write a prefix (10.0.0.0/8)" },
		{ "**", HACL_EPARSE, 1, 1, "**", NULL },
		{ "fe80::1%eth0", HACL_EPARSE, 8, 1, "fe80::1%eth0", "a zone id ('%...') does not "
		  "belong in a list: entries match addresses on every interface" },
		{ "10.0.0.1, apt.example.org", HACL_EHOSTNAME, 11, 11, "apt.example.org",
		  "a host name: hostacl does not resolve names (the daemon does, when it reads its "
		  "list); write the address" },
		{ "10.0.0.1,\n  10.2", HACL_EPARSE, 3, 3, "10.2", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hacl_list *l = NULL;
		struct hacl_error err;
		int rc = hacl_list_parse(&l, cases[i].in, strlen(cases[i].in), &err);
		if (rc != cases[i].code || err.column != cases[i].column ||
		    err.entry_column != cases[i].entry_column ||
		    strcmp(err.entry, cases[i].entry) != 0 ||
		    (cases[i].msg && strcmp(err.msg, cases[i].msg) != 0))
			fail_msg("'%s': got %d at column %zu, entry '%s' at %zu: %s", cases[i].in, rc,
				 err.column, err.entry, err.entry_column, err.msg);
		assert_null(l);
	}
	/* the line counts too */
	hacl_list *l = NULL;
	struct hacl_error err;
	const char *two = "10.0.0.1,\n  10.2";
	assert_int_equal(hacl_list_parse(&l, two, strlen(two), &err), HACL_EPARSE);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.offset, 12);
	/* a long entry is quoted shortened */
	char longer[200];
	memset(longer, '1', sizeof longer);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(hacl_list_parse(&l, longer, strlen(longer), &err), HACL_EPARSE);
	assert_int_equal(strlen(err.entry), 43);	/* the first 40 bytes and "..." */
	assert_string_equal(err.entry + 40, "...");
	assert_string_equal(err.msg, "octet '1111111111111111111111111111111111111111...' is "
			    "out of range (0-255)");
	/* a leading zero in a huge prefix length is quoted cut too */
	char prefix[300] = "10.0.0.0/0";
	memset(prefix + 10, '7', sizeof prefix - 11);
	prefix[sizeof prefix - 1] = '\0';
	assert_int_equal(hacl_list_parse(&l, prefix, strlen(prefix), &err), HACL_EPARSE);
	assert_string_equal(err.msg, "the prefix length '0777777777777777777777777777777777777777...' "
			    "has a leading zero");
	assert_string_equal(err.entry, "10.0.0.0/0777777777777777777777777777777...");
	/* NULL err is allowed */
	assert_int_equal(hacl_list_parse(&l, "x-", 2, NULL), HACL_EHOSTNAME);
}

/* Each entry's line and column (from 1) in the list text, over every separator. */
static void entry_positions(void **state)
{
	(void)state;
	const char *text = "10.0.0.1,\n  ::1 ;\r\n\t*\n\n10.0.0.1 - 10.0.0.9\f2001:db8::/32";
	static const struct {
		size_t line, column, offset;
	} want[] = { { 1, 1, 0 }, { 2, 3, 12 }, { 3, 2, 20 }, { 5, 1, 23 }, { 5, 21, 43 } };
	hacl_list *l = parse(text);
	assert_int_equal(hacl_list_count(l), 5);
	for (size_t i = 0; i < 5; i++) {
		const struct hacl_entry *e = hacl_list_at(l, i);
		if (e->line != want[i].line || e->column != want[i].column ||
		    e->offset != want[i].offset)
			fail_msg("entry %zu '%.*s': %zu:%zu (offset %zu), expected %zu:%zu (%zu)", i,
				 (int)e->len, e->text, e->line, e->column, e->offset, want[i].line,
				 want[i].column, want[i].offset);
	}
	hacl_list_free(l);
}

/* '*' is the whole list only when nothing but white space surrounds it. */
static void whole_list_star(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool star;
	} cases[] = {
		{ "*", true }, { "  *\t\n", true }, { "*,", false }, { ";*", false },
		{ "* *", false }, { "*, 10.0.0.0/8", false }, { "", false }, { "10.0.0.1", false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hacl_list *l = parse(cases[i].text);
		if (hacl_list_is_star(l) != cases[i].star)
			fail_msg("'%s': is_star %d", cases[i].text, hacl_list_is_star(l));
		hacl_list_free(l);
	}
	assert_false(hacl_list_is_star(NULL));
}

static void strerror_phrases(void **state)
{
	(void)state;
	assert_string_equal(hacl_strerror(HACL_OK), "success");
	assert_string_equal(hacl_strerror(HACL_ENOMEM), "out of memory");
	assert_string_equal(hacl_strerror(HACL_EHOSTNAME), "a host name where an address belongs");
	assert_string_equal(hacl_strerror(42), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(address_forms),
		cmocka_unit_test(same_host_both_ways),
		cmocka_unit_test(address_errors),
		cmocka_unit_test(entry_kinds),
		cmocka_unit_test(separators),
		cmocka_unit_test(list_errors),
		cmocka_unit_test(entry_positions),
		cmocka_unit_test(whole_list_star),
		cmocka_unit_test(strerror_phrases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
