/* Exercise 3.2: your double-hash port selection goes here (see README.md). */
#include "portsel.h"

void portsel_init(struct portsel *ps, uint16_t lo, uint16_t hi, struct sipkey k1, struct sipkey k2)
{
	memset(ps, 0, sizeof *ps);
	ps->lo = lo;
	ps->hi = hi;
	ps->k1 = k1;
	ps->k2 = k2;
}

uint16_t portsel_pick(struct portsel *ps, uint32_t laddr, uint32_t raddr, uint16_t rport,
                      bool (*in_use)(uint16_t port, void *arg), void *arg)
{
	(void)ps;
	(void)laddr;
	(void)raddr;
	(void)rport;
	(void)in_use;
	(void)arg;
	return 0;
}
