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

static void register_ch11_path_mtu(void)
{
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

/* The flags of the next segment the stack sends; 0xff if none. */
static unsigned ecn_next_flags(struct peer *p, struct captured *s)
{
	return testnet_pop_segment(&p->tn, s) ? s->seg.flags : 0xffu;
}

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

static void the_sender_reduces_cwnd_once_per_window_of_ece_and_sets_cwr(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.timestamps = false;
	cfg.ecn = 1;
	struct peer c;
	struct captured syn, s;
	ecn_open(&c, &cfg, TH_ECE, &syn);
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
		TEST(a_ce_mark_is_echoed_with_ece_until_cwr_arrives),
		TEST(the_sender_reduces_cwnd_once_per_window_of_ece_and_sets_cwr),
		TEST(a_marked_packet_keeps_a_valid_checksum_and_not_ect_is_never_marked),
		TEST(a_marking_bottleneck_holds_its_queue_at_the_threshold_without_a_retransmission),
	};
	add_suite("ch11 ECN", ecn, ARRAY_LEN(ecn));
}

/* ==== end of ECN ==== */


void register_ch11(void)
{
	register_ch11_urgent_keepalive();
	register_ch11_path_mtu();
	register_ch11_ecn();
}
