/* Exercise 4.1: the suite for SYN cookies. */
#include <stdio.h>
#include <stdlib.h>
#include "suite.h"
#include "syncookie.h"

static const struct sipkey KEY = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
static const uint16_t MSS[COOKIE_NMSS] = COOKIE_MSS_VALUES;

/* A client, 192.0.2.7:40000, opening a connection to 198.51.100.1:80. */
static const struct cookie_tuple T = { 0xc0000207u, 0xc6336401u, 40000, 80 };
static const uint32_t ISN = 0x12345678u;

#define P COOKIE_PERIOD
/* Somewhere in the middle of period 1000 (1000 mod 32 = 8). */
#define NOW (1000 * P + SEC(17))

/* What the listener does with the final ACK of the handshake: that ACK
 * carries SEG.SEQ = the client's ISN + 1 and SEG.ACK = the cookie + 1. */
static uint16_t check(const struct sipkey *k, const struct cookie_tuple *t,
                      uint32_t isn, uint32_t cookie, usec_t now)
{
	return cookie_check(k, t, isn + 1, cookie + 1, now);
}

static uint16_t made_and_checked(const struct cookie_tuple *t, uint32_t isn,
                                 uint16_t mss, usec_t made, usec_t checked)
{
	return check(&KEY, t, isn, cookie_make(&KEY, t, isn, mss, made), checked);
}

static uint32_t next_random(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*x >> 32);
}

static void random_tuple(uint64_t *x, struct cookie_tuple *t)
{
	t->saddr = next_random(x);
	t->daddr = next_random(x);
	t->sport = (uint16_t)next_random(x);
	t->dport = (uint16_t)next_random(x);
}

/* Every entry of the table comes back as it went in, for all sorts of
 * tuples and client ISNs, those next to the wrap of 2^32 included. */
static void round_trip_for_each_table_mss(void)
{
	const uint32_t isns[] = { ISN, 0, 1, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu };
	uint64_t x = 4101;
	int wrong = 0;
	for (int i = 0; i < COOKIE_NMSS; i++) {
		CU_ASSERT_EQUAL(made_and_checked(&T, ISN, MSS[i], NOW, NOW), MSS[i]);
		for (size_t j = 0; j < sizeof isns / sizeof isns[0]; j++)
			if (made_and_checked(&T, isns[j], MSS[i], NOW, NOW) != MSS[i])
				wrong++;
		for (int j = 0; j < 200; j++) {
			struct cookie_tuple t;
			random_tuple(&x, &t);
			uint32_t isn = next_random(&x);
			usec_t now = (usec_t)next_random(&x) * 1000 + next_random(&x) % 1000;
			if (made_and_checked(&t, isn, MSS[i], now, now) != MSS[i])
				wrong++;
		}
	}
	CU_ASSERT_EQUAL(wrong, 0);
}

/* A client MSS between two entries is rounded down to the lower one (the
 * client must never receive segments larger than it asked for); one below
 * the table gets its first entry; one above gets its last. */
static void client_mss_is_rounded_down_to_the_table(void)
{
	static const struct { uint16_t client, encoded; } cases[] = {
		{ 0, 536 }, { 1, 536 }, { 200, 536 }, { 535, 536 },
		{ 536, 536 }, { 537, 536 }, { 1000, 536 }, { 1299, 536 },
		{ 1300, 1300 }, { 1301, 1300 }, { 1400, 1300 }, { 1439, 1300 },
		{ 1440, 1440 }, { 1441, 1440 }, { 1459, 1440 },
		{ 1460, 1460 }, { 1461, 1460 }, { 8960, 1460 }, { 65535, 1460 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint16_t got = made_and_checked(&T, ISN, cases[i].client, NOW, NOW);
		if (got != cases[i].encoded)
			printf("\n  client MSS %u came back as %u, should be %u\n",
			       (unsigned)cases[i].client, (unsigned)got, (unsigned)cases[i].encoded);
		CU_ASSERT_EQUAL(got, cases[i].encoded);
	}
}

/* Made in period p, a cookie is good from then to the end of period
 * p + 2, wherever in period p it was made. */
static void valid_throughout_its_lifetime(void)
{
	const usec_t p = 1000 * P;
	const usec_t made[] = { p, p + 1, p + SEC(17), p + P - 1 };
	for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
		uint32_t c = cookie_make(&KEY, &T, ISN, 1460, made[i]);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, made[i]), 1460);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, made[i] + 1), 1460);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, p + P - 1), 1460);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, p + P), 1460);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, p + P + SEC(30)), 1460);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, p + 2 * P), 1460);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, p + 3 * P - 1), 1460);
	}
	/* and at the very beginning of time */
	CU_ASSERT_EQUAL(made_and_checked(&T, ISN, 1300, 0, 0), 1300);
	CU_ASSERT_EQUAL(made_and_checked(&T, ISN, 1300, 0, 3 * P - 1), 1300);
}

/* ... and refused from the first microsecond of period p + 3 on. */
static void refused_from_the_moment_it_expires(void)
{
	const usec_t p = 1000 * P;
	const usec_t made[] = { p, p + SEC(17), p + P - 1 };
	for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
		uint32_t c = cookie_make(&KEY, &T, ISN, 1440, made[i]);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, p + 3 * P - 1), 1440);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, p + 3 * P), 0);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, p + 3 * P + 1), 0);
		for (usec_t later = 4; later < 32; later++)
			CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, p + later * P + SEC(5)), 0);
	}
	CU_ASSERT_EQUAL(made_and_checked(&T, ISN, 536, 0, 3 * P - 1), 536);
	CU_ASSERT_EQUAL(made_and_checked(&T, ISN, 536, 0, 3 * P), 0);
}

/* The counter carried in the cookie is the period modulo 32: a cookie
 * made at the end of period 31 of some round must still be good in
 * periods 0 and 1 of the next. */
static void valid_across_the_counter_wrap(void)
{
	const usec_t rounds[] = { 0, 1, 12345 };
	for (size_t i = 0; i < sizeof rounds / sizeof rounds[0]; i++) {
		usec_t next = (rounds[i] + 1) * 32 * P;   /* period 0 of the next round */
		uint32_t c = cookie_make(&KEY, &T, ISN, 1300, next - 1);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, next - 1), 1300);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, next), 1300);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, next + SEC(40)), 1300);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, next + P), 1300);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, next + 2 * P - 1), 1300);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, next + 2 * P), 0);
		/* made in period 30, checked in period 0: the last moment */
		c = cookie_make(&KEY, &T, ISN, 1460, next - P - 1);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, next + P - 1), 1460);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, next + P), 0);
	}
}

/* The counter comes back to the same value every 32 periods (34 min 8 s),
 * but a cookie must not: an ACK captured or guessed once stays useless. */
static void not_valid_again_a_revolution_later(void)
{
	uint32_t c = cookie_make(&KEY, &T, ISN, 1460, NOW);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, NOW), 1460);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, NOW + 2 * P), 1460);
	const usec_t later[] = { 32, 33, 34, 64, 65, 66, 32 * 1000 + 1 };
	for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, NOW + later[i] * P), 0);
	c = cookie_make(&KEY, &T, ISN, 536, 0);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, 0), 536);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, 32 * P), 0);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, 33 * P), 0);
}

/* Nor is a cookie good before the period it was made in (a clock that
 * went back, or a counter read as "31 periods old" the wrong way round). */
static void not_valid_before_it_was_made(void)
{
	uint32_t c = cookie_make(&KEY, &T, ISN, 1460, NOW);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, NOW), 1460);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, 1000 * P - 1), 0);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, 999 * P - 1), 0);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, 970 * P), 0);
	/* made in period 31 and 30, checked in periods 0 and 1 of round 0 */
	c = cookie_make(&KEY, &T, ISN, 1440, 31 * P);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, 31 * P), 1440);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, 0), 0);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, P), 0);
	c = cookie_make(&KEY, &T, ISN, 1440, 30 * P);
	CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, 0), 0);
}

/* The cookie belongs to one connection: change any field of the tuple,
 * or turn it around, and it is worthless. */
static void refused_for_another_tuple(void)
{
	for (int i = 0; i < COOKIE_NMSS; i++) {
		uint32_t c = cookie_make(&KEY, &T, ISN, MSS[i], NOW);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, NOW), MSS[i]);
		struct cookie_tuple u;
		for (int bit = 0; bit < 32; bit++) {
			u = T; u.saddr ^= 1u << bit;
			CU_ASSERT_EQUAL(check(&KEY, &u, ISN, c, NOW), 0);
			u = T; u.daddr ^= 1u << bit;
			CU_ASSERT_EQUAL(check(&KEY, &u, ISN, c, NOW), 0);
		}
		for (int bit = 0; bit < 16; bit++) {
			u = T; u.sport ^= (uint16_t)(1u << bit);
			CU_ASSERT_EQUAL(check(&KEY, &u, ISN, c, NOW), 0);
			u = T; u.dport ^= (uint16_t)(1u << bit);
			CU_ASSERT_EQUAL(check(&KEY, &u, ISN, c, NOW), 0);
		}
		u = T; u.saddr++;
		CU_ASSERT_EQUAL(check(&KEY, &u, ISN, c, NOW), 0);
		u = T; u.sport++;
		CU_ASSERT_EQUAL(check(&KEY, &u, ISN, c, NOW), 0);
		u = T; u.saddr = T.daddr; u.daddr = T.saddr;
		CU_ASSERT_EQUAL(check(&KEY, &u, ISN, c, NOW), 0);
		u = T; u.sport = T.dport; u.dport = T.sport;
		CU_ASSERT_EQUAL(check(&KEY, &u, ISN, c, NOW), 0);
		u.saddr = T.daddr; u.daddr = T.saddr;           /* both */
		CU_ASSERT_EQUAL(check(&KEY, &u, ISN, c, NOW), 0);
	}
}

/* ... and to one SYN: the final ACK's SEG.SEQ - 1 must be the ISN the SYN
 * carried. */
static void refused_for_another_client_isn(void)
{
	for (int i = 0; i < COOKIE_NMSS; i++) {
		uint32_t c = cookie_make(&KEY, &T, ISN, MSS[i], NOW);
		CU_ASSERT_EQUAL(cookie_check(&KEY, &T, ISN + 1, c + 1, NOW), MSS[i]);
		CU_ASSERT_EQUAL(cookie_check(&KEY, &T, ISN, c + 1, NOW), 0);       /* SEQ not ISN + 1 */
		CU_ASSERT_EQUAL(cookie_check(&KEY, &T, ISN + 2, c + 1, NOW), 0);
		CU_ASSERT_EQUAL(cookie_check(&KEY, &T, ISN + 1, c, NOW), 0);       /* ACK not cookie + 1 */
		CU_ASSERT_EQUAL(cookie_check(&KEY, &T, ISN + 1, c + 2, NOW), 0);
		for (int bit = 0; bit < 32; bit++)
			CU_ASSERT_EQUAL(check(&KEY, &T, ISN ^ (1u << bit), c, NOW), 0);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN + 0x10000u, c, NOW), 0);
	}
	/* the client's ISN next to the wrap */
	uint32_t c = cookie_make(&KEY, &T, 0xffffffffu, 1460, NOW);
	CU_ASSERT_EQUAL(cookie_check(&KEY, &T, 0, c + 1, NOW), 1460);
	CU_ASSERT_EQUAL(cookie_check(&KEY, &T, 0xffffffffu, c + 1, NOW), 0);
	CU_ASSERT_EQUAL(cookie_check(&KEY, &T, 1, c + 1, NOW), 0);
}

/* Flip any one bit of a good cookie and it must be refused: not merely
 * almost always, but for every cookie, because the design makes it so. */
static void no_single_bit_flip_validates(void)
{
	uint64_t x = 4102;
	int good = 0, flips_accepted = 0, tried = 0;
	for (int n = 0; n < 1000; n++) {
		struct cookie_tuple t;
		random_tuple(&x, &t);
		uint32_t isn = next_random(&x);
		uint16_t mss = MSS[n % COOKIE_NMSS];
		usec_t made = (usec_t)next_random(&x) * 1000;
		usec_t now = made + (usec_t)(n % 3) * P;
		uint32_t c = cookie_make(&KEY, &t, isn, mss, made);
		if (check(&KEY, &t, isn, c, now) == mss)
			good++;
		for (int bit = 0; bit < 32; bit++) {
			tried++;
			if (check(&KEY, &t, isn, c ^ (1u << bit), now) != 0 && flips_accepted++ == 0)
				printf("\n  cookie %#x with bit %d flipped was accepted\n", (unsigned)c, bit);
		}
	}
	CU_ASSERT_EQUAL(good, 1000);
	CU_ASSERT_EQUAL(tried, 32000);
	CU_ASSERT_EQUAL(flips_accepted, 0);
}

/* Nor any two bits: a parity bit alone would stop every single flip, so
 * this is what shows that the hash really covers the MSS index and the
 * counter (flip one of their bits and the parity bit, and only the hash
 * stands in the way). Nobody may raise his MSS, or make his cookie
 * younger, without the key. */
static void no_two_bit_flip_validates(void)
{
	uint64_t x = 4104;
	int good = 0, flips_accepted = 0, tried = 0;
	for (int n = 0; n < 200; n++) {
		struct cookie_tuple t;
		random_tuple(&x, &t);
		uint32_t isn = next_random(&x);
		uint16_t mss = MSS[n % COOKIE_NMSS];
		usec_t made = (usec_t)next_random(&x) * 1000;
		usec_t now = made + (usec_t)(n % 3) * P;
		uint32_t c = cookie_make(&KEY, &t, isn, mss, made);
		if (check(&KEY, &t, isn, c, now) == mss)
			good++;
		for (int b1 = 0; b1 < 32; b1++)
			for (int b2 = b1 + 1; b2 < 32; b2++) {
				uint32_t f = c ^ (1u << b1) ^ (1u << b2);
				tried++;
				if (check(&KEY, &t, isn, f, now) != 0 && flips_accepted++ == 0)
					printf("\n  cookie %#x with bits %d and %d flipped was accepted\n",
					       (unsigned)c, b1, b2);
			}
	}
	CU_ASSERT_EQUAL(good, 200);
	CU_ASSERT_EQUAL(tried, 200 * 496);
	CU_ASSERT_EQUAL(flips_accepted, 0);
}

/* A different secret, even by one bit, makes different cookies. */
static void refused_under_another_key(void)
{
	for (int i = 0; i < COOKIE_NMSS; i++) {
		uint32_t c = cookie_make(&KEY, &T, ISN, MSS[i], NOW);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, c, NOW), MSS[i]);
		for (int bit = 0; bit < 64; bit++) {
			struct sipkey k = KEY;
			k.k0 ^= 1ULL << bit;
			CU_ASSERT_EQUAL(check(&k, &T, ISN, c, NOW), 0);
			k = KEY;
			k.k1 ^= 1ULL << bit;
			CU_ASSERT_EQUAL(check(&k, &T, ISN, c, NOW), 0);
		}
		const struct sipkey other = { 0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL };
		CU_ASSERT_EQUAL(check(&other, &T, ISN, c, NOW), 0);
		uint32_t d = cookie_make(&other, &T, ISN, MSS[i], NOW);
		CU_ASSERT_EQUAL(check(&other, &T, ISN, d, NOW), MSS[i]);
		CU_ASSERT_EQUAL(check(&KEY, &T, ISN, d, NOW), 0);
		CU_ASSERT_NOT_EQUAL(c, d);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Counts, for each of the 32 bits, how many of the n cookies have it set,
 * and how many cookies repeat an earlier one. */
static void bit_census(uint32_t *c, int n, const char *what, int *unbalanced, int *repeats)
{
	for (int bit = 0; bit < 32; bit++) {
		int ones = 0;
		for (int i = 0; i < n; i++)
			ones += (c[i] >> bit) & 1;
		/* n / 2 +- 10 standard deviations (sqrt(n) / 2 = 50 for 10,000) */
		if (ones < n / 2 - 500 || ones > n / 2 + 500) {
			if ((*unbalanced)++ == 0)
				printf("\n  %s: bit %d set in %d of %d cookies\n", what, bit, ones, n);
		}
	}
	qsort(c, (size_t)n, sizeof c[0], cmp_u32);
	for (int i = 1; i < n; i++)
		if (c[i] == c[i - 1])
			(*repeats)++;
}

/* Cookies are our ISNs, and ISNs must be unpredictable (RFC 6528): each
 * of their 32 bits, the ones carrying the counter and the MSS included,
 * must look like a coin toss to an outsider, even when the connections
 * differ only by the client's port or by its ISN, and all are made in the
 * same second with the same MSS. */
#define NCOOKIES 10000
static void cookies_of_different_tuples_have_balanced_bits(void)
{
	static uint32_t c[NCOOKIES];
	int unbalanced = 0, repeats = 0, good = 0;
	for (int i = 0; i < NCOOKIES; i++) {         /* successive client ports */
		struct cookie_tuple t = T;
		t.sport = (uint16_t)(20000 + i);
		c[i] = cookie_make(&KEY, &t, ISN, 1460, NOW);
		good += check(&KEY, &t, ISN, c[i], NOW) == 1460;
	}
	bit_census(c, NCOOKIES, "successive ports", &unbalanced, &repeats);
	for (int i = 0; i < NCOOKIES; i++) {         /* successive client ISNs */
		c[i] = cookie_make(&KEY, &T, ISN + (uint32_t)i, 536, NOW);
		good += check(&KEY, &T, ISN + (uint32_t)i, c[i], NOW) == 536;
	}
	bit_census(c, NCOOKIES, "successive ISNs", &unbalanced, &repeats);
	for (int i = 0; i < NCOOKIES; i++) {         /* successive client addresses */
		struct cookie_tuple t = T;
		t.saddr = 0x0a000000u + (uint32_t)i;
		c[i] = cookie_make(&KEY, &t, ISN, 1300, NOW);
		good += check(&KEY, &t, ISN, c[i], NOW) == 1300;
	}
	bit_census(c, NCOOKIES, "successive addresses", &unbalanced, &repeats);
	CU_ASSERT_EQUAL(good, 3 * NCOOKIES);
	CU_ASSERT_EQUAL(unbalanced, 0);
	/* 10,000 random 32-bit numbers repeat one with probability ~1 % */
	CU_ASSERT_TRUE(repeats <= 2);
}

/* An attacker who cannot see our SYN-ACKs can only guess. With one valid
 * cookie for each (period still accepted, MSS) pair, a guess succeeds with
 * probability 12 / 2^32: a million guesses should all fail. */
static void blind_guesses_fail(void)
{
	uint64_t x = 4103;
	int accepted = 0;
	CU_ASSERT_EQUAL(made_and_checked(&T, ISN, 1460, NOW, NOW), 1460);
	for (int i = 0; i < 1000000; i++) {
		uint32_t isn = next_random(&x), guess = next_random(&x);
		if (check(&KEY, &T, isn, guess, NOW) != 0)
			accepted++;
	}
	CU_ASSERT_EQUAL(accepted, 0);
}

static const struct suite_test tests[] = {
	TEST(round_trip_for_each_table_mss),
	TEST(client_mss_is_rounded_down_to_the_table),
	TEST(valid_throughout_its_lifetime),
	TEST(refused_from_the_moment_it_expires),
	TEST(valid_across_the_counter_wrap),
	TEST(not_valid_again_a_revolution_later),
	TEST(not_valid_before_it_was_made),
	TEST(refused_for_another_tuple),
	TEST(refused_for_another_client_isn),
	TEST(no_single_bit_flip_validates),
	TEST(no_two_bit_flip_validates),
	TEST(refused_under_another_key),
	TEST(cookies_of_different_tuples_have_balanced_bits),
	TEST(blind_guesses_fail),
};

int main(void)
{
	return run_suite("exercise 4.1 SYN cookies", tests, sizeof tests / sizeof tests[0]);
}
