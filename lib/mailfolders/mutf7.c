/*
 * mutf7.c - modified UTF-7 mailbox names (RFC 3501 section 5.1.3), strictly.
 *
 * Printable US-ASCII (0x20-0x7e) stands for itself, except "&", which is written "&-". Every
 * other character is UTF-16 in "modified BASE64" (the RFC 2045 alphabet with "," for "/",
 * no "=" padding) between "&" and "-". The RFC wants one spelling per name, so the decoder
 * refuses what an encoder must not write: an encoded printable character, a run that does
 * not end in "-", padding bits that are not zero, and two runs in a row ("-&", a null shift).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == ',')
		return 63;
	return -1;
}

/* Append code point cp as UTF-8. */
static int put_utf8(struct mf_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return mf__buf_add(b, u, n);
}

/* Decode one base64 run in[i..j) (between "&" and "-"); at is the offset of the "&". */
static int decode_run(struct mf_buf *b, const char *in, size_t i, size_t j, size_t at,
		      struct mf_error *err)
{
	uint32_t bits = 0, high = 0;
	int nbits = 0;
	size_t units = 0;
	for (size_t k = i; k < j; k++) {
		int v = b64_value((unsigned char)in[k]);
		if (v < 0)
			return mf__fail(err, MF_EPARSE, "byte %zu: '%c' is not modified BASE64 "
					"(A-Z a-z 0-9 + ,); the run opened at byte %zu needs a '-'",
					k + 1, in[k], at + 1);
		bits = (bits << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits < 16)
			continue;
		nbits -= 16;
		uint32_t u = (bits >> nbits) & 0xffff;
		bits &= (1u << nbits) - 1;
		units++;
		if (high) {
			if (u < 0xdc00 || u > 0xdfff)
				return mf__fail(err, MF_EPARSE, "byte %zu: a high surrogate (U+%04X) "
						"without its low surrogate", at + 1, (unsigned)high);
			if (put_utf8(b, 0x10000 + ((high - 0xd800) << 10) + (u - 0xdc00)))
				return MF_ENOMEM;
			high = 0;
			continue;
		}
		if (u >= 0xd800 && u <= 0xdbff) {
			high = u;
			continue;
		}
		if (u >= 0xdc00 && u <= 0xdfff)
			return mf__fail(err, MF_EPARSE, "byte %zu: a low surrogate (U+%04X) "
					"without a high one", at + 1, (unsigned)u);
		if (u >= 0x20 && u <= 0x7e)
			return mf__fail(err, MF_EPARSE, "byte %zu: '%c' is encoded, but printable "
					"ASCII must stand for itself", at + 1, (char)u);
		if (u == 0)
			return mf__fail(err, MF_EPARSE, "byte %zu: an encoded NUL character", at + 1);
		if (put_utf8(b, u))
			return MF_ENOMEM;
	}
	if (high)
		return mf__fail(err, MF_EPARSE, "byte %zu: a high surrogate (U+%04X) at the end "
				"of the run", at + 1, (unsigned)high);
	if (units == 0)
		return mf__fail(err, MF_EPARSE, "byte %zu: a run shorter than one character",
				at + 1);
	if (nbits >= 6 || bits != 0)
		return mf__fail(err, MF_EPARSE, "byte %zu: the run ends with %d stray bit%s%s",
				at + 1, nbits, nbits == 1 ? "" : "s",
				bits ? " that are not zero" : "");
	return 0;
}

int mf_mutf7_decode(char **out, const char *in, size_t len, struct mf_error *err)
{
	struct mf_buf b = { 0 };
	size_t last_run_end = (size_t)-1;	/* offset just past the last run's "-" */
	int rc = 0;
	if (mf__buf_add(&b, "", 0))
		return mf__fail(err, MF_ENOMEM, "out of memory");
	for (size_t i = 0; i < len && !rc;) {
		unsigned char c = (unsigned char)in[i];
		if (c < 0x20 || c > 0x7e) {
			rc = mf__fail(err, MF_EPARSE, "byte %zu: 0x%02x is not printable ASCII; "
				      "modified UTF-7 encodes it", i + 1, c);
			break;
		}
		if (c != '&') {
			rc = mf__buf_addc(&b, (char)c);
			i++;
			continue;
		}
		if (i + 1 < len && in[i + 1] == '-') {
			rc = mf__buf_addc(&b, '&');
			i += 2;
			continue;
		}
		size_t j = i + 1;
		while (j < len && in[j] != '-' && b64_value((unsigned char)in[j]) >= 0)
			j++;
		if (j < len && in[j] != '-') {
			unsigned char d = (unsigned char)in[j];
			char what[8];
			snprintf(what, sizeof what, d >= 0x20 && d < 0x7f ? "'%c'" : "0x%02x", d);
			rc = mf__fail(err, MF_EPARSE, "byte %zu: %s is not modified BASE64 (A-Z a-z "
				      "0-9 + ,); the run opened at byte %zu needs a '-' first", j + 1,
				      what, i + 1);
			break;
		}
		if (j >= len) {
			rc = mf__fail(err, MF_EPARSE, "byte %zu: the '&' opens a run that does not "
				      "end with '-'", i + 1);
			break;
		}
		if (last_run_end == i) {
			rc = mf__fail(err, MF_EPARSE, "byte %zu: a run right after another (\"-&\"); "
				      "they must be one run", i + 1);
			break;
		}
		rc = decode_run(&b, in, i + 1, j, i, err);
		i = j + 1;
		last_run_end = i;
	}
	return mf__buf_finish(&b, rc, out, err);
}

long mf__utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	unsigned char c = s[*i];
	uint32_t cp;
	size_t n;
	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		cp = c & 0x07;
	} else {
		return -1;
	}
	if (*i + n >= len)
		return -1;
	for (size_t k = 1; k <= n; k++) {
		unsigned char d = s[*i + k];
		if ((d & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (d & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*i += n + 1;
	return (long)cp;
}

/* Flush pending UTF-16 units as one "&...-" run. */
static int flush_run(struct mf_buf *b, const uint16_t *u, size_t n)
{
	if (n == 0)
		return 0;
	if (mf__buf_addc(b, '&'))
		return MF_ENOMEM;
	uint32_t bits = 0;
	int nbits = 0;
	for (size_t k = 0; k < n; k++) {
		bits = (bits << 16) | u[k];
		nbits += 16;
		while (nbits >= 6) {
			nbits -= 6;
			if (mf__buf_addc(b, b64[(bits >> nbits) & 0x3f]))
				return MF_ENOMEM;
		}
		bits &= (1u << nbits) - 1;
	}
	if (nbits && mf__buf_addc(b, b64[(bits << (6 - nbits)) & 0x3f]))
		return MF_ENOMEM;
	return mf__buf_addc(b, '-');
}

int mf_mutf7_encode(char **out, const char *utf8, size_t len, struct mf_error *err)
{
	const unsigned char *s = (const unsigned char *)utf8;
	struct mf_buf b = { 0 };
	uint16_t *units = malloc((2 * len + 1) * sizeof *units);
	size_t nu = 0;
	int rc = units && !mf__buf_add(&b, "", 0) ? 0 : MF_ENOMEM;
	for (size_t i = 0; i < len && !rc;) {
		size_t at = i;
		long cp = mf__utf8_next(s, len, &i);
		if (cp < 0) {
			rc = mf__fail(err, MF_EPARSE, "byte %zu: not valid UTF-8", at + 1);
			break;
		}
		if (cp == 0) {
			rc = mf__fail(err, MF_EPARSE, "byte %zu: a NUL character", at + 1);
			break;
		}
		if (cp >= 0x20 && cp <= 0x7e) {
			rc = flush_run(&b, units, nu);
			nu = 0;
			if (!rc)
				rc = cp == '&' ? mf__buf_add(&b, "&-", 2) : mf__buf_addc(&b, (char)cp);
			continue;
		}
		if (cp >= 0x10000) {
			units[nu++] = (uint16_t)(0xd800 + ((cp - 0x10000) >> 10));
			units[nu++] = (uint16_t)(0xdc00 + ((cp - 0x10000) & 0x3ff));
		} else {
			units[nu++] = (uint16_t)cp;
		}
	}
	if (!rc)
		rc = flush_run(&b, units, nu);
	free(units);
	return mf__buf_finish(&b, rc, out, err);
}
