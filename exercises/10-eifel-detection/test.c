/* Exercise 10.2: the suite for Eifel detection. */
#include <stdio.h>
#include "suite.h"
#include "eifel.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

#define SEND(s, t) { EV_SEND, (s), true, (t) }
#define RESEND(s, t) { EV_RESEND, (s), true, (t) }
#define ACK(a, e) { EV_ACK, (a), true, (e) }
#define BARE_ACK(a) { EV_ACK, (a), false, 0 }
#define BARE_RESEND(s) { EV_RESEND, (s), false, 0 }

static const char *name(enum eifel_verdict v)
{
	return v == EIFEL_NONE ? "none" : v == EIFEL_GENUINE ? "genuine" : v == EIFEL_SPURIOUS ? "spurious" : "?";
}

/* Runs the detection over a[] and checks every verdict against want[]
 * (a string: '.' none, 'g' genuine, 's' spurious, one per event) and the
 * count of spurious episodes. */
#define RUN(a, want) do { \
	enum eifel_verdict v_[N(a)]; \
	for (size_t i_ = 0; i_ < N(a); i_++) \
		v_[i_] = (enum eifel_verdict)77; \
	size_t got_ = eifel_detect((a), N(a), v_); \
	size_t spur_ = 0; \
	CU_ASSERT_EQUAL_FATAL(sizeof(want) - 1, N(a)); \
	for (size_t i_ = 0; i_ < N(a); i_++) { \
		enum eifel_verdict w_ = (want)[i_] == 's' ? EIFEL_SPURIOUS : \
					(want)[i_] == 'g' ? EIFEL_GENUINE : EIFEL_NONE; \
		spur_ += w_ == EIFEL_SPURIOUS; \
		if (v_[i_] != w_) \
			printf("\n  line %d: event %zu: got %s, want %s\n", __LINE__, i_, name(v_[i_]), name(w_)); \
		CU_ASSERT_EQUAL(v_[i_], w_); \
	} \
	CU_ASSERT_EQUAL(got_, spur_); \
} while (0)

static void without_a_retransmission_nothing_is_decided(void)
{
	struct eifel_event a[] = { SEND(1000, 100), SEND(2000, 100), ACK(2000, 100), ACK(3000, 100),
				   ACK(3000, 100) };
	RUN(a, ".....");
	/* an empty sequence */
	enum eifel_verdict v[1] = { EIFEL_SPURIOUS };
	CU_ASSERT_EQUAL(eifel_detect(a, 0, v), 0);
}

/* The timer fires at 1100 ms; then the ACK of the original arrives. */
static void an_ack_echoing_the_original_reveals_a_spurious_timeout(void)
{
	struct eifel_event spur[] = { SEND(1000, 100), SEND(2000, 100), RESEND(1000, 1100),
				      ACK(2000, 100), ACK(3000, 100) };
	RUN(spur, "...s.");
	struct eifel_event real[] = { SEND(1000, 100), SEND(2000, 100), RESEND(1000, 1100),
				      ACK(2000, 1100), ACK(3000, 100) };
	RUN(real, "...g.");
}

/* Original and retransmission in the same tick cannot be told apart:
 * an echo equal to the retransmission's TSval is not older than it. */
static void an_echo_equal_to_the_retransmissions_tsval_is_genuine(void)
{
	struct eifel_event a[] = { SEND(1000, 500), RESEND(1000, 500), ACK(2000, 500) };
	RUN(a, "..g");
	struct eifel_event b[] = { SEND(1000, 500), RESEND(1000, 501), ACK(2000, 500) };
	RUN(b, "..s");
}

/* Reordering: three duplicate ACKs, a fast retransmit, then the ACK of
 * the original that was only late. Duplicate ACKs after the
 * retransmission decide nothing: they do not reach beyond it. */
static void acks_that_do_not_cover_the_retransmission_decide_nothing(void)
{
	struct eifel_event a[] = { SEND(1000, 100), SEND(2000, 101), SEND(3000, 102), SEND(4000, 103),
				   ACK(1000, 90), ACK(1000, 90), ACK(1000, 90), RESEND(1000, 140),
				   ACK(1000, 90), ACK(5000, 100) };
	RUN(a, ".........s");
	/* an ACK equal to the retransmission's first byte is not beyond it */
	struct eifel_event b[] = { SEND(1000, 100), RESEND(1000, 1100), ACK(1000, 1100), ACK(1001, 1100) };
	RUN(b, "...g");
}

/* The second timeout of the same segment, and the resend of the flight
 * after it: the episode's first retransmission is the one judged. */
static void only_the_first_retransmission_of_an_episode_counts(void)
{
	/* the echo is the first retransmission's: it was needed */
	struct eifel_event a[] = { SEND(1000, 100), RESEND(1000, 1100), RESEND(1000, 3100),
				   ACK(2000, 1100) };
	RUN(a, "...g");
	/* the go-back resends 2000 too; the first ACK beyond 1000 decides */
	struct eifel_event b[] = { SEND(1000, 100), SEND(2000, 100), SEND(3000, 100),
				   RESEND(1000, 1100), RESEND(2000, 1120), ACK(2000, 100),
				   ACK(3000, 100) };
	RUN(b, ".....s.");
}

static void episodes_follow_one_another(void)
{
	struct eifel_event a[] = { SEND(1000, 100), RESEND(1000, 1100), ACK(2000, 100),
				   SEND(2000, 1200), RESEND(2000, 2200), ACK(3000, 2200),
				   SEND(3000, 2300), RESEND(3000, 3300), ACK(4000, 2300) };
	RUN(a, "..s..g..s");
}

/* Without the option on the ACK or on the retransmission there is no
 * evidence: the retransmission is taken as needed. */
static void without_timestamps_a_retransmission_is_genuine(void)
{
	struct eifel_event a[] = { SEND(1000, 100), RESEND(1000, 1100), BARE_ACK(2000) };
	RUN(a, "..g");
	struct eifel_event b[] = { SEND(1000, 100), BARE_RESEND(1000), ACK(2000, 100) };
	RUN(b, "..g");
}

static void sequence_numbers_and_timestamps_wrap(void)
{
	/* the retransmission just below 2^32, the ACK just past 0 */
	struct eifel_event a[] = { SEND(0xfffffc00u, 100), RESEND(0xfffffc00u, 1100), ACK(0x200, 100) };
	RUN(a, "..s");
	/* the sender's clock wraps between the original and the retransmission */
	struct eifel_event b[] = { SEND(1000, 0xfffffff0u), RESEND(1000, 0x10), ACK(2000, 0xfffffff0u) };
	RUN(b, "..s");
	/* and an echo past 0 is newer than a retransmission just below */
	struct eifel_event c[] = { SEND(1000, 0xfffffff0u), RESEND(1000, 0xfffffff8u), ACK(2000, 0x5) };
	RUN(c, "..g");
	/* an ACK 2^31 + 1 ahead is behind, not beyond */
	struct eifel_event d[] = { SEND(1000, 100), RESEND(1000, 1100), ACK(1000 + 0x80000001u, 100),
				   ACK(2000, 100) };
	RUN(d, "...s");
}

static const struct suite_test tests[] = {
	TEST(without_a_retransmission_nothing_is_decided),
	TEST(an_ack_echoing_the_original_reveals_a_spurious_timeout),
	TEST(an_echo_equal_to_the_retransmissions_tsval_is_genuine),
	TEST(acks_that_do_not_cover_the_retransmission_decide_nothing),
	TEST(only_the_first_retransmission_of_an_episode_counts),
	TEST(episodes_follow_one_another),
	TEST(without_timestamps_a_retransmission_is_genuine),
	TEST(sequence_numbers_and_timestamps_wrap),
};

int main(void)
{
	return run_suite("exercise 10.2 Eifel detection", tests, sizeof tests / sizeof tests[0]);
}
