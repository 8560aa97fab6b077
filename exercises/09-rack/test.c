/* Exercise 9.2: the suite for RACK's time-based loss detection (RFC 8985). */
#include <stdio.h>
#include "suite.h"
#include "rack.h"

#define MSS 1000u
#define MS 1000u                    /* microseconds */

/* Segment k (from 1) is [1 + 1000 (k - 1), 1 + 1000 k). */
static uint32_t seg_start(int k)
{
	return 1 + MSS * (uint32_t)(k - 1);
}

static void send_segs(struct rack *r, int from, int to, uint64_t now)
{
	for (int k = from; k <= to; k++)
		rack_sent(r, seg_start(k), MSS, now);
}

/* An ACK of everything before segment `next`, SACKing segments
 * [sfrom, sto] (none if sfrom is 0). */
static int ack(struct rack *r, int next, int sfrom, int sto, uint64_t now, uint64_t *timer)
{
	struct rack_block b = { seg_start(sfrom), seg_start(sto + 1) };
	return rack_ack(r, seg_start(next), &b, sfrom ? 1 : 0, now, timer);
}

static const struct rack_seg *find(const struct rack *r, int k)
{
	for (int i = 0; i < r->nseg; i++)
		if (r->seg[i].start == seg_start(k))
			return &r->seg[i];
	return NULL;
}

static bool lost(const struct rack *r, int k)
{
	const struct rack_seg *s = find(r, k);
	return s != NULL && s->lost;
}

/* The table holds what was sent, in order; a retransmission updates its
 * segment's time, and nothing is delivered yet. */
static void the_table_records_sends_and_retransmissions(void)
{
	struct rack r;
	rack_init(&r);
	CU_ASSERT_EQUAL(r.nseg, 0);
	CU_ASSERT_FALSE(r.valid);
	CU_ASSERT_EQUAL(r.min_rtt, UINT64_MAX);
	send_segs(&r, 1, 3, 0);
	send_segs(&r, 4, 4, 5 * MS);
	CU_ASSERT_EQUAL(r.nseg, 4);
	CU_ASSERT_EQUAL(r.seg[3].start, 3001);
	CU_ASSERT_EQUAL(r.seg[3].end, 4001);
	CU_ASSERT_EQUAL(r.seg[3].xmit_time, 5 * MS);
	rack_sent(&r, seg_start(2), MSS, 9 * MS);
	CU_ASSERT_EQUAL(r.nseg, 4);
	CU_ASSERT_EQUAL(r.seg[1].xmit_time, 9 * MS);
	CU_ASSERT_TRUE(r.seg[1].retransmitted);
	CU_ASSERT_FALSE(r.seg[0].retransmitted);
	uint64_t timer = 1;
	CU_ASSERT_EQUAL(rack_timer(&r, 500 * MS, &timer), 0);   /* nothing delivered: no judgement */
	CU_ASSERT_EQUAL(timer, 0);
}

/* Five segments sent together; the first is overtaken by the other four
 * (a round trip of 50 ms).  Three duplicate ACKs would call it lost at
 * once; RACK waits a quarter of the minimum round trip more, and the
 * original arrives in time. */
static void reordering_within_a_quarter_rtt_is_not_a_loss(void)
{
	struct rack r;
	rack_init(&r);
	send_segs(&r, 1, 5, 0);
	uint64_t timer;
	CU_ASSERT_EQUAL(ack(&r, 1, 2, 5, 50 * MS, &timer), 0);
	CU_ASSERT_TRUE(r.valid);
	CU_ASSERT_EQUAL(r.rtt, 50 * MS);
	CU_ASSERT_EQUAL(r.min_rtt, 50 * MS);
	CU_ASSERT_EQUAL(r.end_seq, seg_start(6));
	CU_ASSERT_FALSE(lost(&r, 1));
	CU_ASSERT_EQUAL(timer, 62500);                  /* 0 + 50 ms + 50 ms / 4 */
	CU_ASSERT_EQUAL(ack(&r, 6, 0, 0, 55 * MS, &timer), 0);
	CU_ASSERT_EQUAL(r.nseg, 0);
	CU_ASSERT_EQUAL(timer, 0);
}

/* The same, but the first segment does not come: the reordering timer
 * declares it lost, and only once. */
static void the_reordering_timer_declares_the_loss(void)
{
	struct rack r;
	rack_init(&r);
	send_segs(&r, 1, 5, 0);
	uint64_t timer;
	ack(&r, 1, 2, 5, 50 * MS, &timer);
	CU_ASSERT_EQUAL(rack_timer(&r, 62499, &timer), 0);
	CU_ASSERT_EQUAL(timer, 62500);
	CU_ASSERT_EQUAL(rack_timer(&r, 62500, &timer), 1);
	CU_ASSERT_TRUE(lost(&r, 1));
	CU_ASSERT_EQUAL(timer, 0);
	CU_ASSERT_EQUAL(rack_timer(&r, 70 * MS, &timer), 0);  /* already declared */
	CU_ASSERT_TRUE(lost(&r, 1));
}

/* The segment RACK is about: the retransmission of segment 1 is lost
 * too.  RFC 6675 resends each hole once per recovery, and would wait for
 * the retransmission timer; RACK sees segments sent after the
 * retransmission delivered, and declares it lost a quarter round trip
 * after it should have been. */
static void a_lost_retransmission_is_detected(void)
{
	struct rack r;
	rack_init(&r);
	send_segs(&r, 1, 5, 0);
	uint64_t timer;
	ack(&r, 1, 2, 5, 50 * MS, &timer);
	rack_timer(&r, 62500, &timer);
	rack_sent(&r, seg_start(1), MSS, 62500);        /* the retransmission */
	CU_ASSERT_FALSE(lost(&r, 1));
	send_segs(&r, 6, 6, 62500);                     /* new data with it */
	send_segs(&r, 7, 7, 70 * MS);
	/* segment 6 is SACKed: sent in the same instant, but after segment 1 */
	CU_ASSERT_EQUAL(ack(&r, 1, 2, 6, 112500, &timer), 0);
	CU_ASSERT_EQUAL(timer, 125 * MS);               /* 62.5 + 50 + 12.5 ms */
	CU_ASSERT_EQUAL(ack(&r, 1, 2, 7, 120 * MS, &timer), 0);
	CU_ASSERT_EQUAL(r.xmit_time, 70 * MS);
	CU_ASSERT_EQUAL(timer, 125 * MS);
	CU_ASSERT_EQUAL(rack_timer(&r, 125 * MS, &timer), 1);
	CU_ASSERT_TRUE(lost(&r, 1));
	/* the third copy arrives: everything is acknowledged */
	rack_sent(&r, seg_start(1), MSS, 125 * MS);
	CU_ASSERT_EQUAL(ack(&r, 8, 0, 0, 175 * MS, &timer), 0);
	CU_ASSERT_EQUAL(r.nseg, 0);
}

/* Segments sent in the same instant are ordered by sequence number: a
 * SACK for the third says the first two were sent before it, the fourth
 * and fifth after it.  Segments sent later than anything delivered are
 * never judged. */
static void only_segments_sent_before_a_delivered_one_are_judged(void)
{
	struct rack r;
	rack_init(&r);
	send_segs(&r, 1, 5, 0);
	send_segs(&r, 6, 7, 20 * MS);
	uint64_t timer;
	CU_ASSERT_EQUAL(ack(&r, 1, 3, 3, 50 * MS, &timer), 0);
	CU_ASSERT_EQUAL(rack_timer(&r, 100 * MS, &timer), 2);
	CU_ASSERT_TRUE(lost(&r, 1));
	CU_ASSERT_TRUE(lost(&r, 2));
	CU_ASSERT_FALSE(lost(&r, 4));
	CU_ASSERT_FALSE(lost(&r, 5));
	CU_ASSERT_FALSE(lost(&r, 6));
	CU_ASSERT_EQUAL(timer, 0);
	/* segment 7, sent at 20 ms, delivered at 70 ms: 4 and 5 are past
	 * their time at once, 6 (sent with 7, before it) has a quarter round
	 * trip to go */
	CU_ASSERT_EQUAL(ack(&r, 1, 7, 7, 70 * MS, &timer), 2);
	CU_ASSERT_TRUE(lost(&r, 4));
	CU_ASSERT_TRUE(lost(&r, 5));
	CU_ASSERT_FALSE(lost(&r, 6));
	CU_ASSERT_EQUAL(timer, 82500);
	CU_ASSERT_TRUE(find(&r, 3)->sacked);
	CU_ASSERT_FALSE(lost(&r, 3));
}

/* RFC 8985 arms the reordering timer for the latest deadline among the
 * segments still waiting, so that one expiry settles all of them.  (A
 * segment sent more than the reordering window before the one
 * delivered is past its deadline at once: only those sent within it
 * wait.) */
static void the_timer_is_the_latest_deadline(void)
{
	struct rack r;
	rack_init(&r);
	send_segs(&r, 1, 1, 20 * MS);
	send_segs(&r, 2, 2, 25 * MS);
	send_segs(&r, 3, 3, 30 * MS);
	uint64_t timer;
	CU_ASSERT_EQUAL(ack(&r, 1, 3, 3, 80 * MS, &timer), 0);    /* 50 ms */
	CU_ASSERT_EQUAL(timer, 87500);                  /* segment 2's: 25 + 50 + 12.5 ms */
	CU_ASSERT_EQUAL(rack_timer(&r, 87500, &timer), 2);
	CU_ASSERT_EQUAL(timer, 0);
}

/* A retransmitted segment acknowledged sooner than the minimum round
 * trip was acknowledged for its original (which was only late): it
 * gives no RTT sample and does not move RACK.xmit_ts. */
static void an_ack_too_soon_after_a_retransmission_gives_no_sample(void)
{
	struct rack r;
	rack_init(&r);
	send_segs(&r, 1, 5, 0);
	uint64_t timer;
	ack(&r, 1, 2, 5, 50 * MS, &timer);
	rack_timer(&r, 62500, &timer);
	rack_sent(&r, seg_start(1), MSS, 62500);
	CU_ASSERT_EQUAL(ack(&r, 6, 0, 0, 65 * MS, &timer), 0);    /* 2.5 ms later */
	CU_ASSERT_EQUAL(r.nseg, 0);
	CU_ASSERT_EQUAL(r.rtt, 50 * MS);
	CU_ASSERT_EQUAL(r.min_rtt, 50 * MS);
	CU_ASSERT_EQUAL(r.xmit_time, 0);
	/* one acknowledged a whole round trip after its retransmission does */
	rack_init(&r);
	send_segs(&r, 1, 5, 0);
	ack(&r, 1, 2, 5, 50 * MS, &timer);
	rack_timer(&r, 62500, &timer);
	rack_sent(&r, seg_start(1), MSS, 62500);
	ack(&r, 6, 0, 0, 115 * MS, &timer);
	CU_ASSERT_EQUAL(r.rtt, 52500);
	CU_ASSERT_EQUAL(r.xmit_time, 62500);
}

/* RACK.rtt is the round trip of the latest segment delivered, so a path
 * that slows down widens the wait; the reordering window stays a
 * quarter of the minimum. */
static void a_slower_path_waits_longer(void)
{
	struct rack r;
	rack_init(&r);
	send_segs(&r, 1, 1, 0);
	uint64_t timer;
	ack(&r, 2, 0, 0, 40 * MS, &timer);              /* min_rtt 40 ms */
	send_segs(&r, 2, 4, 100 * MS);
	CU_ASSERT_EQUAL(ack(&r, 2, 3, 4, 180 * MS, &timer), 0);   /* 80 ms now */
	CU_ASSERT_EQUAL(r.rtt, 80 * MS);
	CU_ASSERT_EQUAL(r.min_rtt, 40 * MS);
	CU_ASSERT_EQUAL(timer, 190 * MS);               /* 100 + 80 + 40 / 4 */
	CU_ASSERT_EQUAL(rack_timer(&r, 189 * MS, &timer), 0);
	CU_ASSERT_EQUAL(rack_timer(&r, 190 * MS, &timer), 1);
}

/* Sequence numbers wrap past 2^32. */
static void segments_across_the_wrap(void)
{
	struct rack r;
	rack_init(&r);
	const uint32_t base = 0xfffff800u;              /* the third segment crosses zero */
	for (uint32_t k = 0; k < 5; k++)
		rack_sent(&r, base + MSS * k, MSS, 0);
	struct rack_block b = { base + 2 * MSS, base + 5 * MSS };
	uint64_t timer;
	CU_ASSERT_EQUAL(rack_ack(&r, base + MSS, &b, 1, 50 * MS, &timer), 0);
	CU_ASSERT_EQUAL(r.nseg, 4);
	CU_ASSERT_EQUAL(r.end_seq, base + 5 * MSS);
	CU_ASSERT_EQUAL(rack_timer(&r, 62500, &timer), 1);
	CU_ASSERT_TRUE(r.seg[0].lost);
	CU_ASSERT_EQUAL(r.seg[0].start, base + MSS);
	CU_ASSERT_TRUE(r.seg[3].sacked);
}

static const struct suite_test tests[] = {
	TEST(the_table_records_sends_and_retransmissions),
	TEST(reordering_within_a_quarter_rtt_is_not_a_loss),
	TEST(the_reordering_timer_declares_the_loss),
	TEST(a_lost_retransmission_is_detected),
	TEST(only_segments_sent_before_a_delivered_one_are_judged),
	TEST(the_timer_is_the_latest_deadline),
	TEST(an_ack_too_soon_after_a_retransmission_gives_no_sample),
	TEST(a_slower_path_waits_longer),
	TEST(segments_across_the_wrap),
};

int main(void)
{
	return run_suite("exercise 9.2 RACK", tests, sizeof tests / sizeof tests[0]);
}
