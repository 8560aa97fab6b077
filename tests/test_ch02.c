/* Chapter 2, IPv4 and ICMP: the checksum, the field codec, validation of
 * every header field with a counter per kind of drop, echo, protocol
 * unreachable and the rules about when not to send ICMP errors. */
#include "testutil.h"
#include "ipv4.h"
#include "icmp.h"
#include "checksum.h"
#include "simlink.h"

#define US   ADDR(10, 0, 0, 2)
#define PEER ADDR(10, 0, 0, 1)


/* ---- checksum and fields ----------------------------------------------- */

static void checksum_matches_rfc1071_example(void)
{
	/* RFC 1071 section 3: these bytes sum to ddf2 (after folding) */
	const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	CU_ASSERT_EQUAL(csum_add(0, b, sizeof b), 0x2ddf0);
	CU_ASSERT_EQUAL(inet_checksum(b, sizeof b), (uint16_t)~0xddf2);
}

static void checksum_pads_odd_length_with_zero(void)
{
	const uint8_t odd[] = { 0xab, 0xcd, 0xef };
	const uint8_t even[] = { 0xab, 0xcd, 0xef, 0x00 };
	CU_ASSERT_EQUAL(inet_checksum(odd, 3), inet_checksum(even, 4));
	CU_ASSERT_EQUAL(inet_checksum(odd, 1), (uint16_t)~0xab00);
}

static void checksum_of_pieces_equals_checksum_of_whole(void)
{
	uint8_t buf[1001];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	uint32_t s = csum_add(0, buf, 12);
	s = csum_add(s, buf + 12, 400);
	s = csum_add(s, buf + 412, sizeof buf - 412);
	CU_ASSERT_EQUAL(csum_fold(s), inet_checksum(buf, sizeof buf));
	/* a message with its checksum in it sums to zero */
	uint8_t hdr[20];
	size_t n = build_ipv4(hdr, PEER, US, 1, "", 0);
	CU_ASSERT_EQUAL(n, 20);
	CU_ASSERT_EQUAL(inet_checksum(hdr, 20), 0);
}

static void fields_read_back_what_was_written(void)
{
	uint8_t h[20];
	struct rng r;
	rng_seed(&r, 3);
	for (int round = 0; round < 200; round++) {
		uint32_t v[IP_NFIELDS];
		for (int i = 0; i < 20; i++)
			h[i] = (uint8_t)rng_next(&r);
		for (int f = 0; f < IP_NFIELDS; f++) {
			unsigned w = ip_fields[f].width;
			v[f] = (uint32_t)rng_next(&r) & (w == 32 ? 0xffffffffu : (1u << w) - 1);
			ip_set(h, f, v[f]);
		}
		for (int f = 0; f < IP_NFIELDS; f++)
			CU_ASSERT_EQUAL(ip_get(h, f), v[f]);
	}
	/* and in network byte order, where the RFC says */
	memset(h, 0, sizeof h);
	ip_set(h, IP_TOTAL_LENGTH, 0x1234);
	ip_set(h, IP_FRAG_OFFSET, 0x1abc);
	ip_set(h, IP_DF, 1);
	CU_ASSERT_EQUAL(h[2], 0x12);
	CU_ASSERT_EQUAL(h[3], 0x34);
	CU_ASSERT_EQUAL(h[6], 0x40 | 0x1a);
	CU_ASSERT_EQUAL(h[7], 0xbc);
}

static void field_table_tiles_the_header(void)
{
	unsigned bit = 0;
	for (int f = 0; f < IP_NFIELDS; f++) {
		CU_ASSERT_EQUAL(ip_fields[f].bit, bit);
		bit += ip_fields[f].width;
	}
	CU_ASSERT_EQUAL(bit, 160);
}

/* ---- echo -------------------------------------------------------------- */

static size_t echo_request(uint8_t *buf, uint16_t id, uint16_t seq,
			   const char *data, size_t len)
{
	uint8_t icmp[1500];
	icmp[0] = ICMP_ECHO_REQUEST;
	icmp[1] = 0;
	icmp[2] = icmp[3] = 0;
	icmp[4] = (uint8_t)(id >> 8);
	icmp[5] = (uint8_t)id;
	icmp[6] = (uint8_t)(seq >> 8);
	icmp[7] = (uint8_t)seq;
	memcpy(icmp + 8, data, len);
	uint16_t c = inet_checksum(icmp, 8 + len);
	icmp[2] = (uint8_t)(c >> 8);
	icmp[3] = (uint8_t)c;
	return build_ipv4(buf, PEER, US, IPPROTO_ICMP_, icmp, 8 + len);
}

static void echo_request_gets_exact_reply(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[1500];
	const char data[] = "0123456789abcdefghijklmnopqrstuvwxyz!";
	size_t n = echo_request(pkt, 0x4242, 7, data, sizeof data);
	testnet_inject(&tn, pkt, n);
	CU_ASSERT_EQUAL(tn.nsent, 1);
	struct pkb *r = testnet_pop(&tn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	const uint8_t *ip = r->data;
	CU_ASSERT_EQUAL(r->len, n);
	CU_ASSERT_EQUAL(ip_get(ip, IP_VERSION), 4);
	CU_ASSERT_EQUAL(ip_get(ip, IP_IHL), 5);
	CU_ASSERT_EQUAL(ip_get(ip, IP_TOTAL_LENGTH), n);
	CU_ASSERT_EQUAL(ip_get(ip, IP_SRC), US);
	CU_ASSERT_EQUAL(ip_get(ip, IP_DST), PEER);
	CU_ASSERT_EQUAL(ip_get(ip, IP_PROTOCOL), IPPROTO_ICMP_);
	CU_ASSERT_EQUAL(ip_get(ip, IP_TTL), 64);
	CU_ASSERT_EQUAL(ip_get(ip, IP_DF), 1);
	CU_ASSERT_EQUAL(ip_get(ip, IP_MF), 0);
	CU_ASSERT_EQUAL(inet_checksum(ip, 20), 0);
	const uint8_t *icmp = ip + 20;
	CU_ASSERT_EQUAL(icmp[0], ICMP_ECHO_REPLY);
	CU_ASSERT_EQUAL(icmp[1], 0);
	CU_ASSERT_EQUAL(inet_checksum(icmp, n - 20), 0);
	CU_ASSERT_EQUAL(memcmp(icmp + 4, pkt + 24, n - 24), 0);  /* id, seq, data */
	CU_ASSERT_EQUAL(tn.host->stats.icmp.in_echos, 1);
	CU_ASSERT_EQUAL(tn.host->stats.icmp.out_echo_reps, 1);
	pkb_free(r);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void identification_counts_up(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[100];
	size_t n = echo_request(pkt, 1, 1, "x", 1);
	testnet_inject(&tn, pkt, n);
	testnet_inject(&tn, pkt, n);
	struct pkb *a = testnet_pop(&tn), *b = testnet_pop(&tn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL((uint16_t)(ip_get(a->data, IP_ID) + 1), ip_get(b->data, IP_ID));
	pkb_free(a);
	pkb_free(b);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void link_padding_is_trimmed(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[100];
	size_t n = echo_request(pkt, 1, 2, "abcd", 4);
	memset(pkt + n, 0xee, 10);                /* ten bytes of padding */
	testnet_inject(&tn, pkt, n + 10);
	struct pkb *r = testnet_pop(&tn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->len, n);
	CU_ASSERT_EQUAL(inet_checksum(r->data + 20, n - 20), 0);
	pkb_free(r);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void ttl_zero_is_counted_but_accepted(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[100];
	size_t n = echo_request(pkt, 1, 2, "abcd", 4);
	ip_set(pkt, IP_TTL, 0);
	ip_set(pkt, IP_CHECKSUM, 0);
	ip_set(pkt, IP_CHECKSUM, inet_checksum(pkt, 20));
	testnet_inject(&tn, pkt, n);
	CU_ASSERT_EQUAL(tn.nsent, 1);
	CU_ASSERT_EQUAL(tn.host->stats.ip.in_ttl_zero, 1);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* proves: RFC9293-MUST-50 */
static void well_formed_options_are_accepted_and_ignored(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t plain[100], pkt[120];
	size_t n = echo_request(plain, 1, 2, "abcd", 4);
	/* a header of 28 bytes: NOP, a 4-byte unknown option, NOP, EOL, pad */
	memcpy(pkt, plain, 20);
	const uint8_t opts[8] = { 1, 0x88, 4, 0x12, 1, 0, 0, 0 };
	memcpy(pkt + 20, opts, 8);
	memcpy(pkt + 28, plain + 20, n - 20);
	ip_set(pkt, IP_IHL, 7);
	ip_set(pkt, IP_TOTAL_LENGTH, (uint32_t)n + 8);
	ip_set(pkt, IP_CHECKSUM, 0);
	ip_set(pkt, IP_CHECKSUM, inet_checksum(pkt, 28));
	testnet_inject(&tn, pkt, n + 8);
	CU_ASSERT_EQUAL(tn.nsent, 1);
	struct pkb *r = testnet_pop(&tn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->len, n);      /* the reply carries no options */
	pkb_free(r);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* ---- every kind of malformed header ------------------------------------ */

struct malformation {
	const char *what;
	enum ip_drop expect;
	void (*mutate)(uint8_t *pkt, size_t *len);
};

static void fix_checksum(uint8_t *pkt)
{
	size_t hlen = ip_get(pkt, IP_IHL) * 4;
	ip_set(pkt, IP_CHECKSUM, 0);
	ip_set(pkt, IP_CHECKSUM, inet_checksum(pkt, hlen));
}

static void m_truncated(uint8_t *p, size_t *len) { (void)p; *len = 19; }
static void m_version5(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_VERSION, 5); fix_checksum(p); }
static void m_ihl_small(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_IHL, 4); }
static void m_ihl_beyond(uint8_t *p, size_t *len) { *len = 40; ip_set(p, IP_IHL, 15); }
static void m_total_short(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_TOTAL_LENGTH, 19); fix_checksum(p); }
static void m_total_long(uint8_t *p, size_t *len) { ip_set(p, IP_TOTAL_LENGTH, (uint32_t)*len + 1); fix_checksum(p); }
static void m_checksum(uint8_t *p, size_t *len) { (void)len; p[10] ^= 0x01; }
static void m_checksum_ttl(uint8_t *p, size_t *len) { (void)len; p[8]--; }   /* a router forgot to update it */
static void m_options(uint8_t *p, size_t *len)
{
	/* IHL 6, and a 4-byte option area holding an option of length 10 */
	memmove(p + 24, p + 20, *len - 20);
	p[20] = 0x44; p[21] = 10; p[22] = 5; p[23] = 0;
	*len += 4;
	ip_set(p, IP_IHL, 6);
	ip_set(p, IP_TOTAL_LENGTH, (uint32_t)*len);
	fix_checksum(p);
}
static void m_option_len1(uint8_t *p, size_t *len)
{
	memmove(p + 24, p + 20, *len - 20);
	p[20] = 0x44; p[21] = 1; p[22] = 0; p[23] = 0;
	*len += 4;
	ip_set(p, IP_IHL, 6);
	ip_set(p, IP_TOTAL_LENGTH, (uint32_t)*len);
	fix_checksum(p);
}
static void m_src_broadcast(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_SRC, 0xffffffff); fix_checksum(p); }
static void m_src_multicast(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_SRC, ADDR(224, 0, 0, 1)); fix_checksum(p); }
static void m_src_zero(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_SRC, 0); fix_checksum(p); }
static void m_src_loopback(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_SRC, ADDR(127, 0, 0, 1)); fix_checksum(p); }
static void m_src_class_e(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_SRC, ADDR(250, 1, 2, 3)); fix_checksum(p); }
static void m_dst_other(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_DST, ADDR(10, 0, 0, 3)); fix_checksum(p); }
static void m_dst_broadcast(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_DST, 0xffffffff); fix_checksum(p); }
static void m_fragment_first(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_MF, 1); fix_checksum(p); }
static void m_fragment_later(uint8_t *p, size_t *len) { (void)len; ip_set(p, IP_FRAG_OFFSET, 185); fix_checksum(p); }

static const struct malformation malformations[] = {
	{ "truncated header", IP_DROP_TRUNCATED, m_truncated },
	{ "version 5", IP_DROP_VERSION, m_version5 },
	{ "IHL below 5", IP_DROP_HEADER_LENGTH, m_ihl_small },
	{ "IHL beyond the packet", IP_DROP_HEADER_LENGTH, m_ihl_beyond },
	{ "total length below IHL", IP_DROP_TOTAL_LENGTH, m_total_short },
	{ "total length beyond the packet", IP_DROP_TOTAL_LENGTH, m_total_long },
	{ "checksum flipped", IP_DROP_CHECKSUM, m_checksum },
	{ "TTL changed, checksum not", IP_DROP_CHECKSUM, m_checksum_ttl },
	{ "option past the header", IP_DROP_OPTIONS, m_options },
	{ "option of length 1", IP_DROP_OPTIONS, m_option_len1 },
	{ "broadcast source", IP_DROP_SOURCE, m_src_broadcast },
	{ "multicast source", IP_DROP_SOURCE, m_src_multicast },
	{ "zero source", IP_DROP_SOURCE, m_src_zero },
	{ "loopback source", IP_DROP_SOURCE, m_src_loopback },
	{ "class E source", IP_DROP_SOURCE, m_src_class_e },
	{ "another destination", IP_DROP_NOT_OURS, m_dst_other },
	{ "broadcast destination", IP_DROP_NOT_OURS, m_dst_broadcast },
	{ "first fragment", IP_DROP_FRAGMENT, m_fragment_first },
	{ "later fragment", IP_DROP_FRAGMENT, m_fragment_later },
};

/* proves: RFC9293-MUST-57 RFC9293-MUST-63 */
static void each_malformed_header_is_dropped_counted_and_unanswered(void)
{
	LEAK_CHECK_BEGIN;
	for (size_t i = 0; i < ARRAY_LEN(malformations); i++) {
		const struct malformation *m = &malformations[i];
		struct config cfg = testnet_config();
		struct testnet tn;
		testnet_init(&tn, &cfg);
		uint8_t pkt[200];
		size_t len = echo_request(pkt, 9, 9, "payload!", 8);
		m->mutate(pkt, &len);
		testnet_inject(&tn, pkt, len);
		const struct ip_stats *s = &tn.host->stats.ip;
		if (s->in_drops[m->expect] != 1 || tn.nsent != 0) {
			fprintf(stderr, "\n    %s: drops[%s] = %llu, sent %zu\n", m->what,
				ip_drop_names[m->expect],
				(unsigned long long)s->in_drops[m->expect], tn.nsent);
			CU_FAIL("malformed header not dropped as expected");
		}
		uint64_t total = 0;
		for (int k = 0; k < IP_DROP_KINDS; k++)
			total += s->in_drops[k];
		CU_ASSERT_EQUAL(total, 1);              /* counted once, under one reason */
		CU_ASSERT_EQUAL(s->in_delivers, 0);
		testnet_free(&tn);
	}
	LEAK_CHECK_END;
}

static void no_address_means_nothing_is_ours(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg;
	config_default(&cfg);
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[100];
	size_t n = echo_request(pkt, 1, 1, "x", 1);
	testnet_inject(&tn, pkt, n);
	CU_ASSERT_EQUAL(tn.nsent, 0);
	CU_ASSERT_EQUAL(tn.host->stats.ip.in_drops[IP_DROP_NOT_OURS], 1);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void non_ipv4_packets_stay_unhandled(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t v6[40] = { 0x60 };
	testnet_inject(&tn, v6, sizeof v6);
	testnet_inject(&tn, v6, 0);
	CU_ASSERT_EQUAL(tn.host->stats.unhandled, 2);
	CU_ASSERT_EQUAL(tn.host->stats.ip.in_receives, 0);
	CU_ASSERT_EQUAL(tn.nsent, 0);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* ---- ICMP ---------------------------------------------------------------- */

static void bad_icmp_checksum_or_length_is_counted_and_unanswered(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[100];
	size_t n = echo_request(pkt, 1, 1, "abcdef", 6);
	pkt[30] ^= 0x20;                       /* data changed, ICMP checksum not */
	testnet_inject(&tn, pkt, n);
	uint8_t tiny[4] = { ICMP_ECHO_REQUEST, 0, 0xf7, 0xff };
	n = build_ipv4(pkt, PEER, US, IPPROTO_ICMP_, tiny, sizeof tiny);
	testnet_inject(&tn, pkt, n);
	CU_ASSERT_EQUAL(tn.nsent, 0);
	CU_ASSERT_EQUAL(tn.host->stats.icmp.in_errors, 2);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void unknown_protocol_gets_protocol_unreachable(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[100];
	const uint8_t udp[12] = { 0x30, 0x39, 0x00, 0x09, 0, 12, 0, 0, 'h', 'i', '!', '\n' };
	size_t n = build_ipv4(pkt, PEER, US, 17, udp, sizeof udp);
	testnet_inject(&tn, pkt, n);
	CU_ASSERT_EQUAL(tn.host->stats.ip.in_unknown_protos, 1);
	struct pkb *r = testnet_pop(&tn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	const uint8_t *ip = r->data, *icmp = r->data + 20;
	CU_ASSERT_EQUAL(ip_get(ip, IP_DST), PEER);
	CU_ASSERT_EQUAL(ip_get(ip, IP_SRC), US);
	CU_ASSERT_EQUAL(ip_get(ip, IP_PROTOCOL), IPPROTO_ICMP_);
	CU_ASSERT_EQUAL(r->len, 20 + 8 + 20 + 8);   /* header, ICMP, quoted header + 8 */
	CU_ASSERT_EQUAL(icmp[0], ICMP_DEST_UNREACH);
	CU_ASSERT_EQUAL(icmp[1], ICMP_PROTO_UNREACH);
	CU_ASSERT_EQUAL(inet_checksum(icmp, r->len - 20), 0);
	CU_ASSERT_EQUAL(memcmp(icmp + 8, pkt, 28), 0);   /* the original, quoted */
	pkb_free(r);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

static void no_icmp_error_about_an_icmp_error(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[100];
	uint8_t err[8 + 28] = { ICMP_DEST_UNREACH, ICMP_PORT_UNREACH };
	size_t n = build_ipv4(pkt, PEER, US, IPPROTO_ICMP_, err, sizeof err);
	struct pkb *p = pkb_from(pkt + 20, n - 20);
	icmp_send_error(tn.host, pkt, p, ICMP_DEST_UNREACH, ICMP_PROTO_UNREACH);
	CU_ASSERT_EQUAL(tn.nsent, 0);
	CU_ASSERT_EQUAL(tn.host->stats.icmp.out_errors_suppressed, 1);
	/* an echo request is not an error: it could be answered with one */
	uint8_t echo[8] = { ICMP_ECHO_REQUEST };
	n = build_ipv4(pkt, PEER, US, IPPROTO_ICMP_, echo, sizeof echo);
	memcpy(p->data, pkt + 20, 8);
	p->len = 8;
	icmp_send_error(tn.host, pkt, p, ICMP_DEST_UNREACH, ICMP_PROTO_UNREACH);
	CU_ASSERT_EQUAL(tn.nsent, 1);
	/* nor about a datagram to a broadcast address, or from 0.0.0.0 */
	ip_set(pkt, IP_DST, 0xffffffff);
	icmp_send_error(tn.host, pkt, p, ICMP_DEST_UNREACH, ICMP_PROTO_UNREACH);
	ip_set(pkt, IP_DST, US);
	ip_set(pkt, IP_SRC, 0);
	icmp_send_error(tn.host, pkt, p, ICMP_DEST_UNREACH, ICMP_PROTO_UNREACH);
	CU_ASSERT_EQUAL(tn.nsent, 1);
	CU_ASSERT_EQUAL(tn.host->stats.icmp.out_errors_suppressed, 3);
	pkb_free(p);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

/* ---- two hosts ------------------------------------------------------------ */

static int replies;

static void count_reply(struct host *h, uint32_t from, const struct pkb *p, void *arg)
{
	(void)h;
	(void)p;
	(void)arg;
	if (from == ADDR(10, 0, 0, 2))
		replies++;
}

static void two_hosts_ping_across_a_lossy_link(void)
{
	LEAK_CHECK_BEGIN;
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.loss = 0.2;
	c.delay = MSEC(10);
	c.seed = 4;
	struct simlink *link = simlink_create(&l, &c, &c, 1500);
	struct config ca, cb;
	config_default(&ca);
	config_default(&cb);
	ca.addr = ADDR(10, 0, 0, 1);
	cb.addr = ADDR(10, 0, 0, 2);
	struct host *a = host_create(&l, simlink_end(link, 0), &ca);
	struct host *b = host_create(&l, simlink_end(link, 1), &cb);
	a->on_echo_reply = count_reply;
	replies = 0;
	for (int i = 0; i < 200; i++) {
		icmp_send_echo(a, cb.addr, 1, (uint16_t)i, "ping", 4);
		loop_run_for(&l, MSEC(100));
	}
	/* every request that arrived was answered; every reply that arrived counted */
	CU_ASSERT_EQUAL(b->stats.icmp.in_echos, b->stats.icmp.out_echo_reps);
	CU_ASSERT_EQUAL(a->stats.icmp.in_echo_reps, (uint64_t)replies);
	CU_ASSERT_EQUAL(b->stats.icmp.in_echos, 200 - simlink_stats(link, 0)->lost);
	CU_ASSERT_EQUAL((uint64_t)replies, b->stats.icmp.out_echo_reps - simlink_stats(link, 1)->lost);
	CU_ASSERT_TRUE(replies > 100 && replies < 160);   /* about 0.8 * 0.8 * 200 = 128 */
	host_destroy(a);
	host_destroy(b);
	loop_free(&l);
	LEAK_CHECK_END;
}

/* ---- tcpstack's command line -------------------------------------------- */

static void tcpstack_refuses_an_address_a_host_cannot_have(void)
{
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--addr", "10.0.0"),
				     "tcpstack: --addr 10.0.0: expected an IPv4 address, e.g. 10.0.0.2"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--addr", "127.0.0.1"),
				     "--addr 127.0.0.1: not an address a host may have"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--addr", "224.0.0.1"),
				     "--addr 224.0.0.1: not an address a host may have"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--addr", "0.0.0.0"),
				     "not an address a host may have"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--addr", "10.0.0.2",
						      "--addr", "10.0.0.3"),
				     "--addr given twice"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--adr", "10.0.0.2"),
				     "unknown option --adr (did you mean --addr?)"));
}

/* ---- Appendix C: requirements without a test of their own ---- */

/* proves: RFC9293-MUST-49 */
static void the_ttl_of_our_datagrams_is_the_setting(void)
{
	LEAK_CHECK_BEGIN;
	struct config cfg = testnet_config();
	cfg.ip_ttl = 5;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	uint8_t pkt[100];
	size_t n = echo_request(pkt, 1, 1, "ttl", 3);
	testnet_inject(&tn, pkt, n);
	struct pkb *r = testnet_pop(&tn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(ip_get(r->data, IP_TTL), 5);
	pkb_free(r);
	testnet_free(&tn);
	LEAK_CHECK_END;
}

void register_ch02(void)
{
	static const struct test_entry codec[] = {
		TEST(checksum_matches_rfc1071_example),
		TEST(checksum_pads_odd_length_with_zero),
		TEST(checksum_of_pieces_equals_checksum_of_whole),
		TEST(fields_read_back_what_was_written),
		TEST(field_table_tiles_the_header),
	};
	static const struct test_entry input[] = {
		TEST(echo_request_gets_exact_reply),
		TEST(identification_counts_up),
		TEST(link_padding_is_trimmed),
		TEST(ttl_zero_is_counted_but_accepted),
		TEST(well_formed_options_are_accepted_and_ignored),
		TEST(each_malformed_header_is_dropped_counted_and_unanswered),
		TEST(no_address_means_nothing_is_ours),
		TEST(non_ipv4_packets_stay_unhandled),
	};
	static const struct test_entry icmp[] = {
		TEST(bad_icmp_checksum_or_length_is_counted_and_unanswered),
		TEST(unknown_protocol_gets_protocol_unreachable),
		TEST(no_icmp_error_about_an_icmp_error),
		TEST(two_hosts_ping_across_a_lossy_link),
	};
	add_suite("ch02 checksum and fields", codec, ARRAY_LEN(codec));
	add_suite("ch02 IPv4 input", input, ARRAY_LEN(input));
	static const struct test_entry cmdline[] = {
		TEST(tcpstack_refuses_an_address_a_host_cannot_have),
	};
	add_suite("ch02 ICMP", icmp, ARRAY_LEN(icmp));
	add_suite("ch02 the command line", cmdline, ARRAY_LEN(cmdline));
	static const struct test_entry conformance[] = {
		TEST(the_ttl_of_our_datagrams_is_the_setting),
	};
	add_suite("ch02 conformance (Appendix C)", conformance, ARRAY_LEN(conformance));
}
