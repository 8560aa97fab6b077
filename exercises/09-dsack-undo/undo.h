/* Exercise 9.1: undoing a spurious fast retransmit with D-SACK (see README.md). */
#ifndef UNDO_H
#define UNDO_H
#include <stdbool.h>
#include <stdint.h>

#define UNDO_MAX_RANGES 8

/* Sequence numbers compared modulo 2^32, as the stack's SEQ_LT does. */
static inline bool undo_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

struct undo_range {
	uint32_t start, end;        /* [start, end) */
};

/* One loss episode: what the congestion response changed, and which of
 * the bytes retransmitted since it began the receiver has not yet
 * reported twice. */
struct undo {
	bool active;                /* an episode that may still be undone */
	uint32_t prior_cwnd;        /* cwnd and ssthresh just before the response */
	uint32_t prior_ssthresh;
	bool retransmitted;         /* something was retransmitted in the episode */
	struct undo_range left[UNDO_MAX_RANGES];   /* retransmitted, not yet D-SACKed: in
						      sequence order, not overlapping */
	int nleft;
};

/* A loss episode begins (fast retransmit, or a timeout): cwnd and
 * ssthresh are the values before the congestion response lowers them.
 * An episode already under way is forgotten. */
void undo_start(struct undo *u, uint32_t cwnd, uint32_t ssthresh);

/* The sender has retransmitted [seq, seq + len) during the episode. */
void undo_retransmitted(struct undo *u, uint32_t seq, uint32_t len);

/* A D-SACK block [start, end) has arrived.  If it reports the last of
 * the episode's retransmitted bytes, every retransmission was
 * unnecessary: restore *cwnd and *ssthresh (never lowering either),
 * end the episode, and return true.  Otherwise return false and leave
 * them alone. */
bool undo_dsack(struct undo *u, uint32_t start, uint32_t end, uint32_t *cwnd, uint32_t *ssthresh);
#endif
