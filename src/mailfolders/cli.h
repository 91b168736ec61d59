/* cli.h - what the mailfolders subcommands share (one subcommand per cmd_*.c file). */
#ifndef MAILFOLDERS_CLI_H
#define MAILFOLDERS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mailfolders.h"
#include "../common/json.h"
#include "../common/msg.h"
#include "../common/opt.h"

/* Exit status 1: fix found no single mailbox for a role (nothing was changed). */
enum { EXIT_UNDECIDED = 1 };

#define DEFAULT_TIMEOUT_MS 5000L
#define DEFAULT_PREFIX "INBOX."
#define PASSWORD_ENV "MAILFOLDERS_PASSWORD"

int cmd_accounts(int argc, char **argv);
int cmd_mailboxes(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_namespace(int argc, char **argv);
int cmd_adb_steps(int argc, char **argv);

/* ---- output helpers (show.c) */

/* s with control characters as \xNN (names come from files and servers); NULL as "NULL". */
void put_safe(FILE *f, const char *s);
/* The same, padded to width columns (counting UTF-8 characters). */
void put_padded(FILE *f, const char *s, int width);
/* Display width of put_safe(s): UTF-8 characters, escapes as 4. */
int safe_width(const char *s);
/* "'text'" as SQL prints it, or NULL. */
void put_sql_value(FILE *f, const char *s);
/* A setting as the seed's columns: "_sentfolder = 'x', _sentfoldertext = 'x', _sentfolderid = 23". */
void put_setting(FILE *f, enum mf_role r, const struct mf_setting *s);
/* "Work <jane@example.org>" */
void put_account_title(FILE *f, const struct mf_account *a);

/*
 * Report a library error about the database at path with the advice for its kind, and
 * "nothing was changed" when that is so; returns EXIT_ERROR.
 */
int db_error(const char *path, const struct mf_error *e, bool unchanged);
/* Only "prog: path: message" (for errors whose advice the caller gives). */
void db_message(const char *path, const struct mf_error *e);

/* Parse a decimal account id (>= 0). */
int parse_account(const char *s, int64_t *out);

/* ---- the server (server.c) */

struct server_opts {
	const char *password_file;
	const char *cacert;
	bool plaintext;
	bool verbose;
	long timeout_ms;
};
#define SERVER_OPTS_INIT { NULL, NULL, false, false, 30000 }
#define SERVER_OPTS(so) \
	{ OPT_STRING, "password-file", 0, &(so).password_file, "FILE", \
	  "read the password from FILE's first line (\"-\": standard input)" }, \
	{ OPT_STRING, "cacert", 0, &(so).cacert, "FILE", "CA certificates to check the server's" }, \
	{ OPT_FLAG, "insecure-plaintext", 0, &(so).plaintext, NULL, \
	  "imap://: go on without STARTTLS (test servers)" }, \
	{ OPT_FLAG, "verbose", 'v', &(so).verbose, NULL, "show the server's answers on stderr" }

/*
 * Ask the server at url (imap[s]://USER@HOST[:PORT]) for its namespaces and folders; the
 * password comes from --password-file, $MAILFOLDERS_PASSWORD or a prompt on the terminal.
 * Prints the error and returns EXIT_ERROR on failure.
 */
int server_ask(const char *url, const struct server_opts *so, struct mf_server *out,
	       struct mf_url *u);
/*
 * The decoded personal prefix (UTF-8), or NULL: borrowed from s or from buf; *delim gets
 * its hierarchy delimiter ('\0' when none).
 */
const char *server_prefix(const struct mf_server *s, char **buf, char *delim);

#endif
