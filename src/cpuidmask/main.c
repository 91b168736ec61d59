/* main.c - cpuidmask: the table of subcommands and the global options. */
#include <errno.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "apply", cmd_apply, "write a mask into a VM's .vmx, keeping every other byte" },
	{ "baseline", cmd_baseline, "the mask or CPU model that makes hosts alike, for any hypervisor" },
	{ "check", cmd_check, "would a VM move from one host to another (offline vMotion check)" },
	{ "diff", cmd_diff, "the features one CPU has and another lacks" },
	{ "dump", cmd_dump, "write this host's CPUID in cpuidmask's dump format" },
	{ "features", cmd_features, "list the feature table (names, bits, labels)" },
	{ "fleet", cmd_fleet, "many hosts: baseline, groups of identical hosts, limiting hosts" },
	{ "formats", cmd_formats, "list the dump formats cpuidmask reads" },
	{ "guest", cmd_guest, "the CPUID a VM sees on a host, after VMware's profile and its mask" },
	{ "mask", cmd_mask, "explain, merge and lint per-VM CPUID masks (.vmx, Xen)" },
	{ "modes", cmd_modes, "which named baselines (EVC-like, QEMU, x86-64) hosts meet" },
	{ "show", cmd_show, "decode a CPU: vendor, model, microarchitecture, features" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: cpuidmask COMMAND [OPTION]... [ARG]...\n"
		   "Read x86 CPUID from hosts and dumps, compare CPUs, and level them for live\n"
		   "migration.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'cpuidmask COMMAND --help' describes a command; 'man cpuidmask' all of them.\n"
		   "Exit status: 0 success (or no difference), 1 a difference found, 2 an error.\n");
}

int main(int argc, char **argv)
{
	prog = "cpuidmask";
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("cpuidmask %s\n", CM_VERSION_STRING);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(cmd, commands[i].name) != 0)
			continue;
		int rc = commands[i].fn(argc - 1, argv + 1);
		/* output that did not reach its file is an error, whatever the command said */
		if (fflush(stdout) != 0 || ferror(stdout))
			return error("standard output: %s", strerror(errno));
		return rc;
	}
	error("'%s' is not a cpuidmask command; see 'cpuidmask --help'", cmd);
	return EXIT_ERROR;
}
