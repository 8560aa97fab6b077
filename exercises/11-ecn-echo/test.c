/* Exercise 11.3: the suite for ECN's echo and its answer. */
#include <stdio.h>
#include "suite.h"
#include "ecn_echo.h"

static void an_unmarked_segment_starts_no_echo(void)
{
	struct ecn_rx r = { 0 };
	CU_ASSERT_FALSE(ecn_rx_segment(&r, false, ECN_ECT0));
	CU_ASSERT_FALSE(ecn_rx_segment(&r, false, ECN_NOT_ECT));
	CU_ASSERT_FALSE(ecn_rx_segment(&r, true, ECN_ECT1));
	CU_ASSERT_FALSE(r.echo);
}

static void a_ce_starts_the_echo_and_only_the_first_asks_for_an_ack_now(void)
{
	struct ecn_rx r = { 0 };
	CU_ASSERT_TRUE(ecn_rx_segment(&r, false, ECN_CE));
	CU_ASSERT_TRUE(r.echo);
	CU_ASSERT_FALSE(ecn_rx_segment(&r, false, ECN_CE));      /* already echoing */
	CU_ASSERT_TRUE(r.echo);
	CU_ASSERT_FALSE(ecn_rx_segment(&r, false, ECN_ECT0));    /* until CWR, whatever comes */
	CU_ASSERT_TRUE(r.echo);
}

static void cwr_ends_the_echo_but_a_ce_on_the_same_segment_wins(void)
{
	struct ecn_rx r = { .echo = true };
	CU_ASSERT_FALSE(ecn_rx_segment(&r, true, ECN_ECT0));
	CU_ASSERT_FALSE(r.echo);
	r.echo = true;
	ecn_rx_segment(&r, true, ECN_CE);                        /* CWR first, then CE */
	CU_ASSERT_TRUE(r.echo);
	r.echo = false;
	CU_ASSERT_TRUE(ecn_rx_segment(&r, true, ECN_CE));        /* a new episode: at once */
	CU_ASSERT_TRUE(r.echo);
}

static void the_first_echo_reduces_and_asks_for_cwr_once(void)
{
	struct ecn_tx t = { 0 };
	CU_ASSERT_FALSE(ecn_tx_ack(&t, 1000, false, 10000, false));
	CU_ASSERT_FALSE(ecn_tx_cwr(&t));
	CU_ASSERT_TRUE(ecn_tx_ack(&t, 2000, true, 10000, false));
	CU_ASSERT_TRUE(t.reduced);
	CU_ASSERT_EQUAL(t.recover, 10000);
	CU_ASSERT_TRUE(ecn_tx_cwr(&t));
	CU_ASSERT_FALSE(ecn_tx_cwr(&t));                         /* only the first new segment */
}

static void echoes_for_the_answered_window_are_ignored_until_it_is_acked(void)
{
	struct ecn_tx t = { 0 };
	CU_ASSERT_TRUE(ecn_tx_ack(&t, 2000, true, 10000, false));
	CU_ASSERT_FALSE(ecn_tx_ack(&t, 3000, true, 11000, false));
	CU_ASSERT_FALSE(ecn_tx_ack(&t, 10000, true, 12000, false));  /* up to recover: the same window */
	CU_ASSERT_EQUAL(t.recover, 10000);
	CU_ASSERT_TRUE(ecn_tx_ack(&t, 10001, true, 13000, false));   /* beyond it: a new mark */
	CU_ASSERT_EQUAL(t.recover, 13000);
	CU_ASSERT_FALSE(ecn_tx_ack(&t, 14000, false, 15000, false)); /* no echo: ends the window */
	CU_ASSERT_FALSE(t.reduced);
	CU_ASSERT_TRUE(ecn_tx_ack(&t, 14000, true, 15000, false));
}

static void an_echo_in_loss_recovery_reduces_nothing_but_still_sends_cwr(void)
{
	struct ecn_tx t = { 0 };
	CU_ASSERT_FALSE(ecn_tx_ack(&t, 2000, true, 10000, true));
	CU_ASSERT_TRUE(t.reduced);
	CU_ASSERT_TRUE(ecn_tx_cwr(&t));
	CU_ASSERT_FALSE(ecn_tx_ack(&t, 5000, true, 10000, false));   /* the same window */
}

static void the_window_is_compared_modulo_2_32(void)
{
	struct ecn_tx t = { 0 };
	CU_ASSERT_TRUE(ecn_tx_ack(&t, 0xffffff00u, true, 0xfffffff0u, false));
	CU_ASSERT_FALSE(ecn_tx_ack(&t, 0xfffffff0u, true, 0x00000100u, false));
	CU_ASSERT_TRUE(ecn_tx_ack(&t, 0x00000010u, true, 0x00000200u, false));  /* past it, across 0 */
	CU_ASSERT_EQUAL(t.recover, 0x00000200u);
}

static const struct suite_test tests[] = {
	TEST(an_unmarked_segment_starts_no_echo),
	TEST(a_ce_starts_the_echo_and_only_the_first_asks_for_an_ack_now),
	TEST(cwr_ends_the_echo_but_a_ce_on_the_same_segment_wins),
	TEST(the_first_echo_reduces_and_asks_for_cwr_once),
	TEST(echoes_for_the_answered_window_are_ignored_until_it_is_acked),
	TEST(an_echo_in_loss_recovery_reduces_nothing_but_still_sends_cwr),
	TEST(the_window_is_compared_modulo_2_32),
};

int main(void)
{
	return run_suite("exercise 11.3 ECN echo", tests, sizeof tests / sizeof tests[0]);
}
