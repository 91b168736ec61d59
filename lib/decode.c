/* decode.c - vendor, brand, signature, microarchitecture and x86-64 level of a snapshot. */
#include <string.h>

#include "internal.h"

struct uarch_row {
	enum cm_vendor vendor;
	unsigned family, model_lo, model_hi, step_lo, step_hi;
	const char *name;
};

static const struct uarch_row uarch[] = {
#define CM_UARCH(vendor, fam, mlo, mhi, slo, shi, name, examples) \
	{ CM_VENDOR_##vendor, fam, mlo, mhi, slo, shi, name },
#include "uarch.def"
#undef CM_UARCH
};

static const struct {
	const char id[13];
	enum cm_vendor v;
	const char *name;
} vendors[] = {
	{ "GenuineIntel", CM_VENDOR_INTEL, "intel" },
	{ "AuthenticAMD", CM_VENDOR_AMD, "amd" },
	{ "HygonGenuine", CM_VENDOR_HYGON, "hygon" },
	{ "CentaurHauls", CM_VENDOR_CENTAUR, "centaur" },
	{ "  Shanghai  ", CM_VENDOR_ZHAOXIN, "zhaoxin" },
};

const char *cm_vendor_name(enum cm_vendor v)
{
	for (size_t i = 0; i < CM_ARRAY_SIZE(vendors); i++)
		if (vendors[i].v == v)
			return vendors[i].name;
	return v == CM_VENDOR_OTHER ? "other" : "unknown";
}

static void put_reg(char *out, uint32_t r)
{
	for (int i = 0; i < 4; i++)
		out[i] = (char)((r >> (8 * i)) & 0xff);
}

enum cm_vendor cm__vendor_from_regs(uint32_t ebx, uint32_t ecx, uint32_t edx, char out[13])
{
	put_reg(out, ebx);
	put_reg(out + 4, edx);
	put_reg(out + 8, ecx);
	out[12] = '\0';
	if (!ebx && !ecx && !edx) {
		out[0] = '\0';
		return CM_VENDOR_UNKNOWN;
	}
	for (size_t i = 0; i < CM_ARRAY_SIZE(vendors); i++)
		if (memcmp(out, vendors[i].id, 12) == 0)
			return vendors[i].v;
	/* keep only printable characters of an unknown vendor string */
	for (int i = 0; i < 12; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] > 0x7e)
			out[i] = '?';
	return CM_VENDOR_OTHER;
}

static bool fully_known(const struct cm_leaf *e, int reg)
{
	return e && e->known[reg] == UINT32_MAX;
}

static void decode_brand(const cm_snap *s, char out[49])
{
	char raw[49];
	out[0] = '\0';
	for (uint32_t i = 0; i < 3; i++) {
		const struct cm_leaf *e = cm_snap_lookup(s, 0x80000002 + i, CM_NO_SUBLEAF);
		if (!e)
			return;
		for (int r = 0; r < 4; r++) {
			if (!fully_known(e, r))
				return;
			put_reg(raw + 16 * i + 4 * r, e->reg[r]);
		}
	}
	raw[48] = '\0';
	const char *p = raw;
	while (*p == ' ')
		p++;
	size_t n = 0;
	for (; *p && n < 48; p++)
		out[n++] = (*p >= 0x20 && *p <= 0x7e) ? *p : '?';
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static const char *find_uarch(enum cm_vendor v, unsigned fam, unsigned model, unsigned step)
{
	if (v == CM_VENDOR_HYGON)
		v = CM_VENDOR_AMD;	/* Hygon Dhyana is a licensed Zen */
	for (size_t i = 0; i < CM_ARRAY_SIZE(uarch); i++) {
		const struct uarch_row *u = &uarch[i];
		if (u->vendor == v && u->family == fam && model >= u->model_lo &&
		    model <= u->model_hi && step >= u->step_lo && step <= u->step_hi)
			return u->name;
	}
	return NULL;
}

/* The highest psABI level whose features are all in `have`. */
static int level_of(struct cm_fset have)
{
	int lm = cm_feature_find("lm");
	if (lm < 0 || !cm_fset_has(&have, (size_t)lm))
		return 0;
	/* Intel reports SYSCALL (0x80000001 EDX 11) only to 64-bit code: a dump taken by a
	 * 32-bit program shows LM without it, and the CPU still has it. */
	int sc = cm_feature_find("syscall");
	if (sc >= 0)
		cm_fset_add(&have, (size_t)sc);
	static const char *const levels[] = { "x86-64-v1", "x86-64-v2", "x86-64-v3", "x86-64-v4" };
	int level = 0;
	for (int i = 0; i < 4; i++) {
		const struct cm_model *m = cm_model_find(levels[i]);
		struct cm_fset need;
		if (!m)
			break;
		cm_model_features(m, &need);
		if (!cm_fset_subset(&need, &have))
			break;
		level = i + 1;
	}
	return level;
}

static void x86_64_level(const cm_snap *s, struct cm_cpuinfo *out)
{
	struct cm_fset have, unknown;
	cm_snap_features(s, &have, &unknown);
	out->x86_64_level = level_of(have);
	cm_fset_or(&have, &unknown);
	out->x86_64_level_max = level_of(have);
}

void cm_decode(const cm_snap *s, struct cm_cpuinfo *out)
{
	memset(out, 0, sizeof *out);
	const struct cm_leaf *e = cm_snap_lookup(s, 0, CM_NO_SUBLEAF);
	if (e && fully_known(e, CM_EAX))
		out->max_leaf = e->reg[CM_EAX];
	if (e && fully_known(e, CM_EBX) && fully_known(e, CM_ECX) && fully_known(e, CM_EDX))
		out->vendor_id = cm__vendor_from_regs(e->reg[CM_EBX], e->reg[CM_ECX],
						      e->reg[CM_EDX], out->vendor);
	e = cm_snap_lookup(s, 0x80000000, CM_NO_SUBLEAF);
	if (e && fully_known(e, CM_EAX) && (e->reg[CM_EAX] & 0xC0000000u) == 0x80000000u)
		out->max_ext_leaf = e->reg[CM_EAX];
	decode_brand(s, out->brand);

	e = cm_snap_lookup(s, 1, CM_NO_SUBLEAF);
	if (e && fully_known(e, CM_EAX)) {
		uint32_t a = e->reg[CM_EAX];
		unsigned base_fam = (a >> 8) & 0xf, base_model = (a >> 4) & 0xf;
		out->has_signature = true;
		out->signature = a;
		out->stepping = a & 0xf;
		out->family = base_fam == 0xf ? base_fam + ((a >> 20) & 0xff) : base_fam;
		/* the SDM adds the extended model for families 6 and 0xF, the APM for 0xF;
		 * Linux does for every family from 6, which Zhaoxin's family 7 needs */
		out->model = base_fam >= 0x6 ? base_model + (((a >> 16) & 0xf) << 4) : base_model;
		out->uarch = find_uarch(out->vendor_id, out->family, out->model, out->stepping);
	}
	x86_64_level(s, out);
}
