/* Chapter 7, flow control: the window and its updates (SND.WL1/WL2), a
 * right edge that never moves back, the persist timer and its probes,
 * Clark's receiver rule, the sender's silly-window rule and Nagle with
 * TCP_NODELAY, window scaling, a large window over a long link, the
 * seed's 4 KB stall, and a slow reader in the simulator. */
#include "testutil.h"
#include "ipv4.h"
#include "tcp_var.h"
#include "simlink.h"
#include "xfer.h"
#include <errno.h>

#define PISS 9000u                 /* the scripted peer's ISN (tests/util_ch04.c) */

/* A segment from the peer with exactly the window given, 0 included
 * (peer_send takes 0 to mean "the peer's usual window"). */
static void peer_send_wnd(struct peer *p, struct seg_tmpl s, uint16_t wnd)
{
	s.sport = 80;
	s.dport = p->port;
	s.seq += p->piss;
	s.ack += p->iss;
	s.wnd = wnd;
	testnet_send(&p->tn, s);
}

/* Bytes of data in what the stack has sent since the last call; the
 * number of segments, the smallest and the last segment in *n, *least, *last. */
static size_t sent_data(struct peer *p, int *n, size_t *least, struct captured *last)
{
	struct captured s;
	size_t total = 0;
	if (n) *n = 0;
	if (least) *least = SIZE_MAX;
	while (testnet_pop_segment(&p->tn, &s)) {
		if (s.seg.len == 0)
			continue;
		total += s.seg.len;
		if (n) (*n)++;
		if (least && s.seg.len < *least) *least = s.seg.len;
		if (last) *last = s;
	}
	return total;
}

/* ---- the window and its updates ---------------------------------------------- */

/* proves: RFC9293-SHLD-15 */
static void sender_never_exceeds_the_window_and_resumes_at_once_on_a_window_update(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 3000, 1000);
	static uint8_t data[20000];
	memset(data, 'w', sizeof data);
	tcp_send(c.t, data, sizeof data);
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 3000);
	peer_send_wnd(&c, SEG(.seq = 1, .ack = 1 + 3000, .flags = TH_ACK), 0);   /* all taken; closed */
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 0);
	CU_ASSERT_TRUE(tcp_timer_armed(c.t, TT_PERSIST));
	loop_run_for(&c.tn.loop, MSEC(100));
	/* the same ACK, a larger window: a window update; sending resumes at once */
	peer_send_wnd(&c, SEG(.seq = 1, .ack = 1 + 3000, .flags = TH_ACK), 2000);
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 2000);
	CU_ASSERT_EQUAL(c.t->snd_nxt - c.t->snd_una, 2000);
	CU_ASSERT_FALSE(tcp_timer_armed(c.t, TT_PERSIST));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-34 */
static void old_segment_does_not_shrink_the_send_window(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 4000, 1000);
	/* the peer sent 10 bytes with window 2000, then an ACK with window 6000;
	 * the second arrives first */
	peer_send_wnd(&c, SEG(.seq = 11, .ack = 1, .flags = TH_ACK), 6000);
	CU_ASSERT_EQUAL(c.t->snd_wnd, 6000);
	peer_send_wnd(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, TEXT("0123456789")), 2000);
	CU_ASSERT_EQUAL(c.t->rcv_nxt, PISS + 11);        /* its data is taken... */
	CU_ASSERT_EQUAL(c.t->snd_wnd, 6000);              /* ...its window is not */
	static uint8_t data[8000];
	memset(data, 'o', sizeof data);
	tcp_send(c.t, data, sizeof data);
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 6000);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* The right edge of the window the stack offers, ACK + WND, from each of
 * its segments, never moves left: data arrives, the application reads in
 * small and large pieces, a probe comes, and the window opens again. */
/* proves: RFC9293-SHLD-14 */
static void receiver_never_moves_its_right_edge_left(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rcvbuf = 6000;
	struct peer c;
	peer_open(&c, &cfg, 60000, 1000);
	uint32_t edge = 0, seq = 1;
	static uint8_t chunk[1000], buf[6000];
	memset(chunk, 'r', sizeof chunk);
	struct captured s;
	int acks = 0;
	for (int step = 0; step < 40; step++) {
		switch (step % 5) {
		case 0: case 1: case 2:      /* a segment, if the window takes it */
			peer_send(&c, SEG(.seq = seq, .ack = 1, .flags = TH_ACK, .data = chunk,
					  .len = sizeof chunk));
			if (c.t->rcv_nxt == PISS + seq + sizeof chunk)
				seq += sizeof chunk;
			break;
		case 3:                      /* a small read */
			tcp_recv(c.t, buf, 300);
			break;
		case 4:                      /* a probe, then a large read every other time */
			peer_send(&c, SEG(.seq = seq, .ack = 1, .flags = TH_ACK, .data = chunk, .len = 1));
			if (step % 10 == 9)
				tcp_recv(c.t, buf, sizeof buf);
			break;
		}
		loop_run_for(&c.tn.loop, MSEC(300));   /* delayed ACKs go */
		while (testnet_pop_segment(&c.tn, &s)) {
			uint32_t e = s.seg.ack + ((uint32_t)s.seg.wnd << c.t->rcv_wscale);
			if (acks++ > 0)
				CU_ASSERT_TRUE(SEQ_GEQ(e, edge));
			edge = e;
		}
		CU_ASSERT_TRUE(SEQ_GEQ(c.t->rcv_nxt + c.t->rcv_wnd, edge));
	}
	CU_ASSERT_TRUE(acks > 20);
	CU_ASSERT_TRUE(seq > 10000);            /* the window did open again */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- zero windows and the persist timer ----------------------------------------- */

/* The stack has data, the peer's window is zero, nothing is in flight. */
static void close_the_window(struct peer *c, size_t queued)
{
	static uint8_t data[20000];
	memset(data, 'p', sizeof data);
	tcp_send(c->t, data, 1000);
	CU_ASSERT_EQUAL(sent_data(c, NULL, NULL, NULL), 1000);
	peer_send_wnd(c, SEG(.seq = 1, .ack = 1 + 1000, .flags = TH_ACK), 0);
	tcp_send(c->t, data, queued);
	CU_ASSERT_EQUAL(sent_data(c, NULL, NULL, NULL), 0);
}

/* proves: RFC9293-MUST-36 RFC9293-MUST-37 RFC9293-SHLD-29 RFC9293-SHLD-30 */
static void persist_probes_back_off_to_the_cap_and_never_give_up_while_answered(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.retries2 = 5;                         /* far fewer than the probes below */
	cfg.persist_max = SEC(16);
	struct peer c;
	peer_open(&c, &cfg, 60000, 1000);
	close_the_window(&c, 5000);
	CU_ASSERT_TRUE_FATAL(tcp_timer_armed(c.t, TT_PERSIST));
	/* the RTO is the initial 1 s (no sample yet: the first ACK came at 0 ms) */
	const int want[] = { 1, 2, 4, 8, 16, 16, 16, 16, 16, 16, 16, 16 };
	usec_t last = loop_now(&c.tn.loop);
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		struct captured s;
		usec_t waited = 0;
		bool probe = false;
		while (!probe && waited < SEC(40)) {
			loop_run_for(&c.tn.loop, MSEC(10));
			waited += MSEC(10);
			while (testnet_pop_segment(&c.tn, &s))
				if (s.seg.len > 0) {
					probe = true;
					CU_ASSERT_EQUAL(s.seg.len, 1);                 /* one byte... */
					CU_ASSERT_EQUAL(s.seg.seq, c.iss + 1 + 1000);  /* ...the next one */
				}
		}
		CU_ASSERT_TRUE_FATAL(probe);
		usec_t gap = loop_now(&c.tn.loop) - last;
		CU_ASSERT_TRUE(gap >= SEC(want[i]) && gap <= SEC(want[i]) + MSEC(20));
		last = loop_now(&c.tn.loop);
		/* answered: the byte not taken, the window still zero */
		peer_send_wnd(&c, SEG(.seq = 1, .ack = 1 + 1000, .flags = TH_ACK), 0);
		CU_ASSERT_EQUAL(c.t->snd_nxt, c.t->snd_una);
	}
	CU_ASSERT_EQUAL(c.t->state, TCP_ESTABLISHED);    /* 12 probes, retries2 = 5 */
	CU_ASSERT_EQUAL(c.app.errors, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fast_retransmits, 0);
	/* the window opens: everything queued goes, from the probed byte on */
	peer_send_wnd(&c, SEG(.seq = 1, .ack = 1 + 1000, .flags = TH_ACK), 60000);
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 5000);
	CU_ASSERT_FALSE(tcp_timer_armed(c.t, TT_PERSIST));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void unanswered_probes_time_the_connection_out(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.retries2 = 4;
	struct peer c;
	peer_open(&c, &cfg, 60000, 1000);
	close_the_window(&c, 100);
	loop_run_for(&c.tn.loop, SEC(200));
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.persist_probes, 4);
	CU_ASSERT_EQUAL(c.app.errors, 1);
	CU_ASSERT_EQUAL(c.app.last_error, ETIMEDOUT);
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-36 */
static void zero_window_probe_is_acked_with_the_window_and_its_byte_is_not_lost(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rcvbuf = 1000;
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	static uint8_t fill[1000], buf[2000];
	for (size_t i = 0; i < sizeof fill; i++)
		fill[i] = (uint8_t)('a' + i % 26);
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, .data = fill, .len = sizeof fill));
	loop_run_for(&c.tn.loop, SEC(1));
	testnet_drain(&c.tn);
	CU_ASSERT_EQUAL(c.t->rcv_wnd, 0);
	/* a probe: the byte 'X' at RCV.NXT */
	peer_send(&c, SEG(.seq = 1001, .ack = 1, .flags = TH_ACK, TEXT("X")));
	struct captured s;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.ack, PISS + 1001);          /* not taken */
	CU_ASSERT_EQUAL(s.seg.wnd, 0);                    /* the current window */
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
	/* the application reads: the window opens, and says so */
	CU_ASSERT_EQUAL(tcp_recv(c.t, buf, sizeof buf), 1000);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.ack, PISS + 1001);
	CU_ASSERT_EQUAL(s.seg.wnd, 1000);
	/* the probed byte comes again, with what follows, and arrives once */
	peer_send(&c, SEG(.seq = 1001, .ack = 1, .flags = TH_ACK, TEXT("XYZ")));
	CU_ASSERT_EQUAL(tcp_recv(c.t, buf, sizeof buf), 3);
	CU_ASSERT_EQUAL(memcmp(buf, "XYZ", 3), 0);
	CU_ASSERT_EQUAL(c.t->rcv_nxt, PISS + 1004);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- silly windows ------------------------------------------------------------------ */

static void fill_receive_buffer(struct peer *c, size_t size)
{
	static uint8_t fill[1000];
	memset(fill, 'c', sizeof fill);
	for (size_t off = 0; off < size; off += sizeof fill)
		peer_send(c, SEG(.seq = 1 + (uint32_t)off, .ack = 1, .flags = TH_ACK, .data = fill,
				 .len = MIN(sizeof fill, size - off)));
	loop_run_for(&c->tn.loop, SEC(1));
	testnet_drain(&c->tn);
	CU_ASSERT_EQUAL(c->t->rcv_wnd, 0);
}

/* proves: RFC9293-MUST-39 */
static void receiver_reopens_a_zero_window_only_by_min_of_mss_and_half_the_buffer(void)
{
	LEAK_CHECK_BEGIN;
	static uint8_t buf[8000];
	struct captured s;
	/* 8000 bytes of buffer, MSS 1460: reopened by 1460 at least */
	struct config cfg = testnet_config();
	cfg.rcvbuf = 8000;
	struct peer c;
	peer_open(&c, &cfg, 60000, 1460);
	fill_receive_buffer(&c, 8000);
	tcp_recv(c.t, buf, 1000);
	CU_ASSERT_EQUAL(c.t->rcv_wnd, 0);                 /* 1000 free: not enough */
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
	tcp_recv(c.t, buf, 459);
	CU_ASSERT_EQUAL(c.t->rcv_wnd, 0);                 /* 1459: still not */
	tcp_recv(c.t, buf, 1);
	CU_ASSERT_EQUAL(c.t->rcv_wnd, 1460);              /* a full segment */
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.wnd, 1460);                 /* announced at once */
	testnet_free(&c.tn);
	/* 2000 bytes of buffer: half of it, 1000, is enough, and is announced */
	cfg.rcvbuf = 2000;
	peer_open(&c, &cfg, 60000, 1460);
	fill_receive_buffer(&c, 2000);
	tcp_recv(c.t, buf, 999);
	CU_ASSERT_EQUAL(c.t->rcv_wnd, 0);
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
	tcp_recv(c.t, buf, 1);
	CU_ASSERT_EQUAL(c.t->rcv_wnd, 1000);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.wnd, 1000);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-SHLD-7 RFC9293-MUST-38 RFC9293-SHLD-28 */
static void nagle_holds_a_small_segment_until_the_ack_or_a_full_segment(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1000);
	int n;
	tcp_send(c.t, "first", 5);                        /* nothing in flight: goes */
	CU_ASSERT_EQUAL(sent_data(&c, &n, NULL, NULL), 5);
	tcp_send(c.t, "second", 6);                       /* held... */
	tcp_send(c.t, "third", 5);                        /* ...and joined */
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 0);
	loop_run_for(&c.tn.loop, MSEC(150));              /* no timer lets it go */
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 0);
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 5, .flags = TH_ACK));
	struct captured last;
	CU_ASSERT_EQUAL(sent_data(&c, &n, NULL, &last), 11);
	CU_ASSERT_EQUAL(n, 1);                            /* one segment, "secondthird" */
	CU_ASSERT_EQUAL(last.seg.seq, c.iss + 1 + 5);
	/* with 11 bytes in flight, 1500 more: a full segment goes, 500 wait */
	static uint8_t more[1500];
	memset(more, 'm', sizeof more);
	tcp_send(c.t, more, sizeof more);
	size_t least;
	CU_ASSERT_EQUAL(sent_data(&c, &n, &least, NULL), 1000);
	CU_ASSERT_EQUAL(least, 1000);
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 16 + 1000, .flags = TH_ACK));
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 500);
	CU_ASSERT_TRUE(c.tn.host->stats.tcp.small_held > 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-17 */
static void nodelay_sends_small_segments_at_once(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 60000, 1000);
	tcp_send(c.t, "first", 5);
	tcp_send(c.t, "second", 6);                       /* held by Nagle */
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 5);
	CU_ASSERT_EQUAL(tcp_setsockopt(c.t, TCP_SO_NODELAY, 1), 0);
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 6);   /* released at once */
	int n;
	tcp_send(c.t, "a", 1);
	tcp_send(c.t, "b", 1);
	tcp_send(c.t, "c", 1);
	CU_ASSERT_EQUAL(sent_data(&c, &n, NULL, NULL), 3);
	CU_ASSERT_EQUAL(n, 3);                            /* each at once, in flight together */
	CU_ASSERT_EQUAL(tcp_setsockopt(c.t, TCP_SO_NODELAY, 2), -EINVAL);
	/* the host's default for new connections */
	struct config cfg2 = testnet_config();
	cfg2.nodelay = true;
	struct peer d;
	peer_open(&d, &cfg2, 60000, 1000);
	CU_ASSERT_TRUE(d.t->so.nodelay);
	tcp_send(d.t, "x", 1);
	tcp_send(d.t, "y", 1);
	CU_ASSERT_EQUAL(sent_data(&d, &n, NULL, NULL), 2);
	CU_ASSERT_EQUAL(n, 2);
	testnet_free(&d.tn);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* The sender's silly-window rule: with more queued than the window takes,
 * no segment is smaller than the MSS; a sliver with nothing in flight
 * goes when the persist timer expires (the override). */
/* proves: RFC9293-MUST-38 */
static void sender_does_not_send_a_sliver_of_the_window(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 10000, 1000);
	static uint8_t data[30000];
	memset(data, 's', sizeof data);
	tcp_send(c.t, data, sizeof data);
	size_t least;
	int n;
	CU_ASSERT_EQUAL(sent_data(&c, &n, &least, NULL), 10000);
	/* acknowledged, but the window now ends 300 bytes beyond */
	peer_send_wnd(&c, SEG(.seq = 1, .ack = 1 + 10000, .flags = TH_ACK), 300);
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 0);   /* 300 < 1000 and < 10000 / 2 */
	CU_ASSERT_TRUE(tcp_timer_armed(c.t, TT_PERSIST));
	loop_run_for(&c.tn.loop, SEC(1) + MSEC(10));           /* the override timeout */
	CU_ASSERT_EQUAL(sent_data(&c, &n, NULL, NULL), 300);
	CU_ASSERT_EQUAL(n, 1);
	/* the window grows a little at a time: nothing goes until a segment fits */
	peer_send_wnd(&c, SEG(.seq = 1, .ack = 1 + 10300, .flags = TH_ACK), 700);
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 0);
	peer_send_wnd(&c, SEG(.seq = 1, .ack = 1 + 10300, .flags = TH_ACK), 2500);
	CU_ASSERT_EQUAL(sent_data(&c, &n, &least, NULL), 2000);
	CU_ASSERT_EQUAL(least, 1000);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- window scaling -------------------------------------------------------------- */

/* proves: RFC7323-2.2 RFC7323-2.2b */
static void window_scale_is_sent_only_in_a_syn_and_used_only_when_both_syns_carry_it(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rcvbuf = 4u << 20;                       /* 4 MiB buffers: shift 7 */
	struct testnet tn;
	struct captured s;
	for (int both = 0; both < 2; both++) {
		testnet_init(&tn, &cfg);
		struct app_log app = { 0 };
		int err;
		struct tcb *t = tcp_connect(tn.host, ADDR(10, 0, 0, 1), 80, app_event, &app, &err);
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &s));
		CU_ASSERT_TRUE(s.seg.opt.ws_present);         /* our SYN offers it */
		CU_ASSERT_EQUAL(s.seg.opt.ws, 7);
		CU_ASSERT_EQUAL(s.seg.wnd, 65535);            /* a SYN's window is not scaled */
		const uint8_t opt[8] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 3 };
		testnet_send(&tn, SEG(.sport = 80, .dport = s.seg.sport, .seq = PISS,
				      .ack = s.seg.seq + 1, .flags = TH_SYN | TH_ACK, .wnd = 1000,
				      .opt = opt, .optlen = both ? 8 : 4));
		CU_ASSERT_EQUAL_FATAL(t->state, TCP_ESTABLISHED);
		CU_ASSERT_EQUAL(t->snd_wnd, 1000);            /* the SYN-ACK's: not scaled */
		CU_ASSERT_EQUAL(t->snd_wscale, both ? 3 : 0);
		CU_ASSERT_EQUAL(t->rcv_wscale, both ? 7 : 0);
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &s));   /* our ACK */
		CU_ASSERT_FALSE(s.seg.opt.ws_present);        /* only in a SYN */
		CU_ASSERT_EQUAL(s.seg.wnd, both ? (4u << 20) >> 7 : 65535);
		testnet_send(&tn, SEG(.sport = 80, .dport = s.seg.sport, .seq = PISS + 1,
				      .ack = s.seg.seq, .flags = TH_ACK, .wnd = 1000));
		CU_ASSERT_EQUAL(t->snd_wnd, both ? 8000 : 1000);   /* scaled from now on */
		static uint8_t data[3000];
		memset(data, 'z', sizeof data);
		tcp_send(t, data, sizeof data);
		while (testnet_pop_segment(&tn, &s))
			CU_ASSERT_FALSE(s.seg.opt.ws_present);
		testnet_free(&tn);
	}
	/* scaling switched off: not offered, and not in force */
	cfg.window_scaling = false;
	testnet_init(&tn, &cfg);
	struct app_log app = { 0 };
	int err;
	tcp_connect(tn.host, ADDR(10, 0, 0, 1), 80, app_event, &app, &err);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &s));
	CU_ASSERT_FALSE(s.seg.opt.ws_present);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC7323-2.3 */
static void passive_open_answers_window_scale_clamps_a_shift_above_14_and_counts_it(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rcvbuf = 4u << 20;                       /* 4 MiB buffers: shift 7 */
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	int err;
	tcp_listen(tn.host, 80, 8, app_event, &log, &err);
	const uint8_t opt[8] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 15 };
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 1000, .flags = TH_SYN,
			      .wnd = 2000, .opt = opt, .optlen = 8));
	struct captured s;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_SYN | TH_ACK);
	CU_ASSERT_TRUE(s.seg.opt.ws_present);              /* the SYN asked for it */
	CU_ASSERT_EQUAL(s.seg.opt.ws, 7);
	CU_ASSERT_EQUAL(s.seg.wnd, 65535);                 /* not scaled */
	struct tcb *t = tcb_lookup(tn.host, ADDR(10, 0, 0, 2), 80, ADDR(10, 0, 0, 1), 40000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->snd_wscale, 14);                 /* 15, clamped */
	CU_ASSERT_EQUAL(t->snd_wnd, 2000);                  /* the SYN's window: not scaled */
	CU_ASSERT_EQUAL(tn.host->stats.tcp.ws_clamped, 1);
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 1001, .ack = s.seg.seq + 1,
			      .flags = TH_ACK, .wnd = 3));
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(t->snd_wnd, 3u << 14);              /* the ACK's: scaled */
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* Two stacks, 4 MiB buffers, a link of 20 ms each way: a window above
 * 1 MiB is offered, and the sender fills it. */
struct big_window {
	uint32_t max_flight, max_wnd;
};

static void watch_window(void *arg, const struct tcb *a, usec_t now)
{
	struct big_window *w = arg;
	(void)now;
	if (a == NULL)
		return;
	w->max_flight = MAX(w->max_flight, a->snd_nxt - a->snd_una);
	w->max_wnd = MAX(w->max_wnd, a->snd_wnd);
}

/* proves: RFC9293-REC-1 */
static void one_mib_window_is_offered_and_filled_over_a_long_fat_link(void)
{
	LEAK_CHECK_BEGIN;
	struct xfer_cfg c;
	xfer_cfg_default(&c);
	c.link.delay = MSEC(20);
	c.bytes = 16u << 20;         /* enough for slow start to pass 1 MiB (chapter 8) */
	c.seed = 3;
	c.host.rcvbuf = c.host.sndbuf = 4u << 20;   /* buffers of 4 MiB, as SCENARIOS asks */
	struct big_window w = { 0 };
	c.watch = watch_window;
	c.watch_arg = &w;
	struct xfer_result r;
	xfer_run(&c, &r);
	CU_ASSERT_EQUAL(r.outcome, XFER_EXACT);
	CU_ASSERT_TRUE(w.max_wnd > (1u << 20));
	CU_ASSERT_TRUE(w.max_flight > (1u << 20));
	/* without scaling, 64 KiB at most */
	xfer_cfg_default(&c);
	c.link.delay = MSEC(20);
	c.bytes = 1u << 20;
	c.host.window_scaling = false;
	memset(&w, 0, sizeof w);
	c.watch = watch_window;
	c.watch_arg = &w;
	xfer_run(&c, &r);
	CU_ASSERT_EQUAL(r.outcome, XFER_EXACT);
	CU_ASSERT_TRUE(w.max_flight <= 65535);
	LEAK_CHECK_END;
}

/* ---- the simulator ------------------------------------------------------------------ */

static double block_ms(const char *out, int block)
{
	char key[32];
	snprintf(key, sizeof key, "block %d complete at b after ", block);
	const char *at = strstr(out, key);
	return at ? strtod(at + strlen(key), NULL) : -1;
}

static void seed_4k_blocks_stall_on_nagle_and_delayed_ack_not_with_nodelay(void)
{
	static char out[4096];
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("seed-nagle"), out, sizeof out), 0);
	/* each block but the last waits for a delayed ACK: about 200 ms */
	double b1 = block_ms(out, 1), b2 = block_ms(out, 2), b3 = block_ms(out, 3);
	CU_ASSERT_TRUE(b1 > 0 && b1 < 10);
	CU_ASSERT_TRUE(b2 - b1 > 190 && b2 - b1 < 215);
	CU_ASSERT_TRUE(b3 - b2 > 190 && b3 - b2 < 215);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "16384 of 16384 bytes"));
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("seed-nodelay"), out, sizeof out), 0);
	/* at the link's rate: 4 KB in about 3.4 ms */
	CU_ASSERT_TRUE(block_ms(out, 3) > 0 && block_ms(out, 3) < 15);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "16384 of 16384 bytes"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 small segments held back"));
}

/* proves: RFC9293-MUST-35 */
static void slow_reader_stops_the_sender_which_probes_and_resumes_byte_exact(void)
{
	static char out[4096];
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("slow-reader"), out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "262144 of 262144 bytes byte-exact"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 connections left"));
	const char *p = strstr(out, "a sent ");
	CU_ASSERT_TRUE_FATAL(p != NULL);
	long probes = strtol(p + 7, NULL, 10);
	CU_ASSERT_TRUE(probes >= 2 && probes <= 5);       /* at 2, 4, 8 s of the pause */
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("slow-reader", "--count", "1048576",
						   "--impair", "loss=2%", "--seed", "5"),
				    out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "1048576 of 1048576 bytes byte-exact"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 connections left"));
}

/* ---- Appendix C: requirements without a test of their own ---- */

/* The peer takes 1000 bytes of a flight of 4000 and offers 1000 more:
 * its right edge moves back from 4001 to 2001.  Nothing new is sent, the
 * timer resends from SND.UNA, and the transfer ends when the window
 * opens again. */
/* proves: RFC9293-MUST-34 RFC9293-SHLD-15 RFC9293-SHLD-16 RFC7323-2.4 */
static void a_window_the_peer_shrinks_is_survived(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 4000, 1000);
	static uint8_t data[6000];
	memset(data, 's', sizeof data);
	CU_ASSERT_EQUAL(tcp_send(c.t, data, sizeof data), (long)sizeof data);
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 4000);
	peer_send_wnd(&c, SEG(.seq = 1, .ack = 1 + 1000, .flags = TH_ACK), 1000);
	CU_ASSERT_EQUAL(sent_data(&c, NULL, NULL, NULL), 0);     /* nothing new */
	struct captured last;
	int n = 0;
	loop_run_for(&c.tn.loop, SEC(2));                        /* one timeout */
	CU_ASSERT_EQUAL(sent_data(&c, &n, NULL, &last), 1000);   /* the first unacknowledged */
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(last.seg.seq, c.iss + 1 + 1000);
	CU_ASSERT_EQUAL(c.t->state, TCP_ESTABLISHED);
	/* the window opens: acknowledge what comes until all 6000 bytes are in */
	uint32_t acked = 4000;
	peer_send_wnd(&c, SEG(.seq = 1, .ack = 1 + acked, .flags = TH_ACK), 8000);
	for (int round = 0; round < 20 && acked < 6000; round++) {
		if (sent_data(&c, NULL, NULL, &last) > 0)
			acked = last.seg.seq + last.seg.len - c.iss - 1;
		else
			loop_run_for(&c.tn.loop, MSEC(500));
		peer_send_wnd(&c, SEG(.seq = 1, .ack = 1 + acked, .flags = TH_ACK), 8000);
	}
	CU_ASSERT_EQUAL(c.t->snd_una, c.iss + 1 + 6000);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* However large the buffer, the shift we ask for is at most 14: a
 * window of 2^30 bytes, the largest whose edges sequence numbers can
 * still tell apart. */
/* proves: RFC7323-2.3b */
static void our_window_shift_is_at_most_14(void)
{
	static struct tcb t;
	t.so.rcvbuf = (size_t)TCP_MAXWIN << 13;
	CU_ASSERT_EQUAL(tcp_wscale_wanted(&t), 13);
	t.so.rcvbuf = ((size_t)TCP_MAXWIN << 14) + 1;
	CU_ASSERT_EQUAL(tcp_wscale_wanted(&t), 14);
	t.so.rcvbuf = (size_t)1 << 40;
	CU_ASSERT_EQUAL(tcp_wscale_wanted(&t), 14);
}

void register_ch07(void)
{
	static const struct test_entry window[] = {
		TEST(sender_never_exceeds_the_window_and_resumes_at_once_on_a_window_update),
		TEST(old_segment_does_not_shrink_the_send_window),
		TEST(receiver_never_moves_its_right_edge_left),
		TEST(persist_probes_back_off_to_the_cap_and_never_give_up_while_answered),
		TEST(unanswered_probes_time_the_connection_out),
		TEST(zero_window_probe_is_acked_with_the_window_and_its_byte_is_not_lost),
	};
	static const struct test_entry sws[] = {
		TEST(receiver_reopens_a_zero_window_only_by_min_of_mss_and_half_the_buffer),
		TEST(nagle_holds_a_small_segment_until_the_ack_or_a_full_segment),
		TEST(nodelay_sends_small_segments_at_once),
		TEST(sender_does_not_send_a_sliver_of_the_window),
	};
	static const struct test_entry scaling[] = {
		TEST(window_scale_is_sent_only_in_a_syn_and_used_only_when_both_syns_carry_it),
		TEST(passive_open_answers_window_scale_clamps_a_shift_above_14_and_counts_it),
		TEST(one_mib_window_is_offered_and_filled_over_a_long_fat_link),
	};
	static const struct test_entry sim[] = {
		TEST(seed_4k_blocks_stall_on_nagle_and_delayed_ack_not_with_nodelay),
		TEST(slow_reader_stops_the_sender_which_probes_and_resumes_byte_exact),
	};
	add_suite("ch07 the window and the persist timer", window, ARRAY_LEN(window));
	add_suite("ch07 silly windows and Nagle", sws, ARRAY_LEN(sws));
	add_suite("ch07 window scaling", scaling, ARRAY_LEN(scaling));
	add_suite("ch07 the simulator", sim, ARRAY_LEN(sim));
	static const struct test_entry conformance[] = {
		TEST(a_window_the_peer_shrinks_is_survived),
		TEST(our_window_shift_is_at_most_14),
	};
	add_suite("ch07 conformance (Appendix C)", conformance, ARRAY_LEN(conformance));
}
