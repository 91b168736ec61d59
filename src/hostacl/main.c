/* main.c - hostacl: the table of subcommands (src/common/dispatch.c does the rest). */
#include "../common/dispatch.h"
#include "cli.h"

static const struct subcommand commands[] = {
	{ "conf", cmd_conf, "check an apt-cacher.conf for lists a dual-stack socket defeats; --fix" },
	{ "map", cmd_map, "rewrite a list into IPv4-mapped IPv6 notation (or back to IPv4)" },
	{ "match", cmd_match, "allowed or denied: which entry decided, and what 1.7.3 would say" },
	{ "probe", cmd_probe, "accept real connections on a dual-stack socket and judge each peer" },
};

static const struct tool tool = {
	"hostacl", HACL_VERSION_STRING,
	"Test and rewrite allowed_hosts-style access lists so that they stay correct on\n"
	"dual-stack sockets, where IPv4 clients arrive as ::ffff:a.b.c.d.\n",
	"Exit status: 0 all allowed (or nothing wrong), 1 some denied (or something\n"
	"found), 2 an error.\n",
	commands, sizeof commands / sizeof commands[0],
};

int main(int argc, char **argv)
{
	return dispatch(&tool, argc, argv);
}
