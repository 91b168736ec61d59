/* cmd_fix.c - mailfolders fix: point an account's Sent/Trash/Drafts at the server's folders. */
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const struct cmd_help help = {
	"mailfolders fix", "DB --account ID",
	"Point an account's Sent, Trash and Drafts settings (accounts._sentfolder,\n"
	"_sentfoldertext, _sentfolderid and the same for trash and draft) at the mailboxes\n"
	"that exist on the IMAP server, as the seed's manual sqlite3 session did.",
	"Each folder is found by its name (--sent, --trash, --drafts), else by the folder the\n"
	"server marks \\Sent, \\Trash or \\Drafts (--server), else by the namespace prefix\n"
	"(--prefix, default \"INBOX.\", written with its delimiter; the server's with --server)\n"
	"followed by a usual name: "
	"Sent, Sent Items, Sent Messages; Trash, Deleted Items, Deleted\n"
	"Messages; Drafts.\n"
	"A name matches mailboxs._decodename, else _shortname, else _undecodename decoded\n"
	"from modified UTF-7. When a folder matches no mailbox or several, the candidates are\n"
	"listed and nothing is changed (exit status 1).\n"
	"\n"
	"The change: the WAL is checkpointed; the write lock is taken (BEGIN IMMEDIATE) and\n"
	"PRAGMA integrity_check run; the whole database is copied with the SQLite backup API\n"
	"to DB.mailfolders.bak (or .bak.1, ...; beside the target when DB is a symbolic link;\n"
	"--backup PATH), checked and synced; then the same transaction updates the account\n"
	"(refused if another program changed it meanwhile), integrity_check runs again before\n"
	"and after COMMIT, and the WAL is checkpointed so that DB alone holds everything.\n"
	"A database locked by another program is waited for --timeout MS, then refused; a\n"
	"read-only database, directory or side file (-wal, -shm, -journal) is refused before\n"
	"anything is written. --dry-run prints the SQL and writes nothing.\n"
	"Exit status: 0 fixed (or nothing to change), 1 a folder not found or ambiguous,\n"
	"2 an error.\n",
};

/* DB.mailfolders.bak, or the first of .bak.1, .bak.2, ... that does not exist. */
static char *backup_name(const char *db)
{
	size_t n = strlen(db) + 40;
	char *s = malloc(n);
	struct stat st;
	if (!s)
		return NULL;
	snprintf(s, n, "%s.mailfolders.bak", db);
	for (int i = 1; lstat(s, &st) == 0 && i < 1000; i++)
		snprintf(s, n, "%s.mailfolders.bak.%d", db, i);
	return s;
}

static void put_mailbox(FILE *f, const struct mf_mailbox *m)
{
	fprintf(f, "%-5lld ", (long long)m->id);
	put_safe(f, m->decodename && *m->decodename ? m->decodename : m->undecoded_utf8 ?
		 m->undecoded_utf8 : m->shortname);
	if (m->undecodename && m->decodename && *m->decodename &&
	    strcmp(m->undecodename, m->decodename) != 0) {
		fputs("  (server name ", f);
		put_safe(f, m->undecodename);
		fputc(')', f);
	}
	if (m->serverfolder == 0)
		fputs("  [the app's own folder]", f);
}

/* Mailboxes whose last level resembles the role's usual names: candidates to offer. */
static bool resembles(const struct mf_mailbox *m, enum mf_role r)
{
	const char *name = m->decodename && *m->decodename ? m->decodename : m->shortname;
	if (!name)
		return false;
	const char *last = name;
	for (const char *p = name; *p; p++)
		if (*p == '.' || *p == '/')
			last = p + 1;
	for (const char *const *u = mf_roles[r].usual; *u; u++)
		if (strncasecmp(last, *u, 4) == 0)
			return true;
	return false;
}

/* Why a role could not be matched, with the candidates. */
static void explain(const struct mf_match *m, enum mf_role r, int64_t account,
		    const struct mf_mailbox *mb, size_t n)
{
	const struct mf_role_info *ri = &mf_roles[r];
	fflush(stdout);
	if (m->status == MF_EAMBIGUOUS) {
		fprintf(stderr, "%s: account %lld: %zu mailboxes match the %s folder (%s; looked "
			"for %s):\n", prog, (long long)account, m->ncand, ri->name, m->how,
			m->looked_for);
		for (size_t i = 0; i < m->ncand; i++) {
			fputs("    ", stderr);
			put_mailbox(stderr, m->cand[i]);
			fputc('\n', stderr);
		}
		fprintf(stderr, "  choose one with --%s NAME\n", ri->name);
		return;
	}
	fprintf(stderr, "%s: account %lld: no mailbox for the %s folder (%s; looked for %s)\n",
		prog, (long long)account, ri->name, m->how, m->looked_for);
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (!resembles(&mb[i], r))
			continue;
		if (!shown++)
			fprintf(stderr, "  mailboxes with a similar name:\n");
		fputs("    ", stderr);
		put_mailbox(stderr, &mb[i]);
		fputc('\n', stderr);
	}
	fprintf(stderr, "  name the folder with --%s NAME (or another --prefix); 'mailfolders "
		"mailboxes DB --account %lld' lists them all\n", ri->name, (long long)account);
}

static void print_settings(const char *title, const struct mf_setting *s, const bool *change)
{
	printf("%s\n", title);
	for (int r = 0; r < MF_NROLES; r++) {
		printf("  ");
		put_setting(stdout, (enum mf_role)r, &s[r]);
		printf("%s\n", change && !change[r] ? "   (unchanged)" : "");
	}
}

/* What the command line asked. */
struct fix_args {
	const char *path;
	int64_t account;
	const char *prefix, *server, *backup;
	const char *names[MF_NROLES];
	bool dry_run;
	int timeout;
	struct server_opts so;
};

/* What a run holds, freed by fix_free. */
struct fix_run {
	struct mf_server server;
	struct mf_url url;
	bool have_server;
	char *prefix_buf;
	mf_db *db;
	struct mf_account *acc, *a;
	size_t na;
	struct mf_mailbox *mb;
	size_t nm;
	struct mf_match match[MF_NROLES];
	const struct mf_mailbox *chosen[MF_NROLES];
	struct mf_plan plan;
};

static void fix_free(struct fix_run *f)
{
	for (int r = 0; r < MF_NROLES; r++)
		mf_match_free(&f->match[r]);
	mf_plan_free(&f->plan);
	mf_accounts_free(f->acc, f->na);
	mf_mailboxes_free(f->mb, f->nm);
	mf_db_close(f->db);
	mf_server_free(&f->server);
	mf_url_free(&f->url);
	free(f->prefix_buf);
}

/* Options and operands; -1 to go on, else the exit status. */
static int fix_parse(int argc, char **argv, struct fix_args *a)
{
	const char *account_arg = NULL;
	long timeout = DEFAULT_TIMEOUT_MS;
	memset(a, 0, sizeof *a);
	a->so = (struct server_opts)SERVER_OPTS_INIT;
	const struct opt opts[] = {
		{ OPT_STRING, "account", 'a', &account_arg, "ID", "the account's _id (required)" },
		{ OPT_STRING, "prefix", 'p', &a->prefix, "PREFIX",
		  "namespace prefix before the usual names (default INBOX.)" },
		{ OPT_STRING, "sent", 0, &a->names[MF_SENT], "NAME", "the Sent folder, by name" },
		{ OPT_STRING, "trash", 0, &a->names[MF_TRASH], "NAME", "the Trash folder, by name" },
		{ OPT_STRING, "drafts", 0, &a->names[MF_DRAFTS], "NAME", "the Drafts folder, by name" },
		{ OPT_STRING, "server", 's', &a->server, "URL",
		  "ask imap[s]://USER@HOST[:PORT] for its prefix and \\Sent..." },
		SERVER_OPTS(a->so),
		{ OPT_FLAG, "dry-run", 'n', &a->dry_run, NULL, "print the SQL; write nothing" },
		{ OPT_STRING, "backup", 0, &a->backup, "PATH", "the backup file (default DB.mailfolders.bak)" },
		{ OPT_LONG, "timeout", 0, &timeout, "MS", "wait at most MS ms for a lock (default 5000)" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest != 1 || !account_arg)
		return error("fix takes one DB and --account ID; see 'mailfolders fix --help'");
	if (parse_account(account_arg, &a->account))
		return error("--account takes an account's _id (a number), not '%s'", account_arg);
	if (a->backup && !*a->backup)
		return error("--backup needs a file name: fix always keeps a backup");
	a->timeout = timeout > INT_MAX ? INT_MAX : (int)timeout;
	a->path = rest[0];
	return -1;
}

/* The database opened (read-only for --dry-run), checked, and the account and its mailboxes read. */
static int fix_read(const struct fix_args *a, struct fix_run *f)
{
	struct mf_error e;
	if (mf_db_open(&f->db, a->path, a->dry_run ? 0 : MF_DB_WRITE, a->timeout, &e))
		return db_error(a->path, &e, true);
	if (mf_db_rolled_back(f->db))
		printf("%s: its -journal file held a transaction that was interrupted; SQLite rolled "
		       "it back\n", a->path);
	if (mf_db_integrity(f->db, &e) || mf_db_accounts(&f->acc, &f->na, f->db, &e))
		return db_error(a->path, &e, true);
	for (size_t i = 0; i < f->na; i++)
		if (f->acc[i].id == a->account)
			f->a = &f->acc[i];
	if (!f->a) {
		fflush(stdout);
		fprintf(stderr, "%s: %s: no account has _id %lld; the accounts are:", prog, a->path,
			(long long)a->account);
		for (size_t i = 0; i < f->na; i++) {
			fprintf(stderr, "%s %lld (", i ? "," : "", (long long)f->acc[i].id);
			put_safe(stderr, f->acc[i].name);
			fputc(')', stderr);
		}
		fprintf(stderr, "%s\n%s: nothing was changed\n", f->na ? "" : " none", prog);
		return EXIT_ERROR;
	}
	if (mf_db_mailboxes(&f->mb, &f->nm, f->db, a->account, &e))
		return db_error(a->path, &e, true);
	return 0;
}

/* "prog: account N: ...; name ... \n prog: DB: nothing was changed", exit status 1. */
static int refuse_choice(const struct fix_args *a, const char *why)
{
	fflush(stdout);
	fprintf(stderr, "%s: account %lld: %s\n%s: %s: nothing was changed\n", prog,
		(long long)a->account, why, prog, a->path);
	return EXIT_UNDECIDED;
}

/* Choose a mailbox for each role; explain and refuse (exit 1) when that cannot be done. */
static int fix_choose(const struct fix_args *a, struct fix_run *f, const char *prefix, char delim)
{
	int undecided = 0;
	for (int r = 0; r < MF_NROLES; r++) {
		struct mf_match_source src = { a->names[r], f->have_server ? &f->server : NULL,
					       prefix, delim };
		int m = mf_match_role(&f->match[r], f->mb, f->nm, (enum mf_role)r, &src);
		if (m == MF_ENOMEM)
			return error("out of memory");
		if (m) {
			undecided++;
			continue;
		}
		const struct mf_match *mr = &f->match[r];
		f->chosen[r] = mr->chosen;
		printf("  %-7s ", mf_roles[r].name);
		put_mailbox(stdout, mr->chosen);
		printf("  (%s", mr->how);
		if (mr->field != MF_FIELD_DECODENAME)
			printf("; matched on %s", mr->field == MF_FIELD_SHORTNAME ? "_shortname"
										  : "_undecodename");
		printf(")\n");
	}
	if (undecided) {
		for (int r = 0; r < MF_NROLES; r++)
			if (f->match[r].status)
				explain(&f->match[r], (enum mf_role)r, a->account, f->mb, f->nm);
		fprintf(stderr, "%s: %s: nothing was changed\n", prog, a->path);
		return EXIT_UNDECIDED;
	}
	char why[400];
	for (int r = 0; r < MF_NROLES; r++) {
		if (f->chosen[r]->serverfolder != 0)
			continue;
		snprintf(why, sizeof why, "mailbox %lld, chosen for %s, is the app's own folder, not "
			 "one on the server; name the server's with --%s", (long long)f->chosen[r]->id,
			 mf_roles[r].name, mf_roles[r].name);
		return refuse_choice(a, why);
	}
	for (int r = 0; r < MF_NROLES; r++)
		for (int q = r + 1; q < MF_NROLES; q++) {
			if (f->chosen[r] != f->chosen[q])
				continue;
			snprintf(why, sizeof why, "mailbox %lld would be both the %s and the %s folder; "
				 "name them apart with --%s or --%s", (long long)f->chosen[r]->id,
				 mf_roles[r].name, mf_roles[q].name, mf_roles[r].name,
				 mf_roles[q].name);
			return refuse_choice(a, why);
		}
	return 0;
}

/* ---- the temporary backup file, removed when the run is interrupted */

static char *temp_names[4];
static volatile sig_atomic_t temp_set;
static const int temp_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIGNALS (sizeof temp_signals / sizeof temp_signals[0])

/*
 * mf_fix_opts.temp_file: remember the names to remove (the file and its SQLite side files),
 * allocated here, outside the handler, which only reads them while temp_set is 1.
 */
static void on_temp_file(const char *path, void *arg)
{
	static const char *const sides[4] = { "", "-journal", "-wal", "-shm" };
	(void)arg;
	temp_set = 0;
	for (int i = 0; i < 4; i++) {
		free(temp_names[i]);
		temp_names[i] = NULL;
	}
	if (!path)
		return;
	size_t n = strlen(path);
	for (int i = 0; i < 4; i++) {
		size_t k = strlen(sides[i]);
		if (!(temp_names[i] = malloc(n + k + 1)))
			return;	/* out of memory: an interrupted run leaves the file */
		memcpy(temp_names[i], path, n);
		memcpy(temp_names[i] + n, sides[i], k + 1);
	}
	temp_set = 1;
}

static void remove_temp_and_die(int sig)
{
	if (temp_set)
		for (int i = 0; i < 4; i++)
			unlink(temp_names[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* How a failed fix left things, told as it is. */
static int report_failure(const struct fix_args *a, mf_db *db, const struct mf_error *e,
			  const struct mf_fix_report *rep)
{
	const char *log = strcmp(mf_db_journal_mode(db), "wal") == 0 ? "-wal" : "-journal";
	switch (rep->stage) {
	case MF_FIX_NOTHING:
	case MF_FIX_BACKUP:
		db_error(a->path, e, true);
		break;
	case MF_FIX_UNKNOWN:
		db_message(a->path, e);
		fprintf(stderr, "%s: the commit failed midway: %s holds either the old or the new "
			"settings, never a mix; SQLite settles which when the database is next opened "
			"for writing, from the %s file beside it (keep them together). Run the same "
			"fix again: it settles that first, then changes what is still to change\n",
			prog, a->path, log);
		break;
	case MF_FIX_COMMITTED:
		db_message(a->path, e);
		fprintf(stderr, "%s: the change itself was committed; 'mailfolders accounts %s' "
			"shows the settings now\n", prog, a->path);
		break;
	}
	if (rep->backup)
		fprintf(stderr, "%s: the backup made before the change is %s\n", prog, rep->backup);
	return EXIT_ERROR;
}

/* Back up and change, with the temporary backup file removed if a signal ends the run. */
static int fix_apply(const struct fix_args *a, struct fix_run *f)
{
	/* beside the database file: a link's target, where SQLite's own side files are */
	struct stat st;
	const char *db_file = lstat(a->path, &st) == 0 && S_ISLNK(st.st_mode) ? mf_db_file(f->db)
									      : a->path;
	char *bak = a->backup ? strdup(a->backup) : backup_name(db_file);
	if (!bak)
		return error("out of memory");
	struct mf_fix_opts o = { bak, on_temp_file, NULL };
	struct mf_fix_report rep;
	struct mf_error e;
	struct sigaction sa, old[NSIGNALS];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = remove_temp_and_die;
	sigemptyset(&sa.sa_mask);
	/* a signal the program was started ignoring (nohup) stays ignored */
	for (size_t i = 0; i < NSIGNALS; i++)
		if (sigaction(temp_signals[i], NULL, &old[i]) == 0 && old[i].sa_handler != SIG_IGN)
			sigaction(temp_signals[i], &sa, NULL);
	int rc = mf_fix_apply(&rep, f->db, &f->plan, &o, &e);
	for (size_t i = 0; i < NSIGNALS; i++)
		sigaction(temp_signals[i], &old[i], NULL);
	free(bak);
	if (rc) {
		rc = report_failure(a, f->db, &e, &rep);
		mf_fix_report_free(&rep);
		return rc;
	}
	printf("backup: %s (SQLite backup API; integrity_check ok, same content)\n", rep.backup);
	printf("%s: %zu setting%s changed in one transaction; integrity_check ok before and "
	       "after%s\n", a->path, f->plan.nchanges, f->plan.nchanges == 1 ? "" : "s",
	       strcmp(mf_db_journal_mode(f->db), "wal") != 0 ? "" : rep.checkpointed
	       ? "; WAL checkpointed into the database file"
	       : "; the WAL could not be checkpointed: the change is in the -wal file, copy it "
		 "together with the database");
	printf("next: copy %s back to the phone ('mailfolders adb-steps' shows how)\n", a->path);
	mf_fix_report_free(&rep);
	return EXIT_OK;
}

static int fix(const struct fix_args *a, struct fix_run *f)
{
	int rc;
	if (a->server) {
		if ((rc = server_ask(a->server, &a->so, &f->server, &f->url)))
			return rc;
		f->have_server = true;
	}
	const char *prefix = a->prefix;
	char delim = '\0';
	if (f->have_server) {
		/* the server's delimiter goes with the server's prefix only: --prefix is taken
		   exactly as written */
		char server_delim = '\0';
		const char *sp = server_prefix(&f->server, &f->prefix_buf, &server_delim);
		if (!prefix) {
			prefix = sp ? sp : "";
			delim = server_delim;
		}
	}
	if (!prefix)
		prefix = DEFAULT_PREFIX;
	if ((rc = fix_read(a, f)))
		return rc;
	printf("%s: account %lld: ", a->path, (long long)a->account);
	put_account_title(stdout, f->a);
	putchar('\n');
	if (f->have_server) {
		printf("  server %s: personal namespace prefix \"", f->url.host);
		put_safe(stdout, prefix);
		printf("\"%s\n", f->server.special_use ? ", special-use folders listed" : "");
	}
	if ((rc = fix_choose(a, f, prefix, delim)))
		return rc;
	struct mf_error e;
	if (mf_plan_make(&f->plan, f->a, f->chosen, &e))
		return db_error(a->path, &e, true);
	if (f->plan.nchanges == 0) {
		printf("%s: account %lld already points at these folders; nothing to change\n",
		       a->path, (long long)a->account);
		return EXIT_OK;
	}
	print_settings("before:", f->plan.before, NULL);
	print_settings(a->dry_run ? "after (not written):" : "after:", f->plan.after,
		       f->plan.change);
	if (a->dry_run) {
		/* the statements with their values quoted; fix binds the same values */
		printf("the SQL fix would run on %s (dry run: nothing written):\n", a->path);
		printf("BEGIN IMMEDIATE;\n%sCOMMIT;\n", f->plan.sql);
		return EXIT_OK;
	}
	return fix_apply(a, f);
}

int cmd_fix(int argc, char **argv)
{
	struct fix_args a;
	int rc = fix_parse(argc, argv, &a);
	if (rc >= 0)
		return rc;
	struct fix_run f;
	memset(&f, 0, sizeof f);
	rc = fix(&a, &f);
	fix_free(&f);
	return rc;
}
