/* Exercise 7.2: the suite for Nagle's algorithm, classic and Minshall's. */
#include <stdio.h>
#include "suite.h"
#include "nagle.h"

#define MSS 1460u

/* One case: the segment, the sender's state, and the decision wanted
 * under each rule. */
struct nagle_case {
	size_t len, queued;
	bool any_unacked, small_unacked, nodelay, fin;
	bool classic, minshall;     /* true: send now */
};

static void check(int line, const struct nagle_case *c, uint16_t mss)
{
	struct nagle_in in = { .len = c->len, .queued = c->queued, .mss = mss,
			       .any_unacked = c->any_unacked, .small_unacked = c->small_unacked,
			       .nodelay = c->nodelay, .fin = c->fin };
	bool classic = nagle_send(&in, NAGLE_CLASSIC);
	bool minshall = nagle_send(&in, NAGLE_MINSHALL);
	if (classic != c->classic || minshall != c->minshall)
		printf("\n  line %d: len %zu queued %zu mss %u unacked %d small unacked %d "
		       "nodelay %d fin %d: got classic %s, Minshall %s; want %s, %s\n",
		       line, c->len, c->queued, (unsigned)mss, c->any_unacked, c->small_unacked,
		       c->nodelay, c->fin, classic ? "send" : "hold", minshall ? "send" : "hold",
		       c->classic ? "send" : "hold", c->minshall ? "send" : "hold");
	CU_ASSERT_EQUAL(classic, c->classic);
	CU_ASSERT_EQUAL(minshall, c->minshall);
}

#define CHECK(mss, ...) do { \
	struct nagle_case c_ = { __VA_ARGS__ }; \
	check(__LINE__, &c_, (mss)); \
} while (0)

/*           len   queued any    small  nodelay fin    classic minshall */

/* A full segment always goes, whatever is in flight. */
static void a_full_segment_goes(void)
{
	CHECK(MSS, MSS, 100000, false, false, false, false, true, true);
	CHECK(MSS, MSS, 100000, true, false, false, false, true, true);
	CHECK(MSS, MSS, 100000, true, true, false, false, true, true);
	CHECK(MSS, MSS, MSS, true, true, false, false, true, true);
	CHECK(536, 536, 5000, true, true, false, false, true, true);
}

/* A short segment that empties the queue, nothing in flight: both rules
 * let it go (the first keystroke of a Telnet session). */
static void a_short_segment_with_nothing_in_flight_goes(void)
{
	CHECK(MSS, 1, 1, false, false, false, false, true, true);
	CHECK(MSS, 1459, 1459, false, false, false, false, true, true);
	CHECK(536, 535, 535, false, false, false, false, true, true);
}

/* The difference: full segments in flight, none short. Nagle holds the
 * short tail; Minshall lets it go, since no short segment is
 * outstanding. A short segment in flight: both hold. */
static void full_segments_in_flight(void)
{
	CHECK(MSS, 1176, 1176, true, false, false, false, false, true);
	CHECK(MSS, 1, 1, true, false, false, false, false, true);
	CHECK(MSS, 1459, 1459, true, false, false, false, false, true);
	CHECK(MSS, 1176, 1176, true, true, false, false, false, false);
	CHECK(MSS, 1, 1, true, true, false, false, false, false);
	CHECK(536, 100, 100, true, false, false, false, false, true);
	CHECK(536, 100, 100, true, true, false, false, false, false);
}

/* TCP_NODELAY: a short segment that empties the queue goes, whatever
 * is in flight, under either rule. */
static void nodelay_sends_the_tail(void)
{
	CHECK(MSS, 1176, 1176, true, true, true, false, true, true);
	CHECK(MSS, 1176, 1176, true, false, true, false, true, true);
	CHECK(MSS, 1, 1, false, false, true, false, true, true);
}

/* A short segment that leaves bytes queued has been cut by the window:
 * a sliver, which waits for the window to open (or for the override
 * timer), with or without TCP_NODELAY and whatever is in flight. */
static void a_sliver_of_the_window_waits(void)
{
	CHECK(MSS, 100, 5000, false, false, false, false, false, false);
	CHECK(MSS, 100, 5000, true, false, false, false, false, false);
	CHECK(MSS, 100, 5000, true, true, false, false, false, false);
	CHECK(MSS, 100, 5000, true, true, true, false, false, false);
	CHECK(MSS, 100, 5000, false, false, true, false, false, false);
	CHECK(MSS, 1459, 1460, false, false, true, false, false, false);
	/* but a full segment cut from more is no sliver */
	CHECK(MSS, MSS, 5000, true, true, true, false, true, true);
}

/* The FIN goes at once, on the last piece, however short, and even with
 * no data at all; nothing at all to send waits. */
static void fin_and_nothing(void)
{
	CHECK(MSS, 1, 1, true, true, false, true, true, true);
	CHECK(MSS, 1176, 1176, true, false, false, true, true, true);
	CHECK(MSS, 0, 0, true, true, false, true, true, true);
	CHECK(MSS, 0, 0, false, false, false, true, true, true);
	CHECK(MSS, 0, 0, false, false, false, false, false, false);
	CHECK(MSS, 0, 0, true, true, true, false, false, false);
	CHECK(MSS, 0, 5000, true, false, true, false, false, false);
}

/* ---- the seed's stall ---------------------------------------------------
 *
 * Chapter 7's seed: blocks of 4096 bytes written one after another, an
 * MSS of 1460, a peer window wide enough, and a receiver that delays its
 * ACK of a lone segment. A block goes as 1460 + 1460 + 1176. The
 * sender below keeps what it sent and not yet acknowledged as a list of
 * segment lengths; the test plays the receiver, which acknowledges two
 * segments at a time (every second one) and a lone one only when its
 * delayed-ACK timer runs out. Counted: the times a short tail was held. */

struct snd {
	size_t queued;
	size_t inflight[16];
	int n;
	int held;                   /* times a short segment was held */
};

static bool snd_small_unacked(const struct snd *s)
{
	for (int i = 0; i < s->n; i++)
		if (s->inflight[i] < MSS)
			return true;
	return false;
}

/* Sends what the rule allows; returns the number of segments sent. */
static int snd_output(struct snd *s, enum nagle_rule rule)
{
	int sent = 0;
	while (s->queued > 0 && s->n < 16) {
		size_t len = s->queued < MSS ? s->queued : MSS;
		struct nagle_in in = { .len = len, .queued = s->queued, .mss = MSS,
				       .any_unacked = s->n > 0, .small_unacked = snd_small_unacked(s) };
		if (!nagle_send(&in, rule)) {
			s->held++;
			break;
		}
		s->inflight[s->n++] = len;
		s->queued -= len;
		sent++;
	}
	return sent;
}

/* The receiver acknowledges two segments at once (every second one): */
static void snd_ack_two(struct snd *s)
{
	int k = s->n < 2 ? s->n : 2;
	for (int i = k; i < s->n; i++)
		s->inflight[i - k] = s->inflight[i];
	s->n -= k;
}

static void the_seed_stall(void)
{
	/* Nagle: the first block's 1176-byte tail waits behind two full
	 * segments; their ACK (every second one) releases it. */
	struct snd a = { .queued = 4096 };
	CU_ASSERT_EQUAL(snd_output(&a, NAGLE_CLASSIC), 2);
	CU_ASSERT_EQUAL(a.held, 1);
	snd_ack_two(&a);
	CU_ASSERT_EQUAL(snd_output(&a, NAGLE_CLASSIC), 1);
	CU_ASSERT_EQUAL(a.n, 1);
	/* the tail is alone in flight: the receiver delays its ACK, and
	 * the next block's first segments go (full), its tail waits */
	a.queued = 4096;
	CU_ASSERT_EQUAL(snd_output(&a, NAGLE_CLASSIC), 2);
	CU_ASSERT_EQUAL(a.held, 2);

	/* Minshall: the first tail goes with the full segments at once */
	struct snd b = { .queued = 4096 };
	CU_ASSERT_EQUAL(snd_output(&b, NAGLE_MINSHALL), 3);
	CU_ASSERT_EQUAL(b.held, 0);
	/* the next block: its full segments go, its tail waits for the
	 * first tail's ACK, since a short segment is still out */
	b.queued = 4096;
	CU_ASSERT_EQUAL(snd_output(&b, NAGLE_MINSHALL), 2);
	CU_ASSERT_EQUAL(b.held, 1);
	snd_ack_two(&b);                        /* the first block's full segments */
	CU_ASSERT_TRUE(snd_small_unacked(&b));
	CU_ASSERT_EQUAL(snd_output(&b, NAGLE_MINSHALL), 0);
	CU_ASSERT_EQUAL(b.held, 2);
	snd_ack_two(&b);                        /* its tail and the next 1460 */
	CU_ASSERT_FALSE(snd_small_unacked(&b));
	CU_ASSERT_EQUAL(snd_output(&b, NAGLE_MINSHALL), 1);
	CU_ASSERT_EQUAL(b.held, 2);
	CU_ASSERT_EQUAL(b.queued, 0);
}

/* Telnet: keystrokes of one byte, typed faster than the round trip.
 * Under both rules the first goes and those typed meanwhile wait and
 * go together when it is acknowledged: Minshall's variant is still
 * Nagle's for small writes. */
static void keystrokes_are_coalesced(void)
{
	for (int r = 0; r < 2; r++) {
		enum nagle_rule rule = r ? NAGLE_MINSHALL : NAGLE_CLASSIC;
		struct snd s = { .queued = 1 };
		CU_ASSERT_EQUAL(snd_output(&s, rule), 1);
		for (int k = 0; k < 5; k++) {
			s.queued++;
			CU_ASSERT_EQUAL(snd_output(&s, rule), 0);
		}
		CU_ASSERT_EQUAL(s.held, 5);
		s.n = 0;                        /* the echo acknowledges it */
		CU_ASSERT_EQUAL(snd_output(&s, rule), 1);
		CU_ASSERT_EQUAL(s.inflight[0], 5);
	}
}

static const struct suite_test tests[] = {
	TEST(a_full_segment_goes),
	TEST(a_short_segment_with_nothing_in_flight_goes),
	TEST(full_segments_in_flight),
	TEST(nodelay_sends_the_tail),
	TEST(a_sliver_of_the_window_waits),
	TEST(fin_and_nothing),
	TEST(the_seed_stall),
	TEST(keystrokes_are_coalesced),
};

int main(void)
{
	return run_suite("exercise 7.2 Minshall's Nagle", tests, sizeof tests / sizeof tests[0]);
}
