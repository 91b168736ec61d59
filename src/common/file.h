/* file.h - reading inputs whole and replacing files safely (shared by the CLIs). */
#ifndef CLI_FILE_H
#define CLI_FILE_H

#include <stddef.h>

/* Inputs larger than this are refused rather than read. */
#define FILE_MAX_INPUT ((size_t)1 << 30)

/*
 * Read a whole file ("-" is standard input) into a malloc'ed buffer with a NUL after the
 * last byte. On failure prints "prog: PATH: reason" and returns -1.
 */
int file_read(const char *path, char **data, size_t *len);

/*
 * Replace (or create) PATH with data, so that PATH holds either its old content or the
 * new one, never a mix: a temporary file in the same directory, written, given the old
 * file's owner, group and mode (as far as we may), fsync'ed, renamed over PATH; then the
 * directory is fsync'ed. A symbolic link
 * is kept and its target replaced; a FIFO or device is written in place. "-" writes to
 * standard output. On failure prints "prog: PATH: reason", leaves PATH as it was and
 * returns -1.
 */
int file_replace(const char *path, const char *data, size_t len);

struct stat;

/*
 * The safe edit of a file the user owns. PATH was read as OLD (LEN bytes) when stat gave
 * BEFORE. First a backup holding OLD with PATH's own permissions, owner and group (never
 * wider: the file may hold a password): PATH followed by SUFFIX, or PATH SUFFIX.1, .2, ...
 * when that name holds something else (no backup is ever overwritten; a link there is
 * refused). Then, only if PATH still is what was read (same inode, size, mtime and bytes),
 * PATH is replaced by NEW with file_replace. *bak gets the backup's name (malloc'ed, or
 * NULL; the caller frees it, even on failure). On failure prints "prog: ..." and returns
 * -1 with PATH as it was.
 */
int file_edit(const char *path, const char *old, size_t len, const struct stat *before,
	      const char *new_data, size_t new_len, const char *suffix, char **bak);

#endif
