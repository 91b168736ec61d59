/*
 * fuzz_mailfolders_imap.c - libFuzzer target for the IMAP response parsers of libmailfolders.
 * -DFUZZ_NAMESPACE: one NAMESPACE response; -DFUZZ_LIST: one LIST response; otherwise a
 * whole server transcript (mf_server_parse). Whatever the input: no crash, no leak, and
 * what is accepted is consistent (a folder's decoded name is its name decoded).
 */
#include <stdlib.h>
#include <string.h>

#include "mailfolders.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_folder(const struct mf_folder *f)
{
	char *d = NULL;
	struct mf_error e;
	if (!f->name)
		abort();
	int rc = mf_mutf7_decode(&d, f->name, strlen(f->name), &e);
	if ((rc == 0) != (f->decoded != NULL) || (d && strcmp(d, f->decoded) != 0))
		abort();
	free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct mf_error e;
#if defined(FUZZ_NAMESPACE)
	struct mf_namespaces ns;
	if (mf_namespace_parse(&ns, text, size, &e) == 0) {
		for (int k = 0; k < MF_NS_CLASSES; k++)
			for (size_t i = 0; i < ns.n[k]; i++)
				if (!ns.ns[k][i].prefix)
					abort();
		mf_namespaces_free(&ns);
	} else if (e.code != MF_EPARSE && e.code != MF_ENOMEM) {
		abort();
	}
#elif defined(FUZZ_LIST)
	struct mf_folder f;
	if (mf_list_parse(&f, text, size, &e) == 0) {
		check_folder(&f);
		mf_folder_free(&f);
	} else if (e.code != MF_EPARSE && e.code != MF_ENOMEM) {
		abort();
	}
#else
	struct mf_server s;
	memset(&s, 0, sizeof s);
	if (mf_server_parse(&s, text, size, &e) == 0) {
		for (size_t i = 0; i < s.nfolders; i++)
			check_folder(&s.folders[i]);
		if (mf_server_personal(&s) && !s.have_namespace)
			abort();
	}
	mf_server_free(&s);
#endif
	return 0;
}
