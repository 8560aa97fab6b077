/* Exercise 6.2: reference estimators (RFC 6298 and RFC 793). */
#include "rto_compare.h"

/* RFC 6298 section 2, in whole microseconds, as the stack's own
 * tcp_rtt_sample does it: RTTVAR is updated with the old SRTT, then
 * SRTT. The divisions truncate, which loses less than a microsecond per
 * step. */
void est6298_sample(struct est6298 *e, usec_t r)
{
	if (e->srtt == 0) {                       /* (2.2) the first sample */
		e->srtt = r;
		e->rttvar = r / 2;
	} else {                                  /* (2.3) beta = 1/4, alpha = 1/8 */
		usec_t diff = e->srtt > r ? e->srtt - r : r - e->srtt;
		e->rttvar = (3 * e->rttvar + diff) / 4;
		e->srtt = (7 * e->srtt + r) / 8;
	}
	usec_t rto = e->srtt + MAX(EST_G, 4 * e->rttvar);
	e->rto = MIN(MAX(rto, e->rto_min), e->rto_max);   /* (2.4), (2.5) */
}

/* RFC 793 leaves the first sample open; like the book's rto793_update,
 * take it as the first SRTT. */
void est793_sample(struct est793 *e, usec_t r)
{
	e->srtt = e->srtt == 0 ? (double)r : e->alpha * e->srtt + (1 - e->alpha) * (double)r;
	double rto = MIN(MAX(e->beta * e->srtt, (double)e->lbound), (double)e->ubound);
	e->rto = (usec_t)rto;
}

void compare_spurious(const usec_t *samples, size_t n, struct est6298 *a, struct est793 *b,
                      size_t *spurious6298, size_t *spurious793)
{
	*spurious6298 = 0;
	*spurious793 = 0;
	for (size_t i = 0; i < n; i++) {
		/* the timeouts in force when this segment was sent */
		if (samples[i] > a->rto)
			++*spurious6298;
		if (samples[i] > b->rto)
			++*spurious793;
		est6298_sample(a, samples[i]);
		est793_sample(b, samples[i]);
	}
}
