/* cmd_dump.c - cpuidmask dump: a CPU in cpuidmask's own dump format. */
#include "../common/file.h"
#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask dump", "[SOURCE]",
	"Write a CPU's CPUID in cpuidmask's dump format (docs/dump-format.md).",
	"SOURCE is a dump in any format cpuidmask reads, '-' for standard input, or\n"
	"'host' (the default) for the CPU this runs on. With -o, FILE is replaced\n"
	"atomically and only when everything was read without error.\n",
};

int cmd_dump(int argc, char **argv)
{
	const char *output = "-";
	struct source_opts so = SOURCE_OPTS_INIT;
	const struct opt opts[] = {
		{ OPT_STRING, "output", 'o', &output, "FILE", "write to FILE (default: standard output)" },
		SOURCE_OPTS(so),
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest > 1)
		return error("dump takes at most one SOURCE; see 'cpuidmask dump --help'");
	cm_snap *s;
	if ((rc = source_load(nrest ? rest[0] : NULL, &so, &s)))
		return rc;
	struct cm_buf b = CM_BUF_INIT;
	if (cm_write_dump(&b, s)) {
		cm_buf_free(&b);
		cm_snap_free(s);
		return error("out of memory");
	}
	rc = file_replace(output, b.data, b.len) ? EXIT_ERROR : EXIT_OK;
	cm_buf_free(&b);
	cm_snap_free(s);
	return rc;
}
