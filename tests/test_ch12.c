/* Chapter 12, under attack: RFC 5961's challenge ACKs for resets and
 * SYNs, the ACK acceptability range with MAX.SND.WND, and the limits on
 * answers to invalid segments, per connection and per host. */
#include "testutil.h"
#include "tcp_var.h"

/* How many segments the stack has sent since the last drain. */
static int sent_count(struct peer *p)
{
	int n = 0;
	struct captured c;
	while (testnet_pop_segment(&p->tn, &c))
		n++;
	return n;
}

/* proves: RFC5961-3.2b */
static void a_reset_in_the_window_but_not_at_rcv_nxt_draws_a_challenge_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer p;
	peer_open(&p, &cfg, 60000, 1000);
	peer_send(&p, SEG(.seq = 1 + 5000, .flags = TH_RST));
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&p.tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_ACK);
	CU_ASSERT_EQUAL(c.seg.ack, p.piss + 1);              /* "I expect this number" */
	CU_ASSERT_EQUAL(p.t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(p.tn.host->stats.tcp.challenge_acks, 1);
	peer_send(&p, SEG(.seq = 1, .flags = TH_RST));         /* the genuine one */
	CU_ASSERT_EQUAL(p.app.errors, 1);
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

/* proves: RFC5961-4.2 */
static void a_syn_on_an_open_connection_draws_a_challenge_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer p;
	peer_open(&p, &cfg, 60000, 1000);
	peer_send(&p, SEG(.seq = 1 + 20000, .flags = TH_SYN));   /* anywhere in the window */
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&p.tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_ACK);
	CU_ASSERT_EQUAL(c.seg.ack, p.piss + 1);
	CU_ASSERT_EQUAL(p.t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(p.tn.host->stats.tcp.challenge_acks, 1);
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

/* The peer offers a window of 1,000 bytes; the stack sends 5,000 and
 * the peer acknowledges all of them: SND.UNA is 5,001 past the ISS and
 * MAX.SND.WND is 1,000. */
static void send_5000_against_a_1000_window(struct peer *p)
{
	static const uint8_t data[5000];
	CU_ASSERT_EQUAL_FATAL(tcp_send(p->t, data, sizeof data), 5000);
	for (int rounds = 0; rounds < 50 && p->t->snd_una != p->iss + 5001; rounds++) {
		struct captured c;
		while (testnet_pop_segment(&p->tn, &c))
			if (c.seg.len > 0)
				peer_send(p, SEG(.seq = 1, .ack = c.seg.seq + c.seg.len - p->iss,
						 .flags = TH_ACK, .wnd = 1000));
		loop_run_for(&p->tn.loop, MSEC(10));
	}
	CU_ASSERT_EQUAL_FATAL(p->t->snd_una, p->iss + 5001);
	testnet_drain(&p->tn);
}

/* proves: RFC5961-5.2 */
static void an_ack_below_snd_una_less_max_snd_wnd_is_dropped_with_its_data_and_challenged(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.delack = 0;
	struct peer p;
	peer_open(&p, &cfg, 1000, 1000);
	send_5000_against_a_1000_window(&p);
	CU_ASSERT_EQUAL(p.t->max_snd_wnd, 1000);
	/* one below the range: data and all are dropped, and challenged */
	peer_send(&p, SEG(.seq = 1, .ack = 5001 - 1000 - 1, .flags = TH_ACK | TH_PSH, TEXT("blind")));
	CU_ASSERT_EQUAL(p.t->rcv_nxt, p.piss + 1);
	CU_ASSERT_EQUAL(p.tn.host->stats.tcp.ack_too_old, 1);
	CU_ASSERT_EQUAL(p.tn.host->stats.tcp.challenge_acks, 1);
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&p.tn, &c));
	CU_ASSERT_EQUAL(c.seg.ack, p.piss + 1);
	/* the lowest acceptable ACK: the data is taken */
	peer_send(&p, SEG(.seq = 1, .ack = 5001 - 1000, .flags = TH_ACK | TH_PSH, TEXT("right")));
	CU_ASSERT_EQUAL(p.t->rcv_nxt, p.piss + 6);
	CU_ASSERT_EQUAL(p.tn.host->stats.tcp.ack_too_old, 1);
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

/* proves: RFC5961-7 */
static void challenge_acks_are_limited_per_connection(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer p;
	peer_open(&p, &cfg, 60000, 1000);
	for (int i = 0; i < 100; i++)
		peer_send(&p, SEG(.seq = 1 + 100 + (uint32_t)i * 500, .flags = TH_RST));
	CU_ASSERT_EQUAL(sent_count(&p), 1);
	CU_ASSERT_EQUAL(p.tn.host->stats.tcp.challenge_acks, 1);
	CU_ASSERT_EQUAL(p.tn.host->stats.tcp.answers_limited, 99);
	loop_run_for(&p.tn.loop, MSEC(499));
	peer_send(&p, SEG(.seq = 1 + 100, .flags = TH_SYN));
	CU_ASSERT_EQUAL(sent_count(&p), 0);                   /* 499 ms: still held back */
	loop_run_for(&p.tn.loop, MSEC(1));
	peer_send(&p, SEG(.seq = 1 + 100, .flags = TH_SYN));
	CU_ASSERT_EQUAL(sent_count(&p), 1);                   /* 500 ms: the next one */
	CU_ASSERT_EQUAL(p.t->state, TCP_ESTABLISHED);
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

/* Many connections, each sending one challenge a second: the host sends
 * between the limit and twice it each second, a different number each
 * second. */
/* proves: RFC5961-7 */
static void challenge_acks_are_limited_per_host_to_a_budget_drawn_each_second(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.challenge_ack_limit = 10;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	int err;
	tcp_listen(tn.host, 80, 64, NULL, NULL, &err);
	enum { N = 40 };
	for (uint16_t i = 0; i < N; i++) {                   /* N open connections */
		testnet_send(&tn, SEG(.sport = (uint16_t)(2000 + i), .dport = 80, .seq = 100,
				      .flags = TH_SYN, .wnd = 60000));
		struct captured sa;
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &sa));
		testnet_send(&tn, SEG(.sport = (uint16_t)(2000 + i), .dport = 80, .seq = 101,
				      .ack = sa.seg.seq + 1, .flags = TH_ACK, .wnd = 60000));
	}
	testnet_drain(&tn);
	int counts[4];
	uint64_t limited = 0;
	for (int s = 0; s < 4; s++) {
		loop_run_for(&tn.loop, SEC(1));
		for (uint16_t i = 0; i < N; i++)
			testnet_send(&tn, SEG(.sport = (uint16_t)(2000 + i), .dport = 80,
					      .seq = 101 + 1000, .flags = TH_RST));
		counts[s] = 0;
		struct captured c;
		while (testnet_pop_segment(&tn, &c))
			counts[s]++;
		CU_ASSERT_TRUE(counts[s] >= 10 && counts[s] < 20);
		limited += (uint64_t)(N - counts[s]);
	}
	CU_ASSERT_EQUAL(tn.host->stats.tcp.challenges_limited, limited);
	CU_ASSERT_FALSE(counts[0] == counts[1] && counts[1] == counts[2] && counts[2] == counts[3]);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void an_empty_segment_outside_the_window_is_answered_once_per_interval_data_always(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.delack = 0;
	struct peer p;
	peer_open(&p, &cfg, 60000, 1000);
	peer_send(&p, SEG(.seq = 1, .ack = 1, .flags = TH_ACK | TH_PSH, TEXT("0123456789")));
	testnet_drain(&p.tn);
	for (int i = 0; i < 5; i++)                          /* far beyond the window */
		peer_send(&p, SEG(.seq = 1 + 1000000, .ack = 1, .flags = TH_ACK));
	CU_ASSERT_EQUAL(sent_count(&p), 1);
	for (int i = 0; i < 5; i++)                          /* data already received */
		peer_send(&p, SEG(.seq = 1, .ack = 1, .flags = TH_ACK | TH_PSH, TEXT("0123456789")));
	CU_ASSERT_EQUAL(sent_count(&p), 5);
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

/* ---- SYN cookies ----------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* A host whose listener on port 80 has a SYN queue of 4, already full. */
static struct tcb *full_listener(struct testnet *tn, struct config *cfg)
{
	cfg->max_syn_backlog = 4;
	testnet_init(tn, cfg);
	int err;
	struct tcb *l = tcp_listen(tn->host, 80, 16, NULL, NULL, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	for (uint16_t i = 0; i < 4; i++)
		testnet_send(tn, SEG(.sport = (uint16_t)(30000 + i), .dport = 80, .seq = 5,
				     .flags = TH_SYN, .wnd = 64240));
	testnet_drain(tn);
	CU_ASSERT_EQUAL_FATAL(l->listen->syn_q_len, 4);
	return l;
}

/* A SYN from port 40000 with MSS mss and, if tsval, window scale 7,
 * SACK-permitted and timestamps; the SYN-ACK that answers it. */
static void cookie_syn(struct testnet *tn, uint16_t mss, uint32_t tsval, struct captured *synack)
{
	uint8_t opt[20] = { 2, 4, (uint8_t)(mss >> 8), (uint8_t)mss, 1, 3, 3, 7, 4, 2, 8, 10 };
	put32(opt + 12, tsval);
	testnet_send(tn, SEG(.sport = 40000, .dport = 80, .seq = 1000, .flags = TH_SYN, .wnd = 64240,
			     .opt = opt, .optlen = tsval ? 20 : 4));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(tn, synack));
	CU_ASSERT_EQUAL(synack->seg.flags, TH_SYN | TH_ACK);
}

/* The final ACK of that handshake, echoing tsecr if not 0. */
static void cookie_ack(struct testnet *tn, uint32_t cookie, uint32_t tsecr)
{
	uint8_t opt[12] = { 1, 1, 8, 10 };
	put32(opt + 4, 777);
	put32(opt + 8, tsecr);
	testnet_send(tn, SEG(.sport = 40000, .dport = 80, .seq = 1001, .ack = cookie + 1,
			     .flags = TH_ACK, .wnd = 1000, .opt = opt, .optlen = tsecr ? 12 : 0));
}

/* proves: RFC4987-3.6 */
static void a_full_syn_queue_answers_with_cookies_and_keeps_nothing(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	full_listener(&tn, &cfg);
	for (uint16_t i = 0; i < 46; i++)
		testnet_send(&tn, SEG(.sport = (uint16_t)(20000 + i), .dport = 80, .seq = 7,
				      .flags = TH_SYN, .wnd = 64240));
	int synacks = 0;
	struct captured c;
	while (testnet_pop_segment(&tn, &c))
		synacks += c.seg.flags == (TH_SYN | TH_ACK);
	CU_ASSERT_EQUAL(synacks, 46);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.syncookies_sent, 46);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.syn_queue_overflow, 0);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 5);             /* the listener and the 4 */
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void a_valid_cookie_opens_the_connection_with_the_mss_rounded_down(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	struct tcb *l = full_listener(&tn, &cfg);
	struct captured sa;
	cookie_syn(&tn, 1450, 0, &sa);
	CU_ASSERT_FALSE(sa.seg.opt.ws_present);              /* no timestamps: no room */
	CU_ASSERT_FALSE(sa.seg.opt.sack_permitted);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 5);
	loop_run_for(&tn.loop, SEC(100));                   /* within three periods */
	cookie_ack(&tn, sa.seg.seq, 0);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.syncookies_ok, 1);
	struct tcb *c = tcp_accept(l);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(c->snd_mss, 1440);                   /* 1450 rounded down */
	CU_ASSERT_EQUAL(c->iss, sa.seg.seq);
	CU_ASSERT_EQUAL(c->rcv_nxt, 1001u);
	CU_ASSERT_FALSE(c->flags & (TF_WS_OK | TF_SACK_OK | TF_TS_OK));
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void with_timestamps_a_cookie_keeps_window_scale_and_sack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	struct tcb *l = full_listener(&tn, &cfg);
	struct captured sa;
	cookie_syn(&tn, 1460, 5555, &sa);
	CU_ASSERT_TRUE(sa.seg.opt.ws_present);
	CU_ASSERT_TRUE(sa.seg.opt.sack_permitted);
	CU_ASSERT_TRUE_FATAL(sa.seg.opt.ts_present);
	CU_ASSERT_EQUAL(sa.seg.opt.ts_val & 63, 7u | 16u);  /* the shift and SACK, in the TSval */
	CU_ASSERT_EQUAL(sa.seg.opt.ts_ecr, 5555u);
	cookie_ack(&tn, sa.seg.seq, sa.seg.opt.ts_val);
	struct tcb *c = tcp_accept(l);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->snd_mss, 1460 - 12);
	CU_ASSERT_TRUE(c->flags & TF_WS_OK);
	CU_ASSERT_EQUAL(c->snd_wscale, 7);
	CU_ASSERT_TRUE(c->flags & TF_SACK_OK);
	CU_ASSERT_TRUE(c->flags & TF_TS_OK);
	CU_ASSERT_EQUAL(c->snd_wnd, 1000u << 7);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC4987-3.6b */
static void an_old_or_forged_cookie_is_refused_and_counted(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	struct tcb *l = full_listener(&tn, &cfg);
	struct captured sa, r;
	cookie_syn(&tn, 1460, 0, &sa);
	for (int bit = 0; bit < 32; bit++) {                 /* every one-bit change */
		cookie_ack(&tn, sa.seg.seq ^ (1u << bit), 0);
		CU_ASSERT_TRUE(testnet_pop_segment(&tn, &r) && (r.seg.flags & TH_RST));
	}
	CU_ASSERT_EQUAL(tn.host->stats.tcp.syncookies_failed, 32);
	loop_run_for(&tn.loop, SEC(3 * 64));                /* three periods: too old */
	cookie_ack(&tn, sa.seg.seq, 0);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.syncookies_failed, 33);
	CU_ASSERT_PTR_NULL(tcp_accept(l));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.syncookies_ok, 0);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* The simulator's flood: 100,000 forged SYNs, a real client five
 * seconds in.  Without cookies it times out; with them it is answered;
 * either way b never holds more than its SYN queue and a few TCBs. */
/* proves: RFC4987-3.6 */
static void a_flood_of_100000_forged_syns_keeps_memory_bounded_and_cookies_let_a_client_in(void)
{
	char out[2048];
	CU_ASSERT_EQUAL_FATAL(run_program("tcpsim", ARGS("syn-flood"), out, sizeof out), 0);
	char kind[8], client[128];
	long syns;
	unsigned long long dropped, cookies;
	size_t tcbs, heap;
	const char *line = strchr(out, '\n');
	for (int row = 0; row < 2; row++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(line);
		CU_ASSERT_EQUAL_FATAL(sscanf(line + 1, "%7s %ld %llu %llu %zu %zu KiB %127[^\n]", kind, &syns,
					     &dropped, &cookies, &tcbs, &heap, client), 7);
		CU_ASSERT_EQUAL(syns, 100000);
		CU_ASSERT_TRUE(tcbs <= 131);                 /* 128 half-open and three more */
		CU_ASSERT_TRUE(heap < 1024);                 /* KiB */
		if (row == 0) {
			CU_ASSERT_STRING_EQUAL(kind, "off");
			CU_ASSERT_TRUE(dropped > 99000 && cookies == 0);
			CU_ASSERT_PTR_NOT_NULL(strstr(client, "timed out"));
		} else {
			CU_ASSERT_STRING_EQUAL(kind, "on");
			CU_ASSERT_TRUE(dropped == 0 && cookies > 99000);
			CU_ASSERT_PTR_NOT_NULL(strstr(client, "answered"));
		}
		line = strchr(line + 1, '\n');
	}
}

/* ---- resource limits ------------------------------------------------ */

static void a_peers_mss_below_the_floor_is_raised_to_it_and_counted(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer p;
	peer_open(&p, &cfg, 60000, 1);                       /* MSS 1 */
	CU_ASSERT_EQUAL(p.t->snd_mss, 48);
	CU_ASSERT_EQUAL(p.tn.host->stats.tcp.mss_raised, 1);
	static const uint8_t data[480];
	tcp_send(p.t, data, sizeof data);
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&p.tn, &c));
	CU_ASSERT_EQUAL(c.seg.len, 48);                      /* not one byte a packet */
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

/* Connection i of N to a listener on port 80: the peer's port 3000 + i,
 * its ISN 100, ours in isn[i]. */
static void open_many(struct testnet *tn, int n, uint32_t *isn)
{
	int err;
	tcp_listen(tn->host, 80, 64, NULL, NULL, &err);
	for (int i = 0; i < n; i++) {
		testnet_send(tn, SEG(.sport = (uint16_t)(3000 + i), .dport = 80, .seq = 100,
				     .flags = TH_SYN, .wnd = 60000));
		struct captured sa;
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(tn, &sa));
		isn[i] = sa.seg.seq;
		testnet_send(tn, SEG(.sport = (uint16_t)(3000 + i), .dport = 80, .seq = 101,
				     .ack = isn[i] + 1, .flags = TH_ACK, .wnd = 60000));
	}
	testnet_drain(tn);
}

static struct tcb *conn_of(struct testnet *tn, int i)
{
	return tcb_lookup(tn->host, ADDR(10, 0, 0, 2), 80, ADDR(10, 0, 0, 1), (uint16_t)(3000 + i));
}

static void data_beyond_the_memory_cap_waits_until_memory_is_given_back(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rcvbuf = cfg.sndbuf = 65536;
	cfg.mem_max = 2 * 65536;                         /* two receive buffers */
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint32_t isn[3];
	open_many(&tn, 3, isn);
	for (int i = 0; i < 3; i++)
		testnet_send(&tn, SEG(.sport = (uint16_t)(3000 + i), .dport = 80, .seq = 101,
				      .ack = isn[i] + 1, .flags = TH_ACK | TH_PSH, .wnd = 60000, TEXT("hello")));
	CU_ASSERT_EQUAL(conn_of(&tn, 0)->rcv_nxt, 106u);
	CU_ASSERT_EQUAL(conn_of(&tn, 1)->rcv_nxt, 106u);
	CU_ASSERT_EQUAL(conn_of(&tn, 2)->rcv_nxt, 101u);     /* refused: no buffer */
	CU_ASSERT_EQUAL(tn.host->stats.tcp.mem_refused, 1);
	CU_ASSERT_EQUAL(tn.host->tcp_mem, 2 * 65536);
	/* the first connection ends; the third's data, sent again, is taken */
	testnet_send(&tn, SEG(.sport = 3000, .dport = 80, .seq = 106, .flags = TH_RST));
	CU_ASSERT_PTR_NULL(conn_of(&tn, 0));
	CU_ASSERT_EQUAL(tn.host->tcp_mem, 65536);
	testnet_send(&tn, SEG(.sport = 3002, .dport = 80, .seq = 101, .ack = isn[2] + 1,
			      .flags = TH_ACK | TH_PSH, .wnd = 60000, TEXT("hello")));
	CU_ASSERT_EQUAL(conn_of(&tn, 2)->rcv_nxt, 106u);
	CU_ASSERT_EQUAL(tn.host->tcp_mem, 2 * 65536);
	CU_ASSERT_TRUE(tn.host->tcp_mem_peak <= cfg.mem_max);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void a_write_refused_at_the_cap_is_woken_when_memory_is_given_back(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.rcvbuf = cfg.sndbuf = 65536;
	cfg.mem_max = 65536;                             /* one buffer */
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint32_t isn[2];
	open_many(&tn, 2, isn);
	struct app_log log = { 0 };
	tcp_set_handler(conn_of(&tn, 1), app_event, &log);
	static const uint8_t data[1000];
	CU_ASSERT_EQUAL(tcp_send(conn_of(&tn, 0), data, sizeof data), 1000);
	CU_ASSERT_EQUAL(tcp_send(conn_of(&tn, 1), data, sizeof data), 0);   /* at the cap */
	CU_ASSERT_EQUAL(tn.host->stats.tcp.mem_refused, 1);
	loop_run_for(&tn.loop, MSEC(10));
	CU_ASSERT_EQUAL(log.writable, 0);
	testnet_send(&tn, SEG(.sport = 3000, .dport = 80, .seq = 101, .flags = TH_RST));
	CU_ASSERT_PTR_NULL(conn_of(&tn, 0));
	loop_run_for(&tn.loop, MSEC(1));
	CU_ASSERT_EQUAL(log.writable, 1);                    /* told to try again */
	CU_ASSERT_EQUAL(tcp_send(conn_of(&tn, 1), data, sizeof data), 1000);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void a_full_reassembly_queue_drops_and_recovers(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.ooo_max = 3;
	cfg.delack = 0;
	struct peer p;
	peer_open(&p, &cfg, 60000, 1000);
	p.app.read = true;
	static const char d[100];
	for (uint32_t k = 1; k <= 5; k++)                    /* 100 bytes missing at 1 */
		peer_send(&p, SEG(.seq = 1 + 100 * k, .ack = 1, .flags = TH_ACK, .data = d, .len = 100));
	CU_ASSERT_EQUAL(p.t->ooo_count, 3);
	CU_ASSERT_EQUAL(p.tn.host->stats.tcp.ooo_overflow, 2);
	peer_send(&p, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, .data = d, .len = 100));
	CU_ASSERT_EQUAL(p.t->rcv_nxt, p.piss + 1 + 400);     /* the gap filled, the three kept */
	for (uint32_t k = 4; k <= 5; k++)                    /* the two dropped, sent again */
		peer_send(&p, SEG(.seq = 1 + 100 * k, .ack = 1, .flags = TH_ACK, .data = d, .len = 100));
	CU_ASSERT_EQUAL(p.t->rcv_nxt, p.piss + 1 + 600);
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

void register_ch12(void)
{
	static const struct test_entry blind[] = {
		TEST(a_reset_in_the_window_but_not_at_rcv_nxt_draws_a_challenge_ack),
		TEST(a_syn_on_an_open_connection_draws_a_challenge_ack),
		TEST(an_ack_below_snd_una_less_max_snd_wnd_is_dropped_with_its_data_and_challenged),
		TEST(challenge_acks_are_limited_per_connection),
		TEST(challenge_acks_are_limited_per_host_to_a_budget_drawn_each_second),
		TEST(an_empty_segment_outside_the_window_is_answered_once_per_interval_data_always),
	};
	static const struct test_entry cookies[] = {
		TEST(a_full_syn_queue_answers_with_cookies_and_keeps_nothing),
		TEST(a_valid_cookie_opens_the_connection_with_the_mss_rounded_down),
		TEST(with_timestamps_a_cookie_keeps_window_scale_and_sack),
		TEST(an_old_or_forged_cookie_is_refused_and_counted),
		TEST(a_flood_of_100000_forged_syns_keeps_memory_bounded_and_cookies_let_a_client_in),
	};
	add_suite("ch12 blind in-window attacks", blind, ARRAY_LEN(blind));
	static const struct test_entry limits[] = {
		TEST(a_peers_mss_below_the_floor_is_raised_to_it_and_counted),
		TEST(data_beyond_the_memory_cap_waits_until_memory_is_given_back),
		TEST(a_write_refused_at_the_cap_is_woken_when_memory_is_given_back),
		TEST(a_full_reassembly_queue_drops_and_recovers),
	};
	add_suite("ch12 SYN cookies", cookies, ARRAY_LEN(cookies));
	add_suite("ch12 resource limits", limits, ARRAY_LEN(limits));
}
