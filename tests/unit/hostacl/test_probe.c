/*
 * test_probe.c - the real dual-stack test: `hostacl probe` (the binary beside this test's
 * directory) listens on AF_INET6 sockets with IPV6_V6ONLY off, on one socket [::] or on
 * two bound to loopback only ([::ffff:127.0.0.1] and [::1]), on free ports; this test
 * connects from 127.0.0.1 over IPv4 and from ::1 over IPv6, and reads what the probe says. The kernel must report the IPv4
 * client as ::ffff:127.0.0.1, the correct verdict must allow it by the IPv4 entry, and
 * the naive (1.7.3) verdict must differ.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char hostacl[4096];

/* $BUILD/hostacl, from this test's own path $BUILD/tests/test_hostacl_probe. */
static void find_hostacl(void)
{
	char self[4000];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		fail_msg("readlink /proc/self/exe: %s", strerror(errno));
	self[n] = '\0';
	*strrchr(self, '/') = '\0';	/* $BUILD/tests */
	*strrchr(self, '/') = '\0';	/* $BUILD */
	snprintf(hostacl, sizeof hostacl, "%s/hostacl", self);
	if (access(hostacl, X_OK) != 0)
		fail_msg("%s: %s", hostacl, strerror(errno));
}

struct child {
	pid_t pid;
	int out;		/* its stdout and stderr */
	char buf[8192];
	size_t len;		/* bytes read so far */
};

static void start(struct child *c, char *const argv[])
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(hostacl, argv);
		_exit(127);
	}
	close(p[1]);
	c->out = p[0];
	c->len = 0;
	c->buf[0] = '\0';
}

/* Read until the output holds `lines` lines (or EOF); fail after 20 s. */
static void read_lines(struct child *c, int lines)
{
	time_t deadline = time(NULL) + 20;
	for (;;) {
		int have = 0;
		for (size_t i = 0; i < c->len; i++)
			have += c->buf[i] == '\n';
		if (have >= lines)
			return;
		struct pollfd p = { .fd = c->out, .events = POLLIN };
		int left = (int)(deadline - time(NULL));
		if (left <= 0 || poll(&p, 1, left * 1000) <= 0) {
			kill(c->pid, SIGKILL);
			fail_msg("no %d lines from the probe in 20 s; got:\n%s", lines, c->buf);
		}
		ssize_t k = read(c->out, c->buf + c->len, sizeof c->buf - 1 - c->len);
		if (k <= 0)
			return;
		c->len += (size_t)k;
		c->buf[c->len] = '\0';
	}
}

static int finish(struct child *c)
{
	read_lines(c, 1000);
	close(c->out);
	int status;
	assert_int_equal(waitpid(c->pid, &status, 0), c->pid);
	if (!WIFEXITED(status))
		fail_msg("the probe did not exit; output:\n%s", c->buf);
	return WEXITSTATUS(status);
}

/* The port of the listening line that names `addr`. */
static int port_of(const struct child *c, const char *addr)
{
	char pat[64];
	snprintf(pat, sizeof pat, "listening on [%s]:", addr);
	const char *p = strstr(c->buf, pat);
	if (!p)
		fail_msg("no '%s' in:\n%s", pat, c->buf);
	return atoi(p + strlen(pat));
}

/*
 * Connect, and with `reset` leave at once with a RST (SO_LINGER 0), before any accept().
 * Returns 0, or the errno of a failed connect().
 */
static int connect_and(int family, const char *addr, int port, bool reset)
{
	struct sockaddr_storage ss;
	socklen_t len;
	memset(&ss, 0, sizeof ss);
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;
		s->sin_family = AF_INET;
		s->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &s->sin_addr);
		len = sizeof *s;
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, addr, &s->sin6_addr);
		len = sizeof *s;
	}
	int fd = socket(family, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	int rc = connect(fd, (struct sockaddr *)&ss, len) != 0 ? errno : 0;
	if (!rc && reset) {
		struct linger lg = { 1, 0 };
		assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
	}
	close(fd);
	return rc;
}

static void connect_to(int family, const char *addr, int port)
{
	int rc = connect_and(family, addr, port, false);
	if (rc)
		fail_msg("connect to %s port %d: %s", addr, port, strerror(rc));
}

/* Drop the listening lines' ports, which change from run to run. */
static char *without_ports(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	while (*s) {
		if (*s == ']' && s[1] == ':') {
			*o++ = *s++;
			*o++ = *s++;
			*o++ = 'P';
			while (*s >= '0' && *s <= '9')
				s++;
			continue;
		}
		*o++ = *s++;
	}
	*o = '\0';
	return out;
}

/* What the probe says of the IPv4 and the IPv6 client below, after its listening lines. */
static const char both_verdicts[] =
	"::ffff:127.0.0.1: allowed by allow entry 1 '127.0.0.1' (::ffff:127.0.0.1 is 127.0.0.1)\n"
	"  apt-cacher 1.7.3: denied: no allow entry matches -- differs\n"
	"::1: allowed by allow entry 2 '::1'\n"
	"  apt-cacher 1.7.3: allowed by allow entry 2 '::1'\n";

/*
 * Run the probe on the `listen` addresses (--listen each, NULL-terminated) allowing
 * 127.0.0.1 and ::1, connect from 127.0.0.1 to the socket listed as v4_sock and from ::1
 * to the one listed as v6_sock, one at a time so the order of the output is known, and
 * check the whole output: `listening` (ports as P), then both verdicts.
 */
static void two_clients(const char *const *listen, const char *v4_sock, const char *v6_sock,
			const char *listening)
{
	find_hostacl();
	char *argv[16];
	int n = 0, nlisten = 0;
	argv[n++] = "hostacl";
	argv[n++] = "probe";
	for (; listen[nlisten]; nlisten++) {
		argv[n++] = "--listen";
		argv[n++] = (char *)listen[nlisten];
	}
	char *rest[] = { "--count", "2", "--timeout", "20", "--allow", "127.0.0.1, ::1", NULL };
	for (int i = 0; rest[i]; i++)
		argv[n++] = rest[i];
	argv[n] = NULL;
	struct child c;
	start(&c, argv);
	read_lines(&c, nlisten);
	int p4 = port_of(&c, v4_sock), p6 = port_of(&c, v6_sock);
	connect_to(AF_INET, "127.0.0.1", p4);
	read_lines(&c, nlisten + 2);
	connect_to(AF_INET6, "::1", p6);
	int rc = finish(&c);
	char *got = without_ports(c.buf);
	char want[1024];
	snprintf(want, sizeof want, "%s%s", listening, both_verdicts);
	assert_string_equal(got, want);
	assert_int_equal(rc, 0);
	free(got);
}

/* Two sockets bound to loopback only: the IPv4 address is bound in its mapped form. */
static void ipv4_client_arrives_mapped(void **state)
{
	(void)state;
	static const char *const listen[] = { "127.0.0.1:0", "[::1]:0", NULL };
	two_clients(listen, "::ffff:127.0.0.1", "::1",
		    "listening on [::ffff:127.0.0.1]:P (AF_INET6, IPV6_V6ONLY off)\n"
		    "listening on [::1]:P (AF_INET6, IPV6_V6ONLY off)\n");
}

/*
 * One socket for both families, as apt-cacher has it: [::] with IPV6_V6ONLY off (the
 * probe's default address, on a free port). The only clients are this test's, from
 * 127.0.0.1 and ::1; the socket is open for well under a second.
 */
static void one_socket_both_families(void **state)
{
	(void)state;
	static const char *const listen[] = { "[::]:0", NULL };
	two_clients(listen, "::", "::", "listening on [::]:P (AF_INET6, IPV6_V6ONLY off)\n");
}

static void the_workaround_on_a_real_socket(void **state)
{
	(void)state;
	find_hostacl();
	struct child c;
	char *argv[] = { "hostacl", "probe", "--listen", "127.0.0.1:0", "--timeout", "20",
			 "--allow", "::ffff:127.0.0.0/104", "--deny", "127.0.0.2", NULL };
	start(&c, argv);
	read_lines(&c, 1);
	connect_to(AF_INET, "127.0.0.1", port_of(&c, "::ffff:127.0.0.1"));
	int rc = finish(&c);
	char *got = without_ports(c.buf);
	assert_string_equal(got,
		"listening on [::ffff:127.0.0.1]:P (AF_INET6, IPV6_V6ONLY off)\n"
		"::ffff:127.0.0.1: allowed by allow entry 1 '::ffff:127.0.0.0/104'\n"
		"  apt-cacher 1.7.3: allowed by allow entry 1 '::ffff:127.0.0.0/104'\n");
	assert_int_equal(rc, 0);
	free(got);
}

static void denied_peer_and_timeout(void **state)
{
	(void)state;
	find_hostacl();
	struct child c;
	char *argv[] = { "hostacl", "probe", "--listen", "[::1]:0", "--allow", "127.0.0.0/8",
			 "--timeout", "20", NULL };
	start(&c, argv);
	read_lines(&c, 1);
	connect_to(AF_INET6, "::1", port_of(&c, "::1"));
	assert_int_equal(finish(&c), 1);
	assert_non_null(strstr(c.buf, "::1: denied: no allow entry matches\n"));
	/* nobody comes: exit 2 after the timeout */
	char *argv2[] = { "hostacl", "probe", "--listen", "[::1]:0", "--timeout", "1", NULL };
	start(&c, argv2);
	assert_int_equal(finish(&c), 2);
	assert_non_null(strstr(c.buf, "hostacl: timeout: 0 of 1 connection in 1 s\n"));
}

/*
 * The longest --timeout (one day) is taken, and clients that vanish (reset before the
 * probe accepts them) do not hang it: it goes on to the next one. Above one day, the
 * CLI test probe-timeout-cap shows the error.
 */
static void longest_timeout_and_vanished_clients(void **state)
{
	(void)state;
	find_hostacl();
	struct child c;
	char *argv[] = { "hostacl", "probe", "--listen", "[::1]:0", "--allow", "::1",
			 "--timeout", "86400", NULL };
	start(&c, argv);
	read_lines(&c, 1);
	int port = port_of(&c, "::1");
	/* the kernel may still hand over a reset connection (then it is judged, and the probe
	   is done: later connects are refused) or drop it; either way the probe must finish */
	for (int i = 0; i < 20; i++)
		connect_and(AF_INET6, "::1", port, true);
	connect_and(AF_INET6, "::1", port, false);
	assert_int_equal(finish(&c), 0);
	assert_non_null(strstr(c.buf, "::1: allowed by allow entry 1 '::1'\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4_client_arrives_mapped),
		cmocka_unit_test(one_socket_both_families),
		cmocka_unit_test(the_workaround_on_a_real_socket),
		cmocka_unit_test(denied_peer_and_timeout),
		cmocka_unit_test(longest_timeout_and_vanished_clients),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
