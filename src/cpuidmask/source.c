/* source.c - turning a SOURCE operand into a snapshot, with errors that say where. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/file.h"
#include "cli.h"

/* "NAME:LINE:COL: message", leaving out what is not known. */
int report_error(const char *name, const struct cm_error *e)
{
	char where[1100];
	if (e->line > 0 && e->column > 0)
		snprintf(where, sizeof where, "%s:%ld:%ld", name, e->line, e->column);
	else if (e->line > 0)
		snprintf(where, sizeof where, "%s:%ld", name, e->line);
	else
		snprintf(where, sizeof where, "%s", name);
	return error_at(where, "%s", e->msg);
}

int source_load(const char *arg, const struct source_opts *so, cm_snap **out)
{
	struct cm_error err;
	cm_error_clear(&err);
	if (!arg || strcmp(arg, "host") == 0) {
		cm_snap *s;
		if (cm_capture(&s, &err))
			return error("%s", err.msg);
		char host[256] = "";
		char src[300] = "this host";
		if (gethostname(host, sizeof host - 1) == 0 && host[0])
			snprintf(src, sizeof src, "this host (%s)", host);
		if (cm_snap_set_source(s, src)) {
			cm_snap_free(s);
			return error("out of memory");
		}
		*out = s;
		return 0;
	}
	struct cm_read_opts ro = CM_READ_OPTS_INIT;
	ro.format = so ? so->format : NULL;
	ro.cpu = so ? so->cpu : -1;
	if (so && so->view) {
		if (strcmp(so->view, "host") == 0)
			ro.view = CM_VIEW_HOST;
		else if (strcmp(so->view, "guest") == 0)
			ro.view = CM_VIEW_GUEST;
		else
			return error("--view takes 'host' or 'guest', not '%s'", so->view);
	}
	char *data;
	size_t len;
	if (file_read(arg, &data, &len))
		return EXIT_ERROR;
	const char *name = strcmp(arg, "-") == 0 ? "(standard input)" : arg;
	int rc = cm_read(out, data, len, name, &ro, &err);
	free(data);
	if (rc)
		return report_error(name, &err);
	return 0;
}
