/* cmd_list.c - mailfolders accounts and mailfolders mailboxes: what the app has. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cmd_help accounts_help = {
	"mailfolders accounts", "DB",
	"List the accounts of the mail app's database (mail.db) with their Sent, Trash and\n"
	"Drafts settings, and whether each points at a mailbox the app lists on the server.",
	"The database is only read (an ordinary SQLite read, which sees what its -wal file\n"
	"holds; a database whose -journal file holds an interrupted transaction is refused\n"
	"until that is rolled back). States: ok (the setting names a server mailbox of the\n"
	"account), local (the mailbox is the app's own, _serverfolder = 0), missing (no\n"
	"mailbox has the id), name-differs, other-account, unset (the id is NULL).\n"
	"Exit status: 0 listed, 2 an error (not a database, the wrong schema, locked, an\n"
	"interrupted transaction in DB-journal).\n",
};

static const struct cmd_help mailboxes_help = {
	"mailfolders mailboxes", "DB",
	"List the mailboxes (table mailboxs) of every account, or of one with --account, and\n"
	"which folder settings use each.",
	"Names are shown as stored: _decodename (decoded), _undecodename (the server's name,\n"
	"modified UTF-7) and _shortname. \"server\" is the _serverfolder column: no for the\n"
	"app's own folders.\n"
	"Exit status: 0 listed, 2 an error.\n",
};

/* What both listing commands read. */
struct listing {
	const char *path;
	bool json;
	int64_t only;			/* --account, or -1 */
	mf_db *db;
	struct mf_account *acc;
	size_t na;
	struct mf_mailbox *mb;		/* of account only, or of all */
	size_t nm;
};

static void list_free(struct listing *l)
{
	mf_accounts_free(l->acc, l->na);
	mf_mailboxes_free(l->mb, l->nm);
	mf_db_close(l->db);
}

/*
 * The start both listing commands share: options (--account where with_account), one DB
 * operand, the database opened read-only, its accounts and mailboxes read. Returns -1 to
 * go on, else the exit status (with nothing left to free).
 */
static int list_start(struct listing *l, int argc, char **argv, const struct cmd_help *h,
		      const char *cmd, bool with_account)
{
	long timeout = DEFAULT_TIMEOUT_MS;
	const char *account_arg = NULL;
	memset(l, 0, sizeof *l);
	l->only = -1;
	const struct opt opts[] = {
		{ OPT_STRING, "account", 'a', &account_arg, "ID", "only the account with _id ID" },
		{ OPT_FLAG, "json", 0, &l->json, NULL, "write JSON (docs/mailfolders.md)" },
		{ OPT_LONG, "timeout", 0, &timeout, "MS", "wait at most MS ms for a lock (default 5000)" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(with_account ? opts : opts + 1, h, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest != 1)
		return error("%s takes one DB; see 'mailfolders %s --help'", cmd, cmd);
	if (account_arg && parse_account(account_arg, &l->only))
		return error("--account takes an account's _id (a number), not '%s'", account_arg);
	l->path = rest[0];
	struct mf_error e;
	if (mf_db_open(&l->db, l->path, 0, timeout > INT_MAX ? INT_MAX : (int)timeout, &e))
		return db_error(l->path, &e, false);
	if (mf_db_accounts(&l->acc, &l->na, l->db, &e) ||
	    mf_db_mailboxes(&l->mb, &l->nm, l->db, l->only, &e)) {
		list_free(l);
		return db_error(l->path, &e, false);
	}
	return -1;
}

/* {"database": PATH, KEY: [ ... the caller's elements, then json_close. */
static void json_begin(struct json *j, const char *path, const char *key)
{
	json_init(j, stdout);
	json_object(j, NULL);
	json_string(j, "database", path);
	json_array(j, key);
}

/* ... ]} after json_begin. */
static void json_close(struct json *j)
{
	json_end(j);
	json_end(j);
	json_finish(j);
}

static void state_detail(FILE *f, enum mf_setting_state st, const struct mf_setting *s,
			 const struct mf_mailbox *m)
{
	fputs(mf_setting_state_name(st), f);
	switch (st) {
	case MF_SET_LOCAL:
		fprintf(f, ": mailbox %lld \"", (long long)m->id);
		put_safe(f, m->decodename);
		fputs("\" is the app's own folder, not one on the server", f);
		break;
	case MF_SET_MISSING:
		fprintf(f, ": no mailbox has _id %lld", (long long)s->id);
		break;
	case MF_SET_OTHER_ACCOUNT:
		fprintf(f, ": mailbox %lld belongs to account %lld", (long long)m->id,
			(long long)m->account);
		break;
	case MF_SET_NAME_DIFFERS:
		fprintf(f, ": mailbox %lld is \"", (long long)m->id);
		put_safe(f, m->decodename);
		fputc('"', f);
		break;
	default:
		break;
	}
}

static void json_setting(struct json *j, const struct mf_account *a, enum mf_role r,
			 const struct mf_mailbox *all, size_t n)
{
	const struct mf_mailbox *m;
	enum mf_setting_state st = mf_setting_check(a, r, all, n, &m);
	const struct mf_setting *s = &a->set[r];
	json_object_inline(j, mf_roles[r].name);
	json_string(j, "folder", s->folder);
	json_string(j, "text", s->text);
	if (s->has_id)
		json_int(j, "mailbox", s->id);
	else
		json_null(j, "mailbox");
	json_string(j, "state", mf_setting_state_name(st));
	if (m)
		json_string(j, "mailbox_name", m->decodename);
	json_end(j);
}

static void accounts_json(const struct listing *l)
{
	struct json j;
	json_begin(&j, l->path, "accounts");
	for (size_t i = 0; i < l->na; i++) {
		const struct mf_account *a = &l->acc[i];
		json_object(&j, NULL);
		json_int(&j, "id", a->id);
		json_string(&j, "name", a->name);
		json_string(&j, "email", a->email);
		json_object(&j, "folders");
		for (int r = 0; r < MF_NROLES; r++)
			json_setting(&j, a, (enum mf_role)r, l->mb, l->nm);
		json_end(&j);
		json_end(&j);
	}
	json_close(&j);
}

/* One account as a table of its three settings, and the repair to run when one is not ok. */
static void account_text(const struct listing *l, const struct mf_account *a)
{
	int wf = 6, wt = 4;
	for (int r = 0; r < MF_NROLES; r++) {
		if (safe_width(a->set[r].folder) > wf)
			wf = safe_width(a->set[r].folder);
		if (safe_width(a->set[r].text) > wt)
			wt = safe_width(a->set[r].text);
	}
	printf("\naccount %lld: ", (long long)a->id);
	put_account_title(stdout, a);
	printf("\n  %-7s ", "role");
	put_padded(stdout, "folder", wf + 2);
	put_padded(stdout, "text", wt + 2);
	printf("%-8s state\n", "mailbox");
	int bad = 0;
	for (int r = 0; r < MF_NROLES; r++) {
		const struct mf_setting *s = &a->set[r];
		const struct mf_mailbox *m;
		enum mf_setting_state st = mf_setting_check(a, (enum mf_role)r, l->mb, l->nm, &m);
		printf("  %-7s ", mf_roles[r].name);
		put_padded(stdout, s->folder, wf + 2);
		put_padded(stdout, s->text, wt + 2);
		if (s->has_id)
			printf("%-8lld ", (long long)s->id);
		else
			printf("%-8s ", "NULL");
		state_detail(stdout, st, s, m);
		putchar('\n');
		bad += st != MF_SET_OK;
	}
	if (bad)
		printf("  -> %d setting%s not ok; 'mailfolders fix %s --account %lld --dry-run' "
		       "shows the repair\n", bad, bad == 1 ? " is" : "s are", l->path,
		       (long long)a->id);
}

int cmd_accounts(int argc, char **argv)
{
	struct listing l;
	int rc = list_start(&l, argc, argv, &accounts_help, "accounts", false);
	if (rc >= 0)
		return rc;
	if (l.json) {
		accounts_json(&l);
	} else {
		printf("%s: %zu account%s\n", l.path, l.na, l.na == 1 ? "" : "s");
		for (size_t i = 0; i < l.na; i++)
			account_text(&l, &l.acc[i]);
	}
	list_free(&l);
	return EXIT_OK;
}

/* The roles (bit 1 << MF_SENT, ...) whose setting in the mailbox's own account names it. */
static unsigned roles_using(const struct mf_account *acc, size_t na, const struct mf_mailbox *m)
{
	unsigned roles = 0;
	for (size_t i = 0; i < na; i++)
		for (int r = 0; r < MF_NROLES && acc[i].id == m->account; r++)
			if (acc[i].set[r].has_id && acc[i].set[r].id == m->id)
				roles |= 1u << r;
	return roles;
}

/* "sent,trash", padded to width columns. */
static void put_roles(FILE *f, unsigned roles, int width)
{
	int w = 0;
	for (int r = 0; r < MF_NROLES; r++)
		if (roles & 1u << r)
			w += fprintf(f, "%s%s", w ? "," : "", mf_roles[r].name);
	fprintf(f, "%*s", w < width ? width - w : 0, "");
}

static const char *server_word(int sf)
{
	return sf < 0 ? "-" : sf ? "yes" : "no";
}

static void mailboxes_json(const struct listing *l)
{
	struct json j;
	json_begin(&j, l->path, "mailboxes");
	for (size_t i = 0; i < l->nm; i++) {
		const struct mf_mailbox *m = &l->mb[i];
		json_object_inline(&j, NULL);
		json_int(&j, "id", m->id);
		json_int(&j, "account", m->account);
		json_string(&j, "decodename", m->decodename);
		json_string(&j, "undecodename", m->undecodename);
		json_string(&j, "shortname", m->shortname);
		if (m->serverfolder < 0)
			json_null(&j, "server");
		else
			json_bool(&j, "server", m->serverfolder);
		json_array(&j, "used_as");
		unsigned roles = roles_using(l->acc, l->na, m);
		for (int r = 0; r < MF_NROLES; r++)
			if (roles & 1u << r)
				json_string(&j, NULL, mf_roles[r].name);
		json_end(&j);
		json_end(&j);
	}
	json_close(&j);
}

/* The mailboxes of one account as a table (the first without a blank line before it). */
static void account_mailboxes_text(const struct listing *l, const struct mf_account *a,
				   bool first)
{
	size_t count = 0;
	int wd = 10, wu = 12;
	for (size_t k = 0; k < l->nm; k++) {
		if (l->mb[k].account != a->id)
			continue;
		count++;
		if (safe_width(l->mb[k].decodename) > wd)
			wd = safe_width(l->mb[k].decodename);
		if (safe_width(l->mb[k].undecodename) > wu)
			wu = safe_width(l->mb[k].undecodename);
	}
	printf("%saccount %lld: ", first ? "" : "\n", (long long)a->id);
	put_account_title(stdout, a);
	printf(": %zu mailbox%s\n", count, count == 1 ? "" : "es");
	if (!count)
		return;
	printf("  %-5s %-7s %-19s ", "id", "server", "used as");
	put_padded(stdout, "decodename", wd + 2);
	put_padded(stdout, "undecodename", wu + 2);
	printf("shortname\n");
	for (size_t k = 0; k < l->nm; k++) {
		const struct mf_mailbox *m = &l->mb[k];
		if (m->account != a->id)
			continue;
		printf("  %-5lld %-7s ", (long long)m->id, server_word(m->serverfolder));
		put_roles(stdout, roles_using(l->acc, l->na, m), 20);
		put_padded(stdout, m->decodename, wd + 2);
		put_padded(stdout, m->undecodename, wu + 2);
		put_safe(stdout, m->shortname);
		putchar('\n');
	}
}

static void mailboxes_text(const struct listing *l)
{
	for (size_t i = 0; i < l->na; i++)
		if (l->only < 0 || l->acc[i].id == l->only)
			account_mailboxes_text(l, &l->acc[i], i == 0 || l->only >= 0);
	/* mailboxes of accounts that do not exist */
	for (size_t k = 0; k < l->nm && l->only < 0; k++) {
		bool known = false;
		for (size_t i = 0; i < l->na; i++)
			known |= l->acc[i].id == l->mb[k].account;
		if (!known)
			printf("\nmailbox %lld belongs to account %lld, which does not exist\n",
			       (long long)l->mb[k].id, (long long)l->mb[k].account);
	}
}

int cmd_mailboxes(int argc, char **argv)
{
	struct listing l;
	int rc = list_start(&l, argc, argv, &mailboxes_help, "mailboxes", true);
	if (rc >= 0)
		return rc;
	bool found = l.only < 0;
	for (size_t i = 0; i < l.na; i++)
		found |= l.acc[i].id == l.only;
	if (!found)
		rc = error("%s: no account has _id %lld; 'mailfolders accounts %s' lists them", l.path,
			   (long long)l.only, l.path);
	else if (l.json)
		mailboxes_json(&l);
	else
		mailboxes_text(&l);
	list_free(&l);
	return found ? EXIT_OK : rc;
}
