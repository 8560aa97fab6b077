/* Exercise 3.2: a reference double-hash port selection (RFC 6056 3.3.4). */
#include "portsel.h"

void portsel_init(struct portsel *ps, uint16_t lo, uint16_t hi, struct sipkey k1, struct sipkey k2)
{
	memset(ps, 0, sizeof *ps);
	ps->lo = lo;
	ps->hi = hi;
	ps->k1 = k1;
	ps->k2 = k2;
}

static void tuple_bytes(uint8_t b[10], uint32_t laddr, uint32_t raddr, uint16_t rport)
{
	for (int i = 0; i < 4; i++) {
		b[i] = (uint8_t)(laddr >> (24 - 8 * i));
		b[4 + i] = (uint8_t)(raddr >> (24 - 8 * i));
	}
	b[8] = (uint8_t)(rport >> 8);
	b[9] = (uint8_t)rport;
}

uint16_t portsel_pick(struct portsel *ps, uint32_t laddr, uint32_t raddr, uint16_t rport,
                      bool (*in_use)(uint16_t port, void *arg), void *arg)
{
	uint32_t n = (uint32_t)ps->hi - ps->lo + 1;
	uint8_t b[10];
	tuple_bytes(b, laddr, raddr, rport);
	uint32_t offset = (uint32_t)(siphash(&ps->k1, b, sizeof b) % n);          /* F */
	size_t index = (size_t)(siphash(&ps->k2, b, sizeof b) % PORTSEL_TABLE);   /* G */
	for (uint32_t count = 0; count < n; count++) {
		uint16_t port = (uint16_t)(ps->lo + (offset + ps->table[index]) % n);
		ps->table[index]++;
		if (!in_use(port, arg))
			return port;
	}
	return 0;
}
