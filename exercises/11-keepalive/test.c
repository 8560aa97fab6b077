/* Exercise 11.1: the suite for the keepalive schedule. */
#include <stdio.h>
#include "suite.h"
#include "keepalive.h"

#define S 1000ull                   /* a second, in ms */
#define MAX_EVENTS 64

/* A run of the timer from `start` until the connection is given up or
 * `until`: the peer is heard at the times in heard[] (ascending, ending
 * in 0), and is busy from busy_from to busy_to. Records the times of the
 * probes and of giving up (0: never). */
struct run {
	uint64_t probe[MAX_EVENTS];
	int nprobes;
	uint64_t gave_up;
};

static struct run run(const struct keepalive *k, uint64_t start, const uint64_t *heard,
		      uint64_t busy_from, uint64_t busy_to, uint64_t until)
{
	struct run r = { .nprobes = 0 };
	struct ka_conn c = { .heard_at = start, .sent = 0 };
	uint64_t fire = start + k->idle;
	for (int steps = 0; steps < 1000 && fire <= until; steps++) {
		while (*heard != 0 && *heard <= fire)
			ka_heard(&c, *heard++);
		uint64_t next = 0;
		enum ka_action a = ka_fire(k, &c, fire >= busy_from && fire < busy_to, fire, &next);
		if (a == KA_GIVE_UP) {
			r.gave_up = fire;
			return r;
		}
		if (a == KA_PROBE && r.nprobes < MAX_EVENTS)
			r.probe[r.nprobes++] = fire;
		if (next <= fire) {
			printf("\n  at %llu ms: the timer is not set into the future (%llu)\n",
			       (unsigned long long)fire, (unsigned long long)next);
			CU_FAIL("the next firing is not in the future");
			return r;
		}
		fire = next;
	}
	return r;
}

static const uint64_t nobody[] = { 0 };

static void the_defaults_probe_after_two_hours_every_75_s_and_give_up_after_9(void)
{
	struct keepalive k = { 7200 * S, 75 * S, 9 };
	struct run r = run(&k, 0, nobody, 0, 0, 10000 * S);
	CU_ASSERT_EQUAL_FATAL(r.nprobes, 9);
	for (int i = 0; i < 9; i++)
		CU_ASSERT_EQUAL(r.probe[i], 7200 * S + (uint64_t)i * 75 * S);
	CU_ASSERT_EQUAL(r.gave_up, 7200 * S + 9 * 75 * S);   /* 2 h 11 min 15 s */
}

static void a_segment_from_the_peer_restarts_the_idle_clock(void)
{
	struct keepalive k = { 10 * S, 2 * S, 3 };
	const uint64_t heard[] = { 4 * S, 0 };
	struct run r = run(&k, 0, heard, 0, 0, 100 * S);
	CU_ASSERT_EQUAL_FATAL(r.nprobes, 3);
	CU_ASSERT_EQUAL(r.probe[0], 14 * S);                 /* not at 10 s */
	CU_ASSERT_EQUAL(r.probe[1], 16 * S);
	CU_ASSERT_EQUAL(r.probe[2], 18 * S);
	CU_ASSERT_EQUAL(r.gave_up, 20 * S);
}

static void an_answered_probe_keeps_the_connection_and_clears_the_count(void)
{
	struct keepalive k = { 10 * S, 2 * S, 3 };
	/* the first two probes of each round go unanswered, the third is
	 * answered 300 ms after it went */
	const uint64_t heard[] = { 14 * S + 300, 28 * S + 600, 42 * S + 900, 0 };
	struct run r = run(&k, 0, heard, 0, 0, 50 * S);
	CU_ASSERT_EQUAL(r.gave_up, 0);
	CU_ASSERT_EQUAL_FATAL(r.nprobes, 9);
	const uint64_t want[] = { 10 * S, 12 * S, 14 * S, 24 * S + 300, 26 * S + 300, 28 * S + 300,
				  38 * S + 600, 40 * S + 600, 42 * S + 600, 0 };
	for (int i = 0; want[i] != 0; i++)
		CU_ASSERT_EQUAL(r.probe[i], want[i]);
	struct run later = run(&k, 0, heard, 0, 0, 1000 * S);
	CU_ASSERT_EQUAL(later.gave_up, 42 * S + 900 + 10 * S + 3 * 2 * S);
}

static void a_busy_connection_is_not_probed_until_it_is_quiet(void)
{
	struct keepalive k = { 10 * S, 2 * S, 2 };
	struct run r = run(&k, 0, nobody, 5 * S, 25 * S, 100 * S);
	CU_ASSERT_EQUAL_FATAL(r.nprobes, 2);
	CU_ASSERT_EQUAL(r.probe[0], 30 * S);                 /* busy at 10 and 20 s, then 30 */
	CU_ASSERT_EQUAL(r.probe[1], 32 * S);
	CU_ASSERT_EQUAL(r.gave_up, 34 * S);
}

static void exactly_the_idle_time_is_idle_enough(void)
{
	struct keepalive k = { 10 * S, 1 * S, 1 };
	struct ka_conn c = { .heard_at = 5 * S, .sent = 0 };
	uint64_t next = 0;
	CU_ASSERT_EQUAL(ka_fire(&k, &c, false, 15 * S - 1, &next), KA_WAIT);
	CU_ASSERT_EQUAL(next, 15 * S);
	CU_ASSERT_EQUAL(c.sent, 0);
	CU_ASSERT_EQUAL(ka_fire(&k, &c, false, 15 * S, &next), KA_PROBE);
	CU_ASSERT_EQUAL(next, 16 * S);
	CU_ASSERT_EQUAL(c.sent, 1);
	CU_ASSERT_EQUAL(ka_fire(&k, &c, false, 16 * S, &next), KA_GIVE_UP);
	ka_heard(&c, 16 * S + 10);
	CU_ASSERT_EQUAL(c.sent, 0);
	CU_ASSERT_EQUAL(c.heard_at, 16 * S + 10);
}

static const struct suite_test tests[] = {
	TEST(the_defaults_probe_after_two_hours_every_75_s_and_give_up_after_9),
	TEST(a_segment_from_the_peer_restarts_the_idle_clock),
	TEST(an_answered_probe_keeps_the_connection_and_clears_the_count),
	TEST(a_busy_connection_is_not_probed_until_it_is_quiet),
	TEST(exactly_the_idle_time_is_idle_enough),
};

int main(void)
{
	return run_suite("exercise 11.1 keepalive", tests, sizeof tests / sizeof tests[0]);
}
