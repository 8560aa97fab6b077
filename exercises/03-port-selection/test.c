/* Exercise 3.2: the suite for double-hash port selection. */
#include "suite.h"
#include "portsel.h"

#define LO 32768
#define HI 60999
#define LADDR 0x0a000001u      /* 10.0.0.1 */

static const struct sipkey K1 = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
static const struct sipkey K2 = { 0x1716151413121110ULL, 0x1f1e1d1c1b1a1918ULL };

/* The hashes as portsel.h defines them, to predict what the picks are. */
static uint64_t hash(const struct sipkey *k, uint32_t laddr, uint32_t raddr, uint16_t rport)
{
	uint8_t b[10] = {
		(uint8_t)(laddr >> 24), (uint8_t)(laddr >> 16), (uint8_t)(laddr >> 8), (uint8_t)laddr,
		(uint8_t)(raddr >> 24), (uint8_t)(raddr >> 16), (uint8_t)(raddr >> 8), (uint8_t)raddr,
		(uint8_t)(rport >> 8), (uint8_t)rport,
	};
	return siphash(k, b, sizeof b);
}

static unsigned bucket(uint32_t raddr, uint16_t rport)
{
	return (unsigned)(hash(&K2, LADDR, raddr, rport) % PORTSEL_TABLE);
}

static uint16_t after(const struct portsel *ps, uint16_t port)   /* the next port, round the range */
{
	return port == ps->hi ? ps->lo : (uint16_t)(port + 1);
}

static bool never(uint16_t port, void *arg)
{
	(void)port;
	(void)arg;
	return false;
}

struct ports {                 /* a set of ports, and a log of questions */
	bool taken[65536];
	unsigned asked[65536];
	unsigned calls;
};

static bool lookup(uint16_t port, void *arg)
{
	struct ports *p = arg;
	p->asked[port]++;
	p->calls++;
	return p->taken[port];
}

static bool always(uint16_t port, void *arg)
{
	lookup(port, arg);
	return true;
}

static uint16_t pick(struct portsel *ps, uint32_t raddr, uint16_t rport)
{
	return portsel_pick(ps, LADDR, raddr, rport, never, NULL);
}

static void first_port_is_lo_plus_the_offset(void)
{
	int wrong = 0;
	for (uint32_t i = 0; i < 100; i++) {
		struct portsel ps;
		uint32_t raddr = 0xc0000200u + i;
		uint16_t rport = (uint16_t)(80 + 363 * i);
		portsel_init(&ps, LO, HI, K1, K2);
		uint16_t want = (uint16_t)(LO + hash(&K1, LADDR, raddr, rport) % (HI - LO + 1));
		if (pick(&ps, raddr, rport) != want)
			wrong++;
	}
	CU_ASSERT_EQUAL(wrong, 0);
}

static void ports_stay_in_the_range(void)
{
	static const uint16_t range[][2] = { { LO, HI }, { 50000, 50006 }, { 7777, 7777 }, { 1, 65535 }, { 65530, 65535 } };
	for (size_t r = 0; r < sizeof range / sizeof range[0]; r++) {
		struct portsel ps;
		portsel_init(&ps, range[r][0], range[r][1], K1, K2);
		int outside = 0;
		for (uint32_t i = 0; i < 3000; i++) {
			uint16_t port = pick(&ps, 0xc6336400u + i % 37, (uint16_t)(443 + i % 11));
			if (port < range[r][0] || port > range[r][1] || port == 0)
				outside++;
		}
		CU_ASSERT_EQUAL(outside, 0);
	}
}

static void never_returns_a_port_in_use(void)
{
	static struct ports p;
	memset(&p, 0, sizeof p);
	struct portsel ps;
	portsel_init(&ps, 40000, 40099, K1, K2);
	uint64_t x = 99;
	for (unsigned port = 40000; port <= 40099; port++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		p.taken[port] = (x >> 40) % 3 != 0;    /* two in three taken */
	}
	int bad = 0;
	for (uint32_t i = 0; i < 500; i++) {
		uint16_t port = portsel_pick(&ps, LADDR, 0x08080000u + i, 53, lookup, &p);
		if (port < 40000 || port > 40099 || p.taken[port])
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);

	/* a port found taken is passed over, and the counter goes past it */
	portsel_init(&ps, LO, HI, K1, K2);
	memset(&p, 0, sizeof p);
	uint16_t a = portsel_pick(&ps, LADDR, 0x08080808u, 53, lookup, &p);
	CU_ASSERT_NOT_EQUAL_FATAL(a, 0);
	p.taken[after(&ps, a)] = p.taken[after(&ps, after(&ps, a))] = true;
	uint16_t b = portsel_pick(&ps, LADDR, 0x08080808u, 53, lookup, &p);
	CU_ASSERT_EQUAL(b, after(&ps, after(&ps, after(&ps, a))));
	memset(p.taken, 0, sizeof p.taken);
	CU_ASSERT_EQUAL(portsel_pick(&ps, LADDR, 0x08080808u, 53, lookup, &p), after(&ps, b));
}

static void all_in_use_tries_each_once_then_gives_0(void)
{
	static struct ports p;
	static const uint16_t range[][2] = { { 40000, 40009 }, { 9, 9 }, { LO, HI }, { 65500, 65535 } };
	for (size_t r = 0; r < sizeof range / sizeof range[0]; r++) {
		struct portsel ps;
		portsel_init(&ps, range[r][0], range[r][1], K1, K2);
		memset(&p, 0, sizeof p);
		CU_ASSERT_EQUAL(portsel_pick(&ps, LADDR, 0xc0a80001u, 22, always, &p), 0);
		unsigned n = (unsigned)range[r][1] - range[r][0] + 1, once = 0, other = 0;
		for (unsigned port = 0; port < 65536; port++) {
			if (port >= range[r][0] && port <= range[r][1])
				once += p.asked[port] == 1;
			else
				other += p.asked[port];
		}
		CU_ASSERT_EQUAL(p.calls, n);
		CU_ASSERT_EQUAL(once, n);
		CU_ASSERT_EQUAL(other, 0);
	}
}

static void one_destination_gets_successive_ports(void)
{
	static const uint16_t range[][2] = { { LO, HI }, { 50000, 50006 }, { 65530, 65535 } };
	for (size_t r = 0; r < sizeof range / sizeof range[0]; r++) {
		struct portsel ps;
		portsel_init(&ps, range[r][0], range[r][1], K1, K2);
		uint16_t prev = pick(&ps, 0x5db8d822u, 80);
		CU_ASSERT_NOT_EQUAL(prev, 0);
		int broken = 0;
		for (int i = 0; i < 40; i++) {        /* round the small ranges */
			uint16_t port = pick(&ps, 0x5db8d822u, 80);
			if (port != after(&ps, prev))
				broken++;
			prev = port;
		}
		CU_ASSERT_EQUAL(broken, 0);
	}
}

/* Search for a destination whose bucket is (or is not) that of
 * (raddr, rport): the same server, another port. */
static uint16_t other_port(uint32_t raddr, uint16_t rport, bool same_bucket)
{
	for (uint16_t p = (uint16_t)(rport + 1); p != rport; p++)
		if ((bucket(raddr, p) == bucket(raddr, rport)) == same_bucket)
			return p;
	return 0;
}

static void other_buckets_keep_their_own_counters(void)
{
	const uint32_t a = 0x8efa4a0eu;
	const uint16_t pa = 443;
	uint16_t pb = other_port(a, pa, false);
	CU_ASSERT_NOT_EQUAL_FATAL(pb, 0);
	struct portsel ps;
	portsel_init(&ps, LO, HI, K1, K2);
	uint16_t a0 = pick(&ps, a, pa);
	uint16_t b0 = pick(&ps, a, pb);
	for (int i = 0; i < 10; i++)
		pick(&ps, a, pb);
	uint16_t a1 = pick(&ps, a, pa);
	CU_ASSERT_NOT_EQUAL(a0, 0);
	CU_ASSERT_EQUAL(a1, after(&ps, a0));     /* B's connections left no trace */
	uint16_t b11 = pick(&ps, a, pb);
	uint16_t want = b0;
	for (int i = 0; i < 11; i++)
		want = after(&ps, want);
	CU_ASSERT_EQUAL(b11, want);              /* nor A's on B */
}

static void one_bucket_shares_its_counter(void)
{
	const uint32_t a = 0x8efa4a0eu;
	const uint16_t pa = 443;
	uint16_t pc = other_port(a, pa, true);
	CU_ASSERT_NOT_EQUAL_FATAL(pc, 0);
	struct portsel ps;
	portsel_init(&ps, LO, HI, K1, K2);
	uint16_t a0 = pick(&ps, a, pa);
	for (int i = 0; i < 3; i++)
		pick(&ps, a, pc);
	uint16_t a1 = pick(&ps, a, pa);
	CU_ASSERT_NOT_EQUAL(a0, 0);
	/* C's three connections moved A's counter by three */
	CU_ASSERT_EQUAL(a1, after(&ps, after(&ps, after(&ps, after(&ps, a0)))));
}

static void the_same_keys_give_the_same_ports(void)
{
	struct portsel one, two, three;
	struct sipkey k3 = K1;
	k3.k0 ^= 1;
	portsel_init(&one, LO, HI, K1, K2);
	portsel_init(&two, LO, HI, K1, K2);
	portsel_init(&three, LO, HI, k3, K2);
	int differ = 0, differ3 = 0, zero = 0;
	for (uint32_t i = 0; i < 300; i++) {
		uint32_t raddr = 0xac100000u + i % 7;
		uint16_t rport = (uint16_t)(8000 + i % 5);
		uint16_t p1 = pick(&one, raddr, rport), p2 = pick(&two, raddr, rport);
		uint16_t p3 = pick(&three, raddr, rport);
		differ += p1 != p2;
		differ3 += p1 != p3;
		zero += p1 == 0;
	}
	CU_ASSERT_EQUAL(zero, 0);
	CU_ASSERT_EQUAL(differ, 0);
	CU_ASSERT_TRUE(differ3 > 250);   /* another secret, other ports */
}

static const struct suite_test tests[] = {
	TEST(first_port_is_lo_plus_the_offset),
	TEST(ports_stay_in_the_range),
	TEST(never_returns_a_port_in_use),
	TEST(all_in_use_tries_each_once_then_gives_0),
	TEST(one_destination_gets_successive_ports),
	TEST(other_buckets_keep_their_own_counters),
	TEST(one_bucket_shares_its_counter),
	TEST(the_same_keys_give_the_same_ports),
};

int main(void)
{
	return run_suite("exercise 3.2 port selection", tests, sizeof tests / sizeof tests[0]);
}
