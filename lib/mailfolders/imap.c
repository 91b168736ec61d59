/*
 * imap.c - the two IMAP responses mailfolders reads, after their grammars:
 *
 * RFC 2342 section 5 (NAMESPACE):
 *   Namespace_Response = "*" SP "NAMESPACE" SP Namespace SP Namespace SP Namespace
 *   Namespace = nil / "(" 1*( "(" string SP (<"> QUOTED_CHAR <"> / nil)
 *               *(Namespace_Response_Extension) ")" ) ")"
 *   Namespace_Response_Extension = SP string SP "(" string *(SP string) ")"
 * RFC 3501 section 9 with RFC 5258 (LIST-EXTENDED) and RFC 6154 (SPECIAL-USE):
 *   mailbox-data =/ "LIST" SP mailbox-list
 *   mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
 *                  [SP mbox-list-extended]
 *   mailbox = "INBOX" / astring        flags are "\" atom
 * A string is quoted ("..." with \" and \\) or a literal ({N} CRLF and N bytes).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define LITERAL_MAX 65536	/* a mailbox name or prefix longer than this is refused */
#define NS_MAX 64		/* namespaces per class */

const struct mf_attr_info mf_attrs[] = {
	{ "\\Noinferiors", MF_ATTR_NOINFERIORS },
	{ "\\Noselect", MF_ATTR_NOSELECT },
	{ "\\Marked", MF_ATTR_MARKED },
	{ "\\Unmarked", MF_ATTR_UNMARKED },
	{ "\\NonExistent", MF_ATTR_NONEXISTENT },
	{ "\\Subscribed", MF_ATTR_SUBSCRIBED },
	{ "\\Remote", MF_ATTR_REMOTE },
	{ "\\HasChildren", MF_ATTR_HASCHILDREN },
	{ "\\HasNoChildren", MF_ATTR_HASNOCHILDREN },
	{ "\\All", MF_ATTR_ALL },
	{ "\\Archive", MF_ATTR_ARCHIVE },
	{ "\\Drafts", MF_ATTR_DRAFTS },
	{ "\\Flagged", MF_ATTR_FLAGGED },
	{ "\\Junk", MF_ATTR_JUNK },
	{ "\\Sent", MF_ATTR_SENT },
	{ "\\Trash", MF_ATTR_TRASH },
	{ NULL, 0 },
};

/* A reader over one response. */
struct rd {
	const char *s;
	size_t len, i;
	long line;		/* the response's first line, for messages */
	const char *what;	/* "NAMESPACE response" */
	struct mf_error *err;
};

static int bad(struct rd *r, const char *expected)
{
	char near[48];
	size_t n = r->len - r->i < 16 ? r->len - r->i : 16;
	mf__show(near, sizeof near, r->s + r->i, n);
	if (r->i >= r->len)
		return mf__fail_at(r->err, MF_EPARSE, r->line, "%s: expected %s at byte %zu, "
				   "found the end", r->what, expected, r->i + 1);
	return mf__fail_at(r->err, MF_EPARSE, r->line, "%s: expected %s at byte %zu, found "
			   "\"%s\"", r->what, expected, r->i + 1, near);
}

static int peek(const struct rd *r)
{
	return r->i < r->len ? (unsigned char)r->s[r->i] : -1;
}

static int expect(struct rd *r, char c, const char *name)
{
	if (peek(r) != (unsigned char)c)
		return bad(r, name);
	r->i++;
	return 0;
}

/* ATOM-CHAR of RFC 3501: any CHAR except atom-specials. */
static bool atom_char(int c)
{
	return c > 0x20 && c < 0x7f && !strchr("(){%*\"\\]", c);
}

/* A case-insensitive keyword followed by something that cannot continue an atom. */
static bool keyword(struct rd *r, const char *kw)
{
	size_t n = strlen(kw);
	if (r->len - r->i < n || strncasecmp(r->s + r->i, kw, n) != 0)
		return false;
	if (r->i + n < r->len && atom_char((unsigned char)r->s[r->i + n]))
		return false;
	r->i += n;
	return true;
}

/* A quoted string or a literal; *out is malloc'ed and NUL-terminated (NUL inside refused). */
static int string(struct rd *r, char **out)
{
	struct mf_buf b = { 0 };
	int c = peek(r);
	if (c == '"') {
		r->i++;
		for (;;) {
			c = peek(r);
			if (c < 0 || c == '\r' || c == '\n') {
				mf__buf_free(&b);
				return bad(r, "a closing '\"'");
			}
			r->i++;
			if (c == '"')
				break;
			if (c == '\\') {
				c = peek(r);
				if (c != '"' && c != '\\') {
					mf__buf_free(&b);
					return bad(r, "'\\\"' or '\\\\' (the only escapes of a quoted string)");
				}
				r->i++;
			} else if (c == 0) {
				mf__buf_free(&b);
				r->i--;
				return bad(r, "a character other than NUL");
			}
			if (mf__buf_addc(&b, (char)c)) {
				mf__buf_free(&b);
				return mf__fail(r->err, MF_ENOMEM, "out of memory");
			}
			if (b.len > LITERAL_MAX) {
				mf__buf_free(&b);
				return mf__fail_at(r->err, MF_EPARSE, r->line, "%s: a string longer "
						   "than %d bytes", r->what, LITERAL_MAX);
			}
		}
	} else if (c == '{') {
		r->i++;
		size_t n = 0;
		if (!isdigit(peek(r)))
			return bad(r, "the length of a literal");
		while (isdigit(peek(r))) {
			n = n * 10 + (size_t)(peek(r) - '0');
			r->i++;
			if (n > LITERAL_MAX)
				return mf__fail_at(r->err, MF_EPARSE, r->line, "%s: a literal longer "
						   "than %d bytes", r->what, LITERAL_MAX);
		}
		if (peek(r) == '+')
			r->i++;
		if (expect(r, '}', "'}' closing the literal's length"))
			return MF_EPARSE;
		if (peek(r) == '\r')
			r->i++;
		if (expect(r, '\n', "a line end after the literal's length"))
			return MF_EPARSE;
		if (r->len - r->i < n)
			return mf__fail_at(r->err, MF_EPARSE, r->line, "%s: a literal of %zu bytes "
					   "runs past the end of the response", r->what, n);
		if (memchr(r->s + r->i, '\0', n))
			return mf__fail_at(r->err, MF_EPARSE, r->line, "%s: a literal holds a NUL "
					   "byte", r->what);
		if (mf__buf_add(&b, r->s + r->i, n))
			return mf__fail(r->err, MF_ENOMEM, "out of memory");
		r->i += n;
	} else {
		return bad(r, "a string (\"...\" or {N})");
	}
	if (!b.data && mf__buf_add(&b, "", 0))
		return mf__fail(r->err, MF_ENOMEM, "out of memory");
	*out = b.data;
	return 0;
}

/* An astring: an atom (ASTRING-CHAR, which also allows ']') or a string. */
static int astring(struct rd *r, char **out)
{
	int c = peek(r);
	if (c == '"' || c == '{')
		return string(r, out);
	size_t start = r->i;
	while (r->i < r->len && (atom_char(peek(r)) || peek(r) == ']'))
		r->i++;
	if (r->i == start)
		return bad(r, "a mailbox name");
	*out = strndup(r->s + start, r->i - start);
	return *out ? 0 : mf__fail(r->err, MF_ENOMEM, "out of memory");
}

/* A delimiter: DQUOTE QUOTED-CHAR DQUOTE, or NIL ('\0'). */
static int delimiter(struct rd *r, char *out)
{
	if (keyword(r, "NIL")) {
		*out = '\0';
		return 0;
	}
	if (expect(r, '"', "a quoted delimiter or NIL"))
		return MF_EPARSE;
	int c = peek(r);
	if (c == '\\') {
		r->i++;
		c = peek(r);
		if (c != '"' && c != '\\')
			return bad(r, "'\\\"' or '\\\\'");
	} else if (c < 0x01 || c > 0x7f || c == '"' || c == '\r' || c == '\n') {
		return bad(r, "one delimiter character");
	}
	r->i++;
	*out = (char)c;
	return expect(r, '"', "'\"' after the one delimiter character");
}

/* The end of a response: nothing, or a line end. */
static int end(struct rd *r)
{
	if (peek(r) == '\r')
		r->i++;
	if (peek(r) == '\n')
		r->i++;
	if (r->i != r->len)
		return bad(r, "the end of the response");
	return 0;
}

/* "* NAME SP" at the start of a response. */
static int head(struct rd *r, const char *name)
{
	if (expect(r, '*', "'*' (an untagged response)") || expect(r, ' ', "a space after '*'"))
		return MF_EPARSE;
	if (!keyword(r, name)) {
		char what[32];
		snprintf(what, sizeof what, "\"%s\"", name);
		return bad(r, what);
	}
	return expect(r, ' ', "a space");
}

static int ns_extension(struct rd *r)
{
	char *s = NULL;
	int rc = string(r, &s);
	free(s);
	if (rc || (rc = expect(r, ' ', "a space")) || (rc = expect(r, '(', "'(' opening the "
	    "extension's values")))
		return rc;
	for (bool first = true;; first = false) {
		if (!first && peek(r) == ')')
			break;
		if (!first && (rc = expect(r, ' ', "a space or ')'")))
			return rc;
		s = NULL;
		rc = string(r, &s);
		free(s);
		if (rc)
			return rc;
	}
	r->i++;
	return 0;
}

static int ns_class(struct rd *r, struct mf_ns **out, size_t *n)
{
	if (keyword(r, "NIL"))
		return 0;
	if (expect(r, '(', "'(' or NIL"))
		return MF_EPARSE;
	do {
		if (*n == NS_MAX)
			return mf__fail_at(r->err, MF_EPARSE, r->line, "%s: more than %d namespaces "
					   "of one class", r->what, NS_MAX);
		if (expect(r, '(', "'(' opening a namespace"))
			return MF_EPARSE;
		struct mf_ns *v = realloc(*out, (*n + 1) * sizeof *v);
		if (!v)
			return mf__fail(r->err, MF_ENOMEM, "out of memory");
		*out = v;
		struct mf_ns *ns = &v[*n];
		memset(ns, 0, sizeof *ns);
		int rc = string(r, &ns->prefix);
		if (rc)
			return rc;
		(*n)++;
		if ((rc = expect(r, ' ', "a space after the prefix")) || (rc = delimiter(r, &ns->delim)))
			return rc;
		while (peek(r) == ' ') {
			r->i++;
			if ((rc = ns_extension(r)))
				return rc;
		}
		if (expect(r, ')', "')' closing a namespace"))
			return MF_EPARSE;
	} while (peek(r) == '(');
	return expect(r, ')', "')' or another '(' namespace");
}

int mf_namespace_parse(struct mf_namespaces *out, const char *text, size_t len,
		       struct mf_error *err)
{
	struct rd r = { text, len, 0, 1, "NAMESPACE response", err };
	struct mf_namespaces ns;
	memset(&ns, 0, sizeof ns);
	int rc = head(&r, "NAMESPACE");
	for (int k = 0; !rc && k < MF_NS_CLASSES; k++) {
		if (k && (rc = expect(&r, ' ', "a space and the next namespace class")))
			break;
		rc = ns_class(&r, &ns.ns[k], &ns.n[k]);
	}
	if (!rc)
		rc = end(&r);
	if (rc) {
		mf_namespaces_free(&ns);
		return rc;
	}
	*out = ns;
	return 0;
}

void mf_namespaces_free(struct mf_namespaces *ns)
{
	if (!ns)
		return;
	for (int k = 0; k < MF_NS_CLASSES; k++) {
		for (size_t i = 0; i < ns->n[k]; i++)
			free(ns->ns[k][i].prefix);
		free(ns->ns[k]);
		ns->ns[k] = NULL;
		ns->n[k] = 0;
	}
}

/* Skip one tagged-ext-val of RFC 4466: an astring, a number, or a parenthesised list. */
static int skip_value(struct rd *r, int depth)
{
	if (depth > 8)
		return mf__fail_at(r->err, MF_EPARSE, r->line, "%s: extension data nested more "
				   "than 8 deep", r->what);
	if (peek(r) != '(') {
		char *s = NULL;
		int rc = astring(r, &s);
		free(s);
		return rc;
	}
	r->i++;
	for (bool first = true; peek(r) != ')'; first = false) {
		int rc;
		if (!first && (rc = expect(r, ' ', "a space or ')'")))
			return rc;
		if ((rc = skip_value(r, depth + 1)))
			return rc;
	}
	r->i++;
	return 0;
}

int mf_list_parse(struct mf_folder *out, const char *text, size_t len, struct mf_error *err)
{
	struct rd r = { text, len, 0, 1, "LIST response", err };
	struct mf_folder f;
	memset(&f, 0, sizeof f);
	int rc = head(&r, "LIST");
	if (!rc)
		rc = expect(&r, '(', "'(' opening the attributes");
	for (bool first = true; !rc && peek(&r) != ')'; first = false) {
		if (!first && (rc = expect(&r, ' ', "a space or ')'")))
			break;
		size_t start = r.i;
		if ((rc = expect(&r, '\\', "an attribute (\\Name)")))
			break;
		while (atom_char(peek(&r)))
			r.i++;
		size_t n = r.i - start;
		if (n == 1) {
			rc = bad(&r, "the attribute's name");
			break;
		}
		unsigned bit = MF_ATTR_OTHER;
		for (const struct mf_attr_info *a = mf_attrs; a->name; a++)
			if (strlen(a->name) == n && strncasecmp(a->name, text + start, n) == 0)
				bit = a->bit;
		f.attrs |= bit;
	}
	if (!rc) {
		r.i++;
		rc = expect(&r, ' ', "a space after the attributes");
	}
	if (!rc)
		rc = delimiter(&r, &f.delim);
	if (!rc)
		rc = expect(&r, ' ', "a space after the delimiter");
	if (!rc)
		rc = astring(&r, &f.name);
	if (!rc && peek(&r) == ' ') {
		r.i++;
		if (peek(&r) != '(')
			rc = bad(&r, "'(' opening the extended data");
		else
			rc = skip_value(&r, 0);
	}
	if (!rc)
		rc = end(&r);
	if (!rc) {
		struct mf_error ignored;
		int d = mf_mutf7_decode(&f.decoded, f.name, strlen(f.name), &ignored);
		if (d == MF_ENOMEM)
			rc = mf__fail(err, MF_ENOMEM, "out of memory");
		else if (d)
			f.decoded = NULL;
	}
	if (rc) {
		mf_folder_free(&f);
		return rc;
	}
	*out = f;
	return 0;
}

void mf_folder_free(struct mf_folder *f)
{
	if (!f)
		return;
	free(f->name);
	free(f->decoded);
	f->name = f->decoded = NULL;
}

/*
 * The end of the response that starts at text[i]: past its last line end, skipping the
 * bytes of every literal announced at a line's end. *lit_short: a literal runs past len.
 */
static size_t response_end(const char *text, size_t len, size_t i, bool *lit_short)
{
	*lit_short = false;
	for (;;) {
		const char *nl = memchr(text + i, '\n', len - i);
		if (!nl)
			return len;
		size_t e = (size_t)(nl - text);	/* the '\n' */
		size_t k = e;
		if (k > i && text[k - 1] == '\r')
			k--;
		/* "{N}" or "{N+}" just before the line end */
		if (k > i && text[k - 1] == '}') {
			size_t j = k - 1;
			if (j > i && text[j - 1] == '+')
				j--;
			size_t d = j;
			while (d > i && isdigit((unsigned char)text[d - 1]))
				d--;
			if (d < j && d > i && text[d - 1] == '{' && j - d <= 6) {
				size_t n = (size_t)strtoul(text + d, NULL, 10);
				if (len - (e + 1) < n) {
					*lit_short = true;
					return len;
				}
				i = e + 1 + n;
				continue;
			}
		}
		return e + 1;
	}
}

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);
	return n > p && strncasecmp(s, prefix, p) == 0;
}

int mf_server_parse(struct mf_server *out, const char *text, size_t len, struct mf_error *err)
{
	long line = 1;
	for (size_t i = 0; i < len;) {
		bool lit_short;
		size_t e = response_end(text, len, i, &lit_short);
		const char *s = text + i;
		size_t n = e - i;
		bool is_ns = starts(s, n, "* NAMESPACE "), is_list = starts(s, n, "* LIST ");
		if ((is_ns || is_list) && lit_short)
			return mf__fail_at(err, MF_EPARSE, line, "line %ld: a literal runs past the "
					   "end of the server's answer", line);
		int rc = 0;
		if (is_ns) {
			struct mf_namespaces ns;
			rc = mf_namespace_parse(&ns, s, n, err);
			if (!rc) {
				mf_namespaces_free(&out->ns);
				out->ns = ns;
				out->have_namespace = true;
			}
		} else if (is_list) {
			struct mf_folder f;
			rc = mf_list_parse(&f, s, n, err);
			if (!rc) {
				struct mf_folder *v = realloc(out->folders,
							      (out->nfolders + 1) * sizeof *v);
				if (!v) {
					mf_folder_free(&f);
					return mf__fail(err, MF_ENOMEM, "out of memory");
				}
				out->folders = v;
				v[out->nfolders++] = f;
			}
		}
		if (rc) {
			if (err && rc == MF_EPARSE) {
				char msg[sizeof err->msg];
				snprintf(msg, sizeof msg, "line %ld: %.480s", line, err->msg);
				memcpy(err->msg, msg, sizeof msg);
				err->line = line;
			}
			return rc;
		}
		for (size_t k = i; k < e; k++)
			line += text[k] == '\n';
		i = e;
	}
	return 0;
}

void mf_server_free(struct mf_server *s)
{
	if (!s)
		return;
	mf_namespaces_free(&s->ns);
	for (size_t i = 0; i < s->nfolders; i++)
		mf_folder_free(&s->folders[i]);
	free(s->folders);
	memset(s, 0, sizeof *s);
}

const struct mf_ns *mf_server_personal(const struct mf_server *s)
{
	if (!s->have_namespace || s->ns.n[MF_NS_PERSONAL] == 0)
		return NULL;
	return &s->ns.ns[MF_NS_PERSONAL][0];
}
