/* Chapter 3, segments: the header and option codec, the pseudo-header
 * checksum, sequence arithmetic across the wrap, SipHash, the connection
 * table and ephemeral ports, and the replies of a closed port
 * (RFC 9293 section 3.10.7.1). */
#include "testutil.h"
#include "ipv4.h"
#include "tcp_var.h"
#include "checksum.h"
#include "rng.h"

#define US   ADDR(10, 0, 0, 2)
#define PEER ADDR(10, 0, 0, 1)


/* The one segment the stack has sent since the last look, parsed (fails
 * the test if there is not exactly one). */
static bool sent_segment(struct testnet *tn, struct segment *s, uint8_t *copy)
{
	CU_ASSERT(tn->sent_head != NULL && tn->sent_head->next == NULL);
	struct pkb *p = testnet_pop(tn);
	if (p == NULL)
		return false;
	memcpy(copy, p->data, p->len);
	CU_ASSERT_EQUAL(inet_checksum(copy, 20), 0);
	struct pkb *t = pkb_from(copy + 20, p->len - 20);
	uint64_t problems[TCP_OPT_PROBLEMS] = { 0 };
	int why = tcp_parse(copy, t, s, problems);
	CU_ASSERT_EQUAL(why, -1);                      /* checksum included */
	pkb_free(t);
	pkb_free(p);
	return why == -1;
}

/* ---- sequence numbers ---------------------------------------------------- */

static void sequence_comparisons_hold_across_the_wrap(void)
{
	CU_ASSERT_TRUE(SEQ_LT(0xffffff00u, 0x00000100u));
	CU_ASSERT_TRUE(SEQ_GT(0x00000100u, 0xffffff00u));
	CU_ASSERT_FALSE(SEQ_LT(0x00000100u, 0xffffff00u));
	CU_ASSERT_TRUE(SEQ_LEQ(5u, 5u));
	CU_ASSERT_TRUE(SEQ_GEQ(5u, 5u));
	CU_ASSERT_FALSE(SEQ_LT(5u, 5u));
	CU_ASSERT_TRUE(SEQ_LT(0xffffffffu, 0u));
	CU_ASSERT_TRUE(SEQ_LT(0x7ffffffeu, 0x80000001u));
	CU_ASSERT_EQUAL(SEQ_MAX(0xfffffff0u, 0x10u), 0x10u);
	CU_ASSERT_EQUAL(SEQ_MIN(0xfffffff0u, 0x10u), 0xfffffff0u);
	CU_ASSERT_TRUE(seq_in(0x2u, 0xfffffffeu, 0x10u));
	CU_ASSERT_TRUE(seq_in(0xfffffffeu, 0xfffffffeu, 0x10u));
	CU_ASSERT_FALSE(seq_in(0x10u, 0xfffffffeu, 0x10u));
	CU_ASSERT_FALSE(seq_in(0xfffffffdu, 0xfffffffeu, 0x10u));
	/* any a and b less than 2^31 apart: exactly one of <, ==, > holds,
	 * whatever their position on the circle */
	struct rng r;
	rng_seed(&r, 8);
	for (int i = 0; i < 10000; i++) {
		uint32_t a = (uint32_t)rng_next(&r);
		uint32_t d = (uint32_t)rng_below(&r, 0x7fffffff) + 1;
		uint32_t b = a + d;
		CU_ASSERT_TRUE(SEQ_LT(a, b) && SEQ_GT(b, a) && !SEQ_GEQ(a, b));
	}
}

/* ---- the codec ------------------------------------------------------------ */

static void tcp_field_table_tiles_the_header(void)
{
	unsigned bit = 0;
	for (int f = 0; f < TCP_NFIELDS; f++) {
		CU_ASSERT_EQUAL(tcp_fields[f].bit, bit);
		bit += tcp_fields[f].width;
	}
	CU_ASSERT_EQUAL(bit, 160);
}

static void flags_map_to_their_bits(void)
{
	uint8_t h[20] = { 0 };
	tcp_set_flags(h, TH_SYN | TH_ACK);
	CU_ASSERT_EQUAL(h[13], 0x12);
	CU_ASSERT_EQUAL(tcp_get_flags(h), TH_SYN | TH_ACK);
	for (int f = 0; f < 256; f++) {
		tcp_set_flags(h, (uint8_t)f);
		CU_ASSERT_EQUAL(h[13], f);
		CU_ASSERT_EQUAL(tcp_get_flags(h), f);
	}
}

/* proves: RFC9293-MUST-4 RFC9293-MUST-68 */
static void every_option_round_trips(void)
{
	struct tcp_options o, back;
	uint8_t buf[40];
	uint64_t problems[TCP_OPT_PROBLEMS] = { 0 };
	/* each option alone, then the SYN set, then SACK blocks */
	for (int which = 0; which < 7; which++) {
		memset(&o, 0, sizeof o);
		if (which == 0 || which == 5) { o.mss_present = true; o.mss = 1460; }
		if (which == 1 || which == 5) { o.ws_present = true; o.ws = 7; }
		if (which == 2 || which == 5) o.sack_permitted = true;
		if (which == 3 || which == 5 || which == 6) {
			o.ts_present = true; o.ts_val = 0xdeadbeef; o.ts_ecr = 0x01020304;
		}
		if (which == 4 || which == 6) {
			o.nsack = which == 4 ? 4 : 3;
			for (int k = 0; k < o.nsack; k++) {
				o.sack[k].start = 0xfffffff0u + 1000u * (uint32_t)k;
				o.sack[k].end = o.sack[k].start + 500;
			}
		}
		size_t n = tcp_write_options(buf, &o);
		CU_ASSERT_EQUAL(n % 4, 0);
		CU_ASSERT_TRUE(n <= 40);
		tcp_parse_options(buf, n, &back, problems);
		CU_ASSERT_EQUAL(memcmp(&o, &back, sizeof o), 0);
	}
	CU_ASSERT_EQUAL(problems[TCP_OPT_UNKNOWN] + problems[TCP_OPT_BAD_LENGTH] +
			problems[TCP_OPT_MALFORMED], 0);
}

/* proves: RFC7323-2.3 */
static void window_scale_above_14_is_treated_as_14(void)
{
	const uint8_t opt[4] = { 1, 3, 3, 15 };
	struct tcp_options o;
	uint64_t problems[TCP_OPT_PROBLEMS] = { 0 };
	tcp_parse_options(opt, sizeof opt, &o, problems);
	CU_ASSERT_TRUE(o.ws_present);
	CU_ASSERT_EQUAL(o.ws, 14);
}

struct option_case {
	const char *what;
	uint8_t bytes[16];
	size_t len;
	enum tcp_opt_problem problem;   /* TCP_OPT_PROBLEMS: none */
	bool mss_after;                 /* an MSS option placed after it is still seen */
};

static const struct option_case option_cases[] = {
	{ "length 0", { 0x22, 0, 2, 4, 5, 0xb4 }, 6, TCP_OPT_MALFORMED, false },
	{ "length 1", { 0x22, 1, 2, 4, 5, 0xb4 }, 6, TCP_OPT_MALFORMED, false },
	{ "runs past the header", { 2, 4, 5, 0xb4, 8, 10, 1, 2 }, 8, TCP_OPT_MALFORMED, true },
	{ "kind without a length byte", { 1, 1, 1, 0x22 }, 4, TCP_OPT_MALFORMED, false },
	{ "MSS of length 3", { 2, 3, 5, 2, 4, 5, 0xb4, 0 }, 8, TCP_OPT_BAD_LENGTH, true },
	{ "WS of length 4", { 3, 4, 7, 7, 2, 4, 5, 0xb4 }, 8, TCP_OPT_BAD_LENGTH, true },
	{ "TS of length 8", { 8, 8, 1, 2, 3, 4, 5, 6, 2, 4, 5, 0xb4 }, 12, TCP_OPT_BAD_LENGTH, true },
	{ "SACK-permitted of length 3", { 4, 3, 0, 2, 4, 5, 0xb4, 0 }, 8, TCP_OPT_BAD_LENGTH, true },
	{ "SACK of length 9", { 5, 9, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 2, 4, 5, 0xb4 }, 16,
	  TCP_OPT_BAD_LENGTH, true },
	{ "unknown kind 30, length 6", { 30, 6, 1, 2, 3, 4, 2, 4, 5, 0xb4, 0, 0 }, 12,
	  TCP_OPT_UNKNOWN, true },
	{ "unknown kind 254, length 2", { 254, 2, 2, 4, 5, 0xb4, 0, 0 }, 8, TCP_OPT_UNKNOWN, true },
	{ "EOL ends the list", { 0, 0, 2, 4, 5, 0xb4, 0, 0 }, 8, TCP_OPT_PROBLEMS, false },
};

/* proves: RFC9293-MUST-4 RFC9293-MUST-6 RFC9293-MUST-7 RFC9293-MUST-64 */
static void malformed_and_unknown_options_are_parsed_safely_and_counted(void)
{
	for (size_t i = 0; i < ARRAY_LEN(option_cases); i++) {
		const struct option_case *c = &option_cases[i];
		uint64_t problems[TCP_OPT_PROBLEMS] = { 0 };
		struct tcp_options o;
		/* give the parser exactly the bytes of the case, on the heap,
		 * so that ASan sees any read past them */
		uint8_t *b = malloc(c->len);
		memcpy(b, c->bytes, c->len);
		tcp_parse_options(b, c->len, &o, problems);
		free(b);
		enum tcp_opt_problem expect = c->problem;
		for (int k = 0; k < TCP_OPT_PROBLEMS; k++) {
			uint64_t want = (k == (int)expect) ? 1 : 0;
			if (problems[k] != want) {
				fprintf(stderr, "\n    option case '%s': problem %d counted %llu\n",
					c->what, k, (unsigned long long)problems[k]);
				CU_FAIL("option problem miscounted");
			}
		}
		if (o.mss_present != c->mss_after || (c->mss_after && o.mss != 1460)) {
			fprintf(stderr, "\n    option case '%s': MSS %s\n", c->what,
				o.mss_present ? "seen" : "not seen");
			CU_FAIL("option after the problem handled wrongly");
		}
	}
}

/* proves: RFC9293-MUST-2 */
static void pseudo_header_checksum_covers_the_addresses(void)
{
	uint8_t pkt[100];
	size_t n = build_tcp(pkt, PEER, US, 40000, 80, 1, 0, TH_SYN, 64240, NULL, 0, NULL, 0);
	CU_ASSERT_EQUAL(n, 40);
	CU_ASSERT_EQUAL(tcp_checksum(PEER, US, pkt + 20, 20), 0);
	/* the same segment claimed by another address does not check */
	CU_ASSERT_NOT_EQUAL(tcp_checksum(PEER, ADDR(10, 0, 0, 3), pkt + 20, 20), 0);
	CU_ASSERT_NOT_EQUAL(tcp_checksum(ADDR(10, 0, 0, 9), US, pkt + 20, 20), 0);
}

/* ---- SipHash ---------------------------------------------------------------- */

/* proves: RFC9293-SHLD-1 */
static void siphash_matches_the_published_vectors(void)
{
	struct sipkey k = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
	uint8_t m[64];
	for (int i = 0; i < 64; i++)
		m[i] = (uint8_t)i;
	CU_ASSERT_EQUAL(siphash(&k, m, 0), 0x726fdb47dd0e0e31ULL);
	CU_ASSERT_EQUAL(siphash(&k, m, 1), 0x74f839c593dc67fdULL);
	CU_ASSERT_EQUAL(siphash(&k, m, 2), 0x0d6c8009d9a94f5aULL);
	CU_ASSERT_EQUAL(siphash(&k, m, 15), 0xa129ca6149be45e5ULL);
}

/* ---- the connection table ------------------------------------------------- */

static void table_finds_exactly_the_four_tuple(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct host *h = tn.host;
	struct tcb *a = tcb_create(h, US, 80, PEER, 40000);
	struct tcb *b = tcb_create(h, US, 80, PEER, 40001);
	struct tcb *c = tcb_create(h, US, 81, PEER, 40000);
	CU_ASSERT_PTR_NOT_NULL(a);
	CU_ASSERT_PTR_NOT_NULL(b);
	CU_ASSERT_PTR_NOT_NULL(c);
	CU_ASSERT_PTR_NULL(tcb_create(h, US, 80, PEER, 40000));   /* in use */
	CU_ASSERT_PTR_EQUAL(tcb_lookup(h, US, 80, PEER, 40000), a);
	CU_ASSERT_PTR_EQUAL(tcb_lookup(h, US, 80, PEER, 40001), b);
	CU_ASSERT_PTR_EQUAL(tcb_lookup(h, US, 81, PEER, 40000), c);
	CU_ASSERT_PTR_NULL(tcb_lookup(h, US, 80, ADDR(10, 0, 0, 7), 40000));
	CU_ASSERT_EQUAL(h->tcp->count, 3);
	tcb_destroy(b);
	CU_ASSERT_PTR_NULL(tcb_lookup(h, US, 80, PEER, 40001));
	CU_ASSERT_PTR_EQUAL(tcb_lookup(h, US, 80, PEER, 40000), a);
	CU_ASSERT_EQUAL(h->tcp->count, 2);
	testnet_free(&tn);          /* frees the rest */
	LEAK_CHECK_END;
}

static void full_table_refuses_and_counts(void)
{
	struct config cfg = testnet_config();
	cfg.max_connections = 100;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	for (int i = 0; i < 100; i++)
		CU_ASSERT_PTR_NOT_NULL(tcb_create(tn.host, US, 80, PEER, (uint16_t)(1000 + i)));
	CU_ASSERT_PTR_NULL(tcb_create(tn.host, US, 80, PEER, 999));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.table_full, 1);
	testnet_free(&tn);
}

static void ephemeral_ports_keep_each_four_tuple_unique(void)
{
	struct config cfg = testnet_config();
	cfg.ephemeral_lo = 50000;
	cfg.ephemeral_hi = 50099;            /* 100 ports */
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct host *h = tn.host;
	/* 100 connections to one server use every port once... */
	static unsigned char used[100];
	memset(used, 0, sizeof used);
	for (int i = 0; i < 100; i++) {
		uint16_t port = tcp_pick_port(h, PEER, 80);
		CU_ASSERT_TRUE_FATAL(port >= 50000 && port <= 50099);
		CU_ASSERT_EQUAL(used[port - 50000]++, 0);
		CU_ASSERT_PTR_NOT_NULL(tcb_create(h, US, port, PEER, 80));
	}
	/* ...then there is none left for that server... */
	CU_ASSERT_EQUAL(tcp_pick_port(h, PEER, 80), 0);
	/* ...but the same ports serve another server, or another port */
	CU_ASSERT_NOT_EQUAL(tcp_pick_port(h, PEER, 443), 0);
	CU_ASSERT_NOT_EQUAL(tcp_pick_port(h, ADDR(10, 0, 0, 9), 80), 0);
	testnet_free(&tn);
}

static void port_search_starts_differently_per_destination(void)
{
	struct config cfg = testnet_config();
	struct testnet tn1, tn2;
	testnet_init(&tn1, &cfg);
	testnet_init(&tn2, &cfg);
	uint16_t a = tcp_pick_port(tn1.host, PEER, 80);
	uint16_t b = tcp_pick_port(tn2.host, PEER, 443);
	CU_ASSERT_NOT_EQUAL(a, b);
	/* with another secret, the same destination gets another port */
	struct config other = cfg;
	other.secret.k0 ^= 1;
	struct testnet tn3;
	testnet_init(&tn3, &other);
	CU_ASSERT_NOT_EQUAL(tcp_pick_port(tn3.host, PEER, 80), a);
	testnet_free(&tn1);
	testnet_free(&tn2);
	testnet_free(&tn3);
}

/* ---- a closed port (RFC 9293 section 3.10.7.1) -------------------------- */

static void closed_port_answers_syn_with_rst_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[200], out[200];
	const uint8_t mss[4] = { 2, 4, 5, 0xb4 };
	size_t n = build_tcp(pkt, PEER, US, 40000, 80, 0x12345678, 0, TH_SYN, 64240,
			     mss, 4, NULL, 0);
	testnet_inject(&tn, pkt, n);
	struct segment s;
	if (sent_segment(&tn, &s, out)) {
		CU_ASSERT_EQUAL(s.flags, TH_RST | TH_ACK);
		CU_ASSERT_EQUAL(s.seq, 0);
		CU_ASSERT_EQUAL(s.ack, 0x12345679);         /* SEG.SEQ + 1 for the SYN */
		CU_ASSERT_EQUAL(s.sport, 80);
		CU_ASSERT_EQUAL(s.dport, 40000);
		CU_ASSERT_EQUAL(s.src, US);
		CU_ASSERT_EQUAL(s.dst, PEER);
		CU_ASSERT_EQUAL(s.wnd, 0);
		CU_ASSERT_EQUAL(s.len, 0);
		CU_ASSERT_EQUAL(tcp_get(out + 20, TCP_DOFF), 5);   /* no options */
	}
	CU_ASSERT_EQUAL(tn.host->stats.tcp.closed_port, 1);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.out_rsts, 1);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void closed_port_counts_syn_fin_and_data_in_seg_len(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[200], out[200];
	/* SYN + FIN + 10 bytes of data, sequence number just below the wrap */
	size_t n = build_tcp(pkt, PEER, US, 40000, 80, 0xfffffffau, 0, TH_SYN | TH_FIN,
			     1000, NULL, 0, "0123456789", 10);
	testnet_inject(&tn, pkt, n);
	struct segment s;
	if (sent_segment(&tn, &s, out)) {
		CU_ASSERT_EQUAL(s.flags, TH_RST | TH_ACK);
		CU_ASSERT_EQUAL(s.seq, 0);
		CU_ASSERT_EQUAL(s.ack, 0xfffffffau + 12);     /* wraps to 6 */
		CU_ASSERT_EQUAL(s.ack, 6);
	}
	/* data without SYN or ACK: SEG.LEN is the data alone */
	n = build_tcp(pkt, PEER, US, 40000, 80, 1000, 0, TH_PSH, 1000, NULL, 0, "abc", 3);
	testnet_inject(&tn, pkt, n);
	if (sent_segment(&tn, &s, out)) {
		CU_ASSERT_EQUAL(s.ack, 1003);
		CU_ASSERT_EQUAL(s.flags, TH_RST | TH_ACK);
	}
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void closed_port_answers_ack_with_rst_from_seg_ack(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[200], out[200];
	size_t n = build_tcp(pkt, PEER, US, 40000, 80, 777, 0xabcdef01, TH_ACK | TH_PSH,
			     1000, NULL, 0, "data", 4);
	testnet_inject(&tn, pkt, n);
	struct segment s;
	if (sent_segment(&tn, &s, out)) {
		CU_ASSERT_EQUAL(s.flags, TH_RST);             /* no ACK flag */
		CU_ASSERT_EQUAL(s.seq, 0xabcdef01);
		CU_ASSERT_EQUAL(s.ack, 0);
		CU_ASSERT_EQUAL(s.wnd, 0);
	}
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void closed_port_never_answers_a_rst(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[200];
	size_t n = build_tcp(pkt, PEER, US, 40000, 80, 5, 0, TH_RST, 0, NULL, 0, NULL, 0);
	testnet_inject(&tn, pkt, n);
	n = build_tcp(pkt, PEER, US, 40000, 80, 5, 9, TH_RST | TH_ACK, 0, NULL, 0, NULL, 0);
	testnet_inject(&tn, pkt, n);
	CU_ASSERT_EQUAL(tn.nsent, 0);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.out_rsts, 0);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-3 */
static void bad_offset_and_checksum_are_dropped_counted_never_answered(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[200];
	/* data offset 4 */
	size_t n = build_tcp(pkt, PEER, US, 40000, 80, 1, 0, TH_SYN, 1000, NULL, 0, NULL, 0);
	tcp_set(pkt + 20, TCP_DOFF, 4);
	tcp_set(pkt + 20, TCP_CHECKSUM, 0);
	tcp_set(pkt + 20, TCP_CHECKSUM, tcp_checksum(PEER, US, pkt + 20, n - 20));
	testnet_inject(&tn, pkt, n);
	/* data offset 15 on a 24-byte segment */
	n = build_tcp(pkt, PEER, US, 40000, 80, 1, 0, TH_SYN, 1000, NULL, 0, "abcd", 4);
	tcp_set(pkt + 20, TCP_DOFF, 15);
	tcp_set(pkt + 20, TCP_CHECKSUM, 0);
	tcp_set(pkt + 20, TCP_CHECKSUM, tcp_checksum(PEER, US, pkt + 20, n - 20));
	testnet_inject(&tn, pkt, n);
	/* bad checksum */
	n = build_tcp(pkt, PEER, US, 40000, 80, 1, 0, TH_SYN, 1000, NULL, 0, "abcd", 4);
	pkt[n - 1] ^= 0x40;
	testnet_inject(&tn, pkt, n);
	/* shorter than a header */
	uint8_t tiny[12] = { 0x9c, 0x40, 0, 80 };
	n = build_ipv4(pkt, PEER, US, IPPROTO_TCP_, tiny, sizeof tiny);
	testnet_inject(&tn, pkt, n);
	const struct tcp_stats *s = &tn.host->stats.tcp;
	CU_ASSERT_EQUAL(s->in_drops[TCP_DROP_OFFSET], 2);
	CU_ASSERT_EQUAL(s->in_drops[TCP_DROP_CHECKSUM], 1);
	CU_ASSERT_EQUAL(s->in_drops[TCP_DROP_SHORT], 1);
	CU_ASSERT_EQUAL(s->in_segs, 4);
	CU_ASSERT_EQUAL(tn.nsent, 0);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-7 */
static void segment_with_malformed_options_is_still_answered(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[200], out[200];
	const uint8_t bad[4] = { 0x22, 0, 0, 0 };     /* an option of length 0 */
	size_t n = build_tcp(pkt, PEER, US, 40000, 80, 99, 0, TH_SYN, 1000, bad, 4, NULL, 0);
	testnet_inject(&tn, pkt, n);
	struct segment s;
	if (sent_segment(&tn, &s, out))
		CU_ASSERT_EQUAL(s.ack, 100);
	CU_ASSERT_EQUAL(tn.host->stats.tcp.opt_problems[TCP_OPT_MALFORMED], 1);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* ---- Appendix C: requirements without a test of their own ---- */

/* Every option list the stack writes ends on a 32-bit boundary, walks
 * from option to option to its end, and holds only zeros after an
 * end-of-list option. */
/* proves: RFC9293-MUST-69 */
static void option_lists_we_write_hold_only_zeros_after_their_end(void)
{
	for (int which = 0; which < 16; which++) {
		struct tcp_options o;
		memset(&o, 0, sizeof o);
		o.mss_present = (which & 1) != 0; o.mss = 1460;
		o.ws_present = (which & 2) != 0; o.ws = 7;
		o.sack_permitted = (which & 4) != 0;
		o.ts_present = (which & 8) != 0; o.ts_val = 1; o.ts_ecr = 2;
		uint8_t buf[40];
		memset(buf, 0xee, sizeof buf);
		size_t n = tcp_write_options(buf, &o);
		CU_ASSERT_EQUAL(n % 4, 0);
		size_t i = 0;
		while (i < n) {
			if (buf[i] == 0) {                   /* end of list: zeros to the end */
				for (size_t k = i; k < n; k++)
					CU_ASSERT_EQUAL(buf[k], 0);
				i = n;
			} else if (buf[i] == 1) {
				i++;
			} else {
				CU_ASSERT_TRUE_FATAL(i + 1 < n && buf[i + 1] >= 2);
				i += buf[i + 1];
			}
		}
		CU_ASSERT_EQUAL(i, n);
	}
}

void register_ch03(void)
{
	static const struct test_entry codec[] = {
		TEST(sequence_comparisons_hold_across_the_wrap),
		TEST(tcp_field_table_tiles_the_header),
		TEST(flags_map_to_their_bits),
		TEST(every_option_round_trips),
		TEST(window_scale_above_14_is_treated_as_14),
		TEST(malformed_and_unknown_options_are_parsed_safely_and_counted),
		TEST(pseudo_header_checksum_covers_the_addresses),
		TEST(siphash_matches_the_published_vectors),
	};
	static const struct test_entry table[] = {
		TEST(table_finds_exactly_the_four_tuple),
		TEST(full_table_refuses_and_counts),
		TEST(ephemeral_ports_keep_each_four_tuple_unique),
		TEST(port_search_starts_differently_per_destination),
	};
	static const struct test_entry closed[] = {
		TEST(closed_port_answers_syn_with_rst_ack),
		TEST(closed_port_counts_syn_fin_and_data_in_seg_len),
		TEST(closed_port_answers_ack_with_rst_from_seg_ack),
		TEST(closed_port_never_answers_a_rst),
		TEST(bad_offset_and_checksum_are_dropped_counted_never_answered),
		TEST(segment_with_malformed_options_is_still_answered),
	};
	add_suite("ch03 sequence numbers and the codec", codec, ARRAY_LEN(codec));
	add_suite("ch03 the connection table", table, ARRAY_LEN(table));
	add_suite("ch03 a closed port", closed, ARRAY_LEN(closed));
	static const struct test_entry conformance[] = {
		TEST(option_lists_we_write_hold_only_zeros_after_their_end),
	};
	add_suite("ch03 conformance (Appendix C)", conformance, ARRAY_LEN(conformance));
}
