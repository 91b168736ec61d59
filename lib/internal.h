/*
 * internal.h - helpers shared inside libcpuidmask only; never installed.
 */
#ifndef CM_INTERNAL_H
#define CM_INTERNAL_H

#include "cpuidmask.h"

#define CM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Longest input line any reader accepts; longer lines are an error, not a hang. */
#define CM_MAX_LINE 65536

/*
 * Record a failure in err (which may be NULL) and return code. line/column are -1 when
 * they do not apply.
 */
int cm__fail(struct cm_error *err, int code, long line, long column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* ---- a line iterator over (data, len) that tracks line numbers */

struct cm__lines {
	const char *p, *end;
	long lineno;		/* number of the line last returned */
};

struct cm__line {
	const char *s;		/* start; not NUL-terminated */
	size_t n;		/* length without the line end ("\n" or "\r\n") */
	long no;
};

void cm__lines_init(struct cm__lines *it, const char *data, size_t len);
/*
 * Next line: 1 with *out set, 0 at the end, or a negative status (a NUL byte, a line over
 * CM_MAX_LINE) with err filled.
 */
int cm__lines_next(struct cm__lines *it, struct cm__line *out, struct cm_error *err);

/* ---- small text scanning helpers over [s, s+n) */

/* Skip spaces and tabs from position *i. */
void cm__skip_ws(const char *s, size_t n, size_t *i);
/* True when [s, s+n) starts with the literal prefix. */
bool cm__starts(const char *s, size_t n, const char *prefix);
/* Position of needle in [s, s+n), or -1. */
long cm__find(const char *s, size_t n, const char *needle);
/* True when only spaces/tabs remain from i. */
bool cm__rest_blank(const char *s, size_t n, size_t i);

/*
 * Parse hex digits at *i (an optional "0x"/"0X" when allow_0x) into *v. Returns 0,
 * CM_EPARSE (no digit) or CM_ERANGE (over 32 bits; leading zeros do not count). *i is
 * advanced past the digits; callers that limit the number of digits check *i themselves.
 */
int cm__hex32(const char *s, size_t n, size_t *i, bool allow_0x, uint32_t *v);
int cm__dec32(const char *s, size_t n, size_t *i, uint32_t *v);
bool cm__is_hex(int c);

/*
 * Which format a single line looks like ("cpuid-r", "instlat", "vmware-log", "libvirt",
 * "cpuidmask"), or NULL. Readers of formats that allow free text use it to refuse a line of
 * another format: a file mixing two formats is an error, not a silent merge.
 */
const char *cm__line_format(const char *s, size_t n);
/* 0, or a CM_EPARSE naming both formats when l looks like a format other than self. */
int cm__foreign_line(const struct cm__line *l, const char *self, struct cm_error *err);

/* A host's features, with Intel's 32-bit SYSCALL blind spot filled in (LM implies it). */
void cm__host_features(const cm_snap *s, struct cm_fset *have, struct cm_fset *unknown);

/* cm_model_best() among the models `known` accepts (NULL: all). */
const struct cm_model *cm__model_best_filtered(const struct cm_fset *have, enum cm_vendor vendor,
					       const char *family,
					       bool (*known)(bool, const char *, void *), void *ctx);

/* Vendor from the three leaf-0 registers. */
enum cm_vendor cm__vendor_from_regs(uint32_t ebx, uint32_t ecx, uint32_t edx, char out[13]);

/* ---- the feature table's internals */


/* ---- readers (one per format), all the same shape */

typedef int (*cm__emit_fn)(cm_snap *s, long cpu, void *payload);

struct cm__reader {
	const char *data;
	size_t len;
	const char *name;
	const struct cm_read_opts *opts;
	cm__emit_fn emit;	/* owns the snapshot it is given */
	void *payload;
	struct cm_error *err;
};

int cm__read_canonical(const struct cm__reader *r);
int cm__read_cpuid_raw(const struct cm__reader *r);
int cm__read_instlat(const struct cm__reader *r);
int cm__read_vmware_log(const struct cm__reader *r);
int cm__read_libvirt(const struct cm__reader *r);
int cm__read_vsphere(const struct cm__reader *r);

/* Probes: a score 0..100 for how well the start of the data fits. */
int cm__probe_canonical(const char *data, size_t len);
int cm__probe_cpuid_raw(const char *data, size_t len);
int cm__probe_instlat(const char *data, size_t len);
int cm__probe_vmware_log(const char *data, size_t len);
int cm__probe_libvirt(const char *data, size_t len);
int cm__probe_vsphere(const char *data, size_t len);

/*
 * Shared by readers: add a result to s, turning a duplicate into a clear error that names
 * both lines. `lines` remembers the input line of every result added (parallel to the
 * snapshot order is not kept, so it is looked up by leaf/subleaf).
 */
struct cm__origin {
	uint32_t leaf, subleaf;
	long line;
};
struct cm__origins {
	struct cm__origin *v;
	size_t n, cap;
};
void cm__origins_free(struct cm__origins *o);
int cm__add_result(cm_snap *s, struct cm__origins *o, uint32_t leaf, uint32_t subleaf,
		   const uint32_t reg[4], const uint32_t known[4], long line, bool same_ok,
		   struct cm_error *err);

#endif
