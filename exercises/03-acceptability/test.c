/* Exercise 3.1: the suite for the segment acceptability test. */
#include <stdio.h>
#include <CUnit/Basic.h>
#include "acceptable.h"

/* A window of ten sequence numbers, [nxt, nxt + 10), somewhere in the
 * middle of the sequence space, and the same window placed so that it
 * wraps through 2^32: it holds 0xfffffffc ... 0xffffffff, 0 ... 5. */
#define W 10u
static const uint32_t MID = 1000;
static const uint32_t WRAP = 0xfffffffcu;

#define ACC(seq, len, nxt, wnd) CU_ASSERT_TRUE(seg_acceptable(seq, len, nxt, wnd))
#define NOT(seq, len, nxt, wnd) CU_ASSERT_FALSE(seg_acceptable(seq, len, nxt, wnd))

/* SEG.LEN = 0, RCV.WND = 0: SEG.SEQ = RCV.NXT, and nothing else. */
static void empty_segment_zero_window(uint32_t nxt)
{
	ACC(nxt, 0, nxt, 0);
	NOT(nxt - 1, 0, nxt, 0);
	NOT(nxt + 1, 0, nxt, 0);
	NOT(nxt + 0x80000000u, 0, nxt, 0);
}

static void empty_segment_zero_window_edges(void)
{
	empty_segment_zero_window(MID);
}

static void empty_segment_zero_window_across_the_wrap(void)
{
	empty_segment_zero_window(0xffffffffu);   /* one after is 0 */
	empty_segment_zero_window(0);              /* one before is 0xffffffff */
}

/* SEG.LEN = 0, RCV.WND > 0: RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND. */
static void empty_segment_open_window(uint32_t nxt)
{
	ACC(nxt, 0, nxt, W);               /* the left edge */
	NOT(nxt - 1, 0, nxt, W);           /* one before */
	ACC(nxt + W - 1, 0, nxt, W);       /* the last number of the window */
	NOT(nxt + W, 0, nxt, W);           /* the right edge is outside */
	NOT(nxt + W + 1, 0, nxt, W);
	ACC(nxt + 3, 0, nxt, W);
	ACC(nxt, 0, nxt, 1);               /* a window of one */
	NOT(nxt + 1, 0, nxt, 1);
}

static void empty_segment_open_window_edges(void)
{
	empty_segment_open_window(MID);
}

static void empty_segment_open_window_across_the_wrap(void)
{
	empty_segment_open_window(WRAP);
	empty_segment_open_window(0xffffffffu);
	ACC(0, 0, WRAP, W);                /* past 2^32, still inside */
	ACC(5, 0, WRAP, W);
	NOT(6, 0, WRAP, W);
}

/* SEG.LEN > 0, RCV.WND = 0: never, wherever the segment is. */
static void data_zero_window(uint32_t nxt)
{
	NOT(nxt, 1, nxt, 0);
	NOT(nxt - 1, 1, nxt, 0);
	NOT(nxt - 1, 2, nxt, 0);           /* would cover RCV.NXT */
	NOT(nxt + 1, 1, nxt, 0);
	NOT(nxt, 1000, nxt, 0);
	/* what a zero window still lets through, and what a window of one
	 * would have taken */
	ACC(nxt, 0, nxt, 0);
	ACC(nxt, 1, nxt, 1);
	ACC(nxt - 1, 2, nxt, 1);
}

static void data_zero_window_edges(void)
{
	data_zero_window(MID);
}

static void data_zero_window_across_the_wrap(void)
{
	data_zero_window(0xffffffffu);
	data_zero_window(0);
}

/* SEG.LEN > 0, RCV.WND > 0: the first or the last number in the window. */
static void data_open_window(uint32_t nxt)
{
	ACC(nxt, 1, nxt, W);               /* first byte at the left edge */
	NOT(nxt - 1, 1, nxt, W);           /* one before it: old data */
	ACC(nxt + W - 1, 1, nxt, W);       /* the window's last byte */
	NOT(nxt + W, 1, nxt, W);           /* one after it */
	ACC(nxt, W, nxt, W);               /* exactly the window */
	ACC(nxt + 2, 3, nxt, W);           /* well inside */
	NOT(nxt - 5, 5, nxt, W);           /* ends just before RCV.NXT */
	ACC(nxt - 5, 6, nxt, W);           /* ends at RCV.NXT */
	NOT(nxt + W, 7, nxt, W);           /* starts at the right edge */
	ACC(nxt + W - 1, 7, nxt, W);       /* starts one before it */
}

static void data_open_window_edges(void)
{
	data_open_window(MID);
}

static void data_open_window_across_the_wrap(void)
{
	data_open_window(WRAP);
	data_open_window(0xffffffffu);
	data_open_window(0);
	ACC(0xfffffffau, 8, 0, W);         /* ends at 1, inside [0, 10) */
	ACC(3, 1, WRAP, W);                /* inside, past 2^32 */
	NOT(6, 1, WRAP, W);
}

/* Old data retransmitted together with new: the last byte is inside. */
static void starts_before_ends_inside(void)
{
	const uint32_t nxt[] = { MID, WRAP, 0xffffffffu, 0, 3 };
	for (size_t i = 0; i < sizeof nxt / sizeof nxt[0]; i++) {
		ACC(nxt[i] - 1, 2, nxt[i], W);
		ACC(nxt[i] - 100, 101, nxt[i], W);
		ACC(nxt[i] - 100, 100 + W, nxt[i], W);
		ACC(nxt[i] - 5000, 5005, nxt[i], 1000);
	}
	ACC(0xfffffff0u, 0x15, 0, W);      /* from before 2^32 to 4, after it */
}

/* New data that runs past the window's right edge: the first is inside. */
static void starts_inside_ends_after(void)
{
	const uint32_t nxt[] = { MID, WRAP, 0xffffffffu, 0, 0xfffffff5u };
	for (size_t i = 0; i < sizeof nxt / sizeof nxt[0]; i++) {
		ACC(nxt[i] + W - 1, 2, nxt[i], W);
		ACC(nxt[i], W + 1, nxt[i], W);
		ACC(nxt[i] + 4, 1460, nxt[i], W);
	}
}

/* A segment that covers the whole window and more on both sides has
 * neither its first nor its last number inside: the RFC's test refuses
 * it, though it carries every byte the receiver wants (see README.md). */
static void straddling_the_whole_window_is_not_acceptable(void)
{
	const uint32_t nxt[] = { MID, WRAP, 0xffffffffu, 0 };
	for (size_t i = 0; i < sizeof nxt / sizeof nxt[0]; i++) {
		uint32_t n = nxt[i];
		NOT(n - 1, W + 2, n, W);           /* one number spare each side */
		NOT(n - 100, W + 200, n, W);
		ACC(n - 1, W + 1, n, W);           /* ends on the last number */
		ACC(n, W + 1, n, W);               /* starts on the first */
	}
}

/* The slow way: list the window's sequence numbers one by one and look
 * for the segment's first and last among them, with no comparisons of
 * order at all. */
static bool in_window(uint32_t x, uint32_t nxt, uint32_t wnd)
{
	for (uint32_t k = 0; k < wnd; k++)
		if ((uint32_t)(nxt + k) == x)
			return true;
	return false;
}

static bool reference(uint32_t seq, uint32_t len, uint32_t nxt, uint32_t wnd)
{
	if (wnd == 0)
		return len == 0 && seq == nxt;
	if (len == 0)
		return in_window(seq, nxt, wnd);
	return in_window(seq, nxt, wnd) || in_window(seq + len - 1, nxt, wnd);
}

static uint32_t next_random(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*x >> 32);
}

static void agrees_with_a_slow_reference_at_random(void)
{
	uint64_t x = 20240515;
	int mismatches = 0, yes = 0, no = 0;
	for (int i = 0; i < 30000; i++) {
		uint32_t nxt;
		switch (next_random(&x) % 3) {
		case 0: nxt = next_random(&x); break;
		case 1: nxt = 0xffffffffu - next_random(&x) % 2000; break;   /* wraps */
		default: nxt = next_random(&x) % 2000; break;               /* just past 0 */
		}
		uint32_t wnd = next_random(&x) % 5 == 0 ? 0 : 1 + next_random(&x) % 1500;
		uint32_t len = next_random(&x) % 4 == 0 ? 0 : 1 + next_random(&x) % 2500;
		uint32_t seq = nxt + next_random(&x) % 6001 - 3000;
		bool want = reference(seq, len, nxt, wnd);
		bool got = seg_acceptable(seq, len, nxt, wnd);
		if (want != got && mismatches++ == 0)
			printf("\n  seg_acceptable(seq=%#x, len=%u, nxt=%#x, wnd=%u) = %d, should be %d\n",
			       (unsigned)seq, (unsigned)len, (unsigned)nxt, (unsigned)wnd, got, want);
		if (want)
			yes++;
		else
			no++;
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	CU_ASSERT_TRUE(yes > 1000 && no > 1000);   /* the draw tries both */
}

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	CU_pSuite s = CU_add_suite("exercise 3.1 acceptability", NULL, NULL);
	CU_add_test(s, "empty_segment_zero_window_edges", empty_segment_zero_window_edges);
	CU_add_test(s, "empty_segment_zero_window_across_the_wrap", empty_segment_zero_window_across_the_wrap);
	CU_add_test(s, "empty_segment_open_window_edges", empty_segment_open_window_edges);
	CU_add_test(s, "empty_segment_open_window_across_the_wrap", empty_segment_open_window_across_the_wrap);
	CU_add_test(s, "data_zero_window_edges", data_zero_window_edges);
	CU_add_test(s, "data_zero_window_across_the_wrap", data_zero_window_across_the_wrap);
	CU_add_test(s, "data_open_window_edges", data_open_window_edges);
	CU_add_test(s, "data_open_window_across_the_wrap", data_open_window_across_the_wrap);
	CU_add_test(s, "starts_before_ends_inside", starts_before_ends_inside);
	CU_add_test(s, "starts_inside_ends_after", starts_inside_ends_after);
	CU_add_test(s, "straddling_the_whole_window_is_not_acceptable", straddling_the_whole_window_is_not_acceptable);
	CU_add_test(s, "agrees_with_a_slow_reference_at_random", agrees_with_a_slow_reference_at_random);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_tests_failed();
	unsigned run = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	return failed > 0 || run == 0 ? 1 : 0;
}
