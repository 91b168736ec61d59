/*
 * server.c - asking an IMAP server for its NAMESPACE and its special-use folders, through
 * libcurl (no IMAP client of our own).
 *
 * libcurl sends a custom IMAP command given with CURLOPT_CUSTOMREQUEST and hands every line
 * of the server's responses to the header callback; the untagged lines that carry the
 * command's name also reach the write callback, but literal data does not (curl issues 536
 * and 1150). So the header callback is what is read here: the whole conversation, which
 * mf_server_parse then reads with its literals.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ANSWER_MAX (4u << 20)	/* a server's answer larger than this is refused */

struct sink {
	struct mf_buf b;
	bool too_big;		/* the answer passed ANSWER_MAX */
	bool oom;		/* keeping it ran out of memory */
};

static size_t on_header(char *data, size_t size, size_t n, void *payload)
{
	struct sink *s = payload;
	size_t len = size * n;
	if (s->b.len + len > ANSWER_MAX) {
		s->too_big = true;
		return 0;
	}
	if (mf__buf_add(&s->b, data, len)) {
		s->oom = true;
		return 0;
	}
	return len;
}

/* What stopped a transfer: our callback's refusal, or libcurl's code. */
static CURLcode sink_code(const struct sink *s, CURLcode c)
{
	return s->oom ? CURLE_OUT_OF_MEMORY : s->too_big ? CURLE_FILESIZE_EXCEEDED : c;
}

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	(void)data;
	(void)payload;
	return size * n;	/* the same lines arrive through the header callback */
}

int mf_curl_init(struct mf_error *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return mf__fail(err, MF_ENOMEM, "libcurl could not be initialised");
	return 0;
}

void mf_curl_cleanup(void)
{
	curl_global_cleanup();
}

static int curl_fail(CURLcode c, const char *errbuf, const struct mf_url *u, const char *cmd,
		     struct mf_error *err)
{
	/* libcurl's own words; its error buffer only for TLS, where it names the certificate
	 * problem (elsewhere it adds timings, which would make messages differ run to run) */
	const char *why = curl_easy_strerror(c);
	if ((c == CURLE_PEER_FAILED_VERIFICATION || c == CURLE_SSL_CONNECT_ERROR) && errbuf[0])
		why = errbuf;
	char user[200];
	mf__show(user, sizeof user, u->user, strlen(u->user));
	switch (c) {
	case CURLE_LOGIN_DENIED:
		return mf__fail(err, MF_EAUTH, "%s:%u refused the login of user \"%s\" (%s); check "
				"the user name and the password", u->host, u->port, user, why);
	case CURLE_COULDNT_RESOLVE_HOST:
		return mf__fail(err, MF_ENET, "cannot resolve the host %s (%s)", u->host, why);
	case CURLE_COULDNT_CONNECT:
		return mf__fail(err, MF_ENET, "cannot connect to %s port %u (%s); is the server "
				"running, and is it IMAP%s?", u->host, u->port, why,
				u->tls ? "S (TLS on connect)" : "");
	case CURLE_OPERATION_TIMEDOUT:
		return mf__fail(err, MF_ENET, "%s:%u did not answer in time (%s)", u->host, u->port,
				why);
	case CURLE_USE_SSL_FAILED:
		return mf__fail(err, MF_ENET, "%s:%u does not offer STARTTLS, so the password "
				"would cross the network in clear; nothing was sent (use imaps://, or "
				"--insecure-plaintext for a test server on this machine)", u->host,
				u->port);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
		return mf__fail(err, MF_ENET, "TLS with %s:%u failed (%s); --cacert FILE names "
				"the CA that signed the server's certificate", u->host, u->port, why);
	case CURLE_QUOTE_ERROR:
		return mf__fail(err, MF_ENET, "%s:%u answered the %s command with an error (%s)",
				u->host, u->port, cmd, why);
	case CURLE_FILESIZE_EXCEEDED:
		return mf__fail(err, MF_ENET, "%s:%u sent more than %u MiB; refusing to read it",
				u->host, u->port, ANSWER_MAX >> 20);
	case CURLE_OUT_OF_MEMORY:
		return mf__fail(err, MF_ENOMEM, "out of memory");
	default:
		return mf__fail(err, MF_ENET, "%s:%u: %s (%s)", u->host, u->port, why, cmd);
	}
}

/* One custom command; its conversation is appended to s. */
static CURLcode run(CURL *h, const char *cmd, struct sink *s, char *errbuf)
{
	errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, cmd);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
	return curl_easy_perform(h);
}

int mf_server_query(struct mf_server *out, const struct mf_url *url,
		    struct mf_query_opts *o, struct mf_error *err)
{
	char errbuf[CURL_ERROR_SIZE];
	char *curl_url = NULL;
	struct sink ns = { 0 }, list = { 0 };
	struct mf_server s;
	memset(&s, 0, sizeof s);
	mf__clear(err);
	if (mf_url_for_curl(&curl_url, url))
		return mf__fail(err, MF_ENOMEM, "out of memory");
	CURL *h = curl_easy_init();
	if (!h) {
		free(curl_url);
		return mf__fail(err, MF_ENOMEM, "libcurl could not make a handle");
	}
	long timeout = o->timeout_ms > 0 ? o->timeout_ms : 30000;
	curl_easy_setopt(h, CURLOPT_URL, curl_url);
	curl_easy_setopt(h, CURLOPT_USERNAME, url->user);
	curl_easy_setopt(h, CURLOPT_PASSWORD, o->password ? o->password : "");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout < 10000 ? timeout : 10000L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	/* imap://: STARTTLS before the login, unless plaintext is explicitly allowed (then
	 * still STARTTLS when the server offers it) */
	if (!url->tls)
		curl_easy_setopt(h, CURLOPT_USE_SSL, o->plaintext ? (long)CURLUSESSL_TRY
								  : (long)CURLUSESSL_ALL);
	if (o->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->cacert);
	int rc = 0;
	CURLcode c = sink_code(&ns, run(h, "NAMESPACE", &ns, errbuf));
	if (c != CURLE_OK) {
		rc = curl_fail(c, errbuf, url, "NAMESPACE", err);
		goto out;
	}
	s.special_use = true;
	c = sink_code(&list, run(h, "LIST \"\" \"*\" RETURN (SPECIAL-USE)", &list, errbuf));
	if (c == CURLE_QUOTE_ERROR) {
		/* the server rejected the RETURN option (no LIST-EXTENDED/SPECIAL-USE) */
		s.special_use = false;
		mf__buf_free(&list.b);
		c = sink_code(&list, run(h, "LIST \"\" \"*\"", &list, errbuf));
	}
	if (c != CURLE_OK) {
		rc = curl_fail(c, errbuf, url, "LIST", err);
		goto out;
	}
	if ((rc = mf_server_parse(&s, ns.b.data ? ns.b.data : "", ns.b.len, err)) ||
	    (rc = mf_server_parse(&s, list.b.data ? list.b.data : "", list.b.len, err)))
		goto out;
	if (!s.have_namespace) {
		rc = mf__fail(err, MF_ENET, "%s:%u did not answer NAMESPACE (RFC 2342) with a "
			      "NAMESPACE response", url->host, url->port);
		goto out;
	}
out:
	if (o->transcript == NULL) {
		struct mf_buf t = { 0 };
		if (!mf__buf_add(&t, ns.b.data ? ns.b.data : "", ns.b.len) &&
		    !mf__buf_add(&t, list.b.data ? list.b.data : "", list.b.len)) {
			o->transcript = t.data;
			o->transcript_len = t.len;
		} else {
			mf__buf_free(&t);
		}
	}
	mf__buf_free(&ns.b);
	mf__buf_free(&list.b);
	curl_easy_cleanup(h);
	free(curl_url);
	if (rc) {
		mf_server_free(&s);
		return rc;
	}
	*out = s;
	return 0;
}
