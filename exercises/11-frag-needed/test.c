/* Exercise 11.2: the suite for believing a frag-needed message. */
#include <stdio.h>
#include "suite.h"
#include "frag_needed.h"

/* A connection of MSS 1460 with 40 bytes of headers, a floor of 552,
 * and a flight of 10,000 bytes from `una`. */
#define CONN(una) { .snd_una = (una), .snd_nxt = (una) + 10000u, .mss = 1460, \
		    .hdrs = 40, .floor = 552 }

#define CHECK(conn, seq, mtu, qlen, want) do { \
	struct pmtu_conn c_ = conn; \
	uint16_t got_ = pmtu_frag_needed(&c_, (seq), (mtu), (qlen)); \
	if (got_ != (want)) \
		printf("\n  line %d: SND.UNA %u, seq %u, MTU %u, quoted length %u: got %u, want %u\n", \
		       __LINE__, (unsigned)c_.snd_una, (unsigned)(seq), (unsigned)(mtu), \
		       (unsigned)(qlen), (unsigned)got_, (unsigned)(want)); \
	CU_ASSERT_EQUAL(got_, (want)); \
} while (0)

static void the_plateaus_of_rfc_1191(void)
{
	CU_ASSERT_EQUAL(pmtu_plateau_below(1500), 1492);
	CU_ASSERT_EQUAL(pmtu_plateau_below(1492), 1006);
	CU_ASSERT_EQUAL(pmtu_plateau_below(1493), 1492);
	CU_ASSERT_EQUAL(pmtu_plateau_below(1006), 508);
	CU_ASSERT_EQUAL(pmtu_plateau_below(576), 508);
	CU_ASSERT_EQUAL(pmtu_plateau_below(65535), 32000);
	CU_ASSERT_EQUAL(pmtu_plateau_below(65536), 65535);
	CU_ASSERT_EQUAL(pmtu_plateau_below(297), 296);
	CU_ASSERT_EQUAL(pmtu_plateau_below(69), 68);
	CU_ASSERT_EQUAL(pmtu_plateau_below(68), 68);
	CU_ASSERT_EQUAL(pmtu_plateau_below(0), 68);
}

static void a_message_about_our_flight_lowers_the_mss(void)
{
	CHECK(CONN(1000), 1000, 1280, 1500, 1240);          /* the first byte in flight */
	CHECK(CONN(1000), 1000 + 9999, 1280, 1500, 1240);   /* the last */
	CHECK(CONN(1000), 5000, 1400, 1500, 1360);
	CHECK(CONN(1000), 5000, 1499, 1500, 1459);          /* one byte less */
}

static void a_sequence_number_outside_the_flight_is_ignored(void)
{
	CHECK(CONN(1000), 999, 1280, 1500, 0);              /* before SND.UNA */
	CHECK(CONN(1000), 1000 + 10000, 1280, 1500, 0);     /* SND.NXT: carried nothing */
	CHECK(CONN(1000), 1000 + 10001, 1280, 1500, 0);
	CHECK(CONN(1000), 0x80000000u, 1280, 1500, 0);
}

/* SND.UNA just below 2^32: the flight wraps, and a plain < fails. */
static void the_flight_is_compared_modulo_2_32(void)
{
	CHECK(CONN(0xfffff000u), 0xfffff000u, 1280, 1500, 1240);
	CHECK(CONN(0xfffff000u), 0x00000100u, 1280, 1500, 1240);   /* past the wrap */
	CHECK(CONN(0xfffff000u), 0x00001710u, 1280, 1500, 0);      /* SND.NXT */
	CHECK(CONN(0xfffff000u), 0xffffefffu, 1280, 1500, 0);      /* before SND.UNA */
}

static void a_datagram_that_fitted_is_not_believed(void)
{
	CHECK(CONN(1000), 1000, 1280, 1280, 0);             /* it fitted exactly */
	CHECK(CONN(1000), 1000, 1280, 600, 0);
	CHECK(CONN(1000), 1000, 1280, 1281, 1240);
}

static void never_up_nor_the_same_again(void)
{
	CHECK(CONN(1000), 1000, 1500, 1600, 0);             /* what we send already */
	CHECK(CONN(1000), 1000, 9000, 9100, 0);             /* larger */
	struct pmtu_conn c = CONN(1000);
	c.mss = 1240;
	CHECK(c, 1000, 1280, 1500, 0);                      /* a second message, no news */
	CHECK(c, 1000, 1279, 1500, 1239);
}

static void an_old_router_gets_the_plateau_below_the_datagram(void)
{
	CHECK(CONN(1000), 1000, 0, 1500, 1452);             /* 1492 - 40 */
	struct pmtu_conn c = CONN(1000);
	c.mss = 1452;
	CHECK(c, 1000, 0, 1492, 966);                       /* 1006 - 40 */
	c.hdrs = 52;
	c.mss = 1440;
	CHECK(c, 1000, 0, 1492, 954);                       /* with timestamps */
}

static void the_floor_bounds_a_tiny_mtu(void)
{
	CHECK(CONN(1000), 1000, 68, 1500, 512);             /* 552 - 40 */
	CHECK(CONN(1000), 1000, 300, 1500, 512);
	CHECK(CONN(1000), 1000, 0, 1006, 512);              /* plateau 508, then the floor */
	struct pmtu_conn c = CONN(1000);
	c.mss = 512;
	CHECK(c, 1000, 68, 552, 0);                         /* at the floor already */
	c.floor = 68;
	CHECK(c, 1000, 296, 552, 256);                      /* a stack with RFC 1191's floor */
}

static const struct suite_test tests[] = {
	TEST(the_plateaus_of_rfc_1191),
	TEST(a_message_about_our_flight_lowers_the_mss),
	TEST(a_sequence_number_outside_the_flight_is_ignored),
	TEST(the_flight_is_compared_modulo_2_32),
	TEST(a_datagram_that_fitted_is_not_believed),
	TEST(never_up_nor_the_same_again),
	TEST(an_old_router_gets_the_plateau_below_the_datagram),
	TEST(the_floor_bounds_a_tiny_mtu),
};

int main(void)
{
	return run_suite("exercise 11.2 frag-needed", tests, sizeof tests / sizeof tests[0]);
}
