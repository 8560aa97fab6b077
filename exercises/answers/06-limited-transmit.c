/* Exercise 6.1: reference limited transmit (RFC 3042). */
#include "limited.h"

size_t lt_on_dupack(struct lt_sender *s)
{
	s->dupacks++;
	if (s->dupacks > 2)
		return 0;                       /* the third: fast retransmit's turn */
	/* What is outstanding, on the circle of sequence numbers: SND.NXT
	 * is never behind SND.UNA, so the difference is right across 2^32. */
	uint64_t flight = (uint32_t)(s->snd_nxt - s->snd_una);
	/* cwnd + 2 MSS in 64 bits: cwnd may be UINT32_MAX ("no limit") */
	uint64_t limit = MIN((uint64_t)s->snd_wnd, (uint64_t)s->cwnd + 2 * (uint64_t)s->mss);
	if (flight >= limit)
		return 0;                       /* the peer's window or cwnd + 2 MSS is full */
	uint64_t n = MIN((uint64_t)s->mss, (uint64_t)s->unsent);
	return (size_t)MIN(n, limit - flight);
}
