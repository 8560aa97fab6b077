/* Exercise 6.1: the suite for limited transmit. */
#include <stdio.h>
#include "suite.h"
#include "limited.h"

#define MSS 1460u
#define NO_CWND UINT32_MAX   /* no congestion window: the peer's window alone */

/* A sender with SND.UNA = una and flight bytes outstanding. */
static struct lt_sender sender(uint32_t una, uint32_t flight, uint32_t wnd, uint32_t cwnd,
			       size_t unsent, int dupacks)
{
	return (struct lt_sender){ .snd_una = una, .snd_nxt = una + flight, .snd_wnd = wnd,
				   .cwnd = cwnd, .mss = MSS, .unsent = unsent,
				   .dupacks = dupacks };
}

/* One duplicate ACK: how much may go, and the count afterwards. */
#define DUPACK(s, want_n, want_dupacks) do { \
	struct lt_sender before_ = (s); \
	size_t got_ = lt_on_dupack(&(s)); \
	if (got_ != (size_t)(want_n) || (s).dupacks != (want_dupacks)) \
		printf("\n  line %d: una %08x nxt %08x wnd %u cwnd %u mss %u unsent %zu, " \
		       "duplicate ACK %d: got %zu bytes and dupacks %d, want %zu and %d\n", \
		       __LINE__, (unsigned)before_.snd_una, (unsigned)before_.snd_nxt, \
		       (unsigned)before_.snd_wnd, (unsigned)before_.cwnd, (unsigned)before_.mss, \
		       before_.unsent, before_.dupacks + 1, got_, (s).dupacks, \
		       (size_t)(want_n), (want_dupacks)); \
	CU_ASSERT_EQUAL(got_, (size_t)(want_n)); \
	CU_ASSERT_EQUAL((s).dupacks, (want_dupacks)); \
} while (0)

/* What the caller does with the answer: send it. */
static void sent(struct lt_sender *s, size_t n)
{
	s->snd_nxt += (uint32_t)n;
	s->unsent -= n;
}

/* Three segments out of a congestion window of three, plenty of data
 * queued and a wide peer window: each of the first two duplicate ACKs
 * lets one full segment go. */
static void first_and_second_dupacks_send_one_segment_each(void)
{
	struct lt_sender s = sender(1000, 3 * MSS, 65535, 3 * MSS, 100000, 0);
	DUPACK(s, MSS, 1);
	sent(&s, MSS);
	DUPACK(s, MSS, 2);
	sent(&s, MSS);
	CU_ASSERT_EQUAL(s.snd_nxt - s.snd_una, 5 * MSS);   /* cwnd + 2 segments */
	/* a smaller MSS: a segment is that MSS */
	struct lt_sender t = sender(1000, 4 * 536, 65535, 4 * 536, 100000, 0);
	t.mss = 536;
	DUPACK(t, 536, 1);
	sent(&t, 536);
	DUPACK(t, 536, 2);
	/* without a congestion window at all (the book's stack before
	 * chapter 10), only the peer's window limits */
	struct lt_sender u = sender(1000, 10 * MSS, 65535, NO_CWND, 100000, 0);
	DUPACK(u, MSS, 1);
	sent(&u, MSS);
	DUPACK(u, MSS, 2);
}

/* The third duplicate ACK is fast retransmit's: no new data on it, nor
 * on any after it, however much room there is. */
static void the_third_and_later_send_nothing(void)
{
	struct lt_sender s = sender(1000, 3 * MSS, 65535, 3 * MSS, 100000, 0);
	DUPACK(s, MSS, 1);
	sent(&s, MSS);
	DUPACK(s, MSS, 2);
	sent(&s, MSS);
	DUPACK(s, 0, 3);
	DUPACK(s, 0, 4);
	DUPACK(s, 0, 5);
	/* counted from where the caller left the count */
	struct lt_sender t = sender(1000, MSS, 65535, NO_CWND, 100000, 2);
	DUPACK(t, 0, 3);
	struct lt_sender u = sender(1000, MSS, 65535, NO_CWND, 100000, 9);
	DUPACK(u, 0, 10);
	struct lt_sender v = sender(1000, MSS, 65535, NO_CWND, 100000, 1);
	DUPACK(v, MSS, 2);
}

/* Limited transmit sends new data only: with nothing queued there is
 * nothing to send (the duplicate ACK still counts). */
static void nothing_queued_nothing_sent(void)
{
	struct lt_sender s = sender(1000, 3 * MSS, 65535, 3 * MSS, 0, 0);
	DUPACK(s, 0, 1);
	DUPACK(s, 0, 2);
	DUPACK(s, 0, 3);
	struct lt_sender t = sender(0x12345678, 5 * MSS, 65535, NO_CWND, 0, 0);
	DUPACK(t, 0, 1);
}

/* The peer's window counts from SND.UNA: once what is outstanding fills
 * it, nothing more; when it leaves room for less than a segment, that
 * much (the stack's tcp_output fills the window the same way). */
static void the_peer_window_limits(void)
{
	/* four segments outstanding, the window four segments: full */
	struct lt_sender s = sender(1000, 4 * MSS, 4 * MSS, 3 * MSS, 100000, 0);
	DUPACK(s, 0, 1);
	DUPACK(s, 0, 2);
	/* room for 500 bytes */
	struct lt_sender t = sender(1000, 3 * MSS, 3 * MSS + 500, 3 * MSS, 100000, 0);
	DUPACK(t, 500, 1);
	sent(&t, 500);
	DUPACK(t, 0, 2);
	/* room for exactly one segment, then none */
	struct lt_sender u = sender(1000, 3 * MSS, 4 * MSS, NO_CWND, 100000, 0);
	DUPACK(u, MSS, 1);
	sent(&u, MSS);
	DUPACK(u, 0, 2);
	/* the peer shrank its window below what is outstanding (RFC 9293
	 * discourages it, but it happens): nothing, and no underflow */
	struct lt_sender v = sender(1000, 3 * MSS, MSS, NO_CWND, 100000, 0);
	DUPACK(v, 0, 1);
	/* a zero window */
	struct lt_sender w = sender(1000, 2 * MSS, 0, NO_CWND, 100000, 0);
	DUPACK(w, 0, 1);
}

/* At most two segments beyond the congestion window: what is
 * outstanding may reach cwnd + 2 MSS, not more. */
static void cwnd_plus_two_segments_limits(void)
{
	/* cwnd two segments, two out: one, then another, then cwnd + 2 MSS is full */
	struct lt_sender s = sender(1000, 2 * MSS, 65535, 2 * MSS, 100000, 0);
	DUPACK(s, MSS, 1);
	sent(&s, MSS);
	DUPACK(s, MSS, 2);
	sent(&s, MSS);
	CU_ASSERT_EQUAL(s.snd_nxt - s.snd_una, s.cwnd + 2 * MSS);
	/* already cwnd + 2 MSS outstanding: nothing */
	struct lt_sender t = sender(1000, 4 * MSS, 65535, 2 * MSS, 100000, 0);
	DUPACK(t, 0, 1);
	DUPACK(t, 0, 2);
	/* room for 700 bytes under cwnd + 2 MSS */
	struct lt_sender u = sender(1000, 2 * MSS + 2220, 65535, 2 * MSS, 100000, 0);
	DUPACK(u, 700, 1);
	/* more outstanding than cwnd + 2 MSS (cwnd was just reduced) */
	struct lt_sender v = sender(1000, 8 * MSS, 65535, 2 * MSS, 100000, 0);
	DUPACK(v, 0, 1);
	/* cwnd + 2 MSS wider than the peer's window: the window decides */
	struct lt_sender w = sender(1000, 4 * MSS, 4 * MSS + 100, 10 * MSS, 100000, 0);
	DUPACK(w, 100, 1);
	/* a cwnd near 2^32: cwnd + 2 MSS must not wrap to a small number */
	struct lt_sender x = sender(1000, 3 * MSS, 65535, NO_CWND - MSS, 100000, 0);
	DUPACK(x, MSS, 1);
	struct lt_sender y = sender(1000, 3 * MSS, 65535, NO_CWND, 100000, 0);
	DUPACK(y, MSS, 1);
}

/* Less than a segment queued (the application wrote a little): a short
 * segment of what there is. */
static void less_than_a_segment_queued(void)
{
	struct lt_sender s = sender(1000, 3 * MSS, 65535, 3 * MSS, 300, 0);
	DUPACK(s, 300, 1);
	sent(&s, 300);
	DUPACK(s, 0, 2);
	struct lt_sender t = sender(1000, 3 * MSS, 65535, 3 * MSS, MSS + 1, 0);
	DUPACK(t, MSS, 1);
	sent(&t, MSS);
	DUPACK(t, 1, 2);
	struct lt_sender u = sender(1000, 3 * MSS, 65535, 3 * MSS, MSS, 0);
	DUPACK(u, MSS, 1);
	/* the queue, the window and cwnd all short: the smallest wins */
	struct lt_sender v = sender(1000, 3 * MSS, 3 * MSS + 400, 3 * MSS, 250, 0);
	DUPACK(v, 250, 1);
	struct lt_sender w = sender(1000, 3 * MSS, 3 * MSS + 400, MSS + 200, 1000, 0);
	DUPACK(w, 200, 1);
}

/* SND.UNA and SND.NXT wrap past 2^32; what is outstanding is their
 * difference on the circle, and so is the room left in each window. */
static void sequence_numbers_across_the_wrap(void)
{
	/* 4096 outstanding from 0xffffe000, SND.UNA + window = 2^32 exactly */
	struct lt_sender s = sender(0xffffe000u, 4096, 8192, NO_CWND, 100000, 0);
	CU_ASSERT_EQUAL(s.snd_nxt, 0xfffff000u);
	DUPACK(s, MSS, 1);
	sent(&s, MSS);
	DUPACK(s, MSS, 2);
	/* SND.NXT past the wrap, SND.UNA before it */
	struct lt_sender t = sender(0xfffffa00u, 3 * MSS, 65535, 3 * MSS, 100000, 0);
	CU_ASSERT(t.snd_nxt < t.snd_una);
	DUPACK(t, MSS, 1);
	sent(&t, MSS);
	DUPACK(t, MSS, 2);
	/* the window full across the wrap */
	struct lt_sender u = sender(0xfffffa00u, 4 * MSS, 4 * MSS, 3 * MSS, 100000, 0);
	DUPACK(u, 0, 1);
	/* room for 10 bytes across the wrap, under cwnd + 2 MSS */
	struct lt_sender v = sender(0xffffff00u, 2 * MSS + 2910, 65535, 2 * MSS, 100000, 0);
	DUPACK(v, 10, 1);
	/* SND.NXT on 0 exactly */
	struct lt_sender w = sender((uint32_t)(0 - 3 * MSS), 3 * MSS, 65535, 3 * MSS, 100000, 0);
	CU_ASSERT_EQUAL(w.snd_nxt, 0);
	DUPACK(w, MSS, 1);
	/* on both sides of 2^31 */
	struct lt_sender x = sender(0x7ffff000u, 8192, 8192 + 100, NO_CWND, 100000, 0);
	DUPACK(x, 100, 1);
}

/* ---- a simulated loss -------------------------------------------------
 *
 * A sender, a receiver, and a network between them that loses one data
 * segment and delivers the rest in order, every hop taking the same
 * time. The receiver acknowledges every segment at once, with the next
 * sequence number it expects: a segment beyond a gap draws a duplicate
 * ACK (RFC 5681 4.2 asks for it at once). The sender sends what
 * min(cwnd, peer's window) allows (no slow start: cwnd stays as given)
 * and, on each duplicate ACK, what lt_on_dupack allows, if limited
 * transmit is on. The run stops when nothing is left in the network:
 * either the third duplicate ACK came (fast retransmit), or the sender
 * is left to wait for its retransmission timer. */

struct sim_cfg {
	uint32_t cwnd, snd_wnd, iss;
	size_t total;               /* bytes the application has written */
	int lose;                   /* the data segment lost (1 = the first) */
	bool limited;               /* limited transmit on */
};

struct sim_result {
	int dupacks;                /* duplicate ACKs that reached the sender */
	bool fast_retransmit;       /* the third came */
	int segments;               /* data segments sent */
	int lt_segments;            /* ...of which limited transmit allowed */
	size_t lt_bytes;
	int counted;                /* lt_sender.dupacks at the end */
	bool overrun;               /* lt_on_dupack allowed more than was queued */
};

enum { SIM_EVENTS = 256 };

struct sim_event {
	bool is_ack;
	uint32_t seq, len;          /* a segment; for an ACK, seq is the ack number */
};

struct sim {
	struct sim_event ev[SIM_EVENTS];
	int head, tail, sent_data;
	struct lt_sender s;
	uint32_t rcv_nxt;
	uint32_t ooo_seq[SIM_EVENTS], ooo_len[SIM_EVENTS];   /* kept beyond a gap */
	int nooo;
	const struct sim_cfg *cfg;
	struct sim_result *r;
};

static void sim_push(struct sim *m, bool is_ack, uint32_t seq, uint32_t len)
{
	if (m->tail < SIM_EVENTS)
		m->ev[m->tail++] = (struct sim_event){ is_ack, seq, len };
}

static void sim_send(struct sim *m, size_t n)
{
	m->r->segments++;
	if (++m->sent_data != m->cfg->lose)
		sim_push(m, false, m->s.snd_nxt, (uint32_t)n);
	m->s.snd_nxt += (uint32_t)n;
	m->s.unsent -= n;
}

/* What the ordinary rule allows: fill min(cwnd, window) from SND.UNA. */
static void sim_output(struct sim *m)
{
	for (;;) {
		uint32_t flight = m->s.snd_nxt - m->s.snd_una;
		uint32_t wnd = MIN(m->s.cwnd, m->s.snd_wnd);
		size_t n = MIN(MIN((size_t)m->s.mss, m->s.unsent), (size_t)(wnd > flight ? wnd - flight : 0));
		if (n == 0)
			return;
		sim_send(m, n);
	}
}

static void sim_receive(struct sim *m, uint32_t seq, uint32_t len)
{
	if (seq == m->rcv_nxt) {
		m->rcv_nxt += len;
		for (int i = 0; i < m->nooo; i++) {      /* what the gap held back */
			if (m->ooo_seq[i] == m->rcv_nxt) {
				m->rcv_nxt += m->ooo_len[i];
				m->ooo_seq[i] = m->ooo_seq[--m->nooo];
				m->ooo_len[i] = m->ooo_len[m->nooo];
				i = -1;
			}
		}
	} else if (SEQ_GT(seq, m->rcv_nxt) && m->nooo < SIM_EVENTS) {
		m->ooo_seq[m->nooo] = seq;
		m->ooo_len[m->nooo++] = len;
	}
	sim_push(m, true, m->rcv_nxt, 0);
}

static void sim_ack(struct sim *m, uint32_t ack)
{
	struct lt_sender *s = &m->s;
	if (SEQ_GT(ack, s->snd_una)) {                   /* new data acknowledged */
		s->snd_una = ack;
		s->dupacks = 0;
		sim_output(m);
	} else if (ack == s->snd_una && s->snd_nxt != s->snd_una) {
		m->r->dupacks++;
		if (m->r->dupacks == 3)
			m->r->fast_retransmit = true;
		if (!m->cfg->limited) {
			s->dupacks++;
			return;
		}
		size_t n = lt_on_dupack(s);
		if (n > s->unsent) {
			m->r->overrun = true;
			n = s->unsent;
		}
		if (n > 0) {
			m->r->lt_segments++;
			m->r->lt_bytes += n;
			sim_send(m, n);
		}
	}
}

static struct sim_result simulate(const struct sim_cfg *cfg)
{
	static struct sim m;
	struct sim_result r = { 0 };
	memset(&m, 0, sizeof m);
	m.cfg = cfg;
	m.r = &r;
	m.s = (struct lt_sender){ .snd_una = cfg->iss, .snd_nxt = cfg->iss, .snd_wnd = cfg->snd_wnd,
				  .cwnd = cfg->cwnd, .mss = MSS, .unsent = cfg->total };
	m.rcv_nxt = cfg->iss;
	sim_output(&m);
	while (m.head < m.tail) {
		struct sim_event e = m.ev[m.head++];
		if (e.is_ack)
			sim_ack(&m, e.seq);
		else
			sim_receive(&m, e.seq, e.len);
	}
	r.counted = m.s.dupacks;
	return r;
}

#define ISS 0xfffff000u   /* the transfer crosses 2^32 */

static void report(int line, const char *what, const struct sim_result *r)
{
	printf("\n  line %d: %s: %d segments (%d by limited transmit, %zu bytes), "
	       "%d duplicate ACKs, %s\n", line, what, r->segments, r->lt_segments, r->lt_bytes,
	       r->dupacks, r->fast_retransmit ? "fast retransmit" : "a timeout");
}

/* A window of four segments, the first lost, small writes: a fresh
 * connection whose congestion window is RFC 3390's initial one, 4380
 * bytes or three segments of 1460, talking to a peer whose window holds
 * four. The application has written 5000 bytes in small pieces: three
 * full segments go, 620 bytes wait. The first segment is lost; the
 * second and third draw two duplicate ACKs, one short of fast
 * retransmit, and the connection waits for its timer. With limited
 * transmit the first duplicate ACK sends the 620 bytes, and their ACK is
 * the third duplicate. */
static void simulation_small_writes(void)
{
	struct sim_cfg c = { .cwnd = 3 * MSS, .snd_wnd = 4 * MSS, .iss = ISS, .total = 5000,
			     .lose = 1, .limited = false };
	struct sim_result r = simulate(&c);
	if (r.dupacks != 2 || r.fast_retransmit)
		report(__LINE__, "without limited transmit", &r);
	CU_ASSERT_EQUAL(r.segments, 3);
	CU_ASSERT_EQUAL(r.dupacks, 2);
	CU_ASSERT_FALSE(r.fast_retransmit);

	c.limited = true;
	r = simulate(&c);
	if (r.dupacks != 3 || !r.fast_retransmit || r.lt_bytes != 620)
		report(__LINE__, "with limited transmit", &r);
	CU_ASSERT_EQUAL(r.segments, 4);
	CU_ASSERT_EQUAL(r.lt_segments, 1);
	CU_ASSERT_EQUAL(r.lt_bytes, 620);
	CU_ASSERT_EQUAL(r.dupacks, 3);
	CU_ASSERT_TRUE(r.fast_retransmit);
	CU_ASSERT_EQUAL(r.counted, 3);
	CU_ASSERT_FALSE(r.overrun);

	/* The same with more to send: the first duplicate ACK sends a full
	 * segment, which fills the peer's window, so the second sends
	 * nothing; one is enough. */
	c.total = 100000;
	c.limited = false;
	r = simulate(&c);
	CU_ASSERT_EQUAL(r.dupacks, 2);
	CU_ASSERT_FALSE(r.fast_retransmit);
	c.limited = true;
	r = simulate(&c);
	if (r.dupacks != 3 || !r.fast_retransmit || r.lt_segments != 1)
		report(__LINE__, "with limited transmit, much queued", &r);
	CU_ASSERT_EQUAL(r.lt_segments, 1);
	CU_ASSERT_EQUAL(r.lt_bytes, MSS);
	CU_ASSERT_EQUAL(r.dupacks, 3);
	CU_ASSERT_TRUE(r.fast_retransmit);
	CU_ASSERT_EQUAL(r.counted, 3);
}

/* A congestion window of two segments, the first lost: one duplicate ACK
 * without limited transmit. With it, that duplicate sends a third
 * segment, whose duplicate sends a fourth (cwnd + 2 segments
 * outstanding), whose duplicate is the third: both segments of limited
 * transmit are needed. With a window of four segments there are three
 * duplicates anyway, and the two extra segments bring two more, which
 * keep the ACK clock going during recovery. With one segment in flight,
 * there is nothing to draw a duplicate at all. */
static void simulation_windows_of_one_two_and_four_segments(void)
{
	struct sim_cfg c = { .cwnd = 2 * MSS, .snd_wnd = 65535, .iss = ISS, .total = 100000,
			     .lose = 1, .limited = false };
	struct sim_result r = simulate(&c);
	CU_ASSERT_EQUAL(r.dupacks, 1);
	CU_ASSERT_FALSE(r.fast_retransmit);
	c.limited = true;
	r = simulate(&c);
	if (r.dupacks != 3 || r.lt_segments != 2)
		report(__LINE__, "two segments, with limited transmit", &r);
	CU_ASSERT_EQUAL(r.lt_segments, 2);
	CU_ASSERT_EQUAL(r.lt_bytes, 2 * MSS);
	CU_ASSERT_EQUAL(r.dupacks, 3);
	CU_ASSERT_TRUE(r.fast_retransmit);
	CU_ASSERT_EQUAL(r.counted, 3);

	c.cwnd = 4 * MSS;
	c.limited = false;
	r = simulate(&c);
	CU_ASSERT_EQUAL(r.dupacks, 3);
	CU_ASSERT_TRUE(r.fast_retransmit);
	c.limited = true;
	r = simulate(&c);
	if (r.dupacks != 5 || r.lt_segments != 2)
		report(__LINE__, "four segments, with limited transmit", &r);
	CU_ASSERT_EQUAL(r.lt_segments, 2);
	CU_ASSERT_EQUAL(r.dupacks, 5);
	CU_ASSERT_TRUE(r.fast_retransmit);
	CU_ASSERT_EQUAL(r.counted, 5);

	c.cwnd = MSS;
	for (int lt = 0; lt < 2; lt++) {
		c.limited = lt;
		r = simulate(&c);
		CU_ASSERT_EQUAL(r.dupacks, 0);
		CU_ASSERT_EQUAL(r.segments, 1);
		CU_ASSERT_FALSE(r.fast_retransmit);
	}
}

/* The book's seed example (chapter 6): five segments written at once, no
 * congestion window, the third lost. Everything was sent at the start:
 * the two duplicate ACKs find nothing new to send, and limited transmit
 * cannot help. (RFC 5827's early retransmit is for this case.) With
 * more data queued behind the five, it can. */
static void simulation_the_seed_example(void)
{
	struct sim_cfg c = { .cwnd = NO_CWND, .snd_wnd = 65535, .iss = ISS, .total = 5 * MSS,
			     .lose = 3, .limited = true };
	struct sim_result r = simulate(&c);
	CU_ASSERT_EQUAL(r.segments, 5);
	CU_ASSERT_EQUAL(r.dupacks, 2);
	CU_ASSERT_EQUAL(r.counted, 2);
	CU_ASSERT_EQUAL(r.lt_segments, 0);
	CU_ASSERT_FALSE(r.fast_retransmit);
	/* five segments of window (a receiver with 7300 bytes of buffer),
	 * and the application has more: the window slides as the first two
	 * are acknowledged, two more go, and the third is lost among seven */
	c.snd_wnd = 5 * MSS;
	c.total = 100000;
	c.limited = false;
	r = simulate(&c);
	CU_ASSERT_EQUAL(r.dupacks, 4);
	CU_ASSERT_TRUE(r.fast_retransmit);
	c.limited = true;
	r = simulate(&c);
	CU_ASSERT_EQUAL(r.dupacks, 4);     /* the window is full: nothing more */
	CU_ASSERT_EQUAL(r.lt_segments, 0);
	CU_ASSERT_EQUAL(r.counted, 4);
}

static const struct suite_test tests[] = {
	TEST(first_and_second_dupacks_send_one_segment_each),
	TEST(the_third_and_later_send_nothing),
	TEST(nothing_queued_nothing_sent),
	TEST(the_peer_window_limits),
	TEST(cwnd_plus_two_segments_limits),
	TEST(less_than_a_segment_queued),
	TEST(sequence_numbers_across_the_wrap),
	TEST(simulation_small_writes),
	TEST(simulation_windows_of_one_two_and_four_segments),
	TEST(simulation_the_seed_example),
};

int main(void)
{
	return run_suite("exercise 6.1 limited transmit", tests, sizeof tests / sizeof tests[0]);
}
