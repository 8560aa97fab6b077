/* Exercise 2.1: the suite for the incremental checksum update. */
#include "suite.h"
#include "csum_update.h"
#include "checksum.h"
#include "ipv4.h"
#include "rng.h"

static uint16_t word_at(const uint8_t *h, size_t off)
{
	return (uint16_t)(h[off] << 8 | h[off + 1]);
}

static void set_word(uint8_t *h, size_t off, uint16_t v)
{
	h[off] = (uint8_t)(v >> 8);
	h[off + 1] = (uint8_t)v;
}

/* The checksum computed from scratch, as a sender would. */
static uint16_t recompute(uint8_t *h, size_t len)
{
	ip_set(h, IP_CHECKSUM, 0);
	uint16_t c = inet_checksum(h, len);
	ip_set(h, IP_CHECKSUM, c);
	return c;
}

/* A random header of ihl 32-bit words: version 4, the rest random
   (options included), TTL at least 1, and a correct checksum. */
static size_t random_header(struct rng *g, uint8_t *h, unsigned ihl)
{
	size_t len = 4 * (size_t)ihl;
	for (size_t i = 0; i < len; i++)
		h[i] = (uint8_t)rng_below(g, 256);
	ip_set(h, IP_VERSION, 4);
	ip_set(h, IP_IHL, ihl);
	ip_set(h, IP_TTL, 1 + rng_below(g, 255));
	recompute(h, len);
	return len;
}

/* A new value for a word: sometimes one of the awkward ones. */
static uint16_t random_word(struct rng *g, uint16_t old)
{
	switch (rng_below(g, 8)) {
	case 0: return 0x0000;
	case 1: return 0xffff;
	case 2: return old;
	case 3: return (uint16_t)~old;
	default: return (uint16_t)rng_below(g, 0x10000);
	}
}

static void update_matches_recomputation_on_random_headers(void)
{
	struct rng g;
	rng_seed(&g, 1624);
	uint8_t h[IP_HDR_MIN];
	int wrong = 0, invalid = 0, changed = 0;
	for (int i = 0; i < 20000; i++) {
		random_header(&g, h, 5);
		size_t off;
		do
			off = 2 * rng_below(&g, IP_HDR_MIN / 2);
		while (off == 10);                  /* not the checksum itself */
		uint16_t old = word_at(h, off), neu = random_word(&g, old);
		uint16_t hc = word_at(h, 10);
		uint16_t inc = csum_update16(hc, old, neu);
		set_word(h, off, neu);
		ip_set(h, IP_CHECKSUM, inc);
		if (inet_checksum(h, sizeof h) != 0)
			invalid++;
		if (inc != recompute(h, sizeof h))
			wrong++;
		if (inc != hc)
			changed++;
	}
	CU_ASSERT_EQUAL(invalid, 0);
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT_TRUE(changed > 10000);
}

/* A NAT rewrites both addresses of the same datagram again and again:
   four words a time, each update starting from the previous one. */
static void a_chain_of_updates_matches_recomputation(void)
{
	struct rng g;
	rng_seed(&g, 3022);
	uint8_t h[IP_HDR_MAX];
	size_t len = random_header(&g, h, 7);
	int wrong = 0;
	uint16_t hc = word_at(h, 10);
	for (int i = 0; i < 1000; i++) {
		for (size_t off = 12; off < 20; off += 2) {
			uint16_t old = word_at(h, off), neu = random_word(&g, old);
			hc = csum_update16(hc, old, neu);
			set_word(h, off, neu);
		}
		uint8_t copy[IP_HDR_MAX];
		memcpy(copy, h, len);
		if (hc != recompute(copy, len))
			wrong++;
	}
	CU_ASSERT_EQUAL(wrong, 0);
	ip_set(h, IP_CHECKSUM, hc);
	CU_ASSERT_EQUAL(inet_checksum(h, len), 0);
}

/* RFC 1624 section 4: the other words of the header sum to 0xcd7a, and
   the word m = 0x5555 (here, the identification) becomes m' = 0x3285. */
static void rfc1624_corner_case_gives_plus_zero(void)
{
	uint8_t h[IP_HDR_MIN] = {
		0x45, 0x00, 0x00, 0x54,   /* version 4, IHL 5, total length 84 */
		0x55, 0x55, 0x40, 0x00,   /* identification 0x5555, DF */
		0x40, 0x01, 0x00, 0x00,   /* TTL 64, ICMP, checksum (below) */
		0x0a, 0x00, 0x00, 0x01,   /* 10.0.0.1 */
		0x0a, 0x00, 0xf4, 0x23,   /* 10.0.244.35 */
	};
	uint16_t hc = recompute(h, sizeof h);
	CU_ASSERT_EQUAL_FATAL(hc, 0xdd2f);
	uint16_t m = 0x5555, m2 = 0x3285;
	ip_set(h, IP_ID, m2);
	CU_ASSERT_EQUAL(recompute(h, sizeof h), 0x0000);
	/* RFC 1141: HC' = HC + m + ~m', with the carries added back in. */
	uint32_t s = (uint32_t)hc + m + (uint16_t)~m2;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	CU_ASSERT_EQUAL(s, 0xffff);
	CU_ASSERT_EQUAL(csum_update16(hc, m, m2), 0x0000);
}

static void ttl_decrement_keeps_random_headers_valid(void)
{
	struct rng g;
	rng_seed(&g, 791);
	int wrong_ttl = 0, invalid = 0, not_recomputed = 0, disturbed = 0;
	for (int i = 0; i < 20000; i++) {
		uint8_t h[IP_HDR_MAX], before[IP_HDR_MAX];
		size_t len = random_header(&g, h, 5 + (unsigned)rng_below(&g, 11));
		memcpy(before, h, len);
		uint32_t ttl = ip_get(h, IP_TTL);
		ip_decrement_ttl(h);
		if (ip_get(h, IP_TTL) != ttl - 1)
			wrong_ttl++;
		if (inet_checksum(h, len) != 0)
			invalid++;
		uint8_t copy[IP_HDR_MAX];
		memcpy(copy, h, len);
		if (recompute(copy, len) != ip_get(h, IP_CHECKSUM))
			not_recomputed++;
		for (size_t j = 0; j < len; j++)
			if (j != 8 && j != 10 && j != 11 && h[j] != before[j])
				disturbed++;
	}
	CU_ASSERT_EQUAL(wrong_ttl, 0);
	CU_ASSERT_EQUAL(invalid, 0);
	CU_ASSERT_EQUAL(not_recomputed, 0);
	CU_ASSERT_EQUAL(disturbed, 0);
}

static void ttl_decrement_all_the_way_down(void)
{
	struct rng g;
	rng_seed(&g, 255);
	uint8_t h[IP_HDR_MIN];
	random_header(&g, h, 5);
	ip_set(h, IP_TTL, 255);
	recompute(h, sizeof h);
	int invalid = 0;
	for (int ttl = 254; ttl >= 0; ttl--) {
		ip_decrement_ttl(h);
		CU_ASSERT_EQUAL_FATAL(ip_get(h, IP_TTL), (uint32_t)ttl);
		if (inet_checksum(h, sizeof h) != 0)
			invalid++;
	}
	CU_ASSERT_EQUAL(invalid, 0);
	uint8_t before[IP_HDR_MIN];
	memcpy(before, h, sizeof h);
	ip_decrement_ttl(h);                /* TTL 0: left alone */
	CU_ASSERT_EQUAL(memcmp(before, h, sizeof h), 0);
}

/* A header damaged before it reached the router stays damaged, by the
   same amount: an update that recomputed the checksum would hide it. */
static void ttl_decrement_carries_an_error_forward(void)
{
	struct rng g;
	rng_seed(&g, 1812);
	int hidden = 0, wrong_ttl = 0;
	for (int i = 0; i < 2000; i++) {
		uint8_t h[IP_HDR_MAX];
		size_t len = random_header(&g, h, 5 + (unsigned)rng_below(&g, 11));
		size_t at = 12 + rng_below(&g, len - 12);   /* addresses or options */
		h[at] ^= (uint8_t)(1u << rng_below(&g, 8));
		uint16_t error = inet_checksum(h, len);
		CU_ASSERT_NOT_EQUAL_FATAL(error, 0);
		uint32_t ttl = ip_get(h, IP_TTL);
		ip_decrement_ttl(h);
		if (ip_get(h, IP_TTL) != ttl - 1)
			wrong_ttl++;
		if (inet_checksum(h, len) != error)
			hidden++;
	}
	CU_ASSERT_EQUAL(wrong_ttl, 0);
	CU_ASSERT_EQUAL(hidden, 0);
}

static const struct suite_test tests[] = {
	TEST(update_matches_recomputation_on_random_headers),
	TEST(a_chain_of_updates_matches_recomputation),
	TEST(rfc1624_corner_case_gives_plus_zero),
	TEST(ttl_decrement_keeps_random_headers_valid),
	TEST(ttl_decrement_all_the_way_down),
	TEST(ttl_decrement_carries_an_error_forward),
};

int main(void)
{
	return run_suite("exercise 2.1 incremental checksum", tests, sizeof tests / sizeof tests[0]);
}
