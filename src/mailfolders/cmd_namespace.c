/* cmd_namespace.c - mailfolders namespace: what an IMAP server says about its folders. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cmd_help help = {
	"mailfolders namespace", "imap[s]://USER@HOST[:PORT]",
	"Log in to an IMAP server (through libcurl) and print its personal namespace prefix\n"
	"and hierarchy delimiter (NAMESPACE, RFC 2342) and the folders it marks \\Sent,\n"
	"\\Trash and \\Drafts (LIST \"\" \"*\" RETURN (SPECIAL-USE), RFC 6154).",
	"The password is read from --password-file FILE, else from the MAILFOLDERS_PASSWORD\n"
	"environment variable, else asked on the terminal; a URL holding a password is\n"
	"refused, and so is an empty password. imaps:// is TLS from the start; imap:// must\n"
	"switch to TLS (STARTTLS) before the login, so that the password never crosses the\n"
	"network in clear: a server that does not offer STARTTLS is refused unless\n"
	"--insecure-plaintext is given (meant for a test server on this machine; for another\n"
	"host it warns).\n"
	"Exit status: 0 answered, 2 an error (bad URL, unreachable, no STARTTLS, login\n"
	"refused).\n",
};

static const char *class_names[MF_NS_CLASSES] = { "personal", "other users'", "shared" };
static const char *class_keys[MF_NS_CLASSES] = { "personal", "other_users", "shared" };

static void put_delim(FILE *f, char d)
{
	if (d)
		fprintf(f, "\"%c\"", d);
	else
		fputs("NIL (flat)", f);
}

static void print_text(const struct mf_url *u, const struct mf_server *s)
{
	printf("%s://", u->tls ? "imaps" : "imap");
	put_safe(stdout, u->user);
	printf("@%s%s%s:%u\n", u->ipv6 ? "[" : "", u->host, u->ipv6 ? "]" : "", u->port);
	for (int k = 0; k < MF_NS_CLASSES; k++) {
		printf("  %s namespace%s:", class_names[k], s->ns.n[k] > 1 ? "s" : "");
		if (!s->ns.n[k])
			fputs(" none", stdout);
		for (size_t i = 0; i < s->ns.n[k]; i++) {
			printf("%s prefix \"", i ? "," : "");
			put_safe(stdout, s->ns.ns[k][i].prefix);
			fputs("\" delimiter ", stdout);
			put_delim(stdout, s->ns.ns[k][i].delim);
		}
		putchar('\n');
	}
	printf("  special-use folders (RFC 6154)%s:\n",
	       s->special_use ? "" : " [the server refused LIST ... RETURN (SPECIAL-USE); from "
				     "plain LIST]");
	for (int r = 0; r < MF_NROLES; r++) {
		printf("    %-8s", mf_roles[r].attr_name);
		int n = 0;
		for (size_t i = 0; i < s->nfolders; i++) {
			if (!(s->folders[i].attrs & mf_roles[r].attr))
				continue;
			fputs(n++ ? ", " : " ", stdout);
			put_safe(stdout, s->folders[i].decoded ? s->folders[i].decoded
							       : s->folders[i].name);
		}
		if (!n)
			fputs(" none", stdout);
		putchar('\n');
	}
	printf("  folders: %zu\n", s->nfolders);
}

static void print_json(const struct mf_url *u, const struct mf_server *s)
{
	struct json j;
	json_init(&j, stdout);
	json_object(&j, NULL);
	json_string(&j, "server", u->host);
	json_int(&j, "port", u->port);
	json_bool(&j, "tls", u->tls);
	json_string(&j, "user", u->user);
	json_object(&j, "namespaces");
	for (int k = 0; k < MF_NS_CLASSES; k++) {
		json_array(&j, class_keys[k]);
		for (size_t i = 0; i < s->ns.n[k]; i++) {
			char d[2] = { s->ns.ns[k][i].delim, 0 };
			json_object_inline(&j, NULL);
			json_string(&j, "prefix", s->ns.ns[k][i].prefix);
			json_string(&j, "delimiter", d[0] ? d : NULL);
			json_end(&j);
		}
		json_end(&j);
	}
	json_end(&j);
	json_bool(&j, "special_use", s->special_use);
	json_array(&j, "folders");
	for (size_t i = 0; i < s->nfolders; i++) {
		const struct mf_folder *f = &s->folders[i];
		char d[2] = { f->delim, 0 };
		json_object_inline(&j, NULL);
		json_string(&j, "name", f->name);
		json_string(&j, "decoded", f->decoded);
		json_string(&j, "delimiter", d[0] ? d : NULL);
		json_array(&j, "attributes");
		for (const struct mf_attr_info *a = mf_attrs; a->name; a++)
			if (f->attrs & a->bit)
				json_string(&j, NULL, a->name);
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	json_finish(&j);
}

int cmd_namespace(int argc, char **argv)
{
	bool json = false;
	struct server_opts so = SERVER_OPTS_INIT;
	long timeout = 30000;
	const struct opt opts[] = {
		SERVER_OPTS(so),
		{ OPT_LONG, "timeout", 0, &timeout, "MS", "give the server MS ms in all (default 30000)" },
		{ OPT_FLAG, "json", 0, &json, NULL, "write JSON (docs/mailfolders.md)" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	if (nrest != 1)
		return error("namespace takes one imap[s]://USER@HOST[:PORT]; see 'mailfolders "
			     "namespace --help'");
	so.timeout_ms = timeout;
	struct mf_server s;
	struct mf_url u;
	memset(&s, 0, sizeof s);
	if ((rc = server_ask(rest[0], &so, &s, &u)))
		return rc;
	if (json)
		print_json(&u, &s);
	else
		print_text(&u, &s);
	mf_server_free(&s);
	mf_url_free(&u);
	return EXIT_OK;
}
