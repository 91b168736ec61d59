/* cmd_formats.c - cpuidmask formats: the dump formats cpuidmask reads. */
#include <stdlib.h>

#include "../common/file.h"
#include "cli.h"

static const struct cmd_help help = {
	"cpuidmask formats", "[FILE]",
	"List the dump formats cpuidmask reads (names for --format). With FILE, say\n"
	"which format it is detected as.",
	NULL,
};

static int detect(const char *path, bool as_json)
{
	char *data;
	size_t len;
	if (file_read(path, &data, &len))
		return EXIT_ERROR;
	const struct cm_format_info *f = cm_format_probe(data, len);
	free(data);
	if (!f)
		return error("%s: not a CPUID dump in any known format", path);
	if (as_json) {
		struct json j;
		json_init(&j, stdout);
		json_object_inline(&j, NULL);
		json_string(&j, "file", path);
		json_string(&j, "format", f->name);
		json_end(&j);
		json_finish(&j);
	} else {
		printf("%s: %s\n", path, f->name);
	}
	return EXIT_OK;
}

int cmd_formats(int argc, char **argv)
{
	bool as_json = false;
	const struct opt opts[] = {
		{ OPT_FLAG, "json", 0, &as_json, NULL, "print JSON (docs/json.md)" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest > 1)
		return error("formats takes at most one FILE");
	if (nrest == 1)
		return detect(rest[0], as_json);
	struct json j;
	if (as_json) {
		json_init(&j, stdout);
		json_array(&j, NULL);
	}
	for (size_t i = 0; i < cm_format_count(); i++) {
		const struct cm_format_info *f = cm_format_at(i);
		if (as_json) {
			json_object_inline(&j, NULL);
			json_string(&j, "name", f->name);
			json_string(&j, "summary", f->summary);
			json_bool(&j, "multi_cpu", f->multi_cpu);
			json_bool(&j, "views", f->has_views);
			json_end(&j);
		} else {
			printf("%-12s %s%s%s\n", f->name, f->summary, f->multi_cpu ? " [--cpu]" : "",
			       f->has_views ? " [--view]" : "");
		}
	}
	if (as_json) {
		json_end(&j);
		json_finish(&j);
	}
	return EXIT_OK;
}
