/* Chapter 10, timestamps: negotiation and the option on every segment,
 * TS.Recent and Last.ACK.sent, RTT from every ACK (also after a
 * retransmission) with Appendix G's gains, PAWS (an old duplicate from
 * the previous wrap), the 24-day rule, Eifel's undo, and the hidden
 * uptime. */
#include "testutil.h"
#include "tcp_var.h"

#define MSS 1000u
#define PISS 9000u

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* The stack connects to a scripted peer whose SYN-ACK carries an MSS of
 * 1,000 and, when `ts`, the timestamps option (TSval 5000, echoing the
 * SYN's). The stack's SYN is returned in *syn. */
static void open_ts(struct peer *p, const struct config *cfg, bool ts, struct captured *syn)
{
	memset(p, 0, sizeof *p);
	testnet_init(&p->tn, cfg);
	p->piss = PISS;
	p->wnd = 60000;
	int err;
	p->t = tcp_connect(p->tn.host, ADDR(10, 0, 0, 1), 80, app_event, &p->app, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->t);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&p->tn, syn));
	p->port = syn->seg.sport;
	p->iss = syn->seg.seq;
	uint8_t opt[16] = { 2, 4, MSS >> 8, MSS & 0xff, 1, 1, 8, 10 };
	put32(opt + 8, 5000);
	put32(opt + 12, syn->seg.opt.ts_val);
	testnet_send(&p->tn, SEG(.sport = 80, .dport = p->port, .seq = p->piss, .ack = p->iss + 1,
				 .flags = TH_SYN | TH_ACK, .wnd = 60000, .opt = opt,
				 .optlen = ts ? 16 : 4));
	CU_ASSERT_EQUAL_FATAL(p->t->state, TCP_ESTABLISHED);
}

/* A segment from the peer with these flags and timestamps TSval, TSecr. */
static void ts_send_flags(struct peer *p, uint32_t seq, uint32_t ack, uint8_t flags,
			  uint32_t tsval, uint32_t tsecr, const void *data, size_t len)
{
	uint8_t opt[12] = { 1, 1, 8, 10 };
	put32(opt + 4, tsval);
	put32(opt + 8, tsecr);
	peer_send(p, SEG(.seq = seq, .ack = ack, .flags = flags, .opt = opt, .optlen = 12,
			 .data = data, .len = len));
}

/* An acknowledgment from the peer, with data if len, and timestamps. */
static void ts_send(struct peer *p, uint32_t seq, uint32_t ack, uint32_t tsval, uint32_t tsecr,
		    const void *data, size_t len)
{
	ts_send_flags(p, seq, ack, TH_ACK | (len ? TH_PSH : 0), tsval, tsecr, data, len);
}

/* open_ts, then 100 bytes from the peer with TSval 6000, which becomes
 * TS.Recent; the stack's segments so far are drained. */
static void open_ts_recent_6000(struct peer *p, const struct config *cfg, struct captured *syn)
{
	static const char d[100] = { 0 };
	open_ts(p, cfg, true, syn);
	testnet_drain(&p->tn);
	ts_send(p, 1, 1, 6000, 0, d, 100);
	testnet_drain(&p->tn);
	CU_ASSERT_EQUAL_FATAL(p->t->ts_recent, 6000);
}

/* proves: RFC9293-MUST-5 RFC7323-3.2a RFC7323-3.2b */
static void timestamps_are_offered_and_carried_on_every_segment_when_both_syns_had_them(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured syn, s;
	open_ts(&c, &cfg, true, &syn);
	CU_ASSERT_TRUE(syn.seg.opt.ts_present);
	CU_ASSERT_EQUAL(syn.seg.opt.ts_ecr, 0);
	CU_ASSERT_TRUE(c.t->flags & TF_TS_OK);
	CU_ASSERT_EQUAL(c.t->snd_mss, MSS - 12);            /* the option's room */
	static uint8_t data[3000];
	tcp_send(c.t, data, sizeof data);
	int n = 0, with = 0;
	while (testnet_pop_segment(&c.tn, &s)) {
		n++;
		with += s.seg.opt.ts_present && s.seg.opt.ts_ecr == 5000;
		CU_ASSERT_TRUE(s.seg.len <= MSS - 12);
	}
	CU_ASSERT_TRUE(n >= 4);                              /* the ACK of the handshake, and data */
	CU_ASSERT_EQUAL(with, n);
	testnet_free(&c.tn);
	open_ts(&c, &cfg, false, &syn);                      /* the peer did not answer */
	CU_ASSERT_FALSE(c.t->flags & TF_TS_OK);
	tcp_send(c.t, data, sizeof data);
	while (testnet_pop_segment(&c.tn, &s))
		CU_ASSERT_FALSE(s.seg.opt.ts_present);
	testnet_free(&c.tn);
	cfg.timestamps = false;                              /* the setting */
	struct testnet tn;
	testnet_init(&tn, &cfg);
	int err;
	tcp_connect(tn.host, ADDR(10, 0, 0, 1), 80, NULL, NULL, &err);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &s));
	CU_ASSERT_FALSE(s.seg.opt.ts_present);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC7323-4.3 RFC9293-MUST-5 RFC7323-3.2c */
static void ts_recent_echoes_the_earliest_segment_an_ack_covers(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured syn, s;
	open_ts(&c, &cfg, true, &syn);
	testnet_drain(&c.tn);
	static const char d[100] = { 0 };
	ts_send(&c, 1, 1, 6000, 0, d, 100);          /* in order: the ACK may wait (delayed) */
	ts_send(&c, 101, 1, 7000, 0, d, 100);        /* the second: the ACK goes */
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.ack, c.piss + 201);
	CU_ASSERT_EQUAL(s.seg.opt.ts_ecr, 6000);     /* the first: it was at Last.ACK.sent */
	ts_send(&c, 301, 1, 8000, 0, d, 100);        /* beyond a gap: after Last.ACK.sent */
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.opt.ts_ecr, 6000);     /* not updated by it (nor by 7000's) */
	ts_send(&c, 201, 1, 9000, 0, d, 100);        /* fills the gap, at Last.ACK.sent */
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.ack, c.piss + 401);
	CU_ASSERT_EQUAL(s.seg.opt.ts_ecr, 9000);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC6298-3 */
static void rtt_is_sampled_from_the_echo_even_after_a_retransmission(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured syn, s;
	open_ts(&c, &cfg, true, &syn);
	testnet_drain(&c.tn);
	static uint8_t data[MSS - 12];
	tcp_send(c.t, data, sizeof data);
	testnet_drain(&c.tn);                                /* lost */
	loop_run_for(&c.tn.loop, SEC(1));                    /* the retransmission */
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.len, MSS - 12);
	uint64_t before = c.tn.host->stats.tcp.rtt_samples;
	loop_run_for(&c.tn.loop, MSEC(30));
	ts_send(&c, 1, 1 + (MSS - 12), 6000, s.seg.opt.ts_val, NULL, 0);   /* echoing the copy */
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rtt_samples, before + 1);     /* Karn would refuse */
	CU_ASSERT_TRUE(c.t->srtt >= MSEC(29) && c.t->srtt <= MSEC(31));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* The peer got the segment but its ACK was lost; our timer resends,
 * and the peer answers the duplicate echoing the original's TSval
 * (a wholly old segment does not update TS.Recent). Not a round trip. */
static void an_echo_older_than_the_retransmission_is_not_a_sample(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured syn, s;
	open_ts(&c, &cfg, true, &syn);
	testnet_drain(&c.tn);
	c.t->srtt = MSEC(30);
	c.t->rttvar = MSEC(10);
	static uint8_t data[MSS - 12];
	tcp_send(c.t, data, sizeof data);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	uint32_t original = s.seg.opt.ts_val;
	testnet_drain(&c.tn);
	loop_run_for(&c.tn.loop, SEC(1));                    /* the timer resends */
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_TRUE_FATAL(s.seg.opt.ts_val > original);
	uint64_t before = c.tn.host->stats.tcp.rtt_samples;
	loop_run_for(&c.tn.loop, MSEC(30));
	ts_send(&c, 1, 1 + (MSS - 12), 6000, original, NULL, 0);   /* echoing the original */
	CU_ASSERT_EQUAL(c.t->snd_una, c.iss + 1 + (MSS - 12));
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rtt_samples, before);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rtt_echo_refused, 1);
	CU_ASSERT_EQUAL(c.t->srtt, MSEC(30));                /* not 1 s and more */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

static void appendix_g_scales_the_gains_by_the_samples_expected(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured syn;
	open_ts(&c, &cfg, true, &syn);
	c.t->srtt = MSEC(100);
	c.t->rttvar = MSEC(20);
	tcp_rtt_sample_scaled(c.t, MSEC(180), 10);          /* 80 ms above, 10 expected */
	CU_ASSERT_EQUAL(c.t->srtt, MSEC(100) + MSEC(80) / 80);        /* 1/8 / 10 */
	CU_ASSERT_EQUAL(c.t->rttvar, MSEC(20) + (MSEC(80) - MSEC(20)) / 40);   /* 1/4 / 10 */
	c.t->srtt = MSEC(100);
	c.t->rttvar = MSEC(20);
	tcp_rtt_sample_scaled(c.t, MSEC(180), 1);           /* one: chapter 6's gains */
	CU_ASSERT_EQUAL(c.t->srtt, MSEC(110));
	CU_ASSERT_EQUAL(c.t->rttvar, MSEC(35));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC7323-5.3 RFC7323-5.2 */
static void paws_drops_an_old_timestamp_with_an_ack_and_keeps_ts_recent(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.delack = 0;
	struct peer c;
	struct captured syn, s;
	open_ts_recent_6000(&c, &cfg, &syn);
	static const char d[100] = { 0 };
	ts_send(&c, 101, 1, 4000, 0, d, 100);        /* older than TS.Recent */
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	CU_ASSERT_EQUAL(s.seg.ack, c.piss + 101);    /* dropped, and acknowledged */
	CU_ASSERT_EQUAL(c.t->ts_recent, 6000);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.paws_rejected, 1);
	CU_ASSERT_EQUAL(c.t->rcvq.len, 100);
	/* a reset is not subject to PAWS */
	ts_send_flags(&c, 101, 0, TH_RST, 1, 0, NULL, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.paws_rejected, 1);
	CU_ASSERT_EQUAL(c.app.last_error, ECONNRESET);   /* taken, old TSval and all */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* The old duplicate of a wrap ago: the same sequence number as the next
 * byte expected, other bytes, and a timestamp from long before. */
static size_t old_duplicate(bool timestamps)
{
	struct config cfg = testnet_config();
	cfg.timestamps = timestamps;
	cfg.delack = 0;
	struct peer c;
	struct captured syn;
	open_ts(&c, &cfg, true, &syn);
	static const char now[100] = { 'n' }, old[100] = { 'o' };
	ts_send(&c, 1, 1, 900000, 0, now, 100);
	ts_send(&c, 101, 1, 10, 0, old, 100);        /* 4 GiB ago, on a fast path */
	ts_send(&c, 101, 1, 900001, 0, now, 100);    /* the real bytes */
	char got[300];
	size_t n = tcp_recv(c.t, got, sizeof got);
	bool corrupted = n >= 101 && got[100] == 'o';
	testnet_free(&c.tn);
	return corrupted;
}

/* proves: RFC7323-5.3 RFC7323-3.2f */
static void an_old_duplicate_from_the_previous_wrap_is_rejected_with_paws_accepted_without(void)
{
	LEAK_CHECK_BEGIN;
	CU_ASSERT_FALSE(old_duplicate(true));
	CU_ASSERT_TRUE(old_duplicate(false));        /* without timestamps: the wrong bytes */
	LEAK_CHECK_END;
}

/* proves: RFC7323-5.5 */
static void ts_recent_is_trusted_no_longer_after_24_days_idle(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.delack = 0;
	struct peer c;
	struct captured syn;
	open_ts(&c, &cfg, true, &syn);
	static const char d[100] = { 0 };
	ts_send(&c, 1, 1, 6000, 0, d, 100);
	c.t->ts_recent_at -= SEC(25 * 24 * 3600);    /* as if 25 days had passed */
	ts_send(&c, 101, 1, 10, 0, d, 100);          /* older, but TS.Recent is stale */
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.paws_rejected, 0);
	CU_ASSERT_EQUAL(c.t->rcvq.len, 200);
	CU_ASSERT_EQUAL(c.t->ts_recent, 10);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Ten segments; all of them "lost" to a delay, the timer fires, and then
 * the ACK for the originals arrives, echoing the originals' TSval (real:
 * the retransmission's). */
static void eifel_case(bool spurious, bool eifel, uint32_t *cwnd, uint32_t *ssthresh, int *after)
{
	struct config cfg = testnet_config();
	cfg.eifel = eifel;
	struct peer c;
	struct captured syn, s;
	open_ts(&c, &cfg, true, &syn);
	testnet_drain(&c.tn);
	static uint8_t data[10 * (MSS - 12)];
	tcp_send(c.t, data, sizeof data);
	uint32_t first_tsval = 0;
	while (testnet_pop_segment(&c.tn, &s))
		if (first_tsval == 0 && s.seg.len > 0)
			first_tsval = s.seg.opt.ts_val;
	uint32_t before = c.t->cwnd;
	loop_run_for(&c.tn.loop, SEC(1));            /* the timeout: one segment resent */
	uint32_t rtx_tsval = 0;
	while (testnet_pop_segment(&c.tn, &s))
		if (s.seg.len > 0)
			rtx_tsval = s.seg.opt.ts_val;
	CU_ASSERT_EQUAL(c.t->cwnd, c.t->snd_mss);
	CU_ASSERT_TRUE(rtx_tsval != first_tsval);
	ts_send(&c, 1, 1 + 2 * (MSS - 12), 6000, spurious ? first_tsval : rtx_tsval, NULL, 0);
	*cwnd = c.t->cwnd;
	*ssthresh = c.t->ssthresh;
	*after = 0;
	while (testnet_pop_segment(&c.tn, &s))
		*after += s.seg.len > 0 && SEQ_LT(s.seg.seq, c.t->snd_nxt) &&
			  s.seg.seq - c.iss < 1 + 10 * (MSS - 12);
	CU_ASSERT_TRUE(before >= 10 * (MSS - 12));
	testnet_free(&c.tn);
}

static void eifel_undoes_the_response_to_a_spurious_timeout_only(void)
{
	LEAK_CHECK_BEGIN;
	uint32_t cwnd, ssthresh;
	int resent;
	eifel_case(true, true, &cwnd, &ssthresh, &resent);
	CU_ASSERT_TRUE(cwnd >= 10 * (MSS - 12));     /* back to the window before */
	CU_ASSERT_EQUAL(ssthresh, TCP_INFINITE_SSTHRESH);
	eifel_case(false, true, &cwnd, &ssthresh, &resent);   /* a real loss: kept */
	CU_ASSERT_TRUE(cwnd <= 3 * (MSS - 12));
	CU_ASSERT_TRUE(ssthresh < TCP_INFINITE_SSTHRESH);
	eifel_case(true, false, &cwnd, &ssthresh, &resent);   /* without Eifel: kept too */
	CU_ASSERT_TRUE(cwnd <= 3 * (MSS - 12));
	LEAK_CHECK_END;
}

static void a_delay_jump_costs_one_segment_with_eifel_a_flight_without(void)
{
	static char out[1024];
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("delay-jump"), out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "1 timeouts, 1 undone"));
	const char *p = strstr(out, "undone; ");
	CU_ASSERT_TRUE_FATAL(p != NULL);
	long with = strtol(p + 8, NULL, 10);
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("delay-jump", "--no-eifel"), out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 undone"));
	p = strstr(out, "undone; ");
	CU_ASSERT_TRUE_FATAL(p != NULL);
	long without = strtol(p + 8, NULL, 10);
	CU_ASSERT_TRUE(with <= 1500);                /* one segment */
	CU_ASSERT_TRUE(without >= 10 * with);        /* the flight, again */
}

/* proves: RFC7323-7.1 */
static void timestamps_do_not_reveal_the_uptime(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	loop_run_for(&tn.loop, SEC(1000));
	int err;
	tcp_connect(tn.host, ADDR(10, 0, 0, 1), 80, NULL, NULL, &err);
	tcp_connect(tn.host, ADDR(10, 0, 0, 1), 81, NULL, NULL, &err);
	struct captured a, b;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &a));
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &b));
	uint32_t uptime_ms = (uint32_t)(loop_now(&tn.loop) / 1000);
	CU_ASSERT_NOT_EQUAL(a.seg.opt.ts_val, uptime_ms);
	CU_ASSERT_NOT_EQUAL(a.seg.opt.ts_val, b.seg.opt.ts_val);   /* no shared clock to link them */
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* A reset inside the window but not at RCV.NXT is answered with a
 * challenge ACK and dropped: its newer TSval does not become TS.Recent,
 * and the echo stays the last acceptable segment's; nor does its TSval
 * replace a TS.Recent gone stale after 24 days (RFC 7323 §5.2). */
/* proves: RFC7323-5.2b */
static void a_reset_updates_no_timestamp_state(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.delack = 0;
	struct peer c;
	struct captured syn, s;
	open_ts_recent_6000(&c, &cfg, &syn);
	usec_t at = c.t->ts_recent_at;
	loop_run_for(&c.tn.loop, MSEC(10));
	ts_send_flags(&c, 151, 0, TH_RST, 7000, 0, NULL, 0);   /* newer than TS.Recent */
	CU_ASSERT_EQUAL_FATAL(c.t->state, TCP_ESTABLISHED);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));   /* the challenge ACK */
	CU_ASSERT_EQUAL(s.seg.flags & (TH_ACK | TH_RST), TH_ACK);
	CU_ASSERT_EQUAL(s.seg.opt.ts_ecr, 6000);
	CU_ASSERT_EQUAL(c.t->ts_recent, 6000);
	CU_ASSERT_EQUAL(c.t->ts_recent_at, at);
	/* nor after 24 days idle, when any acceptable segment's TSval would do */
	c.t->ts_recent_at -= SEC(25 * 24 * 3600);
	at = c.t->ts_recent_at;
	loop_run_for(&c.tn.loop, SEC(2));            /* past the challenge ACKs' limit */
	testnet_drain(&c.tn);
	ts_send_flags(&c, 151, 0, TH_RST, 10, 0, NULL, 0);
	CU_ASSERT_EQUAL_FATAL(c.t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(c.t->ts_recent, 6000);
	CU_ASSERT_EQUAL(c.t->ts_recent_at, at);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* On a connection with timestamps, the peer sends a segment without the
 * option, then one with it: neither ends the connection, and both are
 * taken (RFC 7323 only suggests dropping the first). */
/* proves: RFC7323-3.2d */
static void a_segment_without_timestamps_does_not_end_the_connection(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.delack = 0;
	struct peer c;
	struct captured syn;
	open_ts(&c, &cfg, true, &syn);
	CU_ASSERT_TRUE_FATAL(c.t->flags & TF_TS_OK);
	testnet_drain(&c.tn);
	static const char d[100] = { 0 };
	peer_send(&c, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, .data = d, .len = 100));
	CU_ASSERT_EQUAL_FATAL(c.app.errors, 0);      /* (else the TCB is gone) */
	CU_ASSERT_EQUAL(c.t->state, TCP_ESTABLISHED);
	ts_send(&c, 101, 1, 6000, 0, d, 100);
	CU_ASSERT_EQUAL_FATAL(c.app.errors, 0);
	CU_ASSERT_EQUAL(c.t->state, TCP_ESTABLISHED);
	CU_ASSERT_EQUAL(c.t->rcvq.len, 200);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* A segment without the ACK bit, whose TSecr echoes our data segment and
 * whose acknowledgment field would cover it: neither is looked at. The
 * same segment with the ACK bit is an RTT sample. */
/* proves: RFC7323-3.2e */
static void the_echo_of_a_segment_without_the_ack_bit_is_ignored(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	struct captured syn, s;
	open_ts(&c, &cfg, true, &syn);
	testnet_drain(&c.tn);
	static uint8_t data[MSS - 12];
	tcp_send(c.t, data, sizeof data);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &s));
	uint64_t before = c.tn.host->stats.tcp.rtt_samples;
	usec_t srtt = c.t->srtt;
	loop_run_for(&c.tn.loop, MSEC(300));
	ts_send_flags(&c, 1, 1 + (MSS - 12), TH_PSH, 6000, s.seg.opt.ts_val, NULL, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rtt_samples, before);
	CU_ASSERT_EQUAL(c.t->srtt, srtt);
	CU_ASSERT_EQUAL(c.t->snd_una, c.iss + 1);
	ts_send(&c, 1, 1 + (MSS - 12), 6000, s.seg.opt.ts_val, NULL, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rtt_samples, before + 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

void register_ch10(void)
{
	static const struct test_entry option[] = {
		TEST(timestamps_are_offered_and_carried_on_every_segment_when_both_syns_had_them),
		TEST(ts_recent_echoes_the_earliest_segment_an_ack_covers),
		TEST(timestamps_do_not_reveal_the_uptime),
	};
	static const struct test_entry rtt[] = {
		TEST(rtt_is_sampled_from_the_echo_even_after_a_retransmission),
		TEST(an_echo_older_than_the_retransmission_is_not_a_sample),
		TEST(appendix_g_scales_the_gains_by_the_samples_expected),
	};
	static const struct test_entry paws[] = {
		TEST(paws_drops_an_old_timestamp_with_an_ack_and_keeps_ts_recent),
		TEST(a_reset_updates_no_timestamp_state),
		TEST(an_old_duplicate_from_the_previous_wrap_is_rejected_with_paws_accepted_without),
		TEST(ts_recent_is_trusted_no_longer_after_24_days_idle),
	};
	static const struct test_entry eifel[] = {
		TEST(eifel_undoes_the_response_to_a_spurious_timeout_only),
		TEST(a_delay_jump_costs_one_segment_with_eifel_a_flight_without),
	};
	add_suite("ch10 the option", option, ARRAY_LEN(option));
	add_suite("ch10 round-trip times", rtt, ARRAY_LEN(rtt));
	add_suite("ch10 PAWS", paws, ARRAY_LEN(paws));
	add_suite("ch10 Eifel", eifel, ARRAY_LEN(eifel));
	static const struct test_entry conformance[] = {
		TEST(a_segment_without_timestamps_does_not_end_the_connection),
		TEST(the_echo_of_a_segment_without_the_ack_bit_is_ignored),
	};
	add_suite("ch10 conformance (Appendix C)", conformance, ARRAY_LEN(conformance));
}
