/*
 * mailfolders.h - libmailfolders: re-point an Android (HTC) mail app's Sent, Trash and Drafts
 * settings at the IMAP folders that really exist, in the app's SQLite database (mail.db).
 *
 * The parts: modified UTF-7 mailbox names (RFC 3501 5.1.3); the IMAP NAMESPACE response
 * (RFC 2342) and LIST responses with special-use attributes (RFC 6154); imap:// URLs; asking
 * a server through libcurl; reading the app's accounts and mailboxs tables; matching a role
 * (sent, trash, drafts) to a mailbox; and the safe update itself (backup with the SQLite
 * backup API, one transaction, integrity_check before and after, WAL checkpointed).
 *
 * Conventions, stated once:
 *   - A function that can fail returns 0 or a negative enum mf_status, and fills the optional
 *     struct mf_error (may be NULL) with the code and a message for a person.
 *   - Output parameters come first and are written only on success.
 *   - What a function hands out through an output parameter belongs to the caller and is
 *     freed with the matching _free function; every _free accepts NULL (or an empty struct).
 *   - Returned const pointers are borrowed from static tables or from their parent object.
 *   - The library never prints, never exits and keeps no mutable globals (mf_curl_init is
 *     the one call that touches libcurl's global state).
 *   - Input text is taken as (pointer, length) and need not be NUL-terminated.
 */
#ifndef MAILFOLDERS_H
#define MAILFOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MF_VERSION_STRING "0.1.0"

enum mf_status {
	MF_OK = 0,
	MF_ENOMEM = -1,		/* out of memory */
	MF_EPARSE = -2,		/* malformed input: a response, a name, a URL */
	MF_ENOTDB = -3,		/* not a SQLite database, or a damaged one */
	MF_ESCHEMA = -4,	/* tables or columns missing: not the mail app's database */
	MF_ENOTFOUND = -5,	/* no such account, or no mailbox matches */
	MF_EAMBIGUOUS = -6,	/* several mailboxes match */
	MF_EBUSY = -7,		/* another program holds the database past the timeout */
	MF_EIO = -8,		/* reading or writing a file failed */
	MF_ECHANGED = -9,	/* another program changed the account meanwhile */
	MF_ENET = -10,		/* the server could not be reached, or misbehaved */
	MF_EAUTH = -11,		/* the server refused the login */
	MF_EINVAL = -12,	/* a bad argument */
	MF_EREADONLY = -13,	/* a file or directory fix must write is read-only */
	MF_EJOURNAL = -14,	/* a hot rollback journal: an interrupted transaction to roll back */
};

struct mf_error {
	int code;		/* an enum mf_status; 0 when nothing failed */
	long line;		/* the input line of a parse error (from 1), or 0 */
	char msg[512];		/* what is wrong, for a person; "" when nothing failed */
};

/* A short name for a status code: "out of memory", "parse error", ... */
const char *mf_strerror(int code);

/* ---- modified UTF-7 (RFC 3501 section 5.1.3) */

/*
 * Decode a mailbox name from modified UTF-7 into UTF-8, strictly: only printable US-ASCII,
 * "&-" for "&", base64 runs closed by "-" holding whole UTF-16 units with zero padding bits,
 * no printable ASCII and no NUL encoded, surrogates paired, no run straight after another.
 * *out is a malloc'ed NUL-terminated string.
 */
int mf_mutf7_decode(char **out, const char *in, size_t len, struct mf_error *err);
/* The inverse: UTF-8 (validated: no overlong forms, surrogates or NUL) to modified UTF-7. */
int mf_mutf7_encode(char **out, const char *utf8, size_t len, struct mf_error *err);

/* ---- IMAP responses */

/* One namespace of a NAMESPACE response: its prefix and its hierarchy delimiter. */
struct mf_ns {
	char *prefix;		/* as the server sent it (modified UTF-7), NUL-terminated */
	char delim;		/* '\0' when the server said NIL (a flat namespace) */
};

/* The three namespace classes of RFC 2342: personal, other users', shared. */
enum { MF_NS_PERSONAL, MF_NS_OTHER, MF_NS_SHARED, MF_NS_CLASSES };

struct mf_namespaces {
	struct mf_ns *ns[MF_NS_CLASSES];	/* NULL and n = 0 when the server said NIL */
	size_t n[MF_NS_CLASSES];
};

/*
 * Parse one untagged NAMESPACE response ("* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL"); the
 * text may end with CRLF and may hold literals ({N} CRLF and N bytes) for strings.
 */
int mf_namespace_parse(struct mf_namespaces *out, const char *text, size_t len,
		       struct mf_error *err);
void mf_namespaces_free(struct mf_namespaces *ns);

/* Mailbox attributes of a LIST response (RFC 3501, RFC 5258, RFC 6154). */
enum mf_attr {
	MF_ATTR_NOINFERIORS = 1u << 0,
	MF_ATTR_NOSELECT = 1u << 1,
	MF_ATTR_MARKED = 1u << 2,
	MF_ATTR_UNMARKED = 1u << 3,
	MF_ATTR_NONEXISTENT = 1u << 4,
	MF_ATTR_SUBSCRIBED = 1u << 5,
	MF_ATTR_REMOTE = 1u << 6,
	MF_ATTR_HASCHILDREN = 1u << 7,
	MF_ATTR_HASNOCHILDREN = 1u << 8,
	MF_ATTR_ALL = 1u << 9,
	MF_ATTR_ARCHIVE = 1u << 10,
	MF_ATTR_DRAFTS = 1u << 11,
	MF_ATTR_FLAGGED = 1u << 12,
	MF_ATTR_JUNK = 1u << 13,
	MF_ATTR_SENT = 1u << 14,
	MF_ATTR_TRASH = 1u << 15,
	MF_ATTR_OTHER = 1u << 16,	/* an attribute not in this list (kept, not named) */
};

/* The attribute table: "\\Sent" and its bit, in RFC order. Ends with a NULL name. */
struct mf_attr_info {
	const char *name;
	unsigned bit;
};
extern const struct mf_attr_info mf_attrs[];

/* One folder of a LIST response. */
struct mf_folder {
	char *name;		/* as the server sent it (modified UTF-7) */
	char *decoded;		/* UTF-8, or NULL when name is not valid modified UTF-7 */
	char delim;		/* '\0' for NIL */
	unsigned attrs;		/* enum mf_attr bits */
};

/* Parse one untagged LIST response ("* LIST (\\HasNoChildren \\Sent) \".\" INBOX.Sent"). */
int mf_list_parse(struct mf_folder *out, const char *text, size_t len, struct mf_error *err);
void mf_folder_free(struct mf_folder *f);

/* What a server told: its NAMESPACE response and its folders. */
struct mf_server {
	bool have_namespace;		/* a NAMESPACE response was seen */
	struct mf_namespaces ns;
	struct mf_folder *folders;
	size_t nfolders;
	bool special_use;		/* the LIST asked for RETURN (SPECIAL-USE) and was answered */
};

/*
 * Read a server's responses (a transcript: lines ending in CRLF or LF, literals allowed) and
 * collect the untagged NAMESPACE and LIST responses; other responses are skipped. A malformed
 * NAMESPACE or LIST response is an error naming its line. Adds to *out, which starts zeroed.
 */
int mf_server_parse(struct mf_server *out, const char *text, size_t len, struct mf_error *err);
void mf_server_free(struct mf_server *s);
/* The first personal namespace, or NULL when the server has none. */
const struct mf_ns *mf_server_personal(const struct mf_server *s);

/* ---- imap:// URLs */

struct mf_url {
	bool tls;		/* imaps:// (TLS from the start) */
	char *user;		/* percent-decoded */
	char *host;		/* without brackets for IPv6 */
	unsigned port;		/* 143 or 993 when the URL gives none */
	bool ipv6;
};

/*
 * Parse imap[s]://USER@HOST[:PORT][/]. Refused, each with its reason: another scheme, no
 * user, a password in the URL (USER:PASS@), ;AUTH=, a mailbox path or query, a bad host or
 * port, control characters, bad %-escapes.
 */
int mf_url_parse(struct mf_url *out, const char *s, struct mf_error *err);
void mf_url_free(struct mf_url *u);
/* The URL libcurl is given: "imap://HOST:PORT/" (no user). *out is malloc'ed. */
int mf_url_for_curl(char **out, const struct mf_url *u);
/* The host is this machine: "localhost", 127.0.0.0/8 or ::1 (a password sent there stays here). */
bool mf_url_is_loopback(const struct mf_url *u);

/* ---- asking a server (libcurl) */

struct mf_query_opts {
	const char *password;
	const char *cacert;		/* a CA bundle for TLS, or NULL for the system's */
	bool plaintext;			/* imap://: go on without TLS when the server offers no
					   STARTTLS (default: STARTTLS required, so that the
					   password never crosses the network in clear) */
	long timeout_ms;		/* the whole exchange; 0: 30 s */
	char *transcript;		/* out: malloc'ed server responses (for --verbose), or NULL */
	size_t transcript_len;
};

/* libcurl's global initialisation, once per program (not thread-safe, like libcurl's). */
int mf_curl_init(struct mf_error *err);
void mf_curl_cleanup(void);

/*
 * Log in and ask NAMESPACE, then LIST "" "*" RETURN (SPECIAL-USE) (plain LIST "" "*" when
 * the server rejects the RETURN option), through libcurl's custom IMAP requests. MF_EAUTH
 * when the login is refused, MF_ENET for connection and protocol failures (an imap:// server
 * that offers no STARTTLS among them, unless o->plaintext).
 */
int mf_server_query(struct mf_server *out, const struct mf_url *url,
		    struct mf_query_opts *o, struct mf_error *err);

/* ---- the app's database */

/* The three folder settings of an account. */
enum mf_role { MF_SENT, MF_TRASH, MF_DRAFTS, MF_NROLES };

/* The role table: names, the accounts columns, the special-use attribute, usual names. */
struct mf_role_info {
	const char *name;		/* "sent" */
	const char *folder_col;		/* "_sentfolder" */
	const char *text_col;		/* "_sentfoldertext" */
	const char *id_col;		/* "_sentfolderid" */
	unsigned attr;			/* MF_ATTR_SENT */
	const char *attr_name;		/* "\\Sent" */
	const char *const *usual;	/* "Sent", "Sent Items", ..., NULL */
};
extern const struct mf_role_info mf_roles[MF_NROLES];

/* A column the tool needs, and why. */
struct mf_column {
	const char *table;
	const char *column;
	const char *why;
};
extern const struct mf_column mf_required_columns[];	/* ends with a NULL table */

struct mf_setting {
	char *folder;		/* _sentfolder: the folder name the app uses; NULL when NULL */
	char *text;		/* _sentfoldertext: the name it shows */
	bool has_id;		/* _sentfolderid is not NULL */
	int64_t id;		/* _sentfolderid: a mailboxs._id */
};

struct mf_account {
	int64_t id;
	char *name;
	char *email;		/* _emailaddress, NULL when the column is missing or NULL */
	struct mf_setting set[MF_NROLES];
};

struct mf_mailbox {
	int64_t id;
	int64_t account;
	char *undecodename;	/* the server's name (modified UTF-7) as the app stored it */
	char *decodename;	/* the decoded name */
	char *shortname;
	int serverfolder;	/* _serverfolder: 1, 0, or -1 when the column is missing/NULL */
	char *undecoded_utf8;	/* undecodename decoded from modified UTF-7, or NULL */
};

/* How a setting relates to the mailboxes (mf_setting_check). */
enum mf_setting_state {
	MF_SET_OK,		/* the id is a mailbox of the account, and the names agree */
	MF_SET_UNSET,		/* the id is NULL */
	MF_SET_MISSING,		/* no mailbox has the id */
	MF_SET_OTHER_ACCOUNT,	/* the mailbox belongs to another account */
	MF_SET_NAME_DIFFERS,	/* the mailbox's name is not the folder setting */
	MF_SET_LOCAL,		/* the mailbox has _serverfolder = 0 (not a server folder) */
};
/* "ok", "unset", "missing", "other-account", "name-differs", "local" */
const char *mf_setting_state_name(enum mf_setting_state s);

typedef struct mf_db mf_db;

enum {
	MF_DB_WRITE = 1 << 0,	/* open for fix: read-write */
};

/*
 * Open the database at path: it must exist and start with the SQLite header; the schema
 * must have every mf_required_columns entry (else MF_ESCHEMA naming the missing ones).
 * timeout_ms bounds every wait for another program's lock (busy_timeout). A symbolic link
 * is resolved once: the -wal, -shm and -journal files are the target's, as SQLite's are.
 *
 * Read-only unless MF_DB_WRITE. A read-only open honours other programs' locks; it refuses
 * a database with a hot rollback journal (DB-journal left by a transaction that was
 * interrupted) with MF_EJOURNAL, because the file alone holds a half-written transaction
 * until SQLite rolls the journal back. Only a WAL database with neither -wal nor -journal
 * beside it is opened "immutable", which creates no -wal and -shm files.
 *
 * With MF_DB_WRITE the database, its directory and any -wal, -shm and -journal file must be
 * writable (else MF_EREADONLY, before anything is written); a hot journal is rolled back by
 * SQLite as it opens the database (mf_db_rolled_back says so). Otherwise the files are left
 * as they were on failure.
 */
int mf_db_open(mf_db **out, const char *path, unsigned flags, int timeout_ms,
	       struct mf_error *err);
void mf_db_close(mf_db *db);
/*
 * The database file SQLite opened: the path with symbolic links resolved, borrowed from db.
 * Files that belong beside the database (its backup, like its -wal and -journal) go beside
 * this one, which is where a link's target is.
 */
const char *mf_db_file(const mf_db *db);
/* Opening for writing found a hot journal and let SQLite roll the interrupted transaction back. */
bool mf_db_rolled_back(const mf_db *db);
/* Whether the optional columns exist: accounts._emailaddress, mailboxs._serverfolder. */
bool mf_db_has_column(const mf_db *db, const char *table, const char *column);
/* The database's journal mode ("wal", "delete", ...), borrowed from db. */
const char *mf_db_journal_mode(const mf_db *db);

/* PRAGMA integrity_check: 0 when "ok", MF_ENOTDB with its first complaint otherwise. */
int mf_db_integrity(mf_db *db, struct mf_error *err);
/*
 * PRAGMA wal_checkpoint(TRUNCATE): every frame of the WAL into the database file, the WAL
 * emptied. MF_EBUSY when another program kept it from completing within the timeout. A no-op
 * for a database not in WAL mode.
 */
int mf_db_checkpoint(mf_db *db, struct mf_error *err);

/* Every account, by _id. */
int mf_db_accounts(struct mf_account **out, size_t *n, mf_db *db, struct mf_error *err);
void mf_accounts_free(struct mf_account *a, size_t n);
/* The mailboxes of one account (account < 0: all), by _id. */
int mf_db_mailboxes(struct mf_mailbox **out, size_t *n, mf_db *db, int64_t account,
		    struct mf_error *err);
void mf_mailboxes_free(struct mf_mailbox *m, size_t n);

/* The state of a setting against all mailboxes; *which gets the mailbox found, or NULL. */
enum mf_setting_state mf_setting_check(const struct mf_account *a, enum mf_role r,
				       const struct mf_mailbox *all, size_t n,
				       const struct mf_mailbox **which);

/* ---- choosing the mailbox for a role */

/* Two IMAP names are the same mailbox: byte-equal, except INBOX in any case (RFC 3501). */
bool mf_name_equal(const char *a, const char *b);

/* Which column of a mailbox a match was made on. */
enum mf_field { MF_FIELD_DECODENAME, MF_FIELD_SHORTNAME, MF_FIELD_UNDECODENAME };

struct mf_match {
	int status;		/* 0, MF_ENOTFOUND or MF_EAMBIGUOUS */
	const struct mf_mailbox *chosen;	/* when status is 0 */
	enum mf_field field;	/* the column that matched */
	const struct mf_mailbox **cand;	/* the candidates (ambiguous), malloc'ed */
	size_t ncand;
	char how[160];		/* "named by --sent", "\\Sent on the server", "prefix INBOX. + usual name" */
	char looked_for[400];	/* the names tried, quoted, comma-separated */
};

/* Where the name of a role comes from, most specific first. */
struct mf_match_source {
	const char *name;		/* an explicit name (UTF-8), or NULL */
	const struct mf_server *server;	/* the server's special-use folders and prefix, or NULL */
	const char *prefix;		/* the namespace prefix for the usual names, or NULL */
	char delim;			/* the hierarchy delimiter, put between a prefix that does
					   not end with it and a usual name ('\0': unknown) */
};

/*
 * Find the mailbox of a role among one account's mailboxes: an explicit name; else the
 * folder the server marks with the role's attribute (one only); else the prefix plus each
 * usual name. A name matches _decodename; when nothing matches that column, _shortname;
 * then _undecodename decoded from modified UTF-7. Fills *m (free with mf_match_free); the
 * return value is m->status. MF_ENOMEM is the only failure of the call itself.
 */
int mf_match_role(struct mf_match *m, const struct mf_mailbox *mb, size_t n, enum mf_role r,
		  const struct mf_match_source *src);
void mf_match_free(struct mf_match *m);

/* ---- the fix */

struct mf_plan {
	int64_t account;
	struct mf_setting before[MF_NROLES];
	struct mf_setting after[MF_NROLES];
	bool change[MF_NROLES];
	size_t nchanges;
	char *sql;		/* the statements, one per line, exactly as they will run */
};

/*
 * The new settings for an account from chosen mailboxes (NULL: keep the role as it is): the
 * folder is the mailbox's server name (_undecodename, or _decodename encoded when that is
 * empty), the text its decoded name; plus the SQL that sets them, in the seed's form
 * "update accounts set _sentfolder = '...', _sentfoldertext = '...', _sentfolderid = N where
 * _id=A;", only for the roles that change.
 */
int mf_plan_make(struct mf_plan *out, const struct mf_account *a,
		 const struct mf_mailbox *const chosen[MF_NROLES], struct mf_error *err);
void mf_plan_free(struct mf_plan *p);

/* How far mf_fix_apply got: what a failure leaves behind. */
enum mf_fix_stage {
	MF_FIX_NOTHING,		/* the database's content unchanged (the WAL may have been folded
				   into the database file, which changes no row); no backup left */
	MF_FIX_BACKUP,		/* content unchanged (rolled back), the backup written and kept */
	MF_FIX_UNKNOWN,		/* COMMIT failed midway: the old or the new content, never a mix;
				   SQLite settles which when the database is next opened */
	MF_FIX_COMMITTED,	/* the change is in the database (a later check may have failed) */
};

struct mf_fix_report {
	enum mf_fix_stage stage;	/* set on failure too */
	char *backup;		/* the backup file written and kept (malloc'ed), or NULL */
	bool checkpointed;	/* the WAL was checkpointed and truncated after the commit */
};

struct mf_fix_opts {
	const char *backup_path;	/* where the backup goes; an existing file is refused */
	/*
	 * Optional: called with the name of the temporary backup file when it is created and
	 * with NULL when it is gone (put in place or removed), so that a signal handler can
	 * remove it (and its name + "-journal", "-wal", "-shm") if the program is interrupted.
	 */
	void (*temp_file)(const char *path, void *arg);
	void *arg;
};

/*
 * Apply a plan to a database opened with MF_DB_WRITE, safely:
 *   0. before writing anything: the backup path must not exist and its directory must be
 *      writable (MF_EIO, MF_EREADONLY);
 *   1. checkpoint the WAL fully;
 *   2. BEGIN IMMEDIATE (the write lock, held to the end); PRAGMA integrity_check;
 *   3. back up the whole database with the SQLite backup API (from a second, read-only
 *      connection, which sees exactly the content the lock now protects) into a temporary
 *      file beside the backup path, check it, sync it, and give it its name without
 *      replacing anything (renameat2 RENAME_NOREPLACE, else link and unlink);
 *   4. refuse (MF_ECHANGED) if the account's settings are no longer the plan's "before" or
 *      a chosen mailbox is gone; one prepared UPDATE per changed role, with the values as
 *      bound parameters, each of which must change exactly one row (rows that triggers
 *      change do not count); integrity_check; COMMIT;
 *   5. checkpoint again (TRUNCATE), integrity_check, and read the account back to compare.
 * Any failure before COMMIT rolls back and removes the backup. rep is filled on failure
 * too: rep->stage says how far it got, rep->backup names a backup that was kept.
 */
int mf_fix_apply(struct mf_fix_report *rep, mf_db *db, const struct mf_plan *plan,
		 const struct mf_fix_opts *o, struct mf_error *err);
void mf_fix_report_free(struct mf_fix_report *r);

/* Compare two databases' accounts and mailboxs tables row by row (backup verification). */
int mf_db_same_content(const char *path_a, const char *path_b, struct mf_error *err);

#endif
