/* models.c - named baselines (lib/models.def) and their feature sets. */
#include <string.h>
#include <strings.h>

#include "internal.h"

static const struct cm_model models[] = {
#define CM_MODEL(name, family, desc, features) { name, family, desc, features },
#include "models.def"
#undef CM_MODEL
};

size_t cm_model_count(void)
{
	return CM_ARRAY_SIZE(models);
}

const struct cm_model *cm_model_at(size_t i)
{
	return i < CM_ARRAY_SIZE(models) ? &models[i] : NULL;
}

const struct cm_model *cm_model_find(const char *name)
{
	for (size_t i = 0; i < CM_ARRAY_SIZE(models); i++)
		if (strcasecmp(models[i].name, name) == 0)
			return &models[i];
	return NULL;
}

void cm_model_features(const struct cm_model *m, struct cm_fset *out)
{
	memset(out, 0, sizeof *out);
	const char *p = m->features;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (!n)
			break;
		char name[64];
		if (n < sizeof name) {
			memcpy(name, p, n);
			name[n] = '\0';
			int id = cm_feature_find(name);
			if (id >= 0)
				cm_fset_add(out, (size_t)id);
		}
		p += n;
	}
}
