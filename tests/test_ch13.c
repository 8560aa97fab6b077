/* Chapter 13, speed: header prediction, fields by loads and stores, the
 * checksum with the copy, batching, offloads, many connections. */
#include "testutil.h"
#include "tcp_var.h"
#include "checksum.h"

/* ---- fastpath: header prediction, fields, checksum ---- */

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

/* ---- end of scale ---- */

void register_ch13(void)
{
	/* fastpath: suites */

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
}
