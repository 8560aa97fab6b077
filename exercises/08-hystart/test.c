/* Exercise 8.1: the suite for HyStart++ (RFC 9406). */
#include <stdio.h>
#include "suite.h"
#include "hystart.h"

#define SMSS 1000u
#define MS 1000u                        /* a millisecond, in microseconds */

static const char *phase_name(enum hs_phase p)
{
	return p == HS_SLOW_START ? "slow start" : p == HS_CSS ? "CSS" : "avoidance";
}

#define PHASE_IS(h, want) do { \
	if ((h)->phase != (want)) \
		printf("\n  line %d: in %s, expected %s\n", __LINE__, phase_name((h)->phase), \
		       phase_name(want)); \
	CU_ASSERT_EQUAL((h)->phase, (want)); \
} while (0)

/* A round of n ACKs of one segment each, all with the same RTT; returns
 * what they grew cwnd by, in bytes. */
static uint32_t round_of(struct hystart *h, int n, uint64_t rtt)
{
	uint32_t grown = 0;
	hystart_round_start(h);
	for (int i = 0; i < n; i++)
		grown += hystart_on_ack(h, SMSS, SMSS, rtt);
	return grown;
}

/* A first round of 10 ACKs at `rtt`. */
static void first_round_at(struct hystart *h, uint64_t rtt)
{
	hystart_init(h);
	round_of(h, 10, rtt);
}

/* The same, and the start of the second round. */
static void second_round_after(struct hystart *h, uint64_t rtt)
{
	first_round_at(h, rtt);
	hystart_round_start(h);
}

/* A steady RTT never ends slow start, and each ACK adds what it acked. */
static void a_steady_rtt_stays_in_slow_start(void)
{
	struct hystart h;
	hystart_init(&h);
	PHASE_IS(&h, HS_SLOW_START);
	uint32_t cwnd = 10 * SMSS;
	for (int r = 0; r < 12; r++) {
		hystart_round_start(&h);
		uint32_t n = cwnd / SMSS, grown = 0;
		for (uint32_t i = 0; i < n; i++)   /* jitter above the minimum only */
			grown += hystart_on_ack(&h, SMSS, SMSS, 50 * MS + (i % 7) * MS);
		CU_ASSERT_EQUAL(grown, n * SMSS);
		cwnd += grown;
		PHASE_IS(&h, HS_SLOW_START);
		if (cwnd > 2000 * SMSS)
			break;
	}
}

/* One ACK adds at most L = 8 segments; in CSS a quarter of what slow
 * start would add. */
static void one_ack_adds_at_most_eight_segments(void)
{
	struct hystart h;
	hystart_init(&h);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, 20 * SMSS, SMSS, 0), 8 * SMSS);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, 8 * SMSS, SMSS, 0), 8 * SMSS);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, 300, SMSS, 0), 300);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, 20 * 1460, 1460, 0), 8 * 1460);
	/* into CSS: round 1 at 40 ms, round 2 at 45 ms */
	second_round_after(&h, 40 * MS);
	for (int i = 0; i < 8; i++)
		hystart_on_ack(&h, SMSS, SMSS, 45 * MS);
	PHASE_IS(&h, HS_CSS);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, 20 * SMSS, SMSS, 45 * MS), 2 * SMSS);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, 2 * SMSS, SMSS, 45 * MS), SMSS / 2);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, 400, SMSS, 45 * MS), 100);
}

/* From 40 ms the threshold is 5 ms (40 / 8): a round whose minimum is
 * 45 ms enters CSS, at its eighth sample and not before; that ACK still
 * grows cwnd as slow start does, the next by a quarter. */
static void a_rise_by_the_threshold_enters_css_at_the_eighth_sample(void)
{
	struct hystart h;
	second_round_after(&h, 40 * MS);
	for (int i = 1; i <= 7; i++) {
		CU_ASSERT_EQUAL(hystart_on_ack(&h, SMSS, SMSS, 45 * MS), SMSS);
		PHASE_IS(&h, HS_SLOW_START);
	}
	CU_ASSERT_EQUAL(hystart_on_ack(&h, SMSS, SMSS, 45 * MS), SMSS);
	PHASE_IS(&h, HS_CSS);
	CU_ASSERT_EQUAL(h.css_baseline_min_rtt, 45 * MS);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, SMSS, SMSS, 46 * MS), SMSS / 4);
	/* one microsecond short of the threshold: no exit */
	first_round_at(&h, 40 * MS);
	round_of(&h, 30, 45 * MS - 1);
	PHASE_IS(&h, HS_SLOW_START);
}

/* The threshold is lastRoundMinRTT / 8, but never below 4 ms nor above
 * 16 ms. */
static void the_threshold_is_an_eighth_between_4_and_16_ms(void)
{
	static const struct { uint64_t last, thresh; } c[] = {
		{ 10 * MS, 4 * MS },            /* an eighth would be 1.25 ms */
		{ 32 * MS, 4 * MS },
		{ 80 * MS, 10 * MS },
		{ 128 * MS, 16 * MS },
		{ 200 * MS, 16 * MS },          /* an eighth would be 25 ms */
		{ 600 * MS, 16 * MS },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct hystart h;
		first_round_at(&h, c[i].last);
		round_of(&h, 12, c[i].last + c[i].thresh - 1);
		if (h.phase != HS_SLOW_START)
			printf("\n  last round %llu us: left slow start below the threshold of %llu us\n",
			       (unsigned long long)c[i].last, (unsigned long long)c[i].thresh);
		PHASE_IS(&h, HS_SLOW_START);
		first_round_at(&h, c[i].last);
		round_of(&h, 12, c[i].last + c[i].thresh);
		if (h.phase != HS_CSS)
			printf("\n  last round %llu us: stayed at a rise of %llu us\n",
			       (unsigned long long)c[i].last, (unsigned long long)c[i].thresh);
		PHASE_IS(&h, HS_CSS);
	}
}

/* A round decides only with eight samples: seven, however high, do not;
 * an ACK without a sample does not count as one; and a round without
 * samples leaves the next one nothing to compare with. */
static void fewer_than_eight_samples_decide_nothing(void)
{
	struct hystart h;
	hystart_init(&h);
	round_of(&h, 7, 20 * MS);
	for (int r = 0; r < 6; r++)
		round_of(&h, 7, (40u << r) * MS);       /* doubling each round */
	PHASE_IS(&h, HS_SLOW_START);
	second_round_after(&h, 40 * MS);
	for (int i = 0; i < 7; i++)
		hystart_on_ack(&h, SMSS, SMSS, 90 * MS);
	for (int i = 0; i < 5; i++)
		hystart_on_ack(&h, SMSS, SMSS, 0);      /* no sample: a retransmission's ACK */
	PHASE_IS(&h, HS_SLOW_START);
	CU_ASSERT_EQUAL(h.rtt_sample_count, 7);
	hystart_on_ack(&h, SMSS, SMSS, 90 * MS);
	PHASE_IS(&h, HS_CSS);
	/* a round with no samples at all: the next has no last round */
	hystart_init(&h);
	round_of(&h, 10, 40 * MS);
	round_of(&h, 10, 0);
	round_of(&h, 10, 90 * MS);
	PHASE_IS(&h, HS_SLOW_START);
	round_of(&h, 10, 200 * MS);                     /* now compared with 90 ms */
	PHASE_IS(&h, HS_CSS);
}

/* The round's minimum decides, not its last or its average sample: one
 * low sample among high ones keeps slow start going. */
static void the_minimum_of_the_round_decides(void)
{
	struct hystart h;
	second_round_after(&h, 40 * MS);
	hystart_on_ack(&h, SMSS, SMSS, 41 * MS);
	for (int i = 0; i < 20; i++)
		hystart_on_ack(&h, SMSS, SMSS, 80 * MS);
	PHASE_IS(&h, HS_SLOW_START);
	CU_ASSERT_EQUAL(h.current_round_min_rtt, 41 * MS);
	/* and the comparison is with the last round's minimum, 41 ms */
	round_of(&h, 10, 45 * MS);
	PHASE_IS(&h, HS_SLOW_START);
	round_of(&h, 10, 45 * MS + 5625);               /* 45 + 45 / 8 ms */
	PHASE_IS(&h, HS_CSS);
}

/* A slow drift of the RTT, less than the threshold a round, never ends
 * slow start; a jump does. */
static void a_drift_is_not_a_jump(void)
{
	struct hystart h;
	hystart_init(&h);
	uint64_t rtt = 20 * MS;
	for (int r = 0; r < 10; r++, rtt += 3 * MS)
		round_of(&h, 16, rtt);
	PHASE_IS(&h, HS_SLOW_START);
	round_of(&h, 16, rtt + 10 * MS);
	PHASE_IS(&h, HS_CSS);
}

/* In CSS, a round whose minimum falls below the baseline shows that the
 * rise was not the queue: back to slow start, at full growth. */
static void css_goes_back_to_slow_start_when_the_rtt_falls(void)
{
	struct hystart h;
	first_round_at(&h, 40 * MS);
	round_of(&h, 10, 50 * MS);
	PHASE_IS(&h, HS_CSS);
	CU_ASSERT_EQUAL(h.css_baseline_min_rtt, 50 * MS);
	hystart_round_start(&h);
	for (int i = 0; i < 7; i++)
		CU_ASSERT_EQUAL(hystart_on_ack(&h, SMSS, SMSS, 42 * MS), SMSS / 4);
	PHASE_IS(&h, HS_CSS);
	hystart_on_ack(&h, SMSS, SMSS, 42 * MS);       /* the eighth sample */
	PHASE_IS(&h, HS_SLOW_START);
	CU_ASSERT_EQUAL(h.css_baseline_min_rtt, HS_NONE);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, SMSS, SMSS, 42 * MS), SMSS);
	/* a minimum equal to the baseline is not below it */
	first_round_at(&h, 40 * MS);
	round_of(&h, 10, 50 * MS);
	round_of(&h, 10, 50 * MS);
	PHASE_IS(&h, HS_CSS);
}

/* CSS lasts five rounds, the one in which it began counting as the
 * first; at the start of the fifth after that, HyStart++ hands over to
 * congestion avoidance and adds nothing more. */
static void css_ends_in_congestion_avoidance_after_five_rounds(void)
{
	struct hystart h;
	first_round_at(&h, 40 * MS);
	round_of(&h, 10, 50 * MS);                      /* round 2: CSS from its 8th ACK */
	PHASE_IS(&h, HS_CSS);
	for (int r = 3; r <= 6; r++) {
		uint32_t grown = round_of(&h, 12, 55 * MS);
		CU_ASSERT_EQUAL(grown, 12 * SMSS / 4);
		PHASE_IS(&h, HS_CSS);
	}
	hystart_round_start(&h);                        /* round 7 */
	PHASE_IS(&h, HS_AVOIDANCE);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, SMSS, SMSS, 30 * MS), 0);
	round_of(&h, 12, 30 * MS);
	PHASE_IS(&h, HS_AVOIDANCE);
	/* after a fall back to slow start, the count starts again */
	first_round_at(&h, 40 * MS);
	round_of(&h, 10, 50 * MS);                      /* CSS */
	round_of(&h, 10, 55 * MS);
	round_of(&h, 10, 44 * MS);                      /* below the baseline: slow start */
	PHASE_IS(&h, HS_SLOW_START);
	round_of(&h, 10, 55 * MS);                      /* 44 + 5.5: CSS again */
	PHASE_IS(&h, HS_CSS);
	for (int r = 0; r < 4; r++)
		round_of(&h, 10, 60 * MS);
	PHASE_IS(&h, HS_CSS);
	hystart_round_start(&h);
	PHASE_IS(&h, HS_AVOIDANCE);
}

/* A loss ends HyStart++ in any phase. */
static void a_loss_ends_it_in_any_phase(void)
{
	struct hystart h;
	hystart_init(&h);
	round_of(&h, 10, 40 * MS);
	hystart_on_loss(&h);
	PHASE_IS(&h, HS_AVOIDANCE);
	CU_ASSERT_EQUAL(hystart_on_ack(&h, SMSS, SMSS, 40 * MS), 0);
	first_round_at(&h, 40 * MS);
	round_of(&h, 10, 50 * MS);
	PHASE_IS(&h, HS_CSS);
	hystart_on_loss(&h);
	PHASE_IS(&h, HS_AVOIDANCE);
	hystart_round_start(&h);
	PHASE_IS(&h, HS_AVOIDANCE);
}

/* A path: 20 ms of propagation, a bottleneck that carries 50 segments a
 * round trip, and a queue in front of it, each segment in it waiting a
 * quarter of a millisecond: a window of n > 50 segments keeps n - 50 in
 * the queue.  Slow start doubles the window each round: 10, 20, 40, 80.
 * At 80 the RTT rises by 7.5 ms, more than the 4 ms threshold, and
 * HyStart++ turns to CSS there, growing by a quarter a round for five
 * rounds, where slow start would have reached 2,560 segments. */
static void a_queue_filling_up_ends_slow_start_early(void)
{
	struct hystart h;
	hystart_init(&h);
	uint64_t cwnd = 10 * SMSS, css_at = 0;
	int rounds = 0;
	while (rounds < 20 && cwnd < 10000 * SMSS) {
		hystart_round_start(&h);
		if (h.phase == HS_AVOIDANCE)
			break;
		uint64_t n = cwnd / SMSS;
		uint64_t rtt = 20 * MS + (n > 50 ? (n - 50) * MS / 4 : 0);
		for (uint64_t i = 0; i < n; i++) {
			cwnd += hystart_on_ack(&h, SMSS, SMSS, rtt);
			if (h.phase == HS_CSS && css_at == 0)
				css_at = n;
		}
		rounds++;
	}
	PHASE_IS(&h, HS_AVOIDANCE);
	CU_ASSERT_EQUAL(css_at, 80);
	CU_ASSERT_EQUAL(rounds, 8);                     /* CSS from the fourth, four more */
	if (cwnd < 200 * SMSS || cwnd > 300 * SMSS)
		printf("\n  the window ended at %llu segments, after %d rounds\n",
		       (unsigned long long)(cwnd / SMSS), rounds);
	CU_ASSERT_TRUE(cwnd >= 200 * SMSS && cwnd <= 300 * SMSS);
}

static const struct suite_test tests[] = {
	TEST(a_steady_rtt_stays_in_slow_start),
	TEST(one_ack_adds_at_most_eight_segments),
	TEST(a_rise_by_the_threshold_enters_css_at_the_eighth_sample),
	TEST(the_threshold_is_an_eighth_between_4_and_16_ms),
	TEST(fewer_than_eight_samples_decide_nothing),
	TEST(the_minimum_of_the_round_decides),
	TEST(a_drift_is_not_a_jump),
	TEST(css_goes_back_to_slow_start_when_the_rtt_falls),
	TEST(css_ends_in_congestion_avoidance_after_five_rounds),
	TEST(a_loss_ends_it_in_any_phase),
	TEST(a_queue_filling_up_ends_slow_start_early),
};

int main(void)
{
	return run_suite("exercise 8.1 HyStart++", tests, sizeof tests / sizeof tests[0]);
}
