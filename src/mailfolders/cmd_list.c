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

/* {"database": PATH, KEY: [ ... the caller's elements, then json_end twice. */
static void json_begin(struct json *j, const char *path, const char *key)
{
	json_init(j, stdout);
	json_object(j, NULL);
	json_string(j, "database", path);
	json_array(j, key);
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

int cmd_accounts(int argc, char **argv)
{
	struct listing l;
	int rc = list_start(&l, argc, argv, &accounts_help, "accounts", false);
	if (rc >= 0)
		return rc;
	rc = EXIT_OK;
	if (l.json) {
		struct json j;
		json_begin(&j, l.path, "accounts");
		for (size_t i = 0; i < l.na; i++) {
			json_object(&j, NULL);
			json_int(&j, "id", l.acc[i].id);
			json_string(&j, "name", l.acc[i].name);
			json_string(&j, "email", l.acc[i].email);
			json_object(&j, "folders");
			for (int r = 0; r < MF_NROLES; r++)
				json_setting(&j, &l.acc[i], (enum mf_role)r, l.mb, l.nm);
			json_end(&j);
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
		json_finish(&j);
		goto out;
	}
	printf("%s: %zu account%s\n", l.path, l.na, l.na == 1 ? "" : "s");
	for (size_t i = 0; i < l.na; i++) {
		const struct mf_account *a = &l.acc[i];
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
			enum mf_setting_state st = mf_setting_check(a, (enum mf_role)r, l.mb, l.nm, &m);
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
			       "shows the repair\n", bad, bad == 1 ? " is" : "s are", l.path,
			       (long long)a->id);
	}
out:
	list_free(&l);
	return rc;
}

/* "sent,trash": the roles of account a that point at mailbox m. */
static void used_as(char *out, size_t n, const struct mf_account *acc, size_t na,
		    const struct mf_mailbox *m)
{
	out[0] = '\0';
	for (size_t i = 0; i < na; i++) {
		if (acc[i].id != m->account)
			continue;
		for (int r = 0; r < MF_NROLES; r++) {
			if (!acc[i].set[r].has_id || acc[i].set[r].id != m->id)
				continue;
			size_t k = strlen(out);
			snprintf(out + k, n - k, "%s%s", k ? "," : "", mf_roles[r].name);
		}
	}
}

static const char *server_word(int sf)
{
	return sf < 0 ? "-" : sf ? "yes" : "no";
}

int cmd_mailboxes(int argc, char **argv)
{
	struct listing l;
	int rc = list_start(&l, argc, argv, &mailboxes_help, "mailboxes", true);
	if (rc >= 0)
		return rc;
	rc = EXIT_OK;
	bool found = l.only < 0;
	for (size_t i = 0; i < l.na; i++)
		found |= l.acc[i].id == l.only;
	if (!found) {
		rc = error("%s: no account has _id %lld; 'mailfolders accounts %s' lists them", l.path,
			   (long long)l.only, l.path);
		goto out;
	}
	char used[64];
	if (l.json) {
		struct json j;
		json_begin(&j, l.path, "mailboxes");
		for (size_t i = 0; i < l.nm; i++) {
			json_object_inline(&j, NULL);
			json_int(&j, "id", l.mb[i].id);
			json_int(&j, "account", l.mb[i].account);
			json_string(&j, "decodename", l.mb[i].decodename);
			json_string(&j, "undecodename", l.mb[i].undecodename);
			json_string(&j, "shortname", l.mb[i].shortname);
			if (l.mb[i].serverfolder < 0)
				json_null(&j, "server");
			else
				json_bool(&j, "server", l.mb[i].serverfolder);
			json_array(&j, "used_as");
			for (size_t a = 0; a < l.na; a++)
				for (int r = 0; r < MF_NROLES; r++)
					if (l.acc[a].id == l.mb[i].account && l.acc[a].set[r].has_id &&
					    l.acc[a].set[r].id == l.mb[i].id)
						json_string(&j, NULL, mf_roles[r].name);
			json_end(&j);
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
		json_finish(&j);
		goto out;
	}
	for (size_t i = 0; i < l.na; i++) {
		const struct mf_account *a = &l.acc[i];
		if (l.only >= 0 && a->id != l.only)
			continue;
		size_t count = 0;
		int wd = 10, wu = 12;
		for (size_t k = 0; k < l.nm; k++) {
			if (l.mb[k].account != a->id)
				continue;
			count++;
			if (safe_width(l.mb[k].decodename) > wd)
				wd = safe_width(l.mb[k].decodename);
			if (safe_width(l.mb[k].undecodename) > wu)
				wu = safe_width(l.mb[k].undecodename);
		}
		printf("%saccount %lld: ", i && l.only < 0 ? "\n" : "", (long long)a->id);
		put_account_title(stdout, a);
		printf(": %zu mailbox%s\n", count, count == 1 ? "" : "es");
		if (!count)
			continue;
		printf("  %-5s %-7s %-19s ", "id", "server", "used as");
		put_padded(stdout, "decodename", wd + 2);
		put_padded(stdout, "undecodename", wu + 2);
		printf("shortname\n");
		for (size_t k = 0; k < l.nm; k++) {
			const struct mf_mailbox *m = &l.mb[k];
			if (m->account != a->id)
				continue;
			used_as(used, sizeof used, l.acc, l.na, m);
			printf("  %-5lld %-7s %-19s ", (long long)m->id, server_word(m->serverfolder),
			       used);
			put_padded(stdout, m->decodename, wd + 2);
			put_padded(stdout, m->undecodename, wu + 2);
			put_safe(stdout, m->shortname);
			putchar('\n');
		}
	}
	/* mailboxes of accounts that do not exist */
	for (size_t k = 0; k < l.nm && l.only < 0; k++) {
		bool known = false;
		for (size_t i = 0; i < l.na; i++)
			known |= l.acc[i].id == l.mb[k].account;
		if (!known)
			printf("\nmailbox %lld belongs to account %lld, which does not exist\n",
			       (long long)l.mb[k].id, (long long)l.mb[k].account);
	}
out:
	list_free(&l);
	return rc;
}
