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
	char *dcopy = strdup(path);
	if (!dcopy)
		return error("%s: out of memory", path), -1;
	const char *dir = dirname(dcopy);
	size_t tl = strlen(path) + 32;
	char *tmp = malloc(tl);
	if (!tmp) {
		free(dcopy);
		return error("%s: out of memory", path), -1;
	}
	snprintf(tmp, tl, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		free(dcopy);
		return error("%s: cannot create a temporary file beside it: %s", path,
			     strerror(e)), -1;
	}
	struct stat st;
	mode_t mode = 0666 & ~(mode_t)0;
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	const char *step = "write";
	if (write_all(fd, data, len))
		goto fail;
	step = "chmod";
	if (fchmod(fd, mode))
		goto fail;
	step = "fsync";
	if (fsync(fd))
		goto fail;
	step = "close";
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	step = "rename";
	if (rename(tmp, path))
		goto fail;
	/* the rename itself must reach the disk too */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0)
		warning("%s: written, but its directory could not be synced (%s): the change may "
			"not survive a power failure", path, strerror(errno));
	if (dfd >= 0)
		close(dfd);
	free(tmp);
	free(dcopy);
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	free(dcopy);
	return error("%s: %s failed: %s; the file is unchanged", path, step, strerror(e)), -1;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The backup: created with the file's own permissions, or an old backup given them. */
static int backup(const char *bak, const char *old, size_t len, const struct stat *st)
{
	mode_t mode = st->st_mode & 0777;
	int fd = open(bak, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	bool created = fd >= 0;
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST || chmod(bak, mode) != 0)
		return error("%s: cannot write the backup: %s", bak, strerror(errno)), -1;
	if (file_replace(bak, old, len)) {
		if (created)
			unlink(bak);
		return -1;
	}
	return 0;
}

int file_edit(const char *path, const char *old, size_t len, const struct stat *before,
	      const char *new_data, size_t new_len, const char *suffix, char **bak)
{
	size_t bn = strlen(path) + strlen(suffix) + 1;
	*bak = malloc(bn);
	if (!*bak)
		return error("out of memory"), -1;
	snprintf(*bak, bn, "%s%s", path, suffix);
	if (backup(*bak, old, len, before))
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
