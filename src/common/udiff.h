/* udiff.h - a unified diff of two texts, for --dry-run (shared by the CLIs). */
#ifndef CLI_UDIFF_H
#define CLI_UDIFF_H

#include <stddef.h>
#include <stdio.h>

/*
 * Print the unified diff (3 lines of context) turning text a into text b, with the given
 * file labels. Lines keep their line ends as they are. Returns -1 when out of memory.
 */
int udiff(FILE *f, const char *label_a, const char *a, size_t an, const char *label_b,
	  const char *b, size_t bn);

#endif
