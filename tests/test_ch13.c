/* Chapter 13, speed: header prediction, fields by loads and stores, the
 * checksum with the copy, batching, offloads, many connections. */
#include "testutil.h"
#include "tcp_var.h"

/* ---- fastpath: header prediction, fields, checksum ---- */
#include "checksum.h"
#include "rng.h"
#include <unistd.h>

/* Fields: for every field of both tables and many values, over headers of
 * random bytes, the loads and stores agree with chapter 2's field_get and
 * field_set, and so do the accessors the stack calls. */
static void check_fields(const struct field *fields, size_t n, struct rng *r)
{
	for (size_t i = 0; i < n; i++) {
		const struct field *f = &fields[i];
		for (int k = 0; k < 200; k++) {
			uint8_t a[60], b[60];
			for (size_t j = 0; j < sizeof a; j++)
				a[j] = (uint8_t)rng_next(r);
			memcpy(b, a, sizeof a);
			CU_ASSERT_EQUAL(field_load(a, f), field_get(a, f));
			uint32_t v = k == 0 ? 0 : k == 1 ? 0xffffffffu : (uint32_t)rng_next(r);
			field_set(a, f, v);
			field_store(b, f, v);
			CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
			CU_ASSERT_EQUAL(field_load(b, f), field_get(a, f));
		}
	}
}

static void fields_by_loads_and_stores_agree_with_the_field_table(void)
{
	struct rng r;
	rng_seed(&r, 13);
	check_fields(ip_fields, IP_NFIELDS, &r);
	check_fields(tcp_fields, TCP_NFIELDS, &r);
	uint8_t h[20];
	for (int k = 0; k < 256; k++) {
		for (size_t j = 0; j < sizeof h; j++)
			h[j] = (uint8_t)rng_next(&r);
		CU_ASSERT_TRUE(wire_fast);
		uint8_t fast = tcp_get_flags(h);
		wire_fast = false;
		CU_ASSERT_EQUAL(tcp_get_flags(h), fast);
		CU_ASSERT_EQUAL(ip_get(h, IP_FRAG_OFFSET), field_get(h, &ip_fields[IP_FRAG_OFFSET]));
		uint8_t slow_set[20], fast_set[20];
		memcpy(slow_set, h, sizeof h);
		memcpy(fast_set, h, sizeof h);
		tcp_set_flags(slow_set, (uint8_t)k);
		wire_fast = true;
		tcp_set_flags(fast_set, (uint8_t)k);
		CU_ASSERT_EQUAL(memcmp(slow_set, fast_set, sizeof h), 0);
		CU_ASSERT_EQUAL(ip_get(h, IP_DF), field_get(h, &ip_fields[IP_DF]));
		CU_ASSERT_EQUAL(tcp_get(h, TCP_DOFF), field_get(h, &tcp_fields[TCP_DOFF]));
	}
}

/* The word-wise sum folds to chapter 2's byte-wise checksum on random
 * lengths (odd ones too), offsets and running sums; csum_copy copies
 * exactly and sums the same. */
static void the_word_wise_checksum_equals_the_byte_wise_one(void)
{
	static uint8_t buf[2100], dst[2100];
	struct rng r;
	rng_seed(&r, 1071);
	for (int k = 0; k < 3000; k++) {
		for (size_t j = 0; j < sizeof buf; j++)
			buf[j] = k % 7 == 0 ? 0xff : k % 11 == 0 ? 0 : (uint8_t)rng_next(&r);
		size_t off = (size_t)rng_below(&r, 9), len = (size_t)rng_below(&r, 2049);
		uint32_t start = k % 3 == 0 ? 0 : (uint32_t)rng_below(&r, 0x40000);
		uint16_t want = csum_fold(csum_add(start, buf + off, len));
		CU_ASSERT_EQUAL(csum_fold(csum_add_words(start, buf + off, len)), want);
		size_t doff = (size_t)rng_below(&r, 9);
		memset(dst, 0xa5, sizeof dst);
		CU_ASSERT_EQUAL(csum_fold(csum_copy(start, dst + doff, buf + off, len)), want);
		CU_ASSERT_EQUAL(memcmp(dst + doff, buf + off, len), 0);
		CU_ASSERT_EQUAL(dst[doff + len], 0xa5);
		CU_ASSERT_TRUE(wire_fast);
		uint16_t fast = inet_checksum(buf + off, len);
		wire_fast = false;
		CU_ASSERT_EQUAL(inet_checksum(buf + off, len), fast);
		uint16_t slow = tcp_checksum(0x0a000001, start, buf + off, len);
		wire_fast = true;
		CU_ASSERT_EQUAL(tcp_checksum(0x0a000001, start, buf + off, len), slow);
	}
}

/* A scripted conversation with the peer helper, run with header
 * prediction on or off: everything the stack sends, and a snapshot of
 * its TCB after each step, go into a transcript. */
struct transcript {
	uint8_t bytes[200000];
	size_t len;
};

static void note(struct transcript *tr, const void *p, size_t n)
{
	CU_ASSERT_FATAL(tr->len + n <= sizeof tr->bytes);
	memcpy(tr->bytes + tr->len, p, n);
	tr->len += n;
}

static void note_step(struct transcript *tr, struct peer *p)
{
	struct pkb *pk;
	while ((pk = testnet_pop(&p->tn)) != NULL) {
		note(tr, &pk->len, sizeof pk->len);
		note(tr, pk->data, pk->len);
		pkb_free(pk);
	}
	const struct tcb *t = p->t;
	uint32_t s[] = { t->state, t->flags, t->snd_una, t->snd_nxt, t->snd_wnd, t->snd_wl1,
			 t->snd_wl2, t->rcv_nxt, t->rcv_wnd, t->rcv_adv, t->cwnd, t->ssthresh,
			 t->dupacks, t->rtx_count, t->ts_recent, t->max_sndwnd, t->max_snd_wnd,
			 (uint32_t)t->sndq.len, (uint32_t)t->rcvq.len, (uint32_t)t->rto,
			 (uint32_t)t->srtt, (uint32_t)t->rttvar, (uint32_t)t->pending,
			 (uint32_t)t->segs_unacked, tcp_timer_armed(t, TT_REXMT),
			 tcp_timer_armed(t, TT_DELACK) };
	note(tr, s, sizeof s);
	struct tcp_stats st = p->tn.host->stats.tcp;
	st.predicted_acks = st.predicted_data = 0;
	note(tr, &st, sizeof st);
}

static void converse(bool prediction, struct transcript *tr, uint64_t predicted[2])
{
	static const uint8_t out[12000], in[6000];
	struct config cfg = testnet_config();
	cfg.header_prediction = prediction;
	struct peer p;
	peer_open(&p, &cfg, 60000, 1000);
	p.app.read = false;
	tr->len = 0;
	struct loop *l = &p.tn.loop;
	CU_ASSERT_EQUAL(tcp_send(p.t, out, sizeof out), (long)sizeof out);
	note_step(tr, &p);
	uint32_t acked = 1;
	for (int i = 0; i < 4; i++) {                 /* pure ACKs of new data */
		acked += 1000;
		loop_run_for(l, MSEC(10));
		peer_send(&p, SEG(.seq = 1, .ack = acked, .flags = TH_ACK));
		note_step(tr, &p);
	}
	uint32_t seq = 1;
	for (int i = 0; i < 3; i++) {                 /* pure data, in order */
		peer_send(&p, SEG(.seq = seq, .ack = acked, .flags = TH_ACK | TH_PSH,
				  .data = in, .len = 500));
		seq += 500;
		note_step(tr, &p);
		loop_run_for(l, MSEC(50));
		note_step(tr, &p);
	}
	peer_send(&p, SEG(.seq = seq + 500, .ack = acked, .flags = TH_ACK, .data = in, .len = 500));
	note_step(tr, &p);                            /* out of order */
	peer_send(&p, SEG(.seq = seq, .ack = acked, .flags = TH_ACK, .data = in, .len = 500));
	seq += 1000;
	note_step(tr, &p);                            /* the gap filled */
	peer_send(&p, SEG(.seq = seq, .ack = acked, .flags = TH_ACK));
	note_step(tr, &p);                            /* a duplicate ACK */
	peer_send(&p, SEG(.seq = seq, .ack = acked + 1000, .flags = TH_ACK, .wnd = 30000));
	acked += 1000;
	note_step(tr, &p);                            /* a new window */
	for (int i = 0; i < 3; i++) {
		acked += 1000;
		peer_send(&p, SEG(.seq = seq, .ack = acked, .flags = TH_ACK, .wnd = 30000,
				  .data = in, .len = 700));
		seq += 700;
		note_step(tr, &p);                    /* data and an ACK together */
	}
	loop_run_for(l, SEC(2));                      /* a retransmission timeout */
	note_step(tr, &p);
	peer_send(&p, SEG(.seq = seq, .ack = 12001, .flags = TH_ACK, .wnd = 30000));
	note_step(tr, &p);
	peer_send(&p, SEG(.seq = seq, .ack = 12001, .flags = TH_ACK | TH_FIN, .wnd = 30000));
	note_step(tr, &p);
	predicted[0] = p.tn.host->stats.tcp.predicted_acks;
	predicted[1] = p.tn.host->stats.tcp.predicted_data;
	testnet_free(&p.tn);
}

static void header_prediction_changes_nothing_the_stack_sends_or_keeps(void)
{
	LEAK_CHECK_BEGIN;
	static struct transcript fast, slow;
	uint64_t on[2], off[2];
	converse(true, &fast, on);
	converse(false, &slow, off);
	CU_ASSERT_EQUAL(fast.len, slow.len);
	CU_ASSERT_EQUAL(memcmp(fast.bytes, slow.bytes, MIN(fast.len, slow.len)), 0);
	CU_ASSERT(on[0] > 0);
	CU_ASSERT(on[1] > 0);
	CU_ASSERT_EQUAL(off[0] + off[1], 0);
	LEAK_CHECK_END;
}

/* One segment at a time: which take the fast path and which do not. */
static uint64_t predicted(struct peer *p)
{
	return p->tn.host->stats.tcp.predicted_acks + p->tn.host->stats.tcp.predicted_data;
}

static void only_the_two_common_cases_are_predicted(void)
{
	LEAK_CHECK_BEGIN;
	static const uint8_t out[4000], in[1000];
	struct config cfg = testnet_config();
	struct peer p;
	peer_open(&p, &cfg, 60000, 1000);
	CU_ASSERT_EQUAL(tcp_send(p.t, out, sizeof out), (long)sizeof out);
	testnet_drain(&p.tn);
	struct { struct seg_tmpl s; bool fast; const char *what; } cases[] = {
		{ SEG(.seq = 1, .ack = 501, .flags = TH_ACK), false,
		  "the first ACK, before the largest window is on record" },
		{ SEG(.seq = 1, .ack = 1001, .flags = TH_ACK), true, "a pure ACK of new data" },
		{ SEG(.seq = 1, .ack = 1001, .flags = TH_ACK), false, "a duplicate ACK" },
		{ SEG(.seq = 1, .ack = 2001, .flags = TH_ACK, .wnd = 50000), false, "a new window" },
		{ SEG(.seq = 1, .ack = 2001, .flags = TH_ACK, .wnd = 50000), false, "a duplicate again" },
		{ SEG(.seq = 1, .ack = 5001, .flags = TH_ACK, .wnd = 50000), false, "an ACK beyond SND.NXT" },
		{ SEG(.seq = 1, .ack = 2001, .flags = TH_ACK | TH_PSH, .wnd = 50000, .data = in, .len = 100),
		  true, "pure data in order" },
		{ SEG(.seq = 301, .ack = 2001, .flags = TH_ACK, .wnd = 50000, .data = in, .len = 100),
		  false, "data out of order" },
		{ SEG(.seq = 101, .ack = 2001, .flags = TH_ACK, .wnd = 50000, .data = in, .len = 200),
		  false, "in order, but data waits beyond it" },
		{ SEG(.seq = 401, .ack = 2001, .flags = TH_ACK | TH_URG, .wnd = 50000, .data = in, .len = 10),
		  false, "urgent data" },
		{ SEG(.seq = 411, .ack = 3001, .flags = TH_ACK, .wnd = 50000, .data = in, .len = 10),
		  false, "data that acknowledges new data" },
		{ SEG(.seq = 421, .ack = 3001, .flags = TH_ACK | TH_FIN, .wnd = 50000), false, "a FIN" },
		{ SEG(.seq = 422, .ack = 4001, .flags = TH_ACK, .wnd = 50000), false, "in CLOSE-WAIT" },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		uint64_t before = predicted(&p);
		peer_send(&p, cases[i].s);
		testnet_drain(&p.tn);
		if ((predicted(&p) > before) != cases[i].fast)
			printf("\n  %s: %s\n", cases[i].what, cases[i].fast ? "not predicted" : "predicted");
		CU_ASSERT_EQUAL(predicted(&p) > before, cases[i].fast);
	}
	CU_ASSERT_EQUAL(p.t->state, TCP_CLOSE_WAIT);
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

/* A transfer with loss in the simulator, with and without prediction:
 * the captures are the same, byte for byte. */
static bool read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	*buf = NULL;
	*len = 0;
	size_t cap = 0, n;
	uint8_t chunk[65536];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (*len + n > cap) {
			cap = 2 * (*len + n);
			*buf = realloc(*buf, cap);
		}
		memcpy(*buf + *len, chunk, n);
		*len += n;
	}
	fclose(f);
	return true;
}

static void a_lossy_transfer_is_the_same_on_the_wire_with_and_without_prediction(void)
{
	char a[64], b[64], out[4096];
	snprintf(a, sizeof a, "/tmp/test-ch13-hp-on-%ld.pcap", (long)getpid());
	snprintf(b, sizeof b, "/tmp/test-ch13-hp-off-%ld.pcap", (long)getpid());
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("bulk", "--count", "300000", "--impair", "loss=3%",
						   "--seed", "7", "--pcap", a), out, sizeof out), 0);
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("bulk", "--count", "300000", "--impair", "loss=3%",
						   "--seed", "7", "--pcap", b, "--no-header-prediction"),
				    out, sizeof out), 0);
	uint8_t *x = NULL, *y = NULL;
	size_t xl = 0, yl = 0;
	CU_ASSERT_TRUE(read_file(a, &x, &xl));
	CU_ASSERT_TRUE(read_file(b, &y, &yl));
	CU_ASSERT(xl > 300000);
	CU_ASSERT_EQUAL(xl, yl);
	CU_ASSERT(x != NULL && y != NULL && xl == yl && memcmp(x, y, xl) == 0);
	free(x);
	free(y);
	unlink(a);
	unlink(b);
}

/* ---- end of fastpath ---- */

/* ---- io: batching and offloads ---- */

/* ---- end of io ---- */

/* ---- scale: many connections ---- */

/* ---- end of scale ---- */

void register_ch13(void)
{
	/* fastpath: suites */
	static const struct test_entry fastpath[] = {
		TEST(fields_by_loads_and_stores_agree_with_the_field_table),
		TEST(the_word_wise_checksum_equals_the_byte_wise_one),
		TEST(header_prediction_changes_nothing_the_stack_sends_or_keeps),
		TEST(only_the_two_common_cases_are_predicted),
		TEST(a_lossy_transfer_is_the_same_on_the_wire_with_and_without_prediction),
	};
	add_suite("ch13 header prediction, fields, checksum", fastpath, ARRAY_LEN(fastpath));

	/* io: suites */

	/* scale: suites */
}
