/* Exercise 13.2: the suite for cutting a GSO packet. */
#include <stdio.h>
#include <string.h>
#include "suite.h"
#include "gsocut.h"
#include "checksum.h"

enum { FIN = 0x01, SYN = 0x02, PSH = 0x08, ACK = 0x10, ECE = 0x40, CWR = 0x80 };

static uint8_t pkt[70000];
static uint8_t out[64][GSO_SEG_MAX];
static size_t lens[64];

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p) { return get16(p) << 16 | get16(p + 2); }
static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* A packet as Linux hands it over: 10.0.0.1:40000 -> 10.0.0.2:80, with a
 * timestamps option (a TCP header of 32 bytes) and pay bytes of payload;
 * the TCP checksum field holds the pseudo-header's partial sum. */
static size_t make(uint32_t seq, uint16_t id, uint8_t flags, size_t pay)
{
	static const uint8_t head[52] = {
		0x45, 0x02, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x9c, 0x40, 0, 80, 0, 0, 0, 0, 0, 0, 0x30, 0x39, 0x80, 0, 0x01, 0xf5, 0, 0, 0, 0,
		1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78,
	};
	memcpy(pkt, head, sizeof head);
	size_t len = sizeof head + pay;
	put16(pkt + 2, (uint32_t)len);
	put16(pkt + 4, id);
	put16(pkt + 24, seq >> 16);
	put16(pkt + 26, seq & 0xffff);
	pkt[33] = flags;
	for (size_t i = 0; i < pay; i++)
		pkt[52 + i] = (uint8_t)(i * 31 + 7);
	put16(pkt + 10, inet_checksum(pkt, 20));
	put16(pkt + 36, 0x1234);                  /* partial: not to be trusted */
	return len;
}

static bool checksums_right(const uint8_t *d, size_t len)
{
	uint8_t ph[12] = { 0 };
	memcpy(ph, d + 12, 8);
	ph[9] = 6;
	put16(ph + 10, (uint32_t)(len - 20));
	return inet_checksum(d, 20) == 0 &&
	       csum_fold(csum_add(csum_add(0, ph, 12), d + 20, len - 20)) == 0;
}

/* Every segment of a cut of a packet of pay bytes at seg: lengths,
 * sequence numbers, IDs, payload and checksums. */
static void check_cut(uint32_t seq, uint16_t id, size_t pay, size_t seg, size_t n)
{
	size_t want = pay == 0 ? 1 : (pay + seg - 1) / seg;
	CU_ASSERT_EQUAL_FATAL(n, want);
	for (size_t k = 0; k < n; k++) {
		size_t m = pay - k * seg < seg ? pay - k * seg : seg;
		const uint8_t *d = out[k];
		CU_ASSERT_EQUAL(lens[k], 52 + m);
		CU_ASSERT_EQUAL(get16(d + 2), 52 + m);
		CU_ASSERT_EQUAL(get16(d + 4), (uint16_t)(id + k));
		CU_ASSERT_EQUAL(get32(d + 24), seq + (uint32_t)(k * seg));
		CU_ASSERT_EQUAL(memcmp(d + 52, pkt + 52 + k * seg, m), 0);
		CU_ASSERT_TRUE(checksums_right(d, lens[k]));
		/* the rest of the headers, as in the packet */
		CU_ASSERT_EQUAL(memcmp(d, pkt, 2), 0);
		CU_ASSERT_EQUAL(memcmp(d + 6, pkt + 6, 4), 0);
		CU_ASSERT_EQUAL(memcmp(d + 12, pkt + 12, 12), 0);
		CU_ASSERT_EQUAL(memcmp(d + 28, pkt + 28, 5), 0);
		CU_ASSERT_EQUAL(memcmp(d + 34, pkt + 34, 2), 0);
		CU_ASSERT_EQUAL(memcmp(d + 38, pkt + 38, 14), 0);
	}
}

static void a_packet_is_cut_at_gso_size_with_a_short_last_segment(void)
{
	size_t len = make(1000, 300, ACK, 4000);
	check_cut(1000, 300, 4000, 1448, gso_cut(pkt, len, 1448, out, lens, 64));
}

static void a_payload_of_whole_segments_leaves_no_empty_one(void)
{
	size_t len = make(7, 1, ACK, 3 * 1448);
	check_cut(7, 1, 3 * 1448, 1448, gso_cut(pkt, len, 1448, out, lens, 64));
}

static void sixty_four_kib_of_segments(void)
{
	size_t len = make(0xfffff000u, 0xfff0, ACK, 65535 - 52);   /* seq and ID wrap */
	check_cut(0xfffff000u, 0xfff0, 65535 - 52, 1448, gso_cut(pkt, len, 1448, out, lens, 64));
}

static void psh_and_fin_go_on_the_last_segment_cwr_on_the_first(void)
{
	size_t len = make(1, 9, ACK | PSH | FIN | CWR | ECE, 3000);
	size_t n = gso_cut(pkt, len, 1000, out, lens, 64);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(out[0][33], ACK | CWR | ECE);
	CU_ASSERT_EQUAL(out[1][33], ACK | ECE);
	CU_ASSERT_EQUAL(out[2][33], ACK | ECE | PSH | FIN);
}

static void a_packet_without_payload_is_one_segment(void)
{
	size_t len = make(5, 5, ACK | FIN, 0);
	size_t n = gso_cut(pkt, len, 1448, out, lens, 64);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(lens[0], 52);
	CU_ASSERT_EQUAL(out[0][33], ACK | FIN);
	CU_ASSERT_TRUE(checksums_right(out[0], 52));
}

static void what_is_not_a_tcp4_gso_packet_is_refused(void)
{
	size_t len = make(1, 1, ACK, 3000);
	CU_ASSERT_EQUAL(gso_cut(pkt, len - 1, 1448, out, lens, 64), 0);   /* length */
	CU_ASSERT_EQUAL(gso_cut(pkt, len, 0, out, lens, 64), 0);          /* no size */
	CU_ASSERT_EQUAL(gso_cut(pkt, len, 4000, out, lens, 64), 0);       /* too big */
	CU_ASSERT_EQUAL(gso_cut(pkt, len, 1000, out, lens, 2), 0);        /* no room */
	pkt[9] = 17;
	CU_ASSERT_EQUAL(gso_cut(pkt, len, 1448, out, lens, 64), 0);       /* UDP */
	pkt[9] = 6;
	pkt[0] = 0x46;
	CU_ASSERT_EQUAL(gso_cut(pkt, len, 1448, out, lens, 64), 0);       /* IP options */
	pkt[0] = 0x45;
	pkt[32] = 0xf0;                                                    /* 60-byte TCP header */
	CU_ASSERT_EQUAL(gso_cut(pkt, 60, 1448, out, lens, 64), 0);
}

static const struct suite_test tests[] = {
	{ "a packet is cut at gso_size with a short last segment",
	  a_packet_is_cut_at_gso_size_with_a_short_last_segment },
	{ "a payload of whole segments leaves no empty one",
	  a_payload_of_whole_segments_leaves_no_empty_one },
	{ "sixty-four KiB of segments", sixty_four_kib_of_segments },
	{ "PSH and FIN go on the last segment, CWR on the first",
	  psh_and_fin_go_on_the_last_segment_cwr_on_the_first },
	{ "a packet without payload is one segment", a_packet_without_payload_is_one_segment },
	{ "what is not a TCP/IPv4 GSO packet is refused", what_is_not_a_tcp4_gso_packet_is_refused },
};

int main(void)
{
	return run_suite("exercise 13.2 cutting a GSO packet", tests, sizeof tests / sizeof tests[0]);
}
