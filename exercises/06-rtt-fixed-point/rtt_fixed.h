/* Exercise 6.2: Jacobson's round-trip estimator in scaled integers, as
 * the BSDs and Linux keep it (see README.md). */
#ifndef RTT_FIXED_H
#define RTT_FIXED_H
#include <stdint.h>
#include "base.h"      /* usec_t */

/* The clock granularity G of RFC 6298, in microseconds: 1 ms, the book's
 * TCP_CLOCK_G. */
#define RTT_G 1000u

/* The longest sample taken in, in microseconds: 2^28 us, about four and a
 * half minutes. A longer sample counts as this one. */
#define RTT_SAMPLE_MAX ((uint32_t)1 << 28)

/* RFC 6298's state, kept as Jacobson kept it: SRTT times 8 and RTTVAR
 * times 4, so that SRTT has three bits below the microsecond and RTTVAR
 * two. All in microseconds. */
struct rtt_fixed {
	uint32_t srtt8;     /* 8 * SRTT; 0 until the first sample, never 0 after */
	uint32_t rttvar4;   /* 4 * RTTVAR */
	uint32_t rto;       /* the timeout in force: until the first sample, the
	                       caller's initial timeout (1 s in RFC 6298) */
	uint32_t rto_min, rto_max;   /* the bounds rto is clamped to */
};

/* Take in one round-trip sample r (0 allowed: a round trip shorter than a
 * microsecond; above RTT_SAMPLE_MAX counts as RTT_SAMPLE_MAX) and update
 * the estimator, rto included, with RFC 6298's rules (alpha = 1/8,
 * beta = 1/4, G = RTT_G, then raised to rto_min and cut to rto_max),
 * using shifts, additions, subtractions and comparisons only: no
 * multiplication, division or floating point. No intermediate value may
 * overflow, whatever the samples. */
void rtt_fixed_sample(struct rtt_fixed *e, usec_t r);
#endif
