/* cmd_conf.c - hostacl conf: check an apt-cacher.conf, and fix it safely. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/file.h"
#include "../common/udiff.h"
#include "cli.h"

static const struct cmd_help help = {
	"hostacl conf", "FILE",
	"Check the allowed_hosts, denied_hosts, allowed_hosts_6 and denied_hosts_6\n"
	"lines of an apt-cacher.conf for entries that apt-cacher 1.7.3 on a dual-stack\n"
	"socket gets wrong, and with --fix rewrite those lines.",
	"On a dual-stack socket IPv4 clients arrive as ::ffff:a.b.c.d, which 1.7.3 does\n"
	"not match against an IPv4 entry: allowed clients get HTTP 403 (and, by the same\n"
	"comparison, denied ones are let in). An IPv4 entry is reported unless mapped\n"
	"entries of the same kind (allow or deny) already cover it. Also reported:\n"
	"entries separated by white space only (apt-cacher splits at commas and\n"
	"semicolons), ranges that are not one subnet, every '*' that is not the whole\n"
	"value of allowed_hosts (apt-cacher ignores it), host names (apt-cacher resolves\n"
	"them, hostacl does not, so it cannot judge them; --fix leaves them alone), and\n"
	"lines that a later assignment of the same key overrides. Any other entry that\n"
	"is not an address, prefix, netmask, range or '*' is an error: each one is\n"
	"reported as FILE:LINE:COLUMN on standard error, the rest is still checked, the\n"
	"exit status is 2, and --fix and --dry-run change nothing.\n"
	"--fix adds the ::ffff: form after each such IPv4 entry (--replace: puts it in\n"
	"the place of an allow entry, as the seed's workaround did; deny entries are\n"
	"always kept, so that IPv4 clients stay denied on every kind of socket), a comma\n"
	"where one is missing, and a range's prefixes in its place; every other byte of\n"
	"the file stays as it was, continuation lines (backslash-newline) included.\n"
	"The new file is written beside the old one, synced and renamed over it, after a\n"
	"backup (FILE.hostacl.bak, or --backup SUFFIX); nothing is written when the file\n"
	"changed while hostacl worked. Fixing twice changes nothing the second time.\n"
	"--dry-run prints the change as a unified diff, or with --json the findings and\n"
	"each line that would change (its number, old and new text); it writes nothing.\n"
	"Exit status: 0 nothing wrong (or all of it fixed), 1 findings (left), 2 error.\n",
};

struct conf_opts {
	bool fix, replace, dry_run, json;
	const char *suffix;
};

/* Each kind of finding: its name in JSON, and what it means after "KEY entry 'E': ". */
static const struct {
	const char *name;
	const char *what;
} kinds[] = {
	[HACL_F_IPV4_ALLOW] = { "ipv4-allow-entry",
		"apt-cacher 1.7.3 on a dual-stack socket never matches it (IPv4 clients arrive "
		"as ::ffff:a.b.c.d), so those clients get HTTP 403" },
	[HACL_F_IPV4_DENY] = { "ipv4-deny-entry",
		"apt-cacher 1.7.3 on a dual-stack socket never matches it (IPv4 clients arrive "
		"as ::ffff:a.b.c.d), so those clients are not denied" },
	[HACL_F_SPACE_SEPARATED] = { "space-separated",
		"only white space separates it from the entry before: apt-cacher splits lists "
		"at commas and semicolons, so it reads the two as one item" },
	[HACL_F_STAR_IN_LIST] = { "star-in-list",
		"'*' means every host only as the whole value of allowed_hosts; anywhere else "
		"apt-cacher cannot read it as an address and ignores it, so it covers nothing" },
	[HACL_F_RANGE_NOT_SUBNET] = { "range-not-subnet",
		"not one subnet, which apt-cacher 1.7 documents a range must be" },
	[HACL_F_SHADOWED] = { "shadowed",
		"apt-cacher keeps the last value, so this line has no effect" },
	[HACL_F_HOST_NAME] = { "host-name",
		"a host name: apt-cacher resolves it, hostacl does not, so hostacl cannot judge "
		"which clients it covers; if it resolves to IPv4 addresses, apt-cacher 1.7.3 on "
		"a dual-stack socket (as hostacl models its comparison) never matches them, as "
		"with an IPv4 entry, unless their ::ffff: forms are listed too; --fix leaves it "
		"as it is" },
};

static const struct hacl_entry *finding_entry(const hacl_conf *c, const struct hacl_finding *f)
{
	return hacl_list_at(hacl_conf_at(c, f->conf_line)->list, f->entry);
}

static void put(struct hacl_buf *b, const char *s)
{
	hacl_buf_append(b, s, strlen(s));
}

/* What the finding is, in one sentence, with the fix (into b). */
static void describe(struct hacl_buf *b, const hacl_conf *c, const struct hacl_finding *f,
		     bool replace)
{
	const struct hacl_conf_line *l = hacl_conf_at(c, f->conf_line);
	const struct hacl_entry *e = finding_entry(c, f);
	char line[64];
	put(b, hacl_conf_key_name(l->key));
	if (f->kind == HACL_F_SHADOWED) {
		snprintf(line, sizeof line, " is set again on line %zu; ", l->effective_line);
		put(b, line);
		put(b, kinds[f->kind].what);
		return;
	}
	char q[QUOTE_MAX + 4];
	put(b, " entry '");
	put(b, quote(q, e->text, e->len));
	put(b, "': ");
	put(b, kinds[f->kind].what);
	switch (f->kind) {
	case HACL_F_IPV4_ALLOW:
	case HACL_F_IPV4_DENY:	/* deny entries are kept, whatever the style */
		put(b, replace && f->kind == HACL_F_IPV4_ALLOW ? "; fix: replace it with "
							       : "; fix: add ");
		hacl_entry_map(b, e, HACL_TO_MAPPED, ", ", NULL);
		break;
	case HACL_F_SPACE_SEPARATED:
		put(b, "; fix: add a comma");
		break;
	case HACL_F_RANGE_NOT_SUBNET:
		put(b, "; fix: write it as ");
		hacl_entry_prefixes(b, e, ", ");
		break;
	default:
		break;
	}
}

static void print_findings(const char *path, const hacl_conf *c, const struct hacl_finding *f,
			   size_t n, bool replace)
{
	for (size_t i = 0; i < n; i++) {
		struct hacl_buf b = HACL_BUF_INIT;
		describe(&b, c, &f[i], replace);
		printf("%s:%zu:%zu: %s\n", path, f[i].line, f[i].column, b.data ? b.data : "");
		hacl_buf_free(&b);
	}
}

/* Malformed entries: those kept, and those past HACL_CONF_ERRORS_MAX. */
static size_t bad_entries(const hacl_conf *c)
{
	return hacl_conf_error_count(c) + hacl_conf_errors_more(c);
}

static void print_summary(const char *path, const hacl_conf *c, size_t n, size_t fixable)
{
	size_t entries = 0, bad = bad_entries(c);
	for (size_t i = 0; i < hacl_conf_count(c); i++)
		entries += hacl_list_count(hacl_conf_at(c, i)->list);
	if (bad)
		printf("%s: %zu malformed entr%s (on standard error) and %zu finding%s; --fix "
		       "changes nothing until %s corrected\n", path, bad, bad == 1 ? "y" : "ies",
		       n, n == 1 ? "" : "s", bad == 1 ? "it is" : "they are");
	else if (hacl_conf_count(c) == 0)
		printf("%s: no allowed_hosts, denied_hosts, allowed_hosts_6 or denied_hosts_6 line "
		       "(apt-cacher 1.7 then allows localhost only)\n", path);
	else if (n == 0)
		printf("%s: nothing wrong in %zu access line%s (%zu entr%s)\n", path,
		       hacl_conf_count(c), hacl_conf_count(c) == 1 ? "" : "s", entries,
		       entries == 1 ? "y" : "ies");
	else if (fixable)
		printf("%s: %zu finding%s, %zu fixable: 'hostacl conf --fix %s' rewrites them "
		       "(--dry-run shows how)\n", path, n, n == 1 ? "" : "s", fixable, path);
	else
		printf("%s: %zu finding%s, none that --fix rewrites\n", path, n, n == 1 ? "" : "s");
}

/* The line at *at (advanced past it) as [*s, *s + *n), without "\n" or "\r\n". */
static bool next_line(const char *t, size_t len, size_t *at, const char **s, size_t *n)
{
	if (*at >= len)
		return false;
	const char *nl = memchr(t + *at, '\n', len - *at);
	size_t end = nl ? (size_t)(nl - t) : len;
	*s = t + *at;
	*n = end - *at;
	if (nl && *n > 0 && t[end - 1] == '\r')
		(*n)--;
	*at = end + 1;
	return true;
}

/* JSON string of [s, s+n), or null when s is NULL. */

/*
 * The lines that --fix would change: line number, old text, new text. A fix never adds
 * or removes a line, so the lines of the two texts pair up one to one.
 */
static void json_changes(struct json *j, const char *old, size_t old_len,
			 const struct hacl_buf *fixed)
{
	const char *t = fixed->data ? fixed->data : "";
	size_t a = 0, b = 0;
	json_array(j, "changes");
	for (size_t line = 1;; line++) {
		const char *x = NULL, *y = NULL;
		size_t xn = 0, yn = 0;
		bool hx = next_line(old, old_len, &a, &x, &xn);
		bool hy = next_line(t, fixed->len, &b, &y, &yn);
		if (!hx && !hy)
			break;
		if (hx && hy && xn == yn && memcmp(x, y, xn) == 0)
			continue;
		json_object_inline(j, NULL);
		json_uint(j, "line", line);
		json_string_n(j, "old", x, xn);
		json_string_n(j, "new", y, yn);
		json_end(j);
	}
	json_end(j);
}

static void print_json(const char *path, const hacl_conf *c, const struct hacl_finding *f,
		       size_t n, const struct conf_opts *o, size_t edits, const char *bak,
		       const char *old, size_t old_len, const struct hacl_buf *fixed)
{
	struct json j;
	json_init(&j, stdout);
	json_object(&j, NULL);
	json_string(&j, "file", path);
	json_array(&j, "lines");
	for (size_t i = 0; i < hacl_conf_count(c); i++) {
		const struct hacl_conf_line *l = hacl_conf_at(c, i);
		json_object_inline(&j, NULL);
		json_string(&j, "key", hacl_conf_key_name(l->key));
		json_uint(&j, "line", l->line);
		json_string_n(&j, "value", l->value ? l->value : "", l->value ? l->value_len : 0);
		json_uint(&j, "entries", hacl_list_count(l->list));
		json_bool(&j, "effective", l->effective);
		json_end(&j);
	}
	json_end(&j);
	json_array(&j, "findings");
	size_t fixable = 0;
	for (size_t i = 0; i < n; i++) {
		const struct hacl_entry *e = finding_entry(c, &f[i]);
		struct hacl_buf msg = HACL_BUF_INIT, fix = HACL_BUF_INIT, entry = HACL_BUF_INIT;
		if (f[i].kind != HACL_F_SHADOWED)
			hacl_buf_append(&entry, e->text, e->len);
		describe(&msg, c, &f[i], o->replace);
		json_object(&j, NULL);
		json_string(&j, "kind", kinds[f[i].kind].name);
		json_string(&j, "key", hacl_conf_key_name(hacl_conf_at(c, f[i].conf_line)->key));
		json_uint(&j, "line", f[i].line);
		json_uint(&j, "column", f[i].column);
		json_string(&j, "entry", f[i].kind == HACL_F_SHADOWED ? NULL : entry.data);
		json_bool(&j, "fixable", f[i].fixable);
		if (f[i].kind == HACL_F_IPV4_ALLOW || f[i].kind == HACL_F_IPV4_DENY)
			hacl_entry_map(&fix, e, HACL_TO_MAPPED, ", ", NULL);
		json_string(&j, "mapped", fix.data);
		json_string(&j, "message", msg.data ? msg.data : "");
		json_end(&j);
		fixable += f[i].fixable;
		hacl_buf_free(&msg);
		hacl_buf_free(&fix);
		hacl_buf_free(&entry);
	}
	json_end(&j);
	if (hacl_conf_error_count(c)) {
		json_array(&j, "errors");
		for (size_t i = 0; i < hacl_conf_error_count(c); i++) {
			const struct hacl_error *e = hacl_conf_error_at(c, i);
			json_object(&j, NULL);
			json_uint(&j, "line", e->line);
			json_uint(&j, "column", e->column);
			json_string(&j, "entry", e->entry);
			json_string(&j, "message", e->msg);
			json_end(&j);
		}
		json_end(&j);
	}
	if (hacl_conf_errors_more(c))
		json_uint(&j, "errors_more", hacl_conf_errors_more(c));
	if (o->dry_run && bad_entries(c)) {
		json_array(&j, "changes");	/* none: a file with errors is not fixed */
		json_end(&j);
	} else if (o->dry_run) {
		json_changes(&j, old, old_len, fixed);
	}
	json_uint(&j, "fixable", fixable);
	json_bool(&j, "fixed", o->fix && !o->dry_run && edits > 0);
	json_uint(&j, "edits", edits);
	json_string(&j, "backup", bak);
	json_end(&j);
	json_finish(&j);
}


/*
 * Read and check FILE; prints errors. Malformed entries do not fail it: each one is
 * printed (FILE:LINE:COLUMN: message, in file order), and stays in *c for the caller.
 */
static int load(const char *path, char **text, size_t *len, struct stat *st, hacl_conf **c)
{
	struct hacl_error err;
	if (strcmp(path, "-") != 0 && stat(path, st) != 0)
		return error("%s: %s", path, strerror(errno));
	if (file_read(path, text, len))
		return EXIT_ERROR;
	if (hacl_conf_read_flags(c, *text, *len, HACL_CONF_ALL_ERRORS, &err)) {
		if (err.code == HACL_ENOMEM)
			return error("out of memory");
		char where[512];
		snprintf(where, sizeof where, "%s:%zu:%zu", path, err.line, err.column);
		return error_at(where, "%s", err.msg);
	}
	for (size_t i = 0; i < hacl_conf_error_count(*c); i++) {
		const struct hacl_error *e = hacl_conf_error_at(*c, i);
		char where[512];
		snprintf(where, sizeof where, "%s:%zu:%zu", path, e->line, e->column);
		error_at(where, "%s", e->msg);
	}
	size_t more = hacl_conf_errors_more(*c);
	if (more)
		error_at(path, "... %zu more malformed entr%s", more, more == 1 ? "y" : "ies");
	for (size_t i = 0; i < hacl_conf_count(*c); i++) {
		const hacl_list *l = hacl_conf_at(*c, i)->list;
		for (size_t k = 0; k < hacl_list_count(l); k++) {
			const struct hacl_entry *e = hacl_list_at(l, k);
			size_t line, col;
			char where[512];
			hacl_conf_where(*c, i, e->offset, &line, &col);
			snprintf(where, sizeof where, "%s:%zu:%zu", path, line, col);
			entry_warnings(e, where);
		}
	}
	return 0;
}

/* The fixed text must read back with nothing left to fix, or it is not written. */
static int verify(const char *path, const struct hacl_buf *fixed)
{
	hacl_conf *again = NULL;
	struct hacl_finding *f = NULL;
	size_t n = 0, left = 0;
	int rc = hacl_conf_read(&again, fixed->data, fixed->len, NULL);
	if (!rc)
		rc = hacl_conf_check(again, &f, &n);
	for (size_t i = 0; i < n; i++)
		left += f[i].fixable;
	free(f);
	hacl_conf_free(again);
	if (rc || left)
		return error("%s: the fixed text does not check clean (an internal error); nothing "
			     "written", path);
	return 0;
}

/* Fix into *fixed (the caller frees it); then print the diff, or write the file. */
static int fix(const char *path, const char *old, size_t len, const struct stat *before,
	       const hacl_conf *c, const struct conf_opts *o, size_t *edits, char **bak,
	       struct hacl_buf *fixed_out)
{
	struct hacl_buf fixed = HACL_BUF_INIT;
	int rc = 0;
	if (hacl_conf_fix(&fixed, c, o->replace ? HACL_FIX_REPLACE : HACL_FIX_ADD, edits)) {
		rc = error("out of memory");
	} else if (*edits && (rc = verify(path, &fixed)) == 0) {
		if (o->dry_run && o->json) {
			/* the changes go into the JSON */
		} else if (o->dry_run) {
			if (udiff(stdout, path, old, len, path, fixed.data, fixed.len))
				rc = error("out of memory");
		} else if (strcmp(path, "-") == 0) {
			rc = error("--fix needs a FILE, not standard input");
		} else {
			rc = file_edit(path, old, len, before, fixed.data, fixed.len, o->suffix, bak)
				     ? EXIT_ERROR
				     : 0;
		}
	}
	*fixed_out = fixed;
	return rc;
}

int cmd_conf(int argc, char **argv)
{
	struct conf_opts o = { false, false, false, false, ".hostacl.bak" };
	const struct opt opts[] = {
		{ OPT_FLAG, "fix", 0, &o.fix, NULL, "rewrite what is fixable, safely" },
		{ OPT_FLAG, "replace", 0, &o.replace, NULL,
		  "with --fix: replace IPv4 allow entries, not add" },
		{ OPT_FLAG, "dry-run", 'n', &o.dry_run, NULL,
		  "print what --fix would change; write nothing" },
		{ OPT_STRING, "backup", 0, &o.suffix, "SUFFIX",
		  "backup name suffix (default .hostacl.bak)" },
		{ OPT_FLAG, "json", 0, &o.json, NULL, "write JSON" },
		{ OPT_END, NULL, 0, NULL, NULL, NULL },
	};
	struct operands ops;
	int rc;
	if (!parse_options(&ops, &rc, opts, &help, argc, argv))
		return rc;
	if (ops.n != 1)
		return error("conf takes one FILE; see 'hostacl conf --help'");
	if (!o.suffix[0])
		return error("--backup needs a non-empty suffix: --fix always keeps a backup");
	o.fix |= o.dry_run;
	const char *path = ops.v[0];
	char *text = NULL, *bak = NULL;
	size_t len = 0, nf = 0, edits = 0, fixable = 0;
	struct stat before;
	hacl_conf *c = NULL;
	struct hacl_finding *f = NULL;
	struct hacl_buf fixed = HACL_BUF_INIT;
	if ((rc = load(path, &text, &len, &before, &c)))
		goto out;
	if (hacl_conf_check(c, &f, &nf)) {
		rc = error("out of memory");
		goto out;
	}
	for (size_t i = 0; i < nf; i++)
		fixable += f[i].fixable;
	size_t bad = bad_entries(c);
	if (bad) {
		/* what hostacl cannot read, it does not rewrite: no fix, no backup */
		if (o.json) {
			print_json(path, c, f, nf, &o, 0, NULL, text, len, &fixed);
		} else if (o.fix) {
			error("%s: %zu malformed entr%s: nothing changed", path, bad,
			      bad == 1 ? "y" : "ies");
		} else {
			print_findings(path, c, f, nf, o.replace);
			print_summary(path, c, nf, fixable);
		}
		rc = EXIT_ERROR;
		goto out;
	}
	if (o.fix && (rc = fix(path, text, len, &before, c, &o, &edits, &bak, &fixed)))
		goto out;
	if (o.json)
		print_json(path, c, f, nf, &o, edits, bak, text, len, &fixed);
	else if (!o.dry_run) {
		print_findings(path, c, f, nf, o.replace);
		if (!o.fix)
			print_summary(path, c, nf, fixable);
		else if (edits)
			printf("%s: %zu fix%s written (backup: %s)\n", path, edits,
			       edits == 1 ? "" : "es", bak);
		else
			printf("%s: nothing to fix\n", path);
	}
	if (o.dry_run)
		rc = edits ? EXIT_DIFFER : EXIT_OK;
	else
		rc = nf - (o.fix ? edits : 0) > 0 ? EXIT_DIFFER : EXIT_OK;
out:
	hacl_buf_free(&fixed);
	free(text);
	free(bak);
	free(f);
	hacl_conf_free(c);
	return rc;
}
