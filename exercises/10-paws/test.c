/* Exercise 10.1: the suite for the PAWS test. */
#include <stdio.h>
#include "suite.h"
#include "paws.h"

#define DAY (24ull * 3600 * 1000)
#define NOW (100 * DAY)             /* the clock of the tests, in ms */

static const char *name(enum paws_verdict v)
{
	switch (v) {
	case PAWS_ACCEPT: return "PAWS_ACCEPT";
	case PAWS_STALE: return "PAWS_STALE";
	case PAWS_DROP_ACK: return "PAWS_DROP_ACK";
	case PAWS_DROP: return "PAWS_DROP";
	}
	return "(not a verdict)";
}

/* Checks one segment against TS.Recent = recent, set `age` ms ago, and
 * what TS.Recent is afterwards. */
#define CHECK(recent, age, seg, want, want_recent) do { \
	struct paws p_ = { (recent), NOW - (age), 0 }; \
	struct paws_seg s_ = seg; \
	enum paws_verdict got_ = paws_check(&p_, &s_, NOW); \
	if (got_ != (want) || p_.ts_recent != (uint32_t)(want_recent)) \
		printf("\n  line %d: TS.Recent %#x, TSval %#x: got %s, TS.Recent %#x; want %s, %#x\n", \
		       __LINE__, (unsigned)(recent), (unsigned)s_.tsval, name(got_), \
		       (unsigned)p_.ts_recent, name(want), (unsigned)(want_recent)); \
	CU_ASSERT_EQUAL(got_, (want)); \
	CU_ASSERT_EQUAL(p_.ts_recent, (uint32_t)(want_recent)); \
} while (0)

#define TS(v) { .ts = true, .tsval = (v), .seq = 1000 }

static void newer_or_equal_timestamps_are_accepted(void)
{
	CHECK(5000, 10, TS(5000), PAWS_ACCEPT, 5000);      /* the same tick: not older */
	CHECK(5000, 10, TS(5001), PAWS_ACCEPT, 5000);
	CHECK(5000, 10, TS(900000), PAWS_ACCEPT, 5000);    /* paws_check does not update */
}

static void an_older_timestamp_is_dropped_and_acknowledged(void)
{
	CHECK(5000, 10, TS(4999), PAWS_DROP_ACK, 5000);
	CHECK(5000, 10, TS(0), PAWS_DROP_ACK, 5000);
	CHECK(0x12345678u, DAY, TS(0x12345000u), PAWS_DROP_ACK, 0x12345678u);
}

/* TS.Recent just below 2^32, a TSval just past 0: the peer's clock has
 * wrapped (or started near the top, as a random offset may), and the
 * TSval is newer. A plain < gets both of these wrong. */
static void comparison_is_modulo_2_32(void)
{
	CHECK(0xfffffff0u, 10, TS(0x00000005u), PAWS_ACCEPT, 0xfffffff0u);
	CHECK(0x00000005u, 10, TS(0xfffffff0u), PAWS_DROP_ACK, 0x00000005u);
	/* less than 2^31 ahead is newer, more than 2^31 ahead is older */
	CHECK(1, 10, TS(0x7fffffffu), PAWS_ACCEPT, 1);
	CHECK(1, 10, TS(0x80000002u), PAWS_DROP_ACK, 1);
	CHECK(0x90000000u, 10, TS(0x0fffffffu), PAWS_ACCEPT, 0x90000000u);   /* 2^31 - 1 ahead */
	CHECK(0x90000000u, 10, TS(0x10000001u), PAWS_DROP_ACK, 0x90000000u); /* 2^31 + 1 ahead */
	CHECK(0x10000001u, 10, TS(0x90000002u), PAWS_DROP_ACK, 0x10000001u);
}

static void a_reset_is_exempt_and_a_segment_without_the_option_is_dropped(void)
{
	struct paws_seg rst_old = { .ts = true, .rst = true, .tsval = 1 };
	CHECK(5000, 10, rst_old, PAWS_ACCEPT, 5000);
	struct paws_seg rst_bare = { .rst = true };
	CHECK(5000, 10, rst_bare, PAWS_ACCEPT, 5000);
	struct paws_seg bare = { .ts = false, .tsval = 9999 };
	CHECK(5000, 10, bare, PAWS_DROP, 5000);
	/* even when TS.Recent is stale: there is no TSval to take */
	CHECK(5000, 30 * DAY, bare, PAWS_DROP, 5000);
	/* a stale TS.Recent does not matter to a reset */
	CHECK(5000, 30 * DAY, rst_old, PAWS_ACCEPT, 5000);
}

static void after_24_days_idle_ts_recent_is_replaced(void)
{
	CHECK(5000, 24 * DAY + 1, TS(10), PAWS_STALE, 10);
	CHECK(5000, 40 * DAY, TS(900000), PAWS_STALE, 900000);
	/* exactly 24 days is not yet more than 24 days */
	CHECK(5000, 24 * DAY, TS(10), PAWS_DROP_ACK, 5000);
	CHECK(5000, 24 * DAY - 1, TS(10), PAWS_DROP_ACK, 5000);
	/* and the time of the update is now */
	struct paws p = { 5000, NOW - 25 * DAY, 0 };
	struct paws_seg s = TS(10);
	CU_ASSERT_EQUAL(paws_check(&p, &s, NOW), PAWS_STALE);
	CU_ASSERT_EQUAL(p.ts_recent_at, NOW);
	/* a clock that ran 100 days, a TS.Recent set on day 1 */
	struct paws q = { 0xfffffff0u, DAY, 0 };
	struct paws_seg t = TS(0xfffffff0u - 1000);
	CU_ASSERT_EQUAL(paws_check(&q, &t, 101 * DAY), PAWS_STALE);
	CU_ASSERT_EQUAL(q.ts_recent, 0xfffffff0u - 1000);
	/* nothing else changes the state */
	struct paws r = { 5000, NOW - 10, 777 };
	struct paws_seg old = TS(4000), young = TS(6000);
	paws_check(&r, &old, NOW);
	paws_check(&r, &young, NOW);
	CU_ASSERT_EQUAL(r.ts_recent, 5000);
	CU_ASSERT_EQUAL(r.ts_recent_at, NOW - 10);
	CU_ASSERT_EQUAL(r.last_ack_sent, 777);
}

/* R3: TS.Recent follows the earliest segment an ACK covers. */
static void ts_recent_is_updated_only_at_or_before_last_ack_sent(void)
{
	struct paws p = { 5000, NOW - 100, 2000 };
	struct paws_seg at = { .ts = true, .tsval = 6000, .seq = 2000 };
	CU_ASSERT_TRUE(paws_accepted(&p, &at, NOW));
	CU_ASSERT_EQUAL(p.ts_recent, 6000);
	CU_ASSERT_EQUAL(p.ts_recent_at, NOW);
	/* beyond Last.ACK.sent (a later segment while an ACK is delayed,
	 * or one beyond a hole): no update */
	struct paws_seg beyond = { .ts = true, .tsval = 7000, .seq = 2100 };
	CU_ASSERT_FALSE(paws_accepted(&p, &beyond, NOW + 5));
	CU_ASSERT_EQUAL(p.ts_recent, 6000);
	CU_ASSERT_EQUAL(p.ts_recent_at, NOW);
	/* before it (a retransmission overlapping what we acknowledged) */
	struct paws_seg before = { .ts = true, .tsval = 8000, .seq = 1500 };
	CU_ASSERT_TRUE(paws_accepted(&p, &before, NOW + 6));
	CU_ASSERT_EQUAL(p.ts_recent, 8000);
	/* an older TSval never moves the echo back */
	struct paws_seg older = { .ts = true, .tsval = 7999, .seq = 2000 };
	CU_ASSERT_FALSE(paws_accepted(&p, &older, NOW + 7));
	CU_ASSERT_EQUAL(p.ts_recent, 8000);
	CU_ASSERT_EQUAL(p.ts_recent_at, NOW + 6);
	/* no option, or a reset: nothing to take */
	struct paws_seg bare = { .ts = false, .tsval = 9000, .seq = 2000 };
	struct paws_seg rst = { .ts = true, .rst = true, .tsval = 9000, .seq = 2000 };
	CU_ASSERT_FALSE(paws_accepted(&p, &bare, NOW + 8));
	CU_ASSERT_FALSE(paws_accepted(&p, &rst, NOW + 8));
	CU_ASSERT_EQUAL(p.ts_recent, 8000);
}

static void the_update_compares_modulo_2_32_too(void)
{
	/* Last.ACK.sent just past 0, the segment just below 2^32: before it */
	struct paws p = { 0xfffffff0u, NOW, 0x10 };
	struct paws_seg s = { .ts = true, .tsval = 0x20, .seq = 0xfffffff8u };
	CU_ASSERT_TRUE(paws_accepted(&p, &s, NOW));
	CU_ASSERT_EQUAL(p.ts_recent, 0x20);
	/* and the other way round: after it */
	struct paws q = { 5000, NOW, 0xfffffff8u };
	struct paws_seg t = { .ts = true, .tsval = 6000, .seq = 0x10 };
	CU_ASSERT_FALSE(paws_accepted(&q, &t, NOW));
	CU_ASSERT_EQUAL(q.ts_recent, 5000);
	/* a TSval wrapped past 0 is newer */
	struct paws r = { 0xffffff00u, NOW, 100 };
	struct paws_seg u = { .ts = true, .tsval = 3, .seq = 100 };
	CU_ASSERT_TRUE(paws_accepted(&r, &u, NOW));
	CU_ASSERT_EQUAL(r.ts_recent, 3);
}

static const struct suite_test tests[] = {
	TEST(newer_or_equal_timestamps_are_accepted),
	TEST(an_older_timestamp_is_dropped_and_acknowledged),
	TEST(comparison_is_modulo_2_32),
	TEST(a_reset_is_exempt_and_a_segment_without_the_option_is_dropped),
	TEST(after_24_days_idle_ts_recent_is_replaced),
	TEST(ts_recent_is_updated_only_at_or_before_last_ack_sent),
	TEST(the_update_compares_modulo_2_32_too),
};

int main(void)
{
	return run_suite("exercise 10.1 PAWS", tests, sizeof tests / sizeof tests[0]);
}
