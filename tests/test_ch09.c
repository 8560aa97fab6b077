/* Chapter 9, selective acknowledgment: negotiation, the receiver's blocks
 * (all 120 orders of five segments), D-SACK, the sender's scoreboard and
 * RFC 6675 recovery (IsLost, pipe, NextSeg, the rescue), reneging, and
 * the simulator's experiments. */
#include "testutil.h"
#include "tcp_var.h"
#include <errno.h>
#include <unistd.h>

#define MSS 1000u
#define PISS 9000u                 /* the scripted peer's ISN (tests/util_ch04.c) */

/* As peer_open, but the peer's SYN-ACK carries SACK-permitted (when
 * `sack`) beside its MSS of 1,000 bytes, and a window of 60,000. */
static void open_sack(struct peer *p, const struct config *cfg, bool sack)
{
	memset(p, 0, sizeof *p);
	testnet_init(&p->tn, cfg);
	p->piss = PISS;
	p->wnd = 60000;
	int err;
	p->t = tcp_connect(p->tn.host, ADDR(10, 0, 0, 1), 80, app_event, &p->app, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->t);
	struct captured syn;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&p->tn, &syn));
	p->port = syn.seg.sport;
	p->iss = syn.seg.seq;
	const uint8_t opt[8] = { 2, 4, MSS >> 8, MSS & 0xff, 1, 1, 4, 2 };
	testnet_send(&p->tn, SEG(.sport = 80, .dport = p->port, .seq = p->piss, .ack = p->iss + 1,
				 .flags = TH_SYN | TH_ACK, .wnd = 60000, .opt = opt,
				 .optlen = sack ? 8 : 4));
	testnet_drain(&p->tn);
	CU_ASSERT_EQUAL_FATAL(p->t->state, TCP_ESTABLISHED);
}

/* The peer acknowledges `ack` with SACK blocks (relative to the stack's
 * ISN), given as pairs start, end, and the window wnd (0: its usual). */
static void sack_to_wnd(struct peer *p, uint32_t ack, int n, const uint32_t *blocks, uint16_t wnd)
{
	uint8_t opt[40] = { 1, 1, 5, (uint8_t)(2 + 8 * n) };
	for (int k = 0; k < 2 * n; k++) {
		uint32_t v = p->iss + blocks[k];
		opt[4 + 4 * k] = (uint8_t)(v >> 24);
		opt[5 + 4 * k] = (uint8_t)(v >> 16);
		opt[6 + 4 * k] = (uint8_t)(v >> 8);
		opt[7 + 4 * k] = (uint8_t)v;
	}
	peer_send(p, SEG(.seq = 1, .ack = ack, .flags = TH_ACK, .wnd = wnd, .opt = opt,
			 .optlen = (size_t)(4 + 8 * n)));
}

static void sack_to(struct peer *p, uint32_t ack, int n, const uint32_t *blocks)
{
	sack_to_wnd(p, ack, n, blocks, 0);
}

/* Data segments the stack sent since the last call, their relative
 * sequence numbers in seqs (up to max). */
static int sent(struct peer *p, uint32_t *seqs, int max)
{
	struct captured s;
	int n = 0;
	while (testnet_pop_segment(&p->tn, &s))
		if (s.seg.len > 0) {
			if (n < max)
				seqs[n] = s.seg.seq - p->iss;
			n++;
		}
	return n;
}

/* ---- negotiation ----------------------------------------------------------------- */

/* proves: RFC2018-2 */
static void sack_permitted_is_offered_and_used_only_when_both_syns_carry_it(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	open_sack(&c, &cfg, true);
	CU_ASSERT_TRUE(c.t->flags & TF_SACK_OK);
	testnet_free(&c.tn);
	open_sack(&c, &cfg, false);
	CU_ASSERT_FALSE(c.t->flags & TF_SACK_OK);
	testnet_free(&c.tn);
	/* our SYN offers it, unless the setting is off */
	for (int on = 0; on <= 1; on++) {
		cfg.sack = on;
		struct testnet tn;
		testnet_init(&tn, &cfg);
		int err;
		tcp_connect(tn.host, ADDR(10, 0, 0, 1), 80, NULL, NULL, &err);
		struct captured syn;
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &syn));
		CU_ASSERT_EQUAL(syn.seg.opt.sack_permitted, on);
		testnet_free(&tn);
	}
	/* a SYN-ACK offers it only in answer */
	cfg.sack = true;
	for (int asked = 0; asked <= 1; asked++) {
		struct testnet tn;
		testnet_init(&tn, &cfg);
		int err;
		tcp_listen(tn.host, 80, 4, NULL, NULL, &err);
		const uint8_t opt[8] = { 2, 4, 0x05, 0xb4, 1, 1, 4, 2 };
		testnet_send(&tn, SEG(.sport = 40000, .dport = 80, .seq = 1000, .flags = TH_SYN,
				      .wnd = 60000, .opt = opt, .optlen = asked ? 8 : 4));
		struct captured sa;
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &sa));
		CU_ASSERT_EQUAL(sa.seg.flags, TH_SYN | TH_ACK);
		CU_ASSERT_EQUAL(sa.seg.opt.sack_permitted, asked);
		testnet_free(&tn);
	}
	LEAK_CHECK_END;
}

/* ---- the receiver's blocks --------------------------------------------------------------- */

/* The peer sends segment k (100 bytes at 1 + 100 k) of its data. */
static void peer_segment(struct peer *p, int k)
{
	static char data[100];
	memset(data, 'a' + k, sizeof data);
	peer_send(p, SEG(.seq = 1 + 100 * (uint32_t)k, .ack = 1, .flags = TH_ACK | TH_PSH,
			 .data = data, .len = sizeof data));
}

/* The model of RFC 2018 the blocks must follow, kept apart from the
 * stack: which of five segments have arrived, and the blocks in the order
 * last reported (runs named by their first segment). */
struct model {
	bool got[5];
	int rep[4], nrep;
};

static int model_next(const struct model *m)      /* the first segment missing */
{
	int k = 0;
	while (k < 5 && m->got[k])
		k++;
	return k;
}

static int model_run_start(const struct model *m, int k)  /* -1: not held beyond the gap */
{
	if (k < model_next(m) || !m->got[k])
		return -1;
	while (k > 0 && m->got[k - 1])
		k--;
	return k;
}

static int model_run_end(const struct model *m, int k)
{
	while (k < 5 && m->got[k])
		k++;
	return k;
}

static void model_arrive(struct model *m, int k)
{
	bool beyond = k > model_next(m);
	m->got[k] = true;
	int list[5], n = 0;
	for (int i = beyond ? -1 : 0; i < m->nrep; i++) {
		int s = model_run_start(m, i < 0 ? k : m->rep[i]);
		bool seen = s < 0;
		for (int j = 0; j < n && !seen; j++)
			seen = list[j] == s;
		if (!seen && n < 4)
			list[n++] = s;
	}
	memcpy(m->rep, list, sizeof list[0] * (size_t)n);
	m->nrep = n;
}

/* proves: RFC2018-4b */
static void receiver_blocks_follow_rfc_2018_for_all_120_orders_of_five_segments(void)
{
	LEAK_CHECK_BEGIN;
	int order[5] = { 0, 1, 2, 3, 4 }, checked = 0, wrong = 0;
	struct config cfg = testnet_config();
	cfg.delack = 0;
	for (int perm = 0; perm < 120; perm++) {
		/* the perm-th permutation, by the factorial number system */
		int pool[5] = { 0, 1, 2, 3, 4 }, left = 5, x = perm;
		for (int i = 0; i < 5; i++) {
			int f = 1;
			for (int j = 2; j < left; j++)
				f *= j;
			int pick = x / f;
			x %= f;
			order[i] = pool[pick];
			memmove(&pool[pick], &pool[pick + 1], sizeof pool[0] * (size_t)(left - pick - 1));
			left--;
		}
		struct peer c;
		open_sack(&c, &cfg, true);
		struct model m = { 0 };
		for (int i = 0; i < 5; i++) {
			peer_segment(&c, order[i]);
			model_arrive(&m, order[i]);
			struct captured a, last;
			bool any = false;
			while (testnet_pop_segment(&c.tn, &a)) {
				last = a;
				any = true;
			}
			CU_ASSERT_TRUE_FATAL(any);
			bool ok = last.seg.ack == c.piss + 1 + 100 * (uint32_t)model_next(&m) &&
				  last.seg.opt.nsack == m.nrep;
			for (int b = 0; ok && b < m.nrep; b++)
				ok = last.seg.opt.sack[b].start == c.piss + 1 + 100 * (uint32_t)m.rep[b] &&
				     last.seg.opt.sack[b].end ==
				     c.piss + 1 + 100 * (uint32_t)model_run_end(&m, m.rep[b]);
			checked++;
			wrong += !ok;
		}
		testnet_free(&c.tn);
	}
	CU_ASSERT_EQUAL(checked, 600);
	CU_ASSERT_EQUAL(wrong, 0);
	LEAK_CHECK_END;
}

/* proves: RFC2018-4a */
static void no_blocks_without_negotiation_and_at_most_four(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	open_sack(&c, &cfg, false);
	peer_segment(&c, 2);
	struct captured a;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &a));
	CU_ASSERT_EQUAL(a.seg.opt.nsack, 0);
	testnet_free(&c.tn);
	/* six runs beyond the gap: the four most recent are reported */
	open_sack(&c, &cfg, true);
	for (int k = 1; k <= 11; k += 2)
		peer_segment(&c, k);
	struct captured last = a;
	while (testnet_pop_segment(&c.tn, &a))
		last = a;
	CU_ASSERT_EQUAL(last.seg.opt.nsack, 4);
	CU_ASSERT_EQUAL(last.seg.opt.sack[0].start, c.piss + 1 + 1100);
	CU_ASSERT_EQUAL(last.seg.opt.sack[3].start, c.piss + 1 + 500);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC2883-4 */
static void duplicates_are_reported_first_as_d_sack_below_and_beyond_rcv_nxt(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.delack = 0;
	struct peer c;
	open_sack(&c, &cfg, true);
	peer_segment(&c, 0);
	testnet_drain(&c.tn);
	peer_segment(&c, 0);                       /* again: below RCV.NXT */
	struct captured a;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &a));
	CU_ASSERT_EQUAL(a.seg.ack, c.piss + 101);
	CU_ASSERT_EQUAL(a.seg.opt.nsack, 1);
	CU_ASSERT_EQUAL(a.seg.opt.sack[0].start, c.piss + 1);
	CU_ASSERT_EQUAL(a.seg.opt.sack[0].end, c.piss + 101);
	peer_segment(&c, 3);                       /* beyond a gap, twice */
	testnet_drain(&c.tn);
	peer_segment(&c, 3);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &a));
	CU_ASSERT_EQUAL(a.seg.opt.nsack, 2);       /* the duplicate, then its run */
	CU_ASSERT_EQUAL(a.seg.opt.sack[0].start, c.piss + 301);
	CU_ASSERT_EQUAL(a.seg.opt.sack[0].end, c.piss + 401);
	CU_ASSERT_EQUAL(a.seg.opt.sack[1].start, c.piss + 301);
	CU_ASSERT_EQUAL(a.seg.opt.sack[1].end, c.piss + 401);
	peer_segment(&c, 4);                       /* news: no D-SACK any more */
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&c.tn, &a));
	CU_ASSERT_EQUAL(a.seg.opt.nsack, 1);
	CU_ASSERT_EQUAL(a.seg.opt.sack[0].start, c.piss + 301);
	CU_ASSERT_EQUAL(a.seg.opt.sack[0].end, c.piss + 501);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.dsacks_sent, 2);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- the sender ------------------------------------------------------------------- */

static void sender_with(struct peer *c, struct config *cfg, size_t bytes)
{
	open_sack(c, cfg, true);
	static uint8_t data[100000];
	memset(data, 'x', sizeof data);
	CU_ASSERT_EQUAL_FATAL(tcp_send(c->t, data, bytes), (long)bytes);
}

/* Linux raises its window on almost every ACK while it tunes its buffer:
 * with SACK, an ACK that reports new blocks is a duplicate all the same. */
static void sack_duplicates_count_even_when_the_window_moves(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	sender_with(&c, &cfg, 10 * MSS);
	uint32_t seqs[16];
	sent(&c, seqs, 16);
	for (int d = 1; d <= 3; d++) {
		const uint32_t block[] = { 1001, 1001 + 1000 * (uint32_t)d };
		sack_to_wnd(&c, 1, 1, block, (uint16_t)(60000 + 500 * d));
		CU_ASSERT_EQUAL(c.t->dupacks, d);
	}
	CU_ASSERT_TRUE(c.t->flags & TF_IN_RECOVERY);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fast_retransmits, 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC6675-4c */
static void blocks_below_snd_una_or_beyond_snd_nxt_are_ignored_and_counted(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	sender_with(&c, &cfg, 5 * MSS);
	uint32_t seqs[16];
	CU_ASSERT_EQUAL(sent(&c, seqs, 16), 5);
	const uint32_t beyond[] = { 3001, 9001 }, good[] = { 2001, 3001 };
	sack_to(&c, 1001, 1, beyond);
	CU_ASSERT_EQUAL(c.t->nsb, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.sack_blocks_ignored, 1);
	sack_to(&c, 1001, 1, good);
	CU_ASSERT_EQUAL(c.t->nsb, 1);
	const uint32_t below[] = { 1, 501 };           /* below the ACK: a D-SACK */
	sack_to(&c, 1001, 1, below);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.dsacks_received, 1);
	sack_to(&c, 3001, 0, NULL);                    /* the ACK passes the block */
	CU_ASSERT_EQUAL(c.t->nsb, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* Ten segments, the 1st, 4th and 7th lost; the peer reports the others
 * as they arrive. */
static void lose_three(struct peer *c, struct config *cfg, size_t bytes)
{
	sender_with(c, cfg, bytes);
	uint32_t seqs[16];
	CU_ASSERT_EQUAL(sent(c, seqs, 16), 10);
}

/* proves: RFC6675-5b RFC6675-5d */
static void only_the_holes_are_resent_and_pipe_never_exceeds_cwnd(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	lose_three(&c, &cfg, 10 * MSS);
	/* arrivals 2, 3, 5, 6, 8, 9, 10 (segment k is [1 + 1000 (k - 1), 1 + 1000 k)) */
	const uint32_t steps[][6] = {
		{ 1001, 2001 }, { 1001, 3001 }, { 1001, 3001, 4001, 5001 },
		{ 1001, 3001, 4001, 6001 }, { 1001, 3001, 4001, 6001, 7001, 8001 },
		{ 1001, 3001, 4001, 6001, 7001, 9001 }, { 1001, 3001, 4001, 6001, 7001, 10001 },
	};
	const int nblocks[] = { 1, 1, 2, 2, 3, 3, 3 };
	uint32_t resent[32];
	int nresent = 0;
	bool was_in_recovery = false;
	for (int i = 0; i < 7; i++) {
		sack_to(&c, 1, nblocks[i], steps[i]);
		uint32_t seqs[16];
		int n = sent(&c, seqs, 16);
		for (int k = 0; k < n && nresent < 32; k++)
			resent[nresent++] = seqs[k];
		/* what recovery sends never takes pipe above cwnd (the first
		 * retransmission, at the entry, goes whatever pipe says) */
		if (was_in_recovery && n > 0)
			CU_ASSERT_TRUE(tcp_sack_pipe(c.t) <= c.t->cwnd);
		was_in_recovery = tcp_sack_recovery(c.t);
	}
	CU_ASSERT_TRUE(c.t->flags & TF_IN_RECOVERY);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fast_retransmits, 1);
	/* every retransmission is one of the three holes, each once */
	int seen[3] = { 0 };
	for (int k = 0; k < nresent; k++) {
		bool hole = resent[k] == 1 || resent[k] == 3001 || resent[k] == 6001;
		CU_ASSERT_TRUE(hole);
		seen[0] += resent[k] == 1;
		seen[1] += resent[k] == 3001;
		seen[2] += resent[k] == 6001;
	}
	CU_ASSERT_EQUAL(seen[0], 1);
	CU_ASSERT_EQUAL(seen[1], 1);
	CU_ASSERT_EQUAL(seen[2], 1);
	CU_ASSERT_EQUAL(c.t->cwnd, 5 * MSS);       /* ssthresh: no inflation with SACK */
	sack_to(&c, 10001, 0, NULL);               /* everything */
	CU_ASSERT_FALSE(c.t->flags & TF_IN_RECOVERY);
	CU_ASSERT_EQUAL(c.t->dupacks, 0);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rto_fired, 0);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC6675-5a */
static void one_ack_reporting_three_segments_above_the_hole_starts_recovery(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	sender_with(&c, &cfg, 10 * MSS);
	uint32_t seqs[16];
	sent(&c, seqs, 16);
	const uint32_t block[] = { 1001, 4001 };     /* three segments at once */
	sack_to(&c, 1, 1, block);
	CU_ASSERT_TRUE(c.t->flags & TF_IN_RECOVERY);
	CU_ASSERT_EQUAL(c.t->dupacks, 3);
	CU_ASSERT_TRUE(sent(&c, seqs, 16) >= 1);
	CU_ASSERT_EQUAL(seqs[0], 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC6675-4 */
static void is_lost_needs_more_than_two_segments_or_three_ranges_above(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	sender_with(&c, &cfg, 10 * MSS);
	uint32_t seqs[16];
	sent(&c, seqs, 16);
	const uint32_t two[] = { 1001, 3001 };
	sack_to(&c, 1, 1, two);
	CU_ASSERT_FALSE(tcp_sack_is_lost(c.t, c.iss + 1));      /* 2,000 bytes: not more than 2 SMSS */
	const uint32_t three_ranges[] = { 5001, 5101, 1001, 3001, 7001, 7101 };
	sack_to(&c, 1, 3, three_ranges);
	CU_ASSERT_TRUE(tcp_sack_is_lost(c.t, c.iss + 1));       /* three ranges above */
	CU_ASSERT_FALSE(tcp_sack_is_lost(c.t, c.iss + 3001));   /* two ranges above */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC6675-4d */
static void a_rescue_retransmission_covers_the_tail_once_per_recovery(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	sender_with(&c, &cfg, 6 * MSS);
	uint32_t seqs[16];
	CU_ASSERT_EQUAL(sent(&c, seqs, 16), 6);
	/* the first and the last lost; 2..5 reported */
	const uint32_t b[] = { 1001, 5001 };
	sack_to(&c, 1, 1, b);                       /* four above the hole: recovery */
	int n = sent(&c, seqs, 16);
	CU_ASSERT_EQUAL(n, 2);                      /* the hole, and the rescue: the tail */
	CU_ASSERT_EQUAL(seqs[0], 1);
	CU_ASSERT_EQUAL(seqs[1], 5001);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.rescue_retransmits, 1);
	CU_ASSERT_EQUAL(c.t->high_rxt, c.iss + 1001);  /* a rescue does not move HighRxt */
	sack_to(&c, 5001, 0, NULL);                 /* the hole repaired: a partial ACK */
	CU_ASSERT_EQUAL(sent(&c, seqs, 16), 0);     /* no second rescue in this recovery */
	const uint32_t dup[] = { 1, 1001 };         /* the first was there after all: a D-SACK */
	sack_to(&c, 5001, 1, dup);
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.dsack_for_retransmissions, 1);
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* A timeout in SACK recovery ends the recovery: the recovery point moves
 * to HighData, and duplicates below it, SACK blocks and all, start no new
 * recovery (RFC 6675 §5.1). */
/* proves: RFC6675-5.1 */
static void a_timeout_ends_sack_recovery_and_moves_the_recovery_point(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	sender_with(&c, &cfg, 10 * MSS);
	uint32_t seqs[16];
	CU_ASSERT_EQUAL(sent(&c, seqs, 16), 10);
	const uint32_t b[] = { 1001, 5001 };
	sack_to(&c, 1, 1, b);                       /* four above the hole: recovery */
	CU_ASSERT_TRUE_FATAL(tcp_sack_recovery(c.t));
	testnet_drain(&c.tn);
	uint32_t high_data = c.t->snd_nxt;
	loop_run_for(&c.tn.loop, SEC(3));           /* the retransmission is lost too */
	CU_ASSERT_TRUE(c.tn.host->stats.tcp.rto_fired >= 1);
	CU_ASSERT_FALSE(tcp_sack_recovery(c.t));    /* the algorithm has stopped */
	CU_ASSERT_EQUAL(c.t->recover, high_data);
	testnet_drain(&c.tn);
	uint64_t fast = c.tn.host->stats.tcp.fast_retransmits;
	sack_to(&c, 5001, 0, NULL);                 /* progress, short of the point */
	const uint32_t above[] = { 6001, 9001 };
	for (int d = 0; d < 4; d++)
		sack_to(&c, 5001, 1, above);            /* three segments above the hole */
	CU_ASSERT_EQUAL(c.tn.host->stats.tcp.fast_retransmits, fast);
	CU_ASSERT_FALSE(tcp_sack_recovery(c.t));
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* proves: RFC2018-8 RFC2018-5a RFC2018-5.1 RFC6675-4b */
static void a_reneging_receiver_is_survived_by_the_timeout(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct peer c;
	sender_with(&c, &cfg, 5 * MSS);
	uint32_t seqs[16];
	sent(&c, seqs, 16);
	const uint32_t b[] = { 1001, 5001 };
	sack_to(&c, 1, 1, b);                       /* 2..5 held, it says */
	sent(&c, seqs, 16);                         /* the first, resent */
	sack_to(&c, 1001, 0, NULL);                 /* ...and then it forgets 2..5 */
	testnet_drain(&c.tn);
	loop_run_for(&c.tn.loop, SEC(3));           /* the timer */
	CU_ASSERT_TRUE(c.tn.host->stats.tcp.rto_fired >= 1);
	CU_ASSERT_EQUAL(c.t->nsb, 0);               /* the scoreboard is gone */
	int n = sent(&c, seqs, 16);
	CU_ASSERT_TRUE(n >= 1);
	CU_ASSERT_EQUAL(seqs[0], 1001);             /* what was SACKed is sent again */
	testnet_free(&c.tn);
	LEAK_CHECK_END;
}

/* ---- the simulator ------------------------------------------------------------------ */

static void seed_example_with_and_without_sack_resends_the_first_segment(void)
{
	static char out[1024];
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("seed-sack"), out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "SACK on: 14600 bytes delivered"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "1 fast retransmit,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 timeouts"));
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("seed-sack", "--as-of", "8"), out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "SACK off"));     /* the stack as chapter 8 left it */
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("seed-sack", "--no-sack"), out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "SACK off: 14600 bytes delivered"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, CHAPTER >= 10 ? "1448 bytes retransmitted, 0 timeouts" :
						   "1460 bytes retransmitted, 0 timeouts"));   /* one segment */
}

/* The time of each retransmission in a three-losses trace. */
static int retransmission_times(const char *path, double *at, int max)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	char tag[8];
	double t;
	unsigned s, e, seen[256];
	int n = 0, nseen = 0;
	while (fscanf(f, "%7s %lf %u %u", tag, &t, &s, &e) == 4) {
		if (strcmp(tag, "data") != 0)
			continue;
		bool again = false;
		for (int k = 0; k < nseen; k++)
			again |= seen[k] == s;
		if (again && n < max)
			at[n++] = t;
		else if (!again && nseen < 256)
			seen[nseen++] = s;
	}
	/* in order of time (the trace is in order of the link's reports) */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && at[j] < at[j - 1]; j--) {
			double x = at[j];
			at[j] = at[j - 1];
			at[j - 1] = x;
		}
	fclose(f);
	return n;
}

static void with_sack_three_holes_are_repaired_in_one_round_trip_not_three(void)
{
	static char out[1024];
	char path[] = "/tmp/tl-three-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	close(fd);
	double on[8], off[8];
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("three-losses", "--trace", path), out, sizeof out), 0);
	int non = retransmission_times(path, on, 8);
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("three-losses", "--no-sack", "--trace", path),
				    out, sizeof out), 0);
	int noff = retransmission_times(path, off, 8);
	unlink(path);
	CU_ASSERT_EQUAL_FATAL(non, 3);
	CU_ASSERT_EQUAL_FATAL(noff, 3);
	/* NewReno: one hole per round trip (about 40 ms apart); SACK: the second
	 * and third together */
	CU_ASSERT_TRUE(off[1] - off[0] > 0.035 && off[2] - off[1] > 0.035);
	CU_ASSERT_TRUE(on[2] - on[1] < 0.005);
	CU_ASSERT_TRUE(on[2] < off[2] - 0.030);
}

static void sack_retransmits_less_at_five_and_ten_percent_loss(void)
{
	static char out[4096];
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("sack-table", "--count", "10"), out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 runs not byte-exact"));
	/* rows: loss%, off/on, the median time in s, the share retransmitted in %, timeouts */
	double pct[3][2];
	const char *p = strchr(out, '\n');        /* past the header */
	CU_ASSERT_TRUE_FATAL(p != NULL);
	for (int li = 0; li < 3; li++)
		for (int s = 0; s < 2; s++) {
			double loss, time, share, rtos;
			char onoff[8];
			CU_ASSERT_TRUE_FATAL(p != NULL &&
				sscanf(p + 1, "%lf%% %7s %lf s %lf%% %lf", &loss, onoff, &time, &share, &rtos) == 5);
			CU_ASSERT_STRING_EQUAL(onoff, s ? "on" : "off");
			pct[li][s] = share;
			p = strchr(p + 1, '\n');
		}
	CU_ASSERT_TRUE(pct[1][1] < pct[1][0]);
	CU_ASSERT_TRUE(pct[2][1] < pct[2][0]);
}

void register_ch09(void)
{
	static const struct test_entry receiver[] = {
		TEST(sack_permitted_is_offered_and_used_only_when_both_syns_carry_it),
		TEST(receiver_blocks_follow_rfc_2018_for_all_120_orders_of_five_segments),
		TEST(no_blocks_without_negotiation_and_at_most_four),
		TEST(duplicates_are_reported_first_as_d_sack_below_and_beyond_rcv_nxt),
	};
	static const struct test_entry sender[] = {
		TEST(blocks_below_snd_una_or_beyond_snd_nxt_are_ignored_and_counted),
		TEST(sack_duplicates_count_even_when_the_window_moves),
		TEST(only_the_holes_are_resent_and_pipe_never_exceeds_cwnd),
		TEST(one_ack_reporting_three_segments_above_the_hole_starts_recovery),
		TEST(is_lost_needs_more_than_two_segments_or_three_ranges_above),
		TEST(a_rescue_retransmission_covers_the_tail_once_per_recovery),
		TEST(a_reneging_receiver_is_survived_by_the_timeout),
		TEST(a_timeout_ends_sack_recovery_and_moves_the_recovery_point),
	};
	static const struct test_entry sim[] = {
		TEST(seed_example_with_and_without_sack_resends_the_first_segment),
		TEST(with_sack_three_holes_are_repaired_in_one_round_trip_not_three),
		TEST(sack_retransmits_less_at_five_and_ten_percent_loss),
	};
	add_suite("ch09 the receiver's blocks", receiver, ARRAY_LEN(receiver));
	add_suite("ch09 the sender: RFC 6675", sender, ARRAY_LEN(sender));
	add_suite("ch09 the simulator", sim, ARRAY_LEN(sim));
}
