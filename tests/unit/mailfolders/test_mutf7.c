/* test_mutf7.c - modified UTF-7 (RFC 3501 5.1.3): decoding, encoding, strictness. */
#include "mftest.h"

static const struct {
	const char *in, *out;
} good[] = {
	{ "INBOX", "INBOX" },
	{ "", "" },
	{ "INBOX.Sent Items", "INBOX.Sent Items" },
	{ "&-", "&" },
	{ "Tom &- Jerry", "Tom & Jerry" },
	/* RFC 3501's own example: English, Japanese and Chinese */
	{ "~peter/mail/&ZeVnLIqe-/&U,BTFw-", "~peter/mail/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e/"
					     "\xe5\x8f\xb0\xe5\x8c\x97" },
	{ "INBOX.Entw&APw-rfe", "INBOX.Entw\xc3\xbcrfe" },
	{ "Gel&APY-schte Elemente", "Gel\xc3\xb6schte Elemente" },
	{ "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-", "\xd0\x9e\xd1\x82\xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2"
					      "\xd0\xbb\xd0\xb5\xd0\xbd\xd0\xbd\xd1\x8b\xd0\xb5" },
	/* U+1F4E7 (an e-mail symbol) as a surrogate pair */
	{ "&2D3c5w-", "\xf0\x9f\x93\xa7" },
	{ "a&AOQ-b&APY-c", "a\xc3\xa4" "b\xc3\xb6" "c" },
};

static const struct {
	const char *in, *msg;
} bad[] = {
	{ "&AOQ", "does not end with '-'" },
	{ "&", "does not end with '-'" },
	{ "&AOQ-&APY-", "right after another" },
	{ "&AGE-", "'a' is encoded" },
	{ "&AAA-", "encoded NUL" },
	{ "&2D0-", "high surrogate" },
	{ "&3OU-", "low surrogate" },
	{ "&AOR-", "stray bits" },
	{ "&AOQA-", "stray bits" },
	{ "a\tb", "not printable ASCII" },
	{ "caf\xc3\xa9", "not printable ASCII" },
	{ "&A/Q-", "not modified BASE64" },
	{ "&A=-", "not modified BASE64" },
};

static void decodes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char *out = NULL;
		struct mf_error e;
		int rc = mf_mutf7_decode(&out, good[i].in, strlen(good[i].in), &e);
		if (rc)
			fail_msg("%s: %s", good[i].in, e.msg);
		assert_string_equal(out, good[i].out);
		free(out);
	}
}

static void encodes_back(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char *out = NULL;
		struct mf_error e;
		int rc = mf_mutf7_encode(&out, good[i].out, strlen(good[i].out), &e);
		if (rc)
			fail_msg("%s: %s", good[i].out, e.msg);
		assert_string_equal(out, good[i].in);
		free(out);
	}
}

static void refuses(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *out = NULL;
		struct mf_error e;
		int rc = mf_mutf7_decode(&out, bad[i].in, strlen(bad[i].in), &e);
		if (rc != MF_EPARSE)
			fail_msg("'%s' decoded (rc %d)", bad[i].in, rc);
		assert_null(out);
		assert_contains(e.msg, bad[i].msg);
	}
}

static void encoder_refuses_bad_utf8(void **state)
{
	(void)state;
	const char *bad_utf8[] = { "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\xff", "\xf4\x90\x80\x80" };
	for (size_t i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; i++) {
		char *out = NULL;
		struct mf_error e;
		assert_int_equal(mf_mutf7_encode(&out, bad_utf8[i], strlen(bad_utf8[i]), &e),
				 MF_EPARSE);
		assert_contains(e.msg, "not valid UTF-8");
		assert_null(out);
	}
	char *out = NULL;
	struct mf_error e;
	assert_int_equal(mf_mutf7_encode(&out, "a\0b", 3, &e), MF_EPARSE);
	assert_contains(e.msg, "NUL");
}

/* Every code point class survives encode then decode; the encoding is printable ASCII. */
static void round_trip(void **state)
{
	(void)state;
	const uint32_t cps[] = { 0x01, 0x1f, 0x26, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0xd7ff, 0xe000,
				 0xfffd, 0xffff, 0x10000, 0x1f4e7, 0x10ffff };
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char u[8] = "x";
		uint32_t c = cps[i];
		size_t n = 1;
		if (c < 0x80) {
			u[n++] = (char)c;
		} else if (c < 0x800) {
			u[n++] = (char)(0xc0 | c >> 6);
			u[n++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			u[n++] = (char)(0xe0 | c >> 12);
			u[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[n++] = (char)(0x80 | (c & 0x3f));
		} else {
			u[n++] = (char)(0xf0 | c >> 18);
			u[n++] = (char)(0x80 | ((c >> 12) & 0x3f));
			u[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[n++] = (char)(0x80 | (c & 0x3f));
		}
		u[n++] = 'y';
		char *enc = NULL, *dec = NULL;
		struct mf_error e;
		assert_int_equal(mf_mutf7_encode(&enc, u, n, &e), 0);
		for (const char *p = enc; *p; p++)
			assert_true(*p >= 0x20 && *p < 0x7f);
		assert_int_equal(mf_mutf7_decode(&dec, enc, strlen(enc), &e), 0);
		assert_memory_equal(dec, u, n);
		assert_int_equal(strlen(dec), n);
		free(enc);
		free(dec);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes),
		cmocka_unit_test(encodes_back),
		cmocka_unit_test(refuses),
		cmocka_unit_test(encoder_refuses_bad_utf8),
		cmocka_unit_test(round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
