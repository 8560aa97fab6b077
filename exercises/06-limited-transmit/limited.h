/* Exercise 6.1: RFC 3042 limited transmit (see README.md). */
#ifndef LIMITED_H
#define LIMITED_H
#include <stddef.h>
#include <stdint.h>
#include "tcp_wire.h"      /* SEQ_LT and friends */

/* What the sender knows when a duplicate acknowledgment arrives. */
struct lt_sender {
	uint32_t snd_una, snd_nxt;  /* SND.UNA, SND.NXT: sequence numbers */
	uint32_t snd_wnd;           /* the peer's window, in bytes, from SND.UNA */
	uint32_t cwnd;              /* congestion window, bytes (chapter 10: take it
	                               as given; UINT32_MAX: no such limit) */
	uint16_t mss;               /* the largest segment we may send */
	size_t unsent;              /* bytes queued, not sent yet */
	int dupacks;                /* duplicate ACKs received so far, before this one */
};

/* Called on each duplicate acknowledgment (RFC 5681's definition: the
 * caller has checked it). Counts it in s->dupacks and returns how many
 * bytes of new data, from SND.NXT on, may be sent now under RFC 3042:
 *
 * - on the first and the second duplicate ACK, one segment: at most mss
 *   bytes, at most what is unsent, and cut to what both limits allow
 *   once it is sent: the peer's window, snd_nxt + n - snd_una <= snd_wnd,
 *   and the congestion window plus two segments,
 *   snd_nxt + n - snd_una <= cwnd + 2 * mss; 0 if either limit is reached;
 * - 0 on the third and later ones: fast retransmit takes over.
 *
 * The caller sends the segment and advances snd_nxt and unsent itself. */
size_t lt_on_dupack(struct lt_sender *s);
#endif
