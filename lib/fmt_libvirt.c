/*
 * fmt_libvirt.c - libvirt's CPU data XML, as in its tests/cputestdata:
 *
 *   <cpudata arch='x86'>
 *     <cpuid eax_in='0x00000007' ecx_in='0x00' eax='0x...' ebx='0x...' ecx='0x...' edx='0x...'/>
 *     <msr index='0x10a' edx='0x00000000' eax='0x0000000b'/>     (ignored)
 *   </cpudata>
 *
 * Read with libxml2, without network access or entity expansion. libxml2 (and the ICU and
 * C++ libraries it brings) is loaded with dlopen the first time XML is read: linked in, it
 * cost every run of the program 3 ms of start-up, more than the work itself.
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "internal.h"

/* The libxml2 functions this reader calls, resolved once. */
struct xml_api {
	xmlParserCtxtPtr (*new_ctxt)(void);
	xmlDocPtr (*read_memory)(xmlParserCtxtPtr, const char *, int, const char *, const char *, int);
	void (*set_error_func)(void *, xmlStructuredErrorFunc);
	xmlNodePtr (*root)(const xmlDoc *);
	long (*line_no)(const xmlNode *);
	xmlAttrPtr (*has_prop)(const xmlNode *, const xmlChar *);
	void (*free_doc)(xmlDocPtr);
	void (*free_ctxt)(xmlParserCtxtPtr);
	char why[160];		/* empty when loaded */
};
static struct xml_api xml;
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void load_libxml2(void)
{
	void *h = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();
		snprintf(xml.why, sizeof xml.why, "%s", why ? why : "libxml2.so.2 could not be loaded");
		return;
	}
	static const struct {
		const char *name;
		size_t offset;
	} fn[] = {
		{ "xmlNewParserCtxt", offsetof(struct xml_api, new_ctxt) },
		{ "xmlCtxtReadMemory", offsetof(struct xml_api, read_memory) },
		{ "xmlSetStructuredErrorFunc", offsetof(struct xml_api, set_error_func) },
		{ "xmlDocGetRootElement", offsetof(struct xml_api, root) },
		{ "xmlGetLineNo", offsetof(struct xml_api, line_no) },
		{ "xmlHasProp", offsetof(struct xml_api, has_prop) },
		{ "xmlFreeDoc", offsetof(struct xml_api, free_doc) },
		{ "xmlFreeParserCtxt", offsetof(struct xml_api, free_ctxt) },
	};
	for (size_t i = 0; i < sizeof fn / sizeof fn[0]; i++) {
		void *sym = dlsym(h, fn[i].name);
		if (!sym) {
			snprintf(xml.why, sizeof xml.why, "libxml2.so.2 lacks %s", fn[i].name);
			return;
		}
		memcpy((char *)&xml + fn[i].offset, &sym, sizeof sym);
	}
}

/* An attribute's text without copying it (NULL when absent). */
static const char *prop(const xmlNode *node, const char *name)
{
	xmlAttrPtr a = xml.has_prop(node, (const xmlChar *)name);
	if (!a)
		return NULL;
	if (!a->children || !a->children->content)
		return "";
	return (const char *)a->children->content;
}

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
	long line = xml.line_no(node);
	const char *s = prop(node, name);
	if (present)
		*present = s != NULL;
	if (!s) {
		if (!required)
			return 0;
		return cm__fail(err, CM_EPARSE, line, -1, "<cpuid> lacks the %s attribute", name);
	}
	size_t n = strlen(s), i = 0;
	int rc = cm__hex32(s, n, &i, true, v);
	if (rc == 0 && i != n)
		rc = CM_EPARSE;
	if (rc == CM_ERANGE)
		rc = cm__fail(err, rc, line, -1, "%s='%.40s' does not fit in 32 bits", name, s);
	else if (rc)
		rc = cm__fail(err, rc, line, -1, "%s='%.40s' is not a hex number", name, s);
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
		return cm__fail(err, CM_ERANGE, xml.line_no(node), -1,
				"ecx_in 0xffffffff is out of range");
	return cm__add_result(s, o, leaf, has_sub ? sub : CM_NO_SUBLEAF, reg, NULL,
			      xml.line_no(node), true, err);
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
	pthread_once(&xml_once, load_libxml2);
	if (xml.why[0])
		return cm__fail(r->err, CM_EUNSUPPORTED, -1, -1,
				"reading libvirt XML needs libxml2 (%s; apt-get install libxml2)",
				xml.why);
	xmlParserCtxtPtr ctxt = xml.new_ctxt();
	if (!ctxt)
		return cm__fail(r->err, CM_ENOMEM, -1, -1, "out of memory");
	int rc = 0;
	cm_snap *s = NULL;
	struct cm__origins o = { 0 };
	struct first_error first = { 0 };
	xml.set_error_func(&first, keep_first);
	xmlDocPtr doc = xml.read_memory(ctxt, r->data, (int)r->len, NULL, NULL,
					  XML_PARSE_NONET | XML_PARSE_NOERROR |
						  XML_PARSE_NOWARNING);
	xml.set_error_func(NULL, NULL);
	if (!doc || first.seen) {
		rc = first.seen ? cm__fail(r->err, CM_EPARSE, first.line, first.column, "%s",
					   first.msg)
				: cm__fail(r->err, CM_EPARSE, -1, -1, "not well-formed XML");
		goto out;
	}
	xmlNode *root = xml.root(doc);
	if (!root || strcmp((const char *)root->name, "cpudata") != 0) {
		rc = cm__fail(r->err, CM_EPARSE, root ? xml.line_no(root) : -1, -1,
			      "the root element is <%s>, not <cpudata>",
			      root ? (const char *)root->name : "");
		goto out;
	}
	const char *arch = prop(root, "arch");
	if (!arch || strcmp(arch, "x86") != 0) {
		rc = cm__fail(r->err, CM_EUNSUPPORTED, xml.line_no(root), -1,
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
					rc = cm__fail(r->err, CM_EPARSE, xml.line_no(n), -1,
						      "text inside <cpudata> (a line of another "
						      "format?): only <cpuid> and <msr> belong there");
					goto out;
				}
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *el = (const char *)n->name;
		if (n->children && strcmp(el, "cpuid") == 0) {
			rc = cm__fail(r->err, CM_EPARSE, xml.line_no(n), -1,
				      "<cpuid> has content; it is an empty element");
			goto out;
		}
		if (strcmp(el, "cpuid") == 0)
			rc = read_cpuid(n, s, &o, r->err);
		else if (strcmp(el, "msr") != 0)
			rc = cm__fail(r->err, CM_EPARSE, xml.line_no(n), -1,
				      "unexpected element <%s> in <cpudata>", el);
		if (rc)
			goto out;
	}
	if (cm_snap_count(s) == 0) {
		rc = cm__fail(r->err, CM_EPARSE, xml.line_no(root), -1,
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
		xml.free_doc(doc);
	xml.free_ctxt(ctxt);
	return rc;
}
