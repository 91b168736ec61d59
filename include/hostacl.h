/*
 * hostacl.h - the public interface of libhostacl.
 *
 * libhostacl reads allowed_hosts-style access lists of IPv4 and IPv6 addresses, matches
 * client addresses against an allow and a deny list in apt-cacher's order, and treats an
 * IPv4 address a.b.c.d and its IPv4-mapped IPv6 form ::ffff:a.b.c.d (RFC 4291 section
 * 2.5.5.2) as one host, which is what a server on a dual-stack socket (IPV6_V6ONLY off)
 * needs. It rewrites lists between the two notations and checks and fixes the
 * allowed_hosts/denied_hosts lines of an apt-cacher.conf held in memory.
 *
 * It never prints, never exits, does no I/O and keeps no global state. Every fallible
 * function returns an int: 0 on success or a negative enum hacl_status, with details in
 * an optional struct hacl_error (NULL when the caller does not want them).
 *
 * Ownership, once for the whole header:
 *   - output parameters come first and are written only on success;
 *   - objects returned through `**out` belong to the caller, who frees them with the
 *     matching _free(); _free(NULL) does nothing;
 *   - plain returned pointers are borrowed: valid until the object they came from is
 *     freed, or forever for static data;
 *   - input text is given as (data, len) and need not be NUL-terminated.
 */
#ifndef HOSTACL_H
#define HOSTACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HACL_VERSION_STRING "0.1.0"

/* ---------------------------------------------------------------- status and errors */

enum hacl_status {
	HACL_OK = 0,
	HACL_ENOMEM = -1,	/* out of memory */
	HACL_EPARSE = -2,	/* the text is not an address, a list or a config as expected */
	HACL_EHOSTNAME = -3,	/* a host name where an address belongs: not resolved, never guessed */
};

/* A short English phrase for a status code; never NULL. */
const char *hacl_strerror(int code);

/*
 * Where and why parsing failed. Positions count from 1 in the text given (for a config
 * file: in the file). `column` points at the offending character, `entry` quotes the
 * list entry it belongs to: its first 40 bytes, and "..." when it is longer. Messages
 * quote pieces of the input the same way; control bytes show as '?'.
 */
struct hacl_error {
	int code;		/* the enum hacl_status returned */
	size_t offset;		/* byte offset of the offending character */
	size_t line;		/* 1-based line of that character */
	size_t column;		/* 1-based column (in bytes) of that character */
	size_t entry_column;	/* 1-based column where the entry starts, 0 when none */
	char entry[80];		/* the entry as written, "" when none */
	char msg[360];		/* what is wrong, one sentence, without the location */
};

/* ---------------------------------------------------------------- addresses */

/*
 * An IPv4 or IPv6 address. Every address lives in the 128-bit IPv6 space: an IPv4
 * address a.b.c.d is stored as its mapped form ::ffff:a.b.c.d, so the same host has the
 * same bytes whichever way it was written. `family` remembers how it was written (or how
 * a socket reported it), which only the naive comparison and the output look at.
 */
struct hacl_addr {
	uint8_t b[16];		/* network byte order */
	uint8_t family;		/* 4: written as IPv4; 6: written as IPv6 (mapped or not) */
};

/* Longest text hacl_addr_format() writes, with its NUL ("ffff:...:255.255.255.255"). */
#define HACL_ADDR_STRLEN 48

/* hacl_addr_parse() flags */
#define HACL_ZONE_OK 1u		/* accept (and ignore) an IPv6 zone id: fe80::1%eth0 */

/* Longest zone id (an interface name or number) in bytes: Linux's IF_NAMESIZE - 1. */
#define HACL_ZONE_MAX 15

/*
 * Parse one address: an IPv4 dotted quad (four decimal octets, no leading zeros, no short
 * forms) or any RFC 4291 text form of an IPv6 address (:: compression, an embedded dotted
 * quad in the last 32 bits). Nothing may follow it but, with HACL_ZONE_OK, a zone id of
 * 1 to HACL_ZONE_MAX letters, digits, '.', '_' or '-' after a '%' (IPv6 only).
 */
int hacl_addr_parse(struct hacl_addr *out, const char *s, size_t len, unsigned flags,
		    struct hacl_error *err);

/*
 * Write the address into buf (HACL_ADDR_STRLEN bytes) and return buf: IPv4 as a dotted
 * quad; IPv6 in RFC 5952 form (lower case, the longest run of zero groups compressed),
 * IPv4-mapped addresses as ::ffff:a.b.c.d. This function can't fail.
 */
char *hacl_addr_format(char *buf, const struct hacl_addr *a);

/* True when the address lies in ::ffff:0:0/96 (every IPv4 address does). */
bool hacl_addr_is_mapped(const struct hacl_addr *a);

/* The same host written the other way: a.b.c.d <-> ::ffff:a.b.c.d. False (and *out
 * untouched) for an IPv6 address outside ::ffff:0:0/96, which has no IPv4 form. */
bool hacl_addr_flip(struct hacl_addr *out, const struct hacl_addr *a);

/* ---------------------------------------------------------------- lists */

enum hacl_kind {
	HACL_ANY,		/* '*': every address, but only as a whole allow list (see
				   hacl_match()); anywhere else it covers nothing */
	HACL_HOST,		/* one address */
	HACL_PREFIX,		/* address/n */
	HACL_NETMASK,		/* a.b.c.d/m.m.m.m, a contiguous IPv4 netmask */
	HACL_RANGE,		/* first-last, both ends of one family */
	HACL_NAME,		/* a host name, only in the lists of hacl_conf_read(): kept as
				   written, never resolved; it covers nothing, family is 0,
				   and first > last (no interval) */
};

/* struct hacl_entry warnings: legal, but probably not what was meant */
#define HACL_WARN_HOST_BITS 1u		/* 192.168.1.5/24: bits set after the prefix */
#define HACL_WARN_MAPPED_PREFIX 2u	/* ::ffff:a.b.c.d/n with n < 96: more than IPv4 */

/* One entry of a list, as written and as the addresses it covers. */
struct hacl_entry {
	enum hacl_kind kind;
	uint8_t family;		/* 4 or 6 as written; 0 for '*' */
	struct hacl_addr first;	/* lowest address covered (family as written) */
	struct hacl_addr last;	/* highest address covered */
	struct hacl_addr addr;	/* HOST, PREFIX, NETMASK: the address as written */
	int prefix;		/* PREFIX, NETMASK: length in the family's bits (IPv4 0-32) */
	const char *text;	/* the entry as written; not NUL-terminated */
	size_t len;		/* bytes of text */
	size_t offset;		/* byte offset of text in the parsed list */
	size_t line, column;	/* where text starts in the parsed list, both from 1 */
	unsigned warnings;	/* HACL_WARN_* */
};

typedef struct hacl_list hacl_list;

/*
 * Parse a list: entries separated by commas, semicolons and/or white space. An entry is
 * '*', an address, address/prefix, a.b.c.d/netmask, a range first-last (spaces around
 * the '-' allowed, and a.b.c.d-n for the last octet only). Host names fail with
 * HACL_EHOSTNAME: a list given to match or map must say which addresses it means, and
 * only the daemon could resolve a name (hacl_conf_read(), which reads a daemon's own
 * config, keeps them as HACL_NAME entries instead). Every other mistake (leading zeros,
 * short IPv4 forms, prefixes out of range or with a sign, zone ids, trailing garbage)
 * fails with HACL_EPARSE naming the entry and column.
 * An empty text gives an empty list.
 */
int hacl_list_parse(hacl_list **out, const char *text, size_t len, struct hacl_error *err);
void hacl_list_free(hacl_list *l);
size_t hacl_list_count(const hacl_list *l);
/* The i-th entry (i < hacl_list_count()), borrowed from the list. */
const struct hacl_entry *hacl_list_at(const hacl_list *l, size_t i);
/*
 * True when the whole text is '*' (white space around it aside): apt-cacher's
 * `allowed_hosts eq '*'`, the only place where '*' means every host. A '*' in a list with
 * other text ("*, 10.0.0.0/8", "*,") is handed by apt-cacher to NetAddr::IP, which cannot
 * read it, so the item is logged and ignored; hacl_match() ignores it the same way.
 */
bool hacl_list_is_star(const hacl_list *l);

/* ---------------------------------------------------------------- matching */

/* hacl_match() flags */
#define HACL_NAIVE 1u		/* the apt-cacher 1.7.3 comparison: families must be equal */
#define HACL_LOOPBACK 2u	/* apt-cacher's rule: 127.0.0.0/8 and ::1 always pass */

/* Why a verdict came out as it did. */
enum hacl_why {
	HACL_WHY_LOOPBACK,	/* allowed: loopback, before any list is looked at */
	HACL_WHY_ALLOWED,	/* allowed: an allow entry matched and no deny entry did */
	HACL_WHY_NO_ALLOW_LIST,	/* allowed: there is no allow list, and no deny entry matched */
	HACL_WHY_DENIED,	/* denied: an allow entry matched, but so did a deny entry */
	HACL_WHY_NOT_ALLOWED,	/* denied: no allow entry matched */
};

struct hacl_verdict {
	bool allowed;
	enum hacl_why why;
	long allow_index;	/* first allow entry that matched, or -1 */
	long deny_index;	/* first deny entry that matched, or -1 */
};

/*
 * Does entry e cover address a? Correctly (flags 0): a.b.c.d and ::ffff:a.b.c.d are the
 * same address for entries of every form. With HACL_NAIVE: only when e and a were
 * written in the same family. A '*' entry covers nothing by itself: only a whole allow
 * list '*' lets every address pass, and hacl_match() decides that.
 */
bool hacl_entry_covers(const struct hacl_entry *e, const struct hacl_addr *a, unsigned flags);

/*
 * Decide about address a in apt-cacher's order: (1) with HACL_LOOPBACK, 127.0.0.0/8 and
 * ::1 are allowed at once; (2) the address passes the allow step when `allow` is NULL,
 * when it is the whole list '*' (hacl_list_is_star(); allow_index 0), or when one of its
 * entries covers it (an empty list lets nothing pass); (3) it is denied when any entry of
 * `deny` (NULL: none) covers it; allowed = passed (2) and not denied (3). A '*' anywhere
 * else (inside an allow list, in a deny list, even as its whole text) covers nothing, as
 * in apt-cacher 1.7. This function can't fail.
 */
void hacl_match(struct hacl_verdict *out, const hacl_list *allow, const hacl_list *deny,
		const struct hacl_addr *a, unsigned flags);

/* ---------------------------------------------------------------- rewriting */

/*
 * A growable NUL-terminated text buffer. Errors are sticky: once an append fails, later
 * appends do nothing, and the failure shows in `err`.
 */
struct hacl_buf {
	char *data;		/* NUL-terminated text, or NULL while empty */
	size_t len;		/* bytes in data, without the NUL */
	size_t cap;		/* bytes allocated */
	int err;		/* HACL_ENOMEM after a failed append, else 0 */
};
#define HACL_BUF_INIT { NULL, 0, 0, 0 }
void hacl_buf_free(struct hacl_buf *b);
/* Append n bytes of s; returns b->err (HACL_ENOMEM once an append failed, else 0). */
int hacl_buf_append(struct hacl_buf *b, const char *s, size_t n);

/* A prefix in the 128-bit space: addr/len; an IPv4 /n is a mapped /n+96. */
struct hacl_prefix {
	struct hacl_addr addr;
	int len;		/* 0-128 */
};

/* No range needs more prefixes than this (2 * 128 - 2). */
#define HACL_SPLIT_MAX 254

/*
 * The smallest set of prefixes that covers exactly first..last (as compared in the
 * 128-bit space), in ascending order, into out[HACL_SPLIT_MAX]. Returns how many, or 0
 * (an error: out untouched) when first > last. The prefixes take the family of `first`.
 */
size_t hacl_range_split(struct hacl_prefix *out, const struct hacl_addr *first,
			const struct hacl_addr *last);

enum hacl_target {
	HACL_TO_MAPPED,		/* IPv4 entries -> ::ffff: form, /n -> /n+96, ranges -> prefixes */
	HACL_TO_IPV4,		/* ::ffff: entries -> IPv4, /n -> /n-96, where that is exact */
};

enum hacl_map_result {
	HACL_MAP_SAME,		/* nothing to rewrite: the entry is written out unchanged */
	HACL_MAP_CHANGED,	/* rewritten (possibly into several entries) */
	HACL_MAP_INEXACT,	/* no exact equivalent (covers IPv4-mapped and other IPv6
				   addresses, or a host name, HACL_NAME, whose addresses
				   only the daemon knows): written out unchanged */
	HACL_MAP_DROPPED,	/* hacl_list_map() only: a '*' in a list that is not the
				   whole list '*', which covers nothing: left out */
};

/*
 * Append the entry rewritten for the target to out; several resulting entries are
 * joined by sep. *res (may be NULL) says what happened. Returns HACL_ENOMEM or 0.
 */
int hacl_entry_map(struct hacl_buf *out, const struct hacl_entry *e, enum hacl_target t,
		   const char *sep, enum hacl_map_result *res);

/*
 * The addresses of e as the fewest prefixes, in e's own notation, joined by sep: a range
 * "10.0.0.1-10.0.0.6" gives "10.0.0.1, 10.0.0.2/31, 10.0.0.4/31, 10.0.0.6"; a prefix or an
 * address gives itself ("192.168.1.5/24" as 192.168.1.0/24); '*' gives "*". Returns
 * HACL_ENOMEM or 0.
 */
int hacl_entry_prefixes(struct hacl_buf *out, const struct hacl_entry *e, const char *sep);

/*
 * Every entry of l rewritten and appended to out, joined by ", ", so that the result
 * covers the same addresses as l for hacl_match(): a whole list '*' stays "*", and a '*'
 * that covers nothing is left out (HACL_MAP_DROPPED). results (may be NULL) receives
 * what happened to each entry: hacl_list_count(l) values, in list order. *inexact (may be
 * NULL) counts the HACL_MAP_INEXACT entries. Returns HACL_ENOMEM or 0.
 */
int hacl_list_map(struct hacl_buf *out, const hacl_list *l, enum hacl_target t,
		  enum hacl_map_result *results, size_t *inexact);

/* ---------------------------------------------------------------- apt-cacher.conf */

/* The access keys of apt-cacher.conf that hostacl reads, in a fixed order. */
enum hacl_conf_key {
	HACL_ALLOWED_HOSTS,
	HACL_DENIED_HOSTS,
	HACL_ALLOWED_HOSTS_6,
	HACL_DENIED_HOSTS_6,
	HACL_CONF_NKEYS
};

/* "allowed_hosts", ...; NULL for a value out of range. */
const char *hacl_conf_key_name(int key);
/* True for the two denied_hosts keys. */
bool hacl_conf_key_denies(int key);

/* One assignment of an access key, with its value parsed. */
struct hacl_conf_line {
	int key;		/* enum hacl_conf_key */
	size_t line;		/* physical line where the assignment starts */
	size_t last_line;	/* physical line where it ends (backslash continuations) */
	const char *value;	/* the value as apt-cacher sees it: continuations joined,
				   comment and surrounding spaces removed; not NUL-terminated */
	size_t value_len;
	const hacl_list *list;	/* the value parsed (offsets count in `value`) */
	bool whole_star;	/* the value is exactly '*' */
	bool effective;		/* the last assignment of its key (apt-cacher uses that one) */
	size_t effective_line;	/* line where that last assignment starts */
};

typedef struct hacl_conf hacl_conf;

/* Larger texts are refused (HACL_EPARSE): no apt-cacher.conf is that big. */
#define HACL_CONF_MAX ((size_t)16 << 20)

/*
 * Read apt-cacher.conf text the way apt-cacher 1.7 does (backslash-newline joins lines,
 * '#' starts a comment anywhere, key = value) and parse the values of the access keys.
 * Other lines are kept as bytes, not interpreted. The values are parsed as by
 * hacl_list_parse(), except that an entry that is a host name (apt-cacher's "DNS
 * resolvable hostname") is read as a HACL_NAME entry, which hacl_conf_check() reports
 * (HACL_F_HOST_NAME), rather than an error. Any other bad entry (a leading zero, a short
 * form, a name inside a range or before a /prefix, ...) fails with HACL_EPARSE or
 * HACL_EHOSTNAME and its line and column in the text: apt-cacher cannot read it as meant
 * either, and hostacl does not rewrite what it cannot read. The conf keeps its own copy
 * of the text.
 */
int hacl_conf_read(hacl_conf **out, const char *text, size_t len, struct hacl_error *err);

/* hacl_conf_read_flags() flags */
#define HACL_CONF_ALL_ERRORS 1u	/* a bad entry does not fail the read: it is kept as an
				   error of the conf (see below) and left out of its list */

/* hacl_conf_read_flags() keeps at most this many errors; it counts the others. */
#define HACL_CONF_ERRORS_MAX 100

/*
 * hacl_conf_read() with flags. Flags 0: exactly hacl_conf_read(). With
 * HACL_CONF_ALL_ERRORS, the bad entries that make hacl_conf_read() fail (HACL_EPARSE or
 * HACL_EHOSTNAME) do not: the parse of a value goes on at the separator after each one,
 * the entry is left out of its line's list (which then holds the good entries only),
 * and its error is kept in the conf, located in the file and worded exactly as
 * hacl_conf_read() words it, so that the first one is the error hacl_conf_read() gives.
 * The read fails only as hacl_conf_read() fails otherwise (HACL_ENOMEM, a text larger
 * than HACL_CONF_MAX). hacl_conf_check() then checks the good entries and keys as usual
 * (a line whose bad entries are left out is never the whole list '*'); hacl_conf_fix()
 * refuses a conf with errors (HACL_EPARSE).
 */
int hacl_conf_read_flags(hacl_conf **out, const char *text, size_t len, unsigned flags,
			 struct hacl_error *err);
/* The errors kept by HACL_CONF_ALL_ERRORS, in file order: how many (0 without the flag)... */
size_t hacl_conf_error_count(const hacl_conf *c);
/* ...the i-th (i < hacl_conf_error_count()), borrowed from the conf, else NULL... */
const struct hacl_error *hacl_conf_error_at(const hacl_conf *c, size_t i);
/* ...and how many more bad entries there were past the first HACL_CONF_ERRORS_MAX. */
size_t hacl_conf_errors_more(const hacl_conf *c);
void hacl_conf_free(hacl_conf *c);
size_t hacl_conf_count(const hacl_conf *c);
const struct hacl_conf_line *hacl_conf_at(const hacl_conf *c, size_t i);
/* Line and column in the text of byte `offset` of line i's value. */
void hacl_conf_where(const hacl_conf *c, size_t i, size_t offset, size_t *line, size_t *column);

enum hacl_finding_kind {
	HACL_F_IPV4_ALLOW,	/* IPv4 allow entry that never matches a client on a dual-stack
				   socket under 1.7.3: those clients get HTTP 403 */
	HACL_F_IPV4_DENY,	/* IPv4 deny entry that never matches there: those clients are
				   not denied */
	HACL_F_SPACE_SEPARATED,	/* entries separated by white space only: apt-cacher splits at
				   commas and semicolons, and reads them as one item */
	HACL_F_STAR_IN_LIST,	/* a '*' that is not the whole value of allowed_hosts (in a
				   list, in another key, or with a separator): apt-cacher
				   hands it to NetAddr::IP, which cannot read it, and
				   ignores it */
	HACL_F_RANGE_NOT_SUBNET,/* a range that is not one subnet, which apt-cacher 1.7's
				   documentation says a range must be */
	HACL_F_SHADOWED,	/* the key is assigned again later: this line has no effect */
	HACL_F_HOST_NAME,	/* a host name (HACL_NAME): the daemon resolves it, hostacl
				   does not, so it cannot judge it. If it resolves to IPv4,
				   1.7.3 on a dual-stack socket (as hostacl models it) never
				   matches it, like an IPv4 entry. Not fixable: not reported
				   in the allow keys when allowed_hosts is '*' */
};

struct hacl_finding {
	enum hacl_finding_kind kind;
	size_t conf_line;	/* index for hacl_conf_at() */
	size_t entry;		/* index of the entry in that line's list */
	size_t line, column;	/* where the entry starts in the text */
	bool fixable;		/* hacl_conf_fix() repairs it */
};

/*
 * Findings in text order, in a malloc'ed array the caller frees (NULL when none).
 * Only effective lines are checked entry by entry; shadowed lines get one finding.
 * Host-name entries get a HACL_F_HOST_NAME finding each and are otherwise left alone:
 * the other entries and keys are checked as if they were not there (they cover nothing
 * in the merged mapped entries that an IPv4 entry is tested against).
 */
int hacl_conf_check(const hacl_conf *c, struct hacl_finding **out, size_t *n);

enum hacl_fix_style {
	HACL_FIX_ADD,		/* keep each IPv4 entry and add its ::ffff: form after it */
	HACL_FIX_REPLACE,	/* replace each IPv4 allow entry by its ::ffff: form (the seed's
				   way); deny entries are still fixed by adding, see below */
};

/*
 * The whole text with the fixable findings repaired and every other byte unchanged:
 * IPv4 entries get their mapped form (per style), space-separated entries a comma, and
 * ranges that are not one subnet become the prefixes that cover them.
 * An IPv4 deny entry is always kept (the mapped form is added after it), whatever the
 * style: without it an IPv4 client on an IPv4-only socket, or under apt-cacher 1.7.6
 * (where NetAddr::IP holds an IPv4 client as ::a.b.c.d, not ::ffff:a.b.c.d), would no
 * longer be denied. Replacing is safe only for allow entries, where it fails closed.
 * An entry that is replaced keeps the continuation lines (backslash-newline) it spanned:
 * they follow the new text, so the file keeps its number of lines.
 * Host-name entries are never touched (every byte of them stays as it was).
 * *edits (may be NULL) counts the repaired findings. Returns HACL_ENOMEM or 0, or
 * HACL_EPARSE (out untouched) for a conf with errors (HACL_CONF_ALL_ERRORS): hostacl
 * does not rewrite what it cannot read.
 */
int hacl_conf_fix(struct hacl_buf *out, const hacl_conf *c, enum hacl_fix_style style,
		  size_t *edits);

#ifdef __cplusplus
}
#endif

#endif
