/* Exercise 12.2: an IP identification that tells nothing (see README.md). */
#ifndef IPID_H
#define IPID_H
#include <stdbool.h>
#include <stdint.h>
#include "siphash.h"   /* struct sipkey, siphash */

/* What the host keeps. */
struct ipid_host {
	struct sipkey key;          /* the host's secret */
	uint16_t next;              /* chapter 2's counter: the next non-atomic datagram's ID */
};

/* What the stack keeps for one flow of datagrams, one source, destination
 * and protocol (a TCP connection keeps one in its TCB).  Addresses in host
 * byte order. */
struct ipid_flow {
	uint32_t src, dst;
	uint8_t proto;
	uint16_t next;              /* the next atomic datagram's ID */
};

/* Whether a datagram with these header fields is atomic (RFC 6864 2): DF
 * set, and not a fragment (MF clear, fragment offset 0). */
bool ipid_atomic(bool df, bool mf, uint16_t frag_offset);

/* Starts the flow f of source src, destination dst and protocol proto:
 * its first ID is taken from a hash of the three under the host's key,
 * so that it depends on nothing else (not the host's counter, not other
 * flows) and an outsider without the key cannot predict it. */
void ipid_flow_init(const struct ipid_host *h, struct ipid_flow *f, uint32_t src, uint32_t dst,
                    uint8_t proto);

/* The identification of the next datagram the host sends:
 *  - an atomic datagram of a flow (f not NULL): the flow's next ID, and
 *    the flow's counter moves on by one, modulo 2^16;
 *  - an atomic datagram of no flow (f NULL: a reset for a segment that
 *    found no connection, say): 0;
 *  - a datagram that is not atomic: the host's counter, which moves on by
 *    one, modulo 2^16, whether or not f is NULL.
 * Nothing else changes: an atomic datagram leaves the host's counter as
 * it was, and a datagram of one flow leaves every other flow as it was. */
uint16_t ipid_next(struct ipid_host *h, struct ipid_flow *f, bool atomic);
#endif
