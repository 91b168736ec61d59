/* cmd_adb.c - mailfolders adb-steps: the seed's pull / fix / push sequence, printed. */
#include <string.h>

#include "cli.h"

/*
 * Where the HTC mail app keeps mail.db. The seed's commands name /data/data/ and lose the
 * rest of the path; the package directory below is the one public code that reads the HTC
 * mail database uses (see docs/mailfolders.md); --dir overrides it.
 */
#define HTC_MAIL_DIR "/data/data/com.htc.android.mail/databases"

/* The database and the files SQLite keeps beside it: the WAL and its index (WAL mode) and
 * the rollback journal (left by an interrupted write in the other modes). */
static const char *const files[] = { "mail.db", "mail.db-wal", "mail.db-shm", "mail.db-journal" };
#define NFILES (sizeof files / sizeof files[0])

static const struct cmd_help help = {
	"mailfolders adb-steps", "",
	"Print the sequence the seed's post followed by hand: boot the phone into recovery,\n"
	"pull mail.db (with -wal, -shm or -journal) with adb, fix it, push it back, reboot.",
	"The commands are printed, never run. --sqlite prints the seed's sqlite3 session\n"
	"(the manual fix) instead of the mailfolders commands.\n"
	"Exit status: 0, or 2 for a bad option.\n",
};

static void print_sqlite_session(const char *account)
{
	printf("sqlite3 mail.db\n"
	       "-- opening it rolls back an interrupted write that a mail.db-journal file holds\n"
	       "sqlite> pragma wal_checkpoint(FULL);  -- fold the -wal file into mail.db\n"
	       "sqlite> .headers on\n"
	       "sqlite> .mode column\n"
	       "sqlite> select _id, _name, _sentfolder, _sentfoldertext, _sentfolderid from accounts;\n"
	       "sqlite> select _id, _name, _trashfolder, _trashfoldertext, _trashfolderid from accounts;\n"
	       "sqlite> select _id, _name, _draftfolder, _draftfoldertext, _draftfolderid from accounts;\n"
	       "sqlite> select _id,_undecodename,_decodename,_shortname from mailboxs\n"
	       "   ...> where _account=%s and\n"
	       "   ...> _shortname in ('INBOX.Drafts','INBOX.Sent','INBOX.Trash');\n"
	       "-- use the _id values listed (the seed had 23, 9 and 27):\n"
	       "sqlite> update accounts set _sentfolder = 'INBOX.Sent', _sentfoldertext = "
	       "'INBOX.Sent', _sentfolderid = 23 where _id=%s;\n"
	       "sqlite> update accounts set _trashfolder = 'INBOX.Trash', _trashfoldertext = "
	       "'INBOX.Trash', _trashfolderid = 9 where _id=%s;\n"
	       "sqlite> update accounts set _draftfolder = 'INBOX.Drafts', _draftfoldertext = "
	       "'INBOX.Drafts', _draftfolderid = 27 where _id=%s;\n"
	       "sqlite> .quit\n", account, account, account, account);
}

int cmd_adb_steps(int argc, char **argv)
{
	const char *dir = HTC_MAIL_DIR, *account = "ID";
	bool sqlite = false;
	const struct opt opts[] = {
		{ OPT_STRING, "dir", 0, &dir, "PATH", "the app's database directory on the phone" },
		{ OPT_STRING, "account", 'a', &account, "ID", "the account's _id, if known" },
		{ OPT_FLAG, "sqlite", 0, &sqlite, NULL, "the seed's manual sqlite3 session instead" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest)
		return error("adb-steps takes no operands; see 'mailfolders adb-steps --help'");
	if (!*dir || strpbrk(dir, " \t\n'\"\\$`;&|<>"))
		return error("--dir takes a plain absolute path on the phone, not '%s'", dir);
	size_t dl = strlen(dir);
	const char *slash = dl && dir[dl - 1] == '/' ? "" : "/";
	printf("# The HTC mail app's Sent/Trash/Drafts repair, by hand (the seed's third post).\n"
	       "# Needs a rooted phone. Your own risk: keep the copies made below.\n"
	       "\n"
	       "# 1. Boot the phone into recovery (ClockworkMod), mount /data, connect USB\n"
	       "#    (HTC Sync mode); the app must not be running while its database is copied.\n"
	       "adb devices\n"
	       "\n"
	       "# 2. Copy the database to this computer. Besides mail.db there may be\n"
	       "#    mail.db-wal and mail.db-shm (recent changes, WAL mode) or mail.db-journal\n"
	       "#    (a write that was interrupted): each one that exists is part of the\n"
	       "#    database, so copy them all together (adb says which do not exist).\n");
	for (size_t i = 0; i < NFILES; i++)
		printf("adb pull %s%s%s\n", dir, slash, files[i]);
	printf("\n# 3. Look, then fix.\n");
	if (sqlite) {
		print_sqlite_session(account);
	} else {
		printf("mailfolders accounts mail.db\n"
		       "mailfolders mailboxes mail.db --account %s\n"
		       "mailfolders fix mail.db --account %s --dry-run    # shows the SQL\n"
		       "mailfolders fix mail.db --account %s              # backup, then the change\n"
		       "#    (or let the server say where its folders are:\n"
		       "#     mailfolders fix mail.db --account %s --server imaps://USER@HOST)\n"
		       "#    fix rolls back what a -journal file holds, folds the -wal file into\n"
		       "#    mail.db, and removes -wal, -shm and -journal here.\n",
		       account, account, account, account);
	}
	printf("\n# 4. Keep the phone's old files (the seed deleted them with 'adb shell rm'),\n"
	       "#    then push the fixed database. Move every old -wal, -shm and -journal file\n"
	       "#    away: beside the new mail.db, SQLite would replay an old -wal file, or roll\n"
	       "#    an old -journal back, over the fix. Never push a -journal file.\n");
	for (size_t i = 0; i < NFILES; i++)
		printf("adb shell mv %s%s%s %s%s%s.orig\n", dir, slash, files[i], dir, slash, files[i]);
	printf("adb push mail.db %s%s\n", dir, slash);
	if (!sqlite)
		printf("# only if mail.db-wal is still here (fix says when it could not fold it in):\n"
		       "adb push mail.db-wal %s%s\n", dir, slash);
	if (sqlite) {
		printf("adb push mail.db-wal %s%s    # only if it still exists here\n"
		       "adb push mail.db-shm %s%s    # only if it still exists here\n", dir, slash,
		       dir, slash);
	}
	printf("\n# 5. Restart the phone; the app now files sent mail, drafts and deleted mail in\n"
	       "#    the server's folders.\n"
	       "adb reboot\n");
	return EXIT_OK;
}
