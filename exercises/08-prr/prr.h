/* Exercise 8.2: Proportional Rate Reduction (see README.md). */
#ifndef PRR_H
#define PRR_H
#include <stdbool.h>
#include <stdint.h>

enum prr_bound {
	PRR_SSRB,                   /* slow start reduction bound (RFC 6937's default) */
	PRR_CRB,                    /* conservative reduction bound */
};

/* RFC 6937 section 3.1's state, in bytes. */
struct prr {
	uint32_t ssthresh;          /* the window recovery ends with */
	uint32_t recover_fs;        /* RecoverFS: SND.NXT - SND.UNA as recovery began */
	uint32_t prr_delivered;     /* bytes the receiver has got since then */
	uint32_t prr_out;           /* bytes sent since then, retransmissions too */
	uint32_t mss;
	enum prr_bound bound;
};

/* Recovery begins: the algorithm has chosen ssthresh; snd_una and
 * snd_nxt are the sender's, sequence numbers that may wrap. */
void prr_start(struct prr *p, uint32_t ssthresh, uint32_t snd_una, uint32_t snd_nxt,
	       uint32_t mss, enum prr_bound bound);

/* An ACK during recovery reports `delivered` bytes newly delivered
 * (DeliveredData) and leaves `pipe` bytes in the network (RFC 6675's
 * pipe, after this ACK).  Returns sndcnt, the bytes that may be sent
 * now: never negative, 0 when the formula says less. */
uint32_t prr_on_ack(struct prr *p, uint32_t delivered, uint32_t pipe);

/* The sender has sent `bytes` (new or retransmitted) during recovery. */
void prr_sent(struct prr *p, uint32_t bytes);
#endif
