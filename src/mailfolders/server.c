/* server.c - the password (never from the command line) and asking a server. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../common/file.h"
#include "cli.h"

#define PASSWORD_MAX 1024

/* The first line of text, without its line end, as a malloc'ed string. */
static char *first_line(const char *text, size_t len)
{
	size_t n = 0;
	while (n < len && text[n] != '\n' && text[n] != '\r')
		n++;
	return strndup(text, n);
}

/*
 * The terminal's settings while echo is off, for the signal handler that puts them back:
 * a Ctrl-C at the prompt must not leave the terminal without echo.
 */
static int tty_fd = -1;
static struct termios tty_saved;
static volatile sig_atomic_t tty_quiet;
static const int tty_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NSIGNALS (sizeof tty_signals / sizeof tty_signals[0])

static void restore_tty(int sig)
{
	if (tty_quiet)
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read a line from the terminal with echo off. */
static int prompt_tty(const char *for_whom, char **out)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	struct sigaction sa, old[NSIGNALS];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = restore_tty;
	sigemptyset(&sa.sa_mask);
	tty_fd = fd;
	if (tcgetattr(fd, &tty_saved) == 0) {
		struct termios quiet = tty_saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		for (size_t i = 0; i < NSIGNALS; i++)
			if (sigaction(tty_signals[i], NULL, &old[i]) == 0 &&
			    old[i].sa_handler != SIG_IGN)
				sigaction(tty_signals[i], &sa, NULL);
		tty_quiet = 1;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	const char *const prompt[] = { "password for ", for_whom, ": " };
	for (size_t i = 0; i < sizeof prompt / sizeof prompt[0]; i++)
		if (write(fd, prompt[i], strlen(prompt[i])) < 0)
			break;
	char buf[PASSWORD_MAX + 2];
	size_t n = 0;
	while (n < sizeof buf - 1) {
		ssize_t k = read(fd, buf + n, 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0 || buf[n] == '\n')
			break;
		n++;
	}
	if (tty_quiet) {
		tcsetattr(fd, TCSAFLUSH, &tty_saved);
		tty_quiet = 0;
		for (size_t i = 0; i < NSIGNALS; i++)
			sigaction(tty_signals[i], &old[i], NULL);
	}
	close(fd);
	tty_fd = -1;
	buf[n] = '\0';
	*out = strdup(buf);
	explicit_bzero(buf, sizeof buf);
	return *out ? 0 : -1;
}

static int get_password(const struct server_opts *so, const struct mf_url *u, char **out)
{
	if (so->password_file) {
		char *text;
		size_t len;
		if (file_read(so->password_file, &text, &len))
			return EXIT_ERROR;
		*out = first_line(text, len);
		explicit_bzero(text, len);
		free(text);
		if (!*out)
			return error("out of memory");
		if (!**out) {
			free(*out);
			*out = NULL;
			return error("%s: the first line is empty; it should hold the password",
				     so->password_file);
		}
		return 0;
	}
	const char *env = getenv(PASSWORD_ENV);
	if (env) {
		if (!*env)
			return error("%s is empty; set it to the password, or use --password-file "
				     "FILE", PASSWORD_ENV);
		*out = strdup(env);
		return *out ? 0 : error("out of memory");
	}
	size_t wn = strlen(u->user) + 1 + strlen(u->host) + 1;
	char *who = malloc(wn);
	if (!who)
		return error("out of memory");
	snprintf(who, wn, "%s@%s", u->user, u->host);
	int asked = prompt_tty(who, out);
	free(who);
	if (asked != 0)
		return error("no password: give --password-file FILE or set %s (there is no "
			     "terminal to ask on); never put it in the URL", PASSWORD_ENV);
	size_t len = strlen(*out);
	if (len == 0 || len > PASSWORD_MAX) {
		explicit_bzero(*out, len);
		free(*out);
		*out = NULL;
		if (len)
			return error("the password is longer than %d bytes; nothing was sent to %s",
				     PASSWORD_MAX, u->host);
		return error("the password is empty; nothing was sent to %s", u->host);
	}
	return 0;
}

int server_ask(const char *url, const struct server_opts *so, struct mf_server *out,
	       struct mf_url *u)
{
	struct mf_error e;
	if (mf_url_parse(u, url, &e))
		return error("the server URL: %s", e.msg);
	if (so->plaintext && u->tls) {
		mf_url_free(u);
		return error("--insecure-plaintext goes with imap://; imaps:// is TLS from the start");
	}
	if (so->plaintext && !mf_url_is_loopback(u))
		warning("--insecure-plaintext: unless %s offers STARTTLS, the password crosses the "
			"network to it in clear", u->host);
	char *password = NULL;
	int rc = get_password(so, u, &password);
	if (rc) {
		mf_url_free(u);
		return rc;
	}
	if (mf_curl_init(&e)) {
		free(password);
		mf_url_free(u);
		return error("%s", e.msg);
	}
	struct mf_query_opts q = {
		.password = password,
		.cacert = so->cacert,
		.plaintext = so->plaintext,
		.timeout_ms = so->timeout_ms,
	};
	rc = mf_server_query(out, u, &q, &e);
	explicit_bzero(password, strlen(password));
	free(password);
	mf_curl_cleanup();
	if (so->verbose && q.transcript) {
		fflush(stdout);
		fputs("--- the server's answers:\n", stderr);
		fwrite(q.transcript, 1, q.transcript_len, stderr);
		fputs("---\n", stderr);
	}
	free(q.transcript);
	if (rc) {
		mf_url_free(u);
		return error("%s", e.msg);
	}
	return 0;
}

const char *server_prefix(const struct mf_server *s, char **buf, char *delim)
{
	const struct mf_ns *ns = mf_server_personal(s);
	*buf = NULL;
	*delim = ns ? ns->delim : '\0';
	if (!ns)
		return NULL;
	struct mf_error e;
	if (mf_mutf7_decode(buf, ns->prefix, strlen(ns->prefix), &e))
		return ns->prefix;
	return *buf;
}
