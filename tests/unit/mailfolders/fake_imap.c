/*
 * fake_imap.c - a scripted IMAP server on the loopback for the mailfolders tests: it answers
 * what a script says, so that the tests can show libcurl's side of exchanges a real server
 * (Dovecot) will not give: a refused LIST ... RETURN (SPECIAL-USE), an empty personal
 * prefix, no STARTTLS.
 *
 *   mf_fake_imap SCRIPT [LOG]
 *   mf_fake_imap --free-ports N
 *
 * The second form asks the kernel for N distinct free ports on 127.0.0.1 (binding port 0),
 * prints them on one line and closes them, for a server the tests start (Dovecot).
 *
 * Listens on 127.0.0.1 on a free port, prints the port number and a newline on standard
 * output, and serves connections one after the other until it is killed (or for 30 s at
 * most): libcurl opens a second connection after a command was refused. LOG, when given,
 * receives every line the clients sent. The script:
 *
 *   lines before the first "> " line   the greeting
 *   > PREFIX                           a rule: for a command (the line after its tag) that
 *                                      starts with PREFIX (case ignored), send the lines
 *                                      that follow, with a leading "@" replaced by the tag
 *   # ...                              a comment
 *
 * The first matching rule answers; a command no rule matches gets "TAG BAD unknown". After
 * the answer to LOGOUT the connection is closed. Lines are sent with CRLF.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct rule {
	char *prefix;
	char **lines;
	size_t n;
};

static char **greeting;
static size_t ngreeting;
static struct rule *rules;
static size_t nrules;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("mf_fake_imap");
		exit(2);
	}
	return p;
}

static void add_line(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = strdup(s);
}

static void read_script(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#')
			continue;
		if (strncmp(line, "> ", 2) == 0) {
			rules = xrealloc(rules, (nrules + 1) * sizeof *rules);
			rules[nrules++] = (struct rule){ strdup(line + 2), NULL, 0 };
		} else if (nrules) {
			add_line(&rules[nrules - 1].lines, &rules[nrules - 1].n, line);
		} else {
			add_line(&greeting, &ngreeting, line);
		}
	}
	fclose(f);
}

static void send_line(int fd, const char *s, const char *tag)
{
	char out[4200];
	int n = s[0] == '@' ? snprintf(out, sizeof out, "%s%s\r\n", tag, s + 1)
			    : snprintf(out, sizeof out, "%s\r\n", s);
	if (n > 0 && write(fd, out, (size_t)n) < 0)
		return;	/* the client went away */
}

/* One line from the client, without CRLF; 0 at the end of the connection. */
static int read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	for (;;) {
		char c;
		ssize_t k = read(fd, &c, 1);
		if (k <= 0)
			return 0;
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 1;
}

/* One connection: the greeting, then an answer per command until LOGOUT or the end. */
static void serve(int c, FILE *log)
{
	for (size_t i = 0; i < ngreeting; i++)
		send_line(c, greeting[i], "*");
	char line[4096];
	while (read_line(c, line, sizeof line)) {
		if (log) {
			fprintf(log, "%s\n", line);
			fflush(log);
		}
		char *sp = strchr(line, ' ');
		const char *cmd = sp ? sp + 1 : "";
		if (sp)
			*sp = '\0';
		const struct rule *r = NULL;
		for (size_t i = 0; i < nrules && !r; i++)
			if (strncasecmp(cmd, rules[i].prefix, strlen(rules[i].prefix)) == 0)
				r = &rules[i];
		if (!r) {
			send_line(c, "@ BAD unknown command", line);
			continue;
		}
		for (size_t i = 0; i < r->n; i++)
			send_line(c, r->lines[i], line);
		if (strncasecmp(cmd, "LOGOUT", 6) == 0)
			break;
	}
}

/* N free loopback ports, held open together so they differ, printed, then released */
static int free_ports(int n)
{
	int fds[8];
	if (n < 1 || n > 8) {
		fprintf(stderr, "mf_fake_imap: --free-ports takes 1 to 8\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		struct sockaddr_in a;
		socklen_t alen = sizeof a;
		memset(&a, 0, sizeof a);
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&a, sizeof a) != 0 ||
		    getsockname(fds[i], (struct sockaddr *)&a, &alen) != 0) {
			perror("mf_fake_imap: free port");
			return 2;
		}
		printf("%s%u", i ? " " : "", ntohs(a.sin_port));
	}
	printf("\n");
	for (int i = 0; i < n; i++)
		close(fds[i]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--free-ports") == 0)
		return free_ports(atoi(argv[2]));
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: mf_fake_imap SCRIPT [LOG]\n");
		return 2;
	}
	read_script(argv[1]);
	FILE *log = argc == 3 ? fopen(argv[2], "w") : NULL;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 1) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &alen) != 0) {
		perror("mf_fake_imap: listen");
		return 2;
	}
	printf("%u\n", ntohs(a.sin_port));
	fflush(stdout);
	alarm(30);	/* never outlive a test that forgot us */
	int c;
	while ((c = accept(s, NULL, NULL)) >= 0) {
		serve(c, log);
		close(c);
	}
	if (log)
		fclose(log);
	return 0;
}
