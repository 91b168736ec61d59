/* cmd_map.c - hostacl map: a list rewritten into IPv4-mapped IPv6 notation, or back. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cmd_help help = {
	"hostacl map", "LIST...",
	"Rewrite an access list for a server on a dual-stack socket: every IPv4 entry in\n"
	"IPv4-mapped IPv6 notation (a.b.c.d -> ::ffff:a.b.c.d, /n -> /n+96, a netmask ->\n"
	"its prefix, a range -> the fewest prefixes that cover it), or with --to ipv4 the\n"
	"reverse, where it is exact.",
	"Several LIST operands are one list. The result is one line, entries joined by\n"
	"\", \"; entries that need no rewriting come out as written. With --to ipv4, an\n"
	"IPv6 entry that covers IPv4-mapped and other addresses (::/0) has no exact IPv4\n"
	"form: it is kept, with a warning.\n"
	"Exit status: 0 done, 2 error.\n",
};

/* One operand mapped; prints errors about "operand N". */
static int map_operand(struct hacl_buf *out, const char *text, int index, enum hacl_target t)
{
	char name[32];
	hacl_list *l;
	snprintf(name, sizeof name, "operand %d", index);
	int rc = list_arg(&l, name, text);
	if (rc)
		return rc;
	for (size_t i = 0; i < hacl_list_count(l) && !out->err; i++) {
		const struct hacl_entry *e = hacl_list_at(l, i);
		enum hacl_map_result r;
		if (out->len)
			hacl_buf_append(out, ", ", 2);
		hacl_entry_map(out, e, t, ", ", &r);
		if (r == HACL_MAP_INEXACT)
			warning("%s, column %zu: entry '%.*s' covers IPv4-mapped and other IPv6 "
				"addresses: it has no exact IPv4 form, and is kept as it is", name,
				e->offset + 1, (int)e->len, e->text);
	}
	hacl_list_free(l);
	return out->err ? error("out of memory") : 0;
}

int cmd_map(int argc, char **argv)
{
	const char *to = "mapped";
	const struct opt opts[] = {
		{ OPT_STRING, "to", 't', &to, "mapped|ipv4", "the notation to write (default mapped)" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	char **rest;
	int nrest;
	int rc = opt_parse(opts, &help, argc, argv, &rest, &nrest);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_ERROR;
	enum hacl_target t;
	if (strcmp(to, "mapped") == 0)
		t = HACL_TO_MAPPED;
	else if (strcmp(to, "ipv4") == 0)
		t = HACL_TO_IPV4;
	else
		return error("--to takes mapped or ipv4, not '%s'", to);
	if (nrest < 1)
		return error("map needs a LIST; see 'hostacl map --help'");
	struct hacl_buf out = HACL_BUF_INIT;
	for (int i = 0; i < nrest && !rc; i++)
		rc = map_operand(&out, rest[i], i + 1, t);
	if (!rc)
		printf("%s\n", out.data ? out.data : "");
	hacl_buf_free(&out);
	return rc;
}
