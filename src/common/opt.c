/* opt.c - table-driven option parsing and help (see opt.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "opt.h"

void opt_help(const struct opt *opts, const struct cmd_help *h)
{
	printf("usage: %s [OPTION]...%s%s\n", h->name, h->args && *h->args ? " " : "",
	       h->args ? h->args : "");
	printf("%s\n", h->summary);
	if (h->details)
		printf("\n%s", h->details);
	printf("\noptions:\n");
	for (const struct opt *o = opts; o->type != OPT_END; o++) {
		char left[64];
		if (o->shortname)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->shortname, o->name,
				 o->argname ? " " : "", o->argname ? o->argname : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name, o->argname ? " " : "",
				 o->argname ? o->argname : "");
		printf("  %-26s %s\n", left, o->help);
	}
	printf("  %-26s %s\n", "-h, --help", "show this help and exit");
}

static int usage_error(const struct cmd_help *h, const char *fmt, const char *arg)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", h->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", h->name);
	return -1;
}

static int take(const struct opt *o, const struct cmd_help *h, const char *arg)
{
	switch (o->type) {
	case OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPT_LONG: {
		char *end;
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v < 0) {
			char what[128];
			snprintf(what, sizeof what, "--%s takes a number >= 0, not '%%s'", o->name);
			return usage_error(h, what, arg);
		}
		*(long *)o->value = v;
		return 0;
	}
	case OPT_LIST: {
		struct opt_list *l = o->value;
		const char **v = realloc(l->v, (size_t)(l->n + 1) * sizeof *v);
		if (!v)
			return usage_error(h, "%s", "out of memory");
		l->v = v;
		l->v[l->n++] = arg;
		return 0;
	}
	default:
		*(bool *)o->value = true;
		return 0;
	}
}

void opt_list_free(struct opt_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int opt_parse(const struct opt *opts, const struct cmd_help *h, int argc, char **argv,
	      char ***rest, int *nrest)
{
	int n = 0;
	bool only_operands = false;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (only_operands || a[0] != '-' || a[1] == '\0') {
			argv[++n] = a;	/* operands move to argv[1..n], order kept */
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_operands = true;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			opt_help(opts, h);
			return 1;
		}
		const struct opt *o = NULL;
		const char *inline_arg = NULL;
		if (a[1] == '-') {
			const char *name = a + 2;
			size_t len = strcspn(name, "=");
			for (const struct opt *p = opts; p->type != OPT_END; p++)
				if (strlen(p->name) == len && strncmp(p->name, name, len) == 0)
					o = p;
			if (name[len] == '=')
				inline_arg = name + len + 1;
		} else {
			for (const struct opt *p = opts; p->type != OPT_END; p++)
				if (p->shortname && p->shortname == a[1])
					o = p;
			if (o && a[2])
				inline_arg = a + 2;
		}
		if (!o)
			return usage_error(h, "unknown option '%s'", a);
		if (o->type == OPT_FLAG) {
			if (inline_arg)
				return usage_error(h, "option '%s' takes no argument", a);
			take(o, h, NULL);
			continue;
		}
		if (!inline_arg) {
			if (i + 1 >= argc)
				return usage_error(h, "option '%s' needs an argument", a);
			inline_arg = argv[++i];
		}
		if (take(o, h, inline_arg))
			return -1;
	}
	*rest = argv + 1;
	*nrest = n;
	return 0;
}
