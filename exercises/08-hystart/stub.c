/* Exercise 8.1: your HyStart++ goes here (see README.md). */
#include "hystart.h"

void hystart_init(struct hystart *h)
{
	*h = (struct hystart){ .phase = HS_SLOW_START };
}

void hystart_round_start(struct hystart *h)
{
	(void)h;
}

uint32_t hystart_on_ack(struct hystart *h, uint32_t acked, uint32_t smss, uint64_t rtt)
{
	(void)h;
	(void)smss;
	(void)rtt;
	return acked;               /* slow start as RFC 5681 has it, and never leave */
}

void hystart_on_loss(struct hystart *h)
{
	(void)h;
}
