/*
 * addr.c - one address: strict parsing of IPv4 and IPv6 text, RFC 5952 output, and the
 * 128-bit arithmetic the rest of the library needs.
 *
 * Parsing takes the discipline of musl's inet_pton: no allocation, a fixed 16-byte result,
 * and no ambiguous input. Unlike inet_aton it refuses short forms ("10.1") and leading
 * zeros ("010", which some parsers read as octal), and it says where and why.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const uint8_t mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* ---------------------------------------------------------------- arithmetic */

int hacl__cmp(const struct hacl_addr *a, const struct hacl_addr *b)
{
	return memcmp(a->b, b->b, 16);
}

void hacl__fill(struct hacl_addr *out, const struct hacl_addr *a, int len, int ones)
{
	*out = *a;
	for (int i = 0; i < 16; i++) {
		int keep = len - i * 8;	/* bits of this byte inside the prefix */
		if (keep >= 8)
			continue;
		uint8_t host = keep <= 0 ? 0xff : (uint8_t)(0xff >> keep);
		out->b[i] = ones ? (uint8_t)(out->b[i] | host) : (uint8_t)(out->b[i] & ~host);
	}
}

bool hacl__inc(struct hacl_addr *a)
{
	for (int i = 15; i >= 0; i--)
		if (++a->b[i] != 0)
			return true;
	return false;
}

int hacl__trailing_zeros(const struct hacl_addr *a)
{
	int n = 0;
	for (int i = 15; i >= 0; i--) {
		uint8_t v = a->b[i];
		if (v == 0) {
			n += 8;
			continue;
		}
		while (!(v & 1)) {
			v >>= 1;
			n++;
		}
		break;
	}
	return n;
}

void hacl__v4(struct hacl_addr *out, uint32_t v)
{
	memcpy(out->b, mapped_prefix, 12);
	out->b[12] = (uint8_t)(v >> 24);
	out->b[13] = (uint8_t)(v >> 16);
	out->b[14] = (uint8_t)(v >> 8);
	out->b[15] = (uint8_t)v;
	out->family = 4;
}

uint32_t hacl__low32(const struct hacl_addr *a)
{
	return (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 | (uint32_t)a->b[14] << 8 |
	       a->b[15];
}

bool hacl_addr_is_mapped(const struct hacl_addr *a)
{
	return memcmp(a->b, mapped_prefix, 12) == 0;
}

bool hacl_addr_flip(struct hacl_addr *out, const struct hacl_addr *a)
{
	if (!hacl_addr_is_mapped(a))
		return false;
	*out = *a;
	out->family = a->family == 4 ? 6 : 4;
	return true;
}

/* ---------------------------------------------------------------- parsing */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int perr(struct hacl__perr *pe, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct hacl__perr *pe, size_t at, const char *fmt, ...)
{
	va_list ap;
	pe->at = at;
	pe->code = HACL_EPARSE;
	va_start(ap, fmt);
	vsnprintf(pe->msg, sizeof pe->msg, fmt, ap);
	va_end(ap);
	return -1;
}

const char *hacl__show(char c, char buf[12])
{
	unsigned char u = (unsigned char)c;
	if (u > 0x20 && u < 0x7f)
		snprintf(buf, 12, "'%c'", c);
	else if (c == ' ')
		snprintf(buf, 12, "space");
	else if (c == '\t')
		snprintf(buf, 12, "tab");
	else
		snprintf(buf, 12, "byte 0x%02x", u);
	return buf;
}

/* inet_aton()'s reading of a short form of `parts` numbers, for the message. */
static void short_form_reading(char *out, size_t n, const unsigned long *v, int parts)
{
	unsigned long x;
	if (parts == 1)
		x = v[0];
	else if (parts == 2 && v[1] <= 0xffffff)
		x = v[0] << 24 | v[1];
	else if (parts == 3 && v[2] <= 0xffff)
		x = v[0] << 24 | v[1] << 16 | v[2];
	else {
		snprintf(out, n, "something else");
		return;
	}
	snprintf(out, n, "%lu.%lu.%lu.%lu", x >> 24 & 255, x >> 16 & 255, x >> 8 & 255, x & 255);
}

/* An octet such as 010: decimal 10 to some parsers, octal 8 to others (inet_aton). */
static int leading_zero(struct hacl__perr *pe, const char *d, size_t digits, size_t at)
{
	unsigned dec = 0, oct = 0;
	bool octal = true;
	for (size_t i = 0; i < digits && i < 4; i++) {
		dec = dec * 10 + (unsigned)(d[i] - '0');
		oct = oct * 8 + (unsigned)(d[i] - '0');
		octal &= d[i] < '8';
	}
	char q[HACL__QUOTE_MAX + 4];
	hacl__quote(q, sizeof q, d, digits);
	if (octal && digits <= 4)
		return perr(pe, at, "octet '%s' has a leading zero: decimal %u to some parsers, "
			    "octal %u to others (inet_aton); write it without the zero", q, dec,
			    oct);
	return perr(pe, at, "octet '%s' has a leading zero, which some parsers take for "
		    "octal; write it without the zero", q);
}

/* Exactly four decimal octets in [s, s+n), into *v. */
static int parse_v4(uint32_t *v, const char *s, size_t n, struct hacl__perr *pe)
{
	unsigned long part[4] = { 0 };
	int parts = 0;
	size_t i = 0;
	char c1[12], q[HACL__QUOTE_MAX + 4];
	for (;;) {
		size_t start = i;
		while (i < n && is_digit(s[i]))
			i++;
		size_t digits = i - start;
		if (digits == 0) {
			if (i == n)
				return perr(pe, i, "an octet is missing at the end");
			return perr(pe, i, "unexpected %s in an IPv4 address", hacl__show(s[i], c1));
		}
		if (digits > 1 && s[start] == '0') {
			if (i < n && (s[i] == 'x' || s[i] == 'X'))
				return perr(pe, start, "hexadecimal octets are not accepted");
			return leading_zero(pe, s + start, digits, start);
		}
		if (digits == 1 && s[start] == '0' && i < n && (s[i] == 'x' || s[i] == 'X'))
			return perr(pe, start, "hexadecimal octets are not accepted");
		unsigned long val = 0;
		for (size_t k = start; k < i && k < start + 4; k++)
			val = val * 10 + (unsigned long)(s[k] - '0');
		if (digits > 3 || val > 255)
			return perr(pe, start, "octet '%s' is out of range (0-255)",
				    hacl__quote(q, sizeof q, s + start, digits));
		part[parts++] = val;
		if (i == n)
			break;
		if (s[i] != '.')
			return perr(pe, i, "unexpected %s after '%s'", hacl__show(s[i], c1),
				    hacl__quote(q, sizeof q, s, i));
		if (parts == 4)
			return perr(pe, i, "unexpected '.' after four octets");
		i++;
	}
	if (parts < 4) {
		char reading[32];
		short_form_reading(reading, sizeof reading, part, parts);
		return perr(pe, 0, "'%s' is a short form (inet_aton() reads it as %s); write all "
			    "four octets", hacl__quote(q, sizeof q, s, n), reading);
	}
	*v = (uint32_t)(part[0] << 24 | part[1] << 16 | part[2] << 8 | part[3]);
	return 0;
}

/* The colon-separated groups of an IPv6 address in [s, s+n), into b[16]. */
static int parse_v6(uint8_t b[16], const char *s, size_t n, struct hacl__perr *pe)
{
	uint16_t g[8] = { 0 };
	int ng = 0, gap = -1;	/* groups written; index where '::' stands */
	size_t gap_at = 0, i = 0;
	char c1[12], q[HACL__QUOTE_MAX + 4];
	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (n >= 1 && s[0] == ':') {
		return perr(pe, 0, "an IPv6 address does not start with a single ':'");
	}
	while (i < n) {
		size_t start = i;
		unsigned val = 0;
		while (i < n && hex_value(s[i]) >= 0) {
			val = (val << 4 | (unsigned)hex_value(s[i])) & 0xfffff;
			i++;
		}
		if (i < n && s[i] == '.') {
			uint32_t v4;
			if (ng > 6)
				return perr(pe, start, "no room for an IPv4 part after %d groups", ng);
			if (parse_v4(&v4, s + start, n - start, pe)) {
				pe->at += start;
				return -1;
			}
			g[ng++] = (uint16_t)(v4 >> 16);
			g[ng++] = (uint16_t)v4;
			i = n;
			break;
		}
		if (i == start) {
			if (s[i] == ':')
				return perr(pe, i, "too many ':' in a row");
			return perr(pe, i, "unexpected %s in an IPv6 address", hacl__show(s[i], c1));
		}
		if (i - start > 4)
			return perr(pe, start, "group '%s' has more than 4 hex digits",
				    hacl__quote(q, sizeof q, s + start, i - start));
		if (ng == 8)
			return perr(pe, start, "more than 8 groups");
		g[ng++] = (uint16_t)val;
		if (i == n)
			break;
		if (s[i] != ':')
			return perr(pe, i, "unexpected %s in an IPv6 address", hacl__show(s[i], c1));
		i++;
		if (i < n && s[i] == ':') {
			if (gap >= 0)
				return perr(pe, i - 1, "'::' may appear only once");
			gap = ng;
			gap_at = i - 1;
			i++;
		} else if (i == n) {
			return perr(pe, i - 1, "an IPv6 address does not end with a single ':'");
		}
	}
	if (gap < 0 && ng < 8)
		return perr(pe, 0, "only %d of 8 groups, and no '::' for the missing ones", ng);
	if (gap >= 0 && ng == 8)
		return perr(pe, gap_at, "'::' stands for at least one zero group, but all 8 are "
			    "written");
	memset(b, 0, 16);
	int tail = gap < 0 ? 0 : ng - gap;	/* groups after '::' */
	int head = ng - tail;
	for (int k = 0; k < head; k++) {
		b[2 * k] = (uint8_t)(g[k] >> 8);
		b[2 * k + 1] = (uint8_t)g[k];
	}
	for (int k = 0; k < tail; k++) {
		int at = 8 - tail + k;
		b[2 * at] = (uint8_t)(g[head + k] >> 8);
		b[2 * at + 1] = (uint8_t)g[head + k];
	}
	return 0;
}

bool hacl__looks_like_hostname(const char *s, size_t n)
{
	bool letter = false;
	size_t label = 0;	/* start of the last label */
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (is_alpha(c))
			letter = true;
		else if (c == '.')
			label = i + 1;
		else if (!is_digit(c) && c != '-' && c != '_')
			return false;
	}
	return letter && n > 0 && (is_alpha(s[0]) || (label < n && is_alpha(s[label])));
}

int hacl__addr_parse(struct hacl_addr *out, const char *s, size_t n, struct hacl__perr *pe)
{
	if (n == 0)
		return perr(pe, 0, "an address is missing");
	if (memchr(s, ':', n)) {
		if (parse_v6(out->b, s, n, pe))
			return -1;
		out->family = 6;
		return 0;
	}
	if (hacl__looks_like_hostname(s, n)) {
		char q[HACL__QUOTE_MAX + 4];
		perr(pe, 0, "'%s' is a host name: hostacl does not resolve names (the daemon "
		     "does, when it reads its list); write the address", hacl__quote(q, sizeof q, s, n));
		pe->code = HACL_EHOSTNAME;
		return -1;
	}
	uint32_t v;
	if (parse_v4(&v, s, n, pe))
		return -1;
	hacl__v4(out, v);
	return 0;
}

/* A zone id after '%': letters, digits, '.', '_', '-' (an interface name or index). */
static bool valid_zone(const char *z, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_alpha(z[i]) && !is_digit(z[i]) && z[i] != '.' && z[i] != '_' && z[i] != '-')
			return false;
	return true;
}

int hacl_addr_parse(struct hacl_addr *out, const char *s, size_t len, unsigned flags,
		    struct hacl_error *err)
{
	struct hacl__perr pe;
	const char *pct = memchr(s, '%', len);
	size_t n = pct ? (size_t)(pct - s) : len;
	struct hacl_addr a;
	if (pct && !(flags & HACL_ZONE_OK))
		return hacl__fail(err, HACL_EPARSE, s, len, n, 0, len,
				  "a zone id ('%...') does not belong here");
	if (hacl__addr_parse(&a, s, n, &pe))
		return hacl__fail(err, pe.code, s, len, pe.at, 0, len, pe.msg);
	if (pct && a.family != 6)
		return hacl__fail(err, HACL_EPARSE, s, len, n, 0, len,
				  "only IPv6 addresses take a zone id");
	if (pct && !valid_zone(pct + 1, len - n - 1))
		return hacl__fail(err, HACL_EPARSE, s, len, n + 1, 0, len,
				  "the zone id after '%' must be an interface name or number");
	if (pct && len - n - 1 > HACL_ZONE_MAX) {
		char msg[120];
		snprintf(msg, sizeof msg, "the zone id after '%%' is %zu bytes long; an interface "
			 "name or number has at most %d", len - n - 1, HACL_ZONE_MAX);
		return hacl__fail(err, HACL_EPARSE, s, len, n + 1 + HACL_ZONE_MAX, 0, len, msg);
	}
	*out = a;
	return 0;
}

/* ---------------------------------------------------------------- output */

char *hacl_addr_format(char *buf, const struct hacl_addr *a)
{
	const uint8_t *b = a->b;
	if (a->family == 4 && hacl_addr_is_mapped(a)) {
		snprintf(buf, HACL_ADDR_STRLEN, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
		return buf;
	}
	if (hacl_addr_is_mapped(a)) {
		snprintf(buf, HACL_ADDR_STRLEN, "::ffff:%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
		return buf;
	}
	unsigned g[8];
	for (int k = 0; k < 8; k++)
		g[k] = (unsigned)b[2 * k] << 8 | b[2 * k + 1];
	/* RFC 5952 4.2: the longest run of two or more zero groups (the first of equals) */
	int best = -1, best_len = 1;
	for (int k = 0; k < 8;) {
		int e = k;
		while (e < 8 && g[e] == 0)
			e++;
		if (e - k > best_len) {
			best = k;
			best_len = e - k;
		}
		k = e > k ? e : k + 1;
	}
	size_t n = 0;
	for (int k = 0; k < 8; k++) {
		if (k == best) {
			n += (size_t)snprintf(buf + n, HACL_ADDR_STRLEN - n, "::");
			k += best_len - 1;
			continue;
		}
		bool after_gap = best >= 0 && k == best + best_len;
		n += (size_t)snprintf(buf + n, HACL_ADDR_STRLEN - n, "%s%x",
				      k == 0 || after_gap ? "" : ":", g[k]);
	}
	return buf;
}
