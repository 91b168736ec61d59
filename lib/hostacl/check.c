/*
 * check.c - apt-cacher.conf findings: the entries a 1.7.3 server on a dual-stack socket
 * gets wrong (and the other traps of apt-cacher's list syntax), and their fixes, made
 * with the smallest edits so that every other byte of the file is kept.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The effective line of a key, or NULL. */
static const struct hacl__cline *effective(const hacl_conf *c, int key)
{
	return c->last[key] >= 0 ? &c->v[c->last[key]] : NULL;
}

/*
 * What a 1.7.3 server matches a mapped client against, for the allow or the deny side:
 * the IPv6 entries of the effective lines of the side's two keys, as sorted, merged
 * intervals.
 */
struct cover {
	struct span {
		struct hacl_addr first, last;
	} *v;
	size_t n;
};

static int by_first(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;
	return hacl__cmp(&a->first, &b->first);
}

/* Do a and b (a starting first) overlap or sit side by side? */
static bool touches(const struct span *a, const struct span *b)
{
	struct hacl_addr after = a->last;
	return !hacl__inc(&after) || hacl__cmp(&b->first, &after) <= 0;
}

static int build_cover(struct cover *cv, const hacl_conf *c, const int keys2[2])
{
	size_t n = 0;
	for (int g = 0; g < 2; g++)
		n += effective(c, keys2[g]) ? hacl_list_count(effective(c, keys2[g])->list) : 0;
	cv->n = 0;
	cv->v = malloc((n ? n : 1) * sizeof *cv->v);
	if (!cv->v)
		return HACL_ENOMEM;
	for (int g = 0; g < 2; g++) {
		const struct hacl__cline *l = effective(c, keys2[g]);
		for (size_t i = 0; l && i < hacl_list_count(l->list); i++) {
			const struct hacl_entry *x = hacl_list_at(l->list, i);
			if (x->family == 6)
				cv->v[cv->n++] = (struct span){ x->first, x->last };
		}
	}
	qsort(cv->v, cv->n, sizeof *cv->v, by_first);
	size_t m = 0;
	for (size_t i = 0; i < cv->n; i++) {
		if (m > 0 && touches(&cv->v[m - 1], &cv->v[i])) {
			if (hacl__cmp(&cv->v[i].last, &cv->v[m - 1].last) > 0)
				cv->v[m - 1].last = cv->v[i].last;
		} else {
			cv->v[m++] = cv->v[i];
		}
	}
	cv->n = m;
	return 0;
}

/* Does the cover hold every address of e (in the 128-bit space)? */
static bool covered(const struct cover *cv, const struct hacl_entry *e)
{
	size_t lo = 0, hi = cv->n;	/* the last span that starts at or before e->first */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (hacl__cmp(&cv->v[mid].first, &e->first) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && hacl__cmp(&cv->v[lo - 1].last, &e->last) >= 0;
}

struct findings {
	struct hacl_finding *v;
	size_t n, cap;
};

static int add(struct findings *f, const hacl_conf *c, size_t line, size_t entry,
	       enum hacl_finding_kind kind, bool fixable)
{
	struct hacl_finding *v = hacl__grow(f->v, f->n, &f->cap, sizeof *v);
	if (!v)
		return HACL_ENOMEM;
	f->v = v;
	const struct hacl__cline *l = &c->v[line];
	struct hacl_finding *x = &f->v[f->n++];
	x->kind = kind;
	x->conf_line = line;
	x->entry = entry;
	x->fixable = fixable;
	size_t off = kind == HACL_F_SHADOWED ? l->key_offset
					     : l->where[hacl_list_at(l->list, entry)->offset];
	hacl__conf_line_col(c, off, &x->line, &x->column);
	return 0;
}

/*
 * Only white space between entry i and the item before it? Between two entries there are
 * only separators, but a bad entry left out (HACL_CONF_ALL_ERRORS) may lie between them:
 * then the item before is that one, so look back from entry i to the first byte that is
 * not a separator.
 */
static bool space_only(const struct hacl__cline *l, size_t i)
{
	const struct hacl_entry *b = hacl_list_at(l->list, i);
	for (size_t k = b->offset; k-- > 0;) {
		char ch = l->value[k];
		if (ch == ',' || ch == ';')
			return false;
		if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\v' && ch != '\f')
			return true;
	}
	return false;
}

static bool one_subnet(const struct hacl_entry *e)
{
	struct hacl_prefix p[HACL_SPLIT_MAX];
	return hacl_range_split(p, &e->first, &e->last) == 1;
}

static int check_line(struct findings *f, const hacl_conf *c, size_t li,
		      const struct cover covers[2])
{
	const struct hacl__cline *l = &c->v[li];
	if (!l->pub.effective)
		return add(f, c, li, 0, HACL_F_SHADOWED, false);
	bool denies = hacl_conf_key_denies(l->pub.key);
	const struct hacl__cline *allow = effective(c, HACL_ALLOWED_HOSTS);
	bool allow_all = allow && allow->pub.whole_star;	/* apt-cacher looks no further */
	bool star_ok = l->pub.key == HACL_ALLOWED_HOSTS && l->pub.whole_star;
	size_t n = hacl_list_count(l->list);
	for (size_t i = 0; i < n; i++) {
		const struct hacl_entry *e = hacl_list_at(l->list, i);
		int rc = 0;
		if (i > 0 && space_only(l, i))
			rc = add(f, c, li, i, HACL_F_SPACE_SEPARATED, true);
		if (!rc && e->kind == HACL_ANY && !star_ok)
			rc = add(f, c, li, i, HACL_F_STAR_IN_LIST, false);
		if (!rc && e->kind == HACL_NAME && !(allow_all && !denies))
			rc = add(f, c, li, i, HACL_F_HOST_NAME, false);
		if (!rc && e->family == 4 && !(allow_all && !denies) && !covered(&covers[denies], e))
			rc = add(f, c, li, i, denies ? HACL_F_IPV4_DENY : HACL_F_IPV4_ALLOW, true);
		if (!rc && e->kind == HACL_RANGE && !one_subnet(e))
			rc = add(f, c, li, i, HACL_F_RANGE_NOT_SUBNET, true);
		if (rc)
			return rc;
	}
	return 0;
}

int hacl_conf_check(const hacl_conf *c, struct hacl_finding **out, size_t *n)
{
	static const int sides[2][2] = {
		{ HACL_ALLOWED_HOSTS, HACL_ALLOWED_HOSTS_6 },
		{ HACL_DENIED_HOSTS, HACL_DENIED_HOSTS_6 },
	};
	struct findings f = { 0 };
	struct cover covers[2] = { { 0 }, { 0 } };
	int rc = build_cover(&covers[0], c, sides[0]);
	if (!rc)
		rc = build_cover(&covers[1], c, sides[1]);
	for (size_t i = 0; i < c->n && !rc; i++)
		rc = check_line(&f, c, i, covers);
	free(covers[0].v);
	free(covers[1].v);
	if (rc) {
		free(f.v);
		return HACL_ENOMEM;
	}
	*out = f.v;
	*n = f.n;
	return 0;
}

/* ---------------------------------------------------------------- fixing */

/* Replace file bytes [start, end) by text (end == start: insert). */
struct edit {
	size_t start, end;
	size_t order;		/* creation order, to keep edits at one offset in sequence */
	struct hacl_buf text;
};

static int by_position(const void *pa, const void *pb)
{
	const struct edit *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/*
 * Is an IPv4 entry of this kind replaced (rather than kept, with its mapped form added)?
 * Only allow entries are: dropping an IPv4 deny entry would let its clients in wherever
 * they do not arrive as ::ffff:a.b.c.d (an IPv4-only socket, apt-cacher 1.7.6).
 */
static bool replaces(enum hacl_finding_kind kind, enum hacl_fix_style style)
{
	return style == HACL_FIX_REPLACE && kind == HACL_F_IPV4_ALLOW;
}

/* Does the finding before f concern the same entry and replace it already? */
static bool replaced_anyway(const struct hacl_finding *f, size_t i, enum hacl_fix_style style)
{
	return i > 0 && f[i].kind == HACL_F_RANGE_NOT_SUBNET && replaces(f[i - 1].kind, style) &&
	       f[i - 1].conf_line == f[i].conf_line && f[i - 1].entry == f[i].entry;
}

/*
 * After the text that replaces file bytes [first, after): the continuations
 * (backslash-newline) those bytes held, so that the file keeps its lines.
 */
static void keep_continuations(struct hacl_buf *b, const hacl_conf *c, size_t first, size_t after)
{
	for (size_t i = first; i + 1 < after; i++)
		if (c->text[i] == '\\' && c->text[i + 1] == '\n')
			hacl__puts(b, "\\\n");
}

static int edit_for(struct edit *ed, const hacl_conf *c, const struct hacl_finding *f,
		    enum hacl_fix_style style)
{
	const struct hacl__cline *l = &c->v[f->conf_line];
	const struct hacl_entry *e = hacl_list_at(l->list, f->entry);
	size_t first = l->where[e->offset], after = l->where[e->offset + e->len - 1] + 1;
	memset(ed, 0, sizeof *ed);
	switch (f->kind) {
	case HACL_F_SPACE_SEPARATED: {
		const struct hacl_entry *prev = hacl_list_at(l->list, f->entry - 1);
		ed->start = ed->end = l->where[prev->offset + prev->len - 1] + 1;
		hacl__puts(&ed->text, ",");
		return ed->text.err;
	}
	case HACL_F_RANGE_NOT_SUBNET:
		ed->start = first;
		ed->end = after;
		hacl_entry_prefixes(&ed->text, e, ", ");
		keep_continuations(&ed->text, c, first, after);
		return ed->text.err;
	default:
		break;
	}
	if (!replaces(f->kind, style)) {
		ed->start = ed->end = after;
		hacl__puts(&ed->text, ", ");
		return hacl_entry_map(&ed->text, e, HACL_TO_MAPPED, ", ", NULL);
	}
	ed->start = first;
	ed->end = after;
	hacl_entry_map(&ed->text, e, HACL_TO_MAPPED, ", ", NULL);
	keep_continuations(&ed->text, c, first, after);
	return ed->text.err;
}

int hacl_conf_fix(struct hacl_buf *out, const hacl_conf *c, enum hacl_fix_style style,
		  size_t *edits)
{
	struct hacl_finding *f = NULL;
	size_t nf = 0, ne = 0;
	struct edit *ed = NULL;
	if (c->nerrs || c->errs_more)
		return HACL_EPARSE;	/* hostacl does not rewrite what it cannot read */
	int rc = hacl_conf_check(c, &f, &nf);
	if (rc)
		return rc;
	ed = calloc(nf ? nf : 1, sizeof *ed);
	if (!ed) {
		free(f);
		return HACL_ENOMEM;
	}
	size_t fixed = 0;
	for (size_t i = 0; i < nf && !rc; i++) {
		if (!f[i].fixable)
			continue;
		fixed++;
		if (replaced_anyway(f, i, style))
			continue;
		rc = edit_for(&ed[ne], c, &f[i], style);
		ed[ne].order = ne;
		ne++;
	}
	if (!rc) {
		qsort(ed, ne, sizeof *ed, by_position);
		size_t at = 0;
		hacl__putn(out, "", 0);
		for (size_t i = 0; i < ne; i++) {
			if (ed[i].start < at)
				continue;	/* overlaps the edit before: cannot happen */
			hacl__putn(out, c->text + at, ed[i].start - at);
			hacl__putn(out, ed[i].text.data ? ed[i].text.data : "", ed[i].text.len);
			at = ed[i].end;
		}
		hacl__putn(out, c->text + at, c->len - at);
		rc = out->err;
	}
	for (size_t i = 0; i < ne; i++)
		hacl_buf_free(&ed[i].text);
	free(ed);
	free(f);
	if (!rc && edits)
		*edits = fixed;
	return rc;
}
