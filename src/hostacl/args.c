/* args.c - lists and addresses given on the command line, and warnings about entries. */
#include <string.h>

#include "cli.h"

bool parse_options(struct operands *ops, int *status, const struct opt *opts,
		   const struct cmd_help *h, int argc, char **argv)
{
	int rc = opt_parse(opts, h, argc, argv, &ops->v, &ops->n);
	*status = rc > 0 ? EXIT_OK : rc < 0 ? EXIT_ERROR : 0;
	return rc == 0;
}

const char *quote(char *buf, const char *s, size_t n)
{
	size_t k = n > QUOTE_MAX ? QUOTE_MAX : n;
	snprintf(buf, QUOTE_MAX + 4, "%.*s%s", (int)k, s, n > k ? "..." : "");
	for (size_t i = 0; i < k; i++)	/* a NUL or a control byte would cut or garble it */
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			buf[i] = '?';
	return buf;
}

void where_in_arg(char *buf, size_t n, const char *name, size_t line, size_t column)
{
	if (line > 1)
		snprintf(buf, n, "%s, line %zu, column %zu", name, line, column);
	else
		snprintf(buf, n, "%s, column %zu", name, column);
}

void entry_warnings(const struct hacl_entry *e, const char *where)
{
	char net[HACL_ADDR_STRLEN], q[QUOTE_MAX + 4];
	quote(q, e->text, e->len);
	if ((e->warnings & HACL_WARN_HOST_BITS) && !(e->warnings & HACL_WARN_MAPPED_PREFIX))
		warning("%s: entry '%s' has bits set after its /%d prefix; it covers %s/%d", where,
			q, e->prefix, hacl_addr_format(net, &e->first), e->prefix);
	if (e->warnings & HACL_WARN_MAPPED_PREFIX) {
		char addr[HACL_ADDR_STRLEN];
		hacl_addr_format(addr, &e->addr);
		if (e->prefix <= 32)
			warning("%s: entry '%s' is an IPv6 /%d, far more than IPv4 addresses; "
				"the IPv4 /%d is %s/%d", where, q, e->prefix, e->prefix, addr,
				e->prefix + 96);
		else
			warning("%s: entry '%s' is an IPv6 /%d, more than IPv4-mapped addresses "
				"(::ffff:0:0/96)", where, q, e->prefix);
	}
}

int list_arg(hacl_list **out, const char *name, const char *text)
{
	struct hacl_error err;
	*out = NULL;
	if (!text)
		return 0;
	if (hacl_list_parse(out, text, strlen(text), &err)) {
		char where[96];
		where_in_arg(where, sizeof where, name, err.line, err.column);
		if (err.code == HACL_ENOMEM)
			return error("out of memory");
		return error("%s: entry '%s': %s", where, err.entry, err.msg);
	}
	for (size_t i = 0; i < hacl_list_count(*out); i++) {
		const struct hacl_entry *e = hacl_list_at(*out, i);
		char where[96];
		where_in_arg(where, sizeof where, name, e->line, e->column);
		entry_warnings(e, where);
	}
	return 0;
}

void star_warnings(const hacl_list *l, const char *name, bool allow)
{
	if (allow && hacl_list_is_star(l))
		return;
	for (size_t i = 0; i < hacl_list_count(l); i++) {
		const struct hacl_entry *e = hacl_list_at(l, i);
		char where[96];
		if (e->kind != HACL_ANY)
			continue;
		where_in_arg(where, sizeof where, name, e->line, e->column);
		warning("%s: entry '*' covers nothing: '*' means every host only as the whole "
			"allow list, as in apt-cacher", where);
	}
}

int addr_arg(struct hacl_addr *out, const char *text, int index)
{
	struct hacl_error err;
	char q[QUOTE_MAX + 4];
	if (hacl_addr_parse(out, text, strlen(text), HACL_ZONE_OK, &err))
		return error("address '%s' (operand %d), column %zu: %s",
			     quote(q, text, strlen(text)), index, err.column, err.msg);
	return 0;
}
