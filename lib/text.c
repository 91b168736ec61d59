/* text.c - line iteration and strict number scanning for the readers. */
#include <string.h>

#include "internal.h"

void cm__lines_init(struct cm__lines *it, const char *data, size_t len)
{
	it->p = data;
	it->end = data + len;
	it->lineno = 0;
}

int cm__lines_next(struct cm__lines *it, struct cm__line *out, struct cm_error *err)
{
	if (it->p >= it->end)
		return 0;
	const char *s = it->p;
	size_t avail = (size_t)(it->end - s);
	const char *nl = memchr(s, '\n', avail);
	size_t n = nl ? (size_t)(nl - s) : avail;
	it->lineno++;
	it->p = nl ? nl + 1 : it->end;
	if (n > CM_MAX_LINE)
		return cm__fail(err, CM_EPARSE, it->lineno, CM_MAX_LINE + 1,
				"line is longer than %d bytes; this is not a CPUID dump",
				CM_MAX_LINE);
	const char *nul = memchr(s, '\0', n);
	if (nul)
		return cm__fail(err, CM_EPARSE, it->lineno, (long)(nul - s) + 1,
				"binary data (a NUL byte); this is not a text CPUID dump");
	if (n && s[n - 1] == '\r')
		n--;
	out->s = s;
	out->n = n;
	out->no = it->lineno;
	return 1;
}

void cm__skip_ws(const char *s, size_t n, size_t *i)
{
	while (*i < n && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
}

bool cm__starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

long cm__find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	if (k == 0)
		return 0;
	if (k > n)
		return -1;
	for (size_t i = 0; i + k <= n; i++) {
		const char *q = memchr(s + i, needle[0], n - k + 1 - i);
		if (!q)
			return -1;
		i = (size_t)(q - s);
		if (memcmp(q, needle, k) == 0)
			return (long)i;
	}
	return -1;
}

bool cm__rest_blank(const char *s, size_t n, size_t i)
{
	cm__skip_ws(s, n, &i);
	return i == n;
}

bool cm__is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

int cm__hex32(const char *s, size_t n, size_t *i, bool allow_0x, uint32_t *v)
{
	size_t j = *i;
	if (allow_0x && j + 1 < n && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X'))
		j += 2;
	size_t start = j;
	uint64_t x = 0;
	int rc = 0;
	while (j < n && cm__is_hex((unsigned char)s[j])) {
		x = (x << 4) | (uint64_t)hexval((unsigned char)s[j]);
		if (x > UINT32_MAX) {
			rc = CM_ERANGE;
			x = UINT32_MAX; /* keep scanning so *i ends after the token */
		}
		j++;
	}
	if (j == start)
		return CM_EPARSE;
	*i = j;
	if (rc)
		return rc;
	*v = (uint32_t)x;
	return 0;
}

int cm__dec32(const char *s, size_t n, size_t *i, uint32_t *v)
{
	size_t j = *i;
	uint64_t x = 0;
	int rc = 0;
	while (j < n && s[j] >= '0' && s[j] <= '9') {
		x = x * 10 + (uint64_t)(s[j] - '0');
		if (x > UINT32_MAX) {
			rc = CM_ERANGE;
			x = UINT32_MAX;
		}
		j++;
	}
	if (j == *i)
		return CM_EPARSE;
	*i = j;
	if (rc)
		return rc;
	*v = (uint32_t)x;
	return 0;
}

/* "0x" then at least one hex digit at s[i]. */
static bool hex0x_at(const char *s, size_t n, size_t i)
{
	return i + 2 < n && s[i] == '0' && s[i + 1] == 'x' && cm__is_hex((unsigned char)s[i + 2]);
}

static bool hexrun(const char *s, size_t n, size_t i, size_t k)
{
	if (i + k > n)
		return false;
	for (size_t j = 0; j < k; j++)
		if (!cm__is_hex((unsigned char)s[i + j]))
			return false;
	return true;
}

const char *cm__line_format(const char *s, size_t n)
{
	size_t i = 0;
	cm__skip_ws(s, n, &i);
	if (cm__starts(s + i, n - i, "cpuidmask-dump"))
		return "cpuidmask";
	if (hex0x_at(s, n, i) && cm__find(s, n, ": eax=0x") > 0)
		return "cpuid-r";
	long c = cm__find(s, n, "CPUID ");
	if (c >= 0 && hexrun(s, n, (size_t)c + 6, 8)) {
		size_t j = (size_t)c + 14;
		if (j < n && s[j] == ':')
			j++;
		cm__skip_ws(s, n, &j);
		if (hexrun(s, n, j, 8) && j + 8 < n && s[j + 8] == '-')
			return "instlat";
	}
	if (cm__find(s, n, "CPUID level ") >= 0 || cm__find(s, n, "] level ") >= 0 ||
	    cm__find(s, n, "CPUID guest level ") >= 0 || cm__find(s, n, "CPUID *host level ") >= 0)
		if (cm__find(s, n, ": 0x") > 0)
			return "vmware-log";
	if (cm__find(s, n, "<cpuid ") >= 0 && cm__find(s, n, "eax_in") >= 0)
		return "libvirt";
	/* the canonical result line: LEAF[.SUB] and four 8-digit registers */
	if (hexrun(s, n, i, 8)) {
		size_t j = i + 8;
		if (j < n && s[j] == '.')
			for (j++; j < n && cm__is_hex((unsigned char)s[j]); j++)
				;
		int regs = 0;
		while (j < n && (s[j] == ' ' || s[j] == '\t')) {
			cm__skip_ws(s, n, &j);
			if (!hexrun(s, n, j, 8))
				break;
			j += 8;
			regs++;
		}
		if (regs == 4 && cm__rest_blank(s, n, j))
			return "cpuidmask";
	}
	return NULL;
}

int cm__foreign_line(const struct cm__line *l, const char *self, struct cm_error *err)
{
	const char *f = cm__line_format(l->s, l->n);
	if (!f || strcmp(f, self) == 0)
		return 0;
	return cm__fail(err, CM_EPARSE, l->no, 1,
			"this line is in %s format, but the file is read as %s: a mix of two "
			"formats (split the file, or give --format)", f, self);
}
