/*
 * test_conf.c - apt-cacher.conf: read the way apt-cacher 1.7 reads it (comments,
 * continuations, the last assignment wins, "0" is empty), findings at their line and
 * column, and fixes that change the lines meant to change and no other byte.
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

static hacl_conf *conf(const char *text)
{
	hacl_conf *c = NULL;
	struct hacl_error err;
	if (hacl_conf_read(&c, text, strlen(text), &err))
		fail_msg("%zu:%zu: %s", err.line, err.column, err.msg);
	return c;
}

static char *value(const struct hacl_conf_line *l)
{
	static char buf[512];
	snprintf(buf, sizeof buf, "%.*s", (int)l->value_len, l->value);
	return buf;
}

static void reading(void **state)
{
	(void)state;
	const char *text =
		"# allowed_hosts = 1.1.1.1 (a comment)\n"
		"allowed_hosts=10.0.0.0/8\n"
		"  allowed_hosts   =   10.1.0.0/16 , \\\n"
		"    10.2.0.0/16   # two lines, then a comment\n"
		"Allowed_Hosts = 10.3.0.0/16\n"		/* keys are case-sensitive */
		"denied_hosts = 0\n"			/* apt-cacher: 0 is an empty value */
		"denied_hosts_6 = ::ffff:10.9.0.0/112 = junk\n"	/* split() stops at '=' */
		"allowed_hosts_6 = *\r\n"
		"allowed_hosts = 10.4.0.0/16 \\\n"
		"# a backslash before a comment line does not join it\n"
		"not a key line\n";
	hacl_conf *c = conf(text);
	assert_int_equal(hacl_conf_count(c), 6);
	static const struct {
		int key;
		size_t line, last_line, entries;
		const char *value;
		bool effective, star;
	} want[] = {
		{ HACL_ALLOWED_HOSTS, 2, 2, 1, "10.0.0.0/8", false, false },
		{ HACL_ALLOWED_HOSTS, 3, 4, 2, "10.1.0.0/16 ,     10.2.0.0/16", false, false },
		{ HACL_DENIED_HOSTS, 6, 6, 0, "", true, false },
		{ HACL_DENIED_HOSTS_6, 7, 7, 1, "::ffff:10.9.0.0/112", true, false },
		{ HACL_ALLOWED_HOSTS_6, 8, 8, 1, "*", true, true },
		{ HACL_ALLOWED_HOSTS, 9, 9, 1, "10.4.0.0/16", true, false },
	};
	for (size_t i = 0; i < 6; i++) {
		const struct hacl_conf_line *l = hacl_conf_at(c, i);
		if (l->key != want[i].key || l->line != want[i].line ||
		    l->last_line != want[i].last_line || hacl_list_count(l->list) != want[i].entries ||
		    strcmp(value(l), want[i].value) != 0 || l->effective != want[i].effective ||
		    l->whole_star != want[i].star)
			fail_msg("line %zu: key %d lines %zu-%zu, %zu entries, '%s', effective %d", i,
				 l->key, l->line, l->last_line, hacl_list_count(l->list), value(l),
				 l->effective);
	}
	/* value offsets map back to the file, across the continuation */
	size_t line, col;
	hacl_conf_where(c, 1, 0, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 23);
	const struct hacl_entry *e = hacl_list_at(hacl_conf_at(c, 1)->list, 1);
	hacl_conf_where(c, 1, e->offset, &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 5);
	assert_null(hacl_conf_at(c, 6));
	assert_string_equal(hacl_conf_key_name(HACL_DENIED_HOSTS_6), "denied_hosts_6");
	assert_null(hacl_conf_key_name(HACL_CONF_NKEYS));
	assert_true(hacl_conf_key_denies(HACL_DENIED_HOSTS));
	assert_false(hacl_conf_key_denies(HACL_ALLOWED_HOSTS_6));
	hacl_conf_free(c);
	hacl_conf_free(NULL);
}

static void errors_in_the_file(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int code;
		size_t line, column, entry_column;
		const char *msg;
	} cases[] = {
		{ "x = 1\nallowed_hosts = 10.0.0.0/8, 010.0.0.1\n", HACL_EPARSE, 2, 29, 29,
		  "allowed_hosts entry '010.0.0.1': octet '010' has a leading zero: decimal 10 to "
		  "some parsers, octal 8 to others (inet_aton); write it without the zero" },
		{ "denied_hosts = 10.0.0.0/8, \\\n   10.0.0.0/33\n", HACL_EPARSE, 2, 13, 4,
		  "denied_hosts entry '10.0.0.0/33': prefix /33 is out of range for IPv4 (0-32)" },
		/* a bare host name is an entry (see host_names); a name in a range or before a
		   /prefix is not one that apt-cacher documents, and stays an error */
		{ "allowed_hosts_6 = apt.example.org/24\n", HACL_EHOSTNAME, 1, 19, 19,
		  "allowed_hosts_6 entry 'apt.example.org/24': 'apt.example.org' is a host name: "
		  "hostacl does not resolve names (the daemon does, when it reads its list); write "
		  "the address" },
		{ "allowed_hosts = a.example.org - b.example.org\n", HACL_EHOSTNAME, 1, 17, 17,
		  NULL },
		/* malformed entries still stop the reading, after a host name too */
		{ "allowed_hosts = apt.example.org, 10.1\n", HACL_EPARSE, 1, 34, 34,
		  "allowed_hosts entry '10.1': '10.1' is a short form (inet_aton() reads it as "
		  "10.0.0.1); write all four octets" },
		{ "allowed_hosts = 1.2.3.4/-1\n", HACL_EPARSE, 1, 25, 17,
		  "allowed_hosts entry '1.2.3.4/-1': a prefix length takes no sign ('-'): write /n "
		  "with n from 0 to 32" },
		{ "allowed_hosts = 10.0.0.1, 10.*   # note\n", HACL_EPARSE, 1, 30, 27, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hacl_conf *c = NULL;
		struct hacl_error err;
		int rc = hacl_conf_read(&c, cases[i].text, strlen(cases[i].text), &err);
		if (rc != cases[i].code || err.line != cases[i].line || err.column != cases[i].column ||
		    err.entry_column != cases[i].entry_column ||
		    (cases[i].msg && strcmp(err.msg, cases[i].msg) != 0))
			fail_msg("case %zu: %d at %zu:%zu (entry at %zu): %s", i, rc, err.line,
				 err.column, err.entry_column, err.msg);
		assert_null(c);
	}
}

/* The same error, field by field (hacl_conf_read()'s and a kept one). */
static void same_error(const struct hacl_error *a, const struct hacl_error *b)
{
	assert_int_equal(a->code, b->code);
	assert_int_equal(a->offset, b->offset);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->column, b->column);
	assert_int_equal(a->entry_column, b->entry_column);
	assert_string_equal(a->entry, b->entry);
	assert_string_equal(a->msg, b->msg);
}

static hacl_conf *conf_all(const char *text, size_t nerrs)
{
	hacl_conf *c = NULL;
	assert_int_equal(hacl_conf_read_flags(&c, text, strlen(text), HACL_CONF_ALL_ERRORS,
					      NULL), 0);
	assert_int_equal(hacl_conf_error_count(c), nerrs);
	return c;
}

/*
 * HACL_CONF_ALL_ERRORS: every bad entry of every key, in file order, located and worded
 * as hacl_conf_read() locates and words the first; the good entries read and checked;
 * no fix.
 */
static void all_errors(void **state)
{
	(void)state;
	const char *text =
		"# several mistakes, across keys and a continuation\n"
		"allowed_hosts = 010.0.0.1, 10.1, 192.168.1.0/24\n"
		"denied_hosts = 10.9.9.9, \\\n"
		"   1.2.3.4/-1 10.0.0.0/33;apt.example.org/24\n"
		"allowed_hosts_6 = ::ffff:10.0.0.0/104 fe80::1%eth0, 1.2.3.4x\n";
	static const struct {
		int code;
		size_t line, column, entry_column;
		const char *entry, *msg;
	} want[] = {
		{ HACL_EPARSE, 2, 17, 17, "010.0.0.1",
		  "allowed_hosts entry '010.0.0.1': octet '010' has a leading zero: decimal 10 to "
		  "some parsers, octal 8 to others (inet_aton); write it without the zero" },
		{ HACL_EPARSE, 2, 28, 28, "10.1",
		  "allowed_hosts entry '10.1': '10.1' is a short form (inet_aton() reads it as "
		  "10.0.0.1); write all four octets" },
		{ HACL_EPARSE, 4, 12, 4, "1.2.3.4/-1",
		  "denied_hosts entry '1.2.3.4/-1': a prefix length takes no sign ('-'): write /n "
		  "with n from 0 to 32" },
		{ HACL_EPARSE, 4, 24, 15, "10.0.0.0/33",
		  "denied_hosts entry '10.0.0.0/33': prefix /33 is out of range for IPv4 (0-32)" },
		{ HACL_EHOSTNAME, 4, 27, 27, "apt.example.org/24",
		  "denied_hosts entry 'apt.example.org/24': 'apt.example.org' is a host name: "
		  "hostacl does not resolve names (the daemon does, when it reads its list); write "
		  "the address" },
		{ HACL_EPARSE, 5, 46, 39, "fe80::1%eth0",
		  "allowed_hosts_6 entry 'fe80::1%eth0': a zone id ('%...') does not belong in a "
		  "list: entries match addresses on every interface" },
		{ HACL_EPARSE, 5, 60, 53, "1.2.3.4x",
		  "allowed_hosts_6 entry '1.2.3.4x': unexpected 'x' after '1.2.3.4'" },
	};
	size_t nw = sizeof want / sizeof want[0];
	hacl_conf *c = NULL;
	struct hacl_error strict;
	assert_int_equal(hacl_conf_read(&c, text, strlen(text), &strict), HACL_EPARSE);
	assert_null(c);
	/* flags 0 is hacl_conf_read() */
	struct hacl_error zero;
	assert_int_equal(hacl_conf_read_flags(&c, text, strlen(text), 0, &zero), HACL_EPARSE);
	assert_null(c);
	same_error(&zero, &strict);
	assert_int_equal(hacl_conf_read_flags(&c, text, strlen(text), HACL_CONF_ALL_ERRORS, NULL), 0);
	assert_int_equal(hacl_conf_error_count(c), nw);
	assert_int_equal(hacl_conf_errors_more(c), 0);
	assert_null(hacl_conf_error_at(c, nw));
	for (size_t i = 0; i < nw; i++) {
		const struct hacl_error *e = hacl_conf_error_at(c, i);
		if (e->code != want[i].code || e->line != want[i].line ||
		    e->column != want[i].column || e->entry_column != want[i].entry_column ||
		    strcmp(e->entry, want[i].entry) != 0 || strcmp(e->msg, want[i].msg) != 0)
			fail_msg("error %zu: %d at %zu:%zu (entry '%s' at %zu): %s", i, e->code,
				 e->line, e->column, e->entry, e->entry_column, e->msg);
		assert_true(e->offset < strlen(text));
	}
	/* the first is the one hacl_conf_read() stops at */
	same_error(hacl_conf_error_at(c, 0), &strict);
	/* the good entries are read (and only they), and checked */
	assert_int_equal(hacl_conf_count(c), 3);
	assert_int_equal(hacl_list_count(hacl_conf_at(c, 0)->list), 1);
	assert_int_equal(hacl_list_at(hacl_conf_at(c, 0)->list, 0)->column, 34 - 16);
	assert_int_equal(hacl_list_count(hacl_conf_at(c, 1)->list), 1);
	assert_int_equal(hacl_list_count(hacl_conf_at(c, 2)->list), 1);
	struct hacl_finding *f = NULL;
	size_t n = 0;
	assert_int_equal(hacl_conf_check(c, &f, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(f[0].kind, HACL_F_IPV4_ALLOW);
	assert_int_equal(f[0].line, 2);
	assert_int_equal(f[0].column, 34);
	assert_int_equal(f[1].kind, HACL_F_IPV4_DENY);
	assert_int_equal(f[1].line, 3);
	assert_int_equal(f[1].column, 16);
	free(f);
	/* no fix of a conf with errors: out stays empty, *edits untouched */
	struct hacl_buf out = HACL_BUF_INIT;
	size_t edits = 77;
	assert_int_equal(hacl_conf_fix(&out, c, HACL_FIX_ADD, &edits), HACL_EPARSE);
	assert_int_equal(hacl_conf_fix(&out, c, HACL_FIX_REPLACE, &edits), HACL_EPARSE);
	assert_null(out.data);
	assert_int_equal(out.len, 0);
	assert_int_equal(edits, 77);
	hacl_conf_free(c);

	/* a file without bad entries reads as without the flag, with no errors */
	c = NULL;
	assert_int_equal(hacl_conf_read_flags(&c, "allowed_hosts = 10.0.0.1\n", 25,
					      HACL_CONF_ALL_ERRORS, NULL), 0);
	assert_int_equal(hacl_conf_error_count(c), 0);
	assert_null(hacl_conf_error_at(c, 0));
	assert_int_equal(hacl_conf_fix(&out, c, HACL_FIX_ADD, &edits), 0);
	assert_int_equal(edits, 1);
	hacl_buf_free(&out);
	hacl_conf_free(c);
	/* an error just after the last byte (found by the fuzzer): offset == len */
	c = conf_all("allowed_hosts = 10.1, 0.", 2);
	assert_int_equal(hacl_conf_error_at(c, 1)->offset, 24);
	assert_int_equal(hacl_conf_error_at(c, 1)->column, 25);
	assert_string_equal(hacl_conf_error_at(c, 1)->msg,
			    "allowed_hosts entry '0.': an octet is missing at the end");
	hacl_conf_free(c);
	assert_int_equal(hacl_conf_error_count(NULL), 0);
	assert_int_equal(hacl_conf_errors_more(NULL), 0);
	assert_null(hacl_conf_error_at(NULL, 0));
}

/* Findings next to bad entries: the item before an entry may be a bad one. */
static void findings_next_to_errors(void **state)
{
	(void)state;
	struct hacl_finding *f = NULL;
	size_t n = 0;
	/* only a blank between the bad entry and the next one: space-separated */
	hacl_conf *c = conf_all("allowed_hosts = ::ffff:10.0.0.1, 010.0.0.2 ::ffff:10.0.0.3\n", 1);
	assert_int_equal(hacl_conf_check(c, &f, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(f[0].kind, HACL_F_SPACE_SEPARATED);
	assert_int_equal(f[0].line, 1);
	assert_int_equal(f[0].column, 44);
	free(f);
	hacl_conf_free(c);
	/* a comma after it: nothing */
	c = conf_all("allowed_hosts = ::ffff:10.0.0.1 010.0.0.2, ::ffff:10.0.0.3\n", 1);
	assert_int_equal(hacl_conf_check(c, &f, &n), 0);
	assert_int_equal(n, 0);
	free(f);
	hacl_conf_free(c);
	/* '*' with a bad entry is not the whole value: it covers nothing */
	c = conf_all("allowed_hosts = * 010.0.0.1\n", 1);
	assert_false(hacl_list_is_star(hacl_conf_at(c, 0)->list));
	assert_int_equal(hacl_conf_check(c, &f, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(f[0].kind, HACL_F_STAR_IN_LIST);
	assert_int_equal(f[0].column, 17);
	free(f);
	hacl_conf_free(c);
	/* a shadowed line's bad entries are errors too; a line of bad entries only is empty */
	c = conf_all("allowed_hosts = 10.1\nallowed_hosts = 10.0.0.1\ndenied_hosts = 1.2.3\n", 2);
	assert_int_equal(hacl_conf_error_at(c, 0)->line, 1);
	assert_int_equal(hacl_conf_error_at(c, 1)->line, 3);
	assert_int_equal(hacl_list_count(hacl_conf_at(c, 2)->list), 0);
	assert_int_equal(hacl_conf_check(c, &f, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(f[0].kind, HACL_F_SHADOWED);
	assert_int_equal(f[1].kind, HACL_F_IPV4_ALLOW);
	free(f);
	hacl_conf_free(c);
}

/* A file of garbage keeps HACL_CONF_ERRORS_MAX errors and counts the rest. */
static void errors_bounded(void **state)
{
	(void)state;
	struct hacl_buf t = HACL_BUF_INIT;
	hacl_buf_append(&t, "allowed_hosts = ", 16);
	for (int i = 0; i < 250; i++)
		hacl_buf_append(&t, "01.0.0.1, ", 10);
	hacl_buf_append(&t, "\ndenied_hosts = 1.2.3\n", 22);
	hacl_conf *c = NULL;
	assert_int_equal(hacl_conf_read_flags(&c, t.data, t.len, HACL_CONF_ALL_ERRORS, NULL), 0);
	assert_int_equal(hacl_conf_error_count(c), HACL_CONF_ERRORS_MAX);
	assert_int_equal(hacl_conf_errors_more(c), 251 - HACL_CONF_ERRORS_MAX);
	for (size_t i = 0; i < HACL_CONF_ERRORS_MAX; i++) {
		const struct hacl_error *e = hacl_conf_error_at(c, i);
		assert_int_equal(e->line, 1);
		assert_int_equal(e->column, 17 + 10 * i);
		assert_int_equal(e->entry_column, 17 + 10 * i);
	}
	hacl_conf_free(c);
	hacl_buf_free(&t);
}

static char *fixed(const char *text, enum hacl_fix_style s, size_t want_edits);

struct want_finding {
	enum hacl_finding_kind kind;
	size_t line, column;
	bool fixable;
};

static void findings_are(const char *text, const struct want_finding *w, size_t nw)
{
	hacl_conf *c = conf(text);
	struct hacl_finding *f = NULL;
	size_t n = 0;
	assert_int_equal(hacl_conf_check(c, &f, &n), 0);
	for (size_t i = 0; i < n || i < nw; i++)
		if (i >= n || i >= nw || f[i].kind != w[i].kind || f[i].line != w[i].line ||
		    f[i].column != w[i].column || f[i].fixable != w[i].fixable)
			fail_msg("finding %zu of %zu (expected %zu): kind %d at %zu:%zu", i, n, nw,
				 i < n ? (int)f[i].kind : -1, i < n ? f[i].line : 0,
				 i < n ? f[i].column : 0);
	free(f);
	hacl_conf_free(c);
}

static void checking(void **state)
{
	(void)state;
	const char *mixed = "allowed_hosts = 10.0.0.0/8\n"
			    "allowed_hosts = 192.168.1.0/24 192.168.2.0/24, *, 10.0.0.1-10.0.0.7\n"
			    "allowed_hosts_6 = ::ffff:192.168.2.0/120\n"
			    "denied_hosts = 192.168.1.66; ::ffff:192.168.2.66\n";
	const struct want_finding w[] = {
		{ HACL_F_SHADOWED, 1, 1, false },
		{ HACL_F_IPV4_ALLOW, 2, 17, true },
		{ HACL_F_SPACE_SEPARATED, 2, 32, true },	/* 192.168.2.0/24 is covered */
		{ HACL_F_STAR_IN_LIST, 2, 48, false },
		{ HACL_F_IPV4_ALLOW, 2, 51, true },
		{ HACL_F_RANGE_NOT_SUBNET, 2, 51, true },
		{ HACL_F_IPV4_DENY, 4, 16, true },
	};
	findings_are(mixed, w, sizeof w / sizeof w[0]);
	/* allowed_hosts = * : apt-cacher never looks at the allow entries; deny still counts */
	const char *star = "allowed_hosts = *\nallowed_hosts_6 = 10.0.0.0/8\ndenied_hosts = 10.9.9.9\n";
	const struct want_finding w2[] = { { HACL_F_IPV4_DENY, 3, 16, true } };
	findings_are(star, w2, 1);
	/* covered by two mapped entries together (one in each allow key), or only in part */
	findings_are("allowed_hosts = 10.0.0.0/23, ::ffff:10.0.0.0/120\n"
		     "allowed_hosts_6 = ::ffff:10.0.1.0/120\n", NULL, 0);
	const struct want_finding w3[] = { { HACL_F_IPV4_ALLOW, 1, 17, true } };
	findings_are("allowed_hosts = 10.0.0.0/22, ::ffff:10.0.0.0/120, ::ffff:10.0.2.0/119\n",
		     w3, 1);
	/* a mapped deny entry does not cover an allow entry */
	findings_are("allowed_hosts = 10.0.0.1\ndenied_hosts = ::ffff:10.0.0.1\n", w3, 1);
	/* ranges that are one subnet are fine; IPv6 ones are checked too */
	findings_are("allowed_hosts = ::ffff:10.0.0.0-::ffff:10.0.0.255, 2001:db8::-2001:db8::ff\n",
		     NULL, 0);
	const struct want_finding w4[] = { { HACL_F_RANGE_NOT_SUBNET, 1, 19, true } };
	findings_are("allowed_hosts_6 = 2001:db8::1-2001:db8::ff\n", w4, 1);
	findings_are("", NULL, 0);
}

/*
 * '*' means every host only as the whole value of allowed_hosts (apt-cacher's
 * `$cfg->{allowed_hosts} eq '*'`); every other '*' is flagged, each at its own place.
 */
static void stars(void **state)
{
	(void)state;
	findings_are("allowed_hosts = *\n", NULL, 0);
	findings_are("allowed_hosts =   *   # all\n", NULL, 0);
	const struct want_finding comma[] = { { HACL_F_STAR_IN_LIST, 1, 17, false } };
	findings_are("allowed_hosts = *,\n", comma, 1);
	findings_are("allowed_hosts = *;\n", comma, 1);
	/* the whole value, but of another key: apt-cacher reads it as an item, and fails */
	const struct want_finding six[] = { { HACL_F_STAR_IN_LIST, 1, 19, false } };
	findings_are("allowed_hosts_6 = *\n", six, 1);
	const struct want_finding deny[] = { { HACL_F_STAR_IN_LIST, 1, 16, false } };
	findings_are("denied_hosts = *\n", deny, 1);
	const struct want_finding deny6[] = { { HACL_F_STAR_IN_LIST, 2, 18, false } };
	findings_are("allowed_hosts = *\ndenied_hosts_6 = *\n", deny6, 1);
	/* several, across continuation lines: each at its own line and column */
	const struct want_finding many[] = {
		{ HACL_F_STAR_IN_LIST, 1, 17, false },
		{ HACL_F_SPACE_SEPARATED, 1, 19, true },
		{ HACL_F_STAR_IN_LIST, 1, 19, false },
		{ HACL_F_STAR_IN_LIST, 2, 3, false },
		{ HACL_F_IPV4_ALLOW, 3, 1, true },
		{ HACL_F_STAR_IN_LIST, 3, 11, false },
	};
	const char *text = "allowed_hosts = * *, \\\n  *;\\\n10.0.0.1, *\n";
	hacl_conf *c = conf(text);
	struct hacl_finding *f = NULL;
	size_t n = 0;
	assert_int_equal(hacl_conf_check(c, &f, &n), 0);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++)
		if (f[i].kind != many[i].kind || f[i].line != many[i].line ||
		    f[i].column != many[i].column || f[i].fixable != many[i].fixable)
			fail_msg("finding %zu: kind %d at %zu:%zu", i, (int)f[i].kind, f[i].line,
				 f[i].column);
	free(f);
	hacl_conf_free(c);
}

/*
 * A host name (apt-cacher's "DNS resolvable hostname") is a finding at its own line and
 * column, never fixed and never touched by a fix; every other entry and key is checked
 * as if it were not there.
 */
static void host_names(void **state)
{
	(void)state;
	const char *text = "allowed_hosts = 192.168.1.0/24, apt.example.org\n"
			   "allowed_hosts_6 = cache-client \\\n  2001:db8::/32\n"
			   "denied_hosts = bad.example.org;10.9.9.9\n";
	const struct want_finding w[] = {
		{ HACL_F_IPV4_ALLOW, 1, 17, true },
		{ HACL_F_HOST_NAME, 1, 33, false },
		{ HACL_F_HOST_NAME, 2, 19, false },
		{ HACL_F_SPACE_SEPARATED, 3, 3, true },
		{ HACL_F_HOST_NAME, 4, 16, false },
		{ HACL_F_IPV4_DENY, 4, 32, true },
	};
	findings_are(text, w, sizeof w / sizeof w[0]);
	hacl_conf *c = conf(text);
	const struct hacl_entry *e = hacl_list_at(hacl_conf_at(c, 0)->list, 1);
	assert_int_equal(e->kind, HACL_NAME);
	assert_int_equal(e->family, 0);
	assert_int_equal(e->len, 15);
	assert_memory_equal(e->text, "apt.example.org", 15);
	/* it covers nothing, correctly or naively, and maps to itself, inexact */
	struct hacl_addr a;
	assert_int_equal(hacl_addr_parse(&a, "192.168.1.5", 11, 0, NULL), 0);
	assert_false(hacl_entry_covers(e, &a, 0));
	assert_false(hacl_entry_covers(e, &a, HACL_NAIVE));
	struct hacl_verdict v;
	hacl_match(&v, hacl_conf_at(c, 2)->list, NULL, &a, 0);
	assert_false(v.allowed);
	struct hacl_buf b = HACL_BUF_INIT;
	enum hacl_map_result r[2];
	size_t inexact = 0;
	const hacl_list *first = hacl_conf_at(c, 0)->list;
	assert_int_equal(hacl_list_map(&b, first, HACL_TO_MAPPED, r, &inexact), 0);
	assert_string_equal(b.data, "::ffff:192.168.1.0/120, apt.example.org");
	assert_int_equal(r[1], HACL_MAP_INEXACT);
	assert_int_equal(inexact, 1);
	hacl_buf_free(&b);
	assert_int_equal(hacl_entry_prefixes(&b, e, ", "), 0);
	assert_string_equal(b.data, "apt.example.org");
	hacl_buf_free(&b);
	hacl_conf_free(c);
	/* the list parser of match and map still refuses it */
	hacl_list *l = NULL;
	assert_int_equal(hacl_list_parse(&l, "apt.example.org", 15, NULL), HACL_EHOSTNAME);
	/* allowed_hosts = *: apt-cacher looks at no allow entry, names included */
	findings_are("allowed_hosts = *\nallowed_hosts_6 = apt.example.org\n", NULL, 0);
	const struct want_finding deny[] = { { HACL_F_HOST_NAME, 2, 16, false } };
	findings_are("allowed_hosts = *\ndenied_hosts = apt.example.org\n", deny, 1);
	/* --fix: the names and every other byte stay; only the IPv4 entries and the comma */
	const char *want_add = "allowed_hosts = 192.168.1.0/24, ::ffff:192.168.1.0/120, "
			       "apt.example.org\n"
			       "allowed_hosts_6 = cache-client, \\\n  2001:db8::/32\n"
			       "denied_hosts = bad.example.org;10.9.9.9, ::ffff:10.9.9.9\n";
	char *m = fixed(text, HACL_FIX_ADD, 3);
	assert_string_equal(m, want_add);
	free(m);
	m = fixed(text, HACL_FIX_REPLACE, 3);
	assert_string_equal(m, "allowed_hosts = ::ffff:192.168.1.0/120, apt.example.org\n"
			       "allowed_hosts_6 = cache-client, \\\n  2001:db8::/32\n"
			       "denied_hosts = bad.example.org;10.9.9.9, ::ffff:10.9.9.9\n");
	free(m);
	/* a config of names only: findings, nothing to fix, the same bytes */
	const char *names = "allowed_hosts = localhost, apt.example.org # names\n";
	const struct want_finding w2[] = {
		{ HACL_F_HOST_NAME, 1, 17, false },
		{ HACL_F_HOST_NAME, 1, 28, false },
	};
	findings_are(names, w2, 2);
	m = fixed(names, HACL_FIX_ADD, 0);
	assert_string_equal(m, names);
	free(m);
}

/* Fix text with style s: the result, its edit count, and a second fix that changes nothing. */
static char *fixed(const char *text, enum hacl_fix_style s, size_t want_edits)
{
	hacl_conf *c = conf(text);
	struct hacl_buf b = HACL_BUF_INIT;
	size_t edits = 99;
	assert_int_equal(hacl_conf_fix(&b, c, s, &edits), 0);
	assert_int_equal(edits, want_edits);
	hacl_conf_free(c);
	/* fixing twice changes nothing the second time */
	c = conf(b.data);
	struct hacl_buf again = HACL_BUF_INIT;
	assert_int_equal(hacl_conf_fix(&again, c, s, &edits), 0);
	assert_int_equal(edits, 0);
	assert_int_equal(again.len, b.len);
	assert_memory_equal(again.data, b.data, b.len);
	hacl_buf_free(&again);
	hacl_conf_free(c);
	return b.data;
}

static void fixing(void **state)
{
	(void)state;
	const char *seed = "# the seed's list\r\n"
			   "allowed_hosts = 192.168.1.0/24,192.168.2.0/24   # LAN\r\n"
			   "denied_hosts =\r\n"
			   "daemon_port = 3142";	/* no final newline */
	char *add = fixed(seed, HACL_FIX_ADD, 2);
	assert_string_equal(add, "# the seed's list\r\n"
				 "allowed_hosts = 192.168.1.0/24, ::ffff:192.168.1.0/120,"
				 "192.168.2.0/24, ::ffff:192.168.2.0/120   # LAN\r\n"
				 "denied_hosts =\r\n"
				 "daemon_port = 3142");
	free(add);
	char *rep = fixed(seed, HACL_FIX_REPLACE, 2);
	assert_string_equal(rep, "# the seed's list\r\n"
				 "allowed_hosts = ::ffff:192.168.1.0/120,::ffff:192.168.2.0/120   # LAN\r\n"
				 "denied_hosts =\r\n"
				 "daemon_port = 3142");
	free(rep);
	/* a comma where only white space was, a range as prefixes, across a continuation */
	const char *mixed = "allowed_hosts = ::ffff:10.0.0.0/112, 10.1.1.1 10.1.1.2, \\\n"
			    "\t10.9.0.0 - 10.9.0.2\n"
			    "denied_hosts = 10.1.1.2\n";
	char *m = fixed(mixed, HACL_FIX_ADD, 6);
	assert_string_equal(m, "allowed_hosts = ::ffff:10.0.0.0/112, 10.1.1.1, ::ffff:10.1.1.1, "
			       "10.1.1.2, ::ffff:10.1.1.2, \\\n"
			       "\t10.9.0.0/31, 10.9.0.2, ::ffff:10.9.0.0/127, ::ffff:10.9.0.2\n"
			       "denied_hosts = 10.1.1.2, ::ffff:10.1.1.2\n");
	free(m);
	/* --replace replaces allow entries; deny entries are kept, their mapped form added */
	m = fixed(mixed, HACL_FIX_REPLACE, 6);
	assert_string_equal(m, "allowed_hosts = ::ffff:10.0.0.0/112, ::ffff:10.1.1.1, "
			       "::ffff:10.1.1.2, \\\n"
			       "\t::ffff:10.9.0.0/127, ::ffff:10.9.0.2\n"
			       "denied_hosts = 10.1.1.2, ::ffff:10.1.1.2\n");
	free(m);
	const char *deny = "denied_hosts = 10.66.0.0/16; 10.0.0.1-10.0.0.6\n"
			   "denied_hosts_6 = 10.77.0.0/255.255.0.0\n";
	const char *deny_fixed = "denied_hosts = 10.66.0.0/16, ::ffff:10.66.0.0/112; "
				 "10.0.0.1, 10.0.0.2/31, 10.0.0.4/31, 10.0.0.6, ::ffff:10.0.0.1, "
				 "::ffff:10.0.0.2/127, ::ffff:10.0.0.4/127, ::ffff:10.0.0.6\n"
				 "denied_hosts_6 = 10.77.0.0/255.255.0.0, ::ffff:10.77.0.0/112\n";
	m = fixed(deny, HACL_FIX_REPLACE, 4);
	assert_string_equal(m, deny_fixed);
	free(m);
	m = fixed(deny, HACL_FIX_ADD, 4);
	assert_string_equal(m, deny_fixed);
	free(m);
	/* entries that span continuation lines keep them when replaced: the same lines */
	const char *spans = "allowed_hosts = 192.168.\\\n1.0/24, 10.0.0.1-\\\n\\\n10.0.0.6\n"
			    "denied_hosts = 10.\\\n9.9.9\n";
	m = fixed(spans, HACL_FIX_REPLACE, 4);
	assert_string_equal(m, "allowed_hosts = ::ffff:192.168.1.0/120\\\n, ::ffff:10.0.0.1, "
			       "::ffff:10.0.0.2/127, ::ffff:10.0.0.4/127, ::ffff:10.0.0.6\\\n\\\n\n"
			       "denied_hosts = 10.\\\n9.9.9, ::ffff:10.9.9.9\n");
	free(m);
	m = fixed(spans, HACL_FIX_ADD, 4);
	assert_string_equal(m, "allowed_hosts = 192.168.\\\n1.0/24, ::ffff:192.168.1.0/120, "
			       "10.0.0.1, 10.0.0.2/31, 10.0.0.4/31, 10.0.0.6\\\n\\\n, ::ffff:10.0.0.1, "
			       "::ffff:10.0.0.2/127, ::ffff:10.0.0.4/127, ::ffff:10.0.0.6\n"
			       "denied_hosts = 10.\\\n9.9.9, ::ffff:10.9.9.9\n");
	free(m);
	/* nothing to fix: the same bytes */
	const char *clean = "allowed_hosts = ::ffff:10.0.0.0/104 # ok\ndenied_hosts = 0\n";
	m = fixed(clean, HACL_FIX_ADD, 0);
	assert_string_equal(m, clean);
	free(m);
	/* findings that are not fixable stay, and only they */
	const char *unfixable = "allowed_hosts = 10.0.0.0/8\nallowed_hosts = *, ::1\n";
	m = fixed(unfixable, HACL_FIX_ADD, 0);
	assert_string_equal(m, unfixable);
	free(m);
}

/* Every byte outside the edited lines is the same, in a config with every kind of line. */
static void other_bytes_unchanged(void **state)
{
	(void)state;
	const char *text = "#!/bin/false\n"
			   "\n"
			   "cache_dir = /var/cache/apt-cacher   # 192.168.1.0/24 in a comment\n"
			   "path_map = debian ftp.debian.org/debian ; ubuntu archive.ubuntu.com/ubuntu\n"
			   "allowed_hosts = 10.0.0.0/8\t\n"
			   "\tweird line without a key 10.0.0.1\n"
			   "denied_hosts = 10.66.0.0/16 # the lab\n"
			   "\x01\xff binary junk\n"
			   "user = www-data";
	char *m = fixed(text, HACL_FIX_ADD, 2);
	/* split both into lines; only lines 5 and 7 may differ */
	char *a = strdup(text), *b = strdup(m);
	char *sa, *sb, *la = strtok_r(a, "\n", &sa), *lb = strtok_r(b, "\n", &sb);
	int line = 1;
	while (la && lb) {
		if (line == 4)	/* strtok skips the empty line 2 */
			assert_string_equal(lb, "allowed_hosts = 10.0.0.0/8, ::ffff:10.0.0.0/104\t");
		else if (line == 6)
			assert_string_equal(lb, "denied_hosts = 10.66.0.0/16, ::ffff:10.66.0.0/112 # the lab");
		else
			assert_string_equal(la, lb);
		la = strtok_r(NULL, "\n", &sa);
		lb = strtok_r(NULL, "\n", &sb);
		line++;
	}
	assert_null(la);
	assert_null(lb);
	assert_int_equal(strlen(m), strlen(text) + strlen(", ::ffff:10.0.0.0/104") +
					    strlen(", ::ffff:10.66.0.0/112"));
	free(a);
	free(b);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reading),
		cmocka_unit_test(errors_in_the_file),
		cmocka_unit_test(all_errors),
		cmocka_unit_test(findings_next_to_errors),
		cmocka_unit_test(errors_bounded),
		cmocka_unit_test(checking),
		cmocka_unit_test(stars),
		cmocka_unit_test(host_names),
		cmocka_unit_test(fixing),
		cmocka_unit_test(other_bytes_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
