/* fset.c - feature sets: fixed-size bitmaps indexed by feature id. */
#include "internal.h"

#define NW (CM_FSET_BITS / 64)

void cm_fset_add(struct cm_fset *s, size_t id)
{
	if (id < CM_FSET_BITS)
		s->w[id / 64] |= (uint64_t)1 << (id % 64);
}

void cm_fset_del(struct cm_fset *s, size_t id)
{
	if (id < CM_FSET_BITS)
		s->w[id / 64] &= ~((uint64_t)1 << (id % 64));
}

bool cm_fset_has(const struct cm_fset *s, size_t id)
{
	return id < CM_FSET_BITS && (s->w[id / 64] >> (id % 64)) & 1;
}

void cm_fset_and(struct cm_fset *s, const struct cm_fset *t)
{
	for (size_t i = 0; i < NW; i++)
		s->w[i] &= t->w[i];
}

void cm_fset_or(struct cm_fset *s, const struct cm_fset *t)
{
	for (size_t i = 0; i < NW; i++)
		s->w[i] |= t->w[i];
}

void cm_fset_andnot(struct cm_fset *s, const struct cm_fset *t)
{
	for (size_t i = 0; i < NW; i++)
		s->w[i] &= ~t->w[i];
}

bool cm_fset_equal(const struct cm_fset *a, const struct cm_fset *b)
{
	for (size_t i = 0; i < NW; i++)
		if (a->w[i] != b->w[i])
			return false;
	return true;
}

bool cm_fset_subset(const struct cm_fset *a, const struct cm_fset *b)
{
	for (size_t i = 0; i < NW; i++)
		if (a->w[i] & ~b->w[i])
			return false;
	return true;
}

bool cm_fset_empty(const struct cm_fset *s)
{
	for (size_t i = 0; i < NW; i++)
		if (s->w[i])
			return false;
	return true;
}

size_t cm_fset_count(const struct cm_fset *s)
{
	size_t n = 0;
	for (size_t i = 0; i < NW; i++)
		n += (size_t)__builtin_popcountll(s->w[i]);
	return n;
}

long cm_fset_next(const struct cm_fset *s, size_t from)
{
	for (size_t i = from / 64; i < NW; i++) {
		uint64_t w = s->w[i];
		if (i == from / 64)
			w &= ~(uint64_t)0 << (from % 64);
		if (w)
			return (long)(i * 64 + (size_t)__builtin_ctzll(w));
	}
	return -1;
}
