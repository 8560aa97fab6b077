/* Chapter 6, reliable delivery: RTO per RFC 6298 with Karn's rule and
 * backoff, fast retransmit, delayed ACK, reassembly in every order,
 * overlaps, FIN beyond a gap, the peer's window, the sequence wrap, and a
 * simulator matrix of transfers through loss, reordering, duplication and
 * corruption, checked byte for byte. */
#include "testutil.h"
#include "ipv4.h"
#include "tcp_var.h"
#include "simlink.h"
#include "sha256.h"
#include "xfer.h"
#include "apps.h"
#include <errno.h>

#define US   ADDR(10, 0, 0, 2)
#define PEER ADDR(10, 0, 0, 1)
#define PISS 9000u                 /* the scripted peer's ISN (tests/util_ch04.c) */


/* ---- RTT and RTO ------------------------------------------------------ */

/* proves: RFC6298-2.1 RFC6298-2.2 RFC6298-2.3 RFC6298-2.4 */
static void rto_follows_rfc6298_for_100_100_300_100_ms(void)
{
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct tcb *t = tcb_create(tn.host, US, 1, PEER, 2);
	/* RFC 6298 section 2 by hand, in milliseconds */
	const double r[4] = { 100, 100, 300, 100 };
	double srtt = 0, rttvar = 0;
	for (int i = 0; i < 4; i++) {
		if (i == 0) {
			srtt = r[0];
			rttvar = r[0] / 2;
		} else {
			rttvar = 0.75 * rttvar + 0.25 * (srtt > r[i] ? srtt - r[i] : r[i] - srtt);
			srtt = 0.875 * srtt + 0.125 * r[i];
		}
		tn.host->cfg.rto_min = 0;
		tcp_rtt_sample(t, MSEC(r[i]));
		double rto = srtt + (4 * rttvar > 1 ? 4 * rttvar : 1);
		CU_ASSERT_DOUBLE_EQUAL((double)t->srtt / 1000, srtt, 0.002);
		CU_ASSERT_DOUBLE_EQUAL((double)t->rttvar / 1000, rttvar, 0.002);
		CU_ASSERT_DOUBLE_EQUAL((double)t->rto / 1000, rto, 0.01);
	}
	/* the expected values, spelled out: 300, 250, 437.5, 381.25 ms */
	CU_ASSERT_DOUBLE_EQUAL((double)t->rto / 1000, 381.25, 0.01);
	/* never below the minimum setting (1 s by default) */
	tn.host->cfg.rto_min = SEC(1);
	tcp_rtt_sample(t, MSEC(100));
	CU_ASSERT_EQUAL(t->rto, SEC(1));
	testnet_free(&tn);
}

/* proves: RFC9293-MUST-18 RFC6298-3 */
static void retransmitted_segment_gives_no_rtt_sample(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	tcp_send(c.t, "abcdef", 6);
	testnet_drain(&c.tn);                     /* the segment is lost */
	loop_run_for(&c.tn.loop, SEC(1));         /* RTO: retransmitted */
	struct captured s;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.len, 6);
	loop_run_for(&c.tn.loop, MSEC(30));
	uint64_t samples = c.tn.host->stats.tcp.rtt_samples;
	peer_send(&c, SEG(.seq = 1, .ack = 7, .flags = TH_ACK));
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rtt_samples, samples);   /* Karn */
	CU_ASSERT_EQUAL(c.t->srtt, 0);
	/* a segment that was not retransmitted gives one: 40 ms */
	tcp_send(c.t, "ghi", 3);
	testnet_drain(&c.tn);
	loop_run_for(&c.tn.loop, MSEC(40));
	peer_send(&c, SEG(.seq = 1, .ack = 10, .flags = TH_ACK));
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rtt_samples, samples + 1);
	CU_ASSERT_EQUAL(c.t->srtt, MSEC(40));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-18 */
static void backed_off_rto_is_kept_until_a_fresh_sample(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rto_min = MSEC(200);
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	tcp_send(c.t, "a", 1);
	testnet_drain(&c.tn);
	loop_run_for(&c.tn.loop, MSEC(40));
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_ACK));          /* sample: 40 ms */
	CU_ASSERT_EQUAL(c.t->rto, MSEC(200));             /* 40 + 4 * 20, at the floor */
	tcp_send(c.t, "b", 1);
	testnet_drain(&c.tn);                            /* lost */
	loop_run_for(&c.tn.loop, MSEC(200));             /* RTO: resent, doubled */
	testnet_drain(&c.tn);
	CU_ASSERT_EQUAL(c.t->rto, MSEC(400));
	peer_send(&c, SEG(.seq = 1, .ack = 3, .flags = TH_ACK));          /* acks the retransmission */
	CU_ASSERT_EQUAL(c.t->rto, MSEC(400));             /* Karn: kept */
	tcp_send(c.t, "c", 1);
	testnet_drain(&c.tn);
	loop_run_for(&c.tn.loop, MSEC(40));
	peer_send(&c, SEG(.seq = 1, .ack = 4, .flags = TH_ACK));          /* a fresh sample */
	CU_ASSERT_EQUAL(c.t->rto, MSEC(200));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void zero_window_still_takes_the_ack_of_a_data_segment(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rcvbuf = 1000;
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	static uint8_t fill[1000];
	memset(fill, 'f', sizeof fill);
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, .data = fill, .len = sizeof fill)); /* our window is now 0 */
	CU_ASSERT_EQUAL(c.t->rcv_wnd, 0);
	tcp_send(c.t, "ours", 4);
	testnet_drain(&c.tn);
	/* more data (unacceptable) carrying the ACK of ours */
	peer_send(&c, SEG(.seq = 1001, .ack = 5, .flags = TH_ACK, .data = "more", .len = 4));
	CU_ASSERT_EQUAL(c.t->snd_una, c.iss + 5);         /* the ACK counted */
	CU_ASSERT_EQUAL(c.t->rcv_nxt, PISS + 1001);       /* the data did not */
	struct captured s;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.wnd, 0);
	CU_ASSERT_EQUAL(s.seg.ack, PISS + 1001);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-19 RFC9293-MUST-20 RFC9293-MUST-21 RFC6298-5.5 RFC6298-5 */
static void rto_doubles_to_the_maximum_then_the_connection_times_out(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.retries2 = 8;
	cfg.rto_max = SEC(30);
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	tcp_send(c.t, "x", 1);
	testnet_drain(&c.tn);
	usec_t at = loop_now(&c.tn.loop), rto = SEC(1);
	for (int i = 0; i < 8; i++) {
		at += rto;
		loop_run_until(&c.tn.loop, at - 1);
		struct captured s;
		CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
		loop_run_until(&c.tn.loop, at);
		CU_ASSERT_TRUE(testnet_pop_segment(&c.tn, &s));
		rto = MIN(2 * rto, SEC(30));
	}
	/* 1 + 2 + 4 + 8 + 16 + 30 + 30 + 30 s, then one more wait of 30 s */
	CU_ASSERT_EQUAL(c.app.errors, 0);
	loop_run_until(&c.tn.loop, at + SEC(30));
	CU_ASSERT_EQUAL(c.app.errors, 1);
	CU_ASSERT_EQUAL(c.app.last_error, ETIMEDOUT);
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC5681-3.2b */
static void three_duplicate_acks_resend_the_first_unacked_segment_at_once(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	static uint8_t data[5 * 1460];
	memset(data, 'd', sizeof data);
	tcp_send(c.t, data, sizeof data);
	testnet_drain(&c.tn);                        /* five segments sent */
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 1460, .flags = TH_ACK));   /* the first arrived */
	struct captured s;
	for (int dup = 1; dup <= 3; dup++) {
		peer_send(&c, SEG(.seq = 1, .ack = 1 + 1460, .flags = TH_ACK));
		bool sent = testnet_pop_segment(&c.tn, &s);
		CU_ASSERT_EQUAL(sent, dup == 3);          /* after exactly three */
	}
	CU_ASSERT_EQUAL(s.seg.seq, c.iss + 1 + 1460);
	CU_ASSERT_EQUAL(s.seg.len, 1460);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fast_retransmits, 1);
	/* a fourth duplicate does not retransmit again */
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 1460, .flags = TH_ACK));
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
	/* a partial ACK resends the next hole at once */
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 2 * 1460, .flags = TH_ACK));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.seq, c.iss + 1 + 2 * 1460);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* A timeout presumes the whole flight lost: every segment in it is sent
 * again at once, in order, as far as the window allows. */
/* proves: RFC9293-SHLD-16 */
static void timeout_resends_the_whole_flight(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.cc = &tcp_cc_none;       /* no congestion window (chapter 8 paces this) */
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	static uint8_t data[5 * 1460];
	memset(data, 'd', sizeof data);
	tcp_send(c.t, data, sizeof data);
	testnet_drain(&c.tn);                        /* the flight is lost */
	loop_run_for(&c.tn.loop, SEC(1));            /* the timer expires */
	struct captured s;
	for (int k = 0; k < 5; k++) {
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
		CU_ASSERT_EQUAL(s.seg.seq, c.iss + 1 + (uint32_t)k * 1460);
		CU_ASSERT_EQUAL(s.seg.len, 1460);
	}
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(c.t->rto, SEC(2));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Five segments lost, a timeout (the whole flight resent, the timeout
 * doubled), then the peer: acknowledges the first (it held none of the
 * others yet); gets the second by the partial ACK's retransmission and
 * acknowledges everything 20 ms later, with `late` extra delay. */
static struct peer *backoff_episode(struct peer *c, usec_t late)
{
	struct config cfg = testnet_config();
	cfg.rto_min = MSEC(200);
	peer_open(c, &cfg, 60000, 1460);
	tcp_send(c->t, "a", 1);
	testnet_drain(&c->tn);
	loop_run_for(&c->tn.loop, MSEC(40));
	peer_send(c, SEG(.seq = 1, .ack = 2, .flags = TH_ACK));              /* sample: 40 ms */
	CU_ASSERT_EQUAL(c->t->rto, MSEC(200));
	static uint8_t data[5 * 1460];
	memset(data, 'd', sizeof data);
	tcp_send(c->t, data, sizeof data);
	testnet_drain(&c->tn);                               /* lost */
	loop_run_for(&c->tn.loop, MSEC(200));                /* resent, 400 ms */
	testnet_drain(&c->tn);
	CU_ASSERT_EQUAL(c->t->rto, MSEC(400));
	loop_run_for(&c->tn.loop, MSEC(20));
	peer_send(c, SEG(.seq = 1, .ack = 2 + 1460, .flags = TH_ACK));        /* only the first */
	CU_ASSERT_EQUAL(c->t->rto, MSEC(400));                /* says nothing yet */
	struct captured s;
	CU_ASSERT_TRUE(testnet_pop_segment(&c->tn, &s));     /* the second, again */
	CU_ASSERT_EQUAL(s.seg.seq, c->iss + 2 + 1460);
	loop_run_for(&c->tn.loop, MSEC(20) + late);
	peer_send(c, SEG(.seq = 1, .ack = 2 + 5 * 1460, .flags = TH_ACK));    /* all of it */
	return c;
}

static void backoff_ends_when_a_retransmission_is_answered_promptly_beyond_itself(void)
{
	LEAK_CHECK_BEGIN;
	struct peer c;
	backoff_episode(&c, 0);
	CU_ASSERT_FALSE((c.t->flags & TF_BACKED_OFF));
	CU_ASSERT_EQUAL(c.t->rto, MSEC(200));                 /* the estimate again */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void late_answer_to_a_retransmission_keeps_the_backoff(void)
{
	LEAK_CHECK_BEGIN;
	struct peer c;
	backoff_episode(&c, MSEC(300));          /* 320 ms: beyond the 200 ms estimate */
	CU_ASSERT_TRUE((c.t->flags & TF_BACKED_OFF));
	CU_ASSERT_EQUAL(c.t->rto, MSEC(400));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-SHLD-15 */
static void peers_window_is_never_exceeded(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 3000, 1000);     /* whole segments: no silly window (chapter 7) */
	static uint8_t data[20000];
	memset(data, 'w', sizeof data);
	tcp_send(c.t, data, sizeof data);
	size_t sent = 0;
	struct captured s;
	while (testnet_pop_segment(&c.tn, &s))
		sent += s.seg.len;
	CU_ASSERT_EQUAL(sent, 3000);
	CU_ASSERT_EQUAL(c.t->snd_nxt - c.t->snd_una, 3000);
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 1000, .flags = TH_ACK, .wnd = 3000));   /* 1000 acked: 1000 more */
	sent = 0;
	while (testnet_pop_segment(&c.tn, &s))
		sent += s.seg.len;
	CU_ASSERT_EQUAL(sent, 1000);
	CU_ASSERT_EQUAL(c.t->snd_nxt - c.t->snd_una, 3000);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- the receiver ------------------------------------------------------ */

/* proves: RFC9293-MUST-58 RFC9293-SHLD-18 RFC9293-MUST-40 RFC9293-SHLD-19 RFC5681-4.2 */
static void one_segment_is_acked_after_the_delay_two_at_once(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	static uint8_t seg[1460];
	memset(seg, 's', sizeof seg);
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, .data = seg, .len = sizeof seg));
	struct captured s;
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
	usec_t at = loop_now(&c.tn.loop);
	loop_run_until(&c.tn.loop, at + MSEC(200) - 1);
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
	loop_run_until(&c.tn.loop, at + MSEC(200));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.ack, PISS + 1461);
	/* two full segments: the second is acknowledged at once */
	peer_send(&c, SEG(.seq = 1461, .ack = 1, .flags = TH_ACK, .data = seg, .len = sizeof seg));
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
	peer_send(&c, SEG(.seq = 2921, .ack = 1, .flags = TH_ACK, .data = seg, .len = sizeof seg));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.ack, PISS + 4381);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void out_of_order_segment_draws_an_immediate_duplicate_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	peer_send(&c, SEG(.seq = 101, .ack = 1, .flags = TH_ACK, .data = "later", .len = 5));
	struct captured s;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.ack, PISS + 1);          /* still expecting byte 1 */
	CU_ASSERT_EQUAL(c.t->ooo_count, 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Deliver five 100-byte segments (the last with FIN) in the given order
 * and read everything back. */
static bool five_in_order(const int order[5], bool with_dups)
{
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	uint8_t data[500];
	for (int i = 0; i < 500; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (int k = 0; k < 5; k++) {
		int i = order[k];
		uint8_t fl = TH_ACK | (i == 4 ? TH_FIN : 0);
		peer_send(&c, SEG(.seq = 1 + 100 * (uint32_t)i, .ack = 1, .flags = fl, .data = data + 100 * i, .len = 100));
		if (with_dups)
			peer_send(&c, SEG(.seq = 1 + 100 * (uint32_t)i, .ack = 1, .flags = fl, .data = data + 100 * i, .len = 100));
	}
	uint8_t got[600];
	size_t n = tcp_recv(c.t, got, sizeof got);
	bool ok = n == 500 && memcmp(got, data, 500) == 0 && tcp_eof(c.t) &&
		  c.t->ooo_count == 0 && c.t->state == TCP_CLOSE_WAIT;
	testnet_free(&c.tn);
	return ok;
}

/* proves: RFC9293-SHLD-31 RFC9293-MUST-59 */
static void every_order_of_five_segments_is_delivered_intact(void)
{
	LEAK_CHECK_BEGIN;
	int order[5] = { 0, 1, 2, 3, 4 }, bad = 0, count = 0;
	/* all 120 permutations, by Heap's algorithm */
	int cnt[5] = { 0 };
	bad += !five_in_order(order, false);
	count++;
	for (int i = 1; i < 5;) {
		if (cnt[i] < i) {
			int j = i % 2 ? cnt[i] : 0;
			int tmp = order[j];
			order[j] = order[i];
			order[i] = tmp;
			bad += !five_in_order(order, count % 7 == 0);
			count++;
			cnt[i]++;
			i = 1;
		} else {
			cnt[i++] = 0;
		}
	}
	CU_ASSERT_EQUAL(count, 120);
	CU_ASSERT_EQUAL(bad, 0);
	LEAK_CHECK_END;
}

static void overlapping_and_duplicate_segments_deliver_each_byte_once(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	char text[61];
	for (int i = 0; i < 60; i++)
		text[i] = (char)('A' + i % 26);
	text[60] = '\0';
	/* pieces that overlap every way, delivered out of order */
	const int piece[][2] = { { 40, 60 }, { 10, 25 }, { 20, 45 }, { 30, 35 },
				 { 50, 60 }, { 5, 15 }, { 0, 12 }, { 0, 60 } };
	for (size_t k = 0; k < ARRAY_LEN(piece); k++)
		peer_send(&c, SEG(.seq = 1 + (uint32_t)piece[k][0], .ack = 1, .flags = TH_ACK, .data = text + piece[k][0], .len = (size_t)(piece[k][1] - piece[k][0])));
	char got[100] = { 0 };
	size_t n = tcp_recv(c.t, got, sizeof got);
	CU_ASSERT_EQUAL(n, 60);
	CU_ASSERT_EQUAL(memcmp(got, text, 60), 0);
	CU_ASSERT_EQUAL(c.t->rcv_nxt, PISS + 61);
	CU_ASSERT_EQUAL(c.t->ooo_count, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void fin_beyond_a_gap_ends_the_stream_only_when_the_gap_fills(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	peer_send(&c, SEG(.seq = 6, .ack = 1, .flags = TH_ACK | TH_FIN, .data = "world", .len = 5));
	CU_ASSERT_FALSE(tcp_eof(c.t));
	CU_ASSERT_EQUAL(c.t->state, TCP_ESTABLISHED);
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, .data = "hello", .len = 5));
	CU_ASSERT_EQUAL(c.t->state, TCP_CLOSE_WAIT);
	char got[16] = { 0 };
	CU_ASSERT_EQUAL(tcp_recv(c.t, got, sizeof got), 10);
	CU_ASSERT_STRING_EQUAL(got, "helloworld");
	CU_ASSERT_TRUE(tcp_eof(c.t));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- two stacks over a simulated link --------------------------------------- */

/* Both ends send `size` bytes to each other at once, then close (the
 * exchange of src/xfer.c); true if each received exactly what the other
 * sent, both closed and every TCB went. */
static bool transfer(const struct impair_cfg *ic, size_t size, bool wrap, usec_t *took)
{
	struct xfer_cfg c;
	xfer_cfg_default(&c);
	c.link = *ic;
	c.seed = ic->seed;
	c.bytes = size;
	c.wrap = wrap;
	c.host.msl = SEC(1);
	c.host.rto_min = MSEC(200);
	struct xfer_result r;
	xfer_run(&c, &r);
	*took = r.took;
	if (wrap)
		CU_ASSERT_TRUE(r.iss > 0xffffffffu - 40000);
	if (r.outcome != XFER_EXACT)
		fprintf(stderr, "\n    transfer: %s: a got %zu (%zu bad), b got %zu (%zu bad), "
			"%zu TCBs left\n", xfer_outcome_names[r.outcome], r.got[0], r.bad[0],
			r.got[1], r.bad[1], r.left);
	return r.outcome == XFER_EXACT;
}

static void transfer_matrix_is_byte_exact(void)
{
	LEAK_CHECK_BEGIN;
	const double losses[] = { 0, 0.01, 0.05, 0.10, 0.20 };
	int runs = 0, good = 0;
	for (size_t li = 0; li < ARRAY_LEN(losses); li++) {
		for (uint64_t seed = 1; seed <= 2; seed++) {
			for (int mix = 0; mix < 2; mix++) {
				struct impair_cfg ic;
				impair_cfg_default(&ic);
				ic.delay = MSEC(10);
				ic.loss = losses[li];
				ic.seed = seed * 100 + li;
				ic.queue_limit = 10000;
				if (mix) {
					ic.reorder = 0.05;
					ic.reorder_gap = MSEC(3);
					ic.dup = 0.02;
					ic.corrupt = 0.01;
				}
				usec_t took;
				runs++;
				good += transfer(&ic, li <= 2 ? 1024 * 1024 : 256 * 1024,
						 false, &took);
			}
		}
	}
	CU_ASSERT_EQUAL(good, runs);
	LEAK_CHECK_END;
}

static void transfer_across_the_sequence_wrap_with_loss(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg ic;
	impair_cfg_default(&ic);
	ic.delay = MSEC(5);
	ic.loss = 0.03;
	ic.seed = 9;
	usec_t took;
	CU_ASSERT_TRUE(transfer(&ic, 512 * 1024, true, &took));
	LEAK_CHECK_END;
}

/* Seeds on which the soak found connections stuck at close before the
 * CLOSING rule of chapter 5 was fixed: the soak's link, default settings;
 * and, at 0% loss, receive buffers of 1,000 bytes. */
static void soak_seeds_that_hung_at_close_now_complete(void)
{
	LEAK_CHECK_BEGIN;
	const struct { double loss; uint64_t seed; size_t rcvbuf; } runs[] = {
		{ 0.01, 87, 0 }, { 0.01, 103, 0 }, { 0.01, 107, 0 },
		{ 0, 1, 1000 }, { 0, 2, 1000 }, { 0, 3, 1000 }, { 0, 4, 1000 },
	};
	for (size_t i = 0; i < ARRAY_LEN(runs); i++) {
		struct xfer_cfg c;
		xfer_cfg_default(&c);
		c.seed = runs[i].seed;
		c.link.loss = runs[i].loss;
		c.link.delay = MSEC(10);
		c.link.reorder = 0.05;
		c.link.reorder_gap = MSEC(3);
		c.link.dup = 0.02;
		c.link.corrupt = 0.01;
		if (runs[i].rcvbuf > 0)
			c.host.rcvbuf = runs[i].rcvbuf;
		struct xfer_result r;
		xfer_run(&c, &r);
		CU_ASSERT_EQUAL(r.outcome, XFER_EXACT);
		if (r.outcome != XFER_EXACT)
			fprintf(stderr, "\n    seed %llu at %g%% loss: %s\n",
				(unsigned long long)runs[i].seed, runs[i].loss * 100,
				xfer_outcome_names[r.outcome]);
	}
	LEAK_CHECK_END;
}

/* The timeout in force, sampled every step while a has data outstanding. */
struct rto_log {
	usec_t rto[20000];
	usec_t when[20000];
	size_t n;
};

static void log_rto(void *arg, const struct tcb *a, usec_t now)
{
	struct rto_log *log = arg;
	if (a != NULL && a->snd_una != a->snd_nxt && log->n < ARRAY_LEN(log->rto)) {
		log->rto[log->n] = a->rto;
		log->when[log->n++] = now;
	}
}

static int compare_usec(const void *x, const void *y)
{
	usec_t a = *(const usec_t *)x, b = *(const usec_t *)y;
	return a < b ? -1 : a > b;
}

/* At 20% loss each way, the timeout backs off during a loss episode but
 * comes back to the estimate when data sent once is acknowledged: no
 * stretch of more than a minute with it above 2 s, and a median of at
 * most 4 s (before the fix: 120 s, from the second minute on). */
static void rto_returns_to_the_estimate_once_new_data_is_acked_after_loss(void)
{
	LEAK_CHECK_BEGIN;
	static struct rto_log log;
	for (uint64_t seed = 1; seed <= 5; seed++) {
		struct xfer_cfg c;
		xfer_cfg_default(&c);
		c.seed = seed;
		c.link.loss = 0.20;
		c.link.delay = MSEC(10);
		c.bytes = 256 * 1024;
		c.host.cc = &tcp_cc_none;   /* this chapter's sender (chapter 8's backs off more) */
#if CHAPTER >= 9
		c.host.sack = false;        /* and its recovery (chapter 9's resends each hole once) */
#endif
		c.watch = log_rto;
		c.watch_arg = &log;
		log.n = 0;
		struct xfer_result r;
		xfer_run(&c, &r);
		CU_ASSERT_EQUAL(r.outcome, XFER_EXACT);
		usec_t longest = 0, since = 0;
		for (size_t i = 0; i < log.n; i++) {
			if (log.rto[i] <= SEC(2))
				since = 0;
			else if (since == 0)
				since = log.when[i];
			else
				longest = MAX(longest, log.when[i] - since);
		}
		CU_ASSERT_TRUE(longest <= SEC(60));
		CU_ASSERT_TRUE_FATAL(log.n > 0);
		qsort(log.rto, log.n, sizeof log.rto[0], compare_usec);
		CU_ASSERT_TRUE(log.rto[log.n / 2] <= SEC(4));
	}
	LEAK_CHECK_END;
}

/* ---- the applications: long work in slices ------------------------------ */

/* A handshake from the scripted peer's port to one of the host's;
 * returns the host's initial sequence number. */
static uint32_t peer_connects(struct testnet *tn, uint16_t sport, uint16_t dport)
{
	testnet_send(tn, SEG(.sport = sport, .dport = dport, .seq = PISS, .flags = TH_SYN, .wnd = 60000));
	struct captured s;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(tn, &s));
	CU_ASSERT_EQUAL_FATAL(s.seg.flags, TH_SYN | TH_ACK);
	testnet_send(tn, SEG(.sport = sport, .dport = dport, .seq = PISS + 1, .ack = s.seg.seq + 1, .flags = TH_ACK, .wnd = 60000));
	return s.seg.seq;
}

static bool sent_text_containing(struct testnet *tn, const char *what, char *copy, size_t cap)
{
	struct captured s;
	bool found = false;
	while (testnet_pop_segment(tn, &s)) {
		if (s.seg.len == 0 || s.seg.len >= cap)
			continue;
		memcpy(copy, s.seg.data, s.seg.len);
		copy[s.seg.len] = '\0';
		found = found || strstr(copy, what) != NULL;
	}
	return found;
}

/* One HEAD of a large generated body must not stall the stack while its
 * hash is computed: another connection is answered in between. */
static void a_long_hash_does_not_stall_another_connection(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.delack = 0;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	char err[128];
	CU_ASSERT_EQUAL_FATAL(app_start(tn.host, "http:80", err, sizeof err), 0);
	CU_ASSERT_EQUAL_FATAL(app_start(tn.host, "echo:7", err, sizeof err), 0);
	uint32_t iss_http = peer_connects(&tn, 40000, 80);
	uint32_t iss_echo = peer_connects(&tn, 40001, 7);
	testnet_drain(&tn);
	const unsigned long long n = 4 * 1024 * 1024 + 17;     /* not cached before */
	char req[64], text[2048];
	int len = snprintf(req, sizeof req, "HEAD /bytes/%llu HTTP/1.1\r\n\r\n", n);
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = PISS + 1, .ack = iss_http + 1, .flags = TH_ACK | TH_PSH, .wnd = 60000, .data = req, .len = (size_t)len));
	CU_ASSERT_FALSE(sent_text_containing(&tn, "HTTP/1.1 200", text, sizeof text));
	loop_run_for(&tn.loop, 1);                             /* one turn: one slice */
	testnet_send(&tn, SEG(.sport = 40001, .dport = 7, .seq = PISS + 1, .ack = iss_echo + 1, .flags = TH_ACK | TH_PSH, .wnd = 60000, .data = "ping\n", .len = 5));
	CU_ASSERT_TRUE(sent_text_containing(&tn, "ping", text, sizeof text));   /* echoed */
	loop_run_for(&tn.loop, MSEC(1));                       /* the rest of the slices */
	CU_ASSERT_TRUE_FATAL(sent_text_containing(&tn, "HTTP/1.1 200", text, sizeof text));
	/* and the hash is right */
	struct sha256 h;
	sha256_init(&h);
	for (unsigned long long i = 0; i < n; i++) {
		uint8_t b = (uint8_t)(i + i / 65536);
		sha256_update(&h, &b, 1);
	}
	uint8_t d[32];
	char hex[65];
	sha256_final(&h, d);
	sha256_hex(d, hex);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, hex));
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void sha256_matches_the_fips_examples(void)
{
	struct sha256 s;
	uint8_t d[32];
	char hex[65];
	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	sha256_final(&s, d);
	sha256_hex(d, hex);
	CU_ASSERT_STRING_EQUAL(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_init(&s);
	sha256_final(&s, d);
	sha256_hex(d, hex);
	CU_ASSERT_STRING_EQUAL(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_init(&s);
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	for (size_t i = 0; i < strlen(m); i++)
		sha256_update(&s, m + i, 1);          /* a byte at a time */
	sha256_final(&s, d);
	sha256_hex(d, hex);
	CU_ASSERT_STRING_EQUAL(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* ---- tcpstack's command line -------------------------------------------- */

#define STACK6(...) ARGS("--tun", "t0", "--addr", "10.0.0.2", __VA_ARGS__)

static void the_options_of_chapter_6_are_checked(void)
{
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK6("--serve", "http:70000"),
				     "tcpstack: --serve http:70000: the port must be a number from 1 to 65535"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK6("--serve", "http:0"),
				     "tcpstack: --serve http:0: the port must be a number from 1 to 65535"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK6("--serve", "http:80",
							"--http-root", "/nonexistent"),
				     "tcpstack: --http-root /nonexistent: No such file or directory"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK6("--serve", "http:80",
							"--http-root", "/dev/null"),
				     "--http-root /dev/null: not a directory"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK6("--serve", "echo:7", "--http-root", "/"),
				     "--http-root /: no http application to serve it: add --serve http:PORT"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK6("--connect", "send:lots@10.0.0.1:5000"),
				     "--connect send:lots@10.0.0.1:5000: expected send:BYTES@ADDR:PORT"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK6("--connect", "send:100@10.0.0.1:70000"),
				     "the port must be a number from 1 to 65535"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK6("--delack", "-1"),
				     "tcpstack: --delack -1: expected a whole number from 0 to 60000"));
}

static void help_lists_every_application_once(void)
{
	static char out[16384];
	CU_ASSERT_EQUAL(run_program("tcpstack", ARGS("--help"), out, sizeof out), 0);
	const char *const apps[] = { "hold", "hello", "count", "echo", "discard",
				     "chargen", "sink", "http" };
	const char *list = strstr(out, "--serve APP:PORT");
	for (size_t i = 0; i < ARRAY_LEN(apps); i++) {
		char line[32];
		snprintf(line, sizeof line, "  %-8s ", apps[i]);
		const char *at = strstr(out, line);
		CU_ASSERT_TRUE(at != NULL && list != NULL && at > list);
		CU_ASSERT_TRUE(at != NULL && strstr(at + 1, line) == NULL);
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  --connect send:BYTES@ADDR:PORT\n"));
}

/* ---- Appendix C: requirements without a test of their own ---- */

/* Segments of every kind arrive, in order, out of order, duplicated,
 * filling a gap, and the application reads nothing (so no window update
 * is owed): between one arrival and the next, at most one ACK leaves. */
/* proves: RFC5681-4.2b */
static void no_arriving_segment_draws_more_than_one_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	static uint8_t data[500];
	memset(data, 'd', sizeof data);
	const struct {
		uint32_t from;       /* the segment's first byte, of 1..500 */
		usec_t gap;          /* the time until the next arrives */
	} arrival[] = {
		{ 1, MSEC(50) },      /* in order: the ACK may wait ... */
		{ 101, MSEC(300) },   /* ... the second in order is acknowledged at once */
		{ 301, MSEC(300) },   /* out of order: a duplicate ACK */
		{ 1, MSEC(300) },     /* a duplicate of the first */
		{ 201, MSEC(300) },   /* fills the gap */
		{ 401, MSEC(300) },   /* in order again: the delayed ACK */
	};
	int total = 0;
	for (size_t i = 0; i < ARRAY_LEN(arrival); i++) {
		uint32_t from = arrival[i].from;
		peer_send(&c, SEG(.seq = from, .ack = 1, .flags = TH_ACK, .data = data + from - 1, .len = 100));
		loop_run_for(&c.tn.loop, arrival[i].gap);
		struct captured s;
		int acks = 0;
		while (testnet_pop_segment(&c.tn, &s))
			acks++;
		CU_ASSERT_TRUE(acks <= 1);
		total += acks;
	}
	CU_ASSERT_EQUAL(total, 5);           /* all but the first were answered */
	CU_ASSERT_EQUAL(c.t->rcv_nxt, PISS + 501);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-66 */
static void a_reset_is_taken_while_our_window_is_zero(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rcvbuf = 1000;
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	static uint8_t fill[1000];
	memset(fill, 'f', sizeof fill);
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, .data = fill, .len = sizeof fill));
	CU_ASSERT_EQUAL(c.t->rcv_wnd, 0);
	peer_send(&c, SEG(.seq = 1001, .flags = TH_RST));
	CU_ASSERT_EQUAL(c.app.errors, 1);
	CU_ASSERT_EQUAL(c.app.last_error, ECONNRESET);
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* With the default settings, a peer that has gone silent is given more
 * than 100 seconds (about 20 minutes) before the connection is reset. */
/* proves: RFC9293-SHLD-11 */
static void by_default_a_silent_peer_is_given_more_than_100_seconds(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	CU_ASSERT_EQUAL(tcp_send(c.t, "are you there?", 14), 14);
	loop_run_for(&c.tn.loop, SEC(100));
	CU_ASSERT_EQUAL_FATAL(c.app.errors, 0);             /* (the TCB is still there) */
	CU_ASSERT_EQUAL(c.t->state, TCP_ESTABLISHED);
	loop_run_for(&c.tn.loop, SEC(3600));
	CU_ASSERT_EQUAL(c.app.errors, 1);
	CU_ASSERT_EQUAL(c.app.last_error, ETIMEDOUT);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* A variance that has decayed to nothing still adds the clock's
 * granularity G (1 ms): RTO = SRTT + max(G, 4 RTTVAR), never SRTT alone. */
/* proves: RFC6298-4 */
static void a_variance_of_zero_still_adds_the_clock_granularity(void)
{
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct tcb *t = tcb_create(tn.host, US, 1, PEER, 2);
	tn.host->cfg.rto_min = 0;
	tcp_rtt_sample(t, MSEC(100));
	t->rttvar = 0;                             /* as after many equal samples */
	CU_ASSERT_EQUAL(tcp_rto_estimate(t), MSEC(100) + TCP_CLOCK_G);
	t->rttvar = 100;                           /* 4 RTTVAR = 400 us, below G */
	CU_ASSERT_EQUAL(tcp_rto_estimate(t), MSEC(100) + TCP_CLOCK_G);
	t->rttvar = MSEC(1);                       /* 4 RTTVAR = 4 ms, above G */
	CU_ASSERT_EQUAL(tcp_rto_estimate(t), MSEC(104));
	testnet_free(&tn);
}

/* Five round trips of 50 ms, each a write of one segment that the peer
 * acknowledges: every round trip gives the estimator at least one sample. */
/* proves: RFC6298-3b */
static void every_round_trip_gives_an_rtt_sample(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	static uint8_t data[1000];             /* one small segment: Nagle lets it go */
	uint32_t sent = 0;
	for (int r = 0; r < 5; r++) {
		uint64_t before = c.tn.host->stats.tcp.rtt_samples;
		CU_ASSERT_EQUAL(tcp_send(c.t, data, sizeof data), (int)sizeof data);
		sent += sizeof data;
		testnet_drain(&c.tn);
		loop_run_for(&c.tn.loop, MSEC(50));
		peer_send(&c, SEG(.seq = 1, .ack = 1 + sent, .flags = TH_ACK));
		CU_ASSERT_EQUAL(c.t->snd_una, c.iss + 1 + sent);
		CU_ASSERT_TRUE(c.tn.host->stats.tcp.rtt_samples > before);
	}
	CU_ASSERT_TRUE(c.t->srtt >= MSEC(49) && c.t->srtt <= MSEC(51));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

void register_ch06(void)
{
	static const struct test_entry sender[] = {
		TEST(rto_follows_rfc6298_for_100_100_300_100_ms),
		TEST(retransmitted_segment_gives_no_rtt_sample),
		TEST(backed_off_rto_is_kept_until_a_fresh_sample),
		TEST(zero_window_still_takes_the_ack_of_a_data_segment),
		TEST(rto_doubles_to_the_maximum_then_the_connection_times_out),
		TEST(three_duplicate_acks_resend_the_first_unacked_segment_at_once),
		TEST(timeout_resends_the_whole_flight),
		TEST(backoff_ends_when_a_retransmission_is_answered_promptly_beyond_itself),
		TEST(late_answer_to_a_retransmission_keeps_the_backoff),
		TEST(peers_window_is_never_exceeded),
	};
	static const struct test_entry receiver[] = {
		TEST(one_segment_is_acked_after_the_delay_two_at_once),
		TEST(out_of_order_segment_draws_an_immediate_duplicate_ack),
		TEST(every_order_of_five_segments_is_delivered_intact),
		TEST(overlapping_and_duplicate_segments_deliver_each_byte_once),
		TEST(fin_beyond_a_gap_ends_the_stream_only_when_the_gap_fills),
	};
	static const struct test_entry sim[] = {
		TEST(sha256_matches_the_fips_examples),
		TEST(a_long_hash_does_not_stall_another_connection),
		TEST(transfer_matrix_is_byte_exact),
		TEST(transfer_across_the_sequence_wrap_with_loss),
		TEST(soak_seeds_that_hung_at_close_now_complete),
		TEST(rto_returns_to_the_estimate_once_new_data_is_acked_after_loss),
	};
	add_suite("ch06 the sender", sender, ARRAY_LEN(sender));
	add_suite("ch06 the receiver", receiver, ARRAY_LEN(receiver));
	static const struct test_entry cmdline[] = {
		TEST(the_options_of_chapter_6_are_checked),
		TEST(help_lists_every_application_once),
	};
	add_suite("ch06 two stacks over a lossy link", sim, ARRAY_LEN(sim));
	add_suite("ch06 the command line", cmdline, ARRAY_LEN(cmdline));
	static const struct test_entry conformance[] = {
		TEST(a_reset_is_taken_while_our_window_is_zero),
		TEST(by_default_a_silent_peer_is_given_more_than_100_seconds),
		TEST(a_variance_of_zero_still_adds_the_clock_granularity),
		TEST(every_round_trip_gives_an_rtt_sample),
		TEST(no_arriving_segment_draws_more_than_one_ack),
	};
	add_suite("ch06 conformance (Appendix C)", conformance, ARRAY_LEN(conformance));
}
