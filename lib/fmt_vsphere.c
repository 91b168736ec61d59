/* fmt_vsphere.c - not yet written. */
#include "internal.h"

int cm__probe_vsphere(const char *data, size_t len)
{
	(void)data;
	(void)len;
	return 0;
}

int cm__read_vsphere(const struct cm__reader *r)
{
	return cm__fail(r->err, CM_EUNSUPPORTED, -1, -1, "the vsphere reader is not written yet");
}
