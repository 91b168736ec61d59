/* test_url.c - the server operand imap[s]://USER@HOST[:PORT]: what is taken, what refused. */
#include "mftest.h"

static const struct {
	const char *url;
	bool tls;
	const char *user, *host;
	unsigned port;
	const char *for_curl;
} good[] = {
	{ "imap://jane@127.0.0.1:10143", false, "jane", "127.0.0.1", 10143,
	  "imap://127.0.0.1:10143/" },
	{ "imaps://jane@imap.example.org", true, "jane", "imap.example.org", 993,
	  "imaps://imap.example.org:993/" },
	{ "IMAP://jane@mail.example.org/", false, "jane", "mail.example.org", 143,
	  "imap://mail.example.org:143/" },
	{ "imaps://jane%40example.org@imap.example.org:993", true, "jane@example.org",
	  "imap.example.org", 993, "imaps://imap.example.org:993/" },
	{ "imap://j.doe+mail@[::1]:1143", false, "j.doe+mail", "::1", 1143,
	  "imap://[::1]:1143/" },
	{ "imap://u@[2001:db8::10]", false, "u", "2001:db8::10", 143, "imap://[2001:db8::10]:143/" },
};

static const struct {
	const char *url, *msg;
} bad[] = {
	{ "http://jane@example.org", "scheme is \"http\"" },
	{ "example.org", "not an imap:// or imaps:// URL" },
	{ "imap://example.org", "has no user" },
	{ "imap://jane:secret@example.org", "holds a password" },
	{ "imap://jane;AUTH=*@example.org", "authentication mechanism" },
	{ "imap://jane@example.org/INBOX", "goes on after the server" },
	{ "imap://jane@example.org?x", "goes on after the server" },
	{ "imap://jane@example.org:0", "not a number from 1 to 65535" },
	{ "imap://jane@example.org:65536", "not a number from 1 to 65535" },
	{ "imap://jane@example.org:14x", "not a number from 1 to 65535" },
	{ "imap://jane@example.org:", "not a number from 1 to 65535" },
	{ "imap://jane@exa_mple.org", "not a host name" },
	{ "imap://jane@", "not a host name" },
	{ "imap://jane@.org", "not a host name" },
	{ "imap://jane@[fe80::1%eth0]", "IPv6 address" },
	{ "imap://jane@[::1]x", "after the IPv6 address" },
	{ "imap://@example.org", "user name is empty" },
	{ "imap://ja ne@example.org", "a space, a control character" },
	{ "imap://j\x01@example.org", "a space, a control character" },
	{ "imap://jan\xc3\xa9@example.org", "non-ASCII" },
	{ "imap://jane%4@example.org", "bad %-escape" },
	{ "imap://jane%00@example.org", "holds a control character (%00) once %-decoded" },
	/* CR LF would end libcurl's LOGIN command and start one of the user's choosing */
	{ "imap://jane%0D%0Aa001%20LOGOUT@example.org", "holds a control character (%0D)" },
	{ "imap://jane%0a@example.org", "holds a control character (%0A)" },
	{ "imap://jane%7F@example.org", "holds a control character (%7F)" },
	{ "imap://jane%1b%5B2J@example.org", "holds a control character (%1B)" },
	{ "imap://ja<ne@example.org", "write it %-escaped" },
};

static void accepted(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct mf_url u;
		struct mf_error e;
		if (mf_url_parse(&u, good[i].url, &e))
			fail_msg("%s: %s", good[i].url, e.msg);
		assert_int_equal(u.tls, good[i].tls);
		assert_string_equal(u.user, good[i].user);
		assert_string_equal(u.host, good[i].host);
		assert_int_equal(u.port, good[i].port);
		char *c;
		assert_int_equal(mf_url_for_curl(&c, &u), 0);
		assert_string_equal(c, good[i].for_curl);
		free(c);
		mf_url_free(&u);
	}
}

static void refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct mf_url u;
		struct mf_error e;
		if (mf_url_parse(&u, bad[i].url, &e) != MF_EPARSE)
			fail_msg("accepted: %s", bad[i].url);
		assert_contains(e.msg, bad[i].msg);
		/* the password never appears in a message */
		assert_null(strstr(e.msg, "secret"));
	}
	char longer[2000];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	memcpy(longer, "imap://", 7);
	struct mf_url u;
	struct mf_error e;
	assert_int_equal(mf_url_parse(&u, longer, &e), MF_EPARSE);
	assert_contains(e.msg, "longer than 1024");
}

static void loopback(void **state)
{
	(void)state;
	static const struct {
		const char *url;
		bool loop;
	} v[] = {
		{ "imap://u@127.0.0.1", true }, { "imap://u@127.1.2.3:1143", true },
		{ "imap://u@localhost", true }, { "imap://u@LOCALHOST", true },
		{ "imap://u@[::1]", true }, { "imap://u@128.0.0.1", false },
		{ "imap://u@127.0.0.1.example.org", false }, { "imap://u@127.0.0.256", false },
		{ "imap://u@localhost.example.org", false }, { "imap://u@[::2]", false },
		{ "imap://u@imap.example.org", false },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct mf_url u;
		struct mf_error e;
		if (mf_url_parse(&u, v[i].url, &e))
			fail_msg("%s: %s", v[i].url, e.msg);
		if (mf_url_is_loopback(&u) != v[i].loop)
			fail_msg("%s: loopback should be %d", v[i].url, v[i].loop);
		mf_url_free(&u);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted),
		cmocka_unit_test(refused),
		cmocka_unit_test(loopback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
