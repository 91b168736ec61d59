/* cli.h - what the cpuidmask subcommands share (one subcommand per cmd_*.c file). */
#ifndef CPUIDMASK_CLI_H
#define CPUIDMASK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cpuidmask.h"
#include "../common/json.h"
#include "../common/msg.h"
#include "../common/opt.h"

int cmd_dump(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_formats(int argc, char **argv);
int cmd_mask(int argc, char **argv);
int cmd_guest(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_modes(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_fleet(int argc, char **argv);


/* ---- show's output, also used for the guest's view (cmd_show.c) */
void show_text(const cm_snap *s, bool leaves);
void show_json(const cm_snap *s);
void show_json_open(struct json *j, const cm_snap *s);	/* the same, the object left open */

/* ---- reading masks (mask_load.c) */

/*
 * Read a mask file (.vmx or Xen strings; "-" is standard input), printing warnings as
 * "FILE:LINE: warning: ...". Prints the error and returns EXIT_ERROR on failure.
 */
int mask_load(const char *path, cm_mask **out);
/* The same for text given on the command line (named "argument N"). */
int mask_load_text(const char *text, const char *name, cm_mask **out);
/* Print a library error about a named input as "NAME:LINE:COL: message". */
int report_error(const char *name, const struct cm_error *e);

/* ---- reading SOURCE operands (source.c) */

/* The options every command that reads dumps takes; see SOURCE_OPTS. */
struct source_opts {
	const char *format;
	long cpu;
	const char *view;
};
#define SOURCE_OPTS_INIT { NULL, -1, NULL }
#define SOURCE_OPTS(so) \
	{ OPT_STRING, "format", 'f', &(so).format, "NAME", \
	  "read SOURCE as this format (default: detected)" }, \
	{ OPT_LONG, "cpu", 0, &(so).cpu, "N", "take CPU N of a multi-CPU dump (default: first)" }, \
	{ OPT_STRING, "view", 0, &(so).view, "host|guest", \
	  "vmware.log: the host's CPUID (default) or the guest's" }

/*
 * Load SOURCE: a file, "-" for standard input, or NULL / "host" for this machine. Prints
 * "FILE:LINE:COL: what is wrong" and returns EXIT_ERROR on failure.
 */
int source_load(const char *arg, const struct source_opts *so, cm_snap **out);

/* ---- several hosts (hosts.c) */
int hosts_load(char **args, int n, const struct source_opts *so, cm_snap ***out);
void hosts_free(cm_snap **v, int n);
/* Print cm_baseline()'s error for hosts[0..n), naming the two hosts of a vendor mix;
 * returns EXIT_ERROR. */
int baseline_error(const struct cm_error *err, cm_snap *const *hosts, int n);
/* A named baseline by its name, or by an EVC-like mode's short name ("westmere"). */
const struct cm_model *model_lookup(const char *name);

/* ---- printing features and snapshots (output.c) */

/* "CPUID level 0x1 register 'ecx'" (with "subleaf 0xN" when N > 0), as vSphere groups them. */
void print_group_title(FILE *f, uint32_t leaf, uint32_t subleaf, int reg);
/* Every feature of the set, grouped by register, indented by `indent` spaces. */
void print_fset(FILE *f, const struct cm_fset *s, int indent);
/* One line per register: its title and how many features of the set it holds. */
void print_fset_groups(FILE *f, const struct cm_fset *s, int indent);
/* "Ivy Bridge, family 0x6 model 0x3a": a fleet group's microarchitecture and signature. */
void group_label(const struct cm_fleet_group *g, char *out, size_t n);
/* A feature as {"name", "label", "leaf", "subleaf", "register", "bit"} on one line. */
void json_feature(struct json *j, const char *key, size_t id);
void json_fset(struct json *j, const char *key, const struct cm_fset *s);

#endif
