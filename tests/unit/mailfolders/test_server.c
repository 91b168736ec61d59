/*
 * test_server.c - mf_server_query through libcurl against a scripted server on the loopback
 * (mf_fake_imap, built beside this test): the plain LIST after a refused RETURN
 * (SPECIAL-USE), an empty personal prefix, STARTTLS required before the password is sent,
 * a refused login.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mftest.h"

static char helper[512];
static char logfile[64];

/* Start mf_fake_imap with a script; returns its port, *pid its process. */
static unsigned start_fake(const char *script, pid_t *pid)
{
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl(helper, helper, script, logfile, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	char buf[16] = "";
	ssize_t n = read(fd[0], buf, sizeof buf - 1);
	close(fd[0]);
	if (n <= 0)
		fail_msg("%s did not start", helper);
	buf[n] = '\0';
	return (unsigned)atoi(buf);
}

static void stop_fake(pid_t pid)
{
	int status;
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

/*
 * Ask the scripted server (started for this and stopped after) as jane; *port gets its
 * port. Returns mf_server_query's result.
 */
static int query(const char *script, struct mf_server *s, unsigned *port, const char *password,
		 bool plaintext, struct mf_error *e)
{
	pid_t pid;
	*port = start_fake(script, &pid);
	char text[64];
	struct mf_url u;
	snprintf(text, sizeof text, "imap://jane@127.0.0.1:%u", *port);
	assert_int_equal(mf_url_parse(&u, text, e), 0);
	struct mf_query_opts o = { .password = password, .plaintext = plaintext,
				   .timeout_ms = 10000 };
	memset(s, 0, sizeof *s);
	int rc = mf_server_query(s, &u, &o, e);
	free(o.transcript);
	mf_url_free(&u);
	stop_fake(pid);
	return rc;
}

#define OLDER MF_DATA "fake/older-server.txt"

/* The older server: RETURN (SPECIAL-USE) refused, a plain LIST follows; prefix "" and "/". */
static void plain_list_after_refusal(void **state)
{
	(void)state;
	unsigned port;
	struct mf_server s;
	struct mf_error e;
	if (query(OLDER, &s, &port, "secret", true, &e))
		fail_msg("%s", e.msg);
	assert_false(s.special_use);
	assert_true(s.have_namespace);
	const struct mf_ns *ns = mf_server_personal(&s);
	assert_non_null(ns);
	assert_string_equal(ns->prefix, "");
	assert_int_equal(ns->delim, '/');
	assert_int_equal(s.nfolders, 6);
	assert_string_equal(s.folders[1].name, "Sent");
	assert_int_equal(s.folders[1].attrs, MF_ATTR_HASNOCHILDREN);
	assert_string_equal(s.folders[5].decoded, "Archive/2011");
	/* both LIST commands reached the server, the plain one on a new connection */
	char *log = slurp(logfile, NULL);
	assert_string_equal(log, "A001 CAPABILITY\nA002 LOGIN jane secret\nA003 NAMESPACE\n"
			    "A004 LIST \"\" \"*\" RETURN (SPECIAL-USE)\nA005 LOGOUT\n"
			    "B001 CAPABILITY\nB002 LOGIN jane secret\nB003 LIST \"\" \"*\"\n"
			    "B004 LOGOUT\n");
	free(log);

	/* with the server's empty prefix and no special-use folders: the top-level names */
	static struct mf_mailbox mb[] = {
		{ 1, 1, (char *)"INBOX", (char *)"INBOX", (char *)"INBOX", 1, (char *)"INBOX" },
		{ 2, 1, (char *)"Sent", (char *)"Sent", (char *)"Sent", 1, (char *)"Sent" },
		{ 3, 1, (char *)"INBOX.Sent", (char *)"INBOX.Sent", (char *)"INBOX.Sent", 1,
		  (char *)"INBOX.Sent" },
	};
	struct mf_match m;
	struct mf_match_source src = { NULL, &s, ns->prefix, ns->delim };
	assert_int_equal(mf_match_role(&m, mb, 3, MF_SENT, &src), 0);
	assert_int_equal(m.chosen->id, 2);
	assert_string_equal(m.how, "the prefix \"\" and a usual sent folder name");
	mf_match_free(&m);
	mf_server_free(&s);
}

/* imap:// to a server without STARTTLS: refused before the password is sent. */
static void starttls_required(void **state)
{
	(void)state;
	unsigned port;
	struct mf_server s;
	struct mf_error e;
	assert_int_equal(query(OLDER, &s, &port, "secret", false, &e), MF_ENET);
	char want[300];
	snprintf(want, sizeof want, "127.0.0.1:%u does not offer STARTTLS, so the password would "
		 "cross the network in clear; nothing was sent (use imaps://, or "
		 "--insecure-plaintext for a test server on this machine)", port);
	assert_string_equal(e.msg, want);
	char *log = slurp(logfile, NULL);
	assert_null(strstr(log, "LOGIN"));
	assert_null(strstr(log, "secret"));
	free(log);
}

static void login_refused(void **state)
{
	(void)state;
	unsigned port;
	struct mf_server s;
	struct mf_error e;
	assert_int_equal(query(OLDER, &s, &port, "wrong", true, &e), MF_EAUTH);
	assert_contains(e.msg, "refused the login of user \"jane\"");
}

static int setup(void **state)
{
	(void)state;
	struct mf_error e;
	snprintf(logfile, sizeof logfile, "/tmp/mftest-imap-%ld.log", (long)getpid());
	return mf_curl_init(&e);
}

static int teardown(void **state)
{
	(void)state;
	mf_curl_cleanup();
	unlink(logfile);
	return 0;
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *slash = strrchr(argv[0], '/');
	snprintf(helper, sizeof helper, "%.*smf_fake_imap", slash ? (int)(slash - argv[0] + 1) : 0,
		 argv[0]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_list_after_refusal),
		cmocka_unit_test(starttls_required),
		cmocka_unit_test(login_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
