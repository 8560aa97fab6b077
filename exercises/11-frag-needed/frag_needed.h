/* Exercise 11.1: believing a "fragmentation needed" message, as a pure
 * function (see README.md). */
#ifndef FRAG_NEEDED_H
#define FRAG_NEEDED_H
#include <stdint.h>

/* What a connection knows when the message arrives. */
struct pmtu_conn {
	uint32_t snd_una, snd_nxt;  /* its flight */
	uint16_t mss;               /* the MSS it sends with now */
	uint16_t hdrs;              /* header bytes of every segment: IP, TCP and the
				       options every segment carries (40, or 52 with
				       timestamps) */
	uint16_t floor;             /* the smallest path MTU believed, e.g. 552 */
};

/* The largest MTU of RFC 1191's table of plateaus (section 7: 65535,
 * 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68) that is
 * smaller than len; 68 if there is none. */
uint16_t pmtu_plateau_below(uint32_t len);

/* A frag-needed message about this connection quotes a datagram whose
 * TCP sequence number is seq and whose IP total length is quoted_len,
 * and reports the next-hop MTU mtu (0: a router older than RFC 1191).
 * Returns the MSS the connection should now send with, or 0 if the
 * message is to be ignored.  In this order:
 *  - mtu 0 is replaced by the plateau below quoted_len;
 *  - ignored unless seq is in SND.UNA .. SND.NXT - 1 (modulo 2^32): the
 *    quoted segment carried something we still have in flight;
 *  - ignored unless quoted_len > mtu: the datagram did not fit;
 *  - mtu is raised to the floor if it is below it;
 *  - ignored unless mtu < mss + hdrs: never up, nor the same again;
 *  - otherwise the new MSS is mtu - hdrs. */
uint16_t pmtu_frag_needed(const struct pmtu_conn *c, uint32_t seq, uint16_t mtu,
			  uint16_t quoted_len);
#endif
