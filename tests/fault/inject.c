/*
 * inject.c - a preloaded library that makes one system call fail or kills the process
 * around it, so tests can prove files survive: CM_FAULT="CALL:N:ACTION" where CALL is
 * write, fsync, rename or link, N counts the calls (from 1) and ACTION is
 *   fail     the N-th call fails with EIO and does nothing;
 *   kill     the process is killed (SIGKILL) just before the N-th call;
 *   kill-after   ... just after it;
 *   modify   before the N-th call, append a line to the file CM_FAULT_FILE (someone else
 *            editing the file while the program works).
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
	static int counts[4];
	static const char *const calls[4] = { "write", "fsync", "rename", "link" };
	const char *spec = getenv("CM_FAULT");
	char want[16];
	int n;
	char action[16];
	*after = 0;
	if (!spec || sscanf(spec, "%15[^:]:%d:%15s", want, &n, action) != 3)
		return 0;
	for (int i = 0; i < 4; i++) {
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
		return strcmp(action, "fail") == 0;
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
