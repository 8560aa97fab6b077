/* Chapter 13, speed: header prediction, fields by loads and stores, the
 * checksum with the copy, batching, offloads, many connections. */
#include "testutil.h"
#include "tcp_var.h"
#include "checksum.h"

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

/* Four in-order segments in one turn draw one ACK, at its end, for all
 * four; without turns (the simulator, the earlier chapters) every second
 * segment is acknowledged at once, as before. */
static void segments_of_one_turn_draw_one_ack_at_its_end(void)
{
	LEAK_CHECK_BEGIN;
	static const uint8_t data[1000];
	struct config cfg = testnet_config();
	struct peer p;
	peer_open(&p, &cfg, 60000, 1000);
	struct host *h = p.tn.host;
	h->turns = true;                         /* as if the loop ran in turns */
	for (int i = 0; i < 4; i++)
		peer_send(&p, SEG(.seq = 1 + 1000 * (uint32_t)i, .flags = TH_ACK,
				  .ack = 1, .data = data, .len = 1000));
	struct captured c;
	CU_ASSERT_FALSE(testnet_pop_segment(&p.tn, &c));        /* nothing yet */
	CU_ASSERT_EQUAL(h->stats.tcp.acks_batched, 3);
	tcp_turn_end(h);
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&p.tn, &c));
	CU_ASSERT_EQUAL(c.seg.ack, p.piss + 1 + 4000);          /* all four at once */
	CU_ASSERT_FALSE(testnet_pop_segment(&p.tn, &c));
	CU_ASSERT_EQUAL(h->stats.tcp.batch_acks, 1);
	CU_ASSERT_EQUAL(h->nack_batch, 0);
	h->turns = false;
	for (int i = 4; i < 8; i++)
		peer_send(&p, SEG(.seq = 1 + 1000 * (uint32_t)i, .flags = TH_ACK,
				  .ack = 1, .data = data, .len = 1000));
	int acks = 0;
	while (testnet_pop_segment(&p.tn, &c))
		acks++;
	CU_ASSERT_EQUAL(acks, 2);                                /* every second one */
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

/* One segment in a turn is not a batch: its ACK is delayed as chapter 6
 * delays it, and a connection that goes while its ACK waits leaves the
 * host's list. */
static void a_lone_segment_keeps_its_delayed_ack_and_a_closed_connection_leaves_the_batch(void)
{
	LEAK_CHECK_BEGIN;
	static const uint8_t data[1000];
	struct config cfg = testnet_config();
	struct peer p;
	peer_open(&p, &cfg, 60000, 1000);
	struct host *h = p.tn.host;
	h->turns = true;
	peer_send(&p, SEG(.seq = 1, .flags = TH_ACK, .ack = 1, .data = data, .len = 1000));
	tcp_turn_end(h);
	struct captured c;
	CU_ASSERT_FALSE(testnet_pop_segment(&p.tn, &c));
	CU_ASSERT_TRUE(tcp_timer_armed(p.t, TT_DELACK));
	peer_send(&p, SEG(.seq = 1001, .flags = TH_ACK, .ack = 1, .data = data, .len = 1000));
	CU_ASSERT_EQUAL(h->nack_batch, 1);
	tcp_abort(p.t);
	CU_ASSERT_EQUAL(h->nack_batch, 0);
	tcp_turn_end(h);
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

/* A TCP/IPv4 segment with timestamps, as the stack sends it. */
static size_t io_segment(uint8_t *buf, uint32_t seq, uint16_t id, uint8_t flags, size_t len)
{
	static uint8_t data[4096];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	static const uint8_t ts[12] = { 1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 5 };
	size_t n = build_tcp(buf, ADDR(10, 0, 0, 2), ADDR(10, 0, 0, 1), 80, 40000, seq, 77,
			     flags, 500, ts, sizeof ts, data + (seq % 1000), len);
	buf[4] = (uint8_t)(id >> 8);
	buf[5] = (uint8_t)id;
	buf[10] = buf[11] = 0;
	uint16_t c = inet_checksum(buf, 20);
	buf[10] = (uint8_t)(c >> 8);
	buf[11] = (uint8_t)c;
	return n;
}

static bool io_checksums_good(const uint8_t *p, size_t len)
{
	uint8_t ph[12] = { 0 };
	memcpy(ph, p + 12, 8);
	ph[9] = 6;
	ph[10] = (uint8_t)((len - 20) >> 8);
	ph[11] = (uint8_t)(len - 20);
	return inet_checksum(p, 20) == 0 &&
	       csum_fold(csum_add(csum_add(0, ph, 12), p + 20, len - 20)) == 0;
}

static uint32_t io_get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint16_t io_get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Three full segments and a short pushed one are glued into one packet of
 * the four payloads, its IP header complete, its TCP checksum left as the
 * pseudo-header's sum for the kernel; what follows a pushed segment, or
 * does not follow in sequence, is not glued. */
static void a_run_of_segments_is_glued_into_one_tso_packet(void)
{
	static uint8_t buf[65536], seg[2048];
	struct gso_glue g = { .buf = buf };
	uint32_t seq = 1000;
	for (int i = 0; i < 3; i++) {
		size_t n = io_segment(seg, seq, (uint16_t)(50 + i), TH_ACK, 1448);
		CU_ASSERT_TRUE(gso_glue_add(&g, seg, n, 65535));
		seq += 1448;
	}
	size_t n = io_segment(seg, seq + 1, 53, TH_ACK, 1448);
	CU_ASSERT_FALSE(gso_glue_add(&g, seg, n, 65535));        /* a gap */
	n = io_segment(seg, seq, 54, TH_ACK, 1448);
	CU_ASSERT_FALSE(gso_glue_add(&g, seg, n, 65535));        /* an IP ID out of turn */
	n = io_segment(seg, seq, 53, TH_ACK | TH_PSH, 100);
	CU_ASSERT_TRUE(gso_glue_add(&g, seg, n, 65535));
	n = io_segment(seg, seq + 100, 54, TH_ACK, 100);
	CU_ASSERT_FALSE(gso_glue_add(&g, seg, n, 65535));        /* after the push */
	CU_ASSERT_EQUAL(g.nseg, 4);
	CU_ASSERT_EQUAL(g.seg, 1448);
	CU_ASSERT_EQUAL(g.hlen, 52);
	size_t len = gso_glue_finish(&g);
	CU_ASSERT_EQUAL(len, 52 + 3 * 1448 + 100);
	CU_ASSERT_EQUAL(io_get16(buf + 2), len);
	CU_ASSERT_EQUAL(inet_checksum(buf, 20), 0);
	CU_ASSERT_EQUAL(io_get32(buf + 24), 1000);
	CU_ASSERT_EQUAL(buf[33], TH_ACK | TH_PSH);
	uint8_t ph[12] = { 10, 0, 0, 2, 10, 0, 0, 1, 0, 6 };
	ph[10] = (uint8_t)((len - 20) >> 8);
	ph[11] = (uint8_t)(len - 20);
	CU_ASSERT_EQUAL(io_get16(buf + 36), (uint16_t)~csum_fold(csum_add(0, ph, 12)));
	CU_ASSERT_EQUAL(g.nseg, 0);
}

static struct pkb *io_cut[64];
static size_t io_ncut;
static void io_keep(struct pkb *p, void *arg)
{
	(void)arg;
	if (io_ncut < 64)
		io_cut[io_ncut++] = p;
	else
		pkb_free(p);
}

/* A GSO packet of 3,000 bytes with CWR, PSH and FIN is cut at 1,448:
 * three segments in sequence, IP IDs one apart, each with its own
 * lengths and both checksums right, CWR on the first alone, PSH and FIN
 * on the last alone. */
static void a_gso_packet_is_cut_into_segments_with_their_own_headers(void)
{
	LEAK_CHECK_BEGIN;
	static uint8_t big[4096];
	size_t n = io_segment(big, 5000, 700, TH_ACK | TH_CWR | TH_PSH | TH_FIN, 0) + 3000;
	for (size_t i = 52; i < n; i++)
		big[i] = (uint8_t)(i * 13);
	big[2] = (uint8_t)(n >> 8);                /* the length the kernel would give it */
	big[3] = (uint8_t)n;
	io_ncut = 0;
	CU_ASSERT_EQUAL_FATAL(gso_split(big, n, 1448, true, io_keep, NULL), 3);
	CU_ASSERT_EQUAL_FATAL(io_ncut, 3);
	size_t want[3] = { 1448, 1448, 104 };
	for (size_t i = 0; i < 3; i++) {
		const uint8_t *d = io_cut[i]->data;
		CU_ASSERT_EQUAL(io_cut[i]->len, 52 + want[i]);
		CU_ASSERT_EQUAL(io_get16(d + 2), 52 + want[i]);
		CU_ASSERT_EQUAL(io_get16(d + 4), 700 + i);
		CU_ASSERT_EQUAL(io_get32(d + 24), 5000 + 1448 * i);
		CU_ASSERT_EQUAL(memcmp(d + 52, big + 52 + 1448 * i, want[i]), 0);
		CU_ASSERT_TRUE(io_checksums_good(d, io_cut[i]->len));
		CU_ASSERT_FALSE(io_cut[i]->csum_trusted);
		uint8_t f = d[33];
		CU_ASSERT_EQUAL(f & TH_CWR, i == 0 ? TH_CWR : 0);
		CU_ASSERT_EQUAL(f & (TH_PSH | TH_FIN), i == 2 ? (TH_PSH | TH_FIN) : 0);
		pkb_free(io_cut[i]);
	}
	CU_ASSERT_EQUAL(gso_split(big, n - 1, 1448, true, io_keep, NULL), 0);   /* lengths disagree */
	/* on the kernel's word: the TCP checksum left as it came, the mark set */
	io_ncut = 0;
	CU_ASSERT_EQUAL_FATAL(gso_split(big, n, 1448, false, io_keep, NULL), 3);
	for (size_t i = 0; i < 3; i++) {
		CU_ASSERT_TRUE(io_cut[i]->csum_trusted);
		CU_ASSERT_EQUAL(memcmp(io_cut[i]->data + 36, big + 36, 2), 0);
		CU_ASSERT_EQUAL(inet_checksum(io_cut[i]->data, 20), 0);
		pkb_free(io_cut[i]);
	}
	LEAK_CHECK_END;
}

/* Glued and cut again, a run of segments is what it was, byte for byte
 * but for the checksums, which are both right. */
static void glued_then_cut_the_segments_come_back(void)
{
	LEAK_CHECK_BEGIN;
	static uint8_t buf[65536], segs[45][2048];
	size_t lens[45];
	struct gso_glue g = { .buf = buf };
	for (int i = 0; i < 45; i++) {
		lens[i] = io_segment(segs[i], 1 + 1448 * (uint32_t)i, (uint16_t)(65530 + i),
				     TH_ACK, 1448);
		CU_ASSERT_TRUE_FATAL(gso_glue_add(&g, segs[i], lens[i], 65535));
	}
	size_t n = io_segment(segs[0], 1 + 1448 * 45, (uint16_t)(65530 + 45), TH_ACK, 1448);
	CU_ASSERT_FALSE(gso_glue_add(&g, segs[0], n, 65535));     /* 64 KiB is full */
	size_t len = gso_glue_finish(&g);
	io_ncut = 0;
	CU_ASSERT_EQUAL_FATAL(gso_split(buf, len, 1448, true, io_keep, NULL), 45);
	for (int i = 1; i < 45; i++) {
		CU_ASSERT_EQUAL(io_cut[i]->len, lens[i]);
		CU_ASSERT_EQUAL(memcmp(io_cut[i]->data, segs[i], lens[i]), 0);
	}
	for (size_t i = 0; i < io_ncut; i++)
		pkb_free(io_cut[i]);
	LEAK_CHECK_END;
}

/* A device that finishes checksums (gso_max set) gets segments whose TCP
 * checksum is the pseudo-header's sum, marked partial; a segment the
 * device vouches for is taken with a wrong checksum, and the same bytes
 * without the mark are dropped as chapter 3 drops them. */
static void the_checksum_is_left_to_a_device_that_finishes_it_and_taken_on_its_word(void)
{
	LEAK_CHECK_BEGIN;
	static const uint8_t data[500];
	struct config cfg = testnet_config();
	struct peer p;
	peer_open(&p, &cfg, 60000, 1000);
	struct host *h = p.tn.host;
	h->dev->gso_max = 65535;
	CU_ASSERT_EQUAL_FATAL(tcp_send(p.t, data, sizeof data), (long)sizeof data);
	struct pkb *q = testnet_pop(&p.tn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_TRUE(q->csum_partial);
	size_t tl = q->len - 20;
	uint8_t ph[12] = { 10, 0, 0, 2, 10, 0, 0, 1, 0, 6, (uint8_t)(tl >> 8), (uint8_t)tl };
	CU_ASSERT_EQUAL(io_get16(q->data + 36), (uint16_t)~csum_fold(csum_add(0, ph, 12)));
	pkb_free(q);
	testnet_drain(&p.tn);
	h->dev->gso_max = 0;
	/* the peer's data, with its checksum spoilt */
	uint8_t seg[2048];
	size_t n = build_tcp(seg, ADDR(10, 0, 0, 1), ADDR(10, 0, 0, 2), 80, p.port, p.piss + 1,
			     p.iss + 1 + 500, TH_ACK, 60000, NULL, 0, data, 100);
	seg[36] ^= 0x55;
	uint64_t drops = h->stats.tcp.in_drops[TCP_DROP_CHECKSUM];
	testnet_inject(&p.tn, seg, n);
	CU_ASSERT_EQUAL(h->stats.tcp.in_drops[TCP_DROP_CHECKSUM], drops + 1);
	CU_ASSERT_EQUAL(p.t->rcv_nxt, p.piss + 1);
	struct pkb *v = pkb_from(seg, n);
	v->csum_trusted = true;
	netdev_deliver(h->dev, v);
	loop_run_for(&p.tn.loop, 0);
	CU_ASSERT_EQUAL(h->stats.tcp.in_drops[TCP_DROP_CHECKSUM], drops + 1);
	CU_ASSERT_EQUAL(p.t->rcv_nxt, p.piss + 1 + 100);
	testnet_free(&p.tn);
	LEAK_CHECK_END;
}

/* ---- end of io ---- */

/* ---- scale: many connections ---- */

#include <errno.h>
#include <malloc.h>
#if defined(__SANITIZE_ADDRESS__)
size_t __sanitizer_get_current_allocated_bytes(void);   /* the runtime's own account */
#endif
#define SCALE_US   ADDR(10, 0, 0, 2)
#define SCALE_PEER ADDR(10, 0, 0, 1)

/* Bytes the program has allocated now (under AddressSanitizer, its own
 * account; otherwise the C library's). */
static size_t heap_in_use(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

/* The i-th of many distinct remote ends: address and port from i. */
static uint32_t scale_raddr(uint32_t i) { return ADDR(10, 1, 0, 0) + (i >> 6); }
static uint16_t scale_rport(uint32_t i) { return (uint16_t)(20000 + (i & 63)); }

static void shuffle(uint32_t *v, uint32_t n, uint64_t seed)
{
	for (uint32_t i = n - 1; i > 0; i--) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		uint32_t j = (uint32_t)((seed >> 33) % (i + 1)), tmp = v[i];
		v[i] = v[j];
		v[j] = tmp;
	}
}

static void lookups_stay_right_while_the_table_doubles_and_after_removals(void)
{
	enum { N = 20000 };
	struct config cfg = testnet_config();
	cfg.max_connections = N;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct host *h = tn.host;
	static uint32_t order[N];
	static struct tcb *made[N];
	for (uint32_t i = 0; i < N; i++)
		order[i] = i;
	shuffle(order, N, 7);
	size_t grown = 0;
	for (uint32_t k = 0; k < N; k++) {
		uint32_t i = order[k];
		size_t before = h->tcp->nbuckets;
		made[i] = tcb_create(h, SCALE_US, 80, scale_raddr(i), scale_rport(i));
		CU_ASSERT_PTR_NOT_NULL_FATAL(made[i]);
		if (h->tcp->nbuckets != before) {
			grown++;
			/* just after a doubling, everything made so far is found */
			for (uint32_t j = 0; j <= k; j++) {
				uint32_t e = order[j];
				CU_ASSERT_PTR_EQUAL_FATAL(tcb_lookup(h, SCALE_US, 80, scale_raddr(e),
								     scale_rport(e)), made[e]);
			}
		}
		CU_ASSERT_TRUE(h->tcp->count <= h->tcp->nbuckets);
	}
	CU_ASSERT_EQUAL(grown, 3);                  /* 4096 -> 32768 */
	CU_ASSERT_EQUAL(h->tcp->nbuckets, 32768);
	CU_ASSERT_EQUAL(h->stats.tcp.table_grown, 3);
	/* remove half, in another order: those are gone, the rest are found */
	shuffle(order, N, 11);
	for (uint32_t k = 0; k < N / 2; k++) {
		tcb_destroy(made[order[k]]);
		made[order[k]] = NULL;
	}
	for (uint32_t i = 0; i < N; i++)
		CU_ASSERT_PTR_EQUAL_FATAL(tcb_lookup(h, SCALE_US, 80, scale_raddr(i),
						     scale_rport(i)), made[i]);
	CU_ASSERT_EQUAL(h->tcp->count, N / 2);
	CU_ASSERT_EQUAL(h->tcp->nbuckets, 32768);   /* it does not shrink */
	testnet_free(&tn);
}

static size_t longest_chain_after(uint32_t n, bool grow)
{
	struct config cfg = testnet_config();
	cfg.max_connections = n;
	cfg.table_grow = grow;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	for (uint32_t i = 0; i < n; i++)
		tcb_create(tn.host, SCALE_US, 80, scale_raddr(i), scale_rport(i));
	CU_ASSERT_EQUAL(tn.host->tcp->count, n);
	size_t longest = tcp_table_longest(tn.host);
	testnet_free(&tn);
	return longest;
}

static void the_longest_chain_stays_short_as_the_table_grows(void)
{
	/* at 50,000 connections the fixed 4,096 buckets average 12 a chain;
	 * the growing table holds at most one TCB per bucket on average, and
	 * its longest chain (a count, not a time) stays in single figures */
	size_t fixed = longest_chain_after(50000, false);
	size_t grown = longest_chain_after(50000, true);
	CU_ASSERT_TRUE(fixed >= 20);
	CU_ASSERT_TRUE(grown <= 9);
	CU_ASSERT_TRUE(longest_chain_after(1000, true) <= 9);
}

/* Fill the ports of a 2,000-port range to the peer's port 80. */
static void fill_ports(struct testnet *tn)
{
	int err;
	for (int i = 0; i < 2000; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(tcp_connect(tn->host, SCALE_PEER, 80, NULL, NULL, &err));
		testnet_drain(tn);
	}
}

static void a_connect_that_finds_no_port_probes_at_most_port_tries(void)
{
	struct config cfg = testnet_config();
	cfg.ephemeral_lo = 40000;
	cfg.ephemeral_hi = 41999;
	cfg.port_tries = 64;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct host *h = tn.host;
	fill_ports(&tn);
	int err = 0;
	uint64_t p0 = h->stats.tcp.port_probes;
	CU_ASSERT_PTR_NULL(tcp_connect(h, SCALE_PEER, 80, NULL, NULL, &err));
	CU_ASSERT_EQUAL(err, EADDRNOTAVAIL);
	CU_ASSERT_EQUAL(h->stats.tcp.port_probes - p0, 64);
	CU_ASSERT_EQUAL(h->stats.tcp.port_none, 1);
	/* a port freed anywhere in the range is found again within the
	 * attempts it takes the counter to come round: 2000 / 64 of them */
	tcb_destroy(tcb_lookup(h, SCALE_US, 41234, SCALE_PEER, 80));
	struct tcb *t = NULL;
	for (int k = 0; k <= 2000 / 64 + 1 && t == NULL; k++)
		t = tcp_connect(h, SCALE_PEER, 80, NULL, NULL, &err);
	CU_ASSERT_PTR_NOT_NULL(t);
	CU_ASSERT_EQUAL(t != NULL ? t->lport : 0, 41234);
	testnet_free(&tn);
}

static void without_a_bound_a_failing_connect_probes_the_whole_range(void)
{
	struct config cfg = testnet_config();
	cfg.ephemeral_lo = 40000;
	cfg.ephemeral_hi = 41999;
	cfg.port_tries = 0;                         /* chapter 3's search */
	struct testnet tn;
	testnet_init(&tn, &cfg);
	fill_ports(&tn);
	int err;
	uint64_t p0 = tn.host->stats.tcp.port_probes;
	CU_ASSERT_PTR_NULL(tcp_connect(tn.host, SCALE_PEER, 80, NULL, NULL, &err));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.port_probes - p0, 2000);
	testnet_free(&tn);
}

static void an_idle_established_connection_costs_at_most_1_kib(void)
{
	enum { N = 5000 };
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct host *h = tn.host;
	int err;
	size_t before = heap_in_use();
	for (int i = 0; i < N; i++) {
		struct tcb *t = tcp_connect(h, SCALE_PEER, 80, NULL, NULL, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		struct captured syn;
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &syn));
		testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 5000,
				      .ack = syn.seg.seq + 1, .flags = TH_SYN | TH_ACK, .wnd = 65535));
		testnet_drain(&tn);
		CU_ASSERT_EQUAL_FATAL(t->state, TCP_ESTABLISHED);
	}
	size_t per = (heap_in_use() - before) / N;
	CU_ASSERT_TRUE(per <= 1024);
	/* the TCB, and only its share of the table and the allocator's
	 * bookkeeping besides: no buffer, no queue, no scoreboard */
	CU_ASSERT_TRUE(per >= sizeof(struct tcb));
	CU_ASSERT_TRUE(per <= sizeof(struct tcb) + 64);
	testnet_free(&tn);
}

/* ---- end of scale ---- */

/* ---- speed2: kept buffers, the last connection, the http body ---- */
#include "sha256.h"
#include "apps.h"
#include "xfer.h"

/* More buffers than the bound freed at once: the pool keeps exactly the
 * bound, hands them out again before asking malloc, gives every one back
 * when the bound falls to 0, and no buffer stays live. */
static void kept_packet_buffers_are_bounded_and_all_come_back(void)
{
	LEAK_CHECK_BEGIN;
	pkb_set_keep(0);
	CU_ASSERT_EQUAL(pkb_kept_now(), 0);
	pkb_set_keep(8);
	struct pkb *p[20];
	for (int i = 0; i < 20; i++) {
		p[i] = pkb_alloc();
		CU_ASSERT_PTR_NOT_NULL_FATAL(p[i]);
		memset(p[i]->buf, 0x5a, p[i]->size);
		p[i]->len = 99;
		p[i]->csum_trusted = p[i]->csum_partial = true;
	}
	for (int i = 0; i < 20; i++)
		pkb_free(p[i]);
	CU_ASSERT_EQUAL(pkb_kept_now(), 8);
	uint64_t reused = pkb_stats.reused;
	for (int i = 0; i < 10; i++) {
		p[i] = pkb_alloc();
		CU_ASSERT_PTR_NOT_NULL_FATAL(p[i]);
		/* a kept buffer comes back as a new one */
		CU_ASSERT_EQUAL(p[i]->len, 0);
		CU_ASSERT_PTR_EQUAL(p[i]->data, p[i]->buf + PKB_HEADROOM);
		CU_ASSERT_FALSE(p[i]->csum_trusted || p[i]->csum_partial);
		CU_ASSERT_PTR_NULL(p[i]->next);
	}
	CU_ASSERT_EQUAL(pkb_stats.reused - reused, 8);
	CU_ASSERT_EQUAL(pkb_kept_now(), 0);
	for (int i = 0; i < 10; i++)
		pkb_free(p[i]);
	CU_ASSERT_EQUAL(pkb_kept_now(), 8);
	pkb_set_keep(0);
	CU_ASSERT_EQUAL(pkb_kept_now(), 0);
	pkb_set_keep(testnet_config().pkb_keep);
	LEAK_CHECK_END;
}

/* In-order segments are found by the last connection found; after that
 * connection is freed, a segment for its 4-tuple finds no connection (a
 * reset answers it) and the memory is never read (ASan would say). */
static void the_last_connection_found_is_never_a_freed_one(void)
{
	struct config cfg = testnet_config();
	cfg.delack = 0;
	struct peer p;
	peer_open(&p, &cfg, 60000, 1460);
	struct host *h = p.tn.host;
	peer_send(&p, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, TEXT("one")));
	uint64_t hits = h->stats.tcp.lookup_hits;
	peer_send(&p, SEG(.seq = 4, .ack = 1, .flags = TH_ACK, TEXT("two")));
	CU_ASSERT_EQUAL(h->stats.tcp.lookup_hits, hits + 1);
	CU_ASSERT_PTR_EQUAL(h->tcp->last, p.t);
	testnet_drain(&p.tn);
	tcp_abort(p.t);                      /* the TCB is freed */
	p.t = NULL;
	CU_ASSERT_PTR_NULL(h->tcp->last);
	testnet_drain(&p.tn);
	hits = h->stats.tcp.lookup_hits;
	peer_send(&p, SEG(.seq = 7, .ack = 1, .flags = TH_ACK, TEXT("three")));
	CU_ASSERT_EQUAL(h->stats.tcp.lookup_hits, hits);
	struct captured s;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&p.tn, &s));
	CU_ASSERT_TRUE(s.seg.flags & TH_RST);
	/* switched off, nothing is remembered */
	struct peer q;
	cfg.lookup_cache = false;
	peer_open(&q, &cfg, 60000, 1460);
	peer_send(&q, SEG(.seq = 1, .ack = 1, .flags = TH_ACK, TEXT("one")));
	peer_send(&q, SEG(.seq = 4, .ack = 1, .flags = TH_ACK, TEXT("two")));
	CU_ASSERT_PTR_NULL(q.tn.host->tcp->last);
	CU_ASSERT_EQUAL(q.tn.host->stats.tcp.lookup_hits, 0);
	testnet_free(&q.tn);
	testnet_free(&p.tn);
}

/* The body made in pieces is the body of chapter 6's formula: the hash the
 * server announces for sizes that end inside and across the 64 KiB blocks
 * equals a byte-at-a-time SHA-256 of the formula. */
static void the_http_body_in_pieces_hashes_as_before(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.delack = 0;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	char err[128];
	CU_ASSERT_EQUAL_FATAL(app_start(tn.host, "http:80", err, sizeof err), 0);
	const unsigned long long sizes[] = { 1, 255, 16385, 65536, 65537, 3 * 65536 + 16384 + 7 };
	for (size_t k = 0; k < ARRAY_LEN(sizes); k++) {
		uint16_t port = (uint16_t)(41000 + k);
		testnet_send(&tn, SEG(.sport = port, .dport = 80, .seq = 9000, .flags = TH_SYN, .wnd = 60000));
		struct captured s;
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &s));
		uint32_t iss = s.seg.seq;
		testnet_send(&tn, SEG(.sport = port, .dport = 80, .seq = 9001, .ack = iss + 1, .flags = TH_ACK, .wnd = 60000));
		char req[80];
		int len = snprintf(req, sizeof req, "HEAD /bytes/%llu HTTP/1.1\r\n\r\n", sizes[k]);
		testnet_send(&tn, SEG(.sport = port, .dport = 80, .seq = 9001, .ack = iss + 1, .flags = TH_ACK | TH_PSH, .wnd = 60000, .data = req, .len = (size_t)len));
		loop_run_for(&tn.loop, MSEC(1));
		struct sha256 h;
		sha256_init(&h);
		for (unsigned long long i = 0; i < sizes[k]; i++) {
			uint8_t b = (uint8_t)(i + i / 65536);
			sha256_update(&h, &b, 1);
		}
		uint8_t d[32];
		char hex[65], text[2048] = "";
		sha256_final(&h, d);
		sha256_hex(d, hex);
		bool found = false;
		while (testnet_pop_segment(&tn, &s))
			if (s.seg.len > 0 && s.seg.len < sizeof text) {
				memcpy(text, s.seg.data, s.seg.len);
				text[s.seg.len] = '\0';
				found = found || strstr(text, hex) != NULL;
			}
		CU_ASSERT_TRUE(found);
	}
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* Over a link of MTU 65535 with checksum offload, with and without loss,
 * 3 MiB each way arrive byte-exact in segments of 64 KiB (without loss, a
 * few hundred segments where a 1500-byte link needs over two thousand), and
 * every packet buffer, of either size, comes back. */
static void segments_of_64_kib_cross_a_wide_link_intact(void)
{
	LEAK_CHECK_BEGIN;
	for (int loss = 0; loss <= 1; loss++) {
		struct xfer_cfg c;
		xfer_cfg_default(&c);
		c.mtu = 65535;
		c.offload = true;
		c.bytes = 3 << 20;
		c.link.loss = loss ? 0.01 : 0.0;
		struct xfer_result r;
		xfer_run(&c, &r);
		CU_ASSERT_EQUAL(r.outcome, XFER_EXACT);
		if (!loss)
			CU_ASSERT_TRUE(r.stats[0].out_segs < 300 && r.stats[1].out_segs < 300);
	}
	CU_ASSERT_TRUE(pkb_kept_now() <= testnet_config().pkb_keep + testnet_config().pkb_keep / 16);
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("bulk", "--mtu", "70000"),
				     "tcpsim: --mtu 70000: expected a whole number from 576 to 65535"));
	LEAK_CHECK_END;
}

/* ---- end of speed2 ---- */

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
	static const struct test_entry io_batch[] = {
		TEST(segments_of_one_turn_draw_one_ack_at_its_end),
		TEST(a_lone_segment_keeps_its_delayed_ack_and_a_closed_connection_leaves_the_batch),
	};
	static const struct test_entry io_offload[] = {
		TEST(a_run_of_segments_is_glued_into_one_tso_packet),
		TEST(a_gso_packet_is_cut_into_segments_with_their_own_headers),
		TEST(glued_then_cut_the_segments_come_back),
		TEST(the_checksum_is_left_to_a_device_that_finishes_it_and_taken_on_its_word),
	};
	add_suite("ch13 batching", io_batch, ARRAY_LEN(io_batch));
	add_suite("ch13 offloads", io_offload, ARRAY_LEN(io_offload));

	/* scale: suites */
	static const struct test_entry scale[] = {
		TEST(lookups_stay_right_while_the_table_doubles_and_after_removals),
		TEST(the_longest_chain_stays_short_as_the_table_grows),
		TEST(a_connect_that_finds_no_port_probes_at_most_port_tries),
		TEST(without_a_bound_a_failing_connect_probes_the_whole_range),
		TEST(an_idle_established_connection_costs_at_most_1_kib),
	};
	add_suite("ch13 many connections", scale, ARRAY_LEN(scale));

	/* speed2: suites */
	static const struct test_entry speed2[] = {
		TEST(kept_packet_buffers_are_bounded_and_all_come_back),
		TEST(the_last_connection_found_is_never_a_freed_one),
		TEST(the_http_body_in_pieces_hashes_as_before),
		TEST(segments_of_64_kib_cross_a_wide_link_intact),
	};
	add_suite("ch13 per-packet costs", speed2, ARRAY_LEN(speed2));
}
