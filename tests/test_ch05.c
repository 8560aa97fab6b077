/* Chapter 5, closing: every close path, half-close, TIME-WAIT and its
 * cap, the FIN-WAIT-2 timeout, resets in every synchronized state, abort
 * and close with unread data, and the complete state machine. */
#include "testutil.h"
#include "ipv4.h"
#include "tcp_var.h"
#include "simlink.h"
#include <errno.h>

#define US   ADDR(10, 0, 0, 2)
#define PEER ADDR(10, 0, 0, 1)
#define PISS 9000u                 /* the scripted peer's ISN */


static bool next(struct peer *c, struct captured *s)
{
	return testnet_pop_segment(&c->tn, s);
}

/* ---- the close paths ------------------------------------------------- */

/* proves: RFC9293-MUST-13 */
static void active_close_passes_fin_wait_and_time_wait_for_exactly_2msl(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	struct tcb *t = c.t;
	tcp_close(t);
	CU_ASSERT_EQUAL(t->state, TCP_FIN_WAIT_1);
	struct captured s;
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_FIN | TH_ACK);
	CU_ASSERT_EQUAL(s.seg.seq, c.iss + 1);             /* FIN at SND.NXT */
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_ACK));                      /* ACK of the FIN */
	CU_ASSERT_EQUAL(t->state, TCP_FIN_WAIT_2);
	loop_run_until(&c.tn.loop, SEC(10));
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_FIN | TH_ACK));             /* the peer's FIN */
	CU_ASSERT_EQUAL(t->state, TCP_TIME_WAIT);
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_ACK);
	CU_ASSERT_EQUAL(s.seg.ack, PISS + 2);
	CU_ASSERT_EQUAL(c.tn.host->tcp->tw_count, 1);
	loop_run_until(&c.tn.loop, SEC(10) + SEC(60) - 1);
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 1);          /* still waiting */
	loop_run_until(&c.tn.loop, SEC(10) + SEC(60));
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);          /* gone at 2 MSL */
	CU_ASSERT_EQUAL(c.tn.host->tcp->tw_count, 0);
	CU_ASSERT_FALSE(next(&c, &s));
	NO_REFUSED_TRANSITIONS(c.tn.host);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void passive_close_passes_close_wait_and_last_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	struct tcb *t = c.t;
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_PSH | TH_ACK, TEXT("last words")));
	peer_send(&c, SEG(.seq = 11, .ack = 1, .flags = TH_FIN | TH_ACK));
	CU_ASSERT_EQUAL(t->state, TCP_CLOSE_WAIT);
	CU_ASSERT_EQUAL(c.app.peer_closed, 1);
	CU_ASSERT_EQUAL(c.app.got, 10);                    /* the data came first */
	CU_ASSERT_TRUE(tcp_eof(t));
	struct captured s;
	testnet_drain(&c.tn);
	tcp_close(t);
	CU_ASSERT_EQUAL(t->state, TCP_LAST_ACK);
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_FIN | TH_ACK);
	CU_ASSERT_EQUAL(s.seg.ack, PISS + 12);
	peer_send(&c, SEG(.seq = 12, .ack = 2, .flags = TH_ACK));
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);          /* CLOSED, freed */
	NO_REFUSED_TRANSITIONS(c.tn.host);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void simultaneous_close_passes_closing(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	struct tcb *t = c.t;
	tcp_close(t);
	testnet_drain(&c.tn);
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_FIN | TH_ACK));   /* crosses ours: acks nothing new */
	CU_ASSERT_EQUAL(t->state, TCP_CLOSING);
	peer_send(&c, SEG(.seq = 2, .ack = 2, .flags = TH_ACK));            /* now the ACK of our FIN */
	CU_ASSERT_EQUAL(t->state, TCP_TIME_WAIT);
	NO_REFUSED_TRANSITIONS(c.tn.host);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void fin_ack_in_fin_wait_1_goes_straight_to_time_wait(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	tcp_close(c.t);
	testnet_drain(&c.tn);
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_FIN | TH_ACK));   /* FIN that acknowledges ours */
	CU_ASSERT_EQUAL(c.t->state, TCP_TIME_WAIT);
	struct captured s;
	CU_ASSERT_TRUE(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.ack, PISS + 2);
	CU_ASSERT_FALSE(next(&c, &s));           /* one ACK, nothing else */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void fin_retransmitted_into_time_wait_is_acked_and_restarts_2msl(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	tcp_close(c.t);
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_FIN | TH_ACK));
	testnet_drain(&c.tn);
	usec_t entered = loop_now(&c.tn.loop);
	loop_run_until(&c.tn.loop, entered + SEC(45));
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_FIN | TH_ACK));   /* our ACK was lost: FIN again */
	struct captured s;
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_ACK);
	CU_ASSERT_EQUAL(s.seg.ack, PISS + 2);
	loop_run_until(&c.tn.loop, entered + SEC(60) + SEC(30));
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 1);    /* the wait started over */
	loop_run_until(&c.tn.loop, entered + SEC(45) + SEC(60));
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void segments_after_time_wait_ended_are_answered_with_rst(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	tcp_close(c.t);
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_FIN | TH_ACK));
	loop_run_for(&c.tn.loop, SEC(61));
	testnet_drain(&c.tn);
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	peer_send(&c, SEG(.seq = 2, .ack = 2, .flags = TH_PSH | TH_ACK, TEXT("late data")));
	struct captured s;
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_RST);
	CU_ASSERT_EQUAL(s.seg.seq, c.iss + 2);
	testnet_send(&c.tn, SEG(.sport = 80, .dport = c.port, .seq = 77777, .flags = TH_SYN, .wnd = 1000));
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_RST | TH_ACK);
	CU_ASSERT_EQUAL(s.seg.ack, 77778);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-SHLD-3 */
static void close_with_unread_data_sends_rst_not_fin(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	c.app.read = false;
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_PSH | TH_ACK, TEXT("unread")));
	testnet_drain(&c.tn);
	tcp_close(c.t);
	struct captured s;
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_RST);
	CU_ASSERT_EQUAL(s.seg.seq, c.iss + 1);
	CU_ASSERT_FALSE(next(&c, &s));
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.aborts_on_close, 1);
	NO_REFUSED_TRANSITIONS(c.tn.host);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-SHLD-3 */
static void peer_sees_the_reset_of_a_close_with_unread_data(void)
{
	LEAK_CHECK_BEGIN;
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct impair_cfg ic;
	impair_cfg_default(&ic);
	ic.delay = MSEC(5);
	struct simlink *link = simlink_create(&l, &ic, &ic, 1500);
	struct config ca = testnet_config(), cb = testnet_config();
	ca.addr = PEER;
	struct host *a = host_create(&l, simlink_end(link, 0), &ca);
	struct host *b = host_create(&l, simlink_end(link, 1), &cb);
	struct app_log la = { .read = true };
	int err;
	struct tcb *lis = tcp_listen(b, 80, 4, NULL, NULL, &err);
	struct tcb *ta = tcp_connect(a, US, 80, app_event, &la, &err);
	loop_run_for(&l, MSEC(50));
	struct tcb *tb = tcp_accept(lis);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tb);
	tcp_send(ta, "request", 7);
	loop_run_for(&l, MSEC(50));
	tcp_close(tb);                           /* never read the request */
	loop_run_for(&l, MSEC(50));
	CU_ASSERT_EQUAL(la.errors, 1);
	CU_ASSERT_EQUAL(la.last_error, ECONNRESET);
	CU_ASSERT_EQUAL(a->tcp->count, 0);
	host_destroy(a);
	host_destroy(b);
	loop_free(&l);
	LEAK_CHECK_END;
}

static void half_close_still_delivers_the_peers_data(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	tcp_send(c.t, "request", 7);
	tcp_shutdown(c.t);
	struct captured s;
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.len, 7);
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.flags & TH_FIN, TH_FIN);
	CU_ASSERT_EQUAL(s.seg.seq, c.iss + 8);         /* the FIN after all the data */
	CU_ASSERT_EQUAL(tcp_send(c.t, "more", 4), -EPIPE);
	peer_send(&c, SEG(.seq = 1, .ack = 9, .flags = TH_ACK));
	CU_ASSERT_EQUAL(c.t->state, TCP_FIN_WAIT_2);
	peer_send(&c, SEG(.seq = 1, .ack = 9, .flags = TH_PSH | TH_ACK, TEXT("first part, ")));
	peer_send(&c, SEG(.seq = 13, .ack = 9, .flags = TH_PSH | TH_ACK, TEXT("second part")));
	CU_ASSERT_EQUAL(c.app.got, 23);
	CU_ASSERT_EQUAL(memcmp(c.app.data, "first part, second part", 23), 0);
	/* a half-closed connection waits as long as the application reads */
	loop_run_for(&c.tn.loop, SEC(300));
	CU_ASSERT_EQUAL(c.t->state, TCP_FIN_WAIT_2);
	peer_send(&c, SEG(.seq = 24, .ack = 9, .flags = TH_FIN | TH_ACK));   /* 1 + 23 */
	CU_ASSERT_EQUAL(c.app.peer_closed, 1);
	CU_ASSERT_EQUAL(c.t->state, TCP_TIME_WAIT);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

struct closed_log {
	int closed;
	char last[32];
	size_t got;
};

static void note_closed(struct tcb *t, enum tcp_event ev, void *arg)
{
	struct closed_log *c = arg;
	if (ev == TCP_EV_CLOSED) {
		c->closed++;
		c->got = tcp_recv(t, c->last, sizeof c->last - 1);  /* still readable */
	}
}

static void shutdown_only_application_is_told_when_the_connection_ends(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	struct closed_log log = { 0 };
	tcp_set_handler(c.t, note_closed, &log);
	tcp_shutdown(c.t);
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_ACK));                       /* FIN-WAIT-2 */
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_FIN | TH_PSH | TH_ACK, TEXT("tail")));   /* TIME-WAIT, unread */
	CU_ASSERT_EQUAL(c.t->state, TCP_TIME_WAIT);
	CU_ASSERT_EQUAL(log.closed, 0);
	loop_run_for(&c.tn.loop, SEC(61));                  /* 2 MSL */
	CU_ASSERT_EQUAL(log.closed, 1);
	CU_ASSERT_EQUAL(log.got, 4);
	CU_ASSERT_STRING_EQUAL(log.last, "tail");
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void data_queued_in_syn_sent_goes_out_when_the_connection_opens(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	int err;
	struct tcb *t = tcp_connect(tn.host, PEER, 80, NULL, NULL, &err);
	struct captured syn, s;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &syn));
	CU_ASSERT_EQUAL(tcp_send(t, "early", 5), 5);
	tcp_shutdown(t);
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &s));      /* nothing before the SYN-ACK */
	testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = PISS, .ack = syn.seg.seq + 1, .flags = TH_SYN | TH_ACK, .wnd = 30000));
	CU_ASSERT_EQUAL(t->state, TCP_FIN_WAIT_1);
	size_t data = 0;
	bool fin = false;
	while (testnet_pop_segment(&tn, &s)) {
		data += s.seg.len;
		fin = fin || (s.seg.flags & TH_FIN);
	}
	CU_ASSERT_EQUAL(data, 5);
	CU_ASSERT_TRUE(fin);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void fin_wait_2_orphan_is_freed_after_fin_timeout(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	tcp_close(c.t);
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_ACK));
	CU_ASSERT_EQUAL(c.t->state, TCP_FIN_WAIT_2);
	usec_t at = loop_now(&c.tn.loop);
	loop_run_until(&c.tn.loop, at + SEC(60) - 1);
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 1);
	loop_run_until(&c.tn.loop, at + SEC(60));
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fin_wait2_timeouts, 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void time_wait_cap_closes_the_new_entry_and_counts(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.max_tw_buckets = 2;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	int err;
	for (int i = 0; i < 4; i++) {
		struct app_log a = { 0 };
		struct tcb *t = tcp_connect(tn.host, PEER, 80, app_event, &a, &err);
		struct captured syn, s;
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &syn));
		testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = PISS, .ack = syn.seg.seq + 1, .flags = TH_SYN | TH_ACK, .wnd = 30000));
		tcp_close(t);
		testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = PISS + 1, .ack = syn.seg.seq + 2, .flags = TH_FIN | TH_ACK, .wnd = 30000));
		while (testnet_pop_segment(&tn, &s))
			;
	}
	CU_ASSERT_EQUAL(tn.host->tcp->tw_count, 2);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 2);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.tw_overflow, 2);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* A reset at RCV.NXT in every synchronized state (RFC 9293 3.10.7.4). */
/* proves: RFC9293-MUST-12 */
static void rst_in_every_synchronized_state_aborts_and_tells_the_application(void)
{
	LEAK_CHECK_BEGIN;
	const enum tcp_state states[] = { TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2,
					  TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
					  TCP_TIME_WAIT };
	for (size_t i = 0; i < ARRAY_LEN(states); i++) {
		struct config cfg = testnet_config();
		struct peer c;
		peer_open(&c, &cfg, 30000, 0);
		c.app.read = true;
		uint32_t rnxt = 1;              /* RCV.NXT relative to the peer's ISN */
		switch (states[i]) {
		case TCP_ESTABLISHED:
			break;
		case TCP_FIN_WAIT_1:
			tcp_shutdown(c.t);
			break;
		case TCP_FIN_WAIT_2:
			tcp_shutdown(c.t);
			peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_ACK));
			break;
		case TCP_CLOSE_WAIT:
			peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_FIN | TH_ACK));
			rnxt = 2;
			break;
		case TCP_CLOSING:
			tcp_shutdown(c.t);
			peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_FIN | TH_ACK));
			rnxt = 2;
			break;
		case TCP_LAST_ACK:
			peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_FIN | TH_ACK));
			tcp_shutdown(c.t);
			rnxt = 2;
			break;
		default:
			tcp_shutdown(c.t);
			peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_FIN | TH_ACK));
			rnxt = 2;
			break;
		}
		CU_ASSERT_EQUAL_FATAL(c.t->state, states[i]);
		int errors = c.app.errors;
		peer_send(&c, SEG(.seq = rnxt, .flags = TH_RST));
		CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
		/* the application, which has not closed, hears of it where there
		 * is anything to hear: before its own FIN was acknowledged */
		bool told = states[i] == TCP_ESTABLISHED || states[i] == TCP_FIN_WAIT_1 ||
			    states[i] == TCP_FIN_WAIT_2 || states[i] == TCP_CLOSE_WAIT;
		CU_ASSERT_EQUAL(c.app.errors, errors + (told ? 1 : 0));
		if (told)
			CU_ASSERT_EQUAL(c.app.last_error, ECONNRESET);
		NO_REFUSED_TRANSITIONS(c.tn.host);
		testnet_free(&c.tn);
	}
	LEAK_CHECK_END;
}

static void close_in_syn_sent_just_forgets(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	int err;
	struct tcb *t = tcp_connect(tn.host, PEER, 80, NULL, NULL, &err);
	testnet_drain(&tn);
	tcp_close(t);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 0);
	loop_run_for(&tn.loop, SEC(10));
	struct captured s;
	CU_ASSERT_FALSE(testnet_pop_segment(&tn, &s));   /* no retransmitted SYN */
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void abort_sends_rst_at_snd_nxt(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	tcp_send(c.t, "abc", 3);
	testnet_drain(&c.tn);
	tcp_abort(c.t);
	struct captured s;
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_RST);
	CU_ASSERT_EQUAL(s.seg.seq, c.iss + 4);
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void data_after_close_is_answered_with_rst(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	tcp_close(c.t);
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_ACK));              /* FIN-WAIT-2, orphaned */
	testnet_drain(&c.tn);
	peer_send(&c, SEG(.seq = 1, .ack = 2, .flags = TH_PSH | TH_ACK, TEXT("nobody reads this")));
	struct captured s;
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.flags, TH_RST);
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.aborts_on_data, 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void lost_fin_is_retransmitted(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 0);
	c.app.read = true;
	tcp_send(c.t, "0123456789", 10);
	tcp_close(c.t);
	testnet_drain(&c.tn);                   /* both segments lost */
	loop_run_for(&c.tn.loop, SEC(1));
	struct captured s;
	CU_ASSERT_TRUE_FATAL(next(&c, &s));
	CU_ASSERT_EQUAL(s.seg.seq, c.iss + 1);
	CU_ASSERT_EQUAL(s.seg.len, 10);
	CU_ASSERT_EQUAL(s.seg.flags & TH_FIN, TH_FIN);    /* data and FIN together */
	peer_send(&c, SEG(.seq = 1, .ack = 12, .flags = TH_ACK));
	CU_ASSERT_EQUAL(c.t->state, TCP_FIN_WAIT_2);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* The hang a many-seed soak found: an application closes while its data
 * still waits behind the peer's window, so its FIN is queued, not sent;
 * then the peer's FIN arrives.  RFC 9293 moves the connection to CLOSING,
 * and the queued data and the FIN must still go out. */
static void fin_arriving_before_our_queued_fin_is_sent_still_closes(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	peer_open(&c, &cfg, 30000, 600);     /* full segments fill the window (chapter 7) */
	c.app.read = true;
	struct tcb *t = c.t;
	/* the peer's window shrinks to 600 bytes */
	testnet_send(&c.tn, SEG(.sport = 80, .dport = c.port, .seq = PISS + 1, .ack = c.iss + 1, .flags = TH_ACK, .wnd = 600));
	static char data[2000];
	memset(data, 'd', sizeof data);
	CU_ASSERT_EQUAL(tcp_send(t, data, sizeof data), (long)sizeof data);
	tcp_close(t);
	CU_ASSERT_EQUAL(t->state, TCP_FIN_WAIT_1);
	CU_ASSERT_FALSE((t->flags & TF_FIN_SENT));                      /* queued behind 1,400 bytes */
	struct captured s;
	size_t sent = 0;
	while (next(&c, &s))
		sent += s.seg.len;
	CU_ASSERT_EQUAL(sent, 600);
	/* the peer acknowledges those 600 bytes, keeps its window, and closes */
	testnet_send(&c.tn, SEG(.sport = 80, .dport = c.port, .seq = PISS + 1, .ack = c.iss + 601, .flags = TH_FIN | TH_ACK, .wnd = 600));
	CU_ASSERT_EQUAL(t->state, TCP_CLOSING);
	/* the next 600 bytes go at once (they were decided at the ACK step,
	 * before the FIN step took the peer's FIN), then its acknowledgment;
	 * later segments carry it */
	uint32_t ack = 601;
	for (int round = 0; round < 3; round++) {
		sent = 0;
		bool fin = false, fin_acked = false;
		while (next(&c, &s)) {
			sent += s.seg.len;
			fin = fin || (s.seg.flags & TH_FIN);
			fin_acked = s.seg.ack == PISS + 2;
		}
		CU_ASSERT_TRUE(fin_acked);
		CU_ASSERT_EQUAL(sent, round < 2 ? 600u : 200u);
		CU_ASSERT_EQUAL(fin, round == 2);              /* the FIN with the last bytes */
		ack += (uint32_t)sent + fin;
		testnet_send(&c.tn, SEG(.sport = 80, .dport = c.port, .seq = PISS + 2, .ack = c.iss + ack, .flags = TH_ACK, .wnd = 600));
	}
	CU_ASSERT_EQUAL(t->state, TCP_TIME_WAIT);
	loop_run_for(&c.tn.loop, 2 * cfg.msl);
	CU_ASSERT_EQUAL(c.tn.host->tcp->count, 0);
	NO_REFUSED_TRANSITIONS(c.tn.host);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void closing_a_listener_closes_its_queued_connections(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	int err;
	struct tcb *l = tcp_listen(tn.host, 80, 4, NULL, NULL, &err);
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 100, .flags = TH_SYN, .wnd = 1000));
	struct captured s;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &s));
	testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 101, .ack = s.seg.seq + 1, .flags = TH_ACK, .wnd = 1000));
	testnet_send(&tn, SEG(.sport = 40001, .dport = 80, .seq = 500, .flags = TH_SYN, .wnd = 1000));
	testnet_drain(&tn);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 3);
	tcp_close(l);
	CU_ASSERT_EQUAL(tn.host->tcp->count, 0);
	CU_ASSERT_TRUE(testnet_pop_segment(&tn, &s));   /* the accepted one is reset */
	CU_ASSERT_EQUAL(s.seg.flags, TH_RST);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void transfer_and_close_between_two_hosts(void)
{
	LEAK_CHECK_BEGIN;
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct impair_cfg ic;
	impair_cfg_default(&ic);
	ic.delay = MSEC(5);
	struct simlink *link = simlink_create(&l, &ic, &ic, 1500);
	struct config ca = testnet_config(), cb = testnet_config();
	ca.addr = PEER;
	cb.msl = SEC(1);
	struct host *a = host_create(&l, simlink_end(link, 0), &ca);
	struct host *b = host_create(&l, simlink_end(link, 1), &cb);
	int err;
	struct tcb *lis = tcp_listen(b, 80, 4, NULL, NULL, &err);
	struct app_log la = { .read = false };
	struct tcb *ta = tcp_connect(a, US, 80, app_event, &la, &err);
	loop_run_for(&l, MSEC(50));
	struct tcb *tb = tcp_accept(lis);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tb);
	static uint8_t big[40000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i * 13);
	CU_ASSERT_EQUAL(tcp_send(tb, big, sizeof big), (long)sizeof big);
	tcp_close(tb);                            /* b closes first, after its data */
	static uint8_t got[40000];
	size_t n = 0;
	for (int i = 0; i < 100 && !tcp_eof(ta); i++) {
		loop_run_for(&l, MSEC(10));
		n += tcp_recv(ta, got + n, sizeof got - n);
	}
	CU_ASSERT_EQUAL(n, sizeof big);
	CU_ASSERT_EQUAL(memcmp(got, big, sizeof big), 0);
	CU_ASSERT_TRUE(tcp_eof(ta));
	tcp_close(ta);
	loop_run_for(&l, SEC(3));
	CU_ASSERT_EQUAL(a->tcp->count, 0);
	CU_ASSERT_EQUAL(b->tcp->count, 1);        /* only b's listener */
	host_destroy(a);
	host_destroy(b);
	loop_free(&l);
	LEAK_CHECK_END;
}

static void every_state_and_every_diagram_transition_was_taken(void)
{
	/* runs last: the scenarios of chapters 4 and 5 have entered every one
	 * of the eleven states and taken every transition of RFC 9293's
	 * diagram (the solid arrows) through the table */
	for (int s = 0; s < TCP_NSTATES; s++) {
		uint64_t entered = 0;
		for (size_t i = 0; i < tcp_ntransitions; i++)
			if (tcp_transitions[i].to == (enum tcp_state)s)
				entered += test_transition_log[i];
		if (entered == 0)
			fprintf(stderr, "\n    state %s never entered\n", tcp_state_names[s]);
		CU_ASSERT_TRUE(entered > 0);
	}
	for (size_t i = 0; i < tcp_ntransitions; i++) {
		const struct tcp_transition *r = &tcp_transitions[i];
		if (r->chapter == 0 || r->aside || test_transition_log[i] > 0)
			continue;
		fprintf(stderr, "\n    transition %s --%s--> %s never taken\n",
			tcp_state_names[r->from], tcp_trigger_names[r->trigger],
			tcp_state_names[r->to]);
		CU_FAIL("a transition of the diagram was never taken");
	}
	CU_ASSERT_EQUAL(TCP_NSTATES, 11);
}

/* ---- Appendix C: requirements without a test of their own ---- */

/* proves: RFC9293-MUST-65 */
static void the_mss_option_goes_on_syns_only(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct app_log log = { 0 };
	int err = 0;
	struct tcb *t = tcp_connect(tn.host, PEER, 80, app_event, &log, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	struct captured c;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &c));
	CU_ASSERT_TRUE(c.seg.opt.mss_present);               /* the SYN */
	testnet_send(&tn, SEG(.sport = 80, .dport = c.seg.sport, .seq = PISS, .ack = c.seg.seq + 1,
			      .flags = TH_SYN | TH_ACK, .wnd = 30000));
	CU_ASSERT_EQUAL(tcp_send(t, "hello", 5), 5);
	tcp_close(t);
	int n = 0;
	while (testnet_pop_segment(&tn, &c)) {                /* the ACK, the data, the FIN */
		n++;
		CU_ASSERT_FALSE(c.seg.flags & TH_SYN);
		CU_ASSERT_FALSE(c.seg.opt.mss_present);
	}
	CU_ASSERT_TRUE(n >= 2);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

void register_ch05(void)
{
	static const struct test_entry paths[] = {
		TEST(active_close_passes_fin_wait_and_time_wait_for_exactly_2msl),
		TEST(passive_close_passes_close_wait_and_last_ack),
		TEST(simultaneous_close_passes_closing),
		TEST(fin_ack_in_fin_wait_1_goes_straight_to_time_wait),
		TEST(fin_retransmitted_into_time_wait_is_acked_and_restarts_2msl),
		TEST(segments_after_time_wait_ended_are_answered_with_rst),
		TEST(half_close_still_delivers_the_peers_data),
		TEST(fin_wait_2_orphan_is_freed_after_fin_timeout),
		TEST(shutdown_only_application_is_told_when_the_connection_ends),
		TEST(data_queued_in_syn_sent_goes_out_when_the_connection_opens),
		TEST(time_wait_cap_closes_the_new_entry_and_counts),
		TEST(lost_fin_is_retransmitted),
		TEST(fin_arriving_before_our_queued_fin_is_sent_still_closes),
		TEST(transfer_and_close_between_two_hosts),
	};
	static const struct test_entry resets[] = {
		TEST(close_with_unread_data_sends_rst_not_fin),
		TEST(peer_sees_the_reset_of_a_close_with_unread_data),
		TEST(rst_in_every_synchronized_state_aborts_and_tells_the_application),
		TEST(close_in_syn_sent_just_forgets),
		TEST(abort_sends_rst_at_snd_nxt),
		TEST(data_after_close_is_answered_with_rst),
		TEST(closing_a_listener_closes_its_queued_connections),
	};
	static const struct test_entry machine[] = {
		TEST(every_state_and_every_diagram_transition_was_taken),
	};
	add_suite("ch05 close paths", paths, ARRAY_LEN(paths));
	add_suite("ch05 resets and aborts", resets, ARRAY_LEN(resets));
	add_suite("ch05 the complete state machine", machine, ARRAY_LEN(machine));
	static const struct test_entry conformance[] = {
		TEST(the_mss_option_goes_on_syns_only),
	};
	add_suite("ch05 conformance (Appendix C)", conformance, ARRAY_LEN(conformance));
}
