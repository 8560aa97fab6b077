/* Chapter 11, odds and ends: urgent data and PSH, keepalive, path MTU
 * (ICMP fragmentation needed, black holes, soft errors), and ECN. */
#include "testutil.h"
#include "tcp_var.h"

/* ==== urgent data, PSH and keepalive ==== */

static void register_ch11_urgent_keepalive(void)
{
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
