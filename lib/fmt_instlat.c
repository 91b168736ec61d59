/* fmt_instlat.c - not yet written. */
#include "internal.h"

int cm__probe_instlat(const char *data, size_t len)
{
	(void)data;
	(void)len;
	return 0;
}

int cm__read_instlat(const struct cm__reader *r)
{
	return cm__fail(r->err, CM_EUNSUPPORTED, -1, -1, "the instlat reader is not written yet");
}
