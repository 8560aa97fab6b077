/* Exercise 12.1: the suite for the limits on answers to invalid segments. */
#include <stdio.h>
#include <string.h>
#include "suite.h"
#include "challenge.h"

#define MS 1000u
#define SECOND CHALLENGE_SECOND

static const struct sipkey KEY = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
static const struct sipkey OTHER = { 0x1122334455667788ULL, 0x99aabbccddeeff00ULL };

/* The budget as the header defines it, computed here independently. */
static unsigned budget(const struct sipkey *k, unsigned limit, uint64_t second)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(second >> (8 * i));
	return limit + (unsigned)(siphash(k, b, 8) % limit);
}

static struct answer_host host(uint64_t interval, unsigned limit)
{
	struct answer_host h;
	memset(&h, 0, sizeof h);
	h.key = KEY;
	h.interval = interval;
	h.limit = limit;
	return h;
}

/* Challenges from fresh connections at time now until one is refused, at
 * most max: how many were allowed. */
static unsigned drain(struct answer_host *h, uint64_t now, unsigned max)
{
	unsigned n = 0;
	while (n < max) {
		struct answer_conn c = { 0 };
		if (!answer_allowed(h, &c, ANSWER_CHALLENGE, 0, now))
			break;
		n++;
	}
	return n;
}

static void the_budget_lies_between_the_limit_and_twice_it_and_follows_the_key(void)
{
	unsigned distinct = 0, prev = 0;
	for (uint64_t s = 0; s < 200; s++) {
		unsigned b = answer_budget(&KEY, 1000, s);
		CU_ASSERT_EQUAL(b, budget(&KEY, 1000, s));
		CU_ASSERT_TRUE(b >= 1000 && b <= 1999);
		distinct += b != prev;
		prev = b;
	}
	CU_ASSERT_TRUE(distinct > 150);                 /* drawn afresh each second */
	CU_ASSERT_EQUAL(answer_budget(&OTHER, 1000, 7), budget(&OTHER, 1000, 7));
	CU_ASSERT_EQUAL(answer_budget(&KEY, 1, 12345), 1);   /* limit 1: [1, 1] */
	CU_ASSERT_EQUAL(answer_budget(&KEY, 3, 1ull << 40), budget(&KEY, 3, 1ull << 40));
}

static void a_connection_answers_once_per_interval(void)
{
	struct answer_host h = host(500 * MS, 0);
	struct answer_conn c = { 0 }, d = { 0 };
	uint64_t t = 10 * SECOND + 123;
	CU_ASSERT_TRUE(answer_allowed(&h, &c, ANSWER_CHALLENGE, 0, t));
	CU_ASSERT_FALSE(answer_allowed(&h, &c, ANSWER_CHALLENGE, 0, t));
	CU_ASSERT_FALSE(answer_allowed(&h, &c, ANSWER_CHALLENGE, 0, t + 1));
	CU_ASSERT_FALSE(answer_allowed(&h, &c, ANSWER_OUT_OF_WINDOW, 0, t + 500 * MS - 1));
	CU_ASSERT_EQUAL(h.conn_limited, 3);
	/* another connection has a limit of its own */
	CU_ASSERT_TRUE(answer_allowed(&h, &d, ANSWER_CHALLENGE, 0, t + 1));
	/* exactly one interval later: allowed, and the interval starts again */
	CU_ASSERT_TRUE(answer_allowed(&h, &c, ANSWER_OUT_OF_WINDOW, 0, t + 500 * MS));
	CU_ASSERT_FALSE(answer_allowed(&h, &c, ANSWER_CHALLENGE, 0, t + 999 * MS));
	CU_ASSERT_TRUE(answer_allowed(&h, &c, ANSWER_CHALLENGE, 0, t + 1000 * MS));
	CU_ASSERT_EQUAL(h.conn_limited, 4);
	CU_ASSERT_EQUAL(h.host_limited, 0);
	/* the first answer of a connection, even at time 0 */
	struct answer_host h0 = host(500 * MS, 0);
	struct answer_conn e = { 0 };
	CU_ASSERT_TRUE(answer_allowed(&h0, &e, ANSWER_CHALLENGE, 0, 0));
	CU_ASSERT_FALSE(answer_allowed(&h0, &e, ANSWER_CHALLENGE, 0, 100 * MS));
}

static void an_interval_of_zero_limits_nothing(void)
{
	struct answer_host h = host(0, 0);
	struct answer_conn c = { 0 };
	for (int i = 0; i < 1000; i++)
		CU_ASSERT_TRUE(answer_allowed(&h, &c, ANSWER_CHALLENGE, 0, SECOND + (uint64_t)i));
	CU_ASSERT_EQUAL(h.conn_limited, 0);
}

/* A segment outside the window that carries data is usually a
 * retransmission whose ACK was lost: it is always answered. */
static void data_outside_the_window_is_always_answered(void)
{
	struct answer_host h = host(500 * MS, 1);
	struct answer_conn c = { 0 };
	uint64_t t = 3 * SECOND;
	for (int i = 0; i < 100; i++)
		CU_ASSERT_TRUE(answer_allowed(&h, &c, ANSWER_OUT_OF_WINDOW, 1000, t + (uint64_t)i));
	CU_ASSERT_EQUAL(h.conn_limited, 0);
	/* and it neither spent the connection's interval nor the host's budget */
	CU_ASSERT_TRUE(answer_allowed(&h, &c, ANSWER_OUT_OF_WINDOW, 0, t + 100));
	CU_ASSERT_FALSE(answer_allowed(&h, &c, ANSWER_OUT_OF_WINDOW, 0, t + 200));
	struct answer_conn d = { 0 };
	CU_ASSERT_TRUE(answer_allowed(&h, &d, ANSWER_CHALLENGE, 0, t + 300));
	CU_ASSERT_EQUAL(h.conn_limited, 1);
	CU_ASSERT_EQUAL(h.host_limited, 0);
}

/* The ACK for an empty segment outside the window is limited per
 * connection only: the host's budget is for challenges. */
static void out_of_window_acks_do_not_spend_the_hosts_budget(void)
{
	struct answer_host h = host(500 * MS, 1);
	uint64_t t = 5 * SECOND + 17;
	for (int i = 0; i < 5000; i++) {
		struct answer_conn c = { 0 };
		CU_ASSERT_TRUE(answer_allowed(&h, &c, ANSWER_OUT_OF_WINDOW, 0, t));
	}
	CU_ASSERT_EQUAL(h.host_limited, 0);
	CU_ASSERT_EQUAL(drain(&h, t, 100), 1);          /* limit 1: the budget is 1 */
	CU_ASSERT_EQUAL(h.host_limited, 1);
}

static void the_host_allows_exactly_its_budget_each_second(void)
{
	struct answer_host h = host(500 * MS, 1000);
	for (uint64_t s = 20; s < 25; s++) {
		uint64_t before = h.host_limited;
		unsigned want = budget(&KEY, 1000, s);
		/* spread over the second, one fresh connection each */
		unsigned got = 0;
		for (unsigned i = 0; i < 4000; i++) {
			struct answer_conn c = { 0 };
			got += answer_allowed(&h, &c, ANSWER_CHALLENGE, 0, s * SECOND + i * 250);
		}
		if (got != want)
			printf("\n  second %llu: %u challenges allowed, the budget is %u\n",
			       (unsigned long long)s, got, want);
		CU_ASSERT_EQUAL(got, want);
		CU_ASSERT_EQUAL(h.host_limited - before, 4000 - want);
	}
	/* a second skipped: the next one's budget, not what was left */
	CU_ASSERT_EQUAL(drain(&h, 31 * SECOND + 999999, 5000), budget(&KEY, 1000, 31));
	CU_ASSERT_EQUAL(drain(&h, 32 * SECOND, 5000), budget(&KEY, 1000, 32));
	/* another key, other budgets */
	struct answer_host g = host(500 * MS, 1000);
	g.key = OTHER;
	CU_ASSERT_EQUAL(drain(&g, 20 * SECOND, 5000), budget(&OTHER, 1000, 20));
	CU_ASSERT_EQUAL(g.host_limited, 1);
}

/* Second 0 is a second like any other: the clock starts there. */
static void the_first_second_has_a_budget_too(void)
{
	struct answer_host h = host(500 * MS, 10);
	CU_ASSERT_EQUAL(drain(&h, 0, 100), budget(&KEY, 10, 0));
	CU_ASSERT_EQUAL(drain(&h, SECOND - 1, 100), 0);
	CU_ASSERT_EQUAL(drain(&h, SECOND, 100), budget(&KEY, 10, 1));
}

static void a_limit_of_zero_leaves_the_host_unlimited(void)
{
	struct answer_host h = host(500 * MS, 0);
	CU_ASSERT_EQUAL(drain(&h, 7 * SECOND, 50000), 50000);
	CU_ASSERT_EQUAL(h.host_limited, 0);
}

/* The connection's limit first: a flood aimed at one connection draws
 * one challenge from it per interval, and does not empty the budget the
 * host's other connections share. */
static void a_challenge_the_connection_refuses_costs_the_host_nothing(void)
{
	struct answer_host h = host(500 * MS, 100);
	struct answer_conn victim = { 0 };
	uint64_t t = 40 * SECOND;
	unsigned got = 0;
	for (int i = 0; i < 10000; i++)
		got += answer_allowed(&h, &victim, ANSWER_CHALLENGE, 0, t + (uint64_t)i * 10);
	CU_ASSERT_EQUAL(got, 1);
	CU_ASSERT_EQUAL(h.conn_limited, 9999);
	CU_ASSERT_EQUAL(h.host_limited, 0);
	/* what is left for the others: the budget less the one */
	CU_ASSERT_EQUAL(drain(&h, t + 200 * MS, 5000), budget(&KEY, 100, 40) - 1);
	CU_ASSERT_EQUAL(h.host_limited, 1);
	CU_ASSERT_EQUAL(h.conn_limited, 9999);
}

/* A challenge the host refuses still used the connection's turn: the
 * connection asks again no sooner than an interval later, and that
 * refusal is the connection's. */
static void a_challenge_the_host_refuses_still_uses_the_connections_turn(void)
{
	struct answer_host h = host(500 * MS, 1);
	uint64_t t = 50 * SECOND;
	CU_ASSERT_EQUAL(drain(&h, t, 10), 1);           /* the budget is spent */
	CU_ASSERT_EQUAL(h.host_limited, 1);
	struct answer_conn c = { 0 };
	CU_ASSERT_FALSE(answer_allowed(&h, &c, ANSWER_CHALLENGE, 0, t + 1));
	CU_ASSERT_EQUAL(h.host_limited, 2);
	CU_ASSERT_FALSE(answer_allowed(&h, &c, ANSWER_CHALLENGE, 0, t + 2));
	CU_ASSERT_EQUAL(h.host_limited, 2);
	CU_ASSERT_EQUAL(h.conn_limited, 1);
	/* an interval later, in the next second */
	CU_ASSERT_TRUE(answer_allowed(&h, &c, ANSWER_CHALLENGE, 0, t + SECOND));
}

static const struct suite_test tests[] = {
	TEST(the_budget_lies_between_the_limit_and_twice_it_and_follows_the_key),
	TEST(a_connection_answers_once_per_interval),
	TEST(an_interval_of_zero_limits_nothing),
	TEST(data_outside_the_window_is_always_answered),
	TEST(out_of_window_acks_do_not_spend_the_hosts_budget),
	TEST(the_host_allows_exactly_its_budget_each_second),
	TEST(the_first_second_has_a_budget_too),
	TEST(a_limit_of_zero_leaves_the_host_unlimited),
	TEST(a_challenge_the_connection_refuses_costs_the_host_nothing),
	TEST(a_challenge_the_host_refuses_still_uses_the_connections_turn),
};

int main(void)
{
	return run_suite("exercise 12.1 limits on answers", tests, sizeof tests / sizeof tests[0]);
}
