/* Chapter 11, odds and ends: urgent data and PSH, keepalive, path MTU
 * (ICMP fragmentation needed, black holes, soft errors), and ECN. */
#include "testutil.h"
#include "tcp_var.h"

/* ==== urgent data, PSH and keepalive ==== */
#include <errno.h>

/* peer_send, with the urgent pointer urp in the header. */
static void urg_send(struct peer *p, struct seg_tmpl s, uint16_t urp)
{
	uint8_t pkt[1600];
	size_t n = build_tcp(pkt, ADDR(10, 0, 0, 1), ADDR(10, 0, 0, 2), 80, p->port, s.seq + p->piss,
			     s.ack + p->iss, s.flags, s.wnd ? s.wnd : p->wnd, s.opt, s.optlen, s.data, s.len);
	uint8_t *th = pkt + IP_HDR_MIN;
	tcp_set(th, TCP_URGPTR, urp);
	tcp_set(th, TCP_CHECKSUM, 0);
	tcp_set(th, TCP_CHECKSUM, tcp_checksum(ADDR(10, 0, 0, 1), ADDR(10, 0, 0, 2), th, n - IP_HDR_MIN));
	testnet_inject(&p->tn, pkt, n);
}

/* A connection to a scripted peer (MSS 1,000, window 60,000) whose
 * application reads only when the test says. */
static void urg_open(struct peer *p, const struct config *cfg)
{
	peer_open(p, cfg, 60000, 1000);
	testnet_drain(&p->tn);
}

/* Read what is buffered into buf at *got, noting first where the urgent
 * mark is: its stream offset goes to marks[*nmarks] if it is a new one. */
static void urg_read_all(struct peer *p, char *buf, size_t cap, size_t *got,
			 size_t *marks, int *nmarks)
{
	size_t n;
	do {
		long m = tcp_urgent_mark(p->t);
		if (m >= 0 && (*nmarks == 0 || marks[*nmarks - 1] != *got + (size_t)m))
			marks[(*nmarks)++] = *got + (size_t)m;
		n = tcp_recv(p->t, buf + *got, cap - *got);
		*got += n;
	} while (n > 0);
}

static void urgent_pointer_points_at_the_byte_after_the_urgent_data(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured s;
	urg_open(&c, &cfg);
	/* Sending: "hello", then "!" as urgent data. */
	CU_ASSERT_EQUAL(tcp_send(c.t, "hello", 5), 5);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_FALSE(s.seg.flags & TH_URG);
	CU_ASSERT_EQUAL(tcp_send_urgent(c.t, "!", 1), 1);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));   /* at once, though one is in flight */
	CU_ASSERT_EQUAL(s.seg.len, 1);
	CU_ASSERT_TRUE(s.seg.flags & TH_URG);
	CU_ASSERT_EQUAL(s.seg.seq + s.seg.urp, c.iss + 1 + 6);  /* the byte after the "!" */
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
	loop_run_for(&c.tn.loop, SEC(1));                        /* lost: the copy says so too */
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_TRUE(s.seg.flags & TH_URG);
	CU_ASSERT_EQUAL(s.seg.seq + s.seg.urp, c.iss + 1 + 6);
	testnet_drain(&c.tn);
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 6, .flags = TH_ACK));
	tcp_send(c.t, "more", 4);                                /* after the ACK: ordinary */
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_FALSE(s.seg.flags & TH_URG);
	CU_ASSERT_EQUAL(s.seg.urp, 0);
	/* Receiving: "abcd" with the pointer 4: "d" is the urgent byte. */
	urg_send(&c, SEG(.seq = 1, .ack = 1 + 10, .flags = TH_ACK | TH_URG | TH_PSH, TEXT("abcd")), 4);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.urgent_in, 1);
	CU_ASSERT_EQUAL(tcp_urgent_mark(c.t), 3);                /* three bytes before it */
	char buf[8];
	CU_ASSERT_EQUAL(tcp_recv(c.t, buf, 3), 3);
	CU_ASSERT_EQUAL(tcp_urgent_mark(c.t), 0);                /* it is next */
	CU_ASSERT_EQUAL(tcp_recv(c.t, buf, 8), 1);
	CU_ASSERT_EQUAL(buf[0], 'd');
	CU_ASSERT_EQUAL(tcp_urgent_mark(c.t), -1);               /* read: no mark */
	/* A pointer alone, ahead of the data, is news for the application too. */
	int readable = c.app.readable;
	urg_send(&c, SEG(.seq = 5, .ack = 1 + 10, .flags = TH_ACK | TH_URG), 3);
	CU_ASSERT_EQUAL(c.app.readable, readable + 1);
	CU_ASSERT_EQUAL(tcp_urgent_mark(c.t), 2);                /* the third byte to come */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void urgent_data_is_read_in_line_without_a_byte_lost_or_repeated(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	urg_open(&c, &cfg);
	char got[64];
	size_t n = 0, marks[8];
	int nmarks = 0;
	/* As Linux sends "0123456789", send(MSG_OOB) of "ABCDE", then more. */
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK | TH_PSH, TEXT("0123456789")));
	urg_read_all(&c, got, sizeof got, &n, marks, &nmarks);
	urg_send(&c, SEG(.seq = 11, .ack = 1, .flags = TH_ACK | TH_PSH | TH_URG, TEXT("ABCDE")), 5);
	urg_read_all(&c, got, sizeof got, &n, marks, &nmarks);
	/* A copy of it (the peer retransmits): nothing read twice, no new mark. */
	urg_send(&c, SEG(.seq = 11, .ack = 1, .flags = TH_ACK | TH_PSH | TH_URG, TEXT("ABCDE")), 5);
	urg_read_all(&c, got, sizeof got, &n, marks, &nmarks);
	/* The next urgent byte is announced before it arrives: "fghij" points
	 * 7 bytes on, past its own end, to after the "Y" of the next segment. */
	urg_send(&c, SEG(.seq = 16, .ack = 1, .flags = TH_ACK | TH_URG, TEXT("fghij")), 7);
	CU_ASSERT_EQUAL(tcp_urgent_mark(c.t), 6);                /* "fghij" unread, then "X" */
	urg_read_all(&c, got, sizeof got, &n, marks, &nmarks);
	urg_send(&c, SEG(.seq = 21, .ack = 1, .flags = TH_ACK | TH_PSH | TH_URG, TEXT("XY")), 2);
	/* A copy overlapping with one new byte, and an older pointer: the
	 * byte is taken once, and the mark does not move back. */
	urg_send(&c, SEG(.seq = 21, .ack = 1, .flags = TH_ACK | TH_PSH | TH_URG, TEXT("XYz")), 1);
	CU_ASSERT_EQUAL(tcp_urgent_mark(c.t), 1);
	urg_read_all(&c, got, sizeof got, &n, marks, &nmarks);
	/* Urgent data in the last segment, with the FIN: the FIN's sequence
	 * number is not a byte of the stream. */
	urg_send(&c, SEG(.seq = 24, .ack = 1, .flags = TH_ACK | TH_URG | TH_FIN, TEXT("!?")), 1);
	CU_ASSERT_EQUAL(tcp_urgent_mark(c.t), 0);                /* the "!" is next */
	urg_read_all(&c, got, sizeof got, &n, marks, &nmarks);
	CU_ASSERT_TRUE(tcp_eof(c.t));
	CU_ASSERT_EQUAL(n, 25);
	CU_ASSERT_EQUAL(memcmp(got, "0123456789ABCDEfghijXYz!?", 25), 0);
	CU_ASSERT_EQUAL_FATAL(nmarks, 3);
	CU_ASSERT_EQUAL(marks[0], 14);                           /* the "E" */
	CU_ASSERT_EQUAL(marks[1], 21);                           /* the "Y" */
	CU_ASSERT_EQUAL(marks[2], 23);                           /* the "!" */
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.urgent_in, 5);  /* the copy of "ABCDE" was old */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void psh_goes_on_the_segment_that_empties_the_buffer_and_data_is_delivered_at_once(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured s;
	urg_open(&c, &cfg);
	static uint8_t data[2500];
	tcp_setsockopt(c.t, TCP_SO_NODELAY, 1);                  /* no Nagle: all three go */
	CU_ASSERT_EQUAL(tcp_send(c.t, data, sizeof data), (long)sizeof data);
	int segs = 0;
	while (testnet_pop_segment(&c.tn, &s)) {
		segs++;
		bool last = s.seg.seq + (uint32_t)s.seg.len == c.iss + 1 + sizeof data;
		CU_ASSERT_EQUAL(!!(s.seg.flags & TH_PSH), last);
	}
	CU_ASSERT_EQUAL(segs, 3);
	/* The receiver does not wait for PSH: with or without it, the
	 * application is told at once and reads the bytes. */
	char buf[16];
	peer_send(&c, SEG(.seq = 1, .ack = 1 + sizeof data, .flags = TH_ACK, TEXT("no push")));
	CU_ASSERT_EQUAL(c.app.readable, 1);
	CU_ASSERT_EQUAL(tcp_recv(c.t, buf, sizeof buf), 7);
	peer_send(&c, SEG(.seq = 8, .ack = 1 + sizeof data, .flags = TH_ACK | TH_PSH, TEXT("push")));
	CU_ASSERT_EQUAL(c.app.readable, 2);
	CU_ASSERT_EQUAL(tcp_recv(c.t, buf, sizeof buf), 4);
	CU_ASSERT_EQUAL(memcmp(buf, "push", 4), 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Run the clock to `at` (since `t0`) and return what was sent meanwhile:
 * true and the segment in *s if exactly one was. */
static int urg_segments_until(struct peer *p, usec_t t0, usec_t at, struct captured *s)
{
	loop_run_until(&p->tn.loop, t0 + at);
	int n = 0;
	struct captured x;
	while (testnet_pop_segment(&p->tn, &x)) {
		if (n++ == 0 && s != NULL)
			*s = x;
	}
	return n;
}

static bool urg_is_probe(const struct peer *p, const struct captured *s)
{
	return s->seg.flags == TH_ACK && s->seg.len == 0 && s->seg.seq == p->t->snd_nxt - 1 &&
	       s->seg.ack == p->t->rcv_nxt;
}

static void keepalive_is_off_by_default(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	CU_ASSERT_FALSE(cfg.keepalive);
	CU_ASSERT_EQUAL(cfg.keepalive_idle, SEC(7200));          /* RFC 1122: no less than two hours */
	CU_ASSERT_EQUAL(cfg.keepalive_intvl, SEC(75));
	CU_ASSERT_EQUAL(cfg.keepalive_probes, 9);
	struct peer c;
	struct captured s;
	urg_open(&c, &cfg);
	usec_t t0 = loop_now(&c.tn.loop);
	CU_ASSERT_EQUAL(urg_segments_until(&c, t0, SEC(3 * 3600), NULL), 0);  /* three idle hours */
	CU_ASSERT_EQUAL_FATAL(c.app.errors, 0);
	CU_ASSERT_EQUAL(c.t->state, TCP_ESTABLISHED);
	testnet_free(&c.tn);
	cfg.keepalive = true;                                    /* on, with the defaults */
	urg_open(&c, &cfg);
	t0 = loop_now(&c.tn.loop);
	CU_ASSERT_EQUAL(urg_segments_until(&c, t0, SEC(7200) - 1, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(urg_segments_until(&c, t0, SEC(7200), &s), 1);
	CU_ASSERT_TRUE(urg_is_probe(&c, &s));
	CU_ASSERT_EQUAL(tcp_setsockopt(c.t, TCP_SO_KEEPIDLE, 0), -EINVAL);
	CU_ASSERT_EQUAL(tcp_setsockopt(c.t, TCP_SO_KEEPCNT, 128), -EINVAL);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Keepalive on connection c: 10 s idle, probes 2 s apart, 3 of them. */
static void urg_keepalive_on(struct peer *c)
{
	CU_ASSERT_EQUAL(tcp_setsockopt(c->t, TCP_SO_KEEPIDLE, 10), 0);
	CU_ASSERT_EQUAL(tcp_setsockopt(c->t, TCP_SO_KEEPINTVL, 2), 0);
	CU_ASSERT_EQUAL(tcp_setsockopt(c->t, TCP_SO_KEEPCNT, 3), 0);
	CU_ASSERT_EQUAL(tcp_setsockopt(c->t, TCP_SO_KEEPALIVE, 1), 0);
}

static void keepalive_probes_after_idle_at_the_interval_and_resets_after_the_count(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured s;
	urg_open(&c, &cfg);
	urg_keepalive_on(&c);
	usec_t t0 = loop_now(&c.tn.loop);
	/* Data from the peer at 4 s restarts the idle clock. */
	loop_run_until(&c.tn.loop, t0 + SEC(4));
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK | TH_PSH, TEXT("hi")));
	loop_run_until(&c.tn.loop, t0 + SEC(4) + MSEC(500));     /* the delayed ACK */
	testnet_drain(&c.tn);
	CU_ASSERT_EQUAL(urg_segments_until(&c, t0, SEC(14) - 1, NULL), 0);
	for (int i = 0; i < 3; i++) {                            /* at 14, 16, 18 s */
		CU_ASSERT_EQUAL_FATAL(urg_segments_until(&c, t0, SEC(14 + 2 * i), &s), 1);
		CU_ASSERT_EQUAL_FATAL(c.app.errors, 0);              /* still there */
		CU_ASSERT_TRUE(urg_is_probe(&c, &s));
		CU_ASSERT_EQUAL(urg_segments_until(&c, t0, SEC(16 + 2 * i) - 1, NULL), 0);
	}
	CU_ASSERT_EQUAL(c.app.errors, 0);
	CU_ASSERT_EQUAL_FATAL(urg_segments_until(&c, t0, SEC(20), &s), 1);   /* the third unanswered */
	CU_ASSERT_TRUE(s.seg.flags & TH_RST);
	CU_ASSERT_EQUAL(c.app.errors, 1);
	CU_ASSERT_EQUAL(c.app.last_error, ETIMEDOUT);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.keepalive_probes, 3);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.keepalive_drops, 1);
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void an_answered_keepalive_probe_keeps_the_connection(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured s;
	urg_open(&c, &cfg);
	urg_keepalive_on(&c);
	usec_t t0 = loop_now(&c.tn.loop);
	for (int round = 0; round < 4; round++) {                /* answered, more times than the count */
		usec_t at = (usec_t)round * (SEC(10) + MSEC(300));
		CU_ASSERT_EQUAL(urg_segments_until(&c, t0, at + SEC(10) - 1, NULL), 0);
		CU_ASSERT_EQUAL_FATAL(urg_segments_until(&c, t0, at + SEC(10), &s), 1);
		CU_ASSERT_EQUAL_FATAL(c.app.errors, 0);              /* still there */
		CU_ASSERT_TRUE(urg_is_probe(&c, &s));
		loop_run_until(&c.tn.loop, t0 + at + SEC(10) + MSEC(300));
		peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK));   /* the peer's ACK */
		CU_ASSERT_EQUAL(urg_segments_until(&c, t0, at + SEC(12) + MSEC(300), NULL), 0);
	}
	CU_ASSERT_EQUAL_FATAL(c.app.errors, 0);
	CU_ASSERT_EQUAL(c.t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.keepalive_probes, 4);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.keepalive_drops, 0);
	CU_ASSERT_EQUAL(tcp_setsockopt(c.t, TCP_SO_KEEPALIVE, 0), 0);   /* off again: silence */
	CU_ASSERT_EQUAL(urg_segments_until(&c, t0, SEC(100), NULL), 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void register_ch11_urgent_keepalive(void)
{
	static const struct test_entry urgent[] = {
		TEST(urgent_pointer_points_at_the_byte_after_the_urgent_data),
		TEST(urgent_data_is_read_in_line_without_a_byte_lost_or_repeated),
		TEST(psh_goes_on_the_segment_that_empties_the_buffer_and_data_is_delivered_at_once),
	};
	static const struct test_entry keepalive[] = {
		TEST(keepalive_is_off_by_default),
		TEST(keepalive_probes_after_idle_at_the_interval_and_resets_after_the_count),
		TEST(an_answered_keepalive_probe_keeps_the_connection),
	};
	add_suite("ch11 urgent data and PSH", urgent, ARRAY_LEN(urgent));
	add_suite("ch11 keepalive", keepalive, ARRAY_LEN(keepalive));
}

/* ==== end of urgent data, PSH and keepalive ==== */


/* ==== path MTU ==== */

static void register_ch11_path_mtu(void)
{
}

/* ==== end of path MTU ==== */


/* ==== ECN ==== */

static void register_ch11_ecn(void)
{
}

/* ==== end of ECN ==== */


void register_ch11(void)
{
	register_ch11_urgent_keepalive();
	register_ch11_path_mtu();
	register_ch11_ecn();
}
