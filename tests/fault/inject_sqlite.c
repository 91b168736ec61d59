/*
 * inject_sqlite.c - a preloaded library for the mailfolders safety tests: it makes one of
 * the calls SQLite writes with fail, or kills the process around it. SQLite (Debian's
 * libsqlite3) writes with pwrite64 and write, syncs with fdatasync (fsync for directories),
 * cuts files with ftruncate64 and removes journals with unlink; the backup is put in place
 * with renameat2 (or link). So, besides tests/fault/inject.c's write, fsync and rename:
 *
 *   MF_FAULT="CALL:N:ACTION[:ERRNO]"
 *                              CALL is write (write, pwrite, pwrite64 together), sync
 *                              (fsync, fdatasync), truncate (ftruncate, ftruncate64),
 *                              unlink or rename (rename, renameat2, link); N counts those
 *                              calls from 1; ACTION is
 *     fail        the N-th call fails with ERRNO (EIO, ENOSPC, EACCES or EROFS; default
 *                 EIO) and does nothing
 *     kill        SIGKILL just before the N-th call
 *     kill-after  SIGKILL just after it
 *     term        SIGTERM just before it (a signal the program may catch)
 *   MF_FAULT_COUNT=FILE        at exit, append "CALL COUNT" lines: how many calls of each
 *                              kind the run made (to know how many N to try).
 *
 * Only file descriptors above 2 count, so messages on stdout/stderr do not shift N.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

enum { C_WRITE, C_SYNC, C_TRUNCATE, C_UNLINK, C_RENAME, C_N };
static const char *const names[C_N] = { "write", "sync", "truncate", "unlink", "rename" };
static long counts[C_N];

static void report(void)
{
	const char *path = getenv("MF_FAULT_COUNT");
	if (!path)
		return;
	FILE *f = fopen(path, "a");
	if (!f)
		return;
	for (int i = 0; i < C_N; i++)
		fprintf(f, "%s %ld\n", names[i], counts[i]);
	fclose(f);
}

__attribute__((constructor)) static void setup(void)
{
	if (getenv("MF_FAULT_COUNT"))
		atexit(report);
}

static int errno_named(const char *name)
{
	static const struct {
		const char *name;
		int value;
	} v[] = { { "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EACCES", EACCES }, { "EROFS", EROFS } };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (strcmp(name, v[i].name) == 0)
			return v[i].value;
	return EIO;
}

/*
 * Count a call of kind k; returns the errno to fail it with (0: let it run), and sets
 * *after for kill-after.
 */
static int hit(int k, int *after)
{
	char want[16], action[16], err[16] = "EIO";
	long n;
	*after = 0;
	counts[k]++;
	const char *spec = getenv("MF_FAULT");
	if (!spec || sscanf(spec, "%15[^:]:%ld:%15[^:]:%15s", want, &n, action, err) < 3)
		return 0;
	if (strcmp(want, names[k]) != 0 || counts[k] != n)
		return 0;
	if (strcmp(action, "kill") == 0)
		kill(getpid(), SIGKILL);
	if (strcmp(action, "term") == 0)
		kill(getpid(), SIGTERM);
	if (strcmp(action, "kill-after") == 0)
		*after = 1;
	return strcmp(action, "fail") == 0 ? errno_named(err) : 0;
}

#define REAL(name) \
	static __typeof__(name) *real; \
	if (!real) \
		real = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

#define AROUND(kind, call, failret) \
	do { \
		int after_, errno_; \
		if ((errno_ = hit(kind, &after_))) { \
			errno = errno_; \
			return failret; \
		} \
		__typeof__(call) rc_ = call; \
		if (after_) \
			kill(getpid(), SIGKILL); \
		return rc_; \
	} while (0)

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write);
	if (fd <= 2)
		return real(fd, buf, n);
	AROUND(C_WRITE, real(fd, buf, n), -1);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite);
	AROUND(C_WRITE, real(fd, buf, n, off), -1);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	REAL(pwrite64);
	AROUND(C_WRITE, real(fd, buf, n, off), -1);
}

int fsync(int fd)
{
	REAL(fsync);
	AROUND(C_SYNC, real(fd), -1);
}

int fdatasync(int fd)
{
	REAL(fdatasync);
	AROUND(C_SYNC, real(fd), -1);
}

int ftruncate(int fd, off_t len)
{
	REAL(ftruncate);
	AROUND(C_TRUNCATE, real(fd, len), -1);
}

int ftruncate64(int fd, off64_t len)
{
	REAL(ftruncate64);
	AROUND(C_TRUNCATE, real(fd, len), -1);
}

int unlink(const char *path)
{
	REAL(unlink);
	AROUND(C_UNLINK, real(path), -1);
}

int rename(const char *a, const char *b)
{
	REAL(rename);
	AROUND(C_RENAME, real(a, b), -1);
}

int renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
	REAL(renameat2);
	AROUND(C_RENAME, real(da, a, db, b, flags), -1);
}

int link(const char *a, const char *b)
{
	REAL(link);
	AROUND(C_RENAME, real(a, b), -1);
}
