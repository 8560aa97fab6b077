/* Chapter 4, opening: passive, active and simultaneous open; the SYN and
 * accept queues and their overflow policies; SYN and SYN-ACK
 * retransmission and giving up; MSS; RFC 9293's rules for bad ACKs,
 * resets and duplicate SYNs; ISNs per RFC 6528; the state table. */
#include "testutil.h"
#include "checksum.h"
#include "ipv4.h"
#include "tcp_var.h"
#include "simlink.h"
#include <errno.h>

#define US   ADDR(10, 0, 0, 2)
#define PEER ADDR(10, 0, 0, 1)



static void peer_syn(struct testnet *tn, uint16_t sport, uint32_t seq,
		     const uint8_t *opt, size_t optlen)
{
	testnet_send(tn, SEG(.sport = sport, .dport = 80, .seq = seq, .flags = TH_SYN, .wnd = 64240, .opt = opt, .optlen = optlen));
}

/* A listener on port 80 that never accepts. */
static struct tcb *listen80(struct testnet *tn, int backlog, struct app_log *log)
{
	int err;
	struct tcb *l = tcp_listen(tn->host, 80, backlog, app_event, log, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL(l->state, TCP_LISTEN);
	return l;
}

/* ---- passive open ------------------------------------------------------ */

/* proves: RFC9293-MUST-14 RFC9293-SHLD-5 RFC9293-MUST-67 RFC9293-MUST-16 */
static void syn_ack_acknowledges_the_isn_and_offers_only_mss(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	listen80(&tn, 8, &log);
	/* Linux's SYN: MSS, SACK-permitted, timestamps, NOP, window scale */
	const uint8_t opts[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0,
				   1, 3, 3, 7 };
	peer_syn(&tn, 40000, 1000, opts, sizeof opts);
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_SYN | TH_ACK);
	CU_ASSERT_EQUAL(c.seg.ack, 1001);
	CU_ASSERT_EQUAL(c.seg.sport, 80);
	CU_ASSERT_EQUAL(c.seg.dport, 40000);
	CU_ASSERT_TRUE(c.seg.opt.mss_present);
	CU_ASSERT_EQUAL(c.seg.opt.mss, 1460);
	CU_ASSERT_EQUAL(c.seg.opt.ws_present, CHAPTER >= 7);   /* answered from chapter 7 on */
	CU_ASSERT_EQUAL(c.seg.opt.sack_permitted, CHAPTER >= 9);   /* from chapter 9 on */
	CU_ASSERT_EQUAL(c.seg.opt.ts_present, CHAPTER >= 10);   /* from chapter 10 on */
	struct tcb *t = tcb_lookup(tn.host, US, 80, PEER, 40000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->state, TCP_SYN_RECEIVED);
	CU_ASSERT_EQUAL(t->iss, c.seg.seq);
	CU_ASSERT_EQUAL(t->snd_mss, CHAPTER >= 10 ? 1448 : 1460);   /* less the timestamps */
	/* the final ACK completes it, and the application is told */
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 1001, .ack = c.seg.seq + 1, .flags = TH_ACK, .wnd = 64240));
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(t->snd_una, c.seg.seq + 1);
	CU_ASSERT_EQUAL(log.acceptable, 1);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.passive_opens, 1);
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));   /* nothing more to say */
	NO_REFUSED_TRANSITIONS(tn.host);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-14 RFC9293-MUST-15 */
static void syn_without_mss_means_536(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	listen80(&tn, 8, &log);
	peer_syn(&tn, 40000, 7, NULL, 0);
	struct tcb *t = tcb_lookup(tn.host, US, 80, PEER, 40000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->snd_mss, 536);
	/* and an MSS above our own is capped at what our MTU allows */
	const uint8_t big[4] = { 2, 4, 0x23, 0x28 };     /* 9000 */
	peer_syn(&tn, 40001, 7, big, 4);
	t = tcb_lookup(tn.host, US, 80, PEER, 40001);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->snd_mss, 1460);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void listen_answers_ack_with_rst_and_ignores_rst(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	listen80(&tn, 8, &log);
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 5, .ack = 0x77777777, .flags = TH_ACK, .wnd = 100));
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_RST);
	CU_ASSERT_EQUAL(c.seg.seq, 0x77777777);
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 5, .flags = TH_RST, .wnd = 0));
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 5, .flags = TH_PSH, .wnd = 100, .data = "x", .len = 1));
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(tn.host->tcp->count, 1);         /* only the listener */
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void duplicate_syn_in_syn_received_resends_syn_ack_only(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct tcb *l = listen80(&tn, 8, &log);
	peer_syn(&tn, 40000, 500, NULL, 0);
	struct captured first, again;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &first));
	peer_syn(&tn, 40000, 500, NULL, 0);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &again));
	CU_ASSERT_EQUAL(again.seg.flags, TH_SYN | TH_ACK);
	CU_ASSERT_EQUAL(again.seg.seq, first.seg.seq);
	CU_ASSERT_EQUAL(again.seg.ack, 501);
	CU_ASSERT_EQUAL(l->listen->syn_q_len, 1);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 2);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-11 */
static void rst_in_syn_received_returns_to_listen(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct tcb *l = listen80(&tn, 8, &log);
	peer_syn(&tn, 40000, 500, NULL, 0);
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	/* a reset at RCV.NXT */
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 501, .flags = TH_RST, .wnd = 0));
	CU_ASSERT_PTR_NULL(tcb_lookup(tn.host, US, 80, PEER, 40000));
	CU_ASSERT_EQUAL(l->listen->syn_q_len, 0);
	CU_ASSERT_EQUAL(l->state, TCP_LISTEN);
	CU_ASSERT_EQUAL(log.acceptable + log.errors, 0);
	/* the listener still works */
	peer_syn(&tn, 40001, 900, NULL, 0);
	CU_ASSERT_TRUE(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_SYN | TH_ACK);
	NO_REFUSED_TRANSITIONS(tn.host);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void syn_ack_retransmitted_on_schedule_then_entry_freed(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct tcb *l = listen80(&tn, 8, &log);
	peer_syn(&tn, 40000, 500, NULL, 0);
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	const int at[] = { 1, 3, 7, 15, 31 };
	for (int i = 0; i < 5; i++) {
		loop_run_until(&tn.loop, SEC(at[i]) - 1);
		CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));     /* not yet */
		loop_run_until(&tn.loop, SEC(at[i]));
		CU_ASSERT_TRUE(testnet_pop_segment(&tn, &c));
		CU_ASSERT_EQUAL(c.seg.flags, TH_SYN | TH_ACK);
	}
	loop_run_until(&tn.loop, SEC(63) - 1);
	CU_ASSERT_PTR_NOT_NULL(tcb_lookup(tn.host, US, 80, PEER, 40000));
	loop_run_until(&tn.loop, SEC(63));
	CU_ASSERT_PTR_NULL(tcb_lookup(tn.host, US, 80, PEER, 40000));
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(l->listen->syn_q_len, 0);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.synack_retransmits, 5);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.half_open_timeouts, 1);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* ---- the queues ---------------------------------------------------------- */

static void complete_handshake(struct testnet *tn, uint16_t sport)
{
	peer_syn(tn, sport, 100, NULL, 0);
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(tn, &c));
	testnet_send(tn, SEG(.sport = sport, .dport = 80, .seq = 101, .ack = c.seg.seq + 1, .flags = TH_ACK, .wnd = 64240));
}

static void accept_queue_full_drops_the_final_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct tcb *l = listen80(&tn, 2, &log);
	/* a backlog of 2 holds two completed connections */
	complete_handshake(&tn, 40000);
	complete_handshake(&tn, 40001);
	CU_ASSERT_EQUAL(l->listen->acc_q_len, 2);
	/* a third SYN finds the accept queue full: dropped, no SYN-ACK */
	peer_syn(&tn, 40002, 100, NULL, 0);
	struct captured c;
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.accept_queue_overflow, 1);
	/* the application makes room; the client's SYN comes again */
	struct tcb *a = tcp_accept(l);
	CU_ASSERT_PTR_NOT_NULL(a);
	CU_ASSERT_EQUAL(l->listen->acc_q_len, 1);
	peer_syn(&tn, 40002, 100, NULL, 0);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	/* meanwhile the queue fills again before the final ACK */
	complete_handshake(&tn, 40003);
	CU_ASSERT_EQUAL(l->listen->acc_q_len, 2);
	testnet_send(&tn, SEG(.sport = 40002, .dport = 80, .seq = 101, .ack = c.seg.seq + 1, .flags = TH_ACK, .wnd = 64240));
	struct tcb *t = tcb_lookup(tn.host, US, 80, PEER, 40002);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->state, TCP_SYN_RECEIVED);        /* ACK ignored */
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));      /* silently */
	/* room again: the SYN-ACK retransmission draws a new ACK, which completes */
	CU_ASSERT_PTR_NOT_NULL(tcp_accept(l));
	loop_run_for(&tn.loop, SEC(1));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_SYN | TH_ACK);
	testnet_send(&tn, SEG(.sport = 40002, .dport = 80, .seq = 101, .ack = c.seg.seq + 1, .flags = TH_ACK, .wnd = 64240));
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(l->listen->acc_q_len, 2);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void accept_queue_full_resets_under_abort_on_overflow(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.abort_on_overflow = true;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct tcb *l = listen80(&tn, 2, &log);
	/* A and B get SYN-ACKs; A completes; C gets a SYN-ACK; B completes and
	 * the accept queue (backlog 2) is full when C's final ACK comes */
	struct captured a, b, c2, r;
	peer_syn(&tn, 40000, 100, NULL, 0);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &a));
	peer_syn(&tn, 40002, 300, NULL, 0);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &b));
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 101, .ack = a.seg.seq + 1, .flags = TH_ACK, .wnd = 64240));
	peer_syn(&tn, 40001, 200, NULL, 0);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c2));
	testnet_send(&tn, SEG(.sport = 40002, .dport = 80, .seq = 301, .ack = b.seg.seq + 1, .flags = TH_ACK, .wnd = 64240));
	CU_ASSERT_EQUAL(l->listen->acc_q_len, 2);
	testnet_send(&tn, SEG(.sport = 40001, .dport = 80, .seq = 201, .ack = c2.seg.seq + 1, .flags = TH_ACK, .wnd = 64240));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &r));
	CU_ASSERT_EQUAL(r.seg.flags & TH_RST, TH_RST);
	CU_ASSERT_EQUAL(r.seg.seq, c2.seg.seq + 1);
	CU_ASSERT_PTR_NULL(tcb_lookup(tn.host, US, 80, PEER, 40001));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.accept_queue_overflow, 1);
	NO_REFUSED_TRANSITIONS(tn.host);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void syn_queue_full_drops_syns_until_space_frees(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.max_syn_backlog = 4;
	cfg.synack_retries = 1;          /* half-open entries last 1 + 2 = 3 s */
#if CHAPTER >= 12
	cfg.syncookies = false;          /* chapter 12 answers the overflow with cookies */
#endif
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct tcb *l = listen80(&tn, 16, &log);
	/* a flood of 50 SYNs from ports that will never answer */
	for (int i = 0; i < 50; i++)
		peer_syn(&tn, (uint16_t)(20000 + i), (uint32_t)i * 1000, NULL, 0);
	testnet_drain(&tn);
	CU_ASSERT_EQUAL(l->listen->syn_q_len, 4);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 5);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.syn_queue_overflow, 46);
	/* a real client now is dropped too... */
	peer_syn(&tn, 45000, 77, NULL, 0);
	struct captured c;
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));
	/* ...until the half-open entries give up, and then it gets in */
	loop_run_for(&tn.loop, SEC(3));
	testnet_drain(&tn);
	CU_ASSERT_EQUAL(l->listen->syn_q_len, 0);
	peer_syn(&tn, 45000, 77, NULL, 0);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	testnet_send(&tn, SEG(.sport = 45000, .dport = 80, .seq = 78, .ack = c.seg.seq + 1, .flags = TH_ACK, .wnd = 64240));
	CU_ASSERT_EQUAL(l->listen->acc_q_len, 1);
	CU_ASSERT_EQUAL(tn.host->tcp->peak, 5);          /* memory stayed bounded */
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* ---- active open --------------------------------------------------------- */

static struct tcb *connect_to_peer(struct testnet *tn, struct app_log *log,
				   struct captured *syn)
{
	int err = 0;
	struct tcb *t = tcp_connect(tn->host, PEER, 80, app_event, log, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->state, TCP_SYN_SENT);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(tn, syn));
	CU_ASSERT_EQUAL(syn->seg.flags, TH_SYN);
	CU_ASSERT_EQUAL(syn->seg.seq, t->iss);
	CU_ASSERT_TRUE(syn->seg.opt.mss_present);
	return t;
}

static void active_open_completes_on_syn_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn, ack;
	struct tcb *t = connect_to_peer(&tn, &log, &syn);
	const uint8_t mss[4] = { 2, 4, 0x02, 0x00 };     /* 512 */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9000, .ack = syn.seg.seq + 1, .flags = TH_SYN | TH_ACK, .wnd = 30000, .opt = mss, .optlen = 4));
	CU_ASSERT_EQUAL(log.connected, 1);
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(t->snd_mss, 512);
	CU_ASSERT_EQUAL(t->snd_wnd, 30000);
	CU_ASSERT_EQUAL(t->rcv_nxt, 9001);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &ack));
	CU_ASSERT_EQUAL(ack.seg.flags, TH_ACK);
	CU_ASSERT_EQUAL(ack.seg.seq, syn.seg.seq + 1);
	CU_ASSERT_EQUAL(ack.seg.ack, 9001);
	/* no retransmission follows */
	loop_run_for(&tn.loop, SEC(100));
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &ack));
	NO_REFUSED_TRANSITIONS(tn.host);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void syn_ack_with_bad_ack_draws_rst_and_stays_in_syn_sent(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn, r;
	struct tcb *t = connect_to_peer(&tn, &log, &syn);
	uint32_t bad = syn.seg.seq + 1000;
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9000, .ack = bad, .flags = TH_SYN | TH_ACK, .wnd = 30000));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &r));
	CU_ASSERT_EQUAL(r.seg.flags, TH_RST);
	CU_ASSERT_EQUAL(r.seg.seq, bad);
	CU_ASSERT_EQUAL(t->state, TCP_SYN_SENT);
	CU_ASSERT_EQUAL(log.connected + log.errors, 0);
	/* an ACK of the ISS itself is no better */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9000, .ack = syn.seg.seq, .flags = TH_SYN | TH_ACK, .wnd = 30000));
	CU_ASSERT_TRUE(testnet_pop_segment(&tn, &r));
	CU_ASSERT_EQUAL(t->state, TCP_SYN_SENT);
	/* the real SYN-ACK still completes it */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9000, .ack = syn.seg.seq + 1, .flags = TH_SYN | TH_ACK, .wnd = 30000));
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void rst_with_acceptable_ack_in_syn_sent_is_refused(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn, r;
	connect_to_peer(&tn, &log, &syn);
	/* a reset without ACK is ignored */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 0, .flags = TH_RST, .wnd = 0));
	CU_ASSERT_EQUAL(log.errors, 0);
	/* one that acknowledges the SYN refuses the connection */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 0, .ack = syn.seg.seq + 1, .flags = TH_RST | TH_ACK, .wnd = 0));
	CU_ASSERT_EQUAL(log.errors, 1);
	CU_ASSERT_EQUAL(log.last_error, ECONNREFUSED);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 0);
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &r));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.attempt_fails, 1);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-22 */
static void syn_retransmitted_at_1_3_7_15_31_and_given_up_at_63(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn, c;
	connect_to_peer(&tn, &log, &syn);
	const int at[] = { 1, 3, 7, 15, 31 };
	for (int i = 0; i < 5; i++) {
		loop_run_until(&tn.loop, SEC(at[i]) - 1);
		CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));
		loop_run_until(&tn.loop, SEC(at[i]));
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
		CU_ASSERT_EQUAL(c.seg.flags, TH_SYN);
		CU_ASSERT_EQUAL(c.seg.seq, syn.seg.seq);       /* the same SYN */
	}
	loop_run_until(&tn.loop, SEC(63) - 1);
	CU_ASSERT_EQUAL(log.errors, 0);
	loop_run_until(&tn.loop, SEC(63));
	CU_ASSERT_EQUAL(log.errors, 1);
	CU_ASSERT_EQUAL(log.last_error, ETIMEDOUT);
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.syn_retransmits, 5);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 0);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* A router's destination-unreachable message quoting the first 28 bytes
 * of the datagram we sent (its IP header and eight bytes of TCP). */
static void inject_unreachable(struct testnet *tn, uint8_t code, const struct captured *sent,
			       uint32_t seq_delta)
{
	uint8_t icmp[ICMP_HDR_LEN + 28] = { ICMP_DEST_UNREACH, code };
	memcpy(icmp + ICMP_HDR_LEN, sent->raw, 28);
	put_be32(icmp + ICMP_HDR_LEN + IP_HDR_MIN + 4, sent->seg.seq + seq_delta);
	uint16_t sum = inet_checksum(icmp, sizeof icmp);
	icmp[2] = (uint8_t)(sum >> 8);
	icmp[3] = (uint8_t)sum;
	uint8_t pkt[IP_HDR_MIN + sizeof icmp];
	size_t n = build_ipv4(pkt, ADDR(10, 0, 0, 254), tn->host->cfg.addr, IPPROTO_ICMP_,
			      icmp, sizeof icmp);
	testnet_inject(tn, pkt, n);
}

/* proves: RFC9293-MUST-54 RFC9293-SHLD-25 */
static void icmp_unreachable_is_remembered_and_reported_when_the_connect_times_out(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn;
	struct tcb *t = connect_to_peer(&tn, &log, &syn);
	inject_unreachable(&tn, ICMP_HOST_UNREACH, &syn, 0);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.icmp_accepted, 1);
	CU_ASSERT_EQUAL(t->state, TCP_SYN_SENT);           /* a soft error: no abort */
	CU_ASSERT_EQUAL(log.errors, 0);
	loop_run_until(&tn.loop, SEC(63));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.syn_retransmits, 5);   /* the schedule as before */
	CU_ASSERT_EQUAL(log.errors, 1);
	CU_ASSERT_EQUAL(log.last_error, EHOSTUNREACH);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void icmp_error_quoting_a_sequence_number_outside_the_flight_is_ignored(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn, other = { 0 };
	connect_to_peer(&tn, &log, &syn);
	inject_unreachable(&tn, ICMP_HOST_UNREACH, &syn, 1000);   /* not in flight */
	other = syn;
	other.raw[IP_HDR_MIN] = 0x11;                          /* another source port: no such connection */
	inject_unreachable(&tn, ICMP_PORT_UNREACH, &other, 0);
	uint8_t runt[ICMP_HDR_LEN + 12] = { ICMP_DEST_UNREACH, ICMP_HOST_UNREACH };
	uint16_t sum = inet_checksum(runt, sizeof runt);      /* quotes too little */
	runt[2] = (uint8_t)(sum >> 8);
	runt[3] = (uint8_t)sum;
	uint8_t pkt[IP_HDR_MIN + sizeof runt];
	testnet_inject(&tn, pkt, build_ipv4(pkt, ADDR(10, 0, 0, 254), tn.host->cfg.addr,
					    IPPROTO_ICMP_, runt, sizeof runt));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.icmp_accepted, 0);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.icmp_ignored, 3);
	loop_run_until(&tn.loop, SEC(63));
	CU_ASSERT_EQUAL(log.errors, 1);
	CU_ASSERT_EQUAL(log.last_error, ETIMEDOUT);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-22 */
static void give_up_time_follows_the_retry_count(void)
{
	LEAK_CHECK_BEGIN;
	for (int retries = 0; retries <= 3; retries++) {
		struct config cfg = testnet_config();
		cfg.syn_retries = retries;
		struct testnet tn;
		testnet_init(&tn, &cfg);
		struct app_log log = { 0 };
		struct captured syn;
		connect_to_peer(&tn, &log, &syn);
		usec_t expect = SEC((1 << (retries + 1)) - 1);     /* 1, 3, 7, 15 s */
		loop_run_until(&tn.loop, expect - 1);
		CU_ASSERT_EQUAL(log.errors, 0);
		loop_run_until(&tn.loop, expect);
		CU_ASSERT_EQUAL(log.errors, 1);
		testnet_free(&tn);
	}
	LEAK_CHECK_END;
}

/* ---- synchronized states --------------------------------------------------- */

static struct tcb *established(struct testnet *tn, struct app_log *log, struct captured *syn)
{
	struct tcb *t = connect_to_peer(tn, log, syn);
	testnet_send(tn, SEG(.sport = 80, .dport = syn->seg.sport, .seq = 9000, .ack = syn->seg.seq + 1, .flags = TH_SYN | TH_ACK, .wnd = 30000));
	testnet_drain(tn);
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	return t;
}

static void rst_in_syn_received_after_active_open_is_refused(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn, c;
	struct tcb *t = connect_to_peer(&tn, &log, &syn);
	/* the peer's own SYN: a simultaneous open */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 4000, .flags = TH_SYN, .wnd = 1000));
	CU_ASSERT_EQUAL(t->state, TCP_SYN_RECEIVED);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_SYN | TH_ACK);
	CU_ASSERT_EQUAL(c.seg.seq, syn.seg.seq);          /* the same ISS */
	CU_ASSERT_EQUAL(c.seg.ack, 4001);
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 4001, .flags = TH_RST, .wnd = 0));
	CU_ASSERT_EQUAL(log.errors, 1);
	CU_ASSERT_EQUAL(log.last_error, ECONNREFUSED);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 0);
	NO_REFUSED_TRANSITIONS(tn.host);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC5961-3.2a */
static void rst_at_rcv_nxt_resets_an_established_connection(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn, c;
	established(&tn, &log, &syn);
	/* in the window but not at RCV.NXT: a challenge ACK, no reset */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9100, .flags = TH_RST, .wnd = 0));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_ACK);
	CU_ASSERT_EQUAL(c.seg.ack, 9001);
	CU_ASSERT_EQUAL(log.errors, 0);
	/* outside the window: dropped without a word */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9001 + 200000, .flags = TH_RST, .wnd = 0));
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));
	/* exactly RCV.NXT: reset */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9001, .flags = TH_RST, .wnd = 0));
	CU_ASSERT_EQUAL(log.errors, 1);
	CU_ASSERT_EQUAL(log.last_error, ECONNRESET);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 0);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC5961-4.2 */
static void syn_in_established_draws_a_challenge_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn, c;
	struct tcb *t = established(&tn, &log, &syn);
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9001, .flags = TH_SYN, .wnd = 1000));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_ACK);
	CU_ASSERT_EQUAL(c.seg.ack, 9001);
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.challenge_acks, 1);
	/* an old segment outside the window is answered with an ACK too */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 5000, .ack = syn.seg.seq + 1, .flags = TH_ACK, .wnd = 1000, .data = "old", .len = 3));
	CU_ASSERT_TRUE(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(c.seg.ack, 9001);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* ---- two hosts over a link --------------------------------------------------- */

struct pair {
	struct loop loop;
	struct simlink *link;
	struct host *a, *b;
};

static void pair_init(struct pair *p, const struct impair_cfg *c)
{
	loop_init(&p->loop, CLOCK_VIRTUAL);
	p->link = simlink_create(&p->loop, c, c, 1500);
	struct config ca = testnet_config(), cb = testnet_config();
	ca.addr = ADDR(10, 0, 0, 1);
	ca.secret.k0 = 11;
	cb.addr = ADDR(10, 0, 0, 2);
	cb.secret.k0 = 22;
	p->a = host_create(&p->loop, simlink_end(p->link, 0), &ca);
	p->b = host_create(&p->loop, simlink_end(p->link, 1), &cb);
}

static void pair_free(struct pair *p)
{
	host_destroy(p->a);
	host_destroy(p->b);
	loop_free(&p->loop);
}

/* proves: RFC9293-MUST-10 */
static void simultaneous_open_reaches_established_through_syn_received(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.delay = MSEC(10);
	struct pair p;
	pair_init(&p, &c);
	struct app_log la = { 0 }, lb = { 0 };
	int err;
	struct tcb *ta = tcp_connect_from(p.a, 5000, p.b->cfg.addr, 6000, app_event, &la, &err);
	struct tcb *tb = tcp_connect_from(p.b, 6000, p.a->cfg.addr, 5000, app_event, &lb, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ta);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tb);
	loop_run_for(&p.loop, MSEC(15));
	CU_ASSERT_EQUAL(ta->state, TCP_SYN_RECEIVED);   /* the SYNs crossed */
	CU_ASSERT_EQUAL(tb->state, TCP_SYN_RECEIVED);
	loop_run_for(&p.loop, SEC(1));
	CU_ASSERT_EQUAL(ta->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(tb->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(la.connected, 1);
	CU_ASSERT_EQUAL(lb.connected, 1);
	CU_ASSERT_EQUAL(ta->rcv_nxt, tb->snd_nxt);
	CU_ASSERT_EQUAL(tb->rcv_nxt, ta->snd_nxt);
	for (size_t i = 0; i < tcp_ntransitions; i++)
		if (tcp_transitions[i].from == TCP_SYN_SENT && tcp_transitions[i].to == TCP_SYN_RECEIVED) {
			CU_ASSERT_EQUAL(p.a->tcp->transitions_taken[i], 1);
			CU_ASSERT_EQUAL(p.b->tcp->transitions_taken[i], 1);
		}
	NO_REFUSED_TRANSITIONS(p.a);
	NO_REFUSED_TRANSITIONS(p.b);
	pair_free(&p);
	LEAK_CHECK_END;
}

static void accept_count(struct tcb *l, enum tcp_event ev, void *arg)
{
	if (ev == TCP_EV_ACCEPTABLE)
		while (tcp_accept(l) != NULL)
			(*(int *)arg)++;
}

static void handshakes_complete_across_a_lossy_link(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.delay = MSEC(20);
	c.loss = 0.3;
	c.seed = 78;
	struct pair p;
	pair_init(&p, &c);
	int accepted = 0, err;
	tcp_listen(p.b, 80, 64, accept_count, &accepted, &err);
	struct app_log la = { 0 };
	for (int i = 0; i < 20; i++)
		tcp_connect(p.a, p.b->cfg.addr, 80, app_event, &la, &err);
	loop_run_for(&p.loop, SEC(120));
	/* every attempt ended one way or the other */
	CU_ASSERT_EQUAL(la.connected + la.errors, 20);
	/* a lost final ACK is repaired: the server retransmits its SYN-ACK and
	 * the client, already established, answers with an ACK; a server that
	 * never hears one gives up.  Either way nothing is left half-open */
	CU_ASSERT_EQUAL((uint64_t)accepted + p.b->stats.tcp.half_open_timeouts,
			(uint64_t)la.connected);
	CU_ASSERT_EQUAL(p.b->tcp->count, 1 + (size_t)accepted);
	/* and with 30% loss each way, most get through (this seed: all but
	 * the unlucky few that lose six rounds in a row) */
	CU_ASSERT_TRUE(accepted >= 17);
	CU_ASSERT_TRUE(p.a->stats.tcp.syn_retransmits + p.b->stats.tcp.synack_retransmits > 0);
	pair_free(&p);
	LEAK_CHECK_END;
}

/* ---- ISNs (RFC 6528) ------------------------------------------------------------ */

/* proves: RFC9293-SHLD-1 RFC9293-MUST-9 RFC6528-3b */
static void isns_of_different_four_tuples_show_no_pattern(void)
{
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	enum { N = 1000 };
	static uint32_t isn[N];
	int bits[32] = { 0 };
	for (int i = 0; i < N; i++) {
		isn[i] = tcp_isn(tn.host, US, (uint16_t)(30000 + i), PEER, 80);
		for (int b = 0; b < 32; b++)
			bits[b] += (isn[i] >> b) & 1;
	}
	/* every bit is set about half the time (5 standard deviations: 79) */
	for (int b = 0; b < 32; b++)
		CU_ASSERT_TRUE(bits[b] > 500 - 79 && bits[b] < 500 + 79);
	/* successive differences are not constant, nor small */
	int small = 0, same = 0;
	for (int i = 1; i < N; i++) {
		uint32_t d = isn[i] - isn[i - 1];
		small += d < 65536 || d > 0xffff0000u;
		same += i > 1 && d == isn[i - 1] - isn[i - 2];
	}
	CU_ASSERT_TRUE(small < 10);
	CU_ASSERT_EQUAL(same, 0);
	testnet_free(&tn);
}

/* proves: RFC9293-MUST-8 RFC6528-3a */
static void isn_of_one_four_tuple_advances_with_the_clock(void)
{
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint32_t a = tcp_isn(tn.host, US, 30000, PEER, 80);
	loop_run_for(&tn.loop, MSEC(1));
	uint32_t b = tcp_isn(tn.host, US, 30000, PEER, 80);
	loop_run_for(&tn.loop, SEC(1));
	uint32_t c = tcp_isn(tn.host, US, 30000, PEER, 80);
	CU_ASSERT_EQUAL(b - a, 250);                  /* one tick per 4 us */
	CU_ASSERT_EQUAL(c - b, 250000);
	/* and another secret gives another ISN */
	struct config other = cfg;
	other.secret.k1 ^= 0x100;
	struct testnet tn2;
	testnet_init(&tn2, &other);
	CU_ASSERT_NOT_EQUAL(tcp_isn(tn2.host, US, 30000, PEER, 80), a);
	testnet_free(&tn);
	testnet_free(&tn2);
}

/* ---- the state machine ------------------------------------------------------------ */

static void transitions_not_in_the_table_are_refused(void)
{
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct tcb *t = tcb_create(tn.host, US, 1, PEER, 2);
	CU_ASSERT_FALSE(tcp_set_state(t, T_RCV_SYN_ACK, TCP_ESTABLISHED));  /* from CLOSED */
	CU_ASSERT_EQUAL(t->state, TCP_CLOSED);
	CU_ASSERT_FALSE(tcp_set_state(t, T_LISTEN, TCP_ESTABLISHED));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.refused_transitions, 2);
	CU_ASSERT_TRUE(tcp_set_state(t, T_CONNECT, TCP_SYN_SENT));
	testnet_free(&tn);
}

static void every_opening_state_was_entered(void)
{
	/* runs last in the suite: the scenarios above must have entered
	 * every state this chapter introduces, through the table */
	const enum tcp_state states[] = { TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED,
					  TCP_ESTABLISHED, TCP_CLOSED };
	for (size_t s = 0; s < ARRAY_LEN(states); s++) {
		uint64_t entered = 0;
		for (size_t i = 0; i < tcp_ntransitions; i++)
			if (tcp_transitions[i].to == states[s])
				entered += test_transition_log[i];
		if (entered == 0)
			fprintf(stderr, "\n    state %s never entered\n", tcp_state_names[states[s]]);
		CU_ASSERT_TRUE(entered > 0);
	}
	/* and every transition of this chapter's table was taken */
	for (size_t i = 0; i < tcp_ntransitions; i++) {
		if (tcp_transitions[i].chapter != 4)
			continue;
		if (test_transition_log[i] == 0)
			fprintf(stderr, "\n    transition %s --%s--> %s never taken\n",
				tcp_state_names[tcp_transitions[i].from],
				tcp_trigger_names[tcp_transitions[i].trigger],
				tcp_state_names[tcp_transitions[i].to]);
		CU_ASSERT_TRUE(test_transition_log[i] > 0);
	}
}

static void old_duplicate_syn_is_refused_by_three_way_but_not_two_way(void)
{
	LEAK_CHECK_BEGIN;
	for (int two_way = 0; two_way <= 1; two_way++) {
		struct impair_cfg c;
		impair_cfg_default(&c);
		c.delay = MSEC(10);
		struct pair p;
		pair_init(&p, &c);
		p.b->cfg.two_way_handshake = two_way;
		int accepted = 0, err;
		tcp_listen(p.b, 80, 16, accept_count, &accepted, &err);
		struct segment syn;
		memset(&syn, 0, sizeof syn);
		syn.src = p.a->cfg.addr;
		syn.dst = p.b->cfg.addr;
		syn.sport = 40000;
		syn.dport = 80;
		syn.seq = 12345;
		syn.flags = TH_SYN;
		syn.wnd = 1000;
		tcp_send_segment(p.a, &syn);
		loop_run_for(&p.loop, SEC(1));
		CU_ASSERT_EQUAL(accepted, two_way ? 1 : 0);
		CU_ASSERT_EQUAL(p.a->stats.tcp.out_rsts, 1);     /* a refused the SYN-ACK */
		CU_ASSERT_EQUAL(p.b->tcp->count, 1);             /* just the listener left */
		pair_free(&p);
	}
	LEAK_CHECK_END;
}

/* ---- tcpstack's command line -------------------------------------------- */

#define STACK(...) ARGS("--tun", "t0", "--addr", "10.0.0.2", __VA_ARGS__)

static void applications_are_checked_before_the_device_opens(void)
{
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--serve", "hold:70000"),
				     "tcpstack: --serve hold:70000: the port must be a number from 1 to 65535"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--serve", "hold:0"),
				     "tcpstack: --serve hold:0: the port must be a number from 1 to 65535"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--serve", "hold"),
				     "tcpstack: --serve hold: expected APP:PORT, e.g. hold:80"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--serve", "nosuch:80"),
				     "--serve nosuch:80: unknown application 'nosuch' (known: hold"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--serve", "hold:80", "--serve", "hold:080"),
				     "--serve hold:080: port 80 is already served by --serve hold:80"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--connect", "10.0.0.1:70000"),
				     "tcpstack: --connect 10.0.0.1:70000: the port must be a number from 1 to 65535"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--connect", "10.0.0.1:0"),
				     "the port must be a number from 1 to 65535"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--connect", "10.0.0.1"),
				     "--connect 10.0.0.1: expected ADDR:PORT, e.g. 10.0.0.1:5000"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--connect", "linux:5000"),
				     "--connect linux:5000: 'linux' is not an IPv4 address"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--serve", "hold:80"),
				     "tcpstack: --serve and --connect need --addr ADDR"));
}

static void settings_are_whole_numbers_in_range(void)
{
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--syn-retries", "21"),
				     "tcpstack: --syn-retries 21: expected a whole number from 0 to 20"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--backlog", "many"),
				     "tcpstack: --backlog many: expected a whole number from 1 to 65535"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--abort-on-overflow", "--abort-on-overflow"),
				     "--abort-on-overflow given twice"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", STACK("--serve"),
				     "option --serve needs a value: --serve APP:PORT"));
}

static void help_lists_the_applications_under_serve(void)
{
	static char out[16384];
	CU_ASSERT_EQUAL(run_program("tcpstack", ARGS("--help"), out, sizeof out), 0);
	const char *apps = strstr(out, "\napplications:\n  --serve APP:PORT ");
	const char *hold = strstr(out, "  hold     accept connections and hold them open\n");
	const char *tcp = strstr(out, "\nTCP settings:\n  --syn-retries N ");
	CU_ASSERT_TRUE(apps != NULL && hold != NULL && tcp != NULL && apps < hold && hold < tcp);
}

/* ---- Appendix C: requirements without a test of their own ---- */

/* proves: RFC9293-MUST-1 */
static void a_window_of_65535_is_read_as_unsigned(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	listen80(&tn, 8, &log);
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 1000, .flags = TH_SYN, .wnd = 65535));
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 1001, .ack = c.seg.seq + 1, .flags = TH_ACK, .wnd = 65535));
	struct tcb *t = tcb_lookup(tn.host, US, 80, PEER, 40000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(t->snd_wnd, 65535);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-SHLD-2 */
static void a_reset_that_carries_data_is_taken(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn;
	established(&tn, &log, &syn);
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9001, .flags = TH_RST,
			      TEXT("closed by the administrator")));
	CU_ASSERT_EQUAL(log.errors, 1);
	CU_ASSERT_EQUAL(log.last_error, ECONNRESET);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 0);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* A connection is opening from port P when an application listens on P:
 * the listen succeeds, the connection completes, and a SYN from another
 * peer port reaches the listener. */
/* proves: RFC9293-MUST-42 RFC9293-MUST-41 */
static void a_port_can_listen_while_a_connection_from_it_opens(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 }, llog = { 0 };
	struct captured syn, c;
	struct tcb *t = connect_to_peer(&tn, &log, &syn);
	int err = 0;
	struct tcb *l = tcp_listen(tn.host, syn.seg.sport, 8, app_event, &llog, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL(t->state, TCP_SYN_SENT);
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9000,
			      .ack = syn.seg.seq + 1, .flags = TH_SYN | TH_ACK, .wnd = 30000));
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(log.connected, 1);
	testnet_drain(&tn);
	testnet_send(&tn, SEG(.sport = 40001, .dport = syn.seg.sport, .seq = 500, .flags = TH_SYN, .wnd = 30000));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_SYN | TH_ACK);
	CU_ASSERT_EQUAL(c.seg.ack, 501);
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-46 */
static void an_open_to_an_address_no_single_host_has_is_refused(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	const uint32_t bad[] = { ADDR(255, 255, 255, 255), ADDR(224, 0, 0, 1), ADDR(239, 1, 2, 3),
				 ADDR(240, 0, 0, 1), 0 };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct app_log log = { 0 };
		int err = 0;
		CU_ASSERT_PTR_NULL(tcp_connect(tn.host, bad[i], 80, app_event, &log, &err));
		CU_ASSERT_EQUAL(err, ENETUNREACH);
	}
	CU_ASSERT_EQUAL(tn.nsent, 0);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 0);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* A listener opened on the port of a connection already open: the
 * connection's segments still reach the connection (a listener would
 * answer this out-of-window ACK with a reset; the connection answers
 * with an ACK). */
/* proves: RFC9293-MUST-41 */
static void a_new_listener_leaves_an_open_connection_alone(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 }, llog = { 0 };
	struct captured syn, c;
	struct tcb *t = established(&tn, &log, &syn);
	int err = 0;
	tcp_listen(tn.host, syn.seg.sport, 8, app_event, &llog, &err);
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 9001 + 200000,
			      .ack = syn.seg.seq + 1, .flags = TH_ACK, .wnd = 30000));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	CU_ASSERT_EQUAL(c.seg.flags, TH_ACK);
	CU_ASSERT_EQUAL(c.seg.ack, 9001);
	CU_ASSERT_EQUAL(t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(log.errors, 0);
	CU_ASSERT_EQUAL(llog.acceptable, 0);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* A source quench quoting our SYN: counted, and nothing else happens;
 * the connection attempt times out on its own schedule, with its own
 * error. */
/* proves: RFC9293-MUST-55 */
static void a_source_quench_is_counted_and_changes_nothing(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	struct captured syn, c;
	struct tcb *t = connect_to_peer(&tn, &log, &syn);
	uint8_t icmp[ICMP_HDR_LEN + 28] = { 4, 0 };          /* type 4: source quench */
	memcpy(icmp + ICMP_HDR_LEN, syn.raw, 28);
	uint16_t sum = inet_checksum(icmp, sizeof icmp);
	icmp[2] = (uint8_t)(sum >> 8);
	icmp[3] = (uint8_t)sum;
	uint8_t pkt[IP_HDR_MIN + sizeof icmp];
	size_t n = build_ipv4(pkt, ADDR(10, 0, 0, 254), US, IPPROTO_ICMP_, icmp, sizeof icmp);
	testnet_inject(&tn, pkt, n);
	CU_ASSERT_EQUAL(tn.host->stats.icmp.in_other, 1);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.icmp_accepted, 0);
	CU_ASSERT_EQUAL(t->soft_error, 0);
	CU_ASSERT_EQUAL(t->state, TCP_SYN_SENT);
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &c));
	loop_run_until(&tn.loop, SEC(63));
	CU_ASSERT_EQUAL(log.errors, 1);
	CU_ASSERT_EQUAL(log.last_error, ETIMEDOUT);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

void register_ch04(void)
{
	static const struct test_entry passive[] = {
		TEST(syn_ack_acknowledges_the_isn_and_offers_only_mss),
		TEST(syn_without_mss_means_536),
		TEST(listen_answers_ack_with_rst_and_ignores_rst),
		TEST(duplicate_syn_in_syn_received_resends_syn_ack_only),
		TEST(rst_in_syn_received_returns_to_listen),
		TEST(syn_ack_retransmitted_on_schedule_then_entry_freed),
		TEST(accept_queue_full_drops_the_final_ack),
		TEST(accept_queue_full_resets_under_abort_on_overflow),
		TEST(syn_queue_full_drops_syns_until_space_frees),
	};
	static const struct test_entry active[] = {
		TEST(active_open_completes_on_syn_ack),
		TEST(syn_ack_with_bad_ack_draws_rst_and_stays_in_syn_sent),
		TEST(rst_with_acceptable_ack_in_syn_sent_is_refused),
		TEST(syn_retransmitted_at_1_3_7_15_31_and_given_up_at_63),
		TEST(icmp_unreachable_is_remembered_and_reported_when_the_connect_times_out),
		TEST(icmp_error_quoting_a_sequence_number_outside_the_flight_is_ignored),
		TEST(give_up_time_follows_the_retry_count),
		TEST(rst_in_syn_received_after_active_open_is_refused),
		TEST(rst_at_rcv_nxt_resets_an_established_connection),
		TEST(syn_in_established_draws_a_challenge_ack),
		TEST(simultaneous_open_reaches_established_through_syn_received),
		TEST(handshakes_complete_across_a_lossy_link),
		TEST(old_duplicate_syn_is_refused_by_three_way_but_not_two_way),
	};
	static const struct test_entry isn[] = {
		TEST(isns_of_different_four_tuples_show_no_pattern),
		TEST(isn_of_one_four_tuple_advances_with_the_clock),
	};
	static const struct test_entry machine[] = {
		TEST(transitions_not_in_the_table_are_refused),
		TEST(every_opening_state_was_entered),
	};
	add_suite("ch04 passive open and the queues", passive, ARRAY_LEN(passive));
	add_suite("ch04 active and simultaneous open", active, ARRAY_LEN(active));
	add_suite("ch04 initial sequence numbers", isn, ARRAY_LEN(isn));
	static const struct test_entry cmdline[] = {
		TEST(applications_are_checked_before_the_device_opens),
		TEST(settings_are_whole_numbers_in_range),
		TEST(help_lists_the_applications_under_serve),
	};
	add_suite("ch04 the state machine", machine, ARRAY_LEN(machine));
	add_suite("ch04 the command line", cmdline, ARRAY_LEN(cmdline));
	static const struct test_entry conformance[] = {
		TEST(a_window_of_65535_is_read_as_unsigned),
		TEST(a_reset_that_carries_data_is_taken),
		TEST(a_new_listener_leaves_an_open_connection_alone),
		TEST(a_port_can_listen_while_a_connection_from_it_opens),
		TEST(an_open_to_an_address_no_single_host_has_is_refused),
		TEST(a_source_quench_is_counted_and_changes_nothing),
	};
	add_suite("ch04 conformance (Appendix C)", conformance, ARRAY_LEN(conformance));
}
