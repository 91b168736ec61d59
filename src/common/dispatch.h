/* dispatch.h - a tool's table of subcommands, its usage text and main() (shared by the CLIs). */
#ifndef CLI_DISPATCH_H
#define CLI_DISPATCH_H

#include <stddef.h>

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);	/* argv[0] is the subcommand's name */
	const char *summary;			/* one line for the usage text */
};

struct tool {
	const char *name;		/* also sets prog, for messages */
	const char *version;
	const char *about;		/* what the tool does, lines ending in '\n' */
	const char *exit_status;	/* the "Exit status: ..." lines, ending in '\n' */
	const struct subcommand *cmds;
	size_t ncmds;
};

/*
 * The whole of main(): no argument prints the usage on stderr (exit 2); --help/-h/help on
 * stdout; --version/-V; otherwise the subcommand, after which output that did not reach
 * standard output turns the exit status into 2.
 */
int dispatch(const struct tool *t, int argc, char **argv);

#endif
