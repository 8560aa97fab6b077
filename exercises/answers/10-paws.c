/* Exercise 10.1: reference PAWS test (RFC 7323 3.2, 4.3, 5.3, 5.5). */
#include "paws.h"

/* Timestamps are compared like sequence numbers: a is older than b if b
 * is less than 2^31 ahead of it, modulo 2^32. A plain a < b is wrong as
 * soon as the peer's clock wraps (or starts near 2^32, as a random
 * offset may). */
static bool ts_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static bool seq_leq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

enum paws_verdict paws_check(struct paws *p, const struct paws_seg *s, uint64_t now)
{
	if (s->rst)
		return PAWS_ACCEPT;
	if (!s->ts)
		return PAWS_DROP;
	if (now - p->ts_recent_at > PAWS_IDLE_MS) {
		p->ts_recent = s->tsval;
		p->ts_recent_at = now;
		return PAWS_STALE;
	}
	if (ts_lt(s->tsval, p->ts_recent))
		return PAWS_DROP_ACK;
	return PAWS_ACCEPT;
}

bool paws_accepted(struct paws *p, const struct paws_seg *s, uint64_t now)
{
	if (!s->ts || s->rst || ts_lt(s->tsval, p->ts_recent) || !seq_leq(s->seq, p->last_ack_sent))
		return false;
	p->ts_recent = s->tsval;
	p->ts_recent_at = now;
	return true;
}
