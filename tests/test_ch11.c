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

/* proves: RFC9293-MUST-30 RFC9293-MUST-62 */
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

/* proves: RFC9293-MUST-30 RFC9293-MUST-31 RFC9293-MUST-32 RFC9293-MUST-33 */
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

/* proves: RFC9293-MUST-60 RFC9293-MUST-61 RFC9293-SHLD-27 */
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

/* proves: RFC9293-MUST-25 RFC9293-MUST-28 */
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

/* proves: RFC9293-MUST-24 RFC9293-MUST-26 RFC9293-MUST-27 RFC9293-MUST-29 RFC9293-SHLD-12 */
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

/* proves: RFC9293-MUST-29 */
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

#include "checksum.h"
#include "ipv4.h"
#include "icmp.h"
#include "simlink.h"
#include <errno.h>

/* A router's destination-unreachable message about the datagram `sent`:
 * it quotes its IP header and first eight bytes of TCP, with the quoted
 * sequence number moved by seq_delta and, if total_len is not 0, the
 * quoted total length replaced; `mtu` goes in the second word. */
static void pmtu_inject(struct peer *c, uint8_t code, const struct captured *sent,
			uint32_t seq_delta, uint16_t mtu, uint16_t total_len)
{
	uint8_t icmp[ICMP_HDR_LEN + 28] = { ICMP_DEST_UNREACH, code };
	icmp[6] = (uint8_t)(mtu >> 8);
	icmp[7] = (uint8_t)mtu;
	memcpy(icmp + ICMP_HDR_LEN, sent->raw, 28);
	if (total_len != 0)
		ip_set(icmp + ICMP_HDR_LEN, IP_TOTAL_LENGTH, total_len);
	uint32_t seq = sent->seg.seq + seq_delta;
	uint8_t *q = icmp + ICMP_HDR_LEN + IP_HDR_MIN + 4;
	q[0] = (uint8_t)(seq >> 24); q[1] = (uint8_t)(seq >> 16);
	q[2] = (uint8_t)(seq >> 8); q[3] = (uint8_t)seq;
	uint16_t sum = inet_checksum(icmp, sizeof icmp);
	icmp[2] = (uint8_t)(sum >> 8);
	icmp[3] = (uint8_t)sum;
	uint8_t pkt[IP_HDR_MIN + sizeof icmp];
	size_t n = build_ipv4(pkt, ADDR(10, 0, 0, 254), c->tn.host->cfg.addr, IPPROTO_ICMP_,
			      icmp, sizeof icmp);
	testnet_inject(&c->tn, pkt, n);
}

/* A connection to the scripted peer (MSS 1460, no timestamps) with `n`
 * bytes of data sent; the first data segment is returned in *first and
 * the others are drained. */
static void pmtu_open_and_send(struct peer *c, struct config *cfg, size_t n,
			       struct captured *first)
{
	static uint8_t data[16384];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i % 251);
	peer_open(c, cfg, 60000, 1460);
	CU_ASSERT_EQUAL_FATAL(c->t->snd_mss, 1460);
	CU_ASSERT_EQUAL_FATAL(tcp_send(c->t, data, n), (long)n);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c->tn, first));
	testnet_drain(&c->tn);
}

/* proves: RFC1191-2 */
static void every_data_segment_leaves_with_df_set(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured s;
	pmtu_open_and_send(&c, &cfg, 3000, &s);
	CU_ASSERT_EQUAL(s.seg.len, 1460);
	CU_ASSERT_EQUAL(ip_get(s.raw, IP_TOTAL_LENGTH), 1500);
	CU_ASSERT_EQUAL(ip_get(s.raw, IP_DF), 1);
	CU_ASSERT_EQUAL(ip_get(s.raw, IP_MF), 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* RFC 1191: the router's MTU, 1280, less 40 bytes of headers; the whole
 * flight goes again at once at the new size, with no timeout and no
 * congestion response, and the message is not a soft error. */
/* proves: RFC9293-MUST-16 RFC9293-SHLD-6 RFC1191-3b */
static void frag_needed_quoting_our_flight_lowers_the_mss_and_resends(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured first, s;
	pmtu_open_and_send(&c, &cfg, 3000, &first);
	uint32_t cwnd = c.t->cwnd, ssthresh = c.t->ssthresh, flight_end = c.t->snd_nxt;
	CU_ASSERT_EQUAL(flight_end, c.iss + 1 + 2 * 1460);  /* Nagle holds the rest */
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 0, 1280, 0);
	const struct tcp_stats *st = &c.tn.host->stats.tcp;
	CU_ASSERT_EQUAL(c.t->snd_mss, 1240);
	CU_ASSERT_EQUAL(st->pmtu_lowered, 1);
	CU_ASSERT_EQUAL(st->icmp_accepted, 0);
	CU_ASSERT_EQUAL(c.t->soft_error, 0);
	uint32_t next = c.iss + 1;
	while (testnet_pop_segment(&c.tn, &s)) {         /* sent at once, in the call */
		CU_ASSERT_EQUAL(s.seg.seq, next);
		CU_ASSERT(s.seg.len <= 1240);
		CU_ASSERT(ip_get(s.raw, IP_TOTAL_LENGTH) <= 1280);
		CU_ASSERT_EQUAL(ip_get(s.raw, IP_DF), 1);
		next += (uint32_t)s.seg.len;
	}
	CU_ASSERT_EQUAL(next, flight_end);                 /* the whole flight again */
	CU_ASSERT_EQUAL(st->rto_fired, 0);
	CU_ASSERT_EQUAL(c.t->cwnd, cwnd);
	CU_ASSERT_EQUAL(c.t->ssthresh, ssthresh);
	CU_ASSERT_FALSE(c.t->flags & TF_IN_RECOVERY);
	peer_send(&c, SEG(.seq = 1, .ack = flight_end - c.iss, .flags = TH_ACK));
	CU_ASSERT_TRUE(testnet_pop_segment(&c.tn, &s));      /* what Nagle held, */
	CU_ASSERT_EQUAL(s.seg.seq, flight_end);
	CU_ASSERT_EQUAL(s.seg.len, 80);
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 3000, .flags = TH_ACK));
	CU_ASSERT_EQUAL(c.t->snd_una, c.iss + 1 + 3000);    /* and all delivered */
	CU_ASSERT_EQUAL(c.app.errors, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Forged or stale: a sequence number outside SND.UNA..SND.NXT, or equal
 * to SND.NXT (a segment that carried nothing), an MTU not below what we
 * send, a quoted datagram that would have fitted, a connection we do not
 * have.  Each is counted as ignored and changes nothing. */
/* proves: RFC1191-3c */
static void a_forged_frag_needed_outside_the_flight_is_ignored_and_counted(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured first, s;
	pmtu_open_and_send(&c, &cfg, 3000, &first);
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 100000, 1280, 0);  /* far outside */
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, (uint32_t)-1, 1280, 0); /* before SND.UNA */
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, c.t->snd_nxt - first.seg.seq, 1280, 0); /* SND.NXT */
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 0, 1500, 0);       /* not smaller */
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 0, 1280, 600);     /* it fitted */
	struct captured other = first;
	other.raw[IP_HDR_MIN] ^= 0x40;                               /* another port */
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &other, 0, 1280, 0);
	const struct tcp_stats *st = &c.tn.host->stats.tcp;
	CU_ASSERT_EQUAL(st->icmp_ignored, 6);
	CU_ASSERT_EQUAL(st->pmtu_lowered, 0);
	CU_ASSERT_EQUAL(st->icmp_accepted, 0);
	CU_ASSERT_EQUAL(c.t->snd_mss, 1460);
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));              /* nothing resent */
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 1460, 1280, 0);    /* the second segment: real */
	CU_ASSERT_EQUAL(st->pmtu_lowered, 1);
	CU_ASSERT_EQUAL(c.t->snd_mss, 1240);
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 0, 1400, 0);       /* never raised again */
	CU_ASSERT_EQUAL(c.t->snd_mss, 1240);
	CU_ASSERT_EQUAL(st->icmp_ignored, 7);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* An old router sends MTU 0: the plateau below the quoted datagram's
 * length (RFC 1191 §5, §7), 1500 -> 1492 -> 1006; a claim below the floor
 * of 552 stops at the floor. */
/* proves: RFC1191-5 RFC1191-3d RFC1191-3f */
static void frag_needed_without_an_mtu_steps_down_the_plateaus_to_the_floor(void)
{
	LEAK_CHECK_BEGIN;
	CU_ASSERT_EQUAL(tcp_pmtu_plateau_below(1500), 1492);
	CU_ASSERT_EQUAL(tcp_pmtu_plateau_below(1492), 1006);
	CU_ASSERT_EQUAL(tcp_pmtu_plateau_below(1006), 508);
	CU_ASSERT_EQUAL(tcp_pmtu_plateau_below(65536), 65535);
	CU_ASSERT_EQUAL(tcp_pmtu_plateau_below(68), 68);
	struct config cfg = testnet_config();
	struct peer c;
	struct captured first;
	pmtu_open_and_send(&c, &cfg, 3000, &first);
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 0, 0, 0);
	CU_ASSERT_EQUAL(c.t->snd_mss, 1452);
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 0, 0, 1492);
	CU_ASSERT_EQUAL(c.t->snd_mss, 966);
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 0, 68, 1006);
	CU_ASSERT_EQUAL(c.t->snd_mss, 552 - 40);
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 0, 68, 552);       /* at the floor already */
	CU_ASSERT_EQUAL(c.t->snd_mss, 512);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.pmtu_lowered, 3);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.icmp_ignored, 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* The peer behind a black hole: every datagram over `mtu` bytes vanishes,
 * the rest are delivered and acknowledged in order.  Runs until all `n`
 * bytes are acknowledged or `limit` passes; returns the bytes received. */
static size_t pmtu_black_hole(struct peer *c, size_t mtu, size_t n, usec_t limit)
{
	size_t got = 0;
	struct captured s;
	while (loop_now(&c->tn.loop) < limit && c->t != NULL && got < n) {
		while (testnet_pop_segment(&c->tn, &s)) {
			if (ip_get(s.raw, IP_TOTAL_LENGTH) > mtu || s.seg.seq != c->iss + 1 + got)
				continue;
			for (size_t i = 0; i < s.seg.len; i++)
				CU_ASSERT_EQUAL(s.seg.data[i], (uint8_t)((got + i) % 251));
			got += s.seg.len;
			peer_send(c, SEG(.seq = 1, .ack = 1 + (uint32_t)got, .flags = TH_ACK));
		}
		loop_run_for(&c->tn.loop, MSEC(10));
	}
	return got;
}

/* proves: RFC9293-SHLD-6 */
static void a_black_hole_is_found_after_repeated_timeouts_and_the_transfer_completes(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rto_min = MSEC(200);
	struct peer c;
	struct captured first;
	pmtu_open_and_send(&c, &cfg, 8000, &first);        /* the first flight vanishes */
	size_t got = pmtu_black_hole(&c, 1280, 8000, SEC(120));
	const struct tcp_stats *st = &c.tn.host->stats.tcp;
	CU_ASSERT_EQUAL(got, 8000);
	CU_ASSERT_EQUAL(c.t->snd_una, c.iss + 1 + 8000);
	CU_ASSERT_EQUAL(st->blackholes, 2);                 /* 1500 -> 1492 -> 1006 */
	CU_ASSERT_EQUAL(c.t->snd_mss, 1006 - 40);
	CU_ASSERT_EQUAL(st->rto_fired, 3);                  /* the second and third lowered it */
	CU_ASSERT_EQUAL(st->pmtu_lowered, 0);
	CU_ASSERT_EQUAL(c.app.errors, 0);
	CU_ASSERT(loop_now(&c.tn.loop) < SEC(10));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Repeated timeouts on a path that has carried a full segment are loss,
 * not a black hole: the MSS stays. */
static void a_path_that_carried_a_full_segment_is_not_taken_for_a_black_hole(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rto_min = MSEC(200);
	struct peer c;
	struct captured first;
	pmtu_open_and_send(&c, &cfg, 1460, &first);
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 1460, .flags = TH_ACK));
	CU_ASSERT_TRUE(c.t->full_size_acked);
	static uint8_t more[4000];
	tcp_send(c.t, more, sizeof more);
	for (int i = 0; i < 5; i++) {                       /* everything lost, five times */
		testnet_drain(&c.tn);
		loop_run_for(&c.tn.loop, c.t->rto);
	}
	CU_ASSERT(c.tn.host->stats.tcp.rto_fired >= 4);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.blackholes, 0);
	CU_ASSERT_EQUAL(c.t->snd_mss, 1460);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* RFC 1122 §4.2.3.9, RFC 5927 §5: a destination unreachable about an
 * open connection aborts nothing; if the connection later times out, it
 * is the error the application hears. */
/* proves: RFC9293-MUST-54 RFC9293-SHLD-25 RFC9293-MUST-56 */
static void a_soft_error_does_not_abort_but_is_reported_on_timeout(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.retries2 = 3;
	cfg.blackhole_rtos = 0;
	struct peer c;
	struct captured first;
	pmtu_open_and_send(&c, &cfg, 100, &first);
	pmtu_inject(&c, ICMP_HOST_UNREACH, &first, 0, 0, 0);
	pmtu_inject(&c, ICMP_PORT_UNREACH, &first, 0, 0, 0);       /* "hard", but soft here */
	pmtu_inject(&c, ICMP_NET_UNREACH, &first, 0, 0, 0);
	CU_ASSERT_EQUAL_FATAL(c.app.errors, 0);                     /* not aborted */
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.icmp_accepted, 3);
	CU_ASSERT_EQUAL(c.t->state, TCP_ESTABLISHED);
	loop_run_for(&c.tn.loop, SEC(1));                           /* still there, resending */
	CU_ASSERT_EQUAL(c.app.errors, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rto_fired, 1);
	loop_run_for(&c.tn.loop, SEC(600));
	CU_ASSERT_EQUAL(c.app.errors, 1);
	CU_ASSERT_EQUAL(c.app.last_error, ENETUNREACH);             /* the last one heard */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* "Send smaller" is not an error: a connection that times out after one
 * reports ETIMEDOUT. */
static void frag_needed_is_not_the_error_reported_when_the_connection_times_out(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.retries2 = 3;
	struct peer c;
	struct captured first;
	pmtu_open_and_send(&c, &cfg, 3000, &first);
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 0, 1280, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.pmtu_lowered, 1);
	loop_run_for(&c.tn.loop, SEC(600));
	CU_ASSERT_EQUAL(c.app.errors, 1);
	CU_ASSERT_EQUAL(c.app.last_error, ETIMEDOUT);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* The simulated path: mtu=N answers a longer datagram with a
 * frag-needed quoting it, blackhole=N drops it without a word; shorter
 * ones pass either way. */
struct pmtu_sink {
	int n;
	uint8_t last[64];
	size_t last_len;
};

static void pmtu_sink_rx(struct netdev *dev, struct pkb *p, void *arg)
{
	struct pmtu_sink *k = arg;
	(void)dev;
	k->n++;
	k->last_len = MIN(p->len, sizeof k->last);
	memcpy(k->last, p->data, k->last_len);
	pkb_free(p);
}

static void pmtu_sim_send(struct netdev *from, size_t len)
{
	static uint8_t payload[2000];
	uint8_t buf[2048];
	size_t n = build_ipv4(buf, ADDR(10, 0, 0, 1), ADDR(10, 0, 0, 2), 253, payload,
			      len - IP_HDR_MIN);
	netdev_send(from, pkb_from(buf, n));
}

static void the_simulated_path_answers_a_large_packet_with_frag_needed_or_silence(void)
{
	LEAK_CHECK_BEGIN;
	char err[256];
	for (int silent = 0; silent <= 1; silent++) {
		struct impair_cfg ic;
		impair_cfg_default(&ic);
		CU_ASSERT_EQUAL_FATAL(impair_parse(&ic, silent ? "blackhole=1280" : "mtu=1280",
						   err, sizeof err), 0);
		CU_ASSERT_EQUAL(ic.mtu, 1280);
		CU_ASSERT_EQUAL(ic.mtu_silent, silent);
		struct loop loop;
		loop_init(&loop, CLOCK_VIRTUAL);
		struct simlink *link = simlink_create(&loop, &ic, &ic, 1500);
		struct pmtu_sink at_a = { 0 }, at_b = { 0 };
		netdev_set_rx(simlink_end(link, 0), pmtu_sink_rx, &at_a);
		netdev_set_rx(simlink_end(link, 1), pmtu_sink_rx, &at_b);
		pmtu_sim_send(simlink_end(link, 0), 1500);
		pmtu_sim_send(simlink_end(link, 0), 1280);
		loop_run_for(&loop, MSEC(10));
		CU_ASSERT_EQUAL(at_b.n, 1);                     /* only the one that fits */
		CU_ASSERT_EQUAL(at_a.n, silent ? 0 : 1);
		if (!silent && at_a.n == 1) {
			const uint8_t *m = at_a.last + IP_HDR_MIN;
			CU_ASSERT_EQUAL(ip_get(at_a.last, IP_PROTOCOL), IPPROTO_ICMP_);
			CU_ASSERT_EQUAL(ip_get(at_a.last, IP_DST), ADDR(10, 0, 0, 1));
			CU_ASSERT_EQUAL(inet_checksum(at_a.last, IP_HDR_MIN), 0);
			CU_ASSERT_EQUAL(m[0], ICMP_DEST_UNREACH);
			CU_ASSERT_EQUAL(m[1], ICMP_FRAG_NEEDED);
			CU_ASSERT_EQUAL(m[6] << 8 | m[7], 1280);
			CU_ASSERT_EQUAL(ip_get(m + ICMP_HDR_LEN, IP_TOTAL_LENGTH), 1500);
		}
		netdev_destroy(simlink_end(link, 0));
		netdev_destroy(simlink_end(link, 1));
		loop_free(&loop);
	}
	/* the wrapper of tcpstack --impair: the answer goes up to the stack */
	struct impair_cfg wc, none;
	impair_cfg_default(&wc);
	impair_cfg_default(&none);
	CU_ASSERT_EQUAL_FATAL(impair_parse(&wc, "mtu=1280", err, sizeof err), 0);
	struct loop loop;
	loop_init(&loop, CLOCK_VIRTUAL);
	struct simlink *link = simlink_create(&loop, &none, &none, 1500);
	struct netdev *w = impair_wrap(simlink_end(link, 0), &wc);
	struct pmtu_sink up = { 0 }, far = { 0 };
	netdev_set_rx(w, pmtu_sink_rx, &up);
	netdev_set_rx(simlink_end(link, 1), pmtu_sink_rx, &far);
	pmtu_sim_send(w, 1500);
	loop_run_for(&loop, MSEC(10));
	CU_ASSERT_EQUAL(far.n, 0);
	CU_ASSERT_EQUAL(up.n, 1);
	CU_ASSERT_EQUAL(up.last[IP_HDR_MIN], ICMP_DEST_UNREACH);
	CU_ASSERT_EQUAL(up.last[IP_HDR_MIN + 1], ICMP_FRAG_NEEDED);
	netdev_destroy(w);
	netdev_destroy(simlink_end(link, 1));
	loop_free(&loop);
	struct impair_cfg ic;
	impair_cfg_default(&ic);
	CU_ASSERT_EQUAL(impair_parse(&ic, "mtu=40", err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "packet size"));
	LEAK_CHECK_END;
}

static void register_ch11_path_mtu(void)
{
	static const struct test_entry tests[] = {
		TEST(every_data_segment_leaves_with_df_set),
		TEST(frag_needed_quoting_our_flight_lowers_the_mss_and_resends),
		TEST(a_forged_frag_needed_outside_the_flight_is_ignored_and_counted),
		TEST(frag_needed_without_an_mtu_steps_down_the_plateaus_to_the_floor),
		TEST(a_black_hole_is_found_after_repeated_timeouts_and_the_transfer_completes),
		TEST(a_path_that_carried_a_full_segment_is_not_taken_for_a_black_hole),
		TEST(a_soft_error_does_not_abort_but_is_reported_on_timeout),
		TEST(frag_needed_is_not_the_error_reported_when_the_connection_times_out),
		TEST(the_simulated_path_answers_a_large_packet_with_frag_needed_or_silence),
	};
	add_suite("ch11 path MTU, black holes and soft errors", tests, ARRAY_LEN(tests));
}

/* ==== end of path MTU ==== */


/* ==== ECN ==== */

#include "checksum.h"
#include "impair.h"
#include <unistd.h>

#define ECN_MSS 1000u

/* A segment from the scripted peer, as peer_send makes it, whose IP header
 * carries the ECN codepoint `ecn` (the checksum made again). */
static void ecn_send(struct peer *p, struct seg_tmpl s, uint8_t ecn)
{
	uint8_t pkt[1600];
	size_t n = build_tcp(pkt, ADDR(10, 0, 0, 1), ADDR(10, 0, 0, 2), 80, p->port,
			     s.seq + p->piss, s.ack + p->iss, s.flags, s.wnd ? s.wnd : p->wnd,
			     s.opt, s.optlen, s.data, s.len);
	ip_set(pkt, IP_ECN, ecn);
	ip_set(pkt, IP_CHECKSUM, 0);
	ip_set(pkt, IP_CHECKSUM, inet_checksum(pkt, IP_HDR_MIN));
	testnet_inject(&p->tn, pkt, n);
}

/* The stack connects (with cfg) to a scripted peer, whose SYN-ACK carries
 * an MSS of 1,000 and the ECN flags `synack` besides SYN and ACK; the
 * stack's SYN is returned in *syn. */
static void ecn_open(struct peer *p, const struct config *cfg, uint8_t synack,
		     struct captured *syn)
{
	memset(p, 0, sizeof *p);
	testnet_init(&p->tn, cfg);
	p->piss = 9000;
	p->wnd = 60000;
	int err;
	p->t = tcp_connect(p->tn.host, ADDR(10, 0, 0, 1), 80, app_event, &p->app, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->t);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&p->tn, syn));
	p->port = syn->seg.sport;
	p->iss = syn->seg.seq;
	const uint8_t mss[4] = { 2, 4, ECN_MSS >> 8, ECN_MSS & 0xff };
	testnet_send(&p->tn, SEG(.sport = 80, .dport = p->port, .seq = p->piss, .ack = p->iss + 1,
				 .flags = TH_SYN | TH_ACK | synack, .wnd = 60000, .opt = mss,
				 .optlen = 4));
	CU_ASSERT_EQUAL_FATAL(p->t->state, TCP_ESTABLISHED);
}

/* ecn_open for the tests of ECN at work: the stack asks (tcp_ecn 1), the
 * peer agrees, no timestamps; with `delack` false, every segment is
 * acknowledged at once. */
static void ecn_agreed(struct peer *p, bool delack, struct captured *syn)
{
	struct config cfg = testnet_config();
	cfg.timestamps = false;
	if (!delack)
		cfg.delack = 0;
	cfg.ecn = 1;
	ecn_open(p, &cfg, TH_ECE, syn);
}

/* A listener with cfg is sent a SYN with the ECN flags `flags`; its
 * SYN-ACK is returned in *synack, and whether it uses ECN. */
static bool ecn_passive(const struct config *cfg, uint8_t flags, struct captured *synack)
{
	struct testnet tn;
	testnet_init(&tn, cfg);
	int err;
	struct app_log app = { 0 };
	struct tcb *l = tcp_listen(tn.host, 80, 4, app_event, &app, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	testnet_send(&tn, SEG(.sport = 5555, .dport = 80, .seq = 100, .flags = TH_SYN | flags,
			      .wnd = 60000));
	bool got = testnet_pop_segment(&tn, synack);
	CU_ASSERT_TRUE(got);
	CU_ASSERT_TRUE(got && (synack->seg.flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK));
	CU_ASSERT_EQUAL(synack->seg.ecn, IP_ECN_NOT_ECT);
	bool ok = tn.host->stats.tcp.ecn_connections == 1;
	testnet_free(&tn);
	return ok;
}

/* proves: RFC9293-SHLD-8 RFC3168-6.1.1a RFC3168-6.1.1b RFC3168-6.1.1f */
static void ecn_is_negotiated_only_when_both_syns_agree(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.timestamps = false;
	struct peer c;
	struct captured syn, s;
	CU_ASSERT_EQUAL(cfg.ecn, 2);                         /* accept, never ask */
	cfg.ecn = 1;
	ecn_open(&c, &cfg, TH_ECE, &syn);                     /* asked, and agreed */
	CU_ASSERT_EQUAL(syn.seg.flags, TH_SYN | TH_ECE | TH_CWR);
	CU_ASSERT_EQUAL(syn.seg.ecn, IP_ECN_NOT_ECT);
	CU_ASSERT_TRUE(c.t->ecn & ECN_OK);
	testnet_free(&c.tn);
	ecn_open(&c, &cfg, TH_ECE | TH_CWR, &syn);            /* a reflector's SYN-ACK */
	CU_ASSERT_FALSE(c.t->ecn & ECN_OK);
	testnet_free(&c.tn);
	ecn_open(&c, &cfg, 0, &syn);                          /* the peer said no */
	CU_ASSERT_FALSE(c.t->ecn & ECN_OK);
	testnet_free(&c.tn);
	cfg.ecn = 2;
	ecn_open(&c, &cfg, TH_ECE, &syn);                     /* we did not ask */
	CU_ASSERT_EQUAL(syn.seg.flags, TH_SYN);
	CU_ASSERT_FALSE(c.t->ecn & ECN_OK);
	testnet_free(&c.tn);
	/* the first retransmission of the SYN asks again, the second does not */
	cfg.ecn = 1;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	int err;
	struct app_log app = { 0 };
	CU_ASSERT_PTR_NOT_NULL(tcp_connect(tn.host, ADDR(10, 0, 0, 1), 80, app_event, &app, &err));
	CU_ASSERT_TRUE(testnet_pop_segment(&tn, &s) && (s.seg.flags & TH_ECE));
	loop_run_for(&tn.loop, cfg.rto_initial + MSEC(10));
	CU_ASSERT_TRUE(testnet_pop_segment(&tn, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_SYN | TH_ECE | TH_CWR);
	loop_run_for(&tn.loop, 2 * cfg.rto_initial + MSEC(10));
	CU_ASSERT_TRUE(testnet_pop_segment(&tn, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_SYN);
	testnet_free(&tn);
	/* the passive side: an ECN-setup SYN-ACK answers an ECN-setup SYN */
	cfg.ecn = 2;
	CU_ASSERT_TRUE(ecn_passive(&cfg, TH_ECE | TH_CWR, &s));
	CU_ASSERT_EQUAL(s.seg.flags & (TH_ECE | TH_CWR), TH_ECE);
	CU_ASSERT_FALSE(ecn_passive(&cfg, TH_ECE, &s));       /* not an ECN-setup SYN */
	CU_ASSERT_EQUAL(s.seg.flags & (TH_ECE | TH_CWR), 0);
	cfg.ecn = 0;
	CU_ASSERT_FALSE(ecn_passive(&cfg, TH_ECE | TH_CWR, &s));
	CU_ASSERT_EQUAL(s.seg.flags & (TH_ECE | TH_CWR), 0);
	LEAK_CHECK_END;
}

/* proves: RFC3168-6.1.1c RFC3168-6.1.4 RFC3168-6.1.5 RFC3168-6.1.6 RFC3168-5.2 */
static void data_carries_ect0_and_acks_retransmissions_and_probes_do_not(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.timestamps = false;
	cfg.delack = 0;
	cfg.ecn = 1;
	struct peer c;
	struct captured syn, s;
	ecn_open(&c, &cfg, TH_ECE, &syn);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));   /* the handshake's ACK */
	CU_ASSERT_EQUAL(s.seg.len, 0);
	CU_ASSERT_EQUAL(s.seg.ecn, IP_ECN_NOT_ECT);
	static uint8_t data[3000];
	tcp_send(c.t, data, sizeof data);
	int n = 0;
	while (testnet_pop_segment(&c.tn, &s)) {
		n++;
		CU_ASSERT_TRUE(s.seg.len > 0);
		CU_ASSERT_EQUAL(s.seg.ecn, IP_ECN_ECT0);
	}
	CU_ASSERT_EQUAL(n, 3);
	ecn_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, TEXT("hello")), IP_ECN_ECT0);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));   /* a pure ACK */
	CU_ASSERT_EQUAL(s.seg.len, 0);
	CU_ASSERT_EQUAL(s.seg.ecn, IP_ECN_NOT_ECT);
	uint64_t rtx = c.tn.host->stats.tcp.retransmitted_segs;
	loop_run_for(&c.tn.loop, SEC(1) + MSEC(100));          /* the timer resends */
	CU_ASSERT_TRUE(c.tn.host->stats.tcp.retransmitted_segs > rtx);
	n = 0;
	while (testnet_pop_segment(&c.tn, &s)) {
		n += s.seg.len > 0;
		CU_ASSERT_EQUAL(s.seg.ecn, IP_ECN_NOT_ECT);
	}
	CU_ASSERT_TRUE(n >= 1);
	/* everything acknowledged with a closed window; a probe tests it */
	testnet_send(&c.tn, SEG(.sport = 80, .dport = c.port, .seq = c.piss + 6,
				 .ack = c.iss + 1 + 3000, .flags = TH_ACK, .wnd = 0));
	testnet_drain(&c.tn);
	tcp_send(c.t, data, 100);
	uint64_t probes = c.tn.host->stats.tcp.persist_probes;
	loop_run_for(&c.tn.loop, SEC(3));
	CU_ASSERT_TRUE(c.tn.host->stats.tcp.persist_probes > probes);
	n = 0;
	while (testnet_pop_segment(&c.tn, &s)) {
		n += s.seg.len == 1;
		CU_ASSERT_EQUAL(s.seg.ecn, IP_ECN_NOT_ECT);
	}
	CU_ASSERT_TRUE(n >= 1);
	testnet_free(&c.tn);
	/* without ECN, data is Not-ECT */
	cfg.ecn = 0;
	ecn_open(&c, &cfg, TH_ECE, &syn);
	testnet_drain(&c.tn);
	tcp_send(c.t, data, 1000);
	CU_ASSERT_TRUE(testnet_pop_segment(&c.tn, &s) && s.seg.len == 1000);
	CU_ASSERT_EQUAL(s.seg.ecn, IP_ECN_NOT_ECT);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* A reduction leaves CWR owed. Neither the retransmissions the timer sends
 * nor a window probe carries it (nor ECT); the first new data segment
 * inside the window does (RFC 3168 §6.1.2, §6.1.6). */
/* proves: RFC3168-6.1.2c RFC3168-6.1.6 */
static void cwr_waits_for_new_data_not_a_retransmission_or_a_probe(void)
{
	LEAK_CHECK_BEGIN;
	struct peer c;
	struct captured syn, s;
	ecn_agreed(&c, false, &syn);
	testnet_drain(&c.tn);
	static uint8_t data[3000];
	tcp_send(c.t, data, sizeof data);
	testnet_drain(&c.tn);
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 1000, .flags = TH_ACK | TH_ECE));
	CU_ASSERT_TRUE_FATAL(c.t->ecn & ECN_SEND_CWR);           /* owed */
	testnet_drain(&c.tn);
	loop_run_for(&c.tn.loop, SEC(1) + MSEC(100));          /* the timer resends */
	int n = 0;
	while (testnet_pop_segment(&c.tn, &s)) {
		if (s.seg.len == 0)
			continue;
		n++;
		CU_ASSERT_FALSE(s.seg.flags & TH_CWR);
		CU_ASSERT_EQUAL(s.seg.ecn, IP_ECN_NOT_ECT);
	}
	CU_ASSERT_TRUE(n >= 1);
	CU_ASSERT_TRUE(c.t->ecn & ECN_SEND_CWR);                 /* still owed */
	/* everything acknowledged with a closed window; a probe tests it */
	testnet_send(&c.tn, SEG(.sport = 80, .dport = c.port, .seq = c.piss + 1,
				 .ack = c.iss + 1 + 3000, .flags = TH_ACK, .wnd = 0));
	testnet_drain(&c.tn);
	tcp_send(c.t, data, 100);
	uint64_t probes = c.tn.host->stats.tcp.persist_probes;
	loop_run_for(&c.tn.loop, SEC(3));
	CU_ASSERT_TRUE(c.tn.host->stats.tcp.persist_probes > probes);
	n = 0;
	while (testnet_pop_segment(&c.tn, &s)) {
		if (s.seg.len == 0)
			continue;
		n++;
		CU_ASSERT_FALSE(s.seg.flags & TH_CWR);
		CU_ASSERT_EQUAL(s.seg.ecn, IP_ECN_NOT_ECT);
	}
	CU_ASSERT_TRUE(n >= 1);
	/* the window opens: one new segment, ECT(0), carries CWR */
	testnet_send(&c.tn, SEG(.sport = 80, .dport = c.port, .seq = c.piss + 1,
				 .ack = c.iss + 1 + 3000, .flags = TH_ACK, .wnd = 60000));
	int cwr = 0;
	while (testnet_pop_segment(&c.tn, &s))
		if (s.seg.flags & TH_CWR) {
			cwr++;
			CU_ASSERT_EQUAL(s.seg.ecn, IP_ECN_ECT0);
		}
	CU_ASSERT_EQUAL(cwr, 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* The flags of the next segment the stack sends; 0xff if none. */
static unsigned ecn_next_flags(struct peer *p, struct captured *s)
{
	return testnet_pop_segment(&p->tn, s) ? s->seg.flags : 0xffu;
}

/* proves: RFC3168-6.1.3 RFC3168-6.1.1e */
static void a_ce_mark_is_echoed_with_ece_until_cwr_arrives(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.timestamps = false;
	cfg.ecn = 1;
	struct peer c;
	struct captured syn, s;
	ecn_open(&c, &cfg, TH_ECE, &syn);
	testnet_drain(&c.tn);
	uint32_t q = 1;
	ecn_send(&c, SEG(.seq = q, .ack = 1, .flags = TH_ACK, TEXT("aaaa")), IP_ECN_ECT0);
	q += 4;
	CU_ASSERT_EQUAL(ecn_next_flags(&c, &s), 0xffu);          /* unmarked: the ACK waits */
	ecn_send(&c, SEG(.seq = q, .ack = 1, .flags = TH_ACK, TEXT("bbbb")), IP_ECN_CE);
	q += 4;
	CU_ASSERT_EQUAL(ecn_next_flags(&c, &s), TH_ACK | TH_ECE);  /* the first mark: at once */
	CU_ASSERT_EQUAL(s.seg.ack, c.piss + q);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.ecn_ce_received, 1);
	ecn_send(&c, SEG(.seq = q, .ack = 1, .flags = TH_ACK, TEXT("cccc")), IP_ECN_ECT0);
	q += 4;
	loop_run_for(&c.tn.loop, cfg.delack + MSEC(1));
	CU_ASSERT_EQUAL(ecn_next_flags(&c, &s), TH_ACK | TH_ECE);  /* still echoing */
	tcp_send(c.t, "xy", 2);                                    /* data carries it too */
	CU_ASSERT_TRUE(ecn_next_flags(&c, &s) & TH_ECE);
	CU_ASSERT_EQUAL(s.seg.len, 2);
	ecn_send(&c, SEG(.seq = q, .ack = 3, .flags = TH_ACK | TH_CWR, TEXT("dddd")), IP_ECN_ECT0);
	q += 4;
	loop_run_for(&c.tn.loop, cfg.delack + MSEC(1));
	CU_ASSERT_EQUAL(ecn_next_flags(&c, &s), TH_ACK);           /* CWR ended it */
	ecn_send(&c, SEG(.seq = q, .ack = 3, .flags = TH_ACK | TH_CWR, TEXT("eeee")), IP_ECN_CE);
	q += 4;
	CU_ASSERT_EQUAL(ecn_next_flags(&c, &s), TH_ACK | TH_ECE);  /* CWR and CE: CE wins */
	ecn_send(&c, SEG(.seq = q, .ack = 3, .flags = TH_ACK | TH_CWR, TEXT("ffff")), IP_ECN_ECT0);
	loop_run_for(&c.tn.loop, cfg.delack + MSEC(1));
	CU_ASSERT_EQUAL(ecn_next_flags(&c, &s), TH_ACK);
	testnet_free(&c.tn);
	/* a connection without ECN ignores the mark */
	cfg.ecn = 0;
	ecn_open(&c, &cfg, TH_ECE, &syn);
	testnet_drain(&c.tn);
	ecn_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, TEXT("aaaa")), IP_ECN_CE);
	loop_run_for(&c.tn.loop, cfg.delack + MSEC(1));
	CU_ASSERT_EQUAL(ecn_next_flags(&c, &s), TH_ACK);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC3168-6.1.2 RFC3168-6.1.1d RFC3168-5a */
static void the_sender_reduces_cwnd_once_per_window_of_ece_and_sets_cwr(void)
{
	LEAK_CHECK_BEGIN;
	struct peer c;
	struct captured syn, s;
	ecn_agreed(&c, true, &syn);
	testnet_drain(&c.tn);
	struct tcb *t = c.t;
	const struct tcp_stats *st = &c.tn.host->stats.tcp;
	static uint8_t data[40000];
	tcp_send(t, data, sizeof data);
	int n = 0;
	while (testnet_pop_segment(&c.tn, &s))
		n++;
	CU_ASSERT_EQUAL(n, 10);                                   /* the initial window */
	uint32_t flight = t->snd_nxt - t->snd_una, recover = t->snd_nxt;
	/* the first ACK with ECE: half the flight, at once, nothing resent */
	peer_send(&c, SEG(.seq = 1, .ack = 1 + 1000, .flags = TH_ACK | TH_ECE));
	CU_ASSERT_EQUAL(st->ecn_reductions, 1);
	CU_ASSERT_EQUAL(t->ssthresh, (flight - 1000) / 2);
	CU_ASSERT_EQUAL(t->cwnd, t->ssthresh);
	CU_ASSERT_EQUAL(st->retransmitted_segs, 0);
	CU_ASSERT_FALSE(t->flags & TF_IN_RECOVERY);
	uint32_t ssthresh = t->ssthresh;
	/* the rest of the window's ACKs echo the same mark: no second reduction;
	 * the first new segment carries CWR, and only the first */
	int cwr = 0, sent = 0;
	for (uint32_t a = 2000; SEQ_LEQ(c.iss + 1 + a, recover); a += 1000) {
		peer_send(&c, SEG(.seq = 1, .ack = 1 + a, .flags = TH_ACK | TH_ECE));
		while (testnet_pop_segment(&c.tn, &s)) {
			if (s.seg.len == 0)
				continue;
			CU_ASSERT_TRUE(SEQ_GEQ(s.seg.seq, recover));  /* new data, none resent */
			CU_ASSERT_EQUAL(s.seg.ecn, IP_ECN_ECT0);
			cwr += (s.seg.flags & TH_CWR) != 0;
			CU_ASSERT_EQUAL(sent == 0, (s.seg.flags & TH_CWR) != 0);
			sent++;
		}
	}
	CU_ASSERT_EQUAL(st->ecn_reductions, 1);
	CU_ASSERT_EQUAL(t->ssthresh, ssthresh);
	CU_ASSERT_TRUE(st->ecn_echoes >= 9);
	CU_ASSERT_EQUAL(cwr, 1);
	CU_ASSERT_TRUE(sent >= 1);
	CU_ASSERT_EQUAL(st->retransmitted_segs, 0);
	/* an echo beyond the answered window is a new mark: a second reduction */
	peer_send(&c, SEG(.seq = 1, .ack = recover - c.iss + 1000, .flags = TH_ACK | TH_ECE));
	CU_ASSERT_EQUAL(st->ecn_reductions, 2);
	CU_ASSERT_TRUE(t->ssthresh < ssthresh);
	CU_ASSERT_EQUAL(t->cwnd, t->ssthresh);
	CU_ASSERT_TRUE(t->ecn & ECN_SEND_CWR || t->snd_nxt != recover);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC3168-5 */
static void a_marked_packet_keeps_a_valid_checksum_and_not_ect_is_never_marked(void)
{
	LEAK_CHECK_BEGIN;
	uint8_t pkt[1600];
	for (int ecn = 0; ecn < 4; ecn++) {
		size_t n = build_tcp(pkt, ADDR(10, 0, 0, 1), ADDR(10, 0, 0, 2), 1, 2, 3, 4, TH_ACK,
				     100, NULL, 0, "data", 4);
		ip_set(pkt, IP_ECN, (uint32_t)ecn);
		ip_set(pkt, IP_CHECKSUM, 0);
		ip_set(pkt, IP_CHECKSUM, inet_checksum(pkt, IP_HDR_MIN));
		struct pkb *p = pkb_from(pkt, n);
		CU_ASSERT_EQUAL(impair_mark_ce(p), ecn != IP_ECN_NOT_ECT);
		CU_ASSERT_EQUAL(ip_get(p->data, IP_ECN), ecn == IP_ECN_NOT_ECT ? 0u : IP_ECN_CE);
		CU_ASSERT_EQUAL(inet_checksum(p->data, IP_HDR_MIN), 0);
		CU_ASSERT_EQUAL(memcmp(p->data + IP_HDR_MIN, pkt + IP_HDR_MIN, n - IP_HDR_MIN), 0);
		pkb_free(p);
	}
	struct impair_cfg ic;
	impair_cfg_default(&ic);
	char err[256];
	CU_ASSERT_EQUAL(impair_parse(&ic, "mark=20,ce=5%", err, sizeof err), 0);
	CU_ASSERT_EQUAL(ic.mark_above, 20);
	CU_ASSERT_DOUBLE_EQUAL(ic.ce, 0.05, 1e-9);
	CU_ASSERT_NOT_EQUAL(impair_parse(&ic, "mark=0", err, sizeof err), 0);
	CU_ASSERT_NOT_EQUAL(impair_parse(&ic, "ce=120%", err, sizeof err), 0);
	LEAK_CHECK_END;
}

/* The largest queue in the trace's "queue TIME PACKETS" lines after `from`
 * seconds; -1 if the file cannot be read. */
static long ecn_max_queue(const char *path, double from)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	char line[256];
	long max = 0;
	double when;
	long q;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "queue %lf %ld", &when, &q) == 2 && when >= from && q > max)
			max = q;
	fclose(f);
	return max;
}

static void a_marking_bottleneck_holds_its_queue_at_the_threshold_without_a_retransmission(void)
{
	char out[8192], path[64];
	snprintf(path, sizeof path, "/tmp/test-ch11-ecn-%ld.dat", (long)getpid());
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("bottleneck", "--ecn", "1", "--impair",
						   "queue=100,mark=30", "--trace", path),
				    out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "byte-exact"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "link: 0 drops at the queue"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " 0 segments retransmitted"));
	unsigned long long marked = 0, echoes = 0, reductions = 0;
	const char *e = strstr(out, "ECN: ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(sscanf(e, "ECN: %llu packets marked CE at the queue; a: %llu ACKs with ECE, "
			       "%llu window reductions", &marked, &echoes, &reductions), 3);
	CU_ASSERT_TRUE(marked > 0 && echoes > 0);
	CU_ASSERT_TRUE(reductions >= 20 && reductions <= 40);   /* one a sawtooth, ~1 s */
	long q = ecn_max_queue(path, 5.0);
	CU_ASSERT_TRUE(q >= 25 && q <= 33);                      /* held at the threshold */
	unlink(path);
	/* the same link without ECN: the queue of 100 fills, and drops */
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("bottleneck", "--impair", "queue=100,mark=30",
						   "--trace", path), out, sizeof out), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "link: 0 drops"));
	CU_ASSERT_TRUE(ecn_max_queue(path, 5.0) > 60);
	unlink(path);
}

static void register_ch11_ecn(void)
{
	static const struct test_entry ecn[] = {
		TEST(ecn_is_negotiated_only_when_both_syns_agree),
		TEST(data_carries_ect0_and_acks_retransmissions_and_probes_do_not),
		TEST(cwr_waits_for_new_data_not_a_retransmission_or_a_probe),
		TEST(a_ce_mark_is_echoed_with_ece_until_cwr_arrives),
		TEST(the_sender_reduces_cwnd_once_per_window_of_ece_and_sets_cwr),
		TEST(a_marked_packet_keeps_a_valid_checksum_and_not_ect_is_never_marked),
		TEST(a_marking_bottleneck_holds_its_queue_at_the_threshold_without_a_retransmission),
	};
	add_suite("ch11 ECN", ecn, ARRAY_LEN(ecn));
}

/* ==== end of ECN ==== */


/* ==== Appendix C: requirements without a test of their own ==== */

/* An urgent pointer that comes before the urgent byte (a segment with URG
 * and no data) wakes the application at once, and the mark tells it how
 * many bytes come before the urgent one. */
/* proves: RFC9293-MUST-32 */
static void an_urgent_pointer_alone_wakes_the_application(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	urg_open(&c, &cfg);
	int before = c.app.readable;
	urg_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK | TH_URG), 5);
	loop_run_for(&c.tn.loop, MSEC(1));
	CU_ASSERT_TRUE(c.app.readable > before);
	CU_ASSERT_EQUAL(tcp_urgent_mark(c.t), 4);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Our window is closed, and a segment at RCV.NXT brings an urgent byte:
 * the byte waits for room, but its urgent pointer is heard at once. */
/* proves: RFC9293-MUST-66 */
static void an_urgent_pointer_is_heard_through_a_closed_window(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rcvbuf = 1000;
	struct peer c;
	urg_open(&c, &cfg);
	static uint8_t fill[1000];
	memset(fill, 'f', sizeof fill);
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, .data = fill, .len = sizeof fill));
	CU_ASSERT_EQUAL_FATAL(c.t->rcv_wnd, 0);
	urg_send(&c, SEG(.seq = 1001, .ack = 1, .flags = TH_ACK | TH_URG, TEXT("!")), 1);
	CU_ASSERT_EQUAL(c.t->rcv_nxt, c.piss + 1001);            /* the byte waits... */
	CU_ASSERT_EQUAL(tcp_urgent_mark(c.t), 1000);              /* ...its mark is known */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Two full-sized segments in flight, and a router answers each with a
 * frag-needed message naming the same MTU: the first lowers the MSS and
 * resends the flight; the second lowers nothing (the flight already went
 * again at the new size) and resends nothing. */
/* proves: RFC1191-6.4 */
static void a_burst_of_frag_needed_messages_resends_the_flight_once(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured first, s;
	pmtu_open_and_send(&c, &cfg, 3000, &first);
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 0, 1280, 0);
	int resent = 0;
	while (testnet_pop_segment(&c.tn, &s))
		resent++;
	CU_ASSERT_EQUAL(resent, 3);                          /* 2,920 bytes in 1,240s */
	pmtu_inject(&c, ICMP_FRAG_NEEDED, &first, 1460, 1280, 0);   /* about the second */
	CU_ASSERT_FALSE(testnet_pop_segment(&c.tn, &s));
	const struct tcp_stats *st = &c.tn.host->stats.tcp;
	CU_ASSERT_EQUAL(st->pmtu_lowered, 1);
	CU_ASSERT_EQUAL(st->icmp_ignored, 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void register_ch11_conformance(void)
{
	static const struct test_entry conformance[] = {
		TEST(an_urgent_pointer_alone_wakes_the_application),
		TEST(an_urgent_pointer_is_heard_through_a_closed_window),
		TEST(a_burst_of_frag_needed_messages_resends_the_flight_once),
	};
	add_suite("ch11 conformance (Appendix C)", conformance, ARRAY_LEN(conformance));
}

/* ==== end of Appendix C ==== */

void register_ch11(void)
{
	register_ch11_urgent_keepalive();
	register_ch11_path_mtu();
	register_ch11_ecn();
	register_ch11_conformance();
}
