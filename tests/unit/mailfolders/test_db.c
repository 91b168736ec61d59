/*
 * test_db.c - the app's database: opening with checks, reading, the plan's SQL, and the fix
 * (backup equal to the original, one account changed, refusals when changed or locked).
 */
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mftest.h"

static char dir[64];

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void run_sql(const char *path, const char *sql)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", path, msg);
	sqlite3_close(h);
}

/* A fresh copy of the fixture (mail.sql), checkpointed into one file. */
static void make_fixture(const char *name, char *path, size_t n)
{
	path_in(path, n, name);
	char side[300];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	char *sql = slurp(MF_DATA "mail.sql", NULL);
	run_sql(path, sql);
	free(sql);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/mftest-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static mf_db *open_ok(const char *path, unsigned flags)
{
	mf_db *db;
	struct mf_error e;
	if (mf_db_open(&db, path, flags, 2000, &e))
		fail_msg("%s: %s", path, e.msg);
	return db;
}

static void reads(void **state)
{
	(void)state;
	char path[256];
	make_fixture("read.db", path, sizeof path);
	mf_db *db = open_ok(path, 0);
	struct mf_account *a;
	size_t na;
	struct mf_error e;
	assert_int_equal(mf_db_accounts(&a, &na, db, &e), 0);
	assert_int_equal(na, 2);
	assert_string_equal(a[0].name, "Work");
	assert_string_equal(a[0].email, "jane@example.org");
	assert_string_equal(a[0].set[MF_SENT].folder, "Sent");
	assert_int_equal(a[0].set[MF_SENT].id, 3);
	assert_int_equal(a[0].set[MF_DRAFTS].id, 41);
	assert_int_equal(a[1].set[MF_TRASH].id, 13);
	struct mf_mailbox *m;
	size_t nm;
	assert_int_equal(mf_db_mailboxes(&m, &nm, db, 1, &e), 0);
	assert_int_equal(nm, 22);
	assert_int_equal(m[11].id, 17);
	assert_string_equal(m[11].undecoded_utf8, "INBOX.Entw\xc3\xbcrfe");
	assert_int_equal(m[1].serverfolder, 0);
	assert_true(mf_db_has_column(db, "mailboxs", "_serverfolder"));
	const struct mf_mailbox *w;
	assert_int_equal(mf_setting_check(&a[0], MF_SENT, m, nm, &w), MF_SET_LOCAL);
	assert_int_equal(mf_setting_check(&a[0], MF_DRAFTS, m, nm, &w), MF_SET_MISSING);
	mf_mailboxes_free(m, nm);
	assert_int_equal(mf_db_mailboxes(&m, &nm, db, -1, &e), 0);
	assert_int_equal(nm, 27);
	assert_int_equal(mf_setting_check(&a[1], MF_SENT, m, nm, &w), MF_SET_OK);
	mf_mailboxes_free(m, nm);
	mf_accounts_free(a, na);
	assert_int_equal(mf_db_integrity(db, &e), 0);
	mf_db_close(db);
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void not_databases(void **state)
{
	(void)state;
	char path[256], fx[256];
	mf_db *db;
	struct mf_error e;
	path_in(path, sizeof path, "text.db");
	write_file(path, "accounts,mailboxs\n1,2\n", 22);
	assert_int_equal(mf_db_open(&db, path, MF_DB_WRITE, 100, &e), MF_ENOTDB);
	assert_string_equal(e.msg, "is not a SQLite database (it does not start with \"SQLite "
			    "format 3\")");
	write_file(path, "", 0);
	assert_int_equal(mf_db_open(&db, path, 0, 100, &e), MF_ENOTDB);
	assert_string_equal(e.msg, "is empty, not a SQLite database");
	path_in(path, sizeof path, "missing.db");
	assert_int_equal(mf_db_open(&db, path, 0, 100, &e), MF_ENOTFOUND);
	assert_string_equal(e.msg, "No such file or directory");
	assert_int_equal(mf_db_open(&db, dir, 0, 100, &e), MF_EIO);
	assert_contains(e.msg, "is a directory");
	/* the first 10000 bytes of a real database */
	make_fixture("whole.db", fx, sizeof fx);
	size_t len;
	char *data = slurp(fx, &len);
	assert_true(len > 10000);
	path_in(path, sizeof path, "truncated.db");
	write_file(path, data, 10000);
	assert_int_equal(mf_db_open(&db, path, MF_DB_WRITE, 100, &e), MF_ENOTDB);
	assert_contains(e.msg, "is a truncated SQLite database (10000 bytes; its header says");
	write_file(path, data, 60);
	assert_int_equal(mf_db_open(&db, path, 0, 100, &e), MF_ENOTDB);
	assert_contains(e.msg, "shorter than its 100-byte header");
	free(data);
}

static void wrong_schema(void **state)
{
	(void)state;
	char path[256];
	mf_db *db;
	struct mf_error e;
	path_in(path, sizeof path, "schema.db");
	run_sql(path, "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, _name, _sentfolder, "
		"_sentfoldertext, _trashfolder, _trashfoldertext, _trashfolderid, _draftfolder, "
		"_draftfoldertext, _draftfolderid);"
		"CREATE TABLE mailboxs (_id INTEGER PRIMARY KEY, _account, _undecodename, "
		"_DECODENAME);");
	assert_int_equal(mf_db_open(&db, path, MF_DB_WRITE, 100, &e), MF_ESCHEMA);
	assert_string_equal(e.msg, "not the mail app's schema: missing accounts._sentfolderid, "
			    "mailboxs._shortname");
	path_in(path, sizeof path, "other.db");
	run_sql(path, "CREATE TABLE notes (id, text);");
	assert_int_equal(mf_db_open(&db, path, 0, 100, &e), MF_ESCHEMA);
	assert_string_equal(e.msg, "not the mail app's schema: missing table accounts, "
			    "table mailboxs");
}

static void settings_of(const char *path, int64_t account, char *out, size_t n)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT _sentfolder, _sentfoldertext, _sentfolderid, "
		"_trashfolder, _trashfoldertext, _trashfolderid, _draftfolder, _draftfoldertext, "
		"_draftfolderid FROM accounts WHERE _id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, account);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	out[0] = '\0';
	for (int i = 0; i < 9; i++) {
		size_t k = strlen(out);
		snprintf(out + k, n - k, "%s%s", i ? "|" : "", (const char *)sqlite3_column_text(st, i));
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
}

/* The plan for the seed's folders, and its SQL exactly as the seed wrote it. */
static void plan_for(mf_db *db, struct mf_plan *p, int64_t sent, int64_t trash, int64_t drafts)
{
	struct mf_account *a;
	struct mf_mailbox *m;
	size_t na, nm;
	struct mf_error e;
	assert_int_equal(mf_db_accounts(&a, &na, db, &e), 0);
	assert_int_equal(mf_db_mailboxes(&m, &nm, db, 1, &e), 0);
	const struct mf_mailbox *chosen[MF_NROLES] = { NULL, NULL, NULL };
	int64_t want[MF_NROLES] = { sent, trash, drafts };
	for (size_t i = 0; i < nm; i++)
		for (int r = 0; r < MF_NROLES; r++)
			if (m[i].id == want[r])
				chosen[r] = &m[i];
	assert_int_equal(mf_plan_make(p, &a[0], chosen, &e), 0);
	mf_mailboxes_free(m, nm);
	mf_accounts_free(a, na);
}

static const char seed_sql[] =
	"update accounts set _sentfolder = 'INBOX.Sent', _sentfoldertext = 'INBOX.Sent', "
	"_sentfolderid = 23 where _id=1;\n"
	"update accounts set _trashfolder = 'INBOX.Trash', _trashfoldertext = 'INBOX.Trash', "
	"_trashfolderid = 9 where _id=1;\n"
	"update accounts set _draftfolder = 'INBOX.Drafts', _draftfoldertext = 'INBOX.Drafts', "
	"_draftfolderid = 27 where _id=1;\n";

static void plan_sql(void **state)
{
	(void)state;
	char path[256];
	make_fixture("plan.db", path, sizeof path);
	mf_db *db = open_ok(path, 0);
	struct mf_plan p;
	plan_for(db, &p, 23, 9, 27);
	assert_string_equal(p.sql, seed_sql);
	assert_int_equal(p.nchanges, 3);
	assert_string_equal(p.before[MF_TRASH].folder, "Trash");
	assert_string_equal(p.after[MF_DRAFTS].text, "INBOX.Drafts");
	mf_plan_free(&p);
	/* a name outside ASCII: the folder is the server's (modified UTF-7) name */
	plan_for(db, &p, 23, 9, 17);
	assert_string_equal(p.after[MF_DRAFTS].folder, "INBOX.Entw&APw-rfe");
	assert_string_equal(p.after[MF_DRAFTS].text, "INBOX.Entw\xc3\xbcrfe");
	assert_contains(p.sql, "_draftfolder = 'INBOX.Entw&APw-rfe', _draftfoldertext = "
			"'INBOX.Entw\xc3\xbcrfe', _draftfolderid = 17 where _id=1;");
	mf_plan_free(&p);
	mf_db_close(db);
}

/* Names with control characters: the printed SQL holds none, and is still exact SQL. */
static void plan_sql_escapes(void **state)
{
	(void)state;
	char path[256];
	make_fixture("escape.db", path, sizeof path);
	run_sql(path, "INSERT INTO mailboxs (_id, _undecodename, _decodename, _shortname, _account) "
		"VALUES (50, 'INBOX.x' || char(27) || '[2J''s', 'INBOX.x' || char(27) || '[2J''s', "
		"'', 1), (51, 'INBOX.' || char(10) || 'y' || char(155), 'INBOX.' || char(10) || 'y' "
		"|| char(155), '', 1), (52, 'INBOX.z' || CAST(X'FFEDA080' AS TEXT), "
		"'INBOX.z' || CAST(X'FFEDA080' AS TEXT), '', 1)");
	mf_db *db = open_ok(path, 0);
	struct mf_plan p;
	plan_for(db, &p, 50, 51, 52);
	mf_db_close(db);
	assert_string_equal(p.sql,
		"update accounts set _sentfolder = 'INBOX.x' || char(27) || '[2J''s', "
		"_sentfoldertext = 'INBOX.x' || char(27) || '[2J''s', _sentfolderid = 50 where _id=1;\n"
		"update accounts set _trashfolder = 'INBOX.' || char(10) || 'y' || char(155) || '', "
		"_trashfoldertext = 'INBOX.' || char(10) || 'y' || char(155) || '', "
		"_trashfolderid = 51 where _id=1;\n"
		"update accounts set _draftfolder = 'INBOX.z' || CAST(X'FF' AS TEXT) || '' || "
		"CAST(X'ED' AS TEXT) || '' || CAST(X'A0' AS TEXT) || '' || CAST(X'80' AS TEXT) || '', "
		"_draftfoldertext = 'INBOX.z' || CAST(X'FF' AS TEXT) || '' || CAST(X'ED' AS TEXT) || "
		"'' || CAST(X'A0' AS TEXT) || '' || CAST(X'80' AS TEXT) || '', _draftfolderid = 52 "
		"where _id=1;\n");
	/* nothing but printable ASCII (bytes that are not UTF-8, a surrogate among them, too) */
	for (const char *c = p.sql; *c; c++)
		assert_true(*c == '\n' || (*c >= 0x20 && *c < 0x7f));
	/* run as SQL, the printed statements write exactly the values the fix binds */
	run_sql(path, p.sql);
	char s[512];
	settings_of(path, 1, s, sizeof s);
	assert_string_equal(s, "INBOX.x\x1b[2J's|INBOX.x\x1b[2J's|50|INBOX.\ny\xc2\x9b|"
			    "INBOX.\ny\xc2\x9b|51|INBOX.z\xff\xed\xa0\x80|INBOX.z\xff\xed\xa0\x80|52");
	mf_plan_free(&p);
}

/* mf_fix_apply with a backup path and no temporary-file callback. */
static int apply(struct mf_fix_report *rep, mf_db *db, const struct mf_plan *p, const char *bak,
		 struct mf_error *e)
{
	struct mf_fix_opts o = { bak, NULL, NULL };
	return mf_fix_apply(rep, db, p, &o, e);
}

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = slurp(from, &len);
	write_file(to, data, len);
	free(data);
}

static void fix(void **state)
{
	(void)state;
	char path[256], orig[256], bak[256], s[512];
	make_fixture("fix.db", path, sizeof path);
	path_in(orig, sizeof orig, "fix-orig.db");
	path_in(bak, sizeof bak, "fix.db.bak");
	copy_file(path, orig);
	mf_db *db = open_ok(path, MF_DB_WRITE);
	struct mf_plan p;
	plan_for(db, &p, 23, 9, 27);
	struct mf_fix_report rep;
	struct mf_error e;
	if (apply(&rep, db, &p, bak, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(rep.backup, bak);
	assert_true(rep.checkpointed);
	mf_fix_report_free(&rep);
	mf_db_close(db);
	settings_of(path, 1, s, sizeof s);
	assert_string_equal(s, "INBOX.Sent|INBOX.Sent|23|INBOX.Trash|INBOX.Trash|9|"
			    "INBOX.Drafts|INBOX.Drafts|27");
	settings_of(path, 2, s, sizeof s);
	assert_string_equal(s, "Sent|Sent|12|Trash|Trash|13|Drafts|Drafts|14");
	/* the backup holds exactly the original; the database now differs from it */
	assert_int_equal(mf_db_same_content(bak, orig, &e), 0);
	assert_int_equal(mf_db_same_content(path, orig, &e), MF_ECHANGED);
	assert_contains(e.msg, "table accounts: row 1");
	struct stat st;
	assert_int_equal(stat(bak, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* again: nothing to change */
	db = open_ok(path, MF_DB_WRITE);
	mf_plan_free(&p);
	plan_for(db, &p, 23, 9, 27);
	assert_int_equal(p.nchanges, 0);
	assert_string_equal(p.sql, "");
	mf_plan_free(&p);
	mf_db_close(db);
}

static void backup_never_overwritten(void **state)
{
	(void)state;
	char path[256], bak[256], s[512];
	make_fixture("exists.db", path, sizeof path);
	path_in(bak, sizeof bak, "exists.db.bak");
	write_file(bak, "keep me", 7);
	mf_db *db = open_ok(path, MF_DB_WRITE);
	struct mf_plan p;
	plan_for(db, &p, 23, 9, 27);
	struct mf_fix_report rep;
	struct mf_error e;
	assert_int_equal(apply(&rep, db, &p, bak, &e), MF_EIO);
	assert_contains(e.msg, "exists already");
	mf_plan_free(&p);
	mf_db_close(db);
	settings_of(path, 1, s, sizeof s);
	assert_string_equal(s, "Sent|Sent|3|Trash|Trash|4|Drafts|Drafts|41");
	char *kept = slurp(bak, NULL);
	assert_string_equal(kept, "keep me");
	free(kept);
}

static void changed_meanwhile(void **state)
{
	(void)state;
	char path[256], bak[256], s[512];
	make_fixture("race.db", path, sizeof path);
	path_in(bak, sizeof bak, "race.db.bak");
	mf_db *db = open_ok(path, MF_DB_WRITE);
	struct mf_plan p;
	plan_for(db, &p, 23, 9, 27);
	/* the app (or a person) changes the account between the plan and the write */
	run_sql(path, "UPDATE accounts SET _trashfolderid = 7 WHERE _id = 1");
	struct mf_fix_report rep;
	struct mf_error e;
	assert_int_equal(apply(&rep, db, &p, bak, &e), MF_ECHANGED);
	assert_string_equal(e.msg, "another program changed the trash setting of account 1 "
			    "meanwhile; nothing written (run again)");
	/* rolled back: the backup, equal to the database, is not left behind */
	assert_int_equal(rep.stage, MF_FIX_NOTHING);
	assert_null(rep.backup);
	assert_int_equal(access(bak, F_OK), -1);
	mf_plan_free(&p);
	mf_db_close(db);
	settings_of(path, 1, s, sizeof s);
	assert_string_equal(s, "Sent|Sent|3|Trash|Trash|7|Drafts|Drafts|41");
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Another writer holds the lock: the fix waits its timeout, then refuses; nothing changes. */
static void locked(void **state)
{
	(void)state;
	char path[256], bak[256], s[512];
	make_fixture("locked.db", path, sizeof path);
	path_in(bak, sizeof bak, "locked.db.bak");
	sqlite3 *other;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE; UPDATE messages SET _read = 1",
				      NULL, NULL, NULL), SQLITE_OK);
	mf_db *db;
	struct mf_error e;
	if (mf_db_open(&db, path, MF_DB_WRITE, 300, &e))
		fail_msg("%s", e.msg);
	struct mf_plan p;
	plan_for(db, &p, 23, 9, 27);
	struct mf_fix_report rep;
	double t0 = now();
	assert_int_equal(apply(&rep, db, &p, bak, &e), MF_EBUSY);
	double waited = now() - t0;
	assert_contains(e.msg, "another program is using the database");
	assert_true(waited >= 0.25);
	assert_true(waited < 5.0);
	mf_plan_free(&p);
	mf_db_close(db);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	settings_of(path, 1, s, sizeof s);
	assert_string_equal(s, "Sent|Sent|3|Trash|Trash|4|Drafts|Drafts|41");
	assert_int_equal(access(bak, F_OK), -1);
}

/* The fixture as mkdb.sh builds it: mail.db with almost everything still in mail.db-wal. */
static void make_wal_fixture(const char *name, char *path, size_t n)
{
	char cmd[1024], d[128];
	path_in(d, sizeof d, name);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && sh " MF_DATA "mkdb.sh '%s'", d, d);
	assert_int_equal(system(cmd), 0);
	assert_true((size_t)snprintf(path, n, "%s/mail.db", d) < n);
}

static long long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/*
 * A database given through a symbolic link: SQLite uses the target's -wal file, and so
 * must every decision about it (read-only open, the truncation check, closing).
 */
static void symlinked(void **state)
{
	(void)state;
	char real[256], link_dir[256], link[300], wal[300], s[512];
	make_wal_fixture("real", real, sizeof real);
	snprintf(wal, sizeof wal, "%s-wal", real);
	long long wal_size = size_of(wal);
	assert_true(wal_size > 4096);
	path_in(link_dir, sizeof link_dir, "link");
	assert_int_equal(mkdir(link_dir, 0700), 0);
	snprintf(link, sizeof link, "%s/mail.db", link_dir);
	assert_int_equal(symlink("../real/mail.db", link), 0);
	/* read-only: the tables are in the WAL, which is read */
	mf_db *db = open_ok(link, 0);
	/* the file is named by the target's path, for the side files and the backup */
	char *target = realpath(real, NULL);
	assert_non_null(target);
	assert_string_equal(mf_db_file(db), target);
	free(target);
	struct mf_account *a;
	size_t na;
	struct mf_error e;
	assert_int_equal(mf_db_accounts(&a, &na, db, &e), 0);
	assert_int_equal(na, 2);
	mf_accounts_free(a, na);
	mf_db_close(db);
	/* opened for writing and closed without a change: the WAL stays as it was */
	db = open_ok(link, MF_DB_WRITE);
	mf_db_close(db);
	assert_int_equal(size_of(wal), wal_size);
	/* the fix through the link changes the target */
	char bak[300];
	snprintf(bak, sizeof bak, "%s/mail.db.bak", link_dir);
	db = open_ok(link, MF_DB_WRITE);
	struct mf_plan p;
	plan_for(db, &p, 23, 9, 27);
	struct mf_fix_report rep;
	if (apply(&rep, db, &p, bak, &e))
		fail_msg("%s", e.msg);
	mf_fix_report_free(&rep);
	mf_plan_free(&p);
	mf_db_close(db);
	/* folded in and removed: the target's -wal file */
	assert_int_equal(access(wal, F_OK), -1);
	settings_of(real, 1, s, sizeof s);
	assert_string_equal(s, "INBOX.Sent|INBOX.Sent|23|INBOX.Trash|INBOX.Trash|9|"
			    "INBOX.Drafts|INBOX.Drafts|27");
}

/*
 * A rollback journal left by a transaction that was interrupted (made here by copying a
 * database and its journal while a transaction has spilled pages into the file): a look
 * must not show the half-written file; opening for writing rolls it back.
 */
static void hot_journal(void **state)
{
	(void)state;
	char src[256], hot[256], journal[300], s[512];
	make_fixture("hot-src.db", src, sizeof src);
	run_sql(src, "PRAGMA journal_mode = DELETE");
	path_in(hot, sizeof hot, "hot.db");
	snprintf(journal, sizeof journal, "%s-journal", hot);
	sqlite3 *h;
	assert_int_equal(sqlite3_open(src, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA cache_size = 2; BEGIN; UPDATE accounts SET "
		"_sentfolderid = 999 WHERE _id = 1; CREATE TABLE pad (x); WITH RECURSIVE n(i) AS "
		"(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO pad SELECT "
		"randomblob(2000) FROM n", NULL, NULL, NULL), SQLITE_OK);
	char from[300];
	copy_file(src, hot);
	snprintf(from, sizeof from, "%s-journal", src);
	copy_file(from, journal);
	sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(h);
	/* the file alone holds the uncommitted 999 */
	char uri[320];
	sqlite3_stmt *st;
	snprintf(uri, sizeof uri, "file:%s?immutable=1", hot);
	assert_int_equal(sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT _sentfolderid FROM accounts WHERE _id = 1",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 999);
	sqlite3_finalize(st);
	sqlite3_close(h);
	mf_db *db;
	struct mf_error e;
	assert_int_equal(mf_db_open(&db, hot, 0, 100, &e), MF_EJOURNAL);
	assert_contains(e.msg, "its -journal file holds a transaction that was interrupted");
	assert_int_equal(access(journal, F_OK), 0);
	db = open_ok(hot, MF_DB_WRITE);
	assert_true(mf_db_rolled_back(db));
	struct mf_account *a;
	size_t na;
	assert_int_equal(mf_db_accounts(&a, &na, db, &e), 0);
	assert_int_equal(a[0].set[MF_SENT].id, 3);
	mf_accounts_free(a, na);
	mf_db_close(db);
	assert_int_equal(access(journal, F_OK), -1);
	settings_of(hot, 1, s, sizeof s);
	assert_string_equal(s, "Sent|Sent|3|Trash|Trash|4|Drafts|Drafts|41");
	db = open_ok(hot, 0);
	assert_false(mf_db_rolled_back(db));
	mf_db_close(db);
}

/*
 * The seed's fix (23, 9, 27) on a fresh fixture NAME.db after the SQL setup, backup
 * NAME.db.bak; returns mf_fix_apply's result, with its report (to free) and error, and the
 * settings of account 1 afterwards in s.
 */
static int fix_after(const char *name, const char *setup_sql, struct mf_fix_report *rep,
		     struct mf_error *e, char *bak, size_t baksz, char *s, size_t n)
{
	char path[256], file[64];
	snprintf(file, sizeof file, "%s.db", name);
	make_fixture(file, path, sizeof path);
	snprintf(file, sizeof file, "%s.db.bak", name);
	path_in(bak, baksz, file);
	run_sql(path, setup_sql);
	mf_db *db = open_ok(path, MF_DB_WRITE);
	struct mf_plan p;
	plan_for(db, &p, 23, 9, 27);
	int rc = apply(rep, db, &p, bak, e);
	mf_plan_free(&p);
	mf_db_close(db);
	settings_of(path, 1, s, n);
	return rc;
}

/*
 * Triggers on accounts. One that changes other rows: those are not the update's rows (the
 * fix counts what each UPDATE changes itself, sqlite3_changes, not the connection's total),
 * so the fix goes through.
 */
static void trigger_on_accounts(void **state)
{
	(void)state;
	char bak[256], s[512];
	struct mf_fix_report rep;
	struct mf_error e;
	if (fix_after("trigger", "CREATE TRIGGER touch AFTER UPDATE ON accounts BEGIN UPDATE "
		      "mailboxs SET _lastuid = 'seen' WHERE _account = new._id; END;", &rep, &e,
		      bak, sizeof bak, s, sizeof s))
		fail_msg("%s", e.msg);
	assert_int_equal(rep.stage, MF_FIX_COMMITTED);
	assert_string_equal(s, "INBOX.Sent|INBOX.Sent|23|INBOX.Trash|INBOX.Trash|9|"
			    "INBOX.Drafts|INBOX.Drafts|27");
	mf_fix_report_free(&rep);
}

/* One that swallows the update: refused, rolled back, no backup left. */
static void trigger_ignores_update(void **state)
{
	(void)state;
	char bak[256], s[512];
	struct mf_fix_report rep;
	struct mf_error e;
	assert_int_equal(fix_after("ignore", "CREATE TRIGGER keep BEFORE UPDATE OF _trashfolderid "
				   "ON accounts BEGIN SELECT RAISE(IGNORE); END;", &rep, &e, bak,
				   sizeof bak, s, sizeof s), MF_ECHANGED);
	assert_string_equal(e.msg, "updating the trash setting changed 0 rows of accounts, not 1");
	assert_int_equal(rep.stage, MF_FIX_NOTHING);
	assert_null(rep.backup);
	assert_int_equal(access(bak, F_OK), -1);
	assert_string_equal(s, "Sent|Sent|3|Trash|Trash|4|Drafts|Drafts|41");
}

/* One that rewrites a setting after the update: committed, and the read-back says so. */
static void trigger_rewrites_setting(void **state)
{
	(void)state;
	char bak[256], s[512];
	struct mf_fix_report rep;
	struct mf_error e;
	assert_int_equal(fix_after("rewrite", "CREATE TRIGGER rewrite AFTER UPDATE OF "
				   "_sentfolderid ON accounts BEGIN UPDATE accounts SET "
				   "_sentfoldertext = 'Gesendet' WHERE _id = new._id; END;", &rep,
				   &e, bak, sizeof bak, s, sizeof s), MF_ECHANGED);
	assert_contains(e.msg, "the sent setting read back after the commit is not the one written");
	assert_int_equal(rep.stage, MF_FIX_COMMITTED);
	assert_string_equal(rep.backup, bak);
	assert_int_equal(access(bak, F_OK), 0);
	assert_string_equal(s, "INBOX.Sent|Gesendet|23|INBOX.Trash|INBOX.Trash|9|"
			    "INBOX.Drafts|INBOX.Drafts|27");
	mf_fix_report_free(&rep);
}

/* A backup that cannot be made is refused before anything is written (not even a checkpoint). */
static void backup_refused_first(void **state)
{
	(void)state;
	char path[256], wal[300], bak[300];
	make_wal_fixture("first", path, sizeof path);
	snprintf(wal, sizeof wal, "%s-wal", path);
	long long wal_size = size_of(wal);
	snprintf(bak, sizeof bak, "%s.bak", path);
	write_file(bak, "keep me", 7);
	mf_db *db = open_ok(path, MF_DB_WRITE);
	struct mf_plan p;
	plan_for(db, &p, 23, 9, 27);
	struct mf_fix_report rep;
	struct mf_error e;
	assert_int_equal(apply(&rep, db, &p, bak, &e), MF_EIO);
	assert_contains(e.msg, "exists already");
	assert_int_equal(rep.stage, MF_FIX_NOTHING);
	assert_int_equal(size_of(wal), wal_size);
	snprintf(bak, sizeof bak, "%s/no/such/dir/mail.db.bak", dir);
	assert_int_equal(apply(&rep, db, &p, bak, &e), MF_EIO);
	assert_contains(e.msg, "cannot create the backup");
	assert_contains(e.msg, "its directory: No such file or directory");
	assert_int_equal(rep.stage, MF_FIX_NOTHING);
	assert_int_equal(size_of(wal), wal_size);
	mf_plan_free(&p);
	mf_db_close(db);
	assert_int_equal(size_of(wal), wal_size);
}

/* Pages of 1024 bytes (older Android): the in-memory copy takes the database's page size. */
static void small_pages(void **state)
{
	(void)state;
	char path[256], orig[256], bak[256];
	path_in(path, sizeof path, "small.db");
	path_in(orig, sizeof orig, "small-orig.db");
	path_in(bak, sizeof bak, "small.db.bak");
	char *sql = slurp(MF_DATA "mail.sql", NULL);
	char *all = malloc(strlen(sql) + 64);
	assert_non_null(all);
	sprintf(all, "PRAGMA page_size = 1024;\n%s", sql);
	run_sql(path, all);
	free(all);
	free(sql);
	copy_file(path, orig);
	mf_db *db = open_ok(path, MF_DB_WRITE);
	struct mf_plan p;
	plan_for(db, &p, 23, 9, 27);
	struct mf_fix_report rep;
	struct mf_error e;
	if (apply(&rep, db, &p, bak, &e))
		fail_msg("%s", e.msg);
	mf_fix_report_free(&rep);
	mf_plan_free(&p);
	mf_db_close(db);
	assert_int_equal(mf_db_same_content(bak, orig, &e), 0);
	/* the backup is a database of 1024-byte pages, in WAL mode like the original */
	unsigned char hdr[20];
	FILE *f = fopen(bak, "rb");
	assert_non_null(f);
	assert_int_equal(fread(hdr, 1, sizeof hdr, f), sizeof hdr);
	fclose(f);
	assert_int_equal(hdr[16] << 8 | hdr[17], 1024);
	assert_int_equal(hdr[18], 2);
}

static char seen_temp[512];
static int temp_calls;

static void note_temp(const char *path, void *arg)
{
	assert_ptr_equal(arg, &temp_calls);
	temp_calls++;
	if (path) {
		snprintf(seen_temp, sizeof seen_temp, "%s", path);
		assert_int_equal(access(path, F_OK), 0);
	} else {
		assert_int_equal(access(seen_temp, F_OK), -1);
	}
}

/* The temporary backup file is announced and then gone: a signal handler can remove it. */
static void temp_file_announced(void **state)
{
	(void)state;
	char path[256], bak[256];
	make_fixture("temp.db", path, sizeof path);
	path_in(bak, sizeof bak, "temp.db.bak");
	mf_db *db = open_ok(path, MF_DB_WRITE);
	struct mf_plan p;
	plan_for(db, &p, 23, 9, 27);
	struct mf_fix_report rep;
	struct mf_error e;
	struct mf_fix_opts o = { bak, note_temp, &temp_calls };
	if (mf_fix_apply(&rep, db, &p, &o, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(temp_calls, 2);
	assert_int_equal(strncmp(seen_temp, bak, strlen(bak)), 0);
	assert_int_equal(strncmp(seen_temp + strlen(bak), ".tmp-", 5), 0);
	mf_fix_report_free(&rep);
	mf_plan_free(&p);
	mf_db_close(db);
}

/* Every status has a name. */
static void status_names(void **state)
{
	(void)state;
	for (int c = MF_OK; c >= MF_EJOURNAL; c--)
		assert_string_not_equal(mf_strerror(c), "unknown error");
	assert_string_equal(mf_strerror(MF_EREADONLY), "read-only");
	assert_string_equal(mf_strerror(MF_EJOURNAL), "an interrupted transaction to roll back");
	assert_string_equal(mf_strerror(-99), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads),
		cmocka_unit_test(not_databases),
		cmocka_unit_test(wrong_schema),
		cmocka_unit_test(plan_sql),
		cmocka_unit_test(plan_sql_escapes),
		cmocka_unit_test(fix),
		cmocka_unit_test(backup_never_overwritten),
		cmocka_unit_test(changed_meanwhile),
		cmocka_unit_test(locked),
		cmocka_unit_test(symlinked),
		cmocka_unit_test(hot_journal),
		cmocka_unit_test(trigger_on_accounts),
		cmocka_unit_test(trigger_ignores_update),
		cmocka_unit_test(trigger_rewrites_setting),
		cmocka_unit_test(backup_refused_first),
		cmocka_unit_test(temp_file_announced),
		cmocka_unit_test(small_pages),
		cmocka_unit_test(status_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
