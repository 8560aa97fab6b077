/* Exercise 9.1: the suite for undoing a spurious retransmission with D-SACK. */
#include <stdio.h>
#include "suite.h"
#include "undo.h"

#define MSS 1000u

/* A sender whose congestion response is NewReno's: cwnd 20 segments,
 * ssthresh 64 KB before the loss, both 10 segments after. */
struct sender {
	struct undo u;
	uint32_t cwnd, ssthresh;
};

static void loss(struct sender *s)
{
	undo_start(&s->u, s->cwnd, s->ssthresh);
	s->ssthresh = s->cwnd / 2;
	s->cwnd = s->ssthresh;
}

static void fresh(struct sender *s)
{
	s->cwnd = 20 * MSS;
	s->ssthresh = 64000;
	loss(s);
}

static bool dsack(struct sender *s, uint32_t start, uint32_t end)
{
	return undo_dsack(&s->u, start, end, &s->cwnd, &s->ssthresh);
}

static void not_undone(const struct sender *s)
{
	CU_ASSERT_EQUAL(s->cwnd, 10 * MSS);
	CU_ASSERT_EQUAL(s->ssthresh, 10 * MSS);
}

static void undone(const struct sender *s)
{
	CU_ASSERT_EQUAL(s->cwnd, 20 * MSS);
	CU_ASSERT_EQUAL(s->ssthresh, 64000);
}

/* The episode remembers the window before the response, and a new one
 * starts from nothing. */
static void an_episode_begins_with_the_values_before_the_response(void)
{
	struct undo u;
	undo_start(&u, 20000, 64000);
	CU_ASSERT_TRUE(u.active);
	CU_ASSERT_EQUAL(u.prior_cwnd, 20000);
	CU_ASSERT_EQUAL(u.prior_ssthresh, 64000);
	CU_ASSERT_FALSE(u.retransmitted);
	CU_ASSERT_EQUAL(u.nleft, 0);
	undo_retransmitted(&u, 1001, MSS);
	CU_ASSERT_TRUE(u.retransmitted);
	CU_ASSERT_EQUAL(u.nleft, 1);
	CU_ASSERT_EQUAL(u.left[0].start, 1001);
	CU_ASSERT_EQUAL(u.left[0].end, 2001);
	undo_start(&u, 10000, 10000);
	CU_ASSERT_TRUE(u.active);
	CU_ASSERT_EQUAL(u.prior_cwnd, 10000);
	CU_ASSERT_FALSE(u.retransmitted);
	CU_ASSERT_EQUAL(u.nleft, 0);
}

/* Reordering: the first segment of a flight is overtaken by three
 * others, the sender retransmits it on the third duplicate, then the
 * original arrives and is acknowledged, and then the copy: the receiver
 * reports it below its cumulative ACK.  The window comes back. */
static void a_fast_retransmit_caused_by_reordering_is_undone(void)
{
	struct sender s;
	fresh(&s);
	undo_retransmitted(&s.u, 1001, MSS);
	not_undone(&s);
	CU_ASSERT_TRUE(dsack(&s, 1001, 2001));
	undone(&s);
	CU_ASSERT_FALSE(s.u.active);
}

/* A real loss draws no D-SACK for the retransmission; a D-SACK for
 * bytes that were never retransmitted (the network duplicated a
 * packet) says nothing about the episode. */
static void a_real_loss_and_a_network_duplicate_are_not_undone(void)
{
	struct sender s;
	fresh(&s);
	undo_retransmitted(&s.u, 1001, MSS);
	CU_ASSERT_FALSE(dsack(&s, 5001, 6001));
	not_undone(&s);
	CU_ASSERT_FALSE(dsack(&s, 2001, 3001));      /* just after the retransmission */
	CU_ASSERT_FALSE(dsack(&s, 1, 1001));         /* just before */
	not_undone(&s);
	CU_ASSERT_TRUE(s.u.active);
	CU_ASSERT_FALSE(dsack(&s, 3001, 3001));      /* empty */
	CU_ASSERT_FALSE(dsack(&s, 2001, 1001));      /* backwards */
	not_undone(&s);
}

/* With two retransmissions, one D-SACK proves only that one of them
 * was unnecessary; the other may have repaired a loss. */
static void every_retransmission_must_be_reported_in_any_order(void)
{
	for (int order = 0; order < 2; order++) {
		struct sender s;
		fresh(&s);
		undo_retransmitted(&s.u, 1001, MSS);
		undo_retransmitted(&s.u, 4001, MSS);
		CU_ASSERT_FALSE(order ? dsack(&s, 1001, 2001) : dsack(&s, 4001, 5001));
		not_undone(&s);
		CU_ASSERT_TRUE(order ? dsack(&s, 4001, 5001) : dsack(&s, 1001, 2001));
		undone(&s);
	}
}

/* One block may report several retransmissions: adjacent ones, or ones
 * with bytes between them that were received twice for another reason. */
static void one_block_may_report_several_retransmissions(void)
{
	struct sender s;
	fresh(&s);
	undo_retransmitted(&s.u, 1001, MSS);
	undo_retransmitted(&s.u, 2001, MSS);
	CU_ASSERT_EQUAL(s.u.nleft, 1);               /* touching ranges merge */
	CU_ASSERT_EQUAL(s.u.left[0].start, 1001);
	CU_ASSERT_EQUAL(s.u.left[0].end, 3001);
	CU_ASSERT_TRUE(dsack(&s, 1001, 3001));
	undone(&s);

	fresh(&s);
	undo_retransmitted(&s.u, 3001, MSS);
	undo_retransmitted(&s.u, 1001, MSS);         /* out of order: kept sorted */
	CU_ASSERT_EQUAL(s.u.nleft, 2);
	CU_ASSERT_EQUAL(s.u.left[0].start, 1001);
	CU_ASSERT_EQUAL(s.u.left[1].start, 3001);
	CU_ASSERT_TRUE(dsack(&s, 501, 4501));
	undone(&s);
}

/* A block that reports part of a retransmission leaves the rest
 * waiting, also when it cuts a range in two. */
static void part_of_a_retransmission_is_not_enough(void)
{
	struct sender s;
	fresh(&s);
	undo_retransmitted(&s.u, 1001, MSS);
	CU_ASSERT_FALSE(dsack(&s, 1001, 1501));
	CU_ASSERT_EQUAL(s.u.nleft, 1);
	CU_ASSERT_EQUAL(s.u.left[0].start, 1501);
	not_undone(&s);
	CU_ASSERT_TRUE(dsack(&s, 1501, 2001));
	undone(&s);

	fresh(&s);
	undo_retransmitted(&s.u, 1001, 3 * MSS);     /* three segments at once */
	CU_ASSERT_FALSE(dsack(&s, 2001, 3001));
	CU_ASSERT_EQUAL(s.u.nleft, 2);
	CU_ASSERT_EQUAL(s.u.left[0].end, 2001);
	CU_ASSERT_EQUAL(s.u.left[1].start, 3001);
	CU_ASSERT_FALSE(dsack(&s, 1001, 2001));
	not_undone(&s);
	CU_ASSERT_TRUE(dsack(&s, 3001, 4001));
	undone(&s);
}

/* A receiver repeats a D-SACK only if the duplicate arrives again; the
 * same report twice still covers only what it covers. */
static void the_same_report_twice_counts_once(void)
{
	struct sender s;
	fresh(&s);
	undo_retransmitted(&s.u, 1001, MSS);
	undo_retransmitted(&s.u, 3001, MSS);
	CU_ASSERT_FALSE(dsack(&s, 1001, 2001));
	CU_ASSERT_FALSE(dsack(&s, 1001, 2001));
	not_undone(&s);
	CU_ASSERT_TRUE(s.u.active);
}

/* The undo happens once, and never lowers a window that has grown since
 * the response. */
static void undone_once_and_never_lowered(void)
{
	struct sender s;
	fresh(&s);
	undo_retransmitted(&s.u, 1001, MSS);
	s.cwnd = 30 * MSS;                           /* recovery is over and cwnd has grown */
	CU_ASSERT_TRUE(dsack(&s, 1001, 2001));
	CU_ASSERT_EQUAL(s.cwnd, 30 * MSS);
	CU_ASSERT_EQUAL(s.ssthresh, 64000);
	s.cwnd = 5 * MSS;                            /* a later response, not an episode */
	s.ssthresh = 5 * MSS;
	CU_ASSERT_FALSE(dsack(&s, 1001, 2001));
	CU_ASSERT_EQUAL(s.cwnd, 5 * MSS);
	CU_ASSERT_EQUAL(s.ssthresh, 5 * MSS);
}

/* Nothing retransmitted, nothing to prove: D-SACKs of an episode that
 * sent no retransmission never undo it. */
static void no_retransmission_no_undo(void)
{
	struct sender s;
	fresh(&s);
	CU_ASSERT_FALSE(dsack(&s, 1001, 2001));
	CU_ASSERT_FALSE(dsack(&s, 1, 100001));
	not_undone(&s);
}

/* A new episode forgets the old one: a D-SACK for a retransmission of
 * the first says nothing about the second, and the values restored are
 * those from before the second response. */
static void a_new_episode_forgets_the_old(void)
{
	struct sender s;
	fresh(&s);
	undo_retransmitted(&s.u, 1001, MSS);
	loss(&s);                                    /* 10 segments -> 5 */
	undo_retransmitted(&s.u, 9001, MSS);
	CU_ASSERT_FALSE(dsack(&s, 1001, 2001));
	CU_ASSERT_EQUAL(s.cwnd, 5 * MSS);
	CU_ASSERT_TRUE(dsack(&s, 9001, 10001));
	CU_ASSERT_EQUAL(s.cwnd, 10 * MSS);
	CU_ASSERT_EQUAL(s.ssthresh, 10 * MSS);
}

/* Bytes retransmitted twice in one episode (a retransmission timed out
 * and went again): one D-SACK cannot tell whether the first copy was
 * needed, so the episode can no longer be undone. */
static void the_same_bytes_twice_end_the_episode(void)
{
	struct sender s;
	fresh(&s);
	undo_retransmitted(&s.u, 1001, MSS);
	undo_retransmitted(&s.u, 1501, MSS);         /* overlaps the first */
	CU_ASSERT_FALSE(s.u.active);
	CU_ASSERT_FALSE(dsack(&s, 1001, 2501));
	CU_ASSERT_FALSE(dsack(&s, 1001, 2001));
	not_undone(&s);
}

/* UNDO_MAX_RANGES separate ranges are kept; one more and the episode is
 * given up, since its retransmissions can no longer all be tracked.
 * Touching ranges take one place. */
static void eight_separate_ranges_are_kept_and_a_ninth_gives_up(void)
{
	struct sender s;
	fresh(&s);
	for (uint32_t k = 0; k < UNDO_MAX_RANGES; k++)
		undo_retransmitted(&s.u, 1001 + 2 * MSS * k, MSS);
	CU_ASSERT_EQUAL(s.u.nleft, UNDO_MAX_RANGES);
	for (uint32_t k = 0; k < UNDO_MAX_RANGES; k++)
		CU_ASSERT_EQUAL(dsack(&s, 1001 + 2 * MSS * k, 2001 + 2 * MSS * k),
				k == UNDO_MAX_RANGES - 1);
	undone(&s);

	fresh(&s);
	for (uint32_t k = 0; k <= UNDO_MAX_RANGES; k++)
		undo_retransmitted(&s.u, 1001 + 2 * MSS * k, MSS);
	CU_ASSERT_FALSE(s.u.active);
	for (uint32_t k = 0; k <= UNDO_MAX_RANGES; k++)
		CU_ASSERT_FALSE(dsack(&s, 1001 + 2 * MSS * k, 2001 + 2 * MSS * k));
	not_undone(&s);

	fresh(&s);
	for (uint32_t k = 0; k < 20; k++)
		undo_retransmitted(&s.u, 1001 + MSS * k, MSS);
	CU_ASSERT_EQUAL(s.u.nleft, 1);
	CU_ASSERT_TRUE(dsack(&s, 1001, 21001));
	undone(&s);
}

/* Sequence numbers wrap past 2^32. */
static void ranges_across_the_wrap(void)
{
	struct sender s;
	fresh(&s);
	undo_retransmitted(&s.u, 0xfffffe00u, MSS);  /* to 0x000001e8 */
	undo_retransmitted(&s.u, 0x000001e8u, MSS);  /* touching, past zero */
	CU_ASSERT_EQUAL(s.u.nleft, 1);
	CU_ASSERT_FALSE(dsack(&s, 0x00000100u, 0x00000200u));
	CU_ASSERT_EQUAL(s.u.nleft, 2);
	CU_ASSERT_FALSE(dsack(&s, 0xfffffe00u, 0x00000100u));
	not_undone(&s);
	CU_ASSERT_TRUE(dsack(&s, 0x00000200u, 0x000005d0u));
	undone(&s);
}

static const struct suite_test tests[] = {
	TEST(an_episode_begins_with_the_values_before_the_response),
	TEST(a_fast_retransmit_caused_by_reordering_is_undone),
	TEST(a_real_loss_and_a_network_duplicate_are_not_undone),
	TEST(every_retransmission_must_be_reported_in_any_order),
	TEST(one_block_may_report_several_retransmissions),
	TEST(part_of_a_retransmission_is_not_enough),
	TEST(the_same_report_twice_counts_once),
	TEST(undone_once_and_never_lowered),
	TEST(no_retransmission_no_undo),
	TEST(a_new_episode_forgets_the_old),
	TEST(the_same_bytes_twice_end_the_episode),
	TEST(eight_separate_ranges_are_kept_and_a_ninth_gives_up),
	TEST(ranges_across_the_wrap),
};

int main(void)
{
	return run_suite("exercise 9.1 D-SACK undo", tests, sizeof tests / sizeof tests[0]);
}
