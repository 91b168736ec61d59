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

/* ---- lists and addresses from the command line (args.c) */

/*
 * Parse a list given as option `name` (for messages: "--allow"); NULL text gives a NULL
 * list. Prints "hostacl: --allow, column N: entry 'E': what is wrong" and returns
 * EXIT_ERROR on failure; prints a warning for each suspicious entry.
 */
int list_arg(hacl_list **out, const char *name, const char *text);
/* Parse address operand number `index` (from 1); zone ids are accepted and ignored. */
int addr_arg(struct hacl_addr *out, const char *text, int index);
/* "--allow, column 5" (or "line 2, column 5" when the text has several lines). */
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
