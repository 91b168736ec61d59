/* models.c - named baselines (lib/models.def) and their feature sets. */
#include <string.h>
#include <strings.h>

#include "internal.h"

static const struct cm_model models[] = {
#define CM_MODEL(name, family, vendor, desc, features) { name, family, vendor, desc, features },
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

/* The features of a model that a host must have to meet it. */
static void needed(const struct cm_model *m, struct cm_fset *out)
{
	cm_model_features(m, out);
	if (strcmp(m->family, "qemu") == 0) {
		/* KVM provides these in software whatever the host has */
		int x2apic = cm_feature_at_bit(1, CM_NO_SUBLEAF, CM_ECX, 21);
		int deadline = cm_feature_at_bit(1, CM_NO_SUBLEAF, CM_ECX, 24);
		cm_fset_del(out, (size_t)x2apic);
		cm_fset_del(out, (size_t)deadline);
		return;
	}
	if (strcmp(m->family, "evc") != 0)
		return;
	for (long id = cm_fset_next(out, 0); id >= 0; id = cm_fset_next(out, (size_t)id + 1))
		if (cm_profile_rule_of((size_t)id, NULL) != CM_PROF_PASS)
			cm_fset_del(out, (size_t)id);
}

bool cm_model_met(const struct cm_model *m, const cm_snap *host, struct cm_fset *missing)
{
	struct cm_fset need, have;
	needed(m, &need);
	cm__host_features(host, &have, NULL);
	cm_fset_andnot(&need, &have);
	if (missing)
		*missing = need;
	return cm_fset_empty(&need);
}

static bool vendor_fits(const struct cm_model *m, enum cm_vendor v)
{
	if (strcmp(m->vendor, "any") == 0)
		return true;
	if (v == CM_VENDOR_HYGON && strcmp(m->vendor, "amd") == 0)
		return true;
	return strcmp(m->vendor, cm_vendor_name(v)) == 0;
}

const struct cm_model *cm_model_best(const struct cm_fset *have, enum cm_vendor vendor,
				     const char *family)
{
	return cm__model_best_filtered(have, vendor, family, NULL, NULL);
}

const struct cm_model *cm__model_best_filtered(const struct cm_fset *have, enum cm_vendor vendor,
					       const char *family,
					       bool (*known)(bool, const char *, void *), void *ctx)
{
	const struct cm_model *best = NULL;
	size_t best_n = 0;
	for (size_t i = 0; i < CM_ARRAY_SIZE(models); i++) {
		const struct cm_model *m = &models[i];
		if (strcmp(m->family, family) != 0 || !vendor_fits(m, vendor) ||
		    (known && !known(true, m->name, ctx)))
			continue;
		struct cm_fset need;
		needed(m, &need);
		if (!cm_fset_subset(&need, have))
			continue;
		size_t n = cm_fset_count(&need);
		if (!best || n >= best_n) {
			best = m;
			best_n = n;
		}
	}
	return best;
}
