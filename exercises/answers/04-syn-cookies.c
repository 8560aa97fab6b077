/* Exercise 4.1: reference SYN cookies.
 *
 * Before whitening, the cookie E is laid out as
 *
 *    31      27 26 25 24                          1  0
 *   +----------+-----+-----------------------------+---+
 *   | period   | MSS |  MAC: 24 bits of            | P |
 *   | mod 32   | idx |  H(tuple, isn, idx, period) |   |
 *   +----------+-----+-----------------------------+---+
 *
 * where P makes the number of ones in E even, and the ISN we send is
 * E ^ W, W a keyed hash of the tuple and the client's ISN alone, which
 * the check can compute before it knows anything else (see 04-syn-cookies.md beside this file). */
#include "syncookie.h"

static const uint16_t mss_values[COOKIE_NMSS] = COOKIE_MSS_VALUES;

#define MAC_BITS  24
#define MAC_MASK  ((1u << MAC_BITS) - 1)

static void put_tuple(uint8_t *b, const struct cookie_tuple *t, uint32_t isn)
{
	put_be32(b, t->saddr);
	put_be32(b + 4, t->daddr);
	b[8] = (uint8_t)(t->sport >> 8); b[9] = (uint8_t)t->sport;
	b[10] = (uint8_t)(t->dport >> 8); b[11] = (uint8_t)t->dport;
	put_be32(b + 12, isn);
}

/* The mask that hides the whole layout: it depends on neither time nor
 * MSS, so the check can remove it first. */
static uint32_t whitener(const struct sipkey *key, const struct cookie_tuple *t,
                         uint32_t isn)
{
	uint8_t b[17];
	put_tuple(b, t, isn);
	b[16] = 'W';
	return (uint32_t)siphash(key, b, sizeof b);
}

/* The authenticator: over the full period number, not just its low five
 * bits, so that a cookie does not come back to life 32 periods later. */
static uint32_t mac(const struct sipkey *key, const struct cookie_tuple *t,
                    uint32_t isn, unsigned idx, uint64_t period)
{
	uint8_t b[26];
	put_tuple(b, t, isn);
	put_be32(b + 16, (uint32_t)(period >> 32));
	put_be32(b + 20, (uint32_t)period);
	b[24] = (uint8_t)idx;
	b[25] = 'M';
	return (uint32_t)siphash(key, b, sizeof b) & MAC_MASK;
}

static uint32_t parity(uint32_t x)
{
	x ^= x >> 16;
	x ^= x >> 8;
	x ^= x >> 4;
	x ^= x >> 2;
	x ^= x >> 1;
	return x & 1;
}

uint32_t cookie_make(const struct sipkey *key, const struct cookie_tuple *t,
                     uint32_t client_isn, uint16_t client_mss, usec_t now)
{
	unsigned idx = COOKIE_NMSS - 1;
	while (idx > 0 && client_mss < mss_values[idx])   /* round down */
		idx--;
	uint64_t period = now / COOKIE_PERIOD;
	uint32_t e = (uint32_t)(period & 31) << 27 | (uint32_t)idx << 25 |
		     mac(key, t, client_isn, idx, period) << 1;
	e |= parity(e);                     /* now an even number of ones */
	return e ^ whitener(key, t, client_isn);
}

uint16_t cookie_check(const struct sipkey *key, const struct cookie_tuple *t,
                      uint32_t ack_seq, uint32_t ack_ack, usec_t now)
{
	uint32_t isn = ack_seq - 1;
	uint32_t e = (ack_ack - 1) ^ whitener(key, t, isn);
	if (parity(e))                      /* one bit changed, or three ... */
		return 0;
	uint64_t today = now / COOKIE_PERIOD;
	uint32_t age = (uint32_t)(today - (e >> 27)) & 31;
	if (age > COOKIE_MAX_AGE || age > today)   /* too old, or before time 0 */
		return 0;
	unsigned idx = (e >> 25) & 3;
	if (mac(key, t, isn, idx, today - age) != ((e >> 1) & MAC_MASK))
		return 0;
	return mss_values[idx];
}
