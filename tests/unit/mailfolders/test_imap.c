/* test_imap.c - NAMESPACE (RFC 2342) and LIST (RFC 3501/5258/6154) responses. */
#include "mftest.h"

static struct mf_namespaces ns_ok(const char *text)
{
	struct mf_namespaces ns;
	struct mf_error e;
	if (mf_namespace_parse(&ns, text, strlen(text), &e))
		fail_msg("%s: %s", text, e.msg);
	return ns;
}

static void namespace_dovecot(void **state)
{
	(void)state;
	struct mf_namespaces ns = ns_ok("* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL\r\n");
	assert_int_equal(ns.n[MF_NS_PERSONAL], 1);
	assert_string_equal(ns.ns[MF_NS_PERSONAL][0].prefix, "INBOX.");
	assert_int_equal(ns.ns[MF_NS_PERSONAL][0].delim, '.');
	assert_int_equal(ns.n[MF_NS_OTHER], 0);
	assert_int_equal(ns.n[MF_NS_SHARED], 0);
	mf_namespaces_free(&ns);
}

/* RFC 2342's examples: several namespaces per class, NIL delimiters, extensions. */
static void namespace_classes(void **state)
{
	(void)state;
	struct mf_namespaces ns = ns_ok("* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) "
					"((\"#shared/\" \"/\")(\"#public/\" \"/\")(\"#ftp/\" \"/\")"
					"(\"#news.\" \".\"))");
	assert_int_equal(ns.n[MF_NS_PERSONAL], 1);
	assert_string_equal(ns.ns[MF_NS_PERSONAL][0].prefix, "");
	assert_int_equal(ns.n[MF_NS_OTHER], 1);
	assert_string_equal(ns.ns[MF_NS_OTHER][0].prefix, "~");
	assert_int_equal(ns.n[MF_NS_SHARED], 4);
	assert_string_equal(ns.ns[MF_NS_SHARED][3].prefix, "#news.");
	assert_int_equal(ns.ns[MF_NS_SHARED][3].delim, '.');
	mf_namespaces_free(&ns);

	ns = ns_ok("* namespace ((\"\" NIL)) NIL ((\"Public Folders/\" \"/\" "
		   "\"X-PARAM\" (\"FLAG1\" \"FLAG2\")))");
	assert_int_equal(ns.ns[MF_NS_PERSONAL][0].delim, '\0');
	assert_string_equal(ns.ns[MF_NS_SHARED][0].prefix, "Public Folders/");
	mf_namespaces_free(&ns);

	/* a prefix as a literal, an escaped quote as delimiter */
	ns = ns_ok("* NAMESPACE (({6}\r\nINBOX. \"\\\"\")) NIL NIL");
	assert_string_equal(ns.ns[MF_NS_PERSONAL][0].prefix, "INBOX.");
	assert_int_equal(ns.ns[MF_NS_PERSONAL][0].delim, '"');
	mf_namespaces_free(&ns);
}

static const struct {
	const char *text, *msg;
} ns_bad[] = {
	{ "* NAMESPACE ((\"INBOX.\" \".\")) NIL", "a space and the next namespace class" },
	{ "* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL NIL", "the end of the response" },
	{ "* NAMESPACE () NIL NIL", "'(' opening a namespace" },
	{ "* NAMESPACE ((INBOX \".\")) NIL NIL", "a string" },
	{ "* NAMESPACE ((\"INBOX.\" \"..\")) NIL NIL", "after the one delimiter" },
	{ "* NAMESPACE ((\"INBOX.\" \".\") NIL NIL", "')' or another '('" },
	{ "* NAMESPACE ((\"INBOX. \".\")) NIL NIL", "a space after the prefix" },
	{ "* NAMESPACE ((\"INBOX.\r\n\" \".\")) NIL NIL", "a closing '\"'" },
	{ "* NAMESPACE (({90}\r\nINBOX \".\")) NIL NIL", "runs past the end" },
	{ "* NAMESPACE (({99999999}\r\nx \".\")) NIL NIL", "longer than" },
	{ "* NAMESPACE ((\"a\\x\" \".\")) NIL NIL", "the only escapes" },
	{ "* NAMESPACEX NIL NIL NIL", "\"NAMESPACE\"" },
	{ "NAMESPACE NIL NIL NIL", "'*'" },
	{ "* NAMESPACE ((\"\" \"/\" \"X\" ())) NIL NIL", "a string" },
	{ "", "found the end" },
};

static void namespace_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof ns_bad / sizeof ns_bad[0]; i++) {
		struct mf_namespaces ns;
		struct mf_error e;
		int rc = mf_namespace_parse(&ns, ns_bad[i].text, strlen(ns_bad[i].text), &e);
		if (rc != MF_EPARSE)
			fail_msg("accepted: %s", ns_bad[i].text);
		assert_contains(e.msg, "NAMESPACE response: ");
		assert_contains(e.msg, ns_bad[i].msg);
	}
}

static struct mf_folder list_ok(const char *text)
{
	struct mf_folder f;
	struct mf_error e;
	if (mf_list_parse(&f, text, strlen(text), &e))
		fail_msg("%s: %s", text, e.msg);
	return f;
}

static void list_responses(void **state)
{
	(void)state;
	struct mf_folder f = list_ok("* LIST (\\HasNoChildren \\Sent) \".\" INBOX.Sent\r\n");
	assert_string_equal(f.name, "INBOX.Sent");
	assert_string_equal(f.decoded, "INBOX.Sent");
	assert_int_equal(f.delim, '.');
	assert_int_equal(f.attrs, MF_ATTR_HASNOCHILDREN | MF_ATTR_SENT);
	mf_folder_free(&f);

	f = list_ok("* LIST () \".\" \"INBOX.Sent Items\"");
	assert_string_equal(f.name, "INBOX.Sent Items");
	assert_int_equal(f.attrs, 0);
	mf_folder_free(&f);

	f = list_ok("* LIST (\\trash \\X-Custom) NIL \"Gel&APY-schte Elemente\"");
	assert_string_equal(f.decoded, "Gel\xc3\xb6schte Elemente");
	assert_int_equal(f.delim, 0);
	assert_int_equal(f.attrs, MF_ATTR_TRASH | MF_ATTR_OTHER);
	mf_folder_free(&f);

	f = list_ok("* LIST (\\Drafts) \"/\" {7}\r\na \"b\" c\r\n");
	assert_string_equal(f.name, "a \"b\" c");
	mf_folder_free(&f);

	/* RFC 5258 extended data is read and skipped */
	f = list_ok("* LIST (\\Subscribed \\Sent) \"/\" Sent (\"CHILDINFO\" (\"SUBSCRIBED\")"
		    " \"OLDNAME\" (\"Sent Mail\"))");
	assert_string_equal(f.name, "Sent");
	assert_int_equal(f.attrs, MF_ATTR_SUBSCRIBED | MF_ATTR_SENT);
	mf_folder_free(&f);

	/* a name that is not valid modified UTF-7 is kept, undecoded */
	f = list_ok("* LIST () \".\" \"INBOX.&AGE-\"");
	assert_string_equal(f.name, "INBOX.&AGE-");
	assert_null(f.decoded);
	mf_folder_free(&f);

	f = list_ok("* LIST () \"\\\\\" \"a\\\\b\"");
	assert_int_equal(f.delim, '\\');
	assert_string_equal(f.name, "a\\b");
	mf_folder_free(&f);
}

static const struct {
	const char *text, *msg;
} list_bad[] = {
	{ "* LIST \\Sent \".\" INBOX.Sent", "'(' opening the attributes" },
	{ "* LIST (Sent) \".\" INBOX.Sent", "an attribute" },
	{ "* LIST (\\) \".\" x", "the attribute's name" },
	{ "* LIST () . INBOX", "a quoted delimiter or NIL" },
	{ "* LIST () \".\"", "a space after the delimiter" },
	{ "* LIST () \".\" ", "a mailbox name" },
	{ "* LIST () \".\" a)", "the end of the response" },
	{ "* LIST () \".\" INBOX (\"CHILDINFO\" (\"SUBSCRIBED\"", "a space or ')'" },
	{ "* LIST () \".\" INBOX x", "'(' opening the extended data" },
	{ "* LIST () \".\" INBOX ((((((((((x))))))))))", "nested more than 8" },
	{ "* LIST () \".\" \"a\0b\"", "other than NUL" },
};

static void list_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof list_bad / sizeof list_bad[0]; i++) {
		struct mf_folder f;
		struct mf_error e;
		size_t len = strlen(list_bad[i].text);
		if (strstr(list_bad[i].text, "\"a"))
			len += 3;	/* the case with a NUL inside */
		int rc = mf_list_parse(&f, list_bad[i].text, len, &e);
		if (rc != MF_EPARSE)
			fail_msg("accepted: %s", list_bad[i].text);
		assert_contains(e.msg, list_bad[i].msg);
	}
}

/* The answers of a real Dovecot 2.3 (namespace prefix "INBOX.", separator "."). */
static void transcript_dovecot(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp(MF_DATA "imap/dovecot-2.3.txt", &len);
	struct mf_server s;
	struct mf_error e;
	memset(&s, 0, sizeof s);
	assert_int_equal(mf_server_parse(&s, text, len, &e), 0);
	assert_true(s.have_namespace);
	const struct mf_ns *p = mf_server_personal(&s);
	assert_non_null(p);
	assert_string_equal(p->prefix, "INBOX.");
	assert_int_equal(p->delim, '.');
	assert_int_equal(s.nfolders, 4);
	assert_string_equal(s.folders[1].name, "INBOX.Sent");
	assert_int_equal(s.folders[1].attrs, MF_ATTR_SENT);
	assert_int_equal(s.folders[2].attrs, MF_ATTR_TRASH);
	assert_int_equal(s.folders[3].attrs, MF_ATTR_DRAFTS);
	mf_server_free(&s);
	free(text);
}

static void transcript_literals(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp(MF_DATA "imap/courier-style.txt", &len);
	struct mf_server s;
	struct mf_error e;
	memset(&s, 0, sizeof s);
	assert_int_equal(mf_server_parse(&s, text, len, &e), 0);
	assert_int_equal(s.ns.n[MF_NS_SHARED], 2);
	assert_int_equal(s.nfolders, 4);
	assert_string_equal(s.folders[3].name, "INBOX.a \"b\" c");
	assert_string_equal(s.folders[2].decoded, "INBOX.Gel\xc3\xb6schte Elemente");
	assert_true(s.folders[2].attrs & MF_ATTR_NOSELECT);
	mf_server_free(&s);
	free(text);
}

/* A malformed response names its line; other responses are not read at all. */
static void transcript_errors(void **state)
{
	(void)state;
	const char *text = "* OK hello {5}\r\nworld is ok\r\n* CAPABILITY (((\r\n"
			   "* LIST () \".\" INBOX\r\n* LIST (\\Sent) \".\"\r\nA1 OK\r\n";
	struct mf_server s;
	struct mf_error e;
	memset(&s, 0, sizeof s);
	assert_int_equal(mf_server_parse(&s, text, strlen(text), &e), MF_EPARSE);
	assert_int_equal(e.line, 5);
	assert_contains(e.msg, "line 5: LIST response: expected a space after the delimiter");
	mf_server_free(&s);

	const char *cut = "* LIST () \".\" {20}\r\nshort";
	memset(&s, 0, sizeof s);
	assert_int_equal(mf_server_parse(&s, cut, strlen(cut), &e), MF_EPARSE);
	assert_contains(e.msg, "runs past the end");
	mf_server_free(&s);

	const char *none = "* OK hi\r\nA1 OK\r\n";
	memset(&s, 0, sizeof s);
	assert_int_equal(mf_server_parse(&s, none, strlen(none), &e), 0);
	assert_false(s.have_namespace);
	assert_null(mf_server_personal(&s));
	mf_server_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(namespace_dovecot),
		cmocka_unit_test(namespace_classes),
		cmocka_unit_test(namespace_refused),
		cmocka_unit_test(list_responses),
		cmocka_unit_test(list_refused),
		cmocka_unit_test(transcript_dovecot),
		cmocka_unit_test(transcript_literals),
		cmocka_unit_test(transcript_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
