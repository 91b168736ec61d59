/* main.c - cpuidmask: the table of subcommands and the global options. */
#include "../common/dispatch.h"
#include "cli.h"

static const struct subcommand commands[] = {
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

static const struct tool tool = {
	"cpuidmask", CM_VERSION_STRING,
	"Read x86 CPUID from hosts and dumps, compare CPUs, and level them for live\n"
	"migration.\n",
	"Exit status: 0 success (or no difference), 1 a difference found, 2 an error.\n",
	commands, sizeof commands / sizeof commands[0],
};

int main(int argc, char **argv)
{
	return dispatch(&tool, argc, argv);
}
