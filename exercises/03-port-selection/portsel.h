/* Exercise 3.2: RFC 6056's Algorithm 4, double-hash port selection
 * (see README.md). */
#ifndef PORTSEL_H
#define PORTSEL_H
#include "siphash.h"

#define PORTSEL_TABLE 64

struct portsel {
	uint16_t lo, hi;                 /* the ephemeral range, lo..hi, 1 =< lo =< hi */
	struct sipkey k1, k2;            /* F's key, G's key */
	uint16_t table[PORTSEL_TABLE];   /* one counter per bucket, all 0 at first */
};

void portsel_init(struct portsel *ps, uint16_t lo, uint16_t hi, struct sipkey k1, struct sipkey k2);

/* The 10 bytes both hashes read: laddr, raddr and rport, each big-endian,
 * one after the other. With n = hi - lo + 1:
 *   offset = siphash(&k1, bytes, 10) % n            (64-bit arithmetic)
 *   index  = siphash(&k2, bytes, 10) % PORTSEL_TABLE
 * and the candidates are lo + (offset + table[index]) % n, table[index]
 * growing by one after each. in_use(port, arg) says whether the 4-tuple
 * (laddr, port, raddr, rport) is taken. Returns the first candidate not in
 * use, or 0 after n candidates that all were. */
uint16_t portsel_pick(struct portsel *ps, uint32_t laddr, uint32_t raddr, uint16_t rport,
                      bool (*in_use)(uint16_t port, void *arg), void *arg);
#endif
