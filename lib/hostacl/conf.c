/*
 * conf.c - apt-cacher.conf: reading its access keys the way apt-cacher 1.7 reads them
 * (check.c finds what is wrong in them and fixes it).
 *
 * apt-cacher's read_config() (lib/apt-cacher.pl, 1.7.6) works on the whole file: it
 * turns "\\\n#" into "\n#", then removes every "\\\n" (continuation lines); it skips
 * lines that start with '#' or are empty, cuts each line at its first '#', trims white
 * space, and splits "key = value" at '='. A value "" or "0" is an empty list. cfg_split()
 * then splits the value at commas and semicolons (with any white space around them).
 * We follow the same steps, keeping for every byte of a value the offset in the file it
 * came from, so errors and fixes point at the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const struct {
	const char *name;
	bool denies;
} keys[HACL_CONF_NKEYS] = {
	[HACL_ALLOWED_HOSTS] = { "allowed_hosts", false },
	[HACL_DENIED_HOSTS] = { "denied_hosts", true },
	[HACL_ALLOWED_HOSTS_6] = { "allowed_hosts_6", false },
	[HACL_DENIED_HOSTS_6] = { "denied_hosts_6", true },
};

const char *hacl_conf_key_name(int key)
{
	return key >= 0 && key < HACL_CONF_NKEYS ? keys[key].name : NULL;
}

bool hacl_conf_key_denies(int key)
{
	return key >= 0 && key < HACL_CONF_NKEYS && keys[key].denies;
}

/* Text after a rewriting pass, with the file offset of each byte (from[n] = end). */
struct mapped_text {
	char *s;
	size_t *from;
	size_t n;
};

/* Index where every line begins, so positions turn into line:column quickly. */
static int index_lines(hacl_conf *c)
{
	size_t n = 1;
	for (size_t i = 0; i < c->len; i++)
		n += c->text[i] == '\n';
	c->bol = malloc(n * sizeof *c->bol);
	if (!c->bol)
		return HACL_ENOMEM;
	c->nbol = 0;
	c->bol[c->nbol++] = 0;
	for (size_t i = 0; i < c->len; i++)
		if (c->text[i] == '\n')
			c->bol[c->nbol++] = i + 1;
	return 0;
}

void hacl__conf_line_col(const hacl_conf *c, size_t off, size_t *line, size_t *column)
{
	size_t lo = 0, hi = c->nbol;	/* the last line that begins at or before off */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->bol[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	*line = lo;
	*column = off - c->bol[lo - 1] + 1;
}

static void mapped_free(struct mapped_text *m)
{
	free(m->s);
	free(m->from);
}

/*
 * One of apt-cacher's two substitutions over `in`: with keep_newline, "\\\n#" loses its
 * backslash; without, "\\\n" disappears.
 */
static int substitute(struct mapped_text *out, const struct mapped_text *in, bool keep_newline)
{
	out->s = malloc(in->n + 1);
	out->from = malloc((in->n + 1) * sizeof *out->from);
	if (!out->s || !out->from) {
		mapped_free(out);
		return HACL_ENOMEM;
	}
	size_t k = 0;
	for (size_t i = 0; i < in->n; i++) {
		bool bs_nl = in->s[i] == '\\' && i + 1 < in->n && in->s[i + 1] == '\n';
		if (bs_nl && keep_newline && i + 2 < in->n && in->s[i + 2] == '#')
			continue;	/* drop the backslash, keep "\n#" */
		if (bs_nl && !keep_newline) {
			i++;		/* drop both */
			continue;
		}
		out->s[k] = in->s[i];
		out->from[k++] = in->from[i];
	}
	out->from[k] = in->from[in->n];
	out->s[k] = '\0';
	out->n = k;
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static int key_index(const char *s, size_t n)
{
	for (int k = 0; k < HACL_CONF_NKEYS; k++)
		if (strlen(keys[k].name) == n && memcmp(keys[k].name, s, n) == 0)
			return k;
	return -1;
}

static int push_line(hacl_conf *c, const struct hacl__cline *l)
{
	struct hacl__cline *v = hacl__grow(c->v, c->n, &c->cap, sizeof *v);
	if (!v)
		return HACL_ENOMEM;
	c->v = v;
	c->v[c->n++] = *l;
	return 0;
}

static void cline_free(struct hacl__cline *l)
{
	free(l->value);
	free(l->where);
	hacl_list_free(l->list);
}

/* Turn an error of the value's list parser into one about the file. */
static int file_error(const hacl_conf *c, const struct hacl__cline *l, struct hacl_error *err, int rc)
{
	if (!err || rc == HACL_ENOMEM)
		return rc;
	/* a value is one line: its columns are offsets + 1 */
	size_t value_off = err->offset;
	size_t entry_off = err->entry_column ? err->entry_column - 1 : value_off;
	char msg[sizeof err->msg + sizeof err->entry + 32], entry[sizeof err->entry];
	snprintf(msg, sizeof msg, "%s entry '%s': %s", keys[l->pub.key].name, err->entry, err->msg);
	memcpy(entry, err->entry, sizeof entry);
	/* located through the line index: no scan from the start of the file for each error */
	size_t off = l->where[value_off], line, column;
	hacl__conf_line_col(c, off, &line, &column);
	size_t bol = off - (column - 1);
	hacl__fail(err, rc, c->text + bol, c->len - bol, off - bol, 0, 0, msg);
	err->offset = off;
	err->line = line;
	memcpy(err->entry, entry, sizeof entry);
	hacl__conf_line_col(c, l->where[entry_off], &line, &err->entry_column);
	return rc;
}

/* What on_bad_entry() needs: the conf that keeps the errors, the line being parsed. */
struct bad_ctx {
	hacl_conf *c;
	const struct hacl__cline *l;
};

/* HACL_CONF_ALL_ERRORS: keep the error of a bad entry (located in the file) and go on. */
static int on_bad_entry(void *ctx, const struct hacl_error *e)
{
	struct bad_ctx *b = ctx;
	hacl_conf *c = b->c;
	if (c->nerrs >= HACL_CONF_ERRORS_MAX) {
		c->errs_more++;
		return 0;
	}
	struct hacl_error *v = hacl__grow(c->errs, c->nerrs, &c->errs_cap, sizeof *v);
	if (!v)
		return HACL_ENOMEM;
	c->errs = v;
	v[c->nerrs] = *e;
	file_error(c, b->l, &v[c->nerrs], e->code);
	c->nerrs++;
	return 0;
}

/* A key = value line at [ls, le) of the rewritten text m, if it is one of ours. */
static int key_line(hacl_conf *c, const struct mapped_text *m, size_t ls, size_t le,
		    struct hacl_error *err)
{
	const char *s = m->s;
	const char *hash = memchr(s + ls, '#', le - ls);
	if (hash)
		le = (size_t)(hash - s);
	while (ls < le && is_space(s[ls]))
		ls++;
	while (le > ls && is_space(s[le - 1]))
		le--;
	const char *eq = memchr(s + ls, '=', le - ls);
	if (!eq)
		return 0;
	size_t ke = (size_t)(eq - s);
	while (ke > ls && is_space(s[ke - 1]))
		ke--;
	int key = key_index(s + ls, ke - ls);
	if (key < 0)
		return 0;
	size_t vs = (size_t)(eq - s) + 1, ve;
	while (vs < le && is_space(s[vs]))
		vs++;
	const char *eq2 = memchr(s + vs, '=', le - vs);	/* split() stops at the next '=' */
	ve = eq2 ? (size_t)(eq2 - s) : le;
	while (ve > vs && is_space(s[ve - 1]))
		ve--;
	if (ve - vs == 1 && s[vs] == '0')
		ve = vs;	/* apt-cacher: `$value = 0 unless $value`, an empty list */
	struct hacl__cline l = { 0 };
	l.pub.key = key;
	l.key_offset = m->from[ls];
	l.value = malloc(ve - vs + 1);
	l.where = malloc((ve - vs + 1) * sizeof *l.where);
	if (!l.value || !l.where) {
		cline_free(&l);
		return hacl__fail(err, HACL_ENOMEM, "", 0, 0, 0, 0, "out of memory");
	}
	memcpy(l.value, s + vs, ve - vs);
	l.value[ve - vs] = '\0';
	for (size_t i = vs; i <= ve; i++)
		l.where[i - vs] = i < ve ? m->from[i] : (ve > vs ? m->from[ve - 1] + 1 : m->from[vs]);
	l.pub.value = l.value;
	l.pub.value_len = ve - vs;
	l.pub.whole_star = ve - vs == 1 && s[vs] == '*';
	size_t col;
	hacl__conf_line_col(c, m->from[ls], &l.pub.line, &col);
	hacl__conf_line_col(c, m->from[le > ls ? le - 1 : ls], &l.pub.last_line, &col);
	struct bad_ctx bad = { c, &l };
	int rc = hacl__list_parse_each(&l.list, l.value, l.pub.value_len, HACL__NAMES, err,
				       c->flags & HACL_CONF_ALL_ERRORS ? on_bad_entry : NULL, &bad);
	if (rc) {
		file_error(c, &l, err, rc);
		cline_free(&l);
		return rc;
	}
	l.pub.list = l.list;
	if (push_line(c, &l)) {
		cline_free(&l);
		return hacl__fail(err, HACL_ENOMEM, "", 0, 0, 0, 0, "out of memory");
	}
	return 0;
}

static int read_lines(hacl_conf *c, const struct mapped_text *m, struct hacl_error *err)
{
	for (size_t ls = 0; ls < m->n;) {
		const char *nl = memchr(m->s + ls, '\n', m->n - ls);
		size_t le = nl ? (size_t)(nl - m->s) : m->n;
		if (le > ls && m->s[ls] != '#') {
			int rc = key_line(c, m, ls, le, err);
			if (rc)
				return rc;
		}
		ls = le + 1;
	}
	/* apt-cacher keeps the last value of a key */
	for (int k = 0; k < HACL_CONF_NKEYS; k++)
		c->last[k] = -1;
	for (size_t i = c->n; i-- > 0;) {
		int k = c->v[i].pub.key;
		c->v[i].pub.effective = c->last[k] < 0;
		if (c->last[k] < 0)
			c->last[k] = (long)i;
		c->v[i].pub.effective_line = c->v[c->last[k]].pub.line;
	}
	return 0;
}

int hacl_conf_read(hacl_conf **out, const char *text, size_t len, struct hacl_error *err)
{
	return hacl_conf_read_flags(out, text, len, 0, err);
}

int hacl_conf_read_flags(hacl_conf **out, const char *text, size_t len, unsigned flags,
			 struct hacl_error *err)
{
	if (len > HACL_CONF_MAX)
		return hacl__fail(err, HACL_EPARSE, "", 0, 0, 0, 0,
				  "larger than 16 MiB: not an apt-cacher.conf");
	hacl_conf *c = calloc(1, sizeof *c);
	struct mapped_text raw = { malloc(len + 1), malloc((len + 1) * sizeof(size_t)), len };
	struct mapped_text once = { 0 }, twice = { 0 };
	int rc = HACL_ENOMEM;
	if (!c || !raw.s || !raw.from)
		goto out;
	c->flags = flags;
	c->text = malloc(len + 1);
	if (!c->text)
		goto out;
	memcpy(c->text, text, len);
	c->text[len] = '\0';
	c->len = len;
	if (index_lines(c))
		goto out;
	memcpy(raw.s, text, len);
	raw.s[len] = '\0';
	for (size_t i = 0; i <= len; i++)
		raw.from[i] = i;
	if (substitute(&once, &raw, true) || substitute(&twice, &once, false))
		goto out;
	rc = read_lines(c, &twice, err);
out:
	if (rc == HACL_ENOMEM)
		hacl__fail(err, rc, "", 0, 0, 0, 0, "out of memory");
	mapped_free(&raw);
	mapped_free(&once);
	mapped_free(&twice);
	if (rc) {
		hacl_conf_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void hacl_conf_free(hacl_conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		cline_free(&c->v[i]);
	free(c->v);
	free(c->errs);
	free(c->text);
	free(c->bol);
	free(c);
}

size_t hacl_conf_error_count(const hacl_conf *c)
{
	return c ? c->nerrs : 0;
}

const struct hacl_error *hacl_conf_error_at(const hacl_conf *c, size_t i)
{
	return c && i < c->nerrs ? &c->errs[i] : NULL;
}

size_t hacl_conf_errors_more(const hacl_conf *c)
{
	return c ? c->errs_more : 0;
}

size_t hacl_conf_count(const hacl_conf *c)
{
	return c ? c->n : 0;
}

const struct hacl_conf_line *hacl_conf_at(const hacl_conf *c, size_t i)
{
	return c && i < c->n ? &c->v[i].pub : NULL;
}

void hacl_conf_where(const hacl_conf *c, size_t i, size_t offset, size_t *line, size_t *column)
{
	const struct hacl__cline *l = &c->v[i];
	if (offset > l->pub.value_len)
		offset = l->pub.value_len;
	hacl__conf_line_col(c, l->where[offset], line, column);
}
