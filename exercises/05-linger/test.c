/* Exercise 5.1: the suite for the linger decision. */
#include <stdio.h>
#include "suite.h"
#include "linger.h"

static const struct linger_opt OFF = { false, 0 };
static const struct linger_opt OFF_BUT_TIMED = { false, SEC(10) };  /* l_linger ignored */
static const struct linger_opt ZERO = { true, 0 };
static const struct linger_opt TEN = { true, SEC(10) };

/* close() was called at T0: a time that is not zero, so that the time
 * spent is now - T0 and not now. */
#define T0 (SEC(86400) + 123)

/* Consistent views of one connection, whose send sequence space starts
 * at S; 500 bytes went one way and 200 the other. */
#define S 1000u
static const struct close_view listen_ = { TCP_LISTEN, 0, 0, 0, false, 0 };
static const struct close_view syn_sent = { TCP_SYN_SENT, S - 1, S, 0, false, 0 };
static const struct close_view syn_sent_queued = { TCP_SYN_SENT, S - 1, S, 100, false, 0 };
static const struct close_view syn_received = { TCP_SYN_RECEIVED, S - 1, S, 0, false, 0 };
/* everything acknowledged, the FIN not sent: close has not begun yet */
static const struct close_view established_idle = { TCP_ESTABLISHED, S + 500, S + 500, 0, false, 0 };
static const struct close_view established_busy = { TCP_ESTABLISHED, S, S + 200, 300, false, 0 };
/* data and FIN in flight */
static const struct close_view fin_wait_1 = { TCP_FIN_WAIT_1, S, S + 501, 0, true, 0 };
/* the data acknowledged, not the FIN */
static const struct close_view fin_wait_1_fin = { TCP_FIN_WAIT_1, S + 500, S + 501, 0, true, 0 };
/* the FIN queued behind data the peer's zero window holds back */
static const struct close_view fin_wait_1_queued = { TCP_FIN_WAIT_1, S, S + 100, 400, false, 0 };
static const struct close_view fin_wait_2 = { TCP_FIN_WAIT_2, S + 501, S + 501, 0, true, 0 };
static const struct close_view close_wait = { TCP_CLOSE_WAIT, S, S + 200, 0, false, 0 };
static const struct close_view closing = { TCP_CLOSING, S + 500, S + 501, 0, true, 0 };
static const struct close_view last_ack = { TCP_LAST_ACK, S, S + 201, 0, true, 0 };
static const struct close_view time_wait = { TCP_TIME_WAIT, S + 501, S + 501, 0, true, 0 };
/* after LAST-ACK: the FIN acknowledged */
static const struct close_view closed_orderly = { TCP_CLOSED, S + 201, S + 201, 0, true, 0 };
/* reset by the peer in FIN-WAIT-1, the data and FIN never acknowledged */
static const struct close_view closed_reset = { TCP_CLOSED, S, S + 501, 0, true, 0 };

static const char *name(enum linger_verdict v)
{
	switch (v) {
	case LINGER_RETURN_NOW: return "RETURN_NOW";
	case LINGER_WAIT: return "WAIT";
	case LINGER_DONE: return "DONE";
	case LINGER_ABORT: return "ABORT";
	}
	return "(not a verdict)";
}

#define EXPECT(o, c, since, now, want) do { \
	enum linger_verdict got_ = linger_decide((o), (c), (since), (now)); \
	if (got_ != (want)) \
		printf("\n  line %d: in %s, %llu us after close(): got %s, want %s\n", __LINE__, \
		       tcp_state_names[(c)->state], \
		       (unsigned long long)((now) - (since)), name(got_), name(want)); \
	CU_ASSERT_EQUAL(got_, (want)); \
} while (0)

static const struct close_view *const every_view[] = {
	&listen_, &syn_sent, &syn_sent_queued, &syn_received, &established_idle,
	&established_busy, &fin_wait_1, &fin_wait_1_fin, &fin_wait_1_queued,
	&fin_wait_2, &close_wait, &closing, &last_ack, &time_wait,
	&closed_orderly, &closed_reset,
};
#define NVIEWS (sizeof every_view / sizeof every_view[0])

/* Without linger, close returns at once whatever the send buffer holds,
 * and the linger time is ignored. */
static void without_linger_close_returns_at_once(void)
{
	for (size_t i = 0; i < NVIEWS; i++) {
		const struct close_view *v = every_view[i];
		EXPECT(&OFF, v, T0, T0, LINGER_RETURN_NOW);
		EXPECT(&OFF, v, T0, T0 + SEC(100), LINGER_RETURN_NOW);
		EXPECT(&OFF_BUT_TIMED, v, T0, T0, LINGER_RETURN_NOW);
		EXPECT(&OFF_BUT_TIMED, v, T0, T0 + SEC(10), LINGER_RETURN_NOW);
	}
}

/* Received data the application never read makes close abort, in every
 * state, under every setting, before and after the time runs out, even
 * when everything we sent is acknowledged. One byte is enough. */
static void unread_data_aborts_whatever_else(void)
{
	const struct linger_opt *opts[] = { &OFF, &OFF_BUT_TIMED, &ZERO, &TEN };
	const size_t unread[] = { 1, 4096 };
	for (size_t i = 0; i < NVIEWS; i++) {
		struct close_view v = *every_view[i];
		if (v.state == TCP_LISTEN || v.state == TCP_SYN_SENT)
			continue;   /* nothing can have been received */
		for (size_t j = 0; j < sizeof unread / sizeof unread[0]; j++) {
			v.unread = unread[j];
			for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
				EXPECT(opts[k], &v, T0, T0, LINGER_ABORT);
				EXPECT(opts[k], &v, T0, T0 + SEC(1), LINGER_ABORT);
				EXPECT(opts[k], &v, T0, T0 + SEC(10), LINGER_ABORT);
			}
		}
	}
}

/* A zero linger time aborts at once: with data in flight, and also when
 * everything sent is acknowledged, the FIN included (FIN-WAIT-2), or
 * when nothing is outstanding and the FIN not even sent. */
static void zero_linger_aborts_even_when_all_is_acknowledged(void)
{
	const struct close_view *v[] = {
		&established_idle, &fin_wait_2, &closed_orderly,
		&established_busy, &syn_received, &fin_wait_1, &fin_wait_1_fin,
		&fin_wait_1_queued, &close_wait, &closing, &last_ack, &closed_reset,
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		EXPECT(&ZERO, v[i], T0, T0, LINGER_ABORT);
		EXPECT(&ZERO, v[i], 0, 0, LINGER_ABORT);
		EXPECT(&ZERO, v[i], T0, T0 + 1, LINGER_ABORT);
	}
}

/* With a linger time, close waits while any data or the FIN is
 * unacknowledged or not yet sent, and aborts when the time is up. */
static void lingers_while_anything_is_unacknowledged(void)
{
	const struct close_view *v[] = {
		&established_idle, &established_busy, &syn_received, &fin_wait_1,
		&fin_wait_1_fin, &fin_wait_1_queued, &close_wait, &closing, &last_ack,
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		EXPECT(&TEN, v[i], T0, T0, LINGER_WAIT);
		EXPECT(&TEN, v[i], T0, T0 + 1, LINGER_WAIT);
		EXPECT(&TEN, v[i], T0, T0 + SEC(5), LINGER_WAIT);
		EXPECT(&TEN, v[i], T0, T0 + SEC(10) - 1, LINGER_WAIT);
		EXPECT(&TEN, v[i], T0, T0 + SEC(10), LINGER_ABORT);
		EXPECT(&TEN, v[i], T0, T0 + SEC(3600), LINGER_ABORT);
	}
}

/* Once everything, the FIN included, is acknowledged, close is done:
 * at once, on the last microsecond, and on the very microsecond the time
 * runs out (success wins). */
static void done_once_data_and_fin_are_acknowledged(void)
{
	const struct close_view *v[] = { &fin_wait_2, &time_wait, &closed_orderly };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		EXPECT(&TEN, v[i], T0, T0, LINGER_DONE);
		EXPECT(&TEN, v[i], T0, T0 + SEC(3), LINGER_DONE);
		EXPECT(&TEN, v[i], T0, T0 + SEC(10) - 1, LINGER_DONE);
		EXPECT(&TEN, v[i], T0, T0 + SEC(10), LINGER_DONE);
	}
	/* one close, as it goes: data and FIN out, data acked, FIN acked */
	EXPECT(&TEN, &fin_wait_1, T0, T0 + MSEC(1), LINGER_WAIT);
	EXPECT(&TEN, &fin_wait_1_fin, T0, T0 + MSEC(40), LINGER_WAIT);
	EXPECT(&TEN, &fin_wait_2, T0, T0 + MSEC(41), LINGER_DONE);
	/* the same from the passive side: FIN out from CLOSE-WAIT, then acked */
	EXPECT(&TEN, &close_wait, T0, T0, LINGER_WAIT);
	EXPECT(&TEN, &last_ack, T0, T0 + MSEC(2), LINGER_WAIT);
	EXPECT(&TEN, &closed_orderly, T0, T0 + MSEC(60), LINGER_DONE);
}

/* The time spent is now - since: waiting while it is below the linger
 * time, one microsecond before included; abort when it reaches it. */
static void the_timeout_boundary_is_exact(void)
{
	const usec_t timeouts[] = { 1, 2, MSEC(1), SEC(1), SEC(10), SEC(120), SEC(3600) };
	const usec_t sinces[] = { 0, 1, T0, SEC(10) * 1000000 + 7 };
	for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++) {
		struct linger_opt o = { true, timeouts[i] };
		for (size_t j = 0; j < sizeof sinces / sizeof sinces[0]; j++) {
			usec_t s = sinces[j], t = timeouts[i];
			EXPECT(&o, &fin_wait_1, s, s, LINGER_WAIT);
			EXPECT(&o, &fin_wait_1, s, s + t - 1, LINGER_WAIT);
			EXPECT(&o, &fin_wait_1, s, s + t, LINGER_ABORT);
			EXPECT(&o, &fin_wait_1, s, s + t + 1, LINGER_ABORT);
			EXPECT(&o, &fin_wait_1, s, s + 2 * t, LINGER_ABORT);
			/* and what is acknowledged at the boundary is done */
			EXPECT(&o, &fin_wait_2, s, s + t, LINGER_DONE);
		}
	}
}

/* SND.UNA and SND.NXT are sequence numbers: they wrap past 2^32, and
 * what is outstanding must be told apart from what is not across it. */
static void sequence_numbers_across_the_wrap(void)
{
	/* 512 bytes and the FIN outstanding, from just below 2^32 to above 0 */
	const struct close_view fw1 = { TCP_FIN_WAIT_1, 0xfffffe00u, 0x00000101u, 0, true, 0 };
	/* only the FIN outstanding, and it sits on 2^32 - 1 */
	const struct close_view fw1_fin = { TCP_FIN_WAIT_1, 0xffffffffu, 0x00000000u, 0, true, 0 };
	const struct close_view la = { TCP_LAST_ACK, 0xfffffff0u, 0x00000010u, 0, true, 0 };
	const struct close_view es = { TCP_ESTABLISHED, 0xffffff00u, 0x00000100u, 1000, false, 0 };
	/* reset while the data and FIN above were in flight */
	const struct close_view cl_reset = { TCP_CLOSED, 0xfffffe00u, 0x00000101u, 0, true, 0 };
	const struct close_view cl_reset_fin = { TCP_CLOSED, 0xffffffffu, 0x00000000u, 0, true, 0 };
	/* acknowledged just after the wrap, and just before it */
	const struct close_view fw2_0 = { TCP_FIN_WAIT_2, 0, 0, 0, true, 0 };
	const struct close_view cl_0 = { TCP_CLOSED, 0, 0, 0, true, 0 };
	const struct close_view cl_max = { TCP_CLOSED, 0xffffffffu, 0xffffffffu, 0, true, 0 };
	const struct close_view tw_1 = { TCP_TIME_WAIT, 1, 1, 0, true, 0 };

	EXPECT(&TEN, &fw1, T0, T0, LINGER_WAIT);
	EXPECT(&TEN, &fw1_fin, T0, T0 + SEC(9), LINGER_WAIT);
	EXPECT(&TEN, &la, T0, T0 + 1, LINGER_WAIT);
	EXPECT(&TEN, &es, T0, T0, LINGER_WAIT);
	EXPECT(&TEN, &fw1, T0, T0 + SEC(10), LINGER_ABORT);
	EXPECT(&TEN, &fw1_fin, T0, T0 + SEC(10), LINGER_ABORT);
	EXPECT(&TEN, &cl_reset, T0, T0, LINGER_ABORT);
	EXPECT(&TEN, &cl_reset_fin, T0, T0, LINGER_ABORT);
	EXPECT(&TEN, &fw2_0, T0, T0, LINGER_DONE);
	EXPECT(&TEN, &cl_0, T0, T0 + SEC(1), LINGER_DONE);
	EXPECT(&TEN, &cl_max, T0, T0 + SEC(1), LINGER_DONE);
	EXPECT(&TEN, &tw_1, T0, T0, LINGER_DONE);
	/* far from the wrap, on both sides of 2^31 */
	const struct close_view fw1_mid = { TCP_FIN_WAIT_1, 0x7fffff00u, 0x80000100u, 0, true, 0 };
	const struct close_view cl_mid = { TCP_CLOSED, 0x7fffff00u, 0x80000100u, 0, true, 0 };
	EXPECT(&TEN, &fw1_mid, T0, T0, LINGER_WAIT);
	EXPECT(&TEN, &cl_mid, T0, T0, LINGER_ABORT);
}

/* In LISTEN and SYN-SENT there is no connection to finish or to reset:
 * with linger on, whatever the time, close is done at once. */
static void nothing_to_linger_on_before_the_connection_exists(void)
{
	const struct close_view *v[] = { &listen_, &syn_sent, &syn_sent_queued };
	const struct linger_opt *opts[] = { &ZERO, &TEN };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
			EXPECT(opts[k], v[i], T0, T0, LINGER_DONE);
			EXPECT(opts[k], v[i], T0, T0 + SEC(20), LINGER_DONE);
		}
		EXPECT(&OFF, v[i], T0, T0, LINGER_RETURN_NOW);
	}
}

/* TIME-WAIT is reached only once our FIN is acknowledged: the close is
 * over, and a zero linger time does not cut TIME-WAIT short. */
static void time_wait_is_not_cut_short(void)
{
	EXPECT(&ZERO, &time_wait, T0, T0, LINGER_DONE);
	EXPECT(&TEN, &time_wait, T0, T0, LINGER_DONE);
	EXPECT(&OFF, &time_wait, T0, T0, LINGER_RETURN_NOW);
	/* ... but the FIN-WAIT-2 before it is aborted by a zero linger */
	EXPECT(&ZERO, &fin_wait_2, T0, T0, LINGER_ABORT);
}

/* A connection already CLOSED will never get its data acknowledged if it
 * has not been: close does not wait out the linger time for nothing. */
static void a_closed_connection_is_not_waited_for(void)
{
	EXPECT(&TEN, &closed_reset, T0, T0, LINGER_ABORT);
	EXPECT(&TEN, &closed_reset, T0, T0 + 1, LINGER_ABORT);
	struct linger_opt forever = { true, SEC(1000000) };
	EXPECT(&forever, &closed_reset, T0, T0 + SEC(1), LINGER_ABORT);
	EXPECT(&forever, &closed_orderly, T0, T0 + SEC(1), LINGER_DONE);
	EXPECT(&OFF, &closed_reset, T0, T0, LINGER_RETURN_NOW);
}

/* Every state, with a typical send buffer, under every kind of setting. */
static void verdicts_over_all_states(void)
{
	enum { R = LINGER_RETURN_NOW, W = LINGER_WAIT, D = LINGER_DONE, A = LINGER_ABORT };
	static const struct {
		const struct close_view *v;
		int off, zero, ten_at_0, ten_before_end, ten_at_end;
	} table[] = {
		{ &closed_orderly,    R, A, D, D, D },
		{ &closed_reset,      R, A, A, A, A },
		{ &listen_,           R, D, D, D, D },
		{ &syn_sent,          R, D, D, D, D },
		{ &syn_sent_queued,   R, D, D, D, D },
		{ &syn_received,      R, A, W, W, A },
		{ &established_idle,  R, A, W, W, A },
		{ &established_busy,  R, A, W, W, A },
		{ &fin_wait_1,        R, A, W, W, A },
		{ &fin_wait_1_fin,    R, A, W, W, A },
		{ &fin_wait_1_queued, R, A, W, W, A },
		{ &fin_wait_2,        R, A, D, D, D },
		{ &close_wait,        R, A, W, W, A },
		{ &closing,           R, A, W, W, A },
		{ &last_ack,          R, A, W, W, A },
		{ &time_wait,         R, D, D, D, D },
	};
	bool seen[TCP_NSTATES] = { false };
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		const struct close_view *v = table[i].v;
		seen[v->state] = true;
		EXPECT(&OFF, v, T0, T0 + SEC(1), (enum linger_verdict)table[i].off);
		EXPECT(&ZERO, v, T0, T0, (enum linger_verdict)table[i].zero);
		EXPECT(&TEN, v, T0, T0, (enum linger_verdict)table[i].ten_at_0);
		EXPECT(&TEN, v, T0, T0 + SEC(10) - 1, (enum linger_verdict)table[i].ten_before_end);
		EXPECT(&TEN, v, T0, T0 + SEC(10), (enum linger_verdict)table[i].ten_at_end);
	}
	for (int s = 0; s < TCP_NSTATES; s++)
		CU_ASSERT_TRUE(seen[s]);
}

static const struct suite_test tests[] = {
	TEST(without_linger_close_returns_at_once),
	TEST(unread_data_aborts_whatever_else),
	TEST(zero_linger_aborts_even_when_all_is_acknowledged),
	TEST(lingers_while_anything_is_unacknowledged),
	TEST(done_once_data_and_fin_are_acknowledged),
	TEST(the_timeout_boundary_is_exact),
	TEST(sequence_numbers_across_the_wrap),
	TEST(nothing_to_linger_on_before_the_connection_exists),
	TEST(time_wait_is_not_cut_short),
	TEST(a_closed_connection_is_not_waited_for),
	TEST(verdicts_over_all_states),
};

int main(void)
{
	return run_suite("exercise 5.1 linger", tests, sizeof tests / sizeof tests[0]);
}
