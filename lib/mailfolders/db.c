/*
 * db.c - the mail app's SQLite database: opening it carefully, reading accounts and
 * mailboxes, and the fix (backup, one transaction, checks before and after).
 *
 * SQLite does the hard parts: the online backup API copies a consistent snapshot page by
 * page; a transaction either commits whole or not at all (the WAL or the rollback journal
 * makes that so even when the process dies); PRAGMA integrity_check reads every page.
 * Connections are opened with SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE so that closing one never
 * rewrites the files behind our back: every checkpoint here is an explicit one.
 *
 * The database is named once by its real path (symbolic links resolved), because SQLite
 * looks for the -wal, -shm and -journal files beside the target of a link: every decision
 * about those files is made on the same names SQLite uses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

struct mf_db {
	sqlite3 *h;
	char *path;		/* as given, for messages */
	char *real;		/* realpath(path): what SQLite opens */
	bool write;
	int timeout_ms;
	char journal[16];	/* "wal", "delete", ... */
	bool wal_header;	/* the file header says WAL mode */
	bool has_email;		/* accounts._emailaddress */
	bool has_serverfolder;	/* mailboxs._serverfolder */
	bool wal_existed;	/* the -wal file was there when the database was opened */
	bool rolled_back;	/* opening for writing rolled a hot journal back */
};

static const char hot_journal[] =
	"its -journal file holds a transaction that was interrupted (a program was stopped "
	"while writing): the database file alone is half-written until SQLite rolls that "
	"journal back";

static int db_fail(struct mf_error *err, sqlite3 *h, int code, const char *what)
{
	if (h && sqlite3_extended_errcode(h) == SQLITE_READONLY_ROLLBACK)
		return mf__fail(err, MF_EJOURNAL, "%s", hot_journal);
	int ec = h ? sqlite3_errcode(h) : SQLITE_ERROR;
	if (ec == SQLITE_BUSY || ec == SQLITE_LOCKED)
		code = MF_EBUSY;
	else if (ec == SQLITE_NOTADB || ec == SQLITE_CORRUPT)
		code = MF_ENOTDB;
	else if (ec == SQLITE_NOMEM)
		code = MF_ENOMEM;
	else if (ec == SQLITE_IOERR || ec == SQLITE_FULL || ec == SQLITE_CANTOPEN ||
		 ec == SQLITE_READONLY)
		code = MF_EIO;
	return mf__fail(err, code, "%s: %s", what, h ? sqlite3_errmsg(h) : "out of memory");
}

static int no_memory(struct mf_error *err)
{
	return mf__fail(err, MF_ENOMEM, "out of memory");
}

/* Run SQL that returns no rows we need. */
static int exec(mf_db *db, const char *sql, const char *what, struct mf_error *err)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(err, db->h, MF_EIO, what);
	return 0;
}

/* Prepare sql (from sqlite3_mprintf, freed here; NULL when it ran out of memory). */
static int prepare_owned(mf_db *db, sqlite3_stmt **st, char *sql, int code, const char *what,
			 struct mf_error *err)
{
	if (!sql)
		return no_memory(err);
	int rc = sqlite3_prepare_v2(db->h, sql, -1, st, NULL);
	sqlite3_free(sql);
	return rc == SQLITE_OK ? 0 : db_fail(err, db->h, code, what);
}

/* path followed by suffix, malloc'ed (no fixed-size buffer: paths have no useful limit). */
static char *side_name(const char *path, const char *suffix)
{
	size_t a = strlen(path), b = strlen(suffix);
	char *s = malloc(a + b + 1);
	if (s) {
		memcpy(s, path, a);
		memcpy(s + a, suffix, b + 1);
	}
	return s;
}

/* Whether path + suffix exists: 1 or 0; MF_ENOMEM. */
static int side_exists(const char *path, const char *suffix, struct stat *st)
{
	struct stat ignored;
	char *s = side_name(path, suffix);
	if (!s)
		return MF_ENOMEM;
	int found = lstat(s, st ? st : &ignored) == 0;
	free(s);
	return found;
}

/* The directory of path, malloc'ed. */
static char *dir_of(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return NULL;
	char *d = strdup(dirname(copy));
	free(copy);
	return d;
}

/* The columns of a table, lower-cased into names[] (n of them); 0 when the table is missing. */
static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int table_columns(mf_db *db, const char *table, char ***names, size_t *n,
			 struct mf_error *err)
{
	sqlite3_stmt *st = NULL;
	char **v = NULL;
	size_t k = 0;
	int rc = 0, s;
	if (sqlite3_prepare_v2(db->h, "SELECT name FROM pragma_table_info(?1)", -1, &st,
			       NULL) != SQLITE_OK)
		return db_fail(err, db->h, MF_ENOTDB, "reading the schema");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		char **w = realloc(v, (k + 1) * sizeof *w);
		if (!w) {
			rc = no_memory(err);
			break;
		}
		v = w;
		if (!c || !(v[k] = strdup(c))) {
			rc = no_memory(err);
			break;
		}
		k++;
	}
	if (!rc && s != SQLITE_DONE)
		rc = db_fail(err, db->h, MF_ENOTDB, "reading the schema");
	sqlite3_finalize(st);
	if (rc) {
		free_names(v, k);
		return rc;
	}
	*names = v;
	*n = k;
	return 0;
}

static bool has_name(char **v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], name) == 0)
			return true;
	return false;
}

/* Every required column present, else MF_ESCHEMA naming each missing one. */
static int check_schema(mf_db *db, struct mf_error *err)
{
	struct mf_buf missing = { 0 };
	const char *tables[] = { "accounts", "mailboxs" };
	size_t nmissing = 0;
	int rc = 0;
	for (size_t t = 0; t < 2 && !rc; t++) {
		char **cols = NULL;
		size_t n = 0;
		if ((rc = table_columns(db, tables[t], &cols, &n, err)))
			break;
		if (n == 0) {
			rc = mf__buf_addf(&missing, "%stable %s", nmissing ? ", " : "", tables[t]);
			nmissing++;
		}
		for (const struct mf_column *c = mf_required_columns; n && c->table && !rc; c++) {
			if (strcmp(c->table, tables[t]) != 0 || has_name(cols, n, c->column))
				continue;
			rc = mf__buf_addf(&missing, "%s%s.%s", nmissing ? ", " : "", c->table,
					  c->column);
			nmissing++;
		}
		if (t == 0)
			db->has_email = has_name(cols, n, "_emailaddress");
		else
			db->has_serverfolder = has_name(cols, n, "_serverfolder");
		free_names(cols, n);
		if (rc == MF_ENOMEM)
			no_memory(err);
	}
	if (!rc && nmissing)
		rc = mf__fail(err, MF_ESCHEMA, "not the mail app's schema: missing %s",
			      missing.data);
	mf__buf_free(&missing);
	return rc;
}

/* The longest database path SQLite's unix VFS opens: room is left for "-journal". 0: unknown. */
static size_t path_limit(void)
{
	sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
	return vfs && vfs->mxPathname > 8 ? (size_t)vfs->mxPathname - 8 : 0;
}

/*
 * The file must exist, be a regular file and start with the SQLite header; sets db->real
 * (symbolic links resolved) and db->wal_header.
 */
static int check_file(mf_db *db, struct mf_error *err)
{
	struct stat st;
	if (stat(db->path, &st) != 0) {
		if (errno == ENOENT)
			return mf__fail(err, MF_ENOTFOUND, "%s", strerror(errno));
		return mf__fail(err, MF_EIO, "%s", strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return mf__fail(err, MF_EIO, "is a directory, not a database file");
	if (!S_ISREG(st.st_mode))
		return mf__fail(err, MF_EIO, "is not a regular file");
	if (!(db->real = realpath(db->path, NULL)))
		return errno == ENOMEM ? no_memory(err) : mf__fail(err, MF_EIO, "%s", strerror(errno));
	size_t limit = path_limit();
	if (limit && strlen(db->real) > limit)
		return mf__fail(err, MF_EIO, "its full path is %zu bytes long, and SQLite opens no "
				"database whose path is longer than %zu bytes; move it, or a copy, to "
				"a shorter path", strlen(db->real), limit);
	int fd = open(db->real, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mf__fail(err, MF_EIO, "%s", strerror(errno));
	unsigned char hdr[100];
	ssize_t k;
	do
		k = read(fd, hdr, sizeof hdr);
	while (k < 0 && errno == EINTR);
	int read_errno = errno;
	close(fd);
	if (k < 0)
		return mf__fail(err, MF_EIO, "%s", strerror(read_errno));
	if (k == 0)
		return mf__fail(err, MF_ENOTDB, "is empty, not a SQLite database");
	if (k < 16 || memcmp(hdr, "SQLite format 3", 16) != 0)
		return mf__fail(err, MF_ENOTDB, "is not a SQLite database (it does not start "
				"with \"SQLite format 3\")");
	if (k < 100)
		return mf__fail(err, MF_ENOTDB, "is a truncated SQLite database (%zd bytes, "
				"shorter than its 100-byte header)", k);
	db->wal_header = hdr[18] == 2 || hdr[19] == 2;
	/* the page count in the header is valid when the two change counters agree */
	uint32_t psize = (uint32_t)hdr[16] << 8 | hdr[17];
	if (psize == 1)
		psize = 65536;
	uint32_t pages = (uint32_t)hdr[28] << 24 | (uint32_t)hdr[29] << 16 |
			 (uint32_t)hdr[30] << 8 | hdr[31];
	bool valid = memcmp(hdr + 24, hdr + 92, 4) == 0;
	if (valid && pages && psize >= 512 && (uint64_t)pages * psize > (uint64_t)st.st_size) {
		/* in WAL mode the newest pages may still be in the -wal file */
		struct stat wst;
		int w = side_exists(db->real, "-wal", &wst);
		if (w < 0)
			return no_memory(err);
		if (!(db->wal_header && w && wst.st_size > 0))
			return mf__fail(err, MF_ENOTDB, "is a truncated SQLite database (%lld bytes; "
					"its header says %u pages of %u bytes)",
					(long long)st.st_size, pages, psize);
	}
	return 0;
}

/*
 * Before anything is written: the file, its directory, and any -wal, -shm and -journal
 * file, writable (SQLite opens a hot -journal read-write to roll it back).
 */
static int check_writable(mf_db *db, struct mf_error *err)
{
	if (access(db->real, W_OK) != 0) {
		int e = errno;
		if (e == EROFS)
			return mf__fail(err, MF_EREADONLY, "is on a read-only file system; work on a "
					"copy elsewhere");
		return mf__fail(err, MF_EREADONLY, "is read-only (%s); make it writable (chmod u+w "
				"%s) or work on a copy", strerror(e), db->path);
	}
	char *dir = dir_of(db->real);
	if (!dir)
		return no_memory(err);
	int rc = 0;
	if (access(dir, W_OK | X_OK) != 0)
		rc = mf__fail(err, MF_EREADONLY, "its directory %s is read-only (%s), and SQLite "
			      "writes its -journal or -wal file there; make the directory writable "
			      "or work on a copy elsewhere", dir, strerror(errno));
	free(dir);
	static const char *const sides[] = { "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof sides / sizeof sides[0] && !rc; i++) {
		const char *suffix = sides[i];
		char *s = side_name(db->real, suffix);
		if (!s)
			return no_memory(err);
		if (access(s, F_OK) == 0 && access(s, W_OK) != 0)
			rc = mf__fail(err, MF_EREADONLY, "its %s file %s is read-only (%s); make it "
				      "writable or work on a copy", suffix, s, strerror(errno));
		free(s);
	}
	return rc;
}

static int query_text(mf_db *db, const char *sql, char *out, size_t outsz, struct mf_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, db->h, MF_ENOTDB, sql);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		snprintf(out, outsz, "%s", t ? t : "");
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 0 : db_fail(err, db->h, MF_ENOTDB, sql);
	}
	sqlite3_finalize(st);
	return rc;
}

/* "file:PATH?immutable=1" with the path %-escaped where a URI needs it. */
static int immutable_uri(struct mf_buf *uri, const char *path)
{
	int rc = mf__buf_add(uri, "file:", 5);
	for (const char *p = path; *p && !rc; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '?' || c == '#' || c == '%' || c <= 0x20 || c >= 0x7f)
			rc = mf__buf_addf(uri, "%%%02X", c);
		else
			rc = mf__buf_addc(uri, (char)c);
	}
	return rc ? rc : mf__buf_add(uri, "?immutable=1", 12);
}

/*
 * A read-only connection is an ordinary one (it takes SQLite's locks, reads the -wal file,
 * and refuses a hot rollback journal with SQLITE_READONLY_ROLLBACK), except for a WAL
 * database with neither a -wal nor a -journal file beside it: that one is opened
 * "immutable", because an ordinary connection would create -wal and -shm files, and a
 * look should leave the directory as it was. With no -wal file no connection has the
 * database open in WAL mode, and with no -journal no transaction is half-written in it.
 */
static int open_conn(mf_db *db, bool write, struct mf_error *err)
{
	bool immutable = false;
	if (!write) {
		int w = side_exists(db->real, "-wal", NULL), j = side_exists(db->real, "-journal", NULL);
		if (w < 0 || j < 0)
			return no_memory(err);
		db->wal_existed = w;
		immutable = db->wal_header && !w && !j;
	}
	int flags = write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
	struct mf_buf uri = { 0 };
	if (immutable) {
		if (immutable_uri(&uri, db->real)) {
			mf__buf_free(&uri);
			return no_memory(err);
		}
		flags |= SQLITE_OPEN_URI;
	}
	int rc = 0;
	if (sqlite3_open_v2(immutable ? uri.data : db->real, &db->h, flags, NULL) != SQLITE_OK) {
		rc = db_fail(err, db->h, MF_EIO, "cannot open it");
		sqlite3_close(db->h);
		db->h = NULL;
	}
	mf__buf_free(&uri);
	if (rc)
		return rc;
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
	sqlite3_busy_timeout(db->h, db->timeout_ms);
	sqlite3_extended_result_codes(db->h, 0);
	if ((rc = query_text(db, "PRAGMA journal_mode", db->journal, sizeof db->journal, err)) ||
	    (rc = check_schema(db, err)))
		return rc;
	for (char *p = db->journal; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	if (write && sqlite3_db_readonly(db->h, "main") == 1)
		return mf__fail(err, MF_EREADONLY, "SQLite could open it only read-only; make it "
				"and its directory writable, or work on a copy");
	return 0;
}

int mf_db_open(mf_db **out, const char *path, unsigned flags, int timeout_ms,
	       struct mf_error *err)
{
	mf__clear(err);
	mf_db *db = calloc(1, sizeof *db);
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return no_memory(err);
	}
	db->write = flags & MF_DB_WRITE;
	db->timeout_ms = timeout_ms;
	int rc = check_file(db, err);
	/* look first without writing anything; only a database that passes is opened for writing */
	if (!rc)
		rc = open_conn(db, false, err);
	if (db->write && (!rc || rc == MF_EJOURNAL)) {
		/* an interrupted transaction: SQLite rolls it back as the writer opens the file */
		bool hot = rc == MF_EJOURNAL;
		sqlite3_close(db->h);
		db->h = NULL;
		mf__clear(err);
		if (!(rc = check_writable(db, err)) && !(rc = open_conn(db, true, err)))
			db->rolled_back = hot;
	}
	if (rc) {
		mf_db_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

void mf_db_close(mf_db *db)
{
	if (!db)
		return;
	/*
	 * A -wal file that was not there before holds nothing but what this connection wrote:
	 * closing may fold it in and remove it with its -shm, as SQLite does by default, so that
	 * even a run that changed nothing leaves the directory as it found it.
	 */
	if (db->h && db->write && !db->wal_existed)
		sqlite3_db_config(db->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
	sqlite3_close(db->h);
	free(db->path);
	free(db->real);
	free(db);
}

const char *mf_db_file(const mf_db *db)
{
	return db->real;
}

bool mf_db_rolled_back(const mf_db *db)
{
	return db->rolled_back;
}

bool mf_db_has_column(const mf_db *db, const char *table, const char *column)
{
	if (strcmp(table, "accounts") == 0 && strcmp(column, "_emailaddress") == 0)
		return db->has_email;
	if (strcmp(table, "mailboxs") == 0 && strcmp(column, "_serverfolder") == 0)
		return db->has_serverfolder;
	for (const struct mf_column *c = mf_required_columns; c->table; c++)
		if (strcmp(c->table, table) == 0 && strcmp(c->column, column) == 0)
			return true;
	return false;
}

const char *mf_db_journal_mode(const mf_db *db)
{
	return db->journal;
}

static int integrity(sqlite3 *h, const char *what, struct mf_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, h, MF_ENOTDB, what);
	int rc = 0;
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_fail(err, h, MF_ENOTDB, what);
	} else {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (!t || strcmp(t, "ok") != 0)
			rc = mf__fail(err, MF_ENOTDB, "%s: PRAGMA integrity_check says \"%.300s\"",
				      what, t ? t : "(nothing)");
	}
	sqlite3_finalize(st);
	return rc;
}

int mf_db_integrity(mf_db *db, struct mf_error *err)
{
	return integrity(db->h, "checking the database", err);
}

int mf_db_checkpoint(mf_db *db, struct mf_error *err)
{
	if (strcmp(db->journal, "wal") != 0 || !db->write)
		return 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, db->h, MF_EIO, "checkpointing the WAL");
	int rc = 0;
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = db_fail(err, db->h, MF_EIO, "checkpointing the WAL");
	else if (sqlite3_column_int(st, 0))
		rc = mf__fail(err, MF_EBUSY, "another program is using the database: the WAL "
			      "checkpoint could not complete within %d ms", db->timeout_ms);
	sqlite3_finalize(st);
	return rc;
}

/* A text column, copied (NULL for NULL); MF_ENOMEM when the copy fails. */
static int col_text(sqlite3_stmt *st, int i, char **out)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t) {
		/* NULL for a NULL value (or an empty blob), and when SQLite ran out of memory */
		*out = NULL;
		return sqlite3_column_type(st, i) != SQLITE_NULL &&
		       sqlite3_errcode(sqlite3_db_handle(st)) == SQLITE_NOMEM ? MF_ENOMEM : 0;
	}
	*out = strdup((const char *)t);
	return *out ? 0 : MF_ENOMEM;
}

/* An id column: an integer, or text that is one; else none. */
static bool col_id(sqlite3_stmt *st, int i, int64_t *out)
{
	int type = sqlite3_column_type(st, i);
	if (type == SQLITE_INTEGER) {
		*out = sqlite3_column_int64(st, i);
		return true;
	}
	if (type == SQLITE_TEXT) {
		const char *t = (const char *)sqlite3_column_text(st, i);
		char *end;
		if (t && *t) {
			long long v = strtoll(t, &end, 10);
			if (*end == '\0') {
				*out = v;
				return true;
			}
		}
	}
	return false;
}

static const char account_cols[] =
	"_id, _name, %s, _sentfolder, _sentfoldertext, _sentfolderid, _trashfolder, "
	"_trashfoldertext, _trashfolderid, _draftfolder, _draftfoldertext, _draftfolderid";

/* One row of prepare_accounts into *a (zeroed by the caller); MF_ENOMEM. */
static int read_account(void *row, sqlite3_stmt *st)
{
	struct mf_account *a = row;
	int64_t id = 0;
	col_id(st, 0, &id);
	a->id = id;
	int rc = col_text(st, 1, &a->name) | col_text(st, 2, &a->email);
	for (int r = 0; r < MF_NROLES; r++) {
		rc |= col_text(st, 3 + 3 * r, &a->set[r].folder);
		rc |= col_text(st, 4 + 3 * r, &a->set[r].text);
		a->set[r].has_id = col_id(st, 5 + 3 * r, &a->set[r].id);
	}
	return rc ? MF_ENOMEM : 0;
}

static void account_clear(void *row)
{
	struct mf_account *a = row;
	free(a->name);
	free(a->email);
	for (int r = 0; r < MF_NROLES; r++) {
		free(a->set[r].folder);
		free(a->set[r].text);
	}
	memset(a, 0, sizeof *a);
}

/* SELECT the account columns, all accounts or one (id >= 0). */
static int prepare_accounts(mf_db *db, sqlite3_stmt **st, int64_t id, struct mf_error *err)
{
	char cols[512];
	snprintf(cols, sizeof cols, account_cols, db->has_email ? "_emailaddress" : "NULL");
	int rc = prepare_owned(db, st, sqlite3_mprintf("SELECT %s FROM accounts %s ORDER BY _id",
						       cols, id >= 0 ? "WHERE _id = ?1" : ""),
			       MF_ENOTDB, "reading the accounts", err);
	if (rc)
		return rc;
	if (id >= 0)
		sqlite3_bind_int64(*st, 1, id);
	return 0;
}

/* Clear each of n elements of size bytes, and free the array. */
static void free_rows(void *v, size_t n, size_t size, void (*clear)(void *row))
{
	for (size_t i = 0; v && i < n; i++)
		clear((char *)v + i * size);
	free(v);
}

/*
 * Step st to the end, reading each row into a growing array of size-byte elements (zeroed
 * before read); st is finalized. On failure every element read is cleared and freed.
 */
static int collect_rows(void **out, size_t *n, sqlite3_stmt *st, size_t size,
			int (*read)(void *row, sqlite3_stmt *st), void (*clear)(void *row),
			mf_db *db, const char *what, struct mf_error *err)
{
	char *v = NULL;
	size_t k = 0;
	int rc = 0, s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		char *w = realloc(v, (k + 1) * size);
		if (!w) {
			rc = MF_ENOMEM;
			break;
		}
		v = w;
		memset(v + k * size, 0, size);
		rc = read(v + k++ * size, st);
		if (rc)
			break;
	}
	if (rc)
		no_memory(err);
	else if (s != SQLITE_DONE)
		rc = db_fail(err, db->h, MF_ENOTDB, what);
	sqlite3_finalize(st);
	if (rc) {
		free_rows(v, k, size, clear);
		return rc;
	}
	*out = v;
	*n = k;
	return 0;
}

int mf_db_accounts(struct mf_account **out, size_t *n, mf_db *db, struct mf_error *err)
{
	sqlite3_stmt *st;
	int rc = prepare_accounts(db, &st, -1, err);
	void *v;
	if (!rc && !(rc = collect_rows(&v, n, st, sizeof **out, read_account, account_clear, db,
				       "reading the accounts", err)))
		*out = v;
	return rc;
}

void mf_accounts_free(struct mf_account *a, size_t n)
{
	free_rows(a, n, sizeof *a, account_clear);
}

static int read_mailbox(void *row, sqlite3_stmt *st)
{
	struct mf_mailbox *m = row;
	int64_t x = 0;
	col_id(st, 0, &x);
	m->id = x;
	x = -1;
	col_id(st, 1, &x);
	m->account = x;
	if (col_text(st, 2, &m->undecodename) | col_text(st, 3, &m->decodename) |
	    col_text(st, 4, &m->shortname))
		return MF_ENOMEM;
	m->serverfolder = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1
			  : sqlite3_column_int(st, 5) != 0;
	if (m->undecodename) {
		struct mf_error ignored;
		int rc = mf_mutf7_decode(&m->undecoded_utf8, m->undecodename,
					 strlen(m->undecodename), &ignored);
		if (rc == MF_ENOMEM)
			return rc;
		if (rc)
			m->undecoded_utf8 = NULL;	/* not modified UTF-7: matched on the others */
	}
	return 0;
}

static void mailbox_clear(void *row)
{
	struct mf_mailbox *m = row;
	free(m->undecodename);
	free(m->decodename);
	free(m->shortname);
	free(m->undecoded_utf8);
	memset(m, 0, sizeof *m);
}

int mf_db_mailboxes(struct mf_mailbox **out, size_t *n, mf_db *db, int64_t account,
		    struct mf_error *err)
{
	sqlite3_stmt *st;
	int rc = prepare_owned(db, &st, sqlite3_mprintf("SELECT _id, _account, _undecodename, "
					"_decodename, _shortname, %s FROM mailboxs %s ORDER BY _id",
					db->has_serverfolder ? "_serverfolder" : "NULL",
					account >= 0 ? "WHERE _account = ?1" : ""),
			       MF_ENOTDB, "reading the mailboxes", err);
	if (rc)
		return rc;
	if (account >= 0)
		sqlite3_bind_int64(st, 1, account);
	void *v;
	if (!(rc = collect_rows(&v, n, st, sizeof **out, read_mailbox, mailbox_clear, db,
				"reading the mailboxes", err)))
		*out = v;
	return rc;
}

void mf_mailboxes_free(struct mf_mailbox *m, size_t n)
{
	free_rows(m, n, sizeof *m, mailbox_clear);
}

/* ---- the plan */

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_setting(const struct mf_setting *a, const struct mf_setting *b)
{
	return same_str(a->folder, b->folder) && same_str(a->text, b->text) &&
	       a->has_id == b->has_id && (!a->has_id || a->id == b->id);
}

static int copy_setting(struct mf_setting *d, const struct mf_setting *s)
{
	d->has_id = s->has_id;
	d->id = s->id;
	d->folder = mf__strdup(s->folder);
	d->text = mf__strdup(s->text);
	return (s->folder && !d->folder) || (s->text && !d->text) ? MF_ENOMEM : 0;
}

/*
 * s as a SQL string literal that is safe to print: quotes doubled; control characters
 * (C0, DEL and C1) as ' || char(N) || ', bytes that are not UTF-8 as
 * ' || CAST(X'HH' AS TEXT) || ', so that the text is exact SQL and holds no raw control
 * byte for a terminal to obey.
 */
static int sql_quote(struct mf_buf *b, const char *s)
{
	if (!s)
		return mf__buf_add(b, "NULL", 4);
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);
	int rc = mf__buf_addc(b, '\'');
	for (size_t i = 0; i < len && !rc;) {
		size_t at = i;
		long cp = mf__utf8_next(u, len, &i);
		if (cp < 0) {
			rc = mf__buf_addf(b, "' || CAST(X'%02X' AS TEXT) || '", u[at]);
			i = at + 1;
		} else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			rc = mf__buf_addf(b, "' || char(%ld) || '", cp);
		} else if (cp == '\'') {
			rc = mf__buf_add(b, "''", 2);
		} else {
			rc = mf__buf_add(b, s + at, i - at);
		}
	}
	return rc ? rc : mf__buf_addc(b, '\'');
}

/* The seed's statement for one role, as --dry-run prints it. */
static int plan_line(struct mf_buf *sql, const struct mf_role_info *ri,
		     const struct mf_setting *s, int64_t account)
{
	int rc = mf__buf_addf(sql, "update accounts set %s = ", ri->folder_col);
	rc = rc ? rc : sql_quote(sql, s->folder);
	rc = rc ? rc : mf__buf_addf(sql, ", %s = ", ri->text_col);
	rc = rc ? rc : sql_quote(sql, s->text);
	return rc ? rc : mf__buf_addf(sql, ", %s = %lld where _id=%lld;\n", ri->id_col,
				      (long long)s->id, (long long)account);
}

int mf_plan_make(struct mf_plan *out, const struct mf_account *a,
		 const struct mf_mailbox *const chosen[MF_NROLES], struct mf_error *err)
{
	struct mf_plan p;
	struct mf_buf sql = { 0 };
	memset(&p, 0, sizeof p);
	p.account = a->id;
	int rc = mf__buf_add(&sql, "", 0);
	for (int r = 0; r < MF_NROLES && !rc; r++) {
		const struct mf_mailbox *m = chosen[r];
		if ((rc = copy_setting(&p.before[r], &a->set[r])))
			break;
		if (!m) {
			rc = copy_setting(&p.after[r], &a->set[r]);
			continue;
		}
		const char *text = m->decodename && *m->decodename ? m->decodename
				   : m->undecoded_utf8 ? m->undecoded_utf8 : m->shortname;
		if (m->undecodename && *m->undecodename) {
			p.after[r].folder = strdup(m->undecodename);
		} else if (text) {
			struct mf_error e2;
			rc = mf_mutf7_encode(&p.after[r].folder, text, strlen(text), &e2);
			if (rc == MF_EPARSE)
				rc = mf__fail(err, MF_EPARSE, "mailbox %lld: its name is not valid "
					      "UTF-8 (%s)", (long long)m->id, e2.msg);
			if (rc)
				break;
		}
		p.after[r].text = mf__strdup(text ? text : p.after[r].folder);
		p.after[r].has_id = true;
		p.after[r].id = m->id;
		if (!p.after[r].folder || !p.after[r].text) {
			rc = MF_ENOMEM;
			break;
		}
		if (same_setting(&p.before[r], &p.after[r]))
			continue;
		p.change[r] = true;
		p.nchanges++;
		rc = plan_line(&sql, &mf_roles[r], &p.after[r], a->id);
	}
	if (rc) {
		mf__buf_free(&sql);
		mf_plan_free(&p);
		return rc == MF_ENOMEM ? no_memory(err) : rc;
	}
	p.sql = sql.data;
	*out = p;
	return 0;
}

void mf_plan_free(struct mf_plan *p)
{
	if (!p)
		return;
	for (int r = 0; r < MF_NROLES; r++) {
		free(p->before[r].folder);
		free(p->before[r].text);
		free(p->after[r].folder);
		free(p->after[r].text);
	}
	free(p->sql);
	memset(p, 0, sizeof *p);
}

/* ---- comparing two databases */

/* Compare the rows of one query on two connections. */
static int same_rows(sqlite3 *a, sqlite3 *b, const char *sql, const char *what,
		     struct mf_error *err)
{
	sqlite3_stmt *sa = NULL, *sb = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(a, sql, -1, &sa, NULL) != SQLITE_OK) {
		rc = db_fail(err, a, MF_ENOTDB, what);
		goto out;
	}
	if (sqlite3_prepare_v2(b, sql, -1, &sb, NULL) != SQLITE_OK) {
		rc = db_fail(err, b, MF_ENOTDB, what);
		goto out;
	}
	for (long row = 1;; row++) {
		int ra = sqlite3_step(sa), rb = sqlite3_step(sb);
		if (ra != SQLITE_ROW && ra != SQLITE_DONE) {
			rc = db_fail(err, a, MF_ENOTDB, what);
			goto out;
		}
		if (rb != SQLITE_ROW && rb != SQLITE_DONE) {
			rc = db_fail(err, b, MF_ENOTDB, what);
			goto out;
		}
		if (ra != rb) {
			rc = mf__fail(err, MF_ECHANGED, "%s: one has more rows than the other", what);
			goto out;
		}
		if (ra == SQLITE_DONE)
			break;
		int nc = sqlite3_column_count(sa);
		for (int c = 0; c < nc; c++) {
			int ta = sqlite3_column_type(sa, c), tb = sqlite3_column_type(sb, c);
			const void *va = ta == SQLITE_BLOB ? sqlite3_column_blob(sa, c)
							   : (const void *)sqlite3_column_text(sa, c);
			const void *vb = tb == SQLITE_BLOB ? sqlite3_column_blob(sb, c)
							   : (const void *)sqlite3_column_text(sb, c);
			int la = sqlite3_column_bytes(sa, c), lb = sqlite3_column_bytes(sb, c);
			if (ta != tb || la != lb || (la && memcmp(va, vb, (size_t)la) != 0)) {
				rc = mf__fail(err, MF_ECHANGED, "%s: row %ld, column %d differs", what,
					      row, c + 1);
				goto out;
			}
		}
	}
out:
	sqlite3_finalize(sa);
	sqlite3_finalize(sb);
	return rc;
}

static int same_content(sqlite3 *a, sqlite3 *b, struct mf_error *err)
{
	const char *master = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name";
	int rc = same_rows(a, b, master, "the schema", err);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a, "SELECT name FROM sqlite_master WHERE type = 'table' "
			       "ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, a, MF_ENOTDB, "the schema");
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
		char what[160];
		snprintf(what, sizeof what, "table %.100s", name);
		rc = sql ? same_rows(a, b, sql, what, err) : no_memory(err);
		sqlite3_free(sql);
	}
	sqlite3_finalize(st);
	return rc;
}

/* A second, read-only connection (no checkpoint on close). */
static int open_reader(sqlite3 **h, const char *path, int timeout_ms, struct mf_error *err)
{
	if (sqlite3_open_v2(path, h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		int rc = db_fail(err, *h, MF_EIO, path);
		sqlite3_close(*h);
		*h = NULL;
		return rc;
	}
	sqlite3_db_config(*h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
	sqlite3_busy_timeout(*h, timeout_ms);
	return 0;
}

int mf_db_same_content(const char *path_a, const char *path_b, struct mf_error *err)
{
	sqlite3 *a = NULL, *b = NULL;
	int rc = open_reader(&a, path_a, 0, err);
	if (!rc && !(rc = open_reader(&b, path_b, 0, err)))
		rc = same_content(a, b, err);
	sqlite3_close(a);
	sqlite3_close(b);
	return rc;
}

/* ---- the fix */

static int fsync_path(const char *path, bool dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Before anything is written: the backup must be new, and its directory writable. */
static int backup_preflight(const char *backup_path, struct mf_error *err)
{
	struct stat st;
	if (!backup_path || !*backup_path)
		return mf__fail(err, MF_EINVAL, "no backup file named");
	if (lstat(backup_path, &st) == 0)
		return mf__fail(err, MF_EIO, "the backup file %s exists already; it is not "
				"overwritten (choose another name)", backup_path);
	char *dir = dir_of(backup_path);
	if (!dir)
		return no_memory(err);
	int rc = 0;
	if (access(dir, W_OK | X_OK) != 0)
		rc = mf__fail(err, errno == ENOENT ? MF_EIO : MF_EREADONLY, "cannot create the "
			      "backup %s: its directory: %s", backup_path, strerror(errno));
	free(dir);
	return rc;
}

/* Give tmp the name path, never replacing a file of that name. */
static int put_in_place(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	/* a file system without RENAME_NOREPLACE: link() refuses an existing name too */
	if (link(tmp, path) != 0)
		return -1;
	unlink(tmp);
	return 0;
}

/* Copy src into dest with the backup API, waiting at most timeout_ms for locks. */
static int copy_database(sqlite3 *dest, sqlite3 *src, int timeout_ms, struct mf_error *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", src, "main");
	if (!b)
		return db_fail(err, dest, MF_EIO, "starting the backup");
	int s;
	long waited = 0;
	while ((s = sqlite3_backup_step(b, -1)) == SQLITE_OK || s == SQLITE_BUSY ||
	       s == SQLITE_LOCKED) {
		if (s == SQLITE_OK)
			continue;
		if (waited >= timeout_ms)
			break;
		struct timespec ts = { 0, 50 * 1000000L };
		nanosleep(&ts, NULL);
		waited += 50;
	}
	sqlite3_backup_finish(b);
	if (s == SQLITE_DONE)
		return 0;
	if (s == SQLITE_BUSY || s == SQLITE_LOCKED)
		return mf__fail(err, MF_EBUSY, "backing up: another program kept the database "
				"locked for %d ms", timeout_ms);
	return mf__fail(err, MF_EIO, "backing up: %s", sqlite3_errstr(s));
}

static int write_all(int fd, const unsigned char *data, size_t n)
{
	while (n) {
		ssize_t k = write(fd, data, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0)
			errno = EIO;	/* no progress and no error: do not leave an old errno */
		if (k <= 0)
			return -1;
		data += k;
		n -= (size_t)k;
	}
	return 0;
}

/* The file open at fd holds exactly data[0..n). */
static bool reads_back(int fd, const unsigned char *data, size_t n)
{
	unsigned char buf[1 << 16];
	size_t off = 0;
	for (;;) {
		ssize_t k = pread(fd, buf, sizeof buf, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 || (size_t)k > n - off || memcmp(buf, data + off, (size_t)k) != 0)
			return false;
		if (k == 0)
			return off == n;
		off += (size_t)k;
	}
}

static int page_size(sqlite3 *h)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(h, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * The whole database copied into memory with the backup API, from a second, read-only
 * connection: called inside our write transaction, it sees the last committed content, the
 * one our lock keeps until the change. The copy must pass integrity_check and hold the
 * same schema and rows as the database. *data (sqlite3_free) is its file image.
 */
static int copy_to_memory(unsigned char **data, size_t *size, mf_db *db, struct mf_error *err)
{
	sqlite3 *src = NULL, *mem = NULL;
	int rc = open_reader(&src, db->real, db->timeout_ms, err);
	if (rc)
		return rc;
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		rc = db_fail(err, mem, MF_ENOMEM, "the backup in memory");
		goto out;
	}
	/* an in-memory database takes another page size only while it is empty */
	char sql[48];
	snprintf(sql, sizeof sql, "PRAGMA page_size = %d", page_size(src));
	sqlite3_exec(mem, sql, NULL, NULL, NULL);
	if ((rc = copy_database(mem, src, db->timeout_ms, err)) ||
	    (rc = integrity(mem, "checking the backup", err)) ||
	    (rc = same_content(db->h, mem, err)))
		goto out;
	sqlite3_int64 n = 0;
	if (!(*data = sqlite3_serialize(mem, "main", &n, 0)) || n <= 0) {
		sqlite3_free(*data);
		rc = no_memory(err);
		goto out;
	}
	*size = (size_t)n;
out:
	sqlite3_close(mem);
	sqlite3_close(src);
	return rc;
}

/*
 * Back the database up into o->backup_path: the checked copy's bytes go to a new file
 * beside it (mode 0600: the database holds the account passwords), are synced and read
 * back, and the file gets its name without replacing anything.
 */
static int backup(mf_db *db, const struct mf_fix_opts *o, struct mf_error *err)
{
	unsigned char *data = NULL;
	size_t size = 0;
	int rc = copy_to_memory(&data, &size, db, err);
	if (rc)
		return rc;
	char *tmp = side_name(o->backup_path, ".tmp-XXXXXX");
	char *dir = dir_of(o->backup_path);
	int fd = -1;
	if (!tmp || !dir) {
		rc = no_memory(err);
		goto out;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		rc = mf__fail(err, errno == EACCES || errno == EROFS ? MF_EREADONLY : MF_EIO,
			      "cannot create the backup beside %s: %s", o->backup_path,
			      strerror(errno));
		goto out;
	}
	if (o->temp_file)
		o->temp_file(tmp, o->arg);
	if (write_all(fd, data, size) != 0 || fsync(fd) != 0)
		rc = mf__fail(err, MF_EIO, "writing the backup %s: %s", tmp, strerror(errno));
	else if (!reads_back(fd, data, size))
		rc = mf__fail(err, MF_EIO, "the backup %s does not read back as it was written", tmp);
	else if (put_in_place(tmp, o->backup_path) != 0)
		rc = errno == EEXIST
			? mf__fail(err, MF_EIO, "the backup file %s appeared meanwhile; it is not "
				   "overwritten", o->backup_path)
			: mf__fail(err, MF_EIO, "putting the backup in place as %s: %s",
				   o->backup_path, strerror(errno));
	else
		fsync_path(dir, true);
	close(fd);
	if (rc)
		unlink(tmp);
	if (o->temp_file)
		o->temp_file(NULL, o->arg);
out:
	sqlite3_free(data);
	free(tmp);
	free(dir);
	return rc;
}

/* The account's settings now (inside the transaction), compared with what the plan saw. */
static int still_before(mf_db *db, const struct mf_plan *p, bool after, struct mf_error *err)
{
	sqlite3_stmt *st;
	int rc = prepare_accounts(db, &st, p->account, err);
	if (rc)
		return rc;
	int s = sqlite3_step(st);
	if (s != SQLITE_ROW) {
		rc = s == SQLITE_DONE ? mf__fail(err, MF_ECHANGED, "account %lld is gone",
						 (long long)p->account)
				      : db_fail(err, db->h, MF_EIO, "reading the account again");
		sqlite3_finalize(st);
		return rc;
	}
	struct mf_account a;
	memset(&a, 0, sizeof a);
	rc = read_account(&a, st);
	sqlite3_finalize(st);
	if (rc)
		no_memory(err);
	const struct mf_setting *want = after ? p->after : p->before;
	for (int r = 0; r < MF_NROLES && !rc; r++)
		if (!same_setting(&a.set[r], &want[r]))
			rc = after ? mf__fail(err, MF_ECHANGED, "the %s setting read back after the "
					      "commit is not the one written (a trigger on accounts, "
					      "or another program, changed it)", mf_roles[r].name)
				   : mf__fail(err, MF_ECHANGED, "another program changed the %s "
					      "setting of account %lld meanwhile; nothing written (run "
					      "again)", mf_roles[r].name, (long long)p->account);
	account_clear(&a);
	return rc;
}

static int mailbox_exists(mf_db *db, int64_t id, int64_t account, struct mf_error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM mailboxs WHERE _id = ?1 AND _account = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, db->h, MF_EIO, "reading the mailboxes again");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account);
	int s = sqlite3_step(st), rc = 0;
	if (s == SQLITE_DONE)
		rc = mf__fail(err, MF_ECHANGED, "mailbox %lld of account %lld is gone; nothing "
			      "written (run again)", (long long)id, (long long)account);
	else if (s != SQLITE_ROW)
		rc = db_fail(err, db->h, MF_EIO, "reading the mailboxes again");
	sqlite3_finalize(st);
	return rc;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/*
 * The plan's changes: one prepared UPDATE per role, the values bound (never spliced into
 * the SQL), each of which must change exactly the account's row. sqlite3_changes() counts
 * the rows the statement itself changed, not those its triggers changed.
 */
static int run_updates(mf_db *db, const struct mf_plan *p, struct mf_error *err)
{
	for (int r = 0; r < MF_NROLES; r++) {
		if (!p->change[r])
			continue;
		const struct mf_role_info *ri = &mf_roles[r];
		const struct mf_setting *s = &p->after[r];
		char what[64];
		snprintf(what, sizeof what, "updating the %s setting", ri->name);
		sqlite3_stmt *st;
		int rc = prepare_owned(db, &st, sqlite3_mprintf("UPDATE accounts SET %s = ?1, %s = ?2, "
						"%s = ?3 WHERE _id = ?4", ri->folder_col,
						ri->text_col, ri->id_col), MF_EIO, what, err);
		if (rc)
			return rc;
		bind_text_or_null(st, 1, s->folder);
		bind_text_or_null(st, 2, s->text);
		if (s->has_id)
			sqlite3_bind_int64(st, 3, s->id);
		else
			sqlite3_bind_null(st, 3);
		sqlite3_bind_int64(st, 4, p->account);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(err, db->h, MF_EIO, what);
		int changed = sqlite3_changes(db->h);
		sqlite3_finalize(st);
		if (rc)
			return rc;
		if (changed != 1)
			return mf__fail(err, MF_ECHANGED, "%s changed %d rows of accounts, not 1", what,
					changed);
	}
	return 0;
}

/* Leave the transaction; when it rolled back cleanly, our backup equals the database. */
static void roll_back(mf_db *db, struct mf_fix_report *r)
{
	if (sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK || !r->backup)
		return;
	if (unlink(r->backup) == 0) {
		char *dir = dir_of(r->backup);
		if (dir)
			fsync_path(dir, true);
		free(dir);
		free(r->backup);
		r->backup = NULL;
		r->stage = MF_FIX_NOTHING;
	}
}

int mf_fix_apply(struct mf_fix_report *r, mf_db *db, const struct mf_plan *plan,
		 const struct mf_fix_opts *o, struct mf_error *err)
{
	memset(r, 0, sizeof *r);
	mf__clear(err);
	if (!db->write)
		return mf__fail(err, MF_EINVAL, "the database was opened read-only");
	int rc;
	if ((rc = backup_preflight(o->backup_path, err)) || (rc = mf_db_checkpoint(db, err)))
		return rc;
	if ((rc = exec(db, "BEGIN IMMEDIATE", "starting the transaction", err))) {
		if (rc == MF_EBUSY)
			mf__fail(err, MF_EBUSY, "another program is writing to the database (waited "
				 "%d ms)", db->timeout_ms);
		return rc;
	}
	if ((rc = integrity(db->h, "before the change", err)) || (rc = backup(db, o, err)))
		goto rollback;
	if (!(r->backup = strdup(o->backup_path))) {
		unlink(o->backup_path);	/* nothing is changed yet: the backup need not stay */
		rc = no_memory(err);
		goto rollback;
	}
	r->stage = MF_FIX_BACKUP;
	if ((rc = still_before(db, plan, false, err)))
		goto rollback;
	for (int k = 0; k < MF_NROLES && !rc; k++)
		if (plan->change[k])
			rc = mailbox_exists(db, plan->after[k].id, plan->account, err);
	if (rc || (rc = run_updates(db, plan, err)) ||
	    (rc = integrity(db->h, "inside the transaction", err)))
		goto rollback;
	if ((rc = exec(db, "COMMIT", "committing", err))) {
		/* SQLITE_BUSY: COMMIT waited for readers and wrote nothing; the transaction is open */
		if (rc == MF_EBUSY && !sqlite3_get_autocommit(db->h))
			goto rollback;
		r->stage = MF_FIX_UNKNOWN;
		if (!sqlite3_get_autocommit(db->h))
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	r->stage = MF_FIX_COMMITTED;
	if (mf_db_checkpoint(db, NULL) == 0)
		r->checkpointed = true;
	if ((rc = integrity(db->h, "after the change", err)) ||
	    (rc = still_before(db, plan, true, err)))
		return rc;
	/* done: closing may now checkpoint and remove the emptied -wal and -shm files */
	if (r->checkpointed)
		sqlite3_db_config(db->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
	return 0;
rollback:
	roll_back(db, r);
	return rc;
}

void mf_fix_report_free(struct mf_fix_report *r)
{
	if (!r)
		return;
	free(r->backup);
	r->backup = NULL;
}
