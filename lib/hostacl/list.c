/*
 * list.c - parsing allowed_hosts-style lists: the separators, the five kinds of entry,
 * and an error for everything else that names the entry and the column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* One entry being parsed: the whole list text and where the entry lies in it. */
struct piece {
	const char *t;		/* the whole text (for positions) */
	size_t len;		/* its length */
	size_t start, end;	/* the entry: [start, end) */
	struct hacl_error *err;
	unsigned flags;		/* HACL__NAMES */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_sep(char c)
{
	return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

static int fail(const struct piece *p, int code, size_t pos, const char *msg)
{
	return hacl__fail(p->err, code, p->t, p->len, pos, p->start, p->end - p->start, msg);
}

static int failf(const struct piece *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int failf(const struct piece *p, size_t pos, const char *fmt, ...)
{
	char msg[240];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return fail(p, HACL_EPARSE, pos, msg);
}

/* Parse the address at [a, b) of the text; errors point into it. */
static int address(const struct piece *p, size_t a, size_t b, struct hacl_addr *out)
{
	struct hacl__perr pe;
	if (hacl__addr_parse(out, p->t + a, b - a, &pe))
		return fail(p, pe.code, a + pe.at, pe.msg);
	return 0;
}

static const char *family_name(int family)
{
	return family == 4 ? "IPv4" : "IPv6";
}

/* A decimal number at [a, b), no leading zero (values past 999 stop growing). */
static int decimal(const struct piece *p, size_t a, size_t b, const char *what, unsigned *out)
{
	if (a == b)
		return failf(p, a, "%s is missing", what);
	unsigned v = 0;
	char q[HACL__QUOTE_MAX + 4];
	for (size_t i = a; i < b; i++) {
		char c = p->t[i], shown[12];
		if (c < '0' || c > '9')
			return failf(p, i, "unexpected %s in %s", hacl__show(c, shown), what);
		if (v < 1000)
			v = v * 10 + (unsigned)(c - '0');
	}
	if (b - a > 1 && p->t[a] == '0')
		return failf(p, a, "%s '%s' has a leading zero", what,
			     hacl__quote(q, sizeof q, p->t + a, b - a));
	*out = v;
	return 0;
}

/* a-b, a - b, or a.b.c.d-n (n replaces the last octet). */
static int range(const struct piece *p, size_t dash, struct hacl_entry *e)
{
	size_t a0 = p->start, a1 = dash, b0 = dash + 1, b1 = p->end;
	while (a1 > a0 && is_blank(p->t[a1 - 1]))
		a1--;
	while (b0 < b1 && is_blank(p->t[b0]))
		b0++;
	if (a0 == a1)
		return failf(p, dash, "a range needs a first address before '-'");
	if (b0 == b1)
		return failf(p, dash, "a range needs a last address after '-'");
	const char *slash = memchr(p->t + a0, '/', p->end - a0);
	if (slash)
		return failf(p, (size_t)(slash - p->t), "the ends of a range take no /prefix");
	const char *dash2 = memchr(p->t + b0, '-', b1 - b0);
	if (dash2)
		return failf(p, (size_t)(dash2 - p->t), "a range has one '-'");
	int rc = address(p, a0, a1, &e->first);
	if (rc)
		return rc;
	bool digits_only = b1 - b0 <= 3;
	for (size_t i = b0; i < b1 && digits_only; i++)
		digits_only = p->t[i] >= '0' && p->t[i] <= '9';
	if (digits_only && e->first.family == 4) {
		unsigned v;
		if ((rc = decimal(p, b0, b1, "the last octet", &v)))
			return rc;
		if (v > 255)
			return failf(p, b0, "the last octet %u is out of range (0-255)", v);
		e->last = e->first;
		e->last.b[15] = (uint8_t)v;
	} else if ((rc = address(p, b0, b1, &e->last))) {
		return rc;
	}
	if (e->first.family != e->last.family)
		return failf(p, b0, "a range starts and ends in one family (here %s, then %s); "
			     "write both ends as a.b.c.d or both as ::ffff:a.b.c.d",
			     family_name(e->first.family), family_name(e->last.family));
	if (hacl__cmp(&e->first, &e->last) > 0)
		return failf(p, b0, "the range ends before it starts");
	e->kind = HACL_RANGE;
	e->family = e->first.family;
	e->addr = e->first;
	e->prefix = -1;
	return 0;
}

/* A contiguous IPv4 netmask at [a, b): its prefix length. */
static int netmask(const struct piece *p, size_t a, size_t b, int *prefix)
{
	struct hacl_addr m;
	int rc = address(p, a, b, &m);
	if (rc)
		return rc;
	if (m.family != 4)
		return failf(p, a, "a netmask is written a.b.c.d");
	uint32_t v = hacl__low32(&m), inv = ~v;
	char q[HACL__QUOTE_MAX + 4];
	if ((inv & (inv + 1)) != 0)
		return failf(p, a, "netmask %s is not contiguous (ones, then zeros)",
			     hacl__quote(q, sizeof q, p->t + a, b - a));
	int n = 0;
	while (n < 32 && (v >> (31 - n) & 1))
		n++;
	*prefix = n;
	return 0;
}

/* address/n or a.b.c.d/m.m.m.m */
static int prefix(const struct piece *p, size_t slash, struct hacl_entry *e)
{
	size_t b0 = slash + 1, b1 = p->end;
	if (slash == p->start)
		return failf(p, slash, "an address is missing before '/'");
	int rc = address(p, p->start, slash, &e->addr);
	if (rc)
		return rc;
	const char *slash2 = memchr(p->t + b0, '/', b1 - b0);
	if (slash2)
		return failf(p, (size_t)(slash2 - p->t), "unexpected second '/'");
	int bits = e->addr.family == 4 ? 32 : 128;
	if (b0 == b1 && b1 < p->len && is_blank(p->t[b1]))
		return failf(p, b0, "the prefix length is missing: a blank after '/' ends the "
			     "entry; write /n with no space");
	if (b0 == b1)
		return failf(p, b0, "the prefix length is missing after '/'");
	if (p->t[b0] == '-' || p->t[b0] == '+')
		return failf(p, b0, "a prefix length takes no sign ('%c'): write /n with n from 0 "
			     "to %d", p->t[b0], bits);
	if (memchr(p->t + b0, '.', b1 - b0)) {
		if (e->addr.family != 4)
			return failf(p, b0, "only IPv4 takes a netmask; write /n for IPv6");
		if ((rc = netmask(p, b0, b1, &e->prefix)))
			return rc;
		e->kind = HACL_NETMASK;
	} else {
		unsigned v;
		for (size_t i = b0; i < b1; i++) {
			char c = p->t[i], shown[12];
			if (c < '0' || c > '9')
				return failf(p, i, "unexpected %s in the prefix length, a "
					     "decimal number from 0 to %d", hacl__show(c, shown),
					     bits);
		}
		if ((rc = decimal(p, b0, b1, "the prefix length", &v)))
			return rc;
		if (v > (unsigned)bits)
			return failf(p, b0, "prefix /%u is out of range for %s (0-%d)", v,
				     family_name(e->addr.family), bits);
		e->prefix = (int)v;
		e->kind = HACL_PREFIX;
	}
	e->family = e->addr.family;
	int len128 = e->family == 4 ? e->prefix + 96 : e->prefix;
	hacl__fill(&e->first, &e->addr, len128, 0);
	hacl__fill(&e->last, &e->addr, len128, 1);
	if (hacl__cmp(&e->first, &e->addr) != 0)
		e->warnings |= HACL_WARN_HOST_BITS;
	if (e->family == 6 && hacl_addr_is_mapped(&e->addr) && e->prefix < 96)
		e->warnings |= HACL_WARN_MAPPED_PREFIX;
	return 0;
}

static int entry(const struct piece *p, struct hacl_entry *e)
{
	const char *s = p->t + p->start;
	size_t n = p->end - p->start;
	memset(e, 0, sizeof *e);
	e->text = s;
	e->len = n;
	e->offset = p->start;
	if (n == 1 && s[0] == '*') {
		e->kind = HACL_ANY;
		memset(e->last.b, 0xff, 16);
		e->first.family = e->last.family = 6;
		e->prefix = 0;
		return 0;
	}
	const char *star = memchr(s, '*', n);
	if (star)
		return failf(p, (size_t)(star - p->t), "'*' stands alone: patterns such as "
			     "10.* are not supported; write a prefix (10.0.0.0/8)");
	const char *pct = memchr(s, '%', n);
	if (pct)
		return failf(p, (size_t)(pct - p->t), "a zone id ('%%...') does not belong in a "
			     "list: entries match addresses on every interface");
	if (hacl__looks_like_hostname(s, n)) {
		if (!(p->flags & HACL__NAMES))
			return fail(p, HACL_EHOSTNAME, p->start, "a host name: hostacl does not "
				    "resolve names (the daemon does, when it reads its list); "
				    "write the address");
		/* kept as written: it covers nothing here, and first > last (no interval) */
		e->kind = HACL_NAME;
		memset(e->first.b, 0xff, 16);
		e->first.family = e->last.family = 6;
		e->prefix = -1;
		return 0;
	}
	const char *dash = memchr(s, '-', n);
	const char *slash = memchr(s, '/', n);
	/* "a/-1" is a prefix with a sign, not a range: let prefix() say so */
	if (dash && !(slash && dash == slash + 1))
		return range(p, (size_t)(dash - p->t), e);
	if (slash)
		return prefix(p, (size_t)(slash - p->t), e);
	int rc = address(p, p->start, p->end, &e->addr);
	if (rc)
		return rc;
	e->kind = HACL_HOST;
	e->family = e->addr.family;
	e->first = e->last = e->addr;
	e->prefix = e->family == 4 ? 32 : 128;
	return 0;
}

/*
 * The end of the entry that starts at `start`: up to the next separator, but a range
 * written with blanks around its '-' ("a - b", "a -b", "a- b") is one entry.
 */
static size_t entry_end(const char *t, size_t len, size_t start)
{
	size_t i = start;
	while (i < len && !is_sep(t[i]))
		i++;
	size_t j = i;
	while (j < len && is_blank(t[j]))
		j++;
	if (t[i - 1] != '-') {
		if (j == i || j == len || t[j] != '-')
			return i;
		j++;
		while (j < len && is_blank(t[j]))
			j++;
	} else if (j == i) {
		return i;
	}
	if (j == len || is_sep(t[j]))
		return i;
	while (j < len && !is_sep(t[j]))
		j++;
	return j;
}

static int push(hacl_list *l, const struct hacl_entry *e)
{
	struct hacl_entry *v = hacl__grow(l->v, l->n, &l->cap, sizeof *v);
	if (!v)
		return HACL_ENOMEM;
	l->v = v;
	l->v[l->n++] = *e;
	return 0;
}

int hacl_list_parse(hacl_list **out, const char *text, size_t len, struct hacl_error *err)
{
	return hacl__list_parse(out, text, len, 0, err);
}

int hacl__list_parse(hacl_list **out, const char *text, size_t len, unsigned flags,
		     struct hacl_error *err)
{
	return hacl__list_parse_each(out, text, len, flags, err, NULL, NULL);
}

int hacl__list_parse_each(hacl_list **out, const char *text, size_t len, unsigned flags,
			  struct hacl_error *err, hacl__on_error on_error, void *ctx)
{
	struct hacl_error one;	/* a bad entry's error, for on_error */
	hacl_list *l = calloc(1, sizeof *l);
	char *copy = malloc(len + 1);
	if (!l || !copy) {
		free(l);
		free(copy);
		return hacl__fail(err, HACL_ENOMEM, "", 0, 0, 0, 0, "out of memory");
	}
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	l->text = copy;
	l->len = len;
	size_t i = 0, line = 1, bol = 0;
	for (;;) {
		for (; i < len && is_sep(copy[i]); i++)
			if (copy[i] == '\n') {
				line++;
				bol = i + 1;
			}
		if (i == len)
			break;
		struct piece p = { copy, len, i, entry_end(copy, len, i), on_error ? &one : err,
				   flags };
		struct hacl_entry e;
		int rc = entry(&p, &e);
		e.line = line;		/* an entry holds no newline (blanks only, in a range) */
		e.column = i - bol + 1;
		if (rc && on_error) {
			/* the error lies inside [p.start, p.end): go on at the separator after it */
			rc = on_error(ctx, &one);
			l->dropped++;
			if (rc)
				hacl__fail(err, rc, copy, len, i, 0, 0, "out of memory");
		} else if (rc == 0 && push(l, &e)) {
			rc = hacl__fail(err, HACL_ENOMEM, copy, len, i, 0, 0, "out of memory");
		}
		if (rc) {
			hacl_list_free(l);
			return rc;
		}
		i = p.end;
	}
	/* '*' and white space only: apt-cacher's `eq '*'` after it trimmed the value */
	l->star = l->n == 1 && l->dropped == 0 && l->v[0].kind == HACL_ANY &&
		  !memchr(copy, ',', len) && !memchr(copy, ';', len);
	*out = l;
	return 0;
}

void hacl_list_free(hacl_list *l)
{
	if (!l)
		return;
	free(l->v);
	free(l->text);
	free(l);
}

size_t hacl_list_count(const hacl_list *l)
{
	return l ? l->n : 0;
}

const struct hacl_entry *hacl_list_at(const hacl_list *l, size_t i)
{
	return l && i < l->n ? &l->v[i] : NULL;
}

bool hacl_list_is_star(const hacl_list *l)
{
	return l && l->star;
}
