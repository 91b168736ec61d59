/* file.c - whole-file input and crash-safe output. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "msg.h"

static int read_fd(int fd, const char *path, char **data, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return error("%s: out of memory", path), -1;
	for (;;) {
		if (n == cap) {
			if (cap >= FILE_MAX_INPUT) {
				free(buf);
				return error("%s: larger than %zu MiB; refusing to read it", path,
					     FILE_MAX_INPUT >> 20), -1;
			}
			cap *= 2;
			char *p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return error("%s: out of memory", path), -1;
			}
			buf = p;
		}
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			return error("%s: %s", path, strerror(e)), -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

int file_read(const char *path, char **data, size_t *len)
{
	if (strcmp(path, "-") == 0)
		return read_fd(0, "(standard input)", data, len);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error("%s: %s", path, strerror(errno)), -1;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return error("%s: is a directory", path), -1;
	}
	int rc = read_fd(fd, path, data, len);
	close(fd);
	return rc;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t k = write(fd, data, len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Write to something that is not a regular file (a FIFO, a terminal, /dev/stdout) in place. */
static int write_in_place(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return error("%s: %s", path, strerror(errno)), -1;
	int rc = write_all(fd, data, len);
	int e = errno;
	if (close(fd) && !rc) {
		rc = -1;
		e = errno;
	}
	if (rc)
		return error("%s: %s", path, strerror(e)), -1;
	return 0;
}

/* The rename or link that made a file must reach the disk too. */
static void sync_dir(const char *path)
{
	char *dcopy = strdup(path);
	if (!dcopy)
		return;
	int dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0)
		warning("%s: written, but its directory could not be synced (%s): the change may "
			"not survive a power failure", path, strerror(errno));
	if (dfd >= 0)
		close(dfd);
	free(dcopy);
}

/*
 * A new file beside PATH (PATH.tmpXXXXXX) holding DATA, with the mode of ST and, when
 * OWNED, its owner and group (as far as we may: only root gives files away), synced and
 * closed. *tmp gets its name. On failure prints "prog: ..." and returns -1, nothing left.
 */
static int write_temp(const char *path, const char *data, size_t len, const struct stat *st,
		      bool owned, char **tmp)
{
	size_t tl = strlen(path) + 32;
	*tmp = malloc(tl);
	if (!*tmp)
		return error("%s: out of memory", path), -1;
	snprintf(*tmp, tl, "%s.tmpXXXXXX", path);
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		int e = errno;
		free(*tmp);
		return error("%s: cannot create a temporary file beside it: %s", path,
			     strerror(e)), -1;
	}
	const char *step = "write";
	if (write_all(fd, data, len))
		goto fail;
	/* owner first: a chown clears the set-id bits the chmod then restores */
	step = "chown";
	if (owned && fchown(fd, st->st_uid, st->st_gid) && errno != EPERM)
		goto fail;
	step = "chmod";
	if (fchmod(fd, st->st_mode & 07777))
		goto fail;
	step = "fsync";
	if (fsync(fd))
		goto fail;
	step = "close";
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(*tmp);
	free(*tmp);
	return error("%s: %s failed: %s; the file is unchanged", path, step, strerror(e)), -1;
}

int file_replace(const char *path, const char *data, size_t len)
{
	if (strcmp(path, "-") == 0) {
		if (write_all(1, data, len))
			return error("(standard output): %s", strerror(errno)), -1;
		return 0;
	}
	/* a symbolic link: replace what it points to, and keep the link */
	struct stat lst;
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		char *target = realpath(path, NULL);
		if (!target)
			return error("%s: a link to nowhere (%s)", path, strerror(errno)), -1;
		int rc = file_replace(target, data, len);
		free(target);
		return rc;
	}
	if (lstat(path, &lst) == 0 && !S_ISREG(lst.st_mode)) {
		if (S_ISDIR(lst.st_mode))
			return error("%s: is a directory", path), -1;
		return write_in_place(path, data, len);
	}
	struct stat st;
	bool exists = stat(path, &st) == 0;
	if (!exists) {
		mode_t um = umask(0);
		umask(um);
		st.st_mode = 0666 & ~um;
	}
	char *tmp;
	if (write_temp(path, data, len, &st, exists, &tmp))
		return -1;
	if (rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return error("%s: rename failed: %s; the file is unchanged", path, strerror(e)), -1;
	}
	free(tmp);
	sync_dir(path);
	return 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Does the regular file at NAME hold exactly DATA? (Opened without following a link.) */
static bool holds(const char *name, const char *data, size_t len)
{
	int fd = open(name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	char *got = NULL;
	size_t n = 0;
	bool same = read_fd(fd, name, &got, &n) == 0 && n == len && memcmp(got, data, len) == 0;
	close(fd);
	free(got);
	return same;
}

/*
 * The backup of PATH, holding OLD with PATH's mode, owner and group: BASE (PATH plus the
 * suffix), or, when BASE already holds something else, BASE.1, BASE.2, ...: a backup is
 * never overwritten, and one that already holds OLD is kept as it is. A name that exists
 * and is not a regular file (a link someone left there) is refused, never followed.
 * *bak gets the name used.
 */
static int backup(const char *base, const char *old, size_t len, const struct stat *st,
		  char **bak)
{
	size_t bn = strlen(base) + 16;
	char *tmp = NULL;
	for (int k = 0; k < 1000; k++) {
		free(*bak);
		if (!(*bak = malloc(bn)))
			return error("out of memory"), -1;
		snprintf(*bak, bn, k ? "%s.%d" : "%s", base, k);
		struct stat bst;
		if (lstat(*bak, &bst) == 0) {
			if (!S_ISREG(bst.st_mode))
				return error("%s exists and is not a regular file (a link?); remove it "
					     "or choose another backup name", *bak), -1;
			if (holds(*bak, old, len))
				goto done;
			continue;
		}
		if (errno != ENOENT)
			return error("%s: %s", *bak, strerror(errno)), -1;
		if (!tmp && write_temp(base, old, len, st, true, &tmp))
			return -1;
		/* link, unlike rename, never replaces: a name taken meanwhile is skipped */
		if (link(tmp, *bak) == 0) {
			unlink(tmp);
			free(tmp);
			sync_dir(*bak);
			goto done;
		}
		if (errno != EEXIST) {
			int e = errno;
			unlink(tmp);
			free(tmp);
			return error("%s: cannot write the backup: %s", *bak, strerror(e)), -1;
		}
	}
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	return error("%s: a thousand backups already; remove some", base), -1;
done:
	return 0;
}

int file_edit(const char *path, const char *old, size_t len, const struct stat *before,
	      const char *new_data, size_t new_len, const char *suffix, char **bak)
{
	size_t bn = strlen(path) + strlen(suffix) + 1;
	char *base = malloc(bn);
	if (!base)
		return error("out of memory"), -1;
	snprintf(base, bn, "%s%s", path, suffix);
	*bak = NULL;
	int rc = backup(base, old, len, before, bak);
	free(base);
	if (rc)
		return -1;
	struct stat after;
	char *again = NULL;
	size_t len2 = 0;
	bool changed = stat(path, &after) != 0 || !same_file(before, &after) ||
		       file_read(path, &again, &len2) || len2 != len || memcmp(again, old, len) != 0;
	free(again);
	if (changed) {
		error("%s changed while %s worked on it; nothing written (run again)", path, prog);
		return -1;
	}
	return file_replace(path, new_data, new_len);
}
