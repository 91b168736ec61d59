/* deps.c - the dependency edges of lib/deps.def and their transitive closure. */
#include <pthread.h>
#include <string.h>

#include "internal.h"

static const struct cm_dep deps[] = {
#define CM_DEP(feature, dependent, reason) { feature, dependent, reason },
#include "deps.def"
#undef CM_DEP
};

size_t cm_dep_count(void)
{
	return CM_ARRAY_SIZE(deps);
}

const struct cm_dep *cm_dep_at(size_t i)
{
	return i < CM_ARRAY_SIZE(deps) ? &deps[i] : NULL;
}

/* The edges as feature ids, resolved once (fleets close thousands of sets). */
static int from[CM_ARRAY_SIZE(deps)], to[CM_ARRAY_SIZE(deps)];
static pthread_once_t ids_once = PTHREAD_ONCE_INIT;

static void resolve_ids(void)
{
	for (size_t i = 0; i < CM_ARRAY_SIZE(deps); i++) {
		from[i] = cm_feature_find(deps[i].feature);
		to[i] = cm_feature_find(deps[i].dependent);
	}
}

void cm_deps_closure(const struct cm_fset *of, struct cm_fset *out)
{
	pthread_once(&ids_once, resolve_ids);
	struct cm_fset reached = *of, next;
	memset(out, 0, sizeof *out);
	/* the graph has no cycle (tests/unit/test_mask.c, deps), so this ends */
	for (;;) {
		memset(&next, 0, sizeof next);
		for (size_t i = 0; i < CM_ARRAY_SIZE(deps); i++)
			if (from[i] >= 0 && to[i] >= 0 && cm_fset_has(&reached, (size_t)from[i]) &&
			    !cm_fset_has(out, (size_t)to[i]))
				cm_fset_add(&next, (size_t)to[i]);
		if (cm_fset_empty(&next))
			break;
		cm_fset_or(out, &next);
		cm_fset_or(&reached, &next);
	}
}
