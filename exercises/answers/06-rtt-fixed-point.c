/* Exercise 6.2: reference estimator, Jacobson's scaled integers (SRTT
 * times 8, RTTVAR times 4) with RFC 6298's rules. */
#include "rtt_fixed.h"

/* Headroom, with r <= RTT_SAMPLE_MAX = 2^28: |SRTT - R| <= 2^28, so
 * srtt8 (8 R plus the fraction it keeps) stays at most 2^31 + 7 and
 * rttvar4 at most 2^30 + 3. Every sum below, the timeout's at most
 * 2^28 + 2^30 + 3, fits in 32 unsigned bits; srtt8 would not fit in 32
 * signed ones. */
void rtt_fixed_sample(struct rtt_fixed *e, usec_t sample)
{
	uint32_t r = sample > RTT_SAMPLE_MAX ? RTT_SAMPLE_MAX : (uint32_t)sample;
	if (e->srtt8 == 0) {                    /* (2.2): SRTT = R, RTTVAR = R/2 */
		e->srtt8 = r << 3;
		if (e->srtt8 == 0)
			e->srtt8 = 1;           /* R = 0 still counts as a sample */
		e->rttvar4 = r << 1;
	} else {                                /* (2.3), with the old SRTT */
		uint32_t srtt = e->srtt8 >> 3;
		uint32_t err;                   /* |SRTT - R| */
		if (r >= srtt) {
			err = r - srtt;
			e->srtt8 += err;        /* SRTT += (R - SRTT) / 8 */
		} else {
			err = srtt - r;
			e->srtt8 -= err;        /* srtt <= srtt8: no wrap, and
			                           srtt8 stays at least 1 */
		}
		/* RTTVAR += (|SRTT - R| - RTTVAR) / 4 */
		e->rttvar4 = e->rttvar4 - (e->rttvar4 >> 2) + err;
	}
	uint32_t rto = (e->srtt8 >> 3) + (e->rttvar4 > RTT_G ? e->rttvar4 : RTT_G);
	if (rto < e->rto_min)                   /* (2.4) */
		rto = e->rto_min;
	if (rto > e->rto_max)                   /* (2.5) */
		rto = e->rto_max;
	e->rto = rto;
}
