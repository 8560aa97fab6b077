/* Exercise 13.1: the suite for header prediction. */
#include <stdio.h>
#include <string.h>
#include "suite.h"
#include "predict.h"

/* A connection in ESTABLISHED that has sent 10,000 bytes past SND.UNA
 * 1,000 and expects byte 5,000 next; the segment is a pure ACK of 4,000
 * new bytes, with timestamps, offering the window in force. */
static struct hp_snapshot ack_of(uint32_t una, uint32_t ack)
{
	struct hp_snapshot s;
	memset(&s, 0, sizeof s);
	s.established = true;
	s.flags = HP_ACK;
	s.rcv_nxt = s.seq = 5000;
	s.snd_una = una;
	s.snd_nxt = una + 10000;
	s.ack = ack;
	s.wnd = s.snd_wnd = 65535;
	s.ts_present = s.ts_agreed = true;
	s.rcv_space = 100000;
	return s;
}

static struct hp_snapshot ack(void)
{
	return ack_of(1000, 5000);
}

/* The next 1,448 bytes of data, acknowledging nothing new. */
static struct hp_snapshot data(void)
{
	struct hp_snapshot s = ack();
	s.ack = s.snd_una;
	s.len = 1448;
	return s;
}

#define EXPECT(s, c) CU_ASSERT_EQUAL(predict_header(&(s)), (c))

static void a_pure_ack_of_new_data_is_predicted(void)
{
	struct hp_snapshot s = ack();
	EXPECT(s, HP_PURE_ACK);
	s.flags |= HP_PSH;                        /* PSH changes nothing */
	EXPECT(s, HP_PURE_ACK);
	s.ack = s.snd_nxt;                        /* all of it */
	EXPECT(s, HP_PURE_ACK);
	s.ack = s.snd_una + 1;                    /* one byte */
	EXPECT(s, HP_PURE_ACK);
	s = ack();
	s.ts_present = s.ts_agreed = false;       /* a connection without timestamps */
	EXPECT(s, HP_PURE_ACK);
}

static void the_next_data_acknowledging_nothing_new_is_predicted(void)
{
	struct hp_snapshot s = data();
	EXPECT(s, HP_PURE_DATA);
	s.flags |= HP_PSH;
	EXPECT(s, HP_PURE_DATA);
	s.len = s.rcv_space;                      /* exactly the room left */
	EXPECT(s, HP_PURE_DATA);
	s = data();
	s.snd_nxt = s.snd_una;                    /* nothing in flight */
	s.ack = s.snd_una;
	EXPECT(s, HP_PURE_DATA);
}

static void an_ack_that_acknowledges_nothing_new_or_too_much_is_not(void)
{
	struct hp_snapshot s = ack();
	s.ack = s.snd_una;                        /* a duplicate ACK */
	EXPECT(s, HP_SLOW);
	s.ack = s.snd_una - 1;                    /* an old one */
	EXPECT(s, HP_SLOW);
	s.ack = s.snd_nxt + 1;                    /* beyond what was sent */
	EXPECT(s, HP_SLOW);
	s = ack();
	s.snd_nxt = s.snd_una;                    /* nothing in flight: nothing to acknowledge */
	s.ack = s.snd_una;
	EXPECT(s, HP_SLOW);
}

static void data_that_acknowledges_new_data_or_does_not_fit_is_not(void)
{
	struct hp_snapshot s = data();
	s.ack = s.snd_una + 100;                  /* data and an ACK together */
	EXPECT(s, HP_SLOW);
	s = data();
	s.len = s.rcv_space + 1;                  /* more than the buffer holds */
	EXPECT(s, HP_SLOW);
	s = data();
	s.ack = s.snd_una - 1;
	EXPECT(s, HP_SLOW);
}

static void only_ack_and_psh_may_be_set(void)
{
	static const uint8_t others[] = { HP_FIN, HP_SYN, HP_RST, HP_URG, HP_ECE, HP_CWR };
	for (size_t i = 0; i < sizeof others; i++) {
		struct hp_snapshot a = ack(), d = data();
		a.flags |= others[i];
		d.flags |= others[i];
		EXPECT(a, HP_SLOW);
		EXPECT(d, HP_SLOW);
	}
	struct hp_snapshot s = data();
	s.flags = HP_PSH;                         /* no ACK at all */
	EXPECT(s, HP_SLOW);
	s.flags = 0;
	EXPECT(s, HP_SLOW);
}

static void only_in_order_segments_in_established_are_predicted(void)
{
	struct hp_snapshot s = data();
	s.seq = s.rcv_nxt + 1448;                 /* beyond a gap */
	EXPECT(s, HP_SLOW);
	s.seq = s.rcv_nxt - 100;                  /* partly old */
	EXPECT(s, HP_SLOW);
	s = ack();
	s.seq = s.rcv_nxt + 1;
	EXPECT(s, HP_SLOW);
	s = ack();
	s.established = false;                    /* e.g. FIN-WAIT-1 or CLOSE-WAIT */
	EXPECT(s, HP_SLOW);
	s = data();
	s.established = false;
	EXPECT(s, HP_SLOW);
}

static void a_new_window_or_an_unexpected_option_is_not(void)
{
	struct hp_snapshot s = ack();
	s.wnd = s.snd_wnd + 1;                    /* the window opens */
	EXPECT(s, HP_SLOW);
	s.wnd = s.snd_wnd - 1;                    /* or closes a little */
	EXPECT(s, HP_SLOW);
	s = ack();
	s.other_options = true;                   /* SACK blocks, say */
	EXPECT(s, HP_SLOW);
	s = ack();
	s.ts_present = false;                     /* timestamps agreed but missing */
	EXPECT(s, HP_SLOW);
	s = data();
	s.ts_agreed = false;                      /* timestamps not agreed but present */
	EXPECT(s, HP_SLOW);
	s = data();
	s.ce = true;                              /* marked: the ECN echo must start */
	EXPECT(s, HP_SLOW);
}

static void nothing_unusual_may_be_going_on(void)
{
	for (int which = 0; which < 4; which++) {
		struct hp_snapshot a = ack(), d = data();
		bool *fa[] = { &a.recovering, &a.reassembling, &a.persisting, &a.unusual };
		bool *fd[] = { &d.recovering, &d.reassembling, &d.persisting, &d.unusual };
		*fa[which] = true;
		*fd[which] = true;
		EXPECT(a, HP_SLOW);
		EXPECT(d, HP_SLOW);
	}
}

static void sequence_numbers_wrap(void)
{
	struct hp_snapshot s = ack_of(0xfffff000u, 0x00000100u);   /* across 2^32 */
	EXPECT(s, HP_PURE_ACK);
	s.ack = 0xffffe000u;                      /* before SND.UNA, across the wrap */
	EXPECT(s, HP_SLOW);
	s = ack_of(0xfffff000u, 0xfffff000u + 10000 + 1);
	EXPECT(s, HP_SLOW);
	s = data();
	s.rcv_nxt = s.seq = 0xffffff00u;
	EXPECT(s, HP_PURE_DATA);
}

static const struct suite_test tests[] = {
	{ "a pure ACK of new data is predicted", a_pure_ack_of_new_data_is_predicted },
	{ "the next data, acknowledging nothing new, is predicted",
	  the_next_data_acknowledging_nothing_new_is_predicted },
	{ "an ACK that acknowledges nothing new, or too much, is not",
	  an_ack_that_acknowledges_nothing_new_or_too_much_is_not },
	{ "data that acknowledges new data, or does not fit, is not",
	  data_that_acknowledges_new_data_or_does_not_fit_is_not },
	{ "only ACK and PSH may be set", only_ack_and_psh_may_be_set },
	{ "only in-order segments in ESTABLISHED are predicted",
	  only_in_order_segments_in_established_are_predicted },
	{ "a new window or an unexpected option is not", a_new_window_or_an_unexpected_option_is_not },
	{ "nothing unusual may be going on", nothing_unusual_may_be_going_on },
	{ "sequence numbers wrap", sequence_numbers_wrap },
};

int main(void)
{
	return run_suite("exercise 13.1 header prediction", tests, sizeof tests / sizeof tests[0]);
}
