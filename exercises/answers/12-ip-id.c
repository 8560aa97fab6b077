/* Exercise 12.2: reference IP identification (RFC 6864 4, RFC 7739 5). */
#include "ipid.h"

bool ipid_atomic(bool df, bool mf, uint16_t frag_offset)
{
	return df && !mf && frag_offset == 0;
}

/* The first ID of a flow: SipHash of source, destination and protocol
 * under the host's key.  A flow's IDs then count up from there, so that
 * its receiver sees them change by one per datagram, as an old receiver
 * doing header compression expects, and they are the same whatever else
 * the host sends. */
void ipid_flow_init(const struct ipid_host *h, struct ipid_flow *f, uint32_t src, uint32_t dst,
                    uint8_t proto)
{
	uint8_t b[9];
	for (int j = 0; j < 4; j++) {
		b[j] = (uint8_t)(src >> (24 - 8 * j));
		b[4 + j] = (uint8_t)(dst >> (24 - 8 * j));
	}
	b[8] = proto;
	f->src = src;
	f->dst = dst;
	f->proto = proto;
	f->next = (uint16_t)siphash(&h->key, b, sizeof b);
}

uint16_t ipid_next(struct ipid_host *h, struct ipid_flow *f, bool atomic)
{
	if (!atomic)
		return h->next++;          /* may be fragmented: must differ from its neighbours' */
	if (f == NULL)
		return 0;                  /* RFC 6864 4.1: any value will do */
	return f->next++;
}
