/*
 * opt.h - one table per command drives option parsing, the usage line and --help
 * (shared by the three CLIs).
 */
#ifndef CLI_OPT_H
#define CLI_OPT_H

#include <stdbool.h>

enum opt_type {
	OPT_END = 0,
	OPT_FLAG,	/* bool *: set to true */
	OPT_STRING,	/* const char **: the argument */
	OPT_LONG,	/* long *: a decimal number >= 0 */
	OPT_LIST,	/* struct opt_list *: may be given several times */
};

struct opt_list {
	const char **v;
	int n;
};

struct opt {
	enum opt_type type;
	const char *name;	/* long name without "--" */
	char shortname;		/* 0 when none */
	void *value;
	const char *argname;	/* shown in help: --format NAME */
	const char *help;	/* one line */
};

struct cmd_help {
	const char *name;	/* "cpuidmask diff" */
	const char *args;	/* "A B" */
	const char *summary;	/* one line */
	const char *details;	/* more lines for --help, may be NULL */
};

/*
 * Parse argv[1..] (argv[0] is the command name) against opts. Options may come before,
 * between or after operands; "--" ends options. Operands are collected in rest and nrest
 * (pointing into argv). --help prints the help on stdout and returns 1 (the caller
 * exits 0). Errors print "prog CMD: ..." and a usage hint and return -1.
 */
int opt_parse(const struct opt *opts, const struct cmd_help *h, int argc, char **argv,
	      char ***rest, int *nrest);
void opt_help(const struct opt *opts, const struct cmd_help *h);
void opt_list_free(struct opt_list *l);

#endif
