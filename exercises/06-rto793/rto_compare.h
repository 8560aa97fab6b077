/* Exercise 6.2: two retransmission-timeout estimators on the same samples
 * (see README.md). */
#ifndef RTO_COMPARE_H
#define RTO_COMPARE_H
#include <stddef.h>
#include "base.h"      /* usec_t, MSEC, SEC, MIN, MAX */

/* The clock granularity G of RFC 6298: the book's loop wakes from poll()
 * with a resolution of a millisecond. */
#define EST_G MSEC(1)

/* RFC 6298 (Jacobson's estimator). srtt == 0 means that no sample has
 * been taken yet; until the first one, rto is whatever the caller put
 * there (the initial timeout: 1 s in RFC 6298). rto_min and rto_max are
 * the bounds the timeout is clamped to. */
struct est6298 {
	usec_t srtt, rttvar, rto, rto_min, rto_max;
};

/* RFC 793's estimator: SRTT = alpha * SRTT + (1 - alpha) * R, and
 * RTO = min(ubound, max(lbound, beta * SRTT)). srtt (in microseconds) is
 * 0 until the first sample, which sets it to R; until then rto is the
 * caller's initial timeout. */
struct est793 {
	double srtt, alpha, beta;
	usec_t rto, lbound, ubound;
};

/* Take in one round-trip sample r (r > 0) and update the estimator,
 * rto included: RFC 6298 section 2 with G = EST_G, clamped to
 * [rto_min, rto_max]. */
void est6298_sample(struct est6298 *e, usec_t r);

/* The same for RFC 793's estimator (section 3.7 of RFC 793). */
void est793_sample(struct est793 *e, usec_t r);

/* Feed samples[0..n) in order to both estimators. Before each sample is
 * taken in, compare it with the timeout in force (e->rto as it stands):
 * a sample strictly longer than it is a spurious timeout, since the timer
 * would have fired before the acknowledgment arrived. The counts, one per
 * estimator, go to *spurious6298 and *spurious793. Every sample is taken
 * in, spurious or not (no Karn's rule, no backoff: see README.md). */
void compare_spurious(const usec_t *samples, size_t n, struct est6298 *a, struct est793 *b,
                      size_t *spurious6298, size_t *spurious793);
#endif
