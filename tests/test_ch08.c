/* Chapter 8, congestion control: the initial window, slow start with byte
 * counting, congestion avoidance, fast retransmit and fast recovery with
 * limited transmit, NewReno's partial ACKs against Reno's, the timeout's
 * loss window, restart after idle, RFC 6582's rule for the echoes of a
 * recovery, CUBIC against RFC 9438's formulas on a scripted ACK clock,
 * the algorithm chosen per connection and a new one in one table, and a
 * bottleneck: the sawtooth and two flows sharing it. */
#include "testutil.h"
#include "tcp_var.h"
#include <errno.h>
#include <math.h>
#include <unistd.h>

#define MSS 1000u

/* The stack's connection to a scripted peer with an MSS of 1,000 bytes
 * and a window of 60,000; the application has queued `queued` bytes. */
static void open_with(struct peer *c, struct config *cfg, size_t queued)
{
	peer_open(c, cfg, 60000, MSS);
	static uint8_t data[200000];
	memset(data, 'c', sizeof data);
	CU_ASSERT_EQUAL_FATAL(tcp_send(c->t, data, queued), (long)queued);
}

/* The data segments the stack sent since the last call: their number, and
 * the first one's sequence number relative to the ISN in *first (if any). */
static int sent_segments(struct peer *c, uint32_t *first, size_t *bytes)
{
	struct captured s;
	int n = 0;
	if (bytes) *bytes = 0;
	while (testnet_pop_segment(&c->tn, &s)) {
		if (s.seg.len == 0)
			continue;
		if (n == 0 && first)
			*first = s.seg.seq - c->iss;
		n++;
		if (bytes) *bytes += s.seg.len;
	}
	return n;
}

/* The peer acknowledges up to `ack` (relative to the ISN). */
static void ack_to(struct peer *c, uint32_t ack)
{
	peer_send(c, SEG(.seq = 1, .ack = ack, .flags = TH_ACK));
}

static uint32_t flight(const struct peer *c)
{
	return c->t->snd_nxt - c->t->snd_una;
}

/* ---- the initial window ------------------------------------------------------------- */

static int first_flight(int iw, uint16_t mss, size_t *bytes)
{
	struct config cfg = testnet_config();
	cfg.init_cwnd = iw;
	struct peer c;
	peer_open(&c, &cfg, 60000, mss);
	static uint8_t data[60000];
	tcp_send(c.t, data, sizeof data);
	int n = sent_segments(&c, NULL, bytes);
	testnet_free(&c.tn);
	return n;
}

/* proves: RFC5681-3.1e */
static void first_flight_is_the_initial_window_of_rfc_6928_or_the_setting(void)
{
	LEAK_CHECK_BEGIN;
	size_t bytes;
	CU_ASSERT_EQUAL(first_flight(10, 1460, &bytes), 10);          /* 14,600 bytes */
	CU_ASSERT_EQUAL(bytes, 14600);
	CU_ASSERT_EQUAL(first_flight(10, 1000, &bytes), 10);
	CU_ASSERT_EQUAL(first_flight(10, 536, &bytes), 10);
	CU_ASSERT_EQUAL(first_flight(4, 1460, &bytes), 4);            /* RFC 3390's 4,380..5,840 */
	CU_ASSERT_EQUAL(first_flight(3, 1460, &bytes), 3);
	CU_ASSERT_EQUAL(first_flight(1, 1460, &bytes), 1);
	LEAK_CHECK_END;
}

/* ---- slow start and congestion avoidance ------------------------------------------- */

/* proves: RFC5681-2 */
static void slow_start_counts_bytes_acked_at_most_two_segments_per_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	open_with(&c, &cfg, 60000);
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 10);
	CU_ASSERT_EQUAL(c.t->cwnd, 10 * MSS);
	ack_to(&c, 1 + MSS);                        /* one segment: one more */
	CU_ASSERT_EQUAL(c.t->cwnd, 11 * MSS);
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 2);
	ack_to(&c, 1 + 3 * MSS);                    /* two: two more */
	CU_ASSERT_EQUAL(c.t->cwnd, 13 * MSS);
	ack_to(&c, 1 + 7 * MSS);                    /* four at once: still two (L = 2) */
	CU_ASSERT_EQUAL(c.t->cwnd, 15 * MSS);
	CU_ASSERT_TRUE(flight(&c) <= c.t->cwnd);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Rounds of the ACK clock: the peer acknowledges what the stack sent in
 * the last round, `per_ack` segments at a time; returns the segments of
 * each round in counts[]. */
static void run_rounds(struct peer *c, int per_ack, int *counts, int rounds)
{
	uint32_t acked = 1;
	for (int r = 0; r < rounds; r++) {
		size_t bytes;
		counts[r] = sent_segments(c, NULL, &bytes);
		uint32_t end = acked + (uint32_t)bytes;
		while (acked < end) {
			acked = MIN(acked + (uint32_t)per_ack * MSS, end);
			ack_to(c, acked);
		}
	}
}

/* proves: RFC9293-MUST-19 RFC5681-3.1d */
static void slow_start_doubles_the_flight_each_round_trip(void)
{
	LEAK_CHECK_BEGIN;
	for (int per_ack = 1; per_ack <= 2; per_ack++) {      /* every segment; delayed ACKs */
		struct config cfg = testnet_config();
		struct peer c;
		open_with(&c, &cfg, 200 * MSS);
		int n[3];
		run_rounds(&c, per_ack, n, 3);
		CU_ASSERT_EQUAL(n[0], 10);
		CU_ASSERT_EQUAL(n[1], 20);
		CU_ASSERT_EQUAL(n[2], 40);
		CU_ASSERT_EQUAL(c.t->cwnd, 80 * MSS);
		testnet_free(&c.tn);
	}
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-19 RFC5681-3.1d RFC5681-3.1g */
static void congestion_avoidance_adds_one_segment_per_window_acknowledged(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	open_with(&c, &cfg, 60 * MSS);
	c.t->ssthresh = c.t->cwnd;                 /* as after a loss: avoidance from here */
	int n[4];
	run_rounds(&c, 1, n, 4);
	CU_ASSERT_EQUAL(n[0], 10);
	CU_ASSERT_EQUAL(n[1], 11);
	CU_ASSERT_EQUAL(n[2], 12);
	CU_ASSERT_EQUAL(n[3], 13);
	CU_ASSERT_EQUAL(c.t->cwnd, 14 * MSS);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void an_application_limited_window_does_not_grow(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	open_with(&c, &cfg, 2 * MSS);              /* two segments, never half of cwnd */
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 2);
	ack_to(&c, 1 + 2 * MSS);
	CU_ASSERT_EQUAL(c.t->cwnd, 10 * MSS);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- fast retransmit, fast recovery, limited transmit -------------------------------- */

/* proves: RFC5681-3.2a RFC5681-3.2b RFC5681-3.2c RFC5681-3.2e RFC5681-3.2f RFC5681-4.3 */
static void three_duplicates_halve_the_flight_inflate_and_deflate(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	open_with(&c, &cfg, 30 * MSS);
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 10);   /* the first is lost */
	uint32_t first;
	/* duplicates 1 and 2: limited transmit, one new segment each, cwnd unchanged */
	for (int d = 1; d <= 2; d++) {
		ack_to(&c, 1);
		CU_ASSERT_EQUAL(sent_segments(&c, &first, NULL), 1);
		CU_ASSERT_EQUAL(first, 1 + (uint32_t)(9 + d) * MSS);
		CU_ASSERT_EQUAL(c.t->cwnd, 10 * MSS);
	}
	/* the third: ssthresh from the flight without those two, the retransmission */
	ack_to(&c, 1);
	CU_ASSERT_EQUAL(c.t->ssthresh, 5 * MSS);
	CU_ASSERT_EQUAL(c.t->cwnd, 8 * MSS);
	CU_ASSERT_EQUAL(sent_segments(&c, &first, NULL), 1);
	CU_ASSERT_EQUAL(first, 1);
	/* each further duplicate inflates by one segment; new data once cwnd > flight */
	int sent_at[8] = { 0 };
	for (int d = 0; d < 8; d++) {
		ack_to(&c, 1);
		CU_ASSERT_EQUAL(c.t->cwnd, (9 + (uint32_t)d) * MSS);
		sent_at[d] = sent_segments(&c, NULL, NULL);
	}
	CU_ASSERT_EQUAL(sent_at[0] + sent_at[1] + sent_at[2] + sent_at[3], 0);
	CU_ASSERT_EQUAL(sent_at[4], 1);            /* cwnd 13,000 > the flight of 12,000 */
	CU_ASSERT_EQUAL(sent_at[5] + sent_at[6] + sent_at[7], 3);
	/* the full ACK: deflate to min(ssthresh, max(FlightSize, SMSS) + SMSS) */
	ack_to(&c, 1 + 12 * MSS);
	CU_ASSERT_FALSE(c.t->flags & TF_IN_RECOVERY);
	CU_ASSERT_EQUAL(c.t->cwnd, MIN(5 * MSS, MAX(flight(&c), MSS) + MSS));
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fast_retransmits, 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void without_limited_transmit_the_first_two_duplicates_send_nothing(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.limited_transmit = false;
	struct peer c;
	open_with(&c, &cfg, 30 * MSS);
	sent_segments(&c, NULL, NULL);
	ack_to(&c, 1);
	ack_to(&c, 1);
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 0);
	ack_to(&c, 1);                             /* the third: the retransmission */
	uint32_t first = 0;
	CU_ASSERT_EQUAL(sent_segments(&c, &first, NULL), 1);
	CU_ASSERT_EQUAL(first, 1);
	CU_ASSERT_EQUAL(c.t->ssthresh, 5 * MSS);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Ten segments, the first and the fourth lost; eight duplicates (from
 * segments 2, 3 and 5 to 10), then the ACK of the first retransmission,
 * which covers the first three: a partial ACK. */
static void lose_first_and_fourth(struct peer *c, const char *cc)
{
	struct config cfg = testnet_config();
	peer_open(c, &cfg, 60000, MSS);
	CU_ASSERT_EQUAL(tcp_set_congestion(c->t, cc), 0);
	static uint8_t data[10 * MSS];
	tcp_send(c->t, data, sizeof data);
	CU_ASSERT_EQUAL(sent_segments(c, NULL, NULL), 10);
	for (int d = 0; d < 8; d++)
		ack_to(c, 1);
	CU_ASSERT_EQUAL(c->t->cwnd, 13 * MSS);     /* 5,000 + 3 x 1,000, inflated by 5 more */
	uint32_t first = 0;
	CU_ASSERT_EQUAL(sent_segments(c, &first, NULL), 1);
	CU_ASSERT_EQUAL(first, 1);
	ack_to(c, 1 + 3 * MSS);                    /* the partial ACK */
}

/* proves: RFC6582-3.2a */
static void newreno_resends_at_a_partial_ack_and_reduces_once(void)
{
	LEAK_CHECK_BEGIN;
	struct peer c;
	lose_first_and_fourth(&c, "newreno");
	uint32_t first = 0;
	CU_ASSERT_EQUAL(sent_segments(&c, &first, NULL), 1);   /* the fourth, at once */
	CU_ASSERT_EQUAL(first, 1 + 3 * MSS);
	CU_ASSERT_TRUE(c.t->flags & TF_IN_RECOVERY);
	CU_ASSERT_EQUAL(c.t->cwnd, 13 * MSS - 3 * MSS + MSS);  /* deflated, one SMSS back */
	CU_ASSERT_EQUAL(c.t->ssthresh, 5 * MSS);
	ack_to(&c, 1 + 10 * MSS);                  /* the full ACK */
	CU_ASSERT_FALSE(c.t->flags & TF_IN_RECOVERY);
	CU_ASSERT_EQUAL(c.t->cwnd, 2 * MSS);       /* min(5,000, max(0, 1,000) + 1,000) */
	CU_ASSERT_EQUAL(c.t->ssthresh, 5 * MSS);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fast_retransmits, 1);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rto_fired, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void reno_leaves_recovery_at_a_partial_ack_and_waits_for_the_timer(void)
{
	LEAK_CHECK_BEGIN;
	struct peer c;
	lose_first_and_fourth(&c, "reno");
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 0);      /* nothing resent */
	CU_ASSERT_FALSE(c.t->flags & TF_IN_RECOVERY);
	CU_ASSERT_EQUAL(c.t->cwnd, 5 * MSS);
	loop_run_for(&c.tn.loop, SEC(1));          /* the retransmission timer */
	uint32_t first = 0;
	CU_ASSERT_EQUAL(sent_segments(&c, &first, NULL), 1);
	CU_ASSERT_EQUAL(first, 1 + 3 * MSS);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rto_fired, 1);
	CU_ASSERT_EQUAL(c.t->cwnd, MSS);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- the timeout, idle restarts, the echoes of a recovery ---------------------------- */

/* Run until the retransmission timer fires once more. */
static void next_timeout(struct peer *c)
{
	uint64_t fired = c->tn.host->stats.tcp.rto_fired;
	for (int i = 0; i < 600 && c->tn.host->stats.tcp.rto_fired == fired; i++)
		loop_run_for(&c->tn.loop, MSEC(100));
}

/* proves: RFC5681-3.1b RFC5681-3.1c */
static void timeout_sets_the_loss_window_and_slow_starts_with_one_segment_per_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	open_with(&c, &cfg, 10 * MSS);
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 10);    /* all lost */
	loop_run_for(&c.tn.loop, SEC(1));
	CU_ASSERT_EQUAL(c.t->cwnd, MSS);
	CU_ASSERT_EQUAL(c.t->ssthresh, 5 * MSS);
	uint32_t first = 0;
	CU_ASSERT_EQUAL(sent_segments(&c, &first, NULL), 1);   /* one, not the flight */
	CU_ASSERT_EQUAL(first, 1);
	ack_to(&c, 1 + MSS);
	CU_ASSERT_EQUAL(c.t->cwnd, 2 * MSS);
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 2);
	ack_to(&c, 1 + 3 * MSS);                   /* two at once: one more (L = 1 after a timeout) */
	CU_ASSERT_EQUAL(c.t->cwnd, 3 * MSS);
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 3);
	/* a timeout: half of what is in flight */
	next_timeout(&c);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rto_fired, 2);
	CU_ASSERT_EQUAL(c.t->cwnd, MSS);
	CU_ASSERT_EQUAL(c.t->ssthresh, 7 * MSS / 2);
	/* the same segment times out again: the threshold stays where it was
	 * (set here to a value the flight would not give) */
	c.t->ssthresh = 4321;
	next_timeout(&c);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rto_fired, 3);
	CU_ASSERT_EQUAL(c.t->ssthresh, 4321);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* The first burst after an idle pause; the window before it in *before. */
static int burst_after_idle(bool restart, uint32_t *before)
{
	struct config cfg = testnet_config();
	cfg.slow_start_after_idle = restart;
	struct peer c;
	open_with(&c, &cfg, 30 * MSS);
	int n[2];
	run_rounds(&c, 1, n, 2);                   /* 10 + 20 sent, all acknowledged */
	*before = c.t->cwnd;
	loop_run_for(&c.tn.loop, SEC(3));          /* idle for longer than the RTO */
	static uint8_t more[55 * MSS];
	tcp_send(c.t, more, sizeof more);
	int burst = sent_segments(&c, NULL, NULL);
	testnet_free(&c.tn);
	return burst;
}

static void restart_after_idle_sends_no_more_than_the_initial_window(void)
{
	LEAK_CHECK_BEGIN;
	uint32_t before;
	CU_ASSERT_EQUAL(burst_after_idle(true, &before), 10);
	CU_ASSERT_TRUE(before > 20 * MSS);
	CU_ASSERT_EQUAL(burst_after_idle(false, &before), (int)(before / MSS));
	LEAK_CHECK_END;
}

/* proves: RFC6582-3.2b */
static void duplicates_that_echo_the_last_recovery_start_no_new_one(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	open_with(&c, &cfg, 5 * MSS);
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 5);     /* lost */
	loop_run_for(&c.tn.loop, SEC(1));                      /* recover = 5,001 */
	sent_segments(&c, NULL, NULL);
	ack_to(&c, 1 + 5 * MSS);                   /* everything, at last: recovery ends */
	CU_ASSERT_FALSE(c.t->flags & TF_IN_RECOVERY);
	static uint8_t more[5 * MSS];
	tcp_send(c.t, more, sizeof more);
	sent_segments(&c, NULL, NULL);
	for (int d = 0; d < 3; d++)
		ack_to(&c, 1 + 5 * MSS);           /* duplicates at the recovery point */
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fast_retransmits, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.dupacks_after_recovery, 1);
	ack_to(&c, 1 + 6 * MSS);                   /* beyond it: a new loss is news */
	for (int d = 0; d < 3; d++)
		ack_to(&c, 1 + 6 * MSS);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fast_retransmits, 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- CUBIC on a scripted ACK clock -------------------------------------------------- */

/* RFC 9438's window, computed here from its formulas, independently of the
 * stack, in segments and seconds. */
struct cubic_ref {
	double w, w_max, prior, k, w_est, epoch;
	bool in_epoch;
};

static void ref_reduce(struct cubic_ref *r, double flight)
{
	r->in_epoch = false;
	r->prior = r->w;
	r->w_max = r->w < r->w_max ? r->w * (1 + 0.7) / 2 : r->w;  /* fast convergence */
	r->w = MAX(flight * 0.7, 2.0);             /* ssthresh; cwnd after recovery */
}

static double ref_cubic(const struct cubic_ref *r, double t)
{
	return 0.4 * pow(t - r->k, 3) + r->w_max;
}

static void ref_ack(struct cubic_ref *r, double now, double rtt, double segs)
{
	if (!r->in_epoch) {
		r->in_epoch = true;
		r->epoch = now;
		r->k = r->w < r->w_max ? cbrt((r->w_max - r->w) / 0.4) : 0;
		if (r->w >= r->w_max)
			r->w_max = r->w;
		r->w_est = r->w;
	}
	double t = now - r->epoch;
	double target = ref_cubic(r, t + rtt);
	if (target < r->w) target = r->w;
	if (target > 1.5 * r->w) target = 1.5 * r->w;
	double alpha = r->w_est >= r->prior ? 1 : 3 * (1 - 0.7) / (1 + 0.7);
	r->w_est += alpha * segs / r->w;
	if (ref_cubic(r, t) < r->w_est)
		r->w = MAX(r->w, r->w_est);
	else
		r->w += (target - r->w) / r->w * segs;
}

/* A TCB on its own, driven by calling its operations: in congestion
 * avoidance with `w` segments of 1,000 bytes, all of them in flight. */
struct cubic_bench {
	struct testnet tn;
	struct tcb t;
	struct cubic_ref ref;
};

static void bench_init(struct cubic_bench *b, double w, usec_t srtt)
{
	struct config cfg = testnet_config();
	memset(b, 0, sizeof *b);
	testnet_init(&b->tn, &cfg);
	loop_run_for(&b->tn.loop, SEC(1));         /* the clock is not at zero */
	b->t.host = b->tn.host;
	b->t.snd_mss = MSS;
	b->t.cc = &tcp_cc_cubic;
	b->t.cc->init(&b->t);
	b->t.srtt = srtt;
	b->t.cwnd = (uint32_t)(w * MSS);
	b->t.ssthresh = b->t.cwnd / 2;
	b->t.snd_una = 1;
	b->t.snd_nxt = 1 + b->t.cwnd;
	b->ref.w = w;
}

/* A loss found by three duplicates with the whole window in flight, and
 * the full ACK that ends its recovery. */
static void bench_loss(struct cubic_bench *b)
{
	struct tcb *t = &b->t;
	t->snd_nxt = t->snd_una + t->cwnd;
	ref_reduce(&b->ref, t->cwnd / (double)MSS);
	t->dupacks = 3;
	t->flags |= TF_IN_RECOVERY;
	t->cc->on_loss(t);
	CU_ASSERT_EQUAL(t->ssthresh, (uint32_t)(b->ref.w * MSS));
	t->dupacks = 0;
	t->flags &= ~(unsigned)TF_IN_RECOVERY;
	t->snd_una = t->snd_nxt - t->ssthresh;     /* what is left in flight: ssthresh */
	t->cc->on_recovery_end(t);
	CU_ASSERT_EQUAL(t->cwnd, t->ssthresh);
}

/* ACKs of one segment each, spaced so that a window is acknowledged per
 * round trip, for `seconds`; the stack's window is compared with the
 * reference at every ACK.  Returns the worst difference in bytes. */
static double bench_run(struct cubic_bench *b, double seconds, double rtt)
{
	struct tcb *t = &b->t;
	double worst = 0;
	usec_t end = loop_now(&b->tn.loop) + (usec_t)(seconds * 1e6);
	while (loop_now(&b->tn.loop) < end) {
		usec_t gap = (usec_t)(rtt * 1e6 / (t->cwnd / (double)MSS));
		loop_run_for(&b->tn.loop, MAX(gap, 1));
		t->snd_una += MSS;
		t->snd_nxt = t->snd_una + t->cwnd;     /* the window stays full */
		t->cc->on_ack(t, MSS);
		ref_ack(&b->ref, (double)loop_now(&b->tn.loop) / 1e6, rtt, 1.0);
		worst = MAX(worst, fabs(t->cwnd - b->ref.w * MSS));
	}
	return worst;
}

/* proves: RFC9438-4.2 RFC9438-4.4 RFC9438-4.5 RFC9438-4.6b RFC9438-5.1 */
static void cubic_follows_rfc_9438_from_a_loss_through_k_and_beyond(void)
{
	LEAK_CHECK_BEGIN;
	struct cubic_bench b;
	bench_init(&b, 100, MSEC(100));
	bench_loss(&b);                            /* W_max 100, cwnd 70 */
	CU_ASSERT_EQUAL(b.t.cwnd, 70 * MSS);
	double k = cbrt(30 / 0.4);                 /* 4.22 s */
	CU_ASSERT_TRUE(bench_run(&b, k / 2, 0.1) <= 2);
	/* concave: halfway to K, more than halfway back to W_max */
	double mid = b.t.cwnd / (double)MSS;
	CU_ASSERT_TRUE(mid > 85 && mid < 100);
	CU_ASSERT_TRUE(bench_run(&b, k / 2, 0.1) <= 2);
	double at_k = b.t.cwnd / (double)MSS;
	CU_ASSERT_TRUE(fabs(at_k - 100) < 1.5);    /* at K, back at W_max (target is an RTT ahead) */
	CU_ASSERT_TRUE(bench_run(&b, 1.0, 0.1) <= 2);
	double plateau = b.t.cwnd / (double)MSS;
	CU_ASSERT_TRUE(plateau - at_k < 1.0);      /* flat near W_max */
	CU_ASSERT_TRUE(bench_run(&b, 2.0, 0.1) <= 2);
	CU_ASSERT_TRUE(b.t.cwnd / (double)MSS - plateau > 2.0);  /* then convex: probing beyond */
	testnet_free(&b.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9438-4.3 RFC9438-4.3b */
static void cubic_grows_like_reno_where_the_curve_is_slower(void)
{
	LEAK_CHECK_BEGIN;
	struct cubic_bench b;
	bench_init(&b, 10, MSEC(1));               /* a small window, a short path */
	bench_loss(&b);
	CU_ASSERT_TRUE(bench_run(&b, 0.02, 0.001) <= 2);       /* 20 round trips */
	double w = b.t.cwnd / (double)MSS;
	/* the Reno-friendly estimate: 7 segments, 3(1 - 0.7)/(1 + 0.7) per round
	 * trip up to the window before the loss, then one per round trip */
	double alpha = 0.9 / 1.7, to_prior = (10 - 7) / alpha;
	double expect = 10 + (20 - to_prior);
	CU_ASSERT_TRUE(fabs(w - expect) < 1.0);
	CU_ASSERT_TRUE(w > 0.4 * pow(0.02 - cbrt(3 / 0.4), 3) + 10);   /* above the curve */
	testnet_free(&b.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9438-4.7 */
static void cubic_fast_convergence_remembers_a_lower_maximum(void)
{
	LEAK_CHECK_BEGIN;
	struct cubic_bench b;
	bench_init(&b, 1000, MSEC(100));           /* large: the curve, not Reno, leads */
	bench_loss(&b);                            /* W_max 1,000 */
	CU_ASSERT_TRUE(bench_run(&b, 3.0, 0.1) <= 2);
	double w = b.t.cwnd / (double)MSS;
	CU_ASSERT_TRUE(w < 1000);
	bench_loss(&b);                            /* below W_max: W_max = w (1 + 0.7) / 2 */
	double w_max = w * 1.7 / 2, start = b.t.cwnd / (double)MSS;
	CU_ASSERT_TRUE(fabs(start - 0.7 * w) < 0.01);
	double k = cbrt((w_max - start) / 0.4);
	CU_ASSERT_TRUE(bench_run(&b, k, 0.1) <= 2);
	CU_ASSERT_TRUE(fabs(b.t.cwnd / (double)MSS - w_max) < w_max * 0.01);
	CU_ASSERT_TRUE(b.t.cwnd / (double)MSS < w - 50);   /* well below the old maximum */
	testnet_free(&b.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9438-4.6 RFC9438-4.8 */
static void cubic_reduces_by_beta_and_restarts_the_curve_after_a_timeout(void)
{
	LEAK_CHECK_BEGIN;
	struct cubic_bench b;
	bench_init(&b, 40, MSEC(100));
	b.t.snd_nxt = b.t.snd_una + b.t.cwnd;
	b.t.rtx_count = 1;
	b.t.cc->on_rto(&b.t);
	CU_ASSERT_EQUAL(b.t.cwnd, MSS);
	CU_ASSERT_EQUAL(b.t.ssthresh, 28 * MSS);   /* 0.7, not Reno's 0.5 */
	testnet_free(&b.tn);
	LEAK_CHECK_END;
}

/* ---- conformance (Appendix C) ------------------------------------------------------ */

/* proves: RFC9438-4.2b */
static void cubic_leaves_application_limited_time_out_of_the_curve(void)
{
	LEAK_CHECK_BEGIN;
	struct cubic_bench a, b;
	bench_init(&a, 100, MSEC(100));
	bench_init(&b, 100, MSEC(100));
	bench_loss(&a);
	bench_loss(&b);
	bench_run(&a, 1.0, 0.1);
	bench_run(&b, 1.0, 0.1);
	uint32_t before = b.t.cwnd;
	/* b: two seconds in which the application keeps one segment in flight */
	for (int i = 0; i < 20; i++) {
		loop_run_for(&b.tn.loop, MSEC(100));
		b.t.snd_una += MSS;
		b.t.snd_nxt = b.t.snd_una + MSS;
		b.t.cc->on_ack(&b.t, MSS);
	}
	CU_ASSERT_EQUAL(b.t.cwnd, before);          /* no growth while limited */
	/* then both fill the window for a second: b's curve took up where it was */
	bench_run(&a, 1.0, 0.1);
	bench_run(&b, 1.0, 0.1);
	CU_ASSERT_TRUE(fabs((double)b.t.cwnd - a.t.cwnd) < MSS);
	testnet_free(&a.tn);
	testnet_free(&b.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9438-4.10 */
static void cubic_slow_starts_below_ssthresh(void)
{
	LEAK_CHECK_BEGIN;
	struct cubic_bench b;
	bench_init(&b, 10, MSEC(100));
	b.t.ssthresh = 40 * MSS;
	for (int i = 0; i < 10; i++) {
		loop_run_for(&b.tn.loop, MSEC(10));
		b.t.snd_una += MSS;
		b.t.snd_nxt = b.t.snd_una + b.t.cwnd;
		b.t.cc->on_ack(&b.t, MSS);
	}
	CU_ASSERT_EQUAL(b.t.cwnd, 20 * MSS);       /* one segment for each segment acknowledged */
	testnet_free(&b.tn);
	LEAK_CHECK_END;
}


/* Ten segments, the first lost: three duplicates begin recovery with
 * ssthresh 5,000; five more inflate the window and send new data. */
static void recovery_from_a_first_loss(struct peer *c, struct config *cfg)
{
	open_with(c, cfg, 40 * MSS);
	CU_ASSERT_EQUAL(sent_segments(c, NULL, NULL), 10);
	for (int d = 0; d < 8; d++)
		ack_to(c, 1);
	CU_ASSERT_TRUE(c->t->flags & TF_IN_RECOVERY);
	CU_ASSERT_EQUAL(c->t->ssthresh, 5 * MSS);
	sent_segments(c, NULL, NULL);
}

/* The first of ten segments is lost; the nine others and the two that
 * limited transmit sends bring eleven duplicates, the round trip after
 * the loss. From the third (when the loss is found, with twelve
 * segments out) to the last, the sender sends at most six: half. */
/* proves: RFC5681-4.3b */
static void repair_sends_at_most_half_the_outstanding_segments_a_round_trip(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	open_with(&c, &cfg, 40 * MSS);
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 10);
	ack_to(&c, 1);
	ack_to(&c, 1);
	CU_ASSERT_EQUAL(sent_segments(&c, NULL, NULL), 2);      /* limited transmit */
	uint32_t outstanding = flight(&c) / MSS;
	int sent = 0;
	for (int d = 3; d <= 11; d++) {
		ack_to(&c, 1);
		sent += sent_segments(&c, NULL, NULL);
	}
	CU_ASSERT_EQUAL(outstanding, 12);
	CU_ASSERT_TRUE(sent >= 1 && (uint32_t)sent <= outstanding / 2);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* RFC 5681 §4.3: a loss in the window after a repaired one, or the loss of
 * a retransmission, is a second sign of congestion, and the window is
 * lowered a second time. */
/* proves: RFC5681-4.3c */
static void a_loss_in_the_next_window_lowers_the_window_again(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	recovery_from_a_first_loss(&c, &cfg);
	ack_to(&c, 1 + 12 * MSS);                  /* the full ACK: recovery ends */
	CU_ASSERT_FALSE(c.t->flags & TF_IN_RECOVERY);
	ack_to(&c, 1 + 14 * MSS);
	uint32_t before = c.t->cwnd;
	sent_segments(&c, NULL, NULL);
	for (int d = 0; d < 3; d++)                /* the next segment is lost */
		ack_to(&c, 1 + 14 * MSS);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fast_retransmits, 2);
	CU_ASSERT_TRUE(c.t->ssthresh < 5 * MSS);
	CU_ASSERT_TRUE(c.t->ssthresh <= before / 2 + MSS);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC5681-4.3d */
static void a_lost_retransmission_lowers_the_window_again(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	recovery_from_a_first_loss(&c, &cfg);
	next_timeout(&c);                          /* the retransmission was lost too */
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rto_fired, 1);
	CU_ASSERT_EQUAL(c.t->cwnd, MSS);
	CU_ASSERT_EQUAL(c.t->ssthresh, 5 * MSS / 2);   /* recovery's 5,000, halved again */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- the table --------------------------------------------------------------------- */

static void the_algorithm_is_chosen_per_connection_by_name(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	CU_ASSERT_PTR_EQUAL(cfg.cc, &tcp_cc_newreno);          /* the default */
	struct peer c;
	peer_open(&c, &cfg, 60000, MSS);
	CU_ASSERT_EQUAL(tcp_set_congestion(c.t, "vegas"), -ENOENT);
	CU_ASSERT_EQUAL(tcp_set_congestion(c.t, "cubic"), 0);
	CU_ASSERT_PTR_EQUAL(c.t->cc, &tcp_cc_cubic);
	CU_ASSERT_EQUAL(c.t->cwnd, 10 * MSS);
	static uint8_t data[MSS];
	tcp_send(c.t, data, sizeof data);
	CU_ASSERT_EQUAL(tcp_set_congestion(c.t, "reno"), -EBUSY);   /* data has gone */
	CU_ASSERT_PTR_EQUAL(tcp_cc_find("newreno"), &tcp_cc_newreno);
	CU_ASSERT_PTR_EQUAL(tcp_cc_find("reno"), &tcp_cc_reno);
	CU_ASSERT_PTR_EQUAL(tcp_cc_find("none"), &tcp_cc_none);
	int err;
	struct tcb *l = tcp_listen(c.tn.host, 7, 4, NULL, NULL, &err);
	CU_ASSERT_EQUAL(tcp_set_congestion(l, "cubic"), -EINVAL);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* An algorithm of our own, in the test: a fixed window of three segments. */
static void fixed_init(struct tcb *t)
{
	t->cwnd = 3 * t->snd_mss;
	t->ssthresh = TCP_INFINITE_SSTHRESH;
}

static const struct tcp_cc_ops tcp_cc_fixed = { .name = "fixed", .init = fixed_init };

static void a_new_algorithm_is_one_table(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.cc = &tcp_cc_fixed;
	struct peer c;
	open_with(&c, &cfg, 20 * MSS);
	int n[3];
	run_rounds(&c, 1, n, 3);
	CU_ASSERT_EQUAL(n[0], 3);
	CU_ASSERT_EQUAL(n[1], 3);
	CU_ASSERT_EQUAL(n[2], 3);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- a bottleneck ------------------------------------------------------------------ */

static double number_after(const char *out, const char *key)
{
	const char *p = strstr(out, key);
	return p ? strtod(p + strlen(key), NULL) : -1;
}

static void one_flow_draws_the_sawtooth_and_fills_the_bottleneck(void)
{
	static char out[4096];
	char trace[] = "/tmp/tl-bottleneck-XXXXXX";
	int fd = mkstemp(trace);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("bottleneck", "--trace", trace), out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "byte-exact"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 connections left"));
	CU_ASSERT_TRUE(number_after(out, "goodput ") > 90);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " 0 retransmission timeouts"));
	/* the sawtooth, after the first slow start: each loss sets ssthresh to
	 * about half of the most the path holds (17 packets in flight on the
	 * link, 30 in the queue: 48 segments of 1,460 bytes) and enters
	 * recovery at ssthresh + 3 SMSS; between losses the flight climbs back */
	FILE *f = fopen(trace, "r");
	CU_ASSERT_TRUE_FATAL(f != NULL);
	const unsigned smss = CHAPTER >= 10 ? 1448 : 1460;   /* less the timestamps, from chapter 10 */
	char tag[16];
	double t;
	unsigned flow, cwnd, ss, fl, prev_ss = 0, peak = 0, low = UINT32_MAX;
	int changes = 0, bad_ssthresh = 0;
	char line[256];
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%15s %lf %u %u %u %u", tag, &t, &flow, &cwnd, &ss, &fl) != 6 ||
		    strcmp(tag, "cwnd") != 0 || t < 5)
			continue;
		if (ss != prev_ss) {
			changes++;
			prev_ss = ss;
		}
		bad_ssthresh += ss < 0.4 * 48 * smss || ss > 0.6 * 48 * smss;
		peak = MAX(peak, fl);
		low = MIN(low, fl);
	}
	fclose(f);
	unlink(trace);
	CU_ASSERT_TRUE(number_after(out, "a: ") >= 10);       /* a reduction every second or so */
	CU_ASSERT_EQUAL(bad_ssthresh, 0);
	CU_ASSERT_TRUE(changes >= 1);
	CU_ASSERT_TRUE(peak >= 44 * smss);
	CU_ASSERT_TRUE(low < 30 * smss);
}

static void two_flows_share_the_bottleneck_fairly(void)
{
	static char out[4096];
	/* two CUBIC flows (the slower to converge; NewReno's are in the book's
	 * figure): one run keeps the suites quick under the sanitizers */
	const char *ccs[] = { "cubic" };
	for (size_t i = 0; i < ARRAY_LEN(ccs); i++) {
		CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("bottleneck", "--count", "2", "--cc", ccs[i]),
					    out, sizeof out), 0);
		CU_ASSERT_TRUE(number_after(out, "Jain's fairness index while all ran: ") >= 0.9);
		CU_ASSERT_TRUE(number_after(out, "goodput ") > 90);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 connections left"));
		CU_ASSERT_PTR_NULL(strstr(out, "WRONG"));
	}
}

void register_ch08(void)
{
	static const struct test_entry growth[] = {
		TEST(first_flight_is_the_initial_window_of_rfc_6928_or_the_setting),
		TEST(slow_start_counts_bytes_acked_at_most_two_segments_per_ack),
		TEST(slow_start_doubles_the_flight_each_round_trip),
		TEST(congestion_avoidance_adds_one_segment_per_window_acknowledged),
		TEST(an_application_limited_window_does_not_grow),
	};
	static const struct test_entry loss[] = {
		TEST(three_duplicates_halve_the_flight_inflate_and_deflate),
		TEST(without_limited_transmit_the_first_two_duplicates_send_nothing),
		TEST(newreno_resends_at_a_partial_ack_and_reduces_once),
		TEST(reno_leaves_recovery_at_a_partial_ack_and_waits_for_the_timer),
		TEST(timeout_sets_the_loss_window_and_slow_starts_with_one_segment_per_ack),
		TEST(restart_after_idle_sends_no_more_than_the_initial_window),
		TEST(duplicates_that_echo_the_last_recovery_start_no_new_one),
	};
	static const struct test_entry cubic[] = {
		TEST(cubic_follows_rfc_9438_from_a_loss_through_k_and_beyond),
		TEST(cubic_grows_like_reno_where_the_curve_is_slower),
		TEST(cubic_fast_convergence_remembers_a_lower_maximum),
		TEST(cubic_reduces_by_beta_and_restarts_the_curve_after_a_timeout),
	};
	static const struct test_entry conformance[] = {
		TEST(cubic_leaves_application_limited_time_out_of_the_curve),
		TEST(cubic_slow_starts_below_ssthresh),
		TEST(repair_sends_at_most_half_the_outstanding_segments_a_round_trip),
		TEST(a_loss_in_the_next_window_lowers_the_window_again),
		TEST(a_lost_retransmission_lowers_the_window_again),
	};
	static const struct test_entry table[] = {
		TEST(the_algorithm_is_chosen_per_connection_by_name),
		TEST(a_new_algorithm_is_one_table),
	};
	static const struct test_entry bottleneck[] = {
		TEST(one_flow_draws_the_sawtooth_and_fills_the_bottleneck),
		TEST(two_flows_share_the_bottleneck_fairly),
	};
	add_suite("ch08 slow start and avoidance", growth, ARRAY_LEN(growth));
	add_suite("ch08 loss, recovery, timeouts", loss, ARRAY_LEN(loss));
	add_suite("ch08 CUBIC", cubic, ARRAY_LEN(cubic));
	add_suite("ch08 one table of algorithms", table, ARRAY_LEN(table));
	add_suite("ch08 a bottleneck", bottleneck, ARRAY_LEN(bottleneck));
	add_suite("ch08 conformance (Appendix C)", conformance, ARRAY_LEN(conformance));
}
