/*
 * inject.c - a preloaded library that makes one system call fail or kills the process
 * around it, so tests can prove files survive: CM_FAULT="CALL:N:ACTION" where CALL is
 * write, fsync, rename, link, read or dlopen, N counts the calls (from 1) and ACTION is
 *   fail     the N-th call fails with EIO and does nothing (dlopen: fails as for a
 *            library that is not installed, with a real dlerror() text);
 *   kill     the process is killed (SIGKILL) just before the N-th call;
 *   kill-after   ... just after it;
 *   modify   before the N-th call, append a line to the file CM_FAULT_FILE (someone else
 *            editing the file while the program works);
 *   short    (read only) the N-th call and every later one on a descriptor above 2 read
 *            at most 64 bytes, as NFS or FUSE may (a short read is not the end of a file).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int hit(const char *call, int *after)
{
	static int counts[6];
	static const char *const calls[6] = { "write", "fsync", "rename", "link", "read",
					      "dlopen" };
	const char *spec = getenv("CM_FAULT");
	char want[16];
	int n;
	char action[16];
	*after = 0;
	if (!spec || sscanf(spec, "%15[^:]:%d:%15s", want, &n, action) != 3)
		return 0;
	for (int i = 0; i < 6; i++) {
		if (strcmp(calls[i], call) != 0)
			continue;
		if (strcmp(want, call) != 0 || ++counts[i] != n)
			return 0;
		if (strcmp(action, "kill") == 0)
			kill(getpid(), SIGKILL);
		if (strcmp(action, "kill-after") == 0)
			*after = 1;
		if (strcmp(action, "modify") == 0 && getenv("CM_FAULT_FILE")) {
			FILE *f = fopen(getenv("CM_FAULT_FILE"), "a");
			if (f) {
				fputs("\nedited = \"meanwhile\"\n", f);
				fclose(f);
			}
		}
		return strcmp(action, "fail") == 0 ||
		       (strcmp(action, "short") == 0 && strcmp(call, "read") == 0);
	}
	return 0;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (!real)
		real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	int after;
	if (fd > 2 && hit("write", &after)) {
		errno = EIO;
		return -1;
	}
	ssize_t rc = real(fd, buf, n);
	if (fd > 2 && after)
		kill(getpid(), SIGKILL);
	return rc;
}

int fsync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	int after;
	if (hit("fsync", &after)) {
		errno = EIO;
		return -1;
	}
	int rc = real(fd);
	if (after)
		kill(getpid(), SIGKILL);
	return rc;
}

int rename(const char *a, const char *b)
{
	static int (*real)(const char *, const char *);
	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	int after;
	if (hit("rename", &after)) {
		errno = EIO;
		return -1;
	}
	int rc = real(a, b);
	if (after)
		kill(getpid(), SIGKILL);
	return rc;
}

int link(const char *a, const char *b)
{
	static int (*real)(const char *, const char *);
	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "link");
	int after;
	if (hit("link", &after)) {
		errno = EIO;
		return -1;
	}
	int rc = real(a, b);
	if (after)
		kill(getpid(), SIGKILL);
	return rc;
}

ssize_t read(int fd, void *buf, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);
	static int shortened;
	if (!real)
		real = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	if (fd > 2) {
		const char *spec = getenv("CM_FAULT");
		int after;
		if (spec && strncmp(spec, "read:", 5) == 0 && strstr(spec, ":short")) {
			if (!shortened)
				shortened = hit("read", &after);	/* counts until the N-th */
			if (shortened && n > 64)
				n = 64;
		} else if (hit("read", &after)) {
			errno = EIO;
			return -1;
		}
	}
	return real(fd, buf, n);
}

void *dlopen(const char *file, int mode)
{
	static void *(*real)(const char *, int);
	if (!real)
		real = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
	int after;
	if (file && hit("dlopen", &after))
		return real("cm-fault-injected/not-installed.so", mode);
	return real(file, mode);
}
