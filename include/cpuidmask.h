/*
 * cpuidmask.h - the public interface of libcpuidmask.
 *
 * libcpuidmask reads x86 CPUID data from real-world dumps (and from the CPU it runs on),
 * names every feature bit, decodes the processor and compares CPUs. It never prints and
 * never exits; every fallible function returns an int: 0 on success or a negative
 * enum cm_status, with details in an optional struct cm_error.
 *
 * Ownership, once for the whole header:
 *   - output parameters come first and are written only on success;
 *   - objects returned through `**out` belong to the caller, who frees them with the
 *     matching _free(); _free(NULL) does nothing;
 *   - plain returned pointers (const char *, const struct ... *) are borrowed: valid until
 *     the object they came from is changed or freed, or forever for the static tables;
 *   - input text is given as (data, len) and need not be NUL-terminated.
 */
#ifndef CPUIDMASK_H
#define CPUIDMASK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CM_VERSION_STRING "0.1.0"

/* ---------------------------------------------------------------- status and errors */

enum cm_status {
	CM_OK = 0,
	CM_ENOMEM = -1,		/* out of memory, or a buffer reached its size cap */
	CM_EPARSE = -2,		/* the input is not in the expected form */
	CM_ERANGE = -3,		/* a value does not fit */
	CM_ECONFLICT = -4,	/* two inputs disagree (duplicate leaf with other values, ...) */
	CM_EUNSUPPORTED = -5,	/* the operation cannot be done here (capture on non-x86, ...) */
	CM_ENOTFOUND = -6,	/* no such feature, format, CPU or leaf */
};

/* A short English phrase for a status code; never NULL. */
const char *cm_strerror(int code);

/*
 * Details of a failure. Fields that do not apply are -1 (leaf, subleaf: UINT32_MAX).
 * `line` and `column` count from 1 in the input text.
 */
struct cm_error {
	int code;		/* the enum cm_status returned */
	long line;		/* input line, or -1 */
	long column;		/* input column, or -1 */
	uint32_t leaf, subleaf;	/* CPUID location concerned, or UINT32_MAX */
	int reg;		/* enum cm_reg, or -1 */
	int bit;		/* 0..31, or -1 */
	char msg[256];		/* what is wrong, in one sentence without the location */
};

/* Reset every field to "does not apply". */
void cm_error_clear(struct cm_error *err);

/* ---------------------------------------------------------------- text buffer */

/*
 * A growable NUL-terminated text buffer with a size cap. Errors are sticky: once an append
 * fails, later appends do nothing and return the same error, so a writer checks once at
 * the end. Initialise with CM_BUF_INIT or cm_buf_init(); free with cm_buf_free().
 */
struct cm_buf {
	char *data;		/* NUL-terminated text, or NULL while empty */
	size_t len;		/* bytes in data, without the NUL */
	size_t cap;		/* bytes allocated */
	size_t max;		/* cap on len; 0 means 64 MiB */
	int err;		/* first error, 0 while none */
};
#define CM_BUF_INIT { NULL, 0, 0, 0, 0 }

void cm_buf_init(struct cm_buf *b, size_t max);
void cm_buf_free(struct cm_buf *b);
void cm_buf_reset(struct cm_buf *b);	/* empty it, keep the memory, clear the error */
int cm_buf_add(struct cm_buf *b, const char *s, size_t n);
int cm_buf_puts(struct cm_buf *b, const char *s);
int cm_buf_printf(struct cm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cm_buf_vprintf(struct cm_buf *b, const char *fmt, va_list ap);

/* ---------------------------------------------------------------- registers */

enum cm_reg { CM_EAX = 0, CM_EBX = 1, CM_ECX = 2, CM_EDX = 3 };

/* "eax", "ebx", "ecx", "edx"; NULL for anything else. */
const char *cm_reg_name(int reg);
/* The register named (any case), or CM_ENOTFOUND. */
int cm_reg_from_name(const char *name, size_t len);

/* The subleaf of a leaf that ignores ECX (distinct from subleaf 0). */
#define CM_NO_SUBLEAF UINT32_MAX

/* True for leaves whose result depends on ECX (4, 7, 0xB, 0xD, ..., 0x8000001D, ...). */
bool cm_leaf_has_subleaves(uint32_t leaf);

/* ---------------------------------------------------------------- snapshots */

/*
 * One CPUID result. `known` has a 1 for every register bit whose value is known: all ones
 * for real captures, less for sources such as vSphere feature vectors. Unknown bits are 0
 * in `reg`.
 */
struct cm_leaf {
	uint32_t leaf;
	uint32_t subleaf;	/* CM_NO_SUBLEAF for a leaf that ignores ECX */
	uint32_t reg[4];	/* indexed by enum cm_reg */
	uint32_t known[4];
};

/*
 * A CPUID snapshot: a source name and a table of results sorted by (leaf, subleaf), where
 * CM_NO_SUBLEAF sorts before subleaf 0. A snapshot is "complete" when a leaf it does not
 * list reads as zero (a real capture) and "partial" when such a leaf is unknown.
 */
typedef struct cm_snap cm_snap;

int cm_snap_new(cm_snap **out);
void cm_snap_free(cm_snap *s);
int cm_snap_dup(cm_snap **out, const cm_snap *s);

/* No CPU has nearly this many results; a snapshot refuses more (CM_ERANGE). */
#define CM_SNAP_MAX 4096

/*
 * Add a result. `known` may be NULL (all bits known); bits not known are cleared in the
 * stored value. Returns CM_ECONFLICT, and changes nothing, when (leaf, subleaf) is
 * already present, and CM_ERANGE when the snapshot holds CM_SNAP_MAX results.
 */
int cm_snap_add(cm_snap *s, uint32_t leaf, uint32_t subleaf, const uint32_t reg[4],
		const uint32_t known[4]);
/* Add or replace. */
int cm_snap_put(cm_snap *s, uint32_t leaf, uint32_t subleaf, const uint32_t reg[4],
		const uint32_t known[4]);

size_t cm_snap_count(const cm_snap *s);
const struct cm_leaf *cm_snap_at(const cm_snap *s, size_t i);
/* Exactly (leaf, subleaf), or NULL. */
const struct cm_leaf *cm_snap_find(const cm_snap *s, uint32_t leaf, uint32_t subleaf);

/*
 * What the CPU answers for (leaf, subleaf), the way software sees it: NULL when the leaf
 * is beyond the maximum of its range (leaf 0 / 0x80000000 / 0x40000000 EAX) or not listed.
 * A leaf stored without subleaf answers every subleaf of a leaf that ignores ECX, and
 * subleaf 0 of one that does not; subleaf 0 answers CM_NO_SUBLEAF.
 */
const struct cm_leaf *cm_snap_lookup(const cm_snap *s, uint32_t leaf, uint32_t subleaf);

/*
 * One bit as software sees it: 1, 0, or -1 when unknown (a leaf a partial snapshot does
 * not list, or a register a dump marks unknown). -1 too for reg > 3 or bit > 31.
 */
int cm_snap_bit(const cm_snap *s, uint32_t leaf, uint32_t subleaf, int reg, int bit);

int cm_snap_set_source(cm_snap *s, const char *source);	/* copies; NULL clears */
const char *cm_snap_source(const cm_snap *s);			/* "" when not set */
void cm_snap_set_complete(cm_snap *s, bool complete);
bool cm_snap_complete(const cm_snap *s);

/* Same completeness and the same results, bit for bit (the source name is not compared). */
bool cm_snap_equal(const cm_snap *a, const cm_snap *b);

/* ---------------------------------------------------------------- the feature table */

enum cm_feature_flag {
	CM_FF_INTEL = 1u << 0,		/* defined by Intel (leaves below 0x80000000) */
	CM_FF_AMD = 1u << 1,		/* defined by AMD (0x8000xxxx) */
	CM_FF_CENTAUR = 1u << 2,	/* defined by Centaur/Zhaoxin (0xC000xxxx) */
	CM_FF_DYNAMIC = 1u << 3,	/* mirrors a control register the OS sets (OSXSAVE, OSPKE) */
	CM_FF_HOSTONLY = 1u << 4,	/* hypervisors do not pass it to guests by default */
	CM_FF_XSTATE = 1u << 5,		/* an XSAVE state component (leaf 0xD) */
	CM_FF_ACCUMULATE = 1u << 6,	/* OR-ed, not AND-ed, across a migration pool (Xen '|') */
	CM_FF_NOMIGRATE = 1u << 7,	/* blocks live migration when exposed (invtsc) */
	CM_FF_VMLABEL = 1u << 8,	/* the label is vSphere's own wording */
};

struct cm_feature {
	const char *name;		/* canonical name (the Linux spelling where there is one) */
	uint32_t leaf;
	uint32_t subleaf;		/* CM_NO_SUBLEAF for leaves that ignore ECX */
	uint8_t reg;			/* enum cm_reg */
	uint8_t bit;
	uint16_t flags;			/* enum cm_feature_flag */
	const char *label;		/* vSphere's label when it has one, else ours; never NULL */
	const char *vmware_key;		/* vSphere feature key (cpuid.<key>), or NULL */
	const char *linux_name;		/* /proc/cpuinfo flag, or NULL */
	const char *qemu_name;		/* -cpu MODEL,+name, or NULL */
	const char *libvirt_name;	/* <feature name=...>, or NULL */
	const char *xen_name;		/* xl cpuid= name, or NULL */
	const char *desc;		/* one line */
};

/* Number of rows; ids are 0 .. count-1, in table order (leaf, subleaf, register, bit). */
size_t cm_feature_count(void);
const struct cm_feature *cm_feature_at(size_t id);
/*
 * The id of a feature named by its canonical name or any tool's spelling (case, '-', '_'
 * and '.' do not matter), or CM_ENOTFOUND. Canonical names win over other spellings.
 */
int cm_feature_find(const char *name);
/* The id of the feature at that bit, or CM_ENOTFOUND. */
int cm_feature_at_bit(uint32_t leaf, uint32_t subleaf, int reg, int bit);

/* ---------------------------------------------------------------- feature sets */

/* A set of feature ids: a plain value, zero is empty, no operation can fail. */
#define CM_FSET_BITS 1024
struct cm_fset {
	uint64_t w[CM_FSET_BITS / 64];
};

void cm_fset_add(struct cm_fset *s, size_t id);
void cm_fset_del(struct cm_fset *s, size_t id);
bool cm_fset_has(const struct cm_fset *s, size_t id);
void cm_fset_and(struct cm_fset *s, const struct cm_fset *t);
void cm_fset_or(struct cm_fset *s, const struct cm_fset *t);
void cm_fset_andnot(struct cm_fset *s, const struct cm_fset *t);
bool cm_fset_equal(const struct cm_fset *a, const struct cm_fset *b);
bool cm_fset_subset(const struct cm_fset *a, const struct cm_fset *b); /* a within b */
bool cm_fset_empty(const struct cm_fset *s);
size_t cm_fset_count(const struct cm_fset *s);
/* The first id >= from in the set, or -1. Loop: for (i = next(s,0); i >= 0; i = next(s,i+1)) */
long cm_fset_next(const struct cm_fset *s, size_t from);

/*
 * The features a snapshot shows. `present` gets every feature whose bit is 1; `unknown`
 * (may be NULL) every feature whose bit is unknown. Cannot fail.
 */
void cm_snap_features(const cm_snap *s, struct cm_fset *present, struct cm_fset *unknown);

/* ---------------------------------------------------------------- decoding */

enum cm_vendor {
	CM_VENDOR_UNKNOWN = 0,
	CM_VENDOR_INTEL,
	CM_VENDOR_AMD,
	CM_VENDOR_HYGON,
	CM_VENDOR_CENTAUR,
	CM_VENDOR_ZHAOXIN,
	CM_VENDOR_OTHER,
};

/* What leaf 0, leaf 1 and the brand leaves say. Strings are empty when unknown. */
struct cm_cpuinfo {
	char vendor[13];		/* "GenuineIntel", "AuthenticAMD", ... */
	enum cm_vendor vendor_id;
	char brand[49];			/* leaves 0x80000002-4, leading spaces removed */
	bool has_signature;		/* leaf 1 EAX is known */
	uint32_t signature;		/* leaf 1 EAX */
	unsigned family, model, stepping;	/* display values (extended fields applied) */
	const char *uarch;		/* microarchitecture, or NULL when not in the table */
	int x86_64_level;		/* 0 (not x86-64), 1 .. 4: the level the known bits prove */
	int x86_64_level_max;		/* the level if every unknown bit were set; equal to
					 * x86_64_level for complete data */
	uint32_t max_leaf, max_ext_leaf;	/* 0 when the leaf is absent */
};

void cm_decode(const cm_snap *s, struct cm_cpuinfo *out);
/* "intel", "amd", ...; the short lowercase name of a vendor. */
const char *cm_vendor_name(enum cm_vendor v);

/* ---------------------------------------------------------------- comparing */

/* A differing bit that no feature names, in a register the feature table covers. */
struct cm_rawbit {
	uint32_t leaf, subleaf;
	uint8_t reg, bit;
	uint8_t a, b;		/* the two values */
};
typedef int (*cm_rawbit_cb)(const struct cm_rawbit *bit, void *payload);

/*
 * Compare the features of two snapshots: `only_a` gets what A shows and B does not,
 * `only_b` the reverse, `unknown` (may be NULL) what either does not know. `cb` (may be
 * NULL) is called for every unnamed differing bit, in (leaf, subleaf, reg, bit) order;
 * a non-zero return from it stops the walk and is returned.
 */
int cm_diff(const cm_snap *a, const cm_snap *b, struct cm_fset *only_a, struct cm_fset *only_b,
	    struct cm_fset *unknown, cm_rawbit_cb cb, void *payload);

/* ---------------------------------------------------------------- named baselines */

struct cm_model {
	const char *name;		/* "x86-64-v3", "intel-westmere", "Westmere", ... */
	const char *family;		/* "x86-64", "evc" (EVC-like) or "qemu" (QEMU/libvirt) */
	const char *vendor;		/* "intel", "amd", "hygon" or "any" */
	const char *desc;		/* one line, with its source */
	const char *features;		/* canonical feature names, space-separated */
};
size_t cm_model_count(void);
const struct cm_model *cm_model_at(size_t i);
/* The model of that name (any case), or NULL. */
const struct cm_model *cm_model_find(const char *name);
/* The model's features as a set. */
void cm_model_features(const struct cm_model *m, struct cm_fset *out);
/*
 * True when the host has every feature the model needs; `missing` (may be NULL) gets the
 * rest. For EVC-like models only the bits VMware's profile leaves to the host count.
 */
bool cm_model_met(const struct cm_model *m, const cm_snap *host, struct cm_fset *missing);
/*
 * The model of `family` ("qemu", "evc", "x86-64") for `vendor` whose features all lie in
 * `have` (for "evc", as cm_model_met counts them) and that has the most of them; NULL
 * when none fits.
 */
const struct cm_model *cm_model_best(const struct cm_fset *have, enum cm_vendor vendor,
				     const char *family);

/* ---------------------------------------------------------------- formats */

enum cm_view { CM_VIEW_HOST = 0, CM_VIEW_GUEST = 1 };

struct cm_read_opts {
	const char *format;	/* a name from cm_format_at(), or NULL to detect */
	long cpu;		/* which CPU of a multi-CPU source, or -1 for the first */
	enum cm_view view;	/* host or guest view of a vmware.log */
};
#define CM_READ_OPTS_INIT { NULL, -1, CM_VIEW_HOST }

struct cm_format_info {
	const char *name;	/* "cpuidmask", "cpuid-r", "instlat", "vmware-log", ... */
	const char *summary;
	bool multi_cpu;		/* may hold several CPUs (--cpu) */
	bool has_views;		/* has host and guest views (--view) */
	bool multi_host;	/* those are separate hosts, not the CPUs of one machine */
};
size_t cm_format_count(void);
const struct cm_format_info *cm_format_at(size_t i);
/* The format that best fits the start of the data, or NULL. */
const struct cm_format_info *cm_format_probe(const char *data, size_t len);

/*
 * Read one CPU from data. `name` (a file name, "-" ...) becomes the snapshot's source when
 * the data does not name one. On failure err->line says where.
 */
int cm_read(cm_snap **out, const char *data, size_t len, const char *name,
	    const struct cm_read_opts *opts, struct cm_error *err);

/*
 * Read every CPU in data: `cb` receives each snapshot and owns it; a non-zero return stops
 * the read and is returned. Nothing is passed to cb when the data has an error.
 */
typedef int (*cm_snap_cb)(cm_snap *s, long cpu, void *payload);
int cm_read_each(const char *data, size_t len, const char *name, const struct cm_read_opts *opts,
		 cm_snap_cb cb, void *payload, struct cm_error *err);

/* Append a snapshot in the canonical dump format (docs/dump-format.md). */
int cm_write_dump(struct cm_buf *b, const cm_snap *s);

/* ---------------------------------------------------------------- fleets */

/*
 * Many hosts, kept small: per host a name and the index of its group; per group (hosts
 * with identical features, unknown features and vendor) two feature sets. Memory grows
 * with the hosts only by those. Canonical and cpuid -r text are read by a fast path that
 * keeps only the registers features live in; anything unusual in them is read again by the
 * strict reader, so errors and results are the same.
 *
 * Partial hosts (vSphere feature vectors) do not give every bit: a feature whose bit is
 * unknown is in a group's `unknown`, never in its `features`. It is kept out of every
 * baseline (nothing unknown can be relied on), but it is not absent: the analyses below
 * say which of what they leave out is only unknown.
 */
typedef struct cm_fleet cm_fleet;

struct cm_fleet_group {
	struct cm_fset features;	/* the bit is 1 */
	struct cm_fset unknown;		/* the data does not give the bit (disjoint from features) */
	enum cm_vendor vendor;
	uint32_t signature;	/* leaf 1 EAX of its first host */
	size_t hosts;		/* how many hosts */
	size_t first;		/* its first host */
};

int cm_fleet_new(cm_fleet **out);
void cm_fleet_free(cm_fleet *f);
/*
 * Add every host of one input (a file of any format; several hosts for our format and
 * vSphere listings, one for the others). On failure no host of the input is added and err
 * says where.
 */
int cm_fleet_add(cm_fleet *f, const char *data, size_t len, const char *name,
		 struct cm_error *err);
/* Order the groups by size, largest first (then by first host). Call after the last add. */
void cm_fleet_sort(cm_fleet *f);
size_t cm_fleet_host_count(const cm_fleet *f);
size_t cm_fleet_group_count(const cm_fleet *f);
const struct cm_fleet_group *cm_fleet_group_at(const cm_fleet *f, size_t i);
const char *cm_fleet_host_name(const cm_fleet *f, size_t i);
size_t cm_fleet_host_group(const cm_fleet *f, size_t i);
/*
 * The baseline of the fleet's hosts of one vendor: AND, then the dependency closure. A
 * feature unknown on some host is not in it.
 */
void cm_fleet_baseline(const cm_fleet *f, enum cm_vendor v, struct cm_fset *out);
/*
 * What keeps the baseline down only for want of data: the features of vendor `v` that no
 * host is known to lack (nor anything they need) but that some host's data does not give
 * (or not all they need). They are not in the baseline; they would be if the hosts that do
 * not give them had them. `hosts` (may be NULL, else cm_feature_count() entries) gets per
 * feature of `out` how many hosts do not give it (or something it needs); 0 elsewhere.
 */
void cm_fleet_unknown(const cm_fleet *f, enum cm_vendor v, struct cm_fset *out, size_t *hosts);

/* What the baseline would gain without one group of hosts. */
struct cm_fleet_gain {
	size_t group;
	struct cm_fset gain;	/* features the baseline would add that the group lacks */
	struct cm_fset unknown;	/* it would add these too, but the group's data does not give
				   them: it does not hold them down by lacking them */
};
/*
 * The groups of vendor `v` that hold its baseline down, each with its gain, largest `gain`
 * first (then largest `unknown`); a group is listed when either is not empty; at most
 * `max`. Free *out with free().
 */
int cm_fleet_limiting(const cm_fleet *f, enum cm_vendor v, size_t max, struct cm_fleet_gain **out,
		      size_t *n);

/*
 * Retiring hosts, cheapest first: at each step the groups to retire are those known to
 * lack the feature that the fewest remaining hosts are known to lack and every remaining
 * host that is not retired for it surely has (a host is never retired for a feature its
 * data does not give, nor for one another host left does not give). Steps are cumulative and stop after
 * `max` steps or before half the vendor's hosts would go. The groups retired, in order,
 * are groups[0 .. steps[i].groups) at step i.
 */
struct cm_fleet_step {
	size_t hosts;		/* hosts retired so far */
	size_t groups;		/* groups retired so far (a prefix of the ladder's groups) */
	struct cm_fset gain;	/* features the baseline gains, so far */
	struct cm_fset unknown;	/* the baseline would add these too, but every retired host
				   only does not give them: not counted, so far */
};
struct cm_fleet_ladder {
	struct cm_fleet_step *steps;
	size_t nsteps;
	size_t *groups;		/* group indexes, in the order they are retired */
	size_t ngroups;
};
int cm_fleet_ladder(const cm_fleet *f, enum cm_vendor v, size_t max, struct cm_fleet_ladder *out);
void cm_fleet_ladder_free(struct cm_fleet_ladder *l);

/* ---------------------------------------------------------------- the live CPU */

/*
 * Capture the CPU this code runs on: every basic, hypervisor and extended leaf up to its
 * maximum, every subleaf by the leaf's own enumeration rule. CM_EUNSUPPORTED on non-x86.
 */
int cm_capture(cm_snap **out, struct cm_error *err);


/* ---------------------------------------------------------------- dependencies */

/*
 * "Feature B needs feature A": the edges of lib/deps.def, each with its reason. A mask
 * that hides A must hide everything that needs A, directly or not.
 */
struct cm_dep {
	const char *feature;	/* canonical name of the prerequisite */
	const char *dependent;	/* canonical name of what needs it */
	const char *reason;	/* one line, with the sources that assert the edge */
};
size_t cm_dep_count(void);
const struct cm_dep *cm_dep_at(size_t i);
/* Everything that needs any feature of `of`, directly or transitively (not `of` itself). */
void cm_deps_closure(const struct cm_fset *of, struct cm_fset *out);

/* ---------------------------------------------------------------- masks */

/*
 * What a mask does to one bit. VMware's .vmx characters and Xen's legacy characters map
 * onto one set of actions (docs/masks.md):
 *
 *   action          vmx  xen  the guest sees          checked at power-on / migration
 *   CM_ACT_DEFAULT   -    x   the hypervisor default   as the default profile says
 *   CM_ACT_IGNORE    x        the default              never (guest does not use it)
 *   CM_ACT_REQUIRE1  T        the default              host / destination must have 1
 *   CM_ACT_REQUIRE0  F        the default              host / destination must have 0
 *   CM_ACT_SET       1    1   1                        never
 *   CM_ACT_CLEAR     0    0   0                        never
 *   CM_ACT_HIDE_CHK  R        0                        source and destination must agree
 *   CM_ACT_HOST      H   k s  the host's bit           source and destination must agree
 */
enum cm_action {
	CM_ACT_DEFAULT = 0,
	CM_ACT_IGNORE,
	CM_ACT_REQUIRE1,
	CM_ACT_REQUIRE0,
	CM_ACT_SET,
	CM_ACT_CLEAR,
	CM_ACT_HIDE_CHK,
	CM_ACT_HOST,
};
#define CM_ACT_COUNT 8

/* The .vmx character of an action ('-', 'x', 'T', 'F', '1', '0', 'R', 'H'). */
char cm_action_vmx_char(enum cm_action a);
/* A short English description ("hide", "force on", ...). */
const char *cm_action_describe(enum cm_action a);

/* The actions of one CPUID register, and where they were written. */
struct cm_mask_reg {
	uint32_t leaf;
	uint32_t subleaf;	/* CM_NO_SUBLEAF for leaves that ignore ECX */
	uint8_t reg;		/* enum cm_reg */
	uint8_t act[32];	/* enum cm_action, indexed by bit */
	const char *origin;	/* "FILE:LINE" of the line that set it, or "" */
	/* per bit, the line that set it ("" unknown; merges mix lines) and the column of its
	 * character on that line (1-based; 0 unknown) */
	const char *bit_origin[32];
	uint16_t col[32];
};

/*
 * A mask: registers in the order they were first given (a .vmx writer keeps that order).
 * Registers that are all CM_ACT_DEFAULT may be present; writers skip them.
 */
typedef struct cm_mask cm_mask;

int cm_mask_new(cm_mask **out);
void cm_mask_free(cm_mask *m);
int cm_mask_dup(cm_mask **out, const cm_mask *m);
size_t cm_mask_count(const cm_mask *m);
const struct cm_mask_reg *cm_mask_at(const cm_mask *m, size_t i);
/*
 * The register's entry, or NULL when the mask says nothing about it. Subleaf 0 of a leaf
 * that takes no subleaf is the same register as CM_NO_SUBLEAF: a mask stores it as
 * CM_NO_SUBLEAF, and either finds it.
 */
const struct cm_mask_reg *cm_mask_find(const cm_mask *m, uint32_t leaf, uint32_t subleaf, int reg);
/* The action on one bit (CM_ACT_DEFAULT when the mask has no entry). */
enum cm_action cm_mask_action(const cm_mask *m, uint32_t leaf, uint32_t subleaf, int reg, int bit);
/* Set one bit's action, adding the register (with `origin`, copied) when it is new. */
int cm_mask_set(cm_mask *m, uint32_t leaf, uint32_t subleaf, int reg, int bit, enum cm_action a,
		const char *origin);
/* The same, also recording the column of the bit's character on origin's line (1-based). */
int cm_mask_set_at(cm_mask *m, uint32_t leaf, uint32_t subleaf, int reg, int bit,
		   enum cm_action a, const char *origin, unsigned col);
/* True when every action is CM_ACT_DEFAULT. */
bool cm_mask_empty(const cm_mask *m);

/*
 * Merge `from` into `into`: the union of what both hide, the seed's way of making one mask
 * for both directions. A bit with incompatible actions (0 against 1, T against F, H
 * against 0 ...) is CM_ECONFLICT; err names the bit and both origins ("FILE:LINE:COL" where
 * the column is known; err->leaf, subleaf, reg and bit say which), and `into` is left
 * unchanged.
 */
int cm_mask_merge(cm_mask *into, const cm_mask *from, struct cm_error *err);

/* A warning from a reader: the input is used, but something in it deserves a look. */
typedef void (*cm_warn_cb)(const struct cm_error *w, void *payload);

/*
 * Read the cpuid.<leaf>.<reg> lines of a whole .vmx file (other keys are kept out of the
 * mask and ignored; a cpuid.* key given twice is an error, unknown cpuid.* keys are warnings).
 * Also reads single lines such as `cpuid.1.ecx = "----0---..."`.
 */
int cm_mask_read_vmx(cm_mask **out, const char *data, size_t len, const char *name,
		     cm_warn_cb warn, void *payload, struct cm_error *err);
/*
 * Read Xen's legacy strings "leaf[,subleaf]:reg=<32 chars>[,reg=...]", bare (one per line)
 * or as the list of an xl.cfg `cpuid = [ ... ]` line.
 */
int cm_mask_read_xen(cm_mask **out, const char *data, size_t len, const char *name,
		     cm_warn_cb warn, void *payload, struct cm_error *err);
/* Detect .vmx or Xen and read it. */
int cm_mask_read(cm_mask **out, const char *data, size_t len, const char *name,
		 cm_warn_cb warn, void *payload, struct cm_error *err);

/*
 * Append `cpuid.<leaf>.<reg> = "<32 chars>"` lines (leaf in lower-case hex, bit 31 first),
 * one per register with a non-default action, in the mask's order. A register of a
 * subleaf other than 0 has no .vmx key: CM_EUNSUPPORTED, naming it.
 */
int cm_mask_write_vmx(struct cm_buf *b, const cm_mask *m, struct cm_error *err);
/*
 * Set `n` keys of a .vmx file to new values, byte-exactly everywhere else: a line whose key
 * (any case) is in `keys` gets the new value and keeps its key, spacing and line end; keys
 * the file lacks are added after the last line that sets a key of the same kind (cpuid.,
 * featMask.) or at the end, in the file's line ends, keeping a missing final newline
 * missing. Values are written quoted. `changed` (may be NULL) gets the number of lines
 * changed or added. The file must hold each of `keys` at most once (CM_ECONFLICT).
 */
int cm_vmx_set_keys(struct cm_buf *out, const char *data, size_t len, const char *const *keys,
		    const char *const *values, size_t n, size_t *changed, struct cm_error *err);

/* Append Xen legacy strings, one per register. T, F, R and x: CM_EUNSUPPORTED. */
int cm_mask_write_xen(struct cm_buf *b, const cm_mask *m, struct cm_error *err);

/* ---------------------------------------------------------------- the guest's view */

/* How a hypervisor treats a feature bit before any per-VM mask (lib/profile_vmware.def). */
enum cm_profile_rule {
	CM_PROF_PASS = 0,	/* the guest sees the host's bit */
	CM_PROF_HIDE,		/* never shown to guests */
	CM_PROF_SET,		/* always shown: provided in software */
	CM_PROF_OS,		/* follows a control register the guest OS sets */
	CM_PROF_UNTRACKED,	/* not a feature the hypervisor compares (topology, ...) */
};

struct cm_profile_entry {
	const char *feature;	/* canonical name */
	enum cm_profile_rule rule;
	const char *why;	/* the evidence */
};
size_t cm_profile_count(void);
const struct cm_profile_entry *cm_profile_at(size_t i);
/* The rule for a feature id under the VMware profile (explicit rows, then the table's flags). */
enum cm_profile_rule cm_profile_rule_of(size_t id, const char **why);

/*
 * What a VM sees when powered on on `host`: the host's CPUID, then the hypervisor's default
 * profile (when `vmware` is true), then the VM's mask (may be NULL). Feature bits follow the
 * profile; every bit of a masked register follows the mask, except, with `vmware`, the bits
 * cm_guest_mask_unconfirmed names, which keep the profile's value.
 */
int cm_guest_view(cm_snap **out, const cm_snap *host, const cm_mask *mask, bool vmware,
		  struct cm_error *err);
/*
 * True for a bit VMware owns, where no source says whether a VM mask changes what the guest
 * sees: CPUID.1:ECX[31] (hypervisor present, set for every guest). cm_guest_view leaves it
 * at the profile's value; callers should say what the mask asked for.
 */
bool cm_guest_mask_unconfirmed(uint32_t leaf, uint32_t subleaf, int reg, int bit);

/* ---------------------------------------------------------------- the vMotion check */

enum cm_block_reason {
	CM_BLOCK_MISSING,	/* the guest sees it and the destination cannot provide it */
	CM_BLOCK_REQUIRED,	/* a T or F requirement does not hold */
	CM_BLOCK_MISMATCH,	/* R or H: source and destination hosts differ */
	CM_BLOCK_UNKNOWN,	/* a destination bit the data does not give */
};
const char *cm_block_reason_name(enum cm_block_reason r);	/* "missing", ... */

struct cm_block {
	uint32_t leaf, subleaf;
	uint8_t reg, bit;
	int feature;		/* feature id, or -1 for a bit the table does not name */
	enum cm_block_reason reason;
	enum cm_action action;	/* the mask's action on the bit */
	int8_t on, to;		/* the two hosts' bits (-1 unknown) */
	bool at_power_on;	/* the power-on host already fails the requirement */
};

struct cm_check {
	bool pass;
	size_t n;		/* blocks, in (leaf, subleaf, reg, bit) order */
	struct cm_block *v;
};

/*
 * A VM configured with `mask` (may be NULL), powered on on `on`, live-migrated to `to`,
 * with VMware's rules (docs/masks.md). Fills *out; free it with cm_check_free().
 */
int cm_check_migration(struct cm_check *out, const cm_snap *on, const cm_snap *to,
		       const cm_mask *mask, struct cm_error *err);
void cm_check_free(struct cm_check *c);


/* ---------------------------------------------------------------- baselines */

/* The features a set of hosts share, closed under the dependency table. */
struct cm_baseline {
	struct cm_fset common;		/* every host has it, and all it needs is common too */
	struct cm_fset by_dependency;	/* every host has it, but something it needs is not
					 * common: hidden only for that reason */
	struct cm_fset some;		/* at least one host has it */
	struct cm_fset unknown;		/* some host's data does not give it: treated as absent */
	enum cm_vendor vendor;		/* of the first host */
	bool mixed_vendors;		/* the hosts are not all of one vendor */
};

#define CM_BASELINE_FORCE 1u	/* accept hosts of different vendors */

/*
 * The baseline of n hosts. Different vendors are CM_ECONFLICT unless flags has
 * CM_BASELINE_FORCE: a guest cannot move between Intel and AMD whatever its mask says
 * (family/model, vendor-specific MSRs, SYSCALL and SYSENTER semantics, microcode interfaces
 * all differ). err->msg then says so and names no source (it always fits); err->line is the
 * index (from 0) of the first host whose vendor differs from the first's, for the caller
 * to name it.
 */
int cm_baseline(struct cm_baseline *out, const cm_snap *const *hosts, size_t n, unsigned flags,
		struct cm_error *err);

enum cm_mask_style {
	CM_STYLE_MINIMAL,	/* hide only what is not common */
	CM_STYLE_FULL,		/* force 0 on every bit of the levelled registers that is not a
				 * common feature (the seed's "poor man's EVC") */
	CM_STYLE_EXACT,		/* FULL, but bits VMware sets or leaves to the OS are forced too:
				 * exactly the kept features pass, as the seed's mode mask does */
};

/*
 * The mask that makes hosts look alike. `keep` is the set of features the guest may see
 * (a baseline's `common`, or a named model's features); `some` the features at least one
 * host has (MINIMAL hides `some` minus `keep`). With `vmware`, bits VMware's profile already
 * fixes (hidden, set, OS-controlled, untracked) are left alone, as a .vmx needs; without it,
 * bits every hypervisor keeps from guests (host-only, OS-set, XSAVE state, which follows its
 * features) are, and so are the bits Xen levels itself: the pooled ones (CM_FF_ACCUMULATE,
 * OR-ed across a pool) and the x87 bits it passes through from the host
 * (fdp_excptn_only, zero_fcs_fds).
 */
int cm_baseline_mask(cm_mask **out, const struct cm_fset *keep, const struct cm_fset *some,
		     enum cm_mask_style style, bool vmware, struct cm_error *err);

/* The registers CM_STYLE_FULL levels, in order: n is set, the array is static. */
const struct cm_levelled {
	uint32_t leaf, subleaf;
	uint8_t reg;
} *cm_levelled_regs(size_t *n);

/* ---------------------------------------------------------------- configuration emitters */

enum cm_target {
	CM_TARGET_VMX,		/* cpuid.<leaf>.<reg> = "..." lines */
	CM_TARGET_FEATMASK,	/* featMask.vm.cpuid.<KEY> = "Val:0" (hardware version 9+) */
	CM_TARGET_XEN,		/* xl.cfg cpuid = [ "leaf:reg=..." ] (legacy strings) */
	CM_TARGET_XL,		/* xl.cfg cpuid = "host,name=0,..." (libxl names) */
	CM_TARGET_QEMU,		/* -cpu MODEL,feat=on,feat=off,enforce */
	CM_TARGET_LIBVIRT,	/* <cpu mode='custom' match='exact'> */
	CM_TARGET_PROXMOX,	/* cpu: line, with a cpu-models.conf section when needed */
};
/* The target named ("vmx", "featmask", "xen", "xl", "qemu", "libvirt", "proxmox"), or -1. */
int cm_target_from_name(const char *name);

/* What an emitter works from. */
struct cm_emit_input {
	const cm_mask *mask;		/* what to hide (mask targets) */
	const struct cm_fset *keep;	/* what the guest may see (model targets) */
	enum cm_vendor vendor;
	const char *name;		/* a name for Proxmox's custom model, or NULL */
	/*
	 * May be NULL. For model targets: does the hypervisor at hand know this CPU model
	 * (is_model) or feature name? Unknown models are not picked, unknown features are
	 * left out (and reported through `note`), as for an older libvirt's CPU map.
	 */
	bool (*known)(bool is_model, const char *name, void *ctx);
	void *known_ctx;
};

/*
 * Append the configuration for `target`. An action the target cannot express is
 * CM_EUNSUPPORTED naming the bit, never dropped. `note` (may be NULL) hears what a model
 * target leaves out because the hypervisor has no name for it (not shown to the guest).
 */
int cm_emit(struct cm_buf *b, enum cm_target target, const struct cm_emit_input *in,
	    cm_warn_cb note, void *payload, struct cm_error *err);

/* ---------------------------------------------------------------- mask lint */

enum cm_lint_kind {
	CM_LINT_DEPENDENCY,	/* a feature hidden, something that needs it not */
	CM_LINT_HYPERVISOR_BIT,	/* CPUID.1:ECX[31] forced */
	CM_LINT_FORCED_ON,	/* a feature forced to 1 */
	CM_LINT_NOT_A_FEATURE,	/* an action on a bit the table does not name */
};

struct cm_lint {
	enum cm_lint_kind kind;
	int feature;		/* the bit concerned (for DEPENDENCY: the dependent), or -1 */
	int parent;		/* DEPENDENCY: the hidden prerequisite */
	uint32_t leaf, subleaf;
	uint8_t reg, bit;
	const char *origin;	/* the mask line concerned, or "" */
};

/* Every finding, in bit order; free the array with free(). */
int cm_mask_lint(const cm_mask *m, struct cm_lint **out, size_t *n, struct cm_error *err);

#ifdef __cplusplus
}
#endif
#endif /* CPUIDMASK_H */
