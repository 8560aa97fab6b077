/* Exercise 11.4: your ECN echo and its answer go here (see README.md). */
#include "ecn_echo.h"

bool ecn_rx_segment(struct ecn_rx *r, bool cwr, uint8_t ecn)
{
	(void)r;
	(void)cwr;
	(void)ecn;
	return false;
}

bool ecn_tx_ack(struct ecn_tx *t, uint32_t ack, bool ece, uint32_t snd_nxt, bool in_recovery)
{
	(void)t;
	(void)ack;
	(void)ece;
	(void)snd_nxt;
	(void)in_recovery;
	return false;
}

bool ecn_tx_cwr(struct ecn_tx *t)
{
	(void)t;
	return false;
}
