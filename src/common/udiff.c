/* udiff.c - unified diff by the longest common subsequence of lines (files are small). */
#include <stdlib.h>
#include <string.h>

#include <stdbool.h>

#include "udiff.h"

struct lines {
	const char **s;
	size_t *n;	/* with the line end */
	size_t count;
};

static int split(const char *t, size_t len, struct lines *l)
{
	size_t cap = 16;
	l->s = malloc(cap * sizeof *l->s);
	l->n = malloc(cap * sizeof *l->n);
	l->count = 0;
	if (!l->s || !l->n)
		return -1;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (t + i)) + 1 : len - i;
		if (l->count == cap) {
			cap *= 2;
			const char **s = realloc(l->s, cap * sizeof *s);
			size_t *m = realloc(l->n, cap * sizeof *m);
			if (s)
				l->s = s;
			if (m)
				l->n = m;
			if (!s || !m)
				return -1;
		}
		l->s[l->count] = t + i;
		l->n[l->count++] = n;
		i += n;
	}
	return 0;
}

static bool same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->n[i] == b->n[j] && memcmp(a->s[i], b->s[j], a->n[i]) == 0;
}

static void put_line(FILE *f, char tag, const char *s, size_t n)
{
	fputc(tag, f);
	fwrite(s, 1, n, f);
	if (n == 0 || s[n - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", f);
}

enum op { KEEP, DEL, ADD };

int udiff(FILE *f, const char *label_a, const char *a, size_t an, const char *label_b,
	  const char *b, size_t bn)
{
	struct lines la = { 0 }, lb = { 0 };
	int rc = -1;
	enum op *ops = NULL;
	unsigned *lcs = NULL;
	if (split(a, an, &la) || split(b, bn, &lb))
		goto out;
	size_t n = la.count, m = lb.count;
	/* lcs[i][j]: common lines of a[i..] and b[j..] */
	lcs = calloc((n + 1) * (m + 1), sizeof *lcs);
	ops = malloc((n + m + 1) * sizeof *ops);
	if (!lcs || !ops)
		goto out;
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			lcs[i * (m + 1) + j] = same(&la, i, &lb, j)
						       ? lcs[(i + 1) * (m + 1) + j + 1] + 1
						       : (lcs[(i + 1) * (m + 1) + j] > lcs[i * (m + 1) + j + 1]
								  ? lcs[(i + 1) * (m + 1) + j]
								  : lcs[i * (m + 1) + j + 1]);
	size_t k = 0, i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && same(&la, i, &lb, j))
			ops[k++] = KEEP, i++, j++;
		else if (i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]))
			ops[k++] = DEL, i++;	/* removed lines first, as diff -u shows them */
		else
			ops[k++] = ADD, j++;
	}
	fprintf(f, "--- %s\n+++ %s\n", label_a, label_b);
	/* hunks: changes closer than 7 unchanged lines share one, with 3 lines of context */
	size_t p = 0, x = 0, y = 0;	/* op index, and the a/b lines before it */
	while (p < k) {
		if (ops[p] == KEEP) {
			p++, x++, y++;
			continue;
		}
		size_t last = p, q = p;
		for (; q < k && q - last <= 6; q++)
			if (ops[q] != KEEP)
				last = q;
		size_t ctx = 0;
		while (ctx < 3 && ctx < p && ops[p - ctx - 1] == KEEP)
			ctx++;
		size_t end = last + 1;
		for (size_t t = 0; t < 3 && end < k && ops[end] == KEEP; t++)
			end++;
		size_t a0 = x - ctx, b0 = y - ctx, na = 0, nb = 0;
		for (size_t r = p - ctx; r < end; r++) {
			na += ops[r] != ADD;
			nb += ops[r] != DEL;
		}
		fprintf(f, "@@ -%zu,%zu +%zu,%zu @@\n", na ? a0 + 1 : a0, na, nb ? b0 + 1 : b0, nb);
		size_t i2 = a0, j2 = b0;
		for (size_t r = p - ctx; r < end; r++) {
			if (ops[r] == KEEP)
				put_line(f, ' ', la.s[i2], la.n[i2]), i2++, j2++;
			else if (ops[r] == DEL)
				put_line(f, '-', la.s[i2], la.n[i2]), i2++;
			else
				put_line(f, '+', lb.s[j2], lb.n[j2]), j2++;
		}
		p = end;
		x = i2;
		y = j2;
	}
	rc = 0;
out:
	free(lcs);
	free(ops);
	free(la.s);
	free(la.n);
	free(lb.s);
	free(lb.n);
	return rc;
}
