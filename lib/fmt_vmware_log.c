/* fmt_vmware_log.c - not yet written. */
#include "internal.h"

int cm__probe_vmware_log(const char *data, size_t len)
{
	(void)data;
	(void)len;
	return 0;
}

int cm__read_vmware_log(const struct cm__reader *r)
{
	return cm__fail(r->err, CM_EUNSUPPORTED, -1, -1, "the vmware_log reader is not written yet");
}
