/* msg.h - how the command-line tools report (shared by the three CLIs). */
#ifndef CLI_MSG_H
#define CLI_MSG_H

#include <stdio.h>

/* Exit statuses shared by the tools (each man page lists its own meaning of 1). */
enum { EXIT_OK = 0, EXIT_DIFFER = 1, EXIT_ERROR = 2 };

extern const char *prog;	/* the program name, for messages */

/* "prog: message\n" on stderr; returns EXIT_ERROR so call sites read `return error(...)`. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: warning: message\n" on stderr. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "where: message\n" on stderr, for errors that belong to a place in a file. */
int error_at(const char *where, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
