/* Exercise 11.1: your frag-needed check goes here (see README.md). */
#include "frag_needed.h"

uint16_t pmtu_plateau_below(uint32_t len)
{
	(void)len;
	return 68;
}

uint16_t pmtu_frag_needed(const struct pmtu_conn *c, uint32_t seq, uint16_t mtu,
			  uint16_t quoted_len)
{
	(void)c;
	(void)seq;
	(void)mtu;
	(void)quoted_len;
	return 0;
}
