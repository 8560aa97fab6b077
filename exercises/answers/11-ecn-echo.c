/* Exercise 11.4: a reference answer. */
#include "ecn_echo.h"

static bool seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

bool ecn_rx_segment(struct ecn_rx *r, bool cwr, uint8_t ecn)
{
	if (cwr)
		r->echo = false;
	if (ecn != ECN_CE)
		return false;
	bool first = !r->echo;
	r->echo = true;
	return first;
}

bool ecn_tx_ack(struct ecn_tx *t, uint32_t ack, bool ece, uint32_t snd_nxt, bool in_recovery)
{
	if (t->reduced && seq_gt(ack, t->recover))
		t->reduced = false;
	if (!ece || t->reduced)
		return false;
	t->reduced = true;
	t->recover = snd_nxt;
	t->send_cwr = true;
	return !in_recovery;
}

bool ecn_tx_cwr(struct ecn_tx *t)
{
	bool cwr = t->send_cwr;
	t->send_cwr = false;
	return cwr;
}
