/*
 * leaves.c - which CPUID leaves take a subleaf in ECX, and how each enumerates its
 * subleaves (Intel SDM vol. 2A "CPUID", AMD APM vol. 3 appendix E). One table, used by
 * capture and by subleaf-aware lookups.
 */
#include "internal.h"
#include "leaves.h"

static const struct cm__leafrule rules[] = {
	/* leaf        rule                 what the subleaves are */
	{ 0x00000004, CM__SUB_CACHE_TYPE },	/* deterministic cache parameters */
	{ 0x00000007, CM__SUB_MAX_IN_EAX },	/* structured extended features */
	{ 0x0000000b, CM__SUB_LEVEL_TYPE },	/* extended topology */
	{ 0x0000000d, CM__SUB_XSAVE },		/* XSAVE state components */
	{ 0x0000000f, CM__SUB_BITMAP_EDX },	/* RDT monitoring resources */
	{ 0x00000010, CM__SUB_BITMAP_EBX },	/* RDT allocation resources */
	{ 0x00000012, CM__SUB_SGX },		/* SGX capabilities and EPC sections */
	{ 0x00000014, CM__SUB_MAX_IN_EAX },	/* processor trace */
	{ 0x00000017, CM__SUB_MAX_IN_EAX },	/* SoC vendor attributes */
	{ 0x00000018, CM__SUB_MAX_IN_EAX },	/* deterministic address translation */
	{ 0x0000001b, CM__SUB_PCONFIG },	/* PCONFIG targets */
	{ 0x0000001d, CM__SUB_MAX_IN_EAX },	/* AMX tile palettes */
	{ 0x0000001e, CM__SUB_MAX_IN_EAX },	/* AMX TMUL */
	{ 0x0000001f, CM__SUB_LEVEL_TYPE },	/* V2 extended topology */
	{ 0x00000020, CM__SUB_MAX_IN_EAX },	/* HRESET */
	{ 0x00000023, CM__SUB_BITMAP_EAX },	/* architectural performance monitoring ext. */
	{ 0x00000024, CM__SUB_MAX_IN_EAX },	/* AVX10 */
	{ 0x8000001d, CM__SUB_CACHE_TYPE },	/* AMD cache topology */
	{ 0x80000020, CM__SUB_BITMAP_EBX },	/* AMD platform QoS */
	{ 0x80000026, CM__SUB_LEVEL_TYPE },	/* AMD extended CPU topology */
};

const struct cm__leafrule *cm__leafrule_find(uint32_t leaf)
{
	size_t lo = 0, hi = CM_ARRAY_SIZE(rules);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rules[mid].leaf == leaf)
			return &rules[mid];
		if (rules[mid].leaf < leaf)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t cm__leafrule_count(void)
{
	return CM_ARRAY_SIZE(rules);
}

const struct cm__leafrule *cm__leafrule_at(size_t i)
{
	return i < CM_ARRAY_SIZE(rules) ? &rules[i] : NULL;
}

bool cm_leaf_has_subleaves(uint32_t leaf)
{
	return cm__leafrule_find(leaf) != NULL;
}

static const char *const reg_names[4] = { "eax", "ebx", "ecx", "edx" };

const char *cm_reg_name(int reg)
{
	return reg >= 0 && reg < 4 ? reg_names[reg] : NULL;
}

int cm_reg_from_name(const char *name, size_t len)
{
	if (len != 3)
		return CM_ENOTFOUND;
	for (int r = 0; r < 4; r++) {
		bool same = true;
		for (size_t i = 0; i < 3; i++) {
			int c = (unsigned char)name[i];
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (c != reg_names[r][i])
				same = false;
		}
		if (same)
			return r;
	}
	return CM_ENOTFOUND;
}
