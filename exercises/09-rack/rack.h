/* Exercise 9.2: RACK, time-based loss detection (see README.md). */
#ifndef RACK_H
#define RACK_H
#include <stdbool.h>
#include <stdint.h>

#define RACK_MAX_SEGS 64

/* Sequence numbers compared modulo 2^32, as the stack's SEQ_LT does. */
static inline bool rack_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/* A segment sent and not yet cumulatively acknowledged. */
struct rack_seg {
	uint32_t start, end;        /* [start, end) */
	uint64_t xmit_time;         /* when it was last sent, in microseconds */
	bool retransmitted;         /* it has been sent more than once */
	bool sacked;                /* a SACK block has reported it */
	bool lost;                  /* RACK has declared it lost (until it is resent) */
};

struct rack_block {
	uint32_t start, end;        /* a SACK block, [start, end) */
};

/* RFC 8985 section 6's state, times in microseconds. */
struct rack {
	struct rack_seg seg[RACK_MAX_SEGS];   /* in sequence order */
	int nseg;
	bool valid;                 /* something has been delivered: the three below are set */
	uint64_t xmit_time;         /* RACK.xmit_ts: the latest send time of a delivered segment */
	uint32_t end_seq;           /* RACK.end_seq: that segment's end */
	uint64_t rtt;               /* RACK.rtt: the round trip of that segment */
	uint64_t min_rtt;           /* the smallest RTT sample taken (UINT64_MAX: none yet) */
};

void rack_init(struct rack *r);

/* [seq, seq + len) was sent at `now`: new data, after every segment in
 * the table, or the retransmission of a whole segment already in it. */
void rack_sent(struct rack *r, uint32_t seq, uint32_t len, uint64_t now);

/* An ACK arrived at `now`, acknowledging everything before `ack` and
 * carrying `nsack` SACK blocks.  Takes the delivered segments into
 * account, then detects losses: returns how many segments it has newly
 * declared lost, and sets *timer to the time at which the reordering
 * timer should fire (0: no timer). */
int rack_ack(struct rack *r, uint32_t ack, const struct rack_block *sack, int nsack,
	     uint64_t now, uint64_t *timer);

/* The reordering timer fired at `now`: detect losses again, as above. */
int rack_timer(struct rack *r, uint64_t now, uint64_t *timer);
#endif
