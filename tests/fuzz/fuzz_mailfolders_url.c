/*
 * fuzz_mailfolders_url.c - libFuzzer target for the server operand imap[s]://USER@HOST[:PORT].
 * Accepted URLs have a user without control characters (a CR LF would reach the IMAP
 * session), a host and a port in range, never a password, and the URL made for libcurl
 * parses again (with the user put back) to the same server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailfolders.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct mf_url u;
	struct mf_error e;
	if (mf_url_parse(&u, s, &e) == 0) {
		if (!u.user || !*u.user || !u.host || !*u.host || u.port == 0 || u.port > 65535)
			abort();
		for (const unsigned char *p = (const unsigned char *)u.user; *p; p++)
			if (*p < 0x20 || *p == 0x7f)
				abort();
		char *c = NULL;
		if (mf_url_for_curl(&c, &u) != 0)
			abort();
		/* "imap://HOST:PORT/" with "x@" after the scheme parses to the same server */
		const char *rest = strstr(c, "://") + 3;
		size_t n = strlen(c) + 8;
		char *again = malloc(n);
		if (!again)
			abort();
		snprintf(again, n, "%.*sx@%s", (int)(rest - c), c, rest);
		struct mf_url v;
		if (mf_url_parse(&v, again, &e) != 0 || strcmp(v.host, u.host) != 0 ||
		    v.port != u.port || v.tls != u.tls)
			abort();
		mf_url_free(&v);
		free(again);
		free(c);
		mf_url_free(&u);
	}
	free(s);
	return 0;
}
