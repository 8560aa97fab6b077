/* Exercise 6.2: the suite for the scaled-integer estimator. The expected
 * values are worked out by hand in the comments, or computed here by a
 * reference model of RFC 6298 in floating point (struct ref), written
 * without scaling, shifts or rounding, and independently of the solution.
 *
 * How far the scaled estimator may stray from the model. Let S and V be
 * the model's SRTT and RTTVAR, and s8, v4 the estimator's srtt8 and
 * rttvar4, fed the same samples (samples in whole microseconds).
 *
 * - srtt8: s8' = s8 - floor(s8/8) + R against 8S' = 7S + R, so the error
 *   e = s8 - 8S becomes 7/8 e + (the fraction of s8/8 that the shift
 *   drops, under 7/8). It starts at 0 (or 1 after a first sample of 0)
 *   and stays in [0, 7): s8/8 is S or above it by less than 7/8 us.
 * - rttvar4: |delta| = |R - floor(s8/8)| differs from |R - S| by less
 *   than 1 (floor(s8/8) is within (S - 1, S + 7/8)), and the shift
 *   v4 >> 2 drops under 3/4, so the error f = v4 - 4V becomes
 *   3/4 f + (something in (-1, 7/4)): it stays in (-4, 7), and v4/4 is
 *   within (-1, 7/4) us of V.
 * - rto: floor(s8/8) + max(G, v4) against S + max(G, 4V), within
 *   (-1, 7/8) + (-4, 7): within 8 us. The clamps only bring two values
 *   closer.
 *
 * These bounds are the tolerances. The book's own estimator of chapter 6
 * (whole microseconds, dividing by 8 and by 4) falls outside them: its
 * SRTT can stay up to 7 us below the model's for ever. */
#include <math.h>
#include <stdio.h>
#include "suite.h"
#include "rng.h"
#include "rtt_fixed.h"

#define TOL_SRTT 1.0     /* srtt8 / 8 against SRTT */
#define TOL_RTTVAR 2.0   /* rttvar4 / 4 against RTTVAR */
#define TOL_RTO 8.0      /* rto against SRTT + max(G, 4 RTTVAR), clamped */

#define SAME(got, want) do { \
	unsigned long long g_ = (got), w_ = (want); \
	if (g_ != w_) \
		printf("\n  line %d: %s = %llu, want %llu\n", __LINE__, #got, g_, w_); \
	CU_ASSERT_EQUAL(g_, w_); \
} while (0)

#define NEAR(got, want, tol) do { \
	double got_ = (double)(got), want_ = (double)(want); \
	if (fabs(got_ - want_) > (double)(tol)) \
		printf("\n  line %d: %s = %.3f, want %.3f (to within %g)\n", __LINE__, \
		       #got, got_, want_, (double)(tol)); \
	CU_ASSERT(fabs(got_ - want_) <= (double)(tol)); \
} while (0)

static struct rtt_fixed estimator(uint32_t rto_min, uint32_t rto_max)
{
	return (struct rtt_fixed){ .rto = 1000000, .rto_min = rto_min, .rto_max = rto_max };
}

/* ---- the reference model ------------------------------------------------ */

struct ref { double srtt, rttvar, rto, lo, hi; bool seeded; };

static struct ref ref_of(const struct rtt_fixed *e)
{
	return (struct ref){ 0, 0, e->rto, e->rto_min, e->rto_max, false };
}

/* RFC 6298 section 2, as written: alpha = 1/8, beta = 1/4, RTTVAR first,
 * with the SRTT of before the sample. */
static void ref_take(struct ref *m, usec_t sample)
{
	double r = sample > RTT_SAMPLE_MAX ? (double)RTT_SAMPLE_MAX : (double)sample;
	if (!m->seeded) {
		m->seeded = true;
		m->srtt = r;
		m->rttvar = r / 2;
	} else {
		m->rttvar = 0.75 * m->rttvar + 0.25 * fabs(m->srtt - r);
		m->srtt = 0.875 * m->srtt + 0.125 * r;
	}
	m->rto = fmin(fmax(m->srtt + fmax(RTT_G, 4 * m->rttvar), m->lo), m->hi);
}

/* Does the estimator agree with the model, within the tolerances? The
 * first few disagreements of a test are printed. */
static int printed;

static bool agrees(const struct rtt_fixed *e, const struct ref *m, const char *what,
		   size_t i, usec_t r)
{
	double srtt = e->srtt8 / 8.0, rttvar = e->rttvar4 / 4.0;
	bool ok = e->srtt8 != 0 && fabs(srtt - m->srtt) <= TOL_SRTT &&
		  fabs(rttvar - m->rttvar) <= TOL_RTTVAR &&
		  fabs((double)e->rto - m->rto) <= TOL_RTO;
	if (!ok && printed++ < 5)
		printf("\n  %s, sample %zu (%llu us): SRTT %.3f RTTVAR %.3f RTO %lu, "
		       "want %.3f, %.3f and %.3f (to within %g, %g and %g)\n", what, i,
		       (unsigned long long)r, srtt, rttvar, (unsigned long)e->rto, m->srtt,
		       m->rttvar, m->rto, TOL_SRTT, TOL_RTTVAR, TOL_RTO);
	return ok;
}

/* Feed a series to the estimator and to the model, comparing after every
 * sample: how many samples disagreed. */
static size_t run(const usec_t *s, size_t n, uint32_t rto_min, uint32_t rto_max,
		  const char *what)
{
	struct rtt_fixed e = estimator(rto_min, rto_max);
	struct ref m = ref_of(&e);
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		rtt_fixed_sample(&e, s[i]);
		ref_take(&m, s[i]);
		bad += !agrees(&e, &m, what, i, s[i]);
	}
	CU_ASSERT(e.rto_min == rto_min && e.rto_max == rto_max);
	return bad;
}

/* The bounds a series is run with: none, Linux's, RFC 6298's. */
static const uint32_t bounds[][2] = {
	{ 0, UINT32_MAX }, { 200000, 60000000 }, { 1000000, 60000000 },
};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

/* ---- by hand ------------------------------------------------------------ */

/* 100, 100, 300, 100 ms, with no lower bound; every value is exact:
 *   R = 100: SRTT 100, RTTVAR 50: srtt8 800000, rttvar4 200000, RTO 300
 *   R = 100: delta 0: rttvar4 200000 - 50000 = 150000 (RTTVAR 37.5), RTO 250
 *   R = 300: delta 200000: srtt8 1000000 (SRTT 125),
 *            rttvar4 150000 - 37500 + 200000 = 312500 (78.125), RTO 437.5
 *   R = 100: delta -25000: srtt8 975000 (121.875),
 *            rttvar4 312500 - 78125 + 25000 = 259375 (64.84375), RTO 381.25
 * RTTVAR is updated with the SRTT of before the sample. */
static void values_by_hand(void)
{
	struct rtt_fixed e = estimator(0, 60000000);
	static const usec_t r[] = { 100000, 100000, 300000, 100000 };
	static const uint32_t want[][3] = {   /* srtt8, rttvar4, rto */
		{ 800000, 200000, 300000 }, { 800000, 150000, 250000 },
		{ 1000000, 312500, 437500 }, { 975000, 259375, 381250 },
	};
	for (size_t i = 0; i < 4; i++) {
		rtt_fixed_sample(&e, r[i]);
		SAME(e.srtt8, want[i][0]);
		SAME(e.rttvar4, want[i][1]);
		SAME(e.rto, want[i][2]);
	}
}

/* The first sample R gives SRTT = R and RTTVAR = R/2: srtt8 = 8R,
 * rttvar4 = 2R, and RTO = 3R once 2R is past G. */
static void the_first_sample(void)
{
	struct rtt_fixed e = estimator(0, 60000000);
	rtt_fixed_sample(&e, 40000);
	SAME(e.srtt8, 320000);
	SAME(e.rttvar4, 80000);
	SAME(e.rto, 120000);
	/* 300 us: 4 RTTVAR = 600 us is below G, which takes its place */
	e = estimator(0, 60000000);
	rtt_fixed_sample(&e, 300);
	SAME(e.srtt8, 2400);
	SAME(e.rttvar4, 600);
	SAME(e.rto, 300 + RTT_G);
	/* An odd sample: RTTVAR = 20.5 us, which rttvar4 holds exactly. */
	e = estimator(0, 60000000);
	rtt_fixed_sample(&e, 41);
	SAME(e.srtt8, 328);
	SAME(e.rttvar4, 82);
	SAME(e.rto, 41 + RTT_G);
	/* A first sample of 0 (loopback, under a microsecond) is a sample:
	 * srtt8 becomes 1, not 0, so that the next one is not taken for a
	 * first. The next, 8 ms, then gives SRTT = 1/8 + 1 ms (srtt8 8001)
	 * and RTTVAR = 1/4 * 8 ms = 2 ms (rttvar4 8000), not SRTT = 8 ms. */
	e = estimator(0, 60000000);
	rtt_fixed_sample(&e, 0);
	SAME(e.srtt8, 1);
	SAME(e.rttvar4, 0);
	SAME(e.rto, RTT_G);
	rtt_fixed_sample(&e, 8000);
	SAME(e.srtt8, 8001);
	SAME(e.rttvar4, 8000);
	SAME(e.rto, 1000 + 8000);
	/* The timeout in force before the first sample is the caller's, and
	 * the first sample replaces it, up or down. */
	e = estimator(0, 60000000);
	SAME(e.rto, 1000000);
	rtt_fixed_sample(&e, 600000);
	SAME(e.rto, 1800000);
}

/* RTO = SRTT + max(G, 4 RTTVAR), raised to rto_min and then cut to
 * rto_max. On a steady 100 ms path SRTT stays 100 ms exactly and RTTVAR
 * decays: the timeout comes down to 100 ms + G, or sits on the floor. */
static void bounds_and_granularity(void)
{
	struct rtt_fixed e = estimator(0, 60000000);
	struct rtt_fixed linux_ = estimator(200000, 120000000);
	struct rtt_fixed rfc = estimator(1000000, 60000000);
	for (int i = 0; i < 100; i++) {
		rtt_fixed_sample(&e, 100000);
		rtt_fixed_sample(&linux_, 100000);
		rtt_fixed_sample(&rfc, 100000);
	}
	SAME(e.srtt8, 800000);
	CU_ASSERT(e.rttvar4 < 8);   /* RTTVAR under 2 us: G takes its place */
	SAME(e.rto, 100000 + RTT_G);
	SAME(linux_.rto, 200000);
	SAME(rfc.rto, 1000000);
	/* A first sample of 50 s asks for 150 s: cut to 60 s. */
	e = estimator(200000, 60000000);
	rtt_fixed_sample(&e, 50000000);
	SAME(e.rto, 60000000);
	/* and no cap at all: 150 s */
	e = estimator(0, UINT32_MAX);
	rtt_fixed_sample(&e, 50000000);
	SAME(e.rto, 150000000);
	/* the floor first, then the ceiling: a ceiling below the floor wins */
	e = estimator(2000000, 1000000);
	rtt_fixed_sample(&e, 10000);
	SAME(e.rto, 1000000);
	/* The clamps bound the timeout, not the state: after the cap, the
	 * estimator still holds SRTT = 50 s. */
	e = estimator(0, 60000000);
	rtt_fixed_sample(&e, 50000000);
	rtt_fixed_sample(&e, 50000000);
	SAME(e.srtt8, 400000000);
	SAME(e.rto, 60000000);
}

/* Why the scaling: the three bits below the microsecond. After a steady
 * 100 ms path the round trip moves to 100.007 ms. RFC 6298's SRTT comes
 * within a microsecond of it (7 (7/8)^k us away after k samples), and so
 * does srtt8 / 8. An estimator in whole microseconds that divides by 8,
 * as chapter 6's tcp_rtt_sample does, computes (7 * 100000 + 100007) / 8
 * = 100000 and stays there for ever, 7 us short. */
static void the_fraction_is_kept(void)
{
	struct rtt_fixed e = estimator(0, 60000000);
	for (int i = 0; i < 100; i++)
		rtt_fixed_sample(&e, 100000);
	for (int i = 0; i < 200; i++)
		rtt_fixed_sample(&e, 100007);
	NEAR(e.srtt8 / 8.0, 100007, TOL_SRTT);
	/* RTTVAR decays to (almost) nothing: G hides it, and the timeout
	 * is SRTT + 1 ms to within the microsecond the shift drops */
	NEAR(e.rto, 100007 + RTT_G, 1);
	/* The same a microsecond at a time: from 1000 us, samples of 1001. */
	e = estimator(0, 60000000);
	rtt_fixed_sample(&e, 1000);
	for (int i = 0; i < 200; i++)
		rtt_fixed_sample(&e, 1001);
	NEAR(e.srtt8 / 8.0, 1001, TOL_SRTT);
	/* and downwards: 100 ms, then 99.993 ms */
	e = estimator(0, 60000000);
	for (int i = 0; i < 100; i++)
		rtt_fixed_sample(&e, 100000);
	for (int i = 0; i < 200; i++)
		rtt_fixed_sample(&e, 99993);
	NEAR(e.srtt8 / 8.0, 99993, TOL_SRTT);
	NEAR(e.rto, 99993 + RTT_G, 1);
}

/* RFC 6298 takes |SRTT - R| as variation whichever its sign, so when
 * the delay drops the timeout first goes up. From a steady 300 ms path
 * (srtt8 2400000, rttvar4 down to a few us, RTO 301 ms), a sample of
 * 100 ms: delta -200000, srtt8 2200000 (SRTT 275 ms), rttvar4 about
 * 200000 (RTTVAR 50 ms), RTO about 475 ms. Linux's tcp_rtt_estimator
 * gives a falling sample an eighth of the weight (RTO about 300 ms): not
 * what is asked here. */
static void a_drop_in_delay_raises_the_timeout(void)
{
	struct rtt_fixed e = estimator(200000, 60000000);
	for (int i = 0; i < 60; i++)
		rtt_fixed_sample(&e, 300000);
	SAME(e.rto, 301000);
	rtt_fixed_sample(&e, 100000);
	SAME(e.srtt8, 2200000);
	NEAR(e.rttvar4, 200000, 4 * TOL_RTTVAR);
	NEAR(e.rto, 475000, TOL_RTO);
	/* and it comes down again as the short samples go on */
	for (int i = 0; i < 60; i++)
		rtt_fixed_sample(&e, 100000);
	NEAR(e.rto, 200000, 0);
}

/* ---- large samples ------------------------------------------------------ */

/* The longest samples, with no cap on the timeout: 8 R = 2^31 does not
 * fit in a signed 32-bit int, 4 RTTVAR + SRTT approaches 2^30 + 2^28, and
 * a 64-bit sample must be cut to RTT_SAMPLE_MAX before it is narrowed to
 * 32 bits. The suite runs under UBSan: a signed overflow stops it. */
static void large_samples_do_not_overflow(void)
{
	struct rtt_fixed e = estimator(0, UINT32_MAX);
	rtt_fixed_sample(&e, RTT_SAMPLE_MAX);
	SAME(e.srtt8, (uint32_t)1 << 31);
	SAME(e.rttvar4, (uint32_t)1 << 29);
	SAME(e.rto, ((uint32_t)1 << 28) + ((uint32_t)1 << 29));
	for (int i = 0; i < 50; i++)
		rtt_fixed_sample(&e, RTT_SAMPLE_MAX);
	SAME(e.srtt8, (uint32_t)1 << 31);
	/* beyond the longest sample: the same as the longest */
	static const usec_t huge[] = {
		(usec_t)RTT_SAMPLE_MAX + 1, UINT32_MAX, (usec_t)1 << 32,
		((usec_t)1 << 32) + 5, (usec_t)1 << 40, UINT64_MAX,
	};
	for (size_t k = 0; k < sizeof huge / sizeof huge[0]; k++) {
		struct rtt_fixed a = estimator(0, UINT32_MAX), b = estimator(0, UINT32_MAX);
		rtt_fixed_sample(&a, huge[k]);
		rtt_fixed_sample(&b, RTT_SAMPLE_MAX);
		SAME(a.srtt8, b.srtt8);
		SAME(a.rttvar4, b.rttvar4);
		SAME(a.rto, b.rto);
		for (int i = 0; i < 3; i++) {
			rtt_fixed_sample(&a, 1000);
			rtt_fixed_sample(&b, 1000);
		}
		rtt_fixed_sample(&a, huge[k]);
		rtt_fixed_sample(&b, RTT_SAMPLE_MAX);
		SAME(a.srtt8, b.srtt8);
		SAME(a.rttvar4, b.rttvar4);
		SAME(a.rto, b.rto);
	}
	/* The widest swings: 0 and the longest in turn, and long runs of
	 * each, against the model. */
	enum { N = 400 };
	usec_t s[N];
	for (size_t i = 0; i < N; i++)
		s[i] = (i < 200 ? i % 2 : (i / 25) % 2) ? RTT_SAMPLE_MAX : 0;
	printed = 0;
	for (size_t b = 0; b < NBOUNDS; b++)
		CU_ASSERT_EQUAL(run(s, N, bounds[b][0], bounds[b][1], "0 and the longest"), 0);
	for (size_t i = 0; i < N; i++)   /* from the longest down */
		s[i] = (i < 200 ? i % 2 == 0 : (i / 25) % 2 == 0) ? RTT_SAMPLE_MAX : 0;
	for (size_t b = 0; b < NBOUNDS; b++)
		CU_ASSERT_EQUAL(run(s, N, bounds[b][0], bounds[b][1], "the longest and 0"), 0);
	/* In 64 bits, every sample beyond the longest. */
	for (size_t i = 0; i < N; i++)
		s[i] = i % 3 == 0 ? huge[i % 6] : i % 3 == 1 ? 7 : RTT_SAMPLE_MAX - 1;
	CU_ASSERT_EQUAL(run(s, N, 0, UINT32_MAX, "64-bit samples"), 0);
}

/* ---- random and adversarial series --------------------------------------- */

#define LEN 2000

static const char *const kind_names[] = {
	"uniform to 1 s", "uniform to the longest", "steady with jitter", "heavy tail",
	"a few microseconds", "around G", "delay jumps", "ramps", "any 64-bit value",
};
#define NKINDS (int)(sizeof kind_names / sizeof kind_names[0])

/* A series of one kind, from a seed: its name. */
static const char *series(usec_t *s, size_t n, int kind, uint64_t seed)
{
	struct rng r;
	rng_seed(&r, seed);
	usec_t level = 1 + rng_below(&r, 1000000);
	for (size_t i = 0; i < n; i++) {
		switch (kind) {
		case 0:   /* uniform up to a second */
			s[i] = rng_below(&r, 1000000);
			break;
		case 1:   /* uniform over the whole range */
			s[i] = rng_below(&r, (usec_t)RTT_SAMPLE_MAX + 1);
			break;
		case 2:   /* a steady level, a microsecond or two of jitter */
			s[i] = level + rng_below(&r, 3);
			break;
		case 3:   /* 50 ms, and now and then a queue 2 to 4096 times that */
			s[i] = 50000 + rng_below(&r, 1000);
			if (rng_chance(&r, 0.1))
				s[i] <<= 1 + rng_below(&r, 12);
			break;
		case 4:   /* a few microseconds: srtt8 is mostly fraction */
			s[i] = rng_below(&r, 17);
			break;
		case 5:   /* around G, where 4 RTTVAR and G take turns */
			s[i] = rng_below(&r, 3 * RTT_G);
			break;
		case 6:   /* delay jumps: a level held for a while, then another */
			if (rng_chance(&r, 0.02))
				level = rng_below(&r, 2000000);
			s[i] = level + rng_below(&r, 10);
			break;
		case 7:   /* ramps: up by an eighth at a time to the top, and down */
			s[i] = i == 0 ? 1 : (i / 160) % 2 == 0 ? s[i - 1] + (s[i - 1] >> 3) + 1
							     : s[i - 1] - (s[i - 1] >> 3);
			break;
		default:  /* any 64-bit value, often past the longest sample */
			s[i] = rng_chance(&r, 0.5) ? rng_next(&r) >> rng_below(&r, 64)
						   : rng_below(&r, (usec_t)RTT_SAMPLE_MAX + 2);
			break;
		}
	}
	return kind_names[kind];
}

static void random_series(void)
{
	static usec_t s[LEN];
	printed = 0;
	for (int kind = 0; kind < NKINDS; kind++) {
		size_t bad = 0;
		for (uint64_t seed = 1; seed <= 12; seed++) {
			const char *what = series(s, LEN, kind, 6298 * 100 + seed);
			bad += run(s, LEN, bounds[seed % NBOUNDS][0], bounds[seed % NBOUNDS][1], what);
		}
		if (bad != 0)
			printf("\n  series \"%s\": %zu samples out of tolerance\n",
			       kind_names[kind], bad);
		CU_ASSERT_EQUAL(bad, 0);
	}
}

/* Series that chase the estimator's own rounding: each sample is placed
 * against the SRTT the estimator holds now, just above it (so that the
 * shift drops as much as it can), on it, or just below. */
static void series_against_the_rounding(void)
{
	static const int32_t offsets[][4] = {
		{ 7, 7, 7, 7 }, { 8, 8, 8, 8 }, { 0, 1, 0, 1 }, { -1, -1, -1, -1 },
		{ 7, -7, 7, -7 }, { 15, 0, -8, 1 }, { 1000, 0, -1000, 0 },
	};
	static const usec_t starts[] = { 0, 3, 999, 100000, RTT_SAMPLE_MAX - 20 };
	printed = 0;
	size_t bad = 0;
	for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++)
		for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
			struct rtt_fixed e = estimator(0, UINT32_MAX);
			struct ref m = ref_of(&e);
			usec_t r = starts[k];
			for (size_t i = 0; i < 500; i++) {
				rtt_fixed_sample(&e, r);
				ref_take(&m, r);
				bad += !agrees(&e, &m, "against the rounding", i, r);
				int64_t next = (int64_t)(e.srtt8 >> 3) + offsets[o][i % 4];
				r = next < 0 ? 0 : next > RTT_SAMPLE_MAX ? RTT_SAMPLE_MAX : (usec_t)next;
			}
		}
	CU_ASSERT_EQUAL(bad, 0);
}

static const struct suite_test tests[] = {
	TEST(values_by_hand),
	TEST(the_first_sample),
	TEST(bounds_and_granularity),
	TEST(the_fraction_is_kept),
	TEST(a_drop_in_delay_raises_the_timeout),
	TEST(large_samples_do_not_overflow),
	TEST(random_series),
	TEST(series_against_the_rounding),
};

int main(void)
{
	return run_suite("exercise 6.2 Jacobson's estimator in scaled integers", tests, sizeof tests / sizeof tests[0]);
}
