/* args.c - lists and addresses given on the command line, and warnings about entries. */
#include <string.h>

#include "cli.h"

void where_in_arg(char *buf, size_t n, const char *name, size_t line, size_t column)
{
	if (line > 1)
		snprintf(buf, n, "%s, line %zu, column %zu", name, line, column);
	else
		snprintf(buf, n, "%s, column %zu", name, column);
}

void entry_warnings(const struct hacl_entry *e, const char *where)
{
	char net[HACL_ADDR_STRLEN];
	if ((e->warnings & HACL_WARN_HOST_BITS) && !(e->warnings & HACL_WARN_MAPPED_PREFIX))
		warning("%s: entry '%.*s' has bits set after its /%d prefix; it covers %s/%d",
			where, (int)e->len, e->text, e->prefix, hacl_addr_format(net, &e->first),
			e->prefix);
	if (e->warnings & HACL_WARN_MAPPED_PREFIX) {
		char addr[HACL_ADDR_STRLEN];
		hacl_addr_format(addr, &e->addr);
		if (e->prefix <= 32)
			warning("%s: entry '%.*s' is an IPv6 /%d, far more than IPv4 addresses; "
				"the IPv4 /%d is %s/%d", where, (int)e->len, e->text, e->prefix,
				e->prefix, addr, e->prefix + 96);
		else
			warning("%s: entry '%.*s' is an IPv6 /%d, more than IPv4-mapped addresses "
				"(::ffff:0:0/96)", where, (int)e->len, e->text, e->prefix);
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
	size_t line = 1, bol = 0, scanned = 0;	/* entries come in text order */
	for (size_t i = 0; i < hacl_list_count(*out); i++) {
		const struct hacl_entry *e = hacl_list_at(*out, i);
		for (; scanned < e->offset; scanned++)
			if (text[scanned] == '\n') {
				line++;
				bol = scanned + 1;
			}
		size_t column = e->offset - bol + 1;
		char where[96];
		where_in_arg(where, sizeof where, name, line, column);
		entry_warnings(e, where);
	}
	return 0;
}

int addr_arg(struct hacl_addr *out, const char *text, int index)
{
	struct hacl_error err;
	if (hacl_addr_parse(out, text, strlen(text), HACL_ZONE_OK, &err))
		return error("address '%s' (operand %d), column %zu: %s", text, index, err.column,
			     err.msg);
	return 0;
}
