/* leaves.h - the subleaf rules of lib/leaves.c (internal). */
#ifndef CM_LEAVES_H
#define CM_LEAVES_H

#include <stdint.h>

enum cm__subrule {
	CM__SUB_MAX_IN_EAX,	/* subleaves 0 .. subleaf 0's EAX */
	CM__SUB_CACHE_TYPE,	/* until EAX[4:0] (cache type) is 0; that one is not kept */
	CM__SUB_LEVEL_TYPE,	/* until ECX[15:8] (level type) is 0; subleaf 0 always kept */
	CM__SUB_XSAVE,		/* 0, 1, then every component set in XCR0 or IA32_XSS masks */
	CM__SUB_BITMAP_EAX,	/* 0, then each bit n >= 1 set in subleaf 0's EAX */
	CM__SUB_BITMAP_EBX,	/* 0, then each bit n >= 1 set in subleaf 0's EBX */
	CM__SUB_BITMAP_EDX,	/* 0, then each bit n >= 1 set in subleaf 0's EDX */
	CM__SUB_SGX,		/* 0, 1, then EPC sections until EAX[3:0] is 0 */
	CM__SUB_PCONFIG,	/* until EAX[11:0] (target type) is 0; subleaf 0 always kept */
};

struct cm__leafrule {
	uint32_t leaf;
	enum cm__subrule rule;
};

const struct cm__leafrule *cm__leafrule_find(uint32_t leaf);
size_t cm__leafrule_count(void);
const struct cm__leafrule *cm__leafrule_at(size_t i);

#endif
