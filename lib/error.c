/* error.c - status strings and struct cm_error. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *cm_strerror(int code)
{
	switch (code) {
	case CM_OK:
		return "success";
	case CM_ENOMEM:
		return "out of memory";
	case CM_EPARSE:
		return "malformed input";
	case CM_ERANGE:
		return "value out of range";
	case CM_ECONFLICT:
		return "conflicting values";
	case CM_EUNSUPPORTED:
		return "not supported";
	case CM_ENOTFOUND:
		return "not found";
	}
	return "unknown error";
}

void cm_error_clear(struct cm_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->line = -1;
	err->column = -1;
	err->leaf = UINT32_MAX;
	err->subleaf = UINT32_MAX;
	err->reg = -1;
	err->bit = -1;
	err->msg[0] = '\0';
}

int cm__fail(struct cm_error *err, int code, long line, long column, const char *fmt, ...)
{
	if (!err)
		return code;
	cm_error_clear(err);
	err->code = code;
	err->line = line;
	err->column = column;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return code;
}
