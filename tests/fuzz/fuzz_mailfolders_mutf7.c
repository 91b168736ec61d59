/*
 * fuzz_mailfolders_mutf7.c - libFuzzer target for modified UTF-7 (RFC 3501 5.1.3). The
 * decoder is strict, so there is one spelling per name: whatever it accepts encodes back to
 * the same bytes; whatever valid UTF-8 the encoder takes decodes back to itself.
 */
#include <stdlib.h>
#include <string.h>

#include "mailfolders.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	char *dec = NULL, *enc = NULL, *back = NULL;
	struct mf_error e;
	if (mf_mutf7_decode(&dec, in, size, &e) == 0) {
		if (mf_mutf7_encode(&enc, dec, strlen(dec), &e) != 0)
			abort();
		if (strlen(enc) != size || memcmp(enc, in, size) != 0)
			abort();
		free(enc);
		enc = NULL;
	}
	free(dec);
	if (mf_mutf7_encode(&enc, in, size, &e) == 0) {
		for (const char *p = enc; *p; p++)
			if (*p < 0x20 || *p > 0x7e)
				abort();
		if (mf_mutf7_decode(&back, enc, strlen(enc), &e) != 0)
			abort();
		if (strlen(back) != size || memcmp(back, in, size) != 0)
			abort();
		free(back);
		free(enc);
	}
	return 0;
}
