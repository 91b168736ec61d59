/*
 * fmt_libvirt.c - libvirt's CPU data XML, as in its tests/cputestdata:
 *
 *   <cpudata arch='x86'>
 *     <cpuid eax_in='0x00000007' ecx_in='0x00' eax='0x...' ebx='0x...' ecx='0x...' edx='0x...'/>
 *     <msr index='0x10a' edx='0x00000000' eax='0x0000000b'/>     (ignored)
 *   </cpudata>
 *
 * Read with libxml2, without network access or entity expansion.
 */
#include <limits.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "internal.h"

int cm__probe_libvirt(const char *data, size_t len)
{
	size_t n = len < 4096 ? len : 4096;
	size_t i = 0;
	while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i == n || data[i] != '<')
		return 0;
	return cm__find(data, n, "<cpudata") >= 0 ? 95 : 0;
}

static int attr_hex(xmlNode *node, const char *name, bool required, uint32_t *v, bool *present,
		    struct cm_error *err)
{
	long line = xmlGetLineNo(node);
	xmlChar *a = xmlGetProp(node, (const xmlChar *)name);
	if (present)
		*present = a != NULL;
	if (!a) {
		if (!required)
			return 0;
		return cm__fail(err, CM_EPARSE, line, -1, "<cpuid> lacks the %s attribute", name);
	}
	const char *s = (const char *)a;
	size_t n = strlen(s), i = 0;
	int rc = cm__hex32(s, n, &i, true, v);
	if (rc == 0 && i != n)
		rc = CM_EPARSE;
	if (rc == CM_ERANGE)
		rc = cm__fail(err, rc, line, -1, "%s='%.40s' does not fit in 32 bits", name, s);
	else if (rc)
		rc = cm__fail(err, rc, line, -1, "%s='%.40s' is not a hex number", name, s);
	xmlFree(a);
	return rc;
}

static int read_cpuid(xmlNode *node, cm_snap *s, struct cm__origins *o, struct cm_error *err)
{
	uint32_t leaf, sub = CM_NO_SUBLEAF, reg[4];
	bool has_sub;
	static const char *const names[4] = { "eax", "ebx", "ecx", "edx" };
	int rc = attr_hex(node, "eax_in", true, &leaf, NULL, err);
	if (!rc)
		rc = attr_hex(node, "ecx_in", false, &sub, &has_sub, err);
	for (int r = 0; !rc && r < 4; r++)
		rc = attr_hex(node, names[r], true, &reg[r], NULL, err);
	if (rc)
		return rc;
	if (has_sub && sub == CM_NO_SUBLEAF)
		return cm__fail(err, CM_ERANGE, xmlGetLineNo(node), -1,
				"ecx_in 0xffffffff is out of range");
	return cm__add_result(s, o, leaf, has_sub ? sub : CM_NO_SUBLEAF, reg, NULL,
			      xmlGetLineNo(node), true, err);
}

/* libxml2 reports every error; the first one is where the input went wrong. */
struct first_error {
	bool seen;
	long line, column;
	char msg[200];
};

static void keep_first(void *ctx, xmlErrorPtr e)
{
	struct first_error *f = ctx;
	if (f->seen || !e || e->level < XML_ERR_ERROR)
		return;
	f->seen = true;
	f->line = e->line > 0 ? e->line : -1;
	f->column = e->int2 > 0 ? e->int2 : -1;
	snprintf(f->msg, sizeof f->msg, "XML error: %s", e->message ? e->message : "malformed");
	size_t n = strlen(f->msg);
	while (n && (f->msg[n - 1] == '\n' || f->msg[n - 1] == ' '))
		f->msg[--n] = '\0';
}

int cm__read_libvirt(const struct cm__reader *r)
{
	if (r->len > INT_MAX)
		return cm__fail(r->err, CM_ERANGE, -1, -1, "XML input is too large");
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return cm__fail(r->err, CM_ENOMEM, -1, -1, "out of memory");
	int rc = 0;
	cm_snap *s = NULL;
	struct cm__origins o = { 0 };
	struct first_error first = { 0 };
	xmlSetStructuredErrorFunc(&first, keep_first);
	xmlDocPtr doc = xmlCtxtReadMemory(ctxt, r->data, (int)r->len, NULL, NULL,
					  XML_PARSE_NONET | XML_PARSE_NOERROR |
						  XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!doc || first.seen) {
		rc = first.seen ? cm__fail(r->err, CM_EPARSE, first.line, first.column, "%s",
					   first.msg)
				: cm__fail(r->err, CM_EPARSE, -1, -1, "not well-formed XML");
		goto out;
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	if (!root || xmlStrcmp(root->name, (const xmlChar *)"cpudata") != 0) {
		rc = cm__fail(r->err, CM_EPARSE, root ? xmlGetLineNo(root) : -1, -1,
			      "the root element is <%s>, not <cpudata>",
			      root ? (const char *)root->name : "");
		goto out;
	}
	xmlChar *arch = xmlGetProp(root, (const xmlChar *)"arch");
	bool x86 = arch && xmlStrcmp(arch, (const xmlChar *)"x86") == 0;
	if (arch)
		xmlFree(arch);
	if (!x86) {
		rc = cm__fail(r->err, CM_EUNSUPPORTED, xmlGetLineNo(root), -1,
			      "<cpudata> is not for arch='x86'");
		goto out;
	}
	if (cm_snap_new(&s)) {
		rc = cm__fail(r->err, CM_ENOMEM, -1, -1, "out of memory");
		goto out;
	}
	for (xmlNode *n = root->children; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			/* only blanks may stand between the elements */
			for (const xmlChar *t = n->content; t && *t; t++)
				if (*t != ' ' && *t != '\t' && *t != '\n' && *t != '\r') {
					rc = cm__fail(r->err, CM_EPARSE, xmlGetLineNo(n), -1,
						      "text inside <cpudata> (a line of another "
						      "format?): only <cpuid> and <msr> belong there");
					goto out;
				}
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->children && xmlStrcmp(n->name, (const xmlChar *)"cpuid") == 0) {
			rc = cm__fail(r->err, CM_EPARSE, xmlGetLineNo(n), -1,
				      "<cpuid> has content; it is an empty element");
			goto out;
		}
		if (xmlStrcmp(n->name, (const xmlChar *)"cpuid") == 0)
			rc = read_cpuid(n, s, &o, r->err);
		else if (xmlStrcmp(n->name, (const xmlChar *)"msr") != 0)
			rc = cm__fail(r->err, CM_EPARSE, xmlGetLineNo(n), -1,
				      "unexpected element <%s> in <cpudata>", (const char *)n->name);
		if (rc)
			goto out;
	}
	if (cm_snap_count(s) == 0) {
		rc = cm__fail(r->err, CM_EPARSE, xmlGetLineNo(root), -1,
			      "<cpudata> has no <cpuid> elements");
		goto out;
	}
	if (r->name[0] && cm_snap_set_source(s, r->name)) {
		rc = cm__fail(r->err, CM_ENOMEM, -1, -1, "out of memory");
		goto out;
	}
	rc = r->emit(s, 0, r->payload);
	s = NULL;
out:
	cm_snap_free(s);
	cm__origins_free(&o);
	if (doc)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}
