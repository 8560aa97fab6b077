/* Exercise 8.1: HyStart++, leaving slow start when the RTT rises (see README.md). */
#ifndef HYSTART_H
#define HYSTART_H
#include <stdbool.h>
#include <stdint.h>

/* RFC 9406 section 4.3's constants, times in microseconds. */
#define HS_MIN_RTT_THRESH 4000u        /* 4 ms */
#define HS_MAX_RTT_THRESH 16000u       /* 16 ms */
#define HS_MIN_RTT_DIVISOR 8u
#define HS_N_RTT_SAMPLE 8              /* samples a round needs before it decides */
#define HS_CSS_GROWTH_DIVISOR 4u
#define HS_CSS_ROUNDS 5
#define HS_L 8u                        /* segments one ACK may add: a sender that does not pace */
#define HS_NONE UINT64_MAX             /* no RTT: the RFC's "infinity" */

enum hs_phase {
	HS_SLOW_START,                 /* standard slow start */
	HS_CSS,                        /* Conservative Slow Start */
	HS_AVOIDANCE,                  /* congestion avoidance: HyStart++ has finished */
};

/* The state of RFC 9406 section 4.2, named as the RFC names it. */
struct hystart {
	enum hs_phase phase;
	uint64_t last_round_min_rtt;    /* lastRoundMinRTT, or HS_NONE */
	uint64_t current_round_min_rtt; /* currentRoundMinRTT, or HS_NONE */
	int rtt_sample_count;           /* rttSampleCount: samples taken this round */
	uint64_t css_baseline_min_rtt;  /* cssBaselineMinRtt, or HS_NONE */
	int css_rounds;                 /* rounds begun since CSS was entered */
};

/* The connection starts: slow start, no RTT known, no samples. */
void hystart_init(struct hystart *h);

/* A round begins: the caller has seen an ACK beyond windowEnd (and set
 * windowEnd to SND.NXT).  It calls this before hystart_on_ack for that
 * ACK.  The current round's minimum becomes the last round's; in CSS,
 * the round is counted, and the fifth ends CSS in HS_AVOIDANCE (where
 * the caller sets ssthresh to cwnd). */
void hystart_round_start(struct hystart *h);

/* An ACK of `acked` new bytes arrives, with an RTT sample `rtt` in
 * microseconds (0: this ACK gave none).  Returns the bytes by which
 * cwnd grows: min(acked, HS_L * smss) in slow start, a quarter of that
 * in CSS, 0 in HS_AVOIDANCE (congestion avoidance is the caller's).
 * Then it takes the sample and, once the round has HS_N_RTT_SAMPLE
 * samples, decides: slow start to CSS when the round's minimum RTT has
 * risen by the threshold over the last round's; CSS back to slow start
 * when it has fallen below the baseline. */
uint32_t hystart_on_ack(struct hystart *h, uint32_t acked, uint32_t smss, uint64_t rtt);

/* A loss (or an ECN mark): HyStart++ ends, in any phase. */
void hystart_on_loss(struct hystart *h);
#endif
