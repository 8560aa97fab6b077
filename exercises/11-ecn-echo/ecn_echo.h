/* Exercise 11.4: ECN's echo and its answer as pure functions (see README.md). */
#ifndef ECN_ECHO_H
#define ECN_ECHO_H
#include <stdbool.h>
#include <stdint.h>

/* The IP header's ECN codepoints (RFC 3168 5). */
enum { ECN_NOT_ECT = 0, ECN_ECT1 = 1, ECN_ECT0 = 2, ECN_CE = 3 };

/* The receiver's side: whether it is echoing a mark. */
struct ecn_rx {
	bool echo;                  /* ECE on every ACK until a CWR arrives */
};

/* A segment arrived (one that passed the sequence number check), with
 * CWR in its TCP header or not, and the codepoint `ecn` in its IP
 * header. CWR is taken first, then CE: a segment with both leaves the
 * receiver echoing. Returns true when the ACK must go at once: the
 * segment brought the first CE of an episode (the receiver was not
 * echoing before it). */
bool ecn_rx_segment(struct ecn_rx *r, bool cwr, uint8_t ecn);

/* The sender's side: its answers to the echoes. */
struct ecn_tx {
	bool reduced;               /* it has answered an echo for the window... */
	uint32_t recover;           /* ...that ended at this SND.NXT */
	bool send_cwr;              /* the next new data segment carries CWR */
};

/* An acceptable ACK arrived, acknowledging up to `ack`, with ECE or not;
 * snd_nxt is SND.NXT now, in_recovery whether loss recovery is under
 * way. In this order:
 *  - an ACK beyond `recover` (modulo 2^32) ends the answered window:
 *    reduced becomes false;
 *  - without ECE, nothing more happens;
 *  - while `reduced`, an echo is about the window already answered:
 *    nothing happens;
 *  - otherwise the echo is answered: reduced, recover = snd_nxt and
 *    send_cwr are set, and the function returns true (the caller
 *    reduces its window) unless in_recovery (the loss has reduced it
 *    already), when it returns false.
 * Returns whether the window must be reduced now. */
bool ecn_tx_ack(struct ecn_tx *t, uint32_t ack, bool ece, uint32_t snd_nxt, bool in_recovery);

/* A new data segment is about to go: returns whether it carries CWR
 * (and if it does, the next one does not). */
bool ecn_tx_cwr(struct ecn_tx *t);
#endif
