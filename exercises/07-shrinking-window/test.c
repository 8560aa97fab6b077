/* Exercise 7.1: the suite for the shrunk-window finder. */
#include <stdio.h>
#include "suite.h"
#include "shrink.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

/* Runs shrink_find and checks the index it returns and, for a shrink,
 * how far back the edge went. */
#define FIND(a, shift, want_i, want_back) do { \
	uint32_t back_ = 0xdeadbeefu; \
	long got_ = shrink_find((a), N(a), (shift), &back_); \
	uint32_t wb_ = (want_i) < 0 ? 0xdeadbeefu : (uint32_t)(want_back); \
	if (got_ != (long)(want_i) || back_ != wb_) \
		printf("\n  line %d: shift %u: got index %ld, back %u; want %ld, back %u\n", \
		       __LINE__, (unsigned)(shift), got_, (unsigned)back_, (long)(want_i), \
		       (unsigned)wb_); \
	CU_ASSERT_EQUAL(got_, (long)(want_i)); \
	CU_ASSERT_EQUAL(back_, wb_); \
} while (0)

/* A receiver whose buffer drains as fast as data comes: the ack moves,
 * the window stays, the edge moves right. Then one that reads nothing:
 * the ack moves, the window closes by as much, the edge stays. Neither
 * shrinks anything. */
static void a_steady_or_closing_window_is_no_shrink(void)
{
	struct adv steady[] = { { 1000, 8192, false }, { 2460, 8192, false },
				{ 3920, 8192, false }, { 5380, 8192, false } };
	FIND(steady, 0, -1, 0);
	struct adv closing[] = { { 1000, 8192, false }, { 2460, 6732, false },
				 { 3920, 5272, false }, { 9192, 0, false }, { 9192, 0, false } };
	FIND(closing, 0, -1, 0);
	/* the same ack, a window that opens: a window update */
	struct adv update[] = { { 9192, 0, false }, { 9192, 4096, false }, { 9192, 8192, false } };
	FIND(update, 0, -1, 0);
	/* one advertisement, or none: nothing to compare */
	struct adv one[] = { { 1000, 0, false } };
	FIND(one, 0, -1, 0);
	CU_ASSERT_EQUAL(shrink_find(one, 0, 0, NULL), -1);
}

/* The edge moves left: the same ack with a smaller window, or an ack
 * that moves by less than the window closes. */
static void an_edge_that_moves_left_is_found(void)
{
	struct adv same_ack[] = { { 1000, 8192, false }, { 1000, 8191, false } };
	FIND(same_ack, 0, 1, 1);
	struct adv half[] = { { 1000, 8192, false }, { 2460, 8192, false },
			      { 3920, 4096, false }, { 3920, 0, false } };
	FIND(half, 0, 2, 2636);                 /* edges 9192, 10652, 8016: the first, not the later */
	/* edges 9192, 9192, 10192, then 5100: 5092 back from the furthest */
	struct adv later[] = { { 1000, 8192, false }, { 9192, 0, false }, { 9192, 1000, false },
			       { 5000, 100, false } };
	FIND(later, 0, 3, 5092);
	/* NULL for back is allowed */
	CU_ASSERT_EQUAL(shrink_find(same_ack, N(same_ack), 0, NULL), 1);
}

/* Compared with the furthest edge ever advertised, not only the last:
 * after a shrink that the receiver "repairs" halfway, the next one is
 * measured from the furthest edge. And an edge that comes back to the
 * furthest is no shrink. */
static void measured_from_the_furthest_edge(void)
{
	/* 10000, back to 10000, further to 12000, then 11000: back 1000 */
	struct adv a[] = { { 2000, 8000, false }, { 4000, 6000, false }, { 4000, 8000, false },
			   { 5000, 6000, false } };
	FIND(a, 0, 3, 1000);
	/* with shift 4 (16-byte units), one unit back is a shrink */
	struct adv b[] = { { 0, 1000, false }, { 0, 999, false } };
	FIND(b, 4, 1, 16);
}

/* With window scaling the field counts units of 2^shift bytes. A
 * receiver that rounds its window down (RFC 7323 2.4) may show an edge
 * up to 2^shift - 1 bytes short of the furthest: that is rounding, not a
 * shrink. Steps of that kind add up against the furthest edge. */
static void window_scaling(void)
{
	/* shift 7: 128-byte units; 100 bytes arrive, the window rounds to
	 * the same field: the edge goes 100 to the right, a unit would be
	 * needed to go back */
	struct adv round[] = { { 1000, 512, false }, { 1100, 512, false }, { 1200, 511, false } };
	FIND(round, 7, -1, 0);                  /* edges 66536, 66636, 66608: back 28 */
	/* a step back of exactly one unit or more is a shrink */
	struct adv unit[] = { { 1000, 512, false }, { 1000, 511, false } };
	FIND(unit, 7, 1, 128);
	/* 127 back, tolerated; 127 further back (254 from the furthest): found */
	struct adv creep2[] = { { 1127, 512, false }, { 1000, 512, false }, { 873, 512, false } };
	FIND(creep2, 7, 2, 254);
	/* the largest shift, the largest field: 65535 << 14 in 32 bits */
	struct adv big[] = { { 0, 65535, false }, { 0, 65534, false } };
	FIND(big, 14, 1, 16384);
	struct adv bigr[] = { { 0, 65535, false }, { 16383, 65534, false } };
	FIND(bigr, 14, -1, 0);
	/* without scaling, a single byte back is a shrink */
	struct adv one[] = { { 1000, 512, false }, { 1000, 511, false } };
	FIND(one, 0, 1, 1);
}

/* The window of a SYN is never scaled (RFC 7323 2.2): the field holds
 * bytes there, whatever the shift. A SYN-ACK offering 65535 bytes and
 * then a scaled window of 1024 units (shift 7: 131072 bytes) is no
 * shrink; read as scaled, the SYN's window would make the second one a
 * huge shrink. */
static void a_syn_window_is_not_scaled(void)
{
	struct adv a[] = { { 5001, 65535, true }, { 5001, 1024, false }, { 5001, 1023, false } };
	FIND(a, 7, 2, 128);
	struct adv b[] = { { 5001, 65535, true }, { 5001, 500, false } };   /* 64000 bytes */
	FIND(b, 7, 1, 1535);
	struct adv c[] = { { 5001, 512, true }, { 5001, 4, false } };       /* 512 = 4 << 7 */
	FIND(c, 7, -1, 0);
}

/* Sequence numbers wrap past 2^32: an edge past the wrap is further
 * right than one just before it, and the distance back is counted on the
 * circle. */
static void sequence_numbers_across_the_wrap(void)
{
	/* the ack before the wrap, the edge after it */
	struct adv a[] = { { 0xfffff000u, 8192, false }, { 0xfffff5b4u, 8192, false },
			   { 0x00000010u, 0x15a4, false } };
	FIND(a, 0, -1, 0);                      /* edges 0x1000, 0x15b4, 0x15b4 */
	struct adv b[] = { { 0xfffff000u, 8192, false }, { 0xfffff000u, 4096, false } };
	FIND(b, 0, 1, 4096);                    /* edges 0x1000 then 0 */
	/* the edge before the wrap after one past it */
	struct adv c[] = { { 0xffffff00u, 512, false }, { 0xffffff00u, 255, false } };
	FIND(c, 0, 1, 257);                     /* 0x100 then 0xffffffff */
	/* on both sides of 2^31 */
	struct adv d[] = { { 0x7fffff00u, 512, false }, { 0x80000000u, 256, false },
			   { 0x80000000u, 200, false } };
	FIND(d, 0, 2, 56);
	/* scaled, across the wrap */
	struct adv e[] = { { 0xffff0000u, 1024, false }, { 0xffff8000u, 768, false },
			   { 0xffff8000u, 700, false } };
	FIND(e, 7, 2, 8704);                    /* edges 0x10000, 0x10000, 0xde00 */
}

static const struct suite_test tests[] = {
	TEST(a_steady_or_closing_window_is_no_shrink),
	TEST(an_edge_that_moves_left_is_found),
	TEST(measured_from_the_furthest_edge),
	TEST(window_scaling),
	TEST(a_syn_window_is_not_scaled),
	TEST(sequence_numbers_across_the_wrap),
};

int main(void)
{
	return run_suite("exercise 7.1 a shrunk window", tests, sizeof tests / sizeof tests[0]);
}
