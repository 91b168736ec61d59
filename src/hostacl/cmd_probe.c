/*
 * cmd_probe.c - hostacl probe: a real dual-stack socket, the peers the kernel reports,
 * and the verdicts on them.
 *
 * An AF_INET6 socket with IPV6_V6ONLY off also receives IPv4 connections; the kernel
 * reports their peers as IPv4-mapped addresses (::ffff:a.b.c.d). That is the address a
 * daemon such as apt-cacher compares with its lists, so it is the one judged here.
 */
#define _GNU_SOURCE	/* accept4() */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const struct cmd_help help = {
	"hostacl probe", "",
	"Open a real dual-stack socket (AF_INET6, IPV6_V6ONLY off), accept up to --count\n"
	"connections, and for each print the peer address as the kernel reports it, the\n"
	"verdict of a correct match and that of apt-cacher 1.7.3's naive comparison.",
	"--listen takes [IPV6]:PORT or IPV4:PORT and may be given several times; an IPv4\n"
	"address is bound in its mapped form ::ffff:a.b.c.d, on the same kind of socket.\n"
	"The default is [::]:3142, apt-cacher's port on every address. PORT 0 picks a\n"
	"free port. Each socket first prints 'listening on [ADDR]:PORT'. A connection is\n"
	"closed as soon as it is judged; nothing is read from it or written to it.\n"
	"--allow, --deny and --loopback work as for 'hostacl match'.\n"
	"--timeout is at most 86400 (one day).\n"
	"Exit status: 0 every peer allowed, 1 some denied, 2 error (or --timeout seconds,\n"
	"default 60, passed before --count connections came).\n",
};

#define MAX_LISTEN 16
#define MAX_TIMEOUT 86400L	/* seconds: one day */

struct listener {
	int fd;
	char shown[HACL_ADDR_STRLEN + 24];	/* "[::ffff:127.0.0.1]:41234" */
};

/* "[v6]:port" or "v4:port" into a socket address. */
static int parse_listen(struct sockaddr_in6 *sa, const char *spec)
{
	const char *colon, *a = spec, *a_end;
	if (spec[0] == '[') {
		a = spec + 1;
		a_end = strchr(a, ']');
		if (!a_end || a_end[1] != ':')
			return error("--listen '%s': write [IPV6]:PORT or IPV4:PORT", spec);
		colon = a_end + 1;
	} else {
		colon = strrchr(spec, ':');
		if (!colon || memchr(spec, ':', (size_t)(colon - spec)))
			return error("--listen '%s': write [IPV6]:PORT or IPV4:PORT", spec);
		a_end = colon;
	}
	struct hacl_addr addr;
	struct hacl_error err;
	if (hacl_addr_parse(&addr, a, (size_t)(a_end - a), HACL_ZONE_OK, &err))
		return error("--listen '%s', column %zu: %s", spec, err.column + (size_t)(a - spec),
			     err.msg);
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port < 0 || port > 65535)
		return error("--listen '%s': the port must be a number from 0 to 65535", spec);
	memset(sa, 0, sizeof *sa);
	sa->sin6_family = AF_INET6;
	sa->sin6_port = htons((uint16_t)port);
	memcpy(&sa->sin6_addr, addr.b, 16);
	const char *pct = memchr(a, '%', (size_t)(a_end - a));
	if (pct) {
		char zone[HACL_ZONE_MAX + 1];	/* hacl_addr_parse() checked its length */
		snprintf(zone, sizeof zone, "%.*s", (int)(a_end - pct - 1), pct + 1);
		unsigned long idx = if_nametoindex(zone);
		if (!idx && strspn(zone, "0123456789") == strlen(zone)) {
			errno = 0;
			idx = strtoul(zone, NULL, 10);
			if (errno || idx > UINT32_MAX)
				idx = 0;
		}
		if (!idx)
			return error("--listen '%s': no interface '%s'", spec, zone);
		sa->sin6_scope_id = (uint32_t)idx;
	}
	return 0;
}

/* An address as the kernel gave it: inet_ntop's text, with %zone when scoped. */
static void kernel_text(char *buf, size_t n, const struct sockaddr_in6 *sa)
{
	char a[INET6_ADDRSTRLEN], zone[IF_NAMESIZE];
	inet_ntop(AF_INET6, &sa->sin6_addr, a, sizeof a);
	if (sa->sin6_scope_id && if_indextoname(sa->sin6_scope_id, zone))
		snprintf(buf, n, "%s%%%s", a, zone);
	else if (sa->sin6_scope_id)
		snprintf(buf, n, "%s%%%u", a, sa->sin6_scope_id);
	else
		snprintf(buf, n, "%s", a);
}

static int open_listener(struct listener *l, const char *spec)
{
	struct sockaddr_in6 sa;
	int rc = parse_listen(&sa, spec);
	if (rc)
		return rc;
	int off = 0, on = 1;
	/* non-blocking: a client that leaves between poll() and accept() cannot hang us */
	l->fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (l->fd < 0)
		return error("--listen '%s': no IPv6 socket: %s", spec, strerror(errno));
	if (setsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) != 0)
		return error("--listen '%s': cannot turn IPV6_V6ONLY off: %s", spec, strerror(errno));
	if (setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    bind(l->fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(l->fd, 16) != 0)
		return error("--listen '%s': %s", spec, strerror(errno));
	socklen_t len = sizeof sa;
	if (getsockname(l->fd, (struct sockaddr *)&sa, &len) != 0)
		return error("--listen '%s': %s", spec, strerror(errno));
	char a[HACL_ADDR_STRLEN + 16];
	kernel_text(a, sizeof a, &sa);
	snprintf(l->shown, sizeof l->shown, "[%s]:%u", a, ntohs(sa.sin6_port));
	printf("listening on %s (AF_INET6, IPV6_V6ONLY off)\n", l->shown);
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Accept a connection on fd and judge its peer: 1 done, 0 none after all, -1 error. */
static int judge(int fd, const struct acl *acl, bool *allowed)
{
	struct sockaddr_in6 peer;
	socklen_t len = sizeof peer;
	int c = accept4(fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (c < 0 && (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN ||
		      errno == EWOULDBLOCK || errno == EPROTO))
		return 0;	/* the client left before we took it: wait for the next */
	if (c < 0) {
		error("accept: %s", strerror(errno));
		return -1;
	}
	close(c);
	char shown[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	kernel_text(shown, sizeof shown, &peer);
	struct hacl_addr a;
	struct hacl_error err;
	if (hacl_addr_parse(&a, shown, strlen(shown), HACL_ZONE_OK, &err)) {
		error("the kernel reported a peer '%s' that does not parse: %s", shown, err.msg);
		return -1;
	}
	struct verdicts v;
	decide(&v, acl, &a);
	print_verdicts(stdout, shown, acl, &v, &a);
	*allowed = v.correct.allowed;
	return 1;
}

static int serve(struct listener *ls, int n, long count, long timeout, const struct acl *acl)
{
	struct pollfd p[MAX_LISTEN];
	long deadline = now_ms() + timeout * 1000, done = 0;
	bool all = true;
	for (int i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = ls[i].fd, .events = POLLIN };
	while (done < count) {
		long left = deadline - now_ms();
		int wait = left > INT_MAX ? INT_MAX : (int)left;	/* poll() takes an int */
		int k = left > 0 ? poll(p, (nfds_t)n, wait) : 0;
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return error("poll: %s", strerror(errno));
		if (k == 0)
			return error("timeout: %ld of %ld connection%s in %ld s", done, count,
				     count == 1 ? "" : "s", timeout);
		for (int i = 0; i < n && done < count; i++) {
			bool allowed = true;
			int rc = p[i].revents & POLLIN ? judge(p[i].fd, acl, &allowed) : 0;
			if (rc < 0)
				return EXIT_ERROR;
			done += rc;
			all &= allowed;
		}
	}
	return all ? EXIT_OK : EXIT_DIFFER;
}

int cmd_probe(int argc, char **argv)
{
	struct opt_list listen_specs = { NULL, 0 };
	long count = 1, timeout = 60;
	const char *allow_text = NULL, *deny_text = NULL;
	bool loopback = false;
	const struct opt opts[] = {
		{ OPT_LIST, "listen", 'l', &listen_specs, "ADDR:PORT",
		  "where to listen (default [::]:3142); repeatable" },
		{ OPT_LONG, "count", 'c', &count, "N", "connections to accept (default 1)" },
		{ OPT_LONG, "timeout", 0, &timeout, "SECONDS", "give up after (default 60)" },
		{ OPT_STRING, "allow", 'a', &allow_text, "LIST", "addresses allowed (default: all)" },
		{ OPT_STRING, "deny", 'd', &deny_text, "LIST", "addresses denied, even if allowed" },
		{ OPT_FLAG, "loopback", 0, &loopback, NULL,
		  "127.0.0.0/8 and ::1 always pass (apt-cacher)" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	struct operands ops;
	int rc;
	if (!parse_options(&ops, &rc, opts, &help, argc, argv)) {
		opt_list_free(&listen_specs);
		return rc;
	}
	struct listener ls[MAX_LISTEN];
	int n = 0;
	hacl_list *allow = NULL, *deny = NULL;
	if (ops.n > 0)
		rc = error("probe takes no operands; see 'hostacl probe --help'");
	else if (count < 1 || timeout < 1)
		rc = error("--count and --timeout must be at least 1");
	else if (timeout > MAX_TIMEOUT)
		rc = error("--timeout %ld: at most %ld seconds (one day)", timeout, MAX_TIMEOUT);
	else if (listen_specs.n > MAX_LISTEN)
		rc = error("at most %d --listen addresses", MAX_LISTEN);
	if (!rc && !(rc = list_arg(&allow, "--allow", allow_text)))
		rc = list_arg(&deny, "--deny", deny_text);
	if (!rc) {
		star_warnings(allow, "--allow", true);
		star_warnings(deny, "--deny", false);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);	/* a test reads the port before connecting */
	for (int i = 0; !rc && i < (listen_specs.n ? listen_specs.n : 1); i++) {
		ls[n].fd = -1;
		rc = open_listener(&ls[n], listen_specs.n ? listen_specs.v[i] : "[::]:3142");
		n += ls[n].fd >= 0;
	}
	if (!rc) {
		struct acl acl = { allow, deny, loopback ? HACL_LOOPBACK : 0 };
		rc = serve(ls, n, count, timeout, &acl);
	}
	for (int i = 0; i < n; i++)
		close(ls[i].fd);
	opt_list_free(&listen_specs);
	hacl_list_free(allow);
	hacl_list_free(deny);
	return rc;
}
