/* main.c - mailfolders: the table of subcommands. */
#include "../common/dispatch.h"
#include "cli.h"

static const struct subcommand commands[] = {
	{ "accounts", cmd_accounts, "the accounts and where their Sent/Trash/Drafts settings point" },
	{ "mailboxes", cmd_mailboxes, "the mailboxes the app knows, and which settings use them" },
	{ "fix", cmd_fix, "point Sent/Trash/Drafts at the server's folders (backup, one transaction)" },
	{ "namespace", cmd_namespace, "ask an IMAP server its prefix, delimiter and special folders" },
	{ "adb-steps", cmd_adb_steps, "the pull / fix / push sequence for a phone, by hand" },
};

static const struct tool tool = {
	"mailfolders", MF_VERSION_STRING,
	"Repair an Android (HTC) mail app's Sent, Trash and Drafts folder settings in its\n"
	"database (mail.db) for IMAP servers whose folders live under a prefix such as\n"
	"\"INBOX.\".\n",
	"Exit status: 0 success, 1 fix could not choose a folder (nothing changed), 2 an error.\n",
	commands, sizeof commands / sizeof commands[0],
};

int main(int argc, char **argv)
{
	return dispatch(&tool, argc, argv);
}
