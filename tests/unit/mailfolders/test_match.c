/* test_match.c - choosing the mailbox of a role, and the state of a setting. */
#include "mftest.h"

#define MB(id, acc, und, dec, shrt, sf) \
	{ id, acc, (char *)(und), (char *)(dec), (char *)(shrt), sf, (char *)(und) }

/* undecoded_utf8 is filled in by setup() for the names that are modified UTF-7 */
static struct mf_mailbox mbox[] = {
	MB(1, 1, "INBOX", "INBOX", "INBOX", 1),
	MB(3, 1, "Sent", "Sent", "Sent", 0),
	MB(9, 1, "INBOX.Trash", "INBOX.Trash", "INBOX.Trash", 1),
	MB(17, 1, "INBOX.Entw&APw-rfe", "INBOX.Entw\xc3\xbcrfe", "INBOX.Entw\xc3\xbcrfe", 1),
	MB(23, 1, "INBOX.Sent", "INBOX.Sent", "INBOX.Sent", 1),
	MB(24, 1, "INBOX.Notes", "", "INBOX.Notes", 1),
	MB(27, 1, "Inbox.Drafts", "Inbox.Drafts", "Inbox.Drafts", 1),
	MB(31, 1, "INBOX.Sent Items", "INBOX.Sent Items", "INBOX.Sent Items", 1),
	MB(40, 1, "INBOX.Gel&APY-scht", "", "", 1),
};
static const size_t nmbox = sizeof mbox / sizeof mbox[0];

static int setup(void **state)
{
	(void)state;
	static char decoded[] = "INBOX.Gel\xc3\xb6scht";
	mbox[8].undecoded_utf8 = decoded;
	static char entw[] = "INBOX.Entw\xc3\xbcrfe";
	mbox[3].undecoded_utf8 = entw;
	return 0;
}

static void names_equal(void **state)
{
	(void)state;
	assert_true(mf_name_equal("INBOX.Sent", "INBOX.Sent"));
	assert_true(mf_name_equal("inbox.Sent", "INBOX.Sent"));
	assert_true(mf_name_equal("Inbox", "INBOX"));
	assert_false(mf_name_equal("INBOX.sent", "INBOX.Sent"));
	assert_false(mf_name_equal("INBOXES", "inboxes"));
	assert_false(mf_name_equal("Sent", NULL));
}

static const struct mf_mailbox *pick(enum mf_role r, const char *name, const char *prefix,
				     int want, struct mf_match *m)
{
	struct mf_match_source src = { name, NULL, prefix, '\0' };
	int rc = mf_match_role(m, mbox, nmbox, r, &src);
	if (rc != want)
		fail_msg("role %s, name %s, prefix %s: %d, not %d (looked for %s)",
			 mf_roles[r].name, name ? name : "-", prefix ? prefix : "-", rc, want,
			 m->looked_for);
	return m->chosen;
}

static void by_prefix(void **state)
{
	(void)state;
	struct mf_match m;
	/* INBOX.Sent and INBOX.Sent Items: two usual names match, so it is ambiguous */
	pick(MF_SENT, NULL, "INBOX.", MF_EAMBIGUOUS, &m);
	assert_int_equal(m.ncand, 2);
	assert_int_equal(m.cand[0]->id, 23);
	assert_int_equal(m.cand[1]->id, 31);
	assert_string_equal(m.looked_for, "\"INBOX.Sent\", \"INBOX.Sent Items\", "
			    "\"INBOX.Sent Messages\"");
	mf_match_free(&m);
	assert_int_equal(pick(MF_TRASH, NULL, "INBOX.", 0, &m)->id, 9);
	assert_string_equal(m.how, "the prefix \"INBOX.\" and a usual trash folder name");
	mf_match_free(&m);
	/* INBOX in another case still matches */
	assert_int_equal(pick(MF_DRAFTS, NULL, "INBOX.", 0, &m)->id, 27);
	mf_match_free(&m);
	/* no prefix: the app's own "Sent" is the only one */
	assert_int_equal(pick(MF_SENT, NULL, "", 0, &m)->id, 3);
	mf_match_free(&m);
	pick(MF_TRASH, NULL, "", MF_ENOTFOUND, &m);
	assert_int_equal(m.ncand, 0);
	mf_match_free(&m);
}

static void by_name_and_fallbacks(void **state)
{
	(void)state;
	struct mf_match m;
	assert_int_equal(pick(MF_SENT, "INBOX.Sent Items", NULL, 0, &m)->id, 31);
	assert_int_equal(m.field, MF_FIELD_DECODENAME);
	assert_string_equal(m.how, "named by --sent");
	mf_match_free(&m);
	/* _decodename empty: _shortname */
	assert_int_equal(pick(MF_DRAFTS, "INBOX.Notes", NULL, 0, &m)->id, 24);
	assert_int_equal(m.field, MF_FIELD_SHORTNAME);
	mf_match_free(&m);
	/* both empty: _undecodename decoded from modified UTF-7 */
	assert_int_equal(pick(MF_TRASH, "INBOX.Gel\xc3\xb6scht", NULL, 0, &m)->id, 40);
	assert_int_equal(m.field, MF_FIELD_UNDECODENAME);
	mf_match_free(&m);
	assert_int_equal(pick(MF_DRAFTS, "INBOX.Entw\xc3\xbcrfe", NULL, 0, &m)->id, 17);
	assert_int_equal(m.field, MF_FIELD_DECODENAME);
	mf_match_free(&m);
	pick(MF_DRAFTS, "INBOX.Nothing", NULL, MF_ENOTFOUND, &m);
	assert_string_equal(m.looked_for, "\"INBOX.Nothing\"");
	mf_match_free(&m);
}

static void by_server(void **state)
{
	(void)state;
	struct mf_folder folders[] = {
		{ (char *)"INBOX.Sent Items", (char *)"INBOX.Sent Items", '.', MF_ATTR_SENT },
		{ (char *)"INBOX.Trash", (char *)"INBOX.Trash", '.', MF_ATTR_TRASH },
		{ (char *)"INBOX.Old Trash", (char *)"INBOX.Old Trash", '.',
		  MF_ATTR_TRASH | MF_ATTR_NOSELECT },
		{ (char *)"INBOX.Drafts", (char *)"INBOX.Drafts", '.', MF_ATTR_DRAFTS },
		{ (char *)"INBOX.Drafts2", (char *)"INBOX.Drafts2", '.', MF_ATTR_DRAFTS },
	};
	struct mf_server s = { .folders = folders, .nfolders = 5 };
	struct mf_match m;
	struct mf_match_source src = { NULL, &s, "INBOX.", '.' };
	/* the server's \Sent settles what the prefix alone finds ambiguous */
	assert_int_equal(mf_match_role(&m, mbox, nmbox, MF_SENT, &src), 0);
	assert_int_equal(m.chosen->id, 31);
	assert_string_equal(m.how, "marked \\Sent on the server");
	mf_match_free(&m);
	/* a \Noselect folder is not a candidate */
	assert_int_equal(mf_match_role(&m, mbox, nmbox, MF_TRASH, &src), 0);
	assert_int_equal(m.chosen->id, 9);
	mf_match_free(&m);
	/* two \Drafts folders, one of them unknown to the app: the known one */
	assert_int_equal(mf_match_role(&m, mbox, nmbox, MF_DRAFTS, &src), 0);
	assert_int_equal(m.chosen->id, 27);
	mf_match_free(&m);
	/* an explicit name wins over the server */
	src.name = "INBOX.Sent";
	assert_int_equal(mf_match_role(&m, mbox, nmbox, MF_SENT, &src), 0);
	assert_int_equal(m.chosen->id, 23);
	mf_match_free(&m);
}

/* A prefix without its delimiter ("INBOX" with "."): the delimiter goes in between. */
static void prefix_and_delimiter(void **state)
{
	(void)state;
	struct mf_match m;
	struct mf_match_source src = { NULL, NULL, "INBOX", '.' };
	assert_int_equal(mf_match_role(&m, mbox, nmbox, MF_TRASH, &src), 0);
	assert_int_equal(m.chosen->id, 9);
	assert_string_equal(m.looked_for, "\"INBOX.Trash\", \"INBOX.Deleted Items\", "
			    "\"INBOX.Deleted Messages\"");
	mf_match_free(&m);
	/* a prefix that ends with it gets no second one; an empty prefix gets none */
	src.prefix = "INBOX.";
	assert_int_equal(mf_match_role(&m, mbox, nmbox, MF_TRASH, &src), 0);
	assert_int_equal(m.chosen->id, 9);
	mf_match_free(&m);
	src.prefix = "";
	assert_int_equal(mf_match_role(&m, mbox, nmbox, MF_SENT, &src), 0);
	assert_int_equal(m.chosen->id, 3);
	assert_string_equal(m.looked_for, "\"Sent\", \"Sent Items\", \"Sent Messages\"");
	mf_match_free(&m);
	/* without a known delimiter the prefix is taken as it is */
	src.prefix = "INBOX";
	src.delim = '\0';
	assert_int_equal(mf_match_role(&m, mbox, nmbox, MF_TRASH, &src), MF_ENOTFOUND);
	assert_contains(m.looked_for, "\"INBOXTrash\"");
	mf_match_free(&m);
}

/* More than 16 folders marked \Sent: every one is a candidate, none dropped. */
static void many_special_use(void **state)
{
	(void)state;
	struct mf_folder folders[40];
	char names[40][32];
	for (int i = 0; i < 40; i++) {
		snprintf(names[i], sizeof names[i], "INBOX.Sent %02d", i);
		folders[i] = (struct mf_folder){ names[i], names[i], '.', MF_ATTR_SENT };
	}
	/* the only one the app knows is the last */
	snprintf(names[39], sizeof names[39], "INBOX.Sent Items");
	struct mf_server s = { .folders = folders, .nfolders = 40 };
	struct mf_match m;
	struct mf_match_source src = { NULL, &s, "INBOX.", '.' };
	assert_int_equal(mf_match_role(&m, mbox, nmbox, MF_SENT, &src), 0);
	assert_int_equal(m.chosen->id, 31);
	/* the list of names tried says that it was cut */
	assert_int_equal(strncmp(m.looked_for, "\"INBOX.Sent 00\", \"INBOX.Sent 01\"", 32), 0);
	size_t n = strlen(m.looked_for);
	assert_true(n < sizeof m.looked_for);
	assert_string_equal(m.looked_for + n - 5, ", ...");
	mf_match_free(&m);
}

static void setting_states(void **state)
{
	(void)state;
	struct mf_mailbox other = MB(50, 2, "Sent", "Sent", "Sent", 1);
	struct mf_mailbox all[sizeof mbox / sizeof mbox[0] + 1];
	memcpy(all, mbox, sizeof mbox);
	all[nmbox] = other;
	struct mf_account a = { .id = 1 };
	const struct mf_mailbox *w;
	a.set[MF_SENT] = (struct mf_setting){ (char *)"INBOX.Sent", (char *)"INBOX.Sent", true, 23 };
	assert_int_equal(mf_setting_check(&a, MF_SENT, all, nmbox + 1, &w), MF_SET_OK);
	assert_int_equal(w->id, 23);
	a.set[MF_SENT] = (struct mf_setting){ (char *)"Sent", (char *)"Sent", true, 3 };
	assert_int_equal(mf_setting_check(&a, MF_SENT, all, nmbox + 1, &w), MF_SET_LOCAL);
	a.set[MF_SENT] = (struct mf_setting){ (char *)"Sent", (char *)"Sent", true, 41 };
	assert_int_equal(mf_setting_check(&a, MF_SENT, all, nmbox + 1, &w), MF_SET_MISSING);
	assert_null(w);
	a.set[MF_SENT] = (struct mf_setting){ (char *)"Sent", (char *)"Sent", true, 50 };
	assert_int_equal(mf_setting_check(&a, MF_SENT, all, nmbox + 1, &w), MF_SET_OTHER_ACCOUNT);
	a.set[MF_SENT] = (struct mf_setting){ (char *)"Sent", (char *)"Sent", true, 9 };
	assert_int_equal(mf_setting_check(&a, MF_SENT, all, nmbox + 1, &w), MF_SET_NAME_DIFFERS);
	a.set[MF_SENT] = (struct mf_setting){ (char *)"Sent", (char *)"Sent", false, 0 };
	assert_int_equal(mf_setting_check(&a, MF_SENT, all, nmbox + 1, &w), MF_SET_UNSET);
	assert_string_equal(mf_setting_state_name(MF_SET_OTHER_ACCOUNT), "other-account");
}

/* The tables: every role has its columns and usual names; required columns are unique. */
static void tables(void **state)
{
	(void)state;
	for (int r = 0; r < MF_NROLES; r++) {
		assert_non_null(mf_roles[r].usual[0]);
		assert_non_null(strstr(mf_roles[r].folder_col, "folder"));
		assert_int_equal(strncmp(mf_roles[r].text_col, mf_roles[r].folder_col,
					 strlen(mf_roles[r].folder_col)), 0);
		assert_int_equal(strncmp(mf_roles[r].id_col, mf_roles[r].folder_col,
					 strlen(mf_roles[r].folder_col)), 0);
	}
	size_t n = 0;
	for (const struct mf_column *c = mf_required_columns; c->table; c++, n++)
		for (const struct mf_column *d = c + 1; d->table; d++)
			assert_false(strcmp(c->table, d->table) == 0 && strcmp(c->column, d->column) == 0);
	assert_int_equal(n, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_equal),
		cmocka_unit_test(by_prefix),
		cmocka_unit_test(by_name_and_fallbacks),
		cmocka_unit_test(by_server),
		cmocka_unit_test(prefix_and_delimiter),
		cmocka_unit_test(many_special_use),
		cmocka_unit_test(setting_states),
		cmocka_unit_test(tables),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
