/*
 * internal.h - what the files of libhostacl share; never installed.
 *
 * Addresses are 128-bit big-endian numbers (struct hacl_addr.b); IPv4 lives in
 * ::ffff:0:0/96. The helpers below are the only arithmetic the library does on them.
 */
#ifndef HOSTACL_INTERNAL_H
#define HOSTACL_INTERNAL_H

#include <stdarg.h>

#include "hostacl.h"

/* ---- 128-bit arithmetic (addr.c) */

/* <0, 0, >0 as a is below, equal to, above b; families are ignored. */
int hacl__cmp(const struct hacl_addr *a, const struct hacl_addr *b);
/* a with every bit after the first `len` set to 1 (ones) or 0; family kept. */
void hacl__fill(struct hacl_addr *out, const struct hacl_addr *a, int len, int ones);
/* a + 1; false when it wrapped around to zero. */
bool hacl__inc(struct hacl_addr *a);
/* Number of zero bits at the low end (128 for ::). */
int hacl__trailing_zeros(const struct hacl_addr *a);
/* The mapped address ::ffff:v, family 4. */
void hacl__v4(struct hacl_addr *out, uint32_t v);
/* The low 32 bits. */
uint32_t hacl__low32(const struct hacl_addr *a);

/* Where a parse went wrong inside one piece of text. */
struct hacl__perr {
	size_t at;		/* offset of the offending character in the piece */
	int code;		/* HACL_EPARSE or HACL_EHOSTNAME */
	char msg[200];
};

/* Parse exactly [s, s+n) as an address (no zone handling); 0 or -1 with *pe filled. */
int hacl__addr_parse(struct hacl_addr *out, const char *s, size_t n, struct hacl__perr *pe);
/*
 * A character for a message, as a noun that reads after "unexpected": "'x'", "space",
 * "tab", "byte 0x01" (a byte that does not print).
 */
const char *hacl__show(char c, char buf[12]);
/* True when [s, s+n) reads as a host name rather than a mistyped address. */
bool hacl__looks_like_hostname(const char *s, size_t n);

/* ---- errors and buffers (util.c) */

/*
 * Fill err (when not NULL) for a problem at byte `pos` of text, inside the entry at
 * [entry_off, entry_off + entry_len) (entry_len 0: no entry), and return code.
 */
int hacl__fail(struct hacl_error *err, int code, const char *text, size_t len, size_t pos,
	       size_t entry_off, size_t entry_len, const char *msg);
/* Longest piece of input a message quotes; longer ones are cut and get "...". */
#define HACL__QUOTE_MAX 40
/*
 * [s, s+n) for a message, in buf (HACL__QUOTE_MAX + 4 bytes or more): at most
 * HACL__QUOTE_MAX bytes of it and "..." when it is longer, control bytes as '?'.
 * Returns buf.
 */
char *hacl__quote(char *buf, size_t size, const char *s, size_t n);

/* Line and column (from 1) of byte pos of text. */
void hacl__line_col(const char *text, size_t pos, size_t *line, size_t *column);

/*
 * The grow-array step: v (n elements used of *cap, each `size` bytes) with room for one
 * more. Returns v itself while there is room, else v reallocated with twice the capacity
 * (8 at first) and *cap updated; NULL when out of memory, with v and *cap untouched.
 */
void *hacl__grow(void *v, size_t n, size_t *cap, size_t size);

void hacl__putn(struct hacl_buf *b, const char *s, size_t n);
void hacl__puts(struct hacl_buf *b, const char *s);
void hacl__printf(struct hacl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* addr/len in its family's notation (IPv4: /len-96); the bare address for a host. */
void hacl__put_prefix(struct hacl_buf *b, const struct hacl_addr *a, int len, uint8_t family);

/* ---- lists (list.c) */

/* A parsed list: its own copy of the text, and the entries that point into it. */
struct hacl_list {
	struct hacl_entry *v;	/* entries in text order */
	size_t n, cap;
	char *text;		/* copy of the parsed text; entries point into it */
	size_t len;
	bool star;		/* the whole text is '*' (hacl_list_is_star()) */
	size_t dropped;		/* bad entries left out (hacl__list_parse_each() only) */
};

/* hacl__list_parse() flags */
#define HACL__NAMES 1u		/* a host name is an entry (HACL_NAME), not an error */

/* hacl_list_parse() with flags: hacl_conf_read() reads its values with HACL__NAMES. */
int hacl__list_parse(hacl_list **out, const char *text, size_t len, unsigned flags,
		     struct hacl_error *err);

/*
 * Called for each bad entry by hacl__list_parse_each(), with its error (positions in the
 * list text); returns 0 to go on, or HACL_ENOMEM to stop the parse with that code.
 */
typedef int (*hacl__on_error)(void *ctx, const struct hacl_error *e);
/*
 * hacl__list_parse() that, when on_error is not NULL, does not stop at a bad entry: it
 * hands the entry's error to on_error, leaves the entry out of the list and goes on at
 * the separator after it (an entry's error always lies inside the entry). The list then
 * holds the good entries only, and is never star. err is filled only for a failure
 * (HACL_ENOMEM). hacl_list_parse() itself keeps stopping at the first bad entry.
 */
int hacl__list_parse_each(hacl_list **out, const char *text, size_t len, unsigned flags,
			  struct hacl_error *err, hacl__on_error on_error, void *ctx);

/* ---- apt-cacher.conf (conf.c reads it, check.c checks and fixes it) */

/* One access-key assignment and what it is made of. */
struct hacl__cline {
	struct hacl_conf_line pub;
	char *value;		/* the value (pub.value points here) */
	size_t *where;		/* file offset of each value byte; where[len] = after the last */
	hacl_list *list;
	size_t key_offset;	/* file offset of the key */
};

struct hacl_conf {
	char *text;		/* copy of the file */
	size_t len;
	struct hacl__cline *v;
	size_t n, cap;
	struct hacl_error *errs;	/* HACL_CONF_ALL_ERRORS: the bad entries, in file order, */
	size_t nerrs, errs_cap;		/* at most HACL_CONF_ERRORS_MAX of them */
	size_t errs_more;		/* bad entries past HACL_CONF_ERRORS_MAX */
	unsigned flags;			/* hacl_conf_read_flags() flags */
	long last[HACL_CONF_NKEYS];	/* index of each key's effective line, or -1 */
	size_t *bol;		/* offset where each line of the text begins */
	size_t nbol;
};

/* Line and column (from 1) of byte `off` of the conf's text. */
void hacl__conf_line_col(const hacl_conf *c, size_t off, size_t *line, size_t *column);

#endif
