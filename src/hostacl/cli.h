/* cli.h - what the hostacl subcommands share (one subcommand per cmd_*.c file). */
#ifndef HOSTACL_CLI_H
#define HOSTACL_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "hostacl.h"
#include "../common/json.h"
#include "../common/msg.h"
#include "../common/opt.h"

int cmd_match(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_conf(int argc, char **argv);
int cmd_probe(int argc, char **argv);

/* ---- options, lists and addresses from the command line (args.c) */

/* The operands left after the options. */
struct operands {
	char **v;
	int n;
};

/*
 * opt_parse() for a subcommand: true to go on with the operands in *ops; false when the
 * command is over, its exit status in *status (EXIT_OK after --help, EXIT_ERROR after a
 * usage error, which is printed).
 */
bool parse_options(struct operands *ops, int *status, const struct opt *opts,
		   const struct cmd_help *h, int argc, char **argv);

/* Input quoted in a message is cut after this many bytes, and "..." added. */
#define QUOTE_MAX 40
/* [s, s+n) for a message, into buf (QUOTE_MAX + 4 bytes): see QUOTE_MAX; control bytes
 * print as '?'. Returns buf. */
const char *quote(char *buf, const char *s, size_t n);

/*
 * Parse a list given as option `name` (for messages: "--allow"); NULL text gives a NULL
 * list. Prints "hostacl: --allow, column N: entry 'E': what is wrong" and returns
 * EXIT_ERROR on failure; prints a warning for each suspicious entry.
 */
int list_arg(hacl_list **out, const char *name, const char *text);
/*
 * A warning for each '*' of an allow (allow true) or deny list that covers nothing: every
 * '*' but the whole allow list '*'.
 */
void star_warnings(const hacl_list *l, const char *name, bool allow);
/* Parse address operand number `index` (from 1); zone ids are accepted and ignored. */
int addr_arg(struct hacl_addr *out, const char *text, int index);
/* "--allow, column 5" (or "--allow, line 2, column 5" when the text has several lines). */
void where_in_arg(char *buf, size_t n, const char *name, size_t line, size_t column);
/* A warning for each HACL_WARN_* of the entry, located by `where`. */
void entry_warnings(const struct hacl_entry *e, const char *where);

/* ---- verdicts (verdict.c) */

/* The lists an address is matched against, and how. */
struct acl {
	const hacl_list *allow;	/* NULL: no allow list (everything passes that step) */
	const hacl_list *deny;	/* NULL: none */
	unsigned flags;		/* HACL_LOOPBACK or 0 */
};

/* Both verdicts for one address: correct, and apt-cacher 1.7.3's naive one. */
struct verdicts {
	struct hacl_verdict correct, naive;
	bool differ;
};

void decide(struct verdicts *v, const struct acl *acl, const struct hacl_addr *a);
/* Two lines: the verdict with the entry that decided, then the naive one. */
void print_verdicts(FILE *f, const char *shown, const struct acl *acl, const struct verdicts *v,
		    const struct hacl_addr *a);
/* One JSON object for the address. */
void json_verdicts(struct json *j, const char *shown, const struct acl *acl,
		   const struct verdicts *v);

#endif
