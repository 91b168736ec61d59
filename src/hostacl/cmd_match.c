/* cmd_match.c - hostacl match: the verdict for each address, and what 1.7.3 would say. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cmd_help help = {
	"hostacl match", "ADDR...",
	"Allow or deny each ADDR against --allow and --deny lists, in apt-cacher's\n"
	"order, treating a.b.c.d and ::ffff:a.b.c.d as the same host; say which entry\n"
	"decided, and what apt-cacher 1.7.3's naive comparison on a dual-stack socket\n"
	"says instead.",
	"Order: (1) with --loopback, 127.0.0.0/8 and ::1 are allowed at once; (2) ADDR\n"
	"must match an --allow entry (without --allow, every address passes this step;\n"
	"an empty --allow '' lets none pass); (3) ADDR must match no --deny entry.\n"
	"The naive comparison only matches entries written in the address's own family:\n"
	"an IPv4 entry never matches ::ffff:a.b.c.d, which is how IPv4 clients arrive on\n"
	"a dual-stack socket.\n"
	"A LIST holds addresses, a.b.c.d/n, a.b.c.d/m.m.m.m, ranges a-b and '*',\n"
	"separated by commas, semicolons or spaces.\n"
	"Exit status: 0 every ADDR allowed, 1 some denied, 2 error.\n",
};

static void print_json(const struct acl *acl, char **addrs, int n, const struct verdicts *v,
		       const char *allow_text, const char *deny_text)
{
	struct json j;
	int allowed = 0, differ = 0;
	json_init(&j, stdout);
	json_object(&j, NULL);
	json_string(&j, "allow", allow_text);
	json_string(&j, "deny", deny_text);
	json_bool(&j, "loopback_rule", acl->flags & HACL_LOOPBACK);
	json_array(&j, "addresses");
	for (int i = 0; i < n; i++) {
		json_verdicts(&j, addrs[i], acl, &v[i]);
		allowed += v[i].correct.allowed;
		differ += v[i].differ;
	}
	json_end(&j);
	json_int(&j, "allowed", allowed);
	json_int(&j, "denied", n - allowed);
	json_int(&j, "differ", differ);
	json_end(&j);
	json_finish(&j);
}

static void print_text(const struct acl *acl, char **addrs, int n, const struct verdicts *v,
		       const struct hacl_addr *a)
{
	int allowed = 0, differ = 0;
	for (int i = 0; i < n; i++) {
		print_verdicts(stdout, addrs[i], acl, &v[i], &a[i]);
		allowed += v[i].correct.allowed;
		differ += v[i].differ;
	}
	if (n > 1)
		printf("%d addresses: %d allowed, %d denied; apt-cacher 1.7.3 differs on %d\n", n,
		       allowed, n - allowed, differ);
}

int cmd_match(int argc, char **argv)
{
	const char *allow_text = NULL, *deny_text = NULL;
	bool json = false, loopback = false;
	const struct opt opts[] = {
		{ OPT_STRING, "allow", 'a', &allow_text, "LIST", "addresses allowed (default: all)" },
		{ OPT_STRING, "deny", 'd', &deny_text, "LIST", "addresses denied, even if allowed" },
		{ OPT_FLAG, "loopback", 0, &loopback, NULL,
		  "127.0.0.0/8 and ::1 always pass (apt-cacher)" },
		{ OPT_FLAG, "json", 0, &json, NULL, "write JSON" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	struct operands ops;
	int rc;
	if (!parse_options(&ops, &rc, opts, &help, argc, argv))
		return rc;
	if (ops.n < 1)
		return error("match needs at least one ADDR; see 'hostacl match --help'");
	hacl_list *allow = NULL, *deny = NULL;
	struct hacl_addr *a = calloc((size_t)ops.n, sizeof *a);
	struct verdicts *v = calloc((size_t)ops.n, sizeof *v);
	if (!a || !v) {
		rc = error("out of memory");
		goto out;
	}
	if ((rc = list_arg(&allow, "--allow", allow_text)) ||
	    (rc = list_arg(&deny, "--deny", deny_text)))
		goto out;
	star_warnings(allow, "--allow", true);
	star_warnings(deny, "--deny", false);
	for (int i = 0; i < ops.n; i++)
		if ((rc = addr_arg(&a[i], ops.v[i], i + 1)))
			goto out;
	struct acl acl = { allow, deny, loopback ? HACL_LOOPBACK : 0 };
	bool all = true;
	for (int i = 0; i < ops.n; i++) {
		decide(&v[i], &acl, &a[i]);
		all &= v[i].correct.allowed;
	}
	if (json)
		print_json(&acl, ops.v, ops.n, v, allow_text, deny_text);
	else
		print_text(&acl, ops.v, ops.n, v, a);
	rc = all ? EXIT_OK : EXIT_DIFFER;
out:
	free(a);
	free(v);
	hacl_list_free(allow);
	hacl_list_free(deny);
	return rc;
}
