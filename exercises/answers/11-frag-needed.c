/* Exercise 11.1: a reference answer. */
#include "frag_needed.h"
#include <stddef.h>

static const uint16_t plateaus[] = {
	65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68,
};

uint16_t pmtu_plateau_below(uint32_t len)
{
	for (size_t i = 0; i < sizeof plateaus / sizeof plateaus[0]; i++)
		if (plateaus[i] < len)
			return plateaus[i];
	return 68;
}

uint16_t pmtu_frag_needed(const struct pmtu_conn *c, uint32_t seq, uint16_t mtu,
			  uint16_t quoted_len)
{
	uint32_t m = mtu != 0 ? mtu : pmtu_plateau_below(quoted_len);
	/* seq - SND.UNA, modulo 2^32, must be less than the flight */
	if (seq - c->snd_una >= c->snd_nxt - c->snd_una)
		return 0;
	if (quoted_len <= m)
		return 0;
	if (m < c->floor)
		m = c->floor;
	if (m >= (uint32_t)c->mss + c->hdrs)
		return 0;
	return (uint16_t)(m - c->hdrs);
}
