/* capture.h - the CPUID walk behind cm_capture(), open to tests (internal). */
#ifndef CM_CAPTURE_H
#define CM_CAPTURE_H

#include "cpuidmask.h"

typedef void (*cm__cpuid_fn)(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t r[4]);

/* Enumerate a CPU through fn, the way cm_capture() does the real one. */
int cm__enumerate(cm_snap **out, cm__cpuid_fn fn, void *ctx);

#endif
