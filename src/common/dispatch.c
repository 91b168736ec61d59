/* dispatch.c - see dispatch.h. */
#include "dispatch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"

static void usage(const struct tool *t, FILE *f)
{
	size_t width = 0;
	for (size_t i = 0; i < t->ncmds; i++)
		if (strlen(t->cmds[i].name) > width)
			width = strlen(t->cmds[i].name);
	fprintf(f, "usage: %s COMMAND [OPTION]... [ARG]...\n%s\ncommands:\n", t->name, t->about);
	for (size_t i = 0; i < t->ncmds; i++)
		fprintf(f, "  %-*s %s\n", (int)width + 1, t->cmds[i].name, t->cmds[i].summary);
	fprintf(f, "\n'%s COMMAND --help' describes a command; 'man %s' all of them.\n%s", t->name,
		t->name, t->exit_status);
}

int dispatch(const struct tool *t, int argc, char **argv)
{
	prog = t->name;
	if (argc < 2) {
		usage(t, stderr);
		return EXIT_ERROR;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(t, stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("%s %s\n", t->name, t->version);
		return EXIT_OK;
	}
	for (size_t i = 0; i < t->ncmds; i++) {
		if (strcmp(cmd, t->cmds[i].name) != 0)
			continue;
		int rc = t->cmds[i].fn(argc - 1, argv + 1);
		/* output that did not reach its file is an error, whatever the command said */
		if (fflush(stdout) != 0 || ferror(stdout))
			return error("standard output: %s", strerror(errno));
		return rc;
	}
	return error("'%s' is not a %s command; see '%s --help'", cmd, t->name, t->name);
}
