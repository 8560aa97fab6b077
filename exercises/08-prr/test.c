/* Exercise 8.2: the suite for Proportional Rate Reduction (RFC 6937). */
#include <stdio.h>
#include "suite.h"
#include "prr.h"

#define MSS 1000u

/* A sender in recovery, as the tests play it: every ACK delivers one
 * segment (the receiver reports each one, as SACK would), the pipe falls
 * by what was delivered, and the sender sends as many whole segments as
 * sndcnt allows.  On the first ACK, the one that starts recovery, the
 * fast retransmission goes whatever sndcnt says (chapter 6 sends it
 * unconditionally) and counts as sent. */
struct sender {
	struct prr p;
	uint32_t pipe;
	int acks;
};

static void start(struct sender *s, uint32_t ssthresh, uint32_t flight, uint32_t pipe,
		  enum prr_bound bound)
{
	prr_start(&s->p, ssthresh, 5001, 5001 + flight, MSS, bound);
	s->pipe = pipe;
	s->acks = 0;
}

/* One ACK delivering one segment; returns the new segments it released
 * and sndcnt in *cnt. */
static int ack(struct sender *s, uint32_t *cnt)
{
	if (s->acks++ > 0)
		s->pipe -= MSS;
	uint32_t sndcnt = prr_on_ack(&s->p, MSS, s->pipe);
	if (cnt)
		*cnt = sndcnt;
	int n = (int)(sndcnt / MSS);
	if (s->acks == 1) {
		prr_sent(&s->p, MSS);               /* the fast retransmission */
		s->pipe += MSS;
		n = n > 0 ? n - 1 : 0;
	}
	prr_sent(&s->p, (uint32_t)n * MSS);
	s->pipe += (uint32_t)n * MSS;
	return n;
}

static void expect_schedule(struct sender *s, const int *want, int n, const char *what)
{
	for (int k = 0; k < n; k++) {
		int got = ack(s, NULL);
		if (got != want[k])
			printf("\n  %s: ACK %d released %d segments, expected %d\n", what, k + 1, got,
			       want[k]);
		CU_ASSERT_EQUAL(got, want[k]);
	}
}

/* RecoverFS is the flight as recovery begins, SND.NXT - SND.UNA, also
 * when the sequence numbers wrap; the counters start at zero. */
static void recover_fs_is_the_flight_across_the_wrap(void)
{
	struct prr p;
	p.prr_delivered = p.prr_out = 12345;
	prr_start(&p, 7000, 0xfffff000u, 0x00003000u, MSS, PRR_SSRB);
	CU_ASSERT_EQUAL(p.recover_fs, 0x4000);
	CU_ASSERT_EQUAL(p.ssthresh, 7000);
	CU_ASSERT_EQUAL(p.prr_delivered, 0);
	CU_ASSERT_EQUAL(p.prr_out, 0);
	prr_start(&p, 10000, 1, 20001, MSS, PRR_CRB);
	CU_ASSERT_EQUAL(p.recover_fs, 20000);
	CU_ASSERT_EQUAL(p.bound, PRR_CRB);
}

/* One segment lost from a flight of 20, ssthresh 10 (Reno's half).  While
 * the pipe is above ssthresh, one new segment for every two delivered,
 * rounded up; sndcnt is what the formula allows beyond what was sent, so
 * half a segment waits for the next ACK.  Once the pipe has come down to
 * ssthresh, one for one: the pipe ends at ssthresh, and recovery has sent
 * ssthresh's worth, the retransmission included. */
static void one_loss_halves_the_rate_smoothly(void)
{
	struct sender s;
	start(&s, 10 * MSS, 20 * MSS, 16 * MSS, PRR_SSRB);
	uint32_t cnt[4];
	ack(&s, &cnt[0]);
	CU_ASSERT_EQUAL(cnt[0], 500);               /* ceil(1000 * 10000 / 20000) - 0 */
	ack(&s, &cnt[1]);
	CU_ASSERT_EQUAL(cnt[1], 0);                 /* 1000 - 1000 (the retransmission) */
	ack(&s, &cnt[2]);
	CU_ASSERT_EQUAL(cnt[2], 500);
	ack(&s, &cnt[3]);
	CU_ASSERT_EQUAL(cnt[3], 1000);
	static const int rest[] = { 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1 };
	expect_schedule(&s, rest, 13, "one loss, ssthresh 10");
	CU_ASSERT_EQUAL(s.pipe, 10 * MSS);
	CU_ASSERT_EQUAL(s.p.prr_out, 10 * MSS);
	CU_ASSERT_EQUAL(s.p.prr_delivered, 17 * MSS);
}

/* CUBIC's beta of 0.7, from a flight of 40: seven segments sent for ten
 * delivered while the pipe is above ssthresh, then one for one, and the
 * pipe ends at ssthresh. */
static void cubic_beta_sends_seven_for_ten(void)
{
	struct sender s;
	start(&s, 28 * MSS, 40 * MSS, 36 * MSS, PRR_SSRB);
	static const int want[] = { 0, 0, 1, 0, 1, 1, 0, 1, 1, 1 };
	expect_schedule(&s, want, 10, "one loss, ssthresh 28 of 40");
	CU_ASSERT_EQUAL(s.p.prr_out, 7 * MSS);      /* ceil(10 x 0.7) = 7, with the retransmission */
	for (int k = 0; k < 26; k++)
		ack(&s, NULL);
	CU_ASSERT_EQUAL(s.pipe, 28 * MSS);
	CU_ASSERT_EQUAL(s.p.prr_delivered, 36 * MSS);
}

/* A burst of losses leaves the pipe far below ssthresh.  The slow start
 * reduction bound lets the sender catch up at slow start's pace, what was
 * delivered plus one segment per ACK, until the pipe reaches ssthresh;
 * the conservative bound only replaces what was delivered. */
static void a_burst_loss_catches_up_at_slow_start_pace(void)
{
	struct sender s;
	start(&s, 10 * MSS, 20 * MSS, 4 * MSS, PRR_SSRB);
	uint32_t cnt;
	CU_ASSERT_EQUAL(ack(&s, &cnt), 1);          /* with the retransmission: two */
	CU_ASSERT_EQUAL(cnt, 2000);                 /* max(1000 - 0, 1000) + 1000 */
	static const int ssrb[] = { 2, 2, 2, 2, 1, 1 };
	expect_schedule(&s, ssrb, 6, "burst, slow start reduction bound");
	CU_ASSERT_EQUAL(s.pipe, 10 * MSS);
	start(&s, 10 * MSS, 20 * MSS, 4 * MSS, PRR_CRB);
	CU_ASSERT_EQUAL(ack(&s, &cnt), 0);          /* the retransmission only */
	CU_ASSERT_EQUAL(cnt, 1000);                 /* prr_delivered - prr_out = 1000 - 0 */
	static const int crb[] = { 1, 1, 1, 1, 1, 1 };
	expect_schedule(&s, crb, 6, "burst, conservative reduction bound");
	CU_ASSERT_EQUAL(s.pipe, 5 * MSS);
}

/* The reduction bound never sends beyond ssthresh: with the pipe at
 * ssthresh, nothing; one byte above it, the proportional rule. */
static void never_beyond_ssthresh(void)
{
	struct prr p;
	prr_start(&p, 10 * MSS, 1, 1 + 20 * MSS, MSS, PRR_SSRB);
	CU_ASSERT_EQUAL(prr_on_ack(&p, 4 * MSS, 10 * MSS), 0);
	prr_start(&p, 10 * MSS, 1, 1 + 20 * MSS, MSS, PRR_SSRB);
	CU_ASSERT_EQUAL(prr_on_ack(&p, 4 * MSS, 10 * MSS + 1), 2 * MSS);
	prr_start(&p, 10 * MSS, 1, 1 + 20 * MSS, MSS, PRR_SSRB);
	CU_ASSERT_EQUAL(prr_on_ack(&p, 4 * MSS, 9 * MSS), MSS);   /* min(1000, 5000) */
}

/* sndcnt is never negative, and never a negative number read as a huge
 * unsigned one: a sender that has sent more than its share (here, a
 * retransmission the timer forced) gets 0 until the deliveries catch
 * up, under either rule and either bound. */
static void sndcnt_is_never_negative(void)
{
	struct prr p;
	prr_start(&p, 10 * MSS, 1, 1 + 20 * MSS, MSS, PRR_SSRB);
	prr_sent(&p, 6 * MSS);
	CU_ASSERT_EQUAL(prr_on_ack(&p, MSS, 15 * MSS), 0);        /* 500 - 6000 */
	CU_ASSERT_EQUAL(prr_on_ack(&p, MSS, 14 * MSS), 0);
	prr_start(&p, 10 * MSS, 1, 1 + 20 * MSS, MSS, PRR_CRB);
	prr_sent(&p, 6 * MSS);
	CU_ASSERT_EQUAL(prr_on_ack(&p, MSS, 3 * MSS), 0);         /* 1000 - 6000 */
	/* the slow start bound still allows delivered + one segment */
	prr_start(&p, 10 * MSS, 1, 1 + 20 * MSS, MSS, PRR_SSRB);
	prr_sent(&p, 6 * MSS);
	CU_ASSERT_EQUAL(prr_on_ack(&p, MSS, 3 * MSS), 2 * MSS);   /* max(-5000, 1000) + 1000 */
}

/* Large windows: RecoverFS of 8 MB and ssthresh of 5.6 MB; their product
 * with what was delivered does not fit in 32 bits. */
static void large_windows_need_64_bit_products(void)
{
	struct prr p;
	prr_start(&p, 5600000, 1000, 1000 + 8000000, 1448, PRR_SSRB);
	CU_ASSERT_EQUAL(prr_on_ack(&p, 1000000, 7000000), 700000);
	prr_sent(&p, 700000);
	CU_ASSERT_EQUAL(prr_on_ack(&p, 1000001, 7000000), 700001);   /* 1,400,000.7 rounded up */
	prr_start(&p, 5600000, 1000, 1000 + 8000000, 1448, PRR_SSRB);
	CU_ASSERT_EQUAL(prr_on_ack(&p, 3000000, 6000000), 2100000);
}

/* Each recovery starts from zero, whatever the last one left. */
static void a_second_recovery_starts_afresh(void)
{
	struct sender s;
	start(&s, 10 * MSS, 20 * MSS, 16 * MSS, PRR_SSRB);
	for (int k = 0; k < 10; k++)
		ack(&s, NULL);
	start(&s, 6 * MSS, 12 * MSS, 9 * MSS, PRR_SSRB);
	uint32_t cnt;
	ack(&s, &cnt);
	CU_ASSERT_EQUAL(cnt, 500);                  /* ceil(1000 * 6000 / 12000) */
	ack(&s, &cnt);
	CU_ASSERT_EQUAL(cnt, 0);
	CU_ASSERT_EQUAL(s.p.prr_delivered, 2 * MSS);
	CU_ASSERT_EQUAL(s.p.prr_out, MSS);
}

static const struct suite_test tests[] = {
	TEST(recover_fs_is_the_flight_across_the_wrap),
	TEST(one_loss_halves_the_rate_smoothly),
	TEST(cubic_beta_sends_seven_for_ten),
	TEST(a_burst_loss_catches_up_at_slow_start_pace),
	TEST(never_beyond_ssthresh),
	TEST(sndcnt_is_never_negative),
	TEST(large_windows_need_64_bit_products),
	TEST(a_second_recovery_starts_afresh),
};

int main(void)
{
	return run_suite("exercise 8.2 Proportional Rate Reduction", tests, sizeof tests / sizeof tests[0]);
}
