/* mask_load.c - reading masks for the mask, guest and check commands. */
#include <stdlib.h>
#include <string.h>

#include "../common/file.h"
#include "cli.h"

static void print_warning(const struct cm_error *w, void *payload)
{
	const char *name = payload;
	fflush(stdout);
	if (w->line > 0 && w->column > 0)
		fprintf(stderr, "%s:%ld:%ld: warning: %s\n", name, w->line, w->column, w->msg);
	else if (w->line > 0)
		fprintf(stderr, "%s:%ld: warning: %s\n", name, w->line, w->msg);
	else
		fprintf(stderr, "%s: warning: %s\n", name, w->msg);
}

static int load(const char *data, size_t len, const char *name, cm_mask **out)
{
	struct cm_error err;
	cm_error_clear(&err);
	if (cm_mask_read(out, data, len, name, print_warning, (void *)name, &err))
		return report_error(name, &err);
	return 0;
}

int mask_load(const char *path, cm_mask **out)
{
	char *data;
	size_t len;
	if (file_read(path, &data, &len))
		return EXIT_ERROR;
	const char *name = strcmp(path, "-") == 0 ? "(standard input)" : path;
	int rc = load(data, len, name, out);
	free(data);
	return rc;
}

int mask_load_text(const char *text, const char *name, cm_mask **out)
{
	return load(text, strlen(text), name, out);
}
