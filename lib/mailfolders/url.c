/*
 * url.c - the server operand: imap[s]://USER@HOST[:PORT][/], after RFC 5092 (IMAP URL) with
 * RFC 3986 hosts. Deliberately narrower than either: the URL names a server and a user,
 * never a password (it would end up in shell history and process lists) and never a
 * mailbox; everything else is refused with the reason.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define URL_MAX 1024

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Percent-decode s[0..n) into a malloc'ed string; bad escapes refused, and so are control
 * characters (NUL, CR, LF, ... and DEL) once decoded: libcurl would send a CR LF in a user
 * name as the end of the command, and the server read the rest as a command of its own.
 */
static int pct_decode(char **out, const char *s, size_t n, const char *what, struct mf_error *err)
{
	char *d = malloc(n + 1);
	size_t o = 0;
	if (!d)
		return mf__fail(err, MF_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			d[o++] = s[i];
			continue;
		}
		int hi = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
		int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
		if (hi < 0 || lo < 0) {
			free(d);
			return mf__fail(err, MF_EPARSE, "the %s has a bad %%-escape at \"%.3s\" "
					"(write %%XX with two hex digits)", what, s + i);
		}
		int c = hi * 16 + lo;
		if (c < 0x20 || c == 0x7f) {
			free(d);
			return mf__fail(err, MF_EPARSE, "the %s holds a control character (%%%02X) "
					"once %%-decoded; IMAP user names cannot", what, c);
		}
		d[o++] = (char)c;
		i += 2;
	}
	d[o] = '\0';
	*out = d;
	return 0;
}

static bool unreserved_or_sub(int c)
{
	return isalnum(c) || strchr("-._~!$&'()*+,=", c);
}

/* A registered name or IPv4 address: letters, digits, '-', '.', not empty, no ".." ends. */
static bool good_hostname(const char *h, size_t n)
{
	if (n == 0 || n > 253 || h[0] == '.' || h[0] == '-' || h[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (!isalnum(c) && c != '-' && c != '.')
			return false;
		if (c == '.' && i + 1 < n && h[i + 1] == '.')
			return false;
	}
	return true;
}

static bool good_ipv6(const char *h, size_t n)
{
	size_t colons = 0;
	if (n < 2 || n > 45)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c == ':')
			colons++;
		else if (!isxdigit(c) && c != '.')
			return false;
	}
	return colons >= 2 && colons <= 7;
}

int mf_url_parse(struct mf_url *out, const char *s, struct mf_error *err)
{
	struct mf_url u;
	memset(&u, 0, sizeof u);
	size_t len = strlen(s);
	if (len > URL_MAX)
		return mf__fail(err, MF_EPARSE, "the URL is longer than %d bytes", URL_MAX);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return mf__fail(err, MF_EPARSE, "the URL has a space, a control character or "
					"a non-ASCII byte at byte %zu (write it %%-escaped)", i + 1);
	const char *p;
	if (strncasecmp(s, "imaps://", 8) == 0) {
		u.tls = true;
		p = s + 8;
	} else if (strncasecmp(s, "imap://", 7) == 0) {
		p = s + 7;
	} else {
		const char *colon = strchr(s, ':');
		if (colon && colon != s)
			return mf__fail(err, MF_EPARSE, "the URL's scheme is \"%.*s\"; give "
					"imap://USER@HOST or imaps://USER@HOST",
					(int)(colon - s > 16 ? 16 : colon - s), s);
		return mf__fail(err, MF_EPARSE, "\"%.64s\" is not an imap:// or imaps:// URL; "
				"give imaps://USER@HOST[:PORT]", s);
	}
	size_t auth_len = strcspn(p, "/?#");
	const char *rest = p + auth_len;
	if (*rest == '?' || *rest == '#' || (*rest == '/' && rest[1] != '\0'))
		return mf__fail(err, MF_EPARSE, "the URL goes on after the server (\"%.64s\"); "
				"give only imap[s]://USER@HOST[:PORT]", rest);
	const char *at = NULL;
	for (size_t i = 0; i < auth_len; i++)
		if (p[i] == '@')
			at = p + i;
	if (!at)
		return mf__fail(err, MF_EPARSE, "the URL has no user; give imap[s]://USER@HOST "
				"(write an '@' in the user name as %%40)");
	size_t ulen = (size_t)(at - p);
	for (size_t i = 0; i < ulen; i++) {
		if (p[i] == ':')
			return mf__fail(err, MF_EPARSE, "the URL holds a password (USER:PASSWORD@); "
					"never put one on the command line: use --password-file FILE, "
					"the MAILFOLDERS_PASSWORD variable or the prompt");
		if (p[i] == ';')
			return mf__fail(err, MF_EPARSE, "the URL asks for an authentication "
					"mechanism (;AUTH=...); mailfolders logs in with the user and "
					"password only");
		if (p[i] != '%' && !unreserved_or_sub((unsigned char)p[i]))
			return mf__fail(err, MF_EPARSE, "the user name has '%c'; write it %%-escaped",
					p[i]);
	}
	if (ulen == 0)
		return mf__fail(err, MF_EPARSE, "the URL's user name is empty");
	int rc = pct_decode(&u.user, p, ulen, "user name", err);
	if (rc)
		return rc;
	const char *h = at + 1, *hend = p + auth_len, *port = NULL;
	size_t hlen;
	if (*h == '[') {
		const char *close = memchr(h, ']', (size_t)(hend - h));
		if (!close || !good_ipv6(h + 1, (size_t)(close - h - 1))) {
			mf_url_free(&u);
			return mf__fail(err, MF_EPARSE, "the URL's IPv6 address is not [hex:hex:...]");
		}
		u.ipv6 = true;
		h++;
		hlen = (size_t)(close - h);
		if (close + 1 < hend) {
			if (close[1] != ':') {
				mf_url_free(&u);
				return mf__fail(err, MF_EPARSE, "the URL has \"%c\" after the IPv6 "
						"address; expected ':PORT'", close[1]);
			}
			port = close + 2;
		}
	} else {
		const char *colon = memchr(h, ':', (size_t)(hend - h));
		hlen = (size_t)((colon ? colon : hend) - h);
		if (colon)
			port = colon + 1;
		if (!good_hostname(h, hlen)) {
			mf_url_free(&u);
			return mf__fail(err, MF_EPARSE, "the URL's host \"%.*s\" is not a host name "
					"or an address", (int)(hlen > 64 ? 64 : hlen), h);
		}
	}
	u.host = strndup(h, hlen);
	if (!u.host) {
		mf_url_free(&u);
		return mf__fail(err, MF_ENOMEM, "out of memory");
	}
	u.port = u.tls ? 993 : 143;
	if (port) {
		unsigned long v = 0;
		size_t n = (size_t)(hend - port);
		bool ok = n > 0 && n <= 5;
		for (size_t i = 0; ok && i < n; i++) {
			ok = isdigit((unsigned char)port[i]);
			v = v * 10 + (unsigned long)(port[i] - '0');
		}
		if (!ok || v == 0 || v > 65535) {
			mf_url_free(&u);
			return mf__fail(err, MF_EPARSE, "the URL's port \"%.*s\" is not a number from "
					"1 to 65535", (int)(n > 16 ? 16 : n), port);
		}
		u.port = (unsigned)v;
	}
	*out = u;
	return 0;
}

void mf_url_free(struct mf_url *u)
{
	if (!u)
		return;
	free(u->user);
	free(u->host);
	u->user = u->host = NULL;
}

bool mf_url_is_loopback(const struct mf_url *u)
{
	if (!u->host)
		return false;
	if (u->ipv6)
		return strcmp(u->host, "::1") == 0 || strcasecmp(u->host, "0:0:0:0:0:0:0:1") == 0;
	if (strcasecmp(u->host, "localhost") == 0)
		return true;
	/* 127.0.0.0/8 in dotted-quad form */
	unsigned a, b, c, d;
	char tail;
	return sscanf(u->host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a == 127 &&
	       b < 256 && c < 256 && d < 256 && strspn(u->host, "0123456789.") == strlen(u->host);
}

int mf_url_for_curl(char **out, const struct mf_url *u)
{
	size_t n = strlen(u->host) + 32;
	char *s = malloc(n);
	if (!s)
		return MF_ENOMEM;
	snprintf(s, n, "%s://%s%s%s:%u/", u->tls ? "imaps" : "imap", u->ipv6 ? "[" : "",
		 u->host, u->ipv6 ? "]" : "", u->port);
	*out = s;
	return 0;
}
