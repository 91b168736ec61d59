/* cmd_map.c - hostacl map: a list rewritten into IPv4-mapped IPv6 notation, or back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cmd_help help = {
	"hostacl map", "LIST...",
	"Rewrite an access list for a server on a dual-stack socket: every IPv4 entry in\n"
	"IPv4-mapped IPv6 notation (a.b.c.d -> ::ffff:a.b.c.d, /n -> /n+96, a netmask ->\n"
	"its prefix, a range -> the fewest prefixes that cover it), or with --to ipv4 the\n"
	"reverse, where it is exact.",
	"Several LIST operands are one list. The result is one line, entries joined by\n"
	"\", \"; entries that need no rewriting come out as written. '*' means every\n"
	"host only as the whole list (apt-cacher's allowed_hosts = *) and stays; a '*'\n"
	"inside a list covers nothing and is left out, with a warning. With --to ipv4,\n"
	"an IPv6 entry that covers IPv4-mapped and other addresses (::/0) has no exact\n"
	"IPv4 form: it is kept, with a warning.\n"
	"Exit status: 0 done, 2 error.\n",
};

/*
 * One operand mapped and appended to out; prints errors and warnings about "operand N".
 * `alone`: the operand is the whole list, where a '*' means every host.
 */
static int map_operand(struct hacl_buf *out, const char *text, int index, bool alone,
		       enum hacl_target t)
{
	char name[32];
	hacl_list *l;
	snprintf(name, sizeof name, "operand %d", index);
	int rc = list_arg(&l, name, text);
	if (rc)
		return rc;
	size_t n = hacl_list_count(l);
	enum hacl_map_result *res = calloc(n ? n : 1, sizeof *res);
	struct hacl_buf one = HACL_BUF_INIT;
	if (!res) {
		hacl_list_free(l);
		return error("out of memory");
	}
	if (!alone && hacl_list_is_star(l))	/* '*' with other operands: not the whole list */
		for (size_t i = 0; i < n; i++)
			res[i] = HACL_MAP_DROPPED;
	else
		rc = hacl_list_map(&one, l, t, res, NULL);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct hacl_entry *e = hacl_list_at(l, i);
		char where[96], q[QUOTE_MAX + 4];
		where_in_arg(where, sizeof where, name, e->line, e->column);
		quote(q, e->text, e->len);
		if (res[i] == HACL_MAP_INEXACT)
			warning("%s: entry '%s' covers IPv4-mapped and other IPv6 addresses: it has "
				"no exact IPv4 form, and is kept as it is", where, q);
		else if (res[i] == HACL_MAP_DROPPED)
			warning("%s: entry '%s' is left out: '*' means every host only as the whole "
				"list, and covers nothing inside one", where, q);
	}
	if (!rc && one.len) {
		if (out->len)
			hacl_buf_append(out, ", ", 2);
		rc = hacl_buf_append(out, one.data, one.len);
	}
	hacl_buf_free(&one);
	free(res);
	hacl_list_free(l);
	return rc || out->err ? error("out of memory") : 0;
}

int cmd_map(int argc, char **argv)
{
	const char *to = "mapped";
	const struct opt opts[] = {
		{ OPT_STRING, "to", 't', &to, "mapped|ipv4", "the notation to write (default mapped)" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	struct operands ops;
	int rc;
	if (!parse_options(&ops, &rc, opts, &help, argc, argv))
		return rc;
	enum hacl_target t;
	if (strcmp(to, "mapped") == 0)
		t = HACL_TO_MAPPED;
	else if (strcmp(to, "ipv4") == 0)
		t = HACL_TO_IPV4;
	else
		return error("--to takes mapped or ipv4, not '%s'", to);
	if (ops.n < 1)
		return error("map needs a LIST; see 'hostacl map --help'");
	struct hacl_buf out = HACL_BUF_INIT;
	for (int i = 0; i < ops.n && !rc; i++)
		rc = map_operand(&out, ops.v[i], i + 1, ops.n == 1, t);
	if (!rc)
		printf("%s\n", out.data ? out.data : "");
	hacl_buf_free(&out);
	return rc;
}
