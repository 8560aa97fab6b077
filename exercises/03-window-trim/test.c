/* Exercise 3.1: the suite for trimming a segment to the receive window. */
#include <stdio.h>
#include "suite.h"
#include "trim.h"

/* A window of ten sequence numbers, [nxt, nxt + 10), somewhere in the
 * middle of the sequence space, and the same window placed so that it
 * wraps through 2^32: it holds 0xfffffffc ... 0xffffffff, 0 ... 5. */
#define W 10u
static const uint32_t WRAP = 0xfffffffcu;
static const uint32_t PLACES[] = { 1000, 0xfffffffcu, 0xffffffffu, 0, 3, 0xfffffff5u };
#define NPLACES (sizeof PLACES / sizeof PLACES[0])

static struct seg_span span(uint32_t seq, bool syn, uint32_t len, bool fin)
{
	struct seg_span s = { .seq = seq, .syn = syn, .len = len, .fin = fin };
	return s;
}

/* The segment must be refused, and *keep and *skip left alone. */
static void refused(struct seg_span seg, uint32_t nxt, uint32_t wnd)
{
	struct seg_span keep = span(0x5eed, true, 0x5eed, true);
	uint32_t skip = 0x5eed;
	bool ok = seg_trim(&seg, nxt, wnd, &keep, &skip);
	CU_ASSERT_FALSE(ok);
	CU_ASSERT_EQUAL(keep.seq, 0x5eed);
	CU_ASSERT_EQUAL(skip, 0x5eed);
	if (ok)
		printf("\n  seg_trim(seq=%#x syn=%d len=%u fin=%d; nxt=%#x wnd=%u) accepted it",
		       (unsigned)seg.seq, seg.syn, (unsigned)seg.len, seg.fin,
		       (unsigned)nxt, (unsigned)wnd);
}

/* The segment must be accepted and cut to exactly want, with want_skip
 * data bytes cut from the front. */
static void kept(struct seg_span seg, uint32_t nxt, uint32_t wnd,
		 struct seg_span want, uint32_t want_skip)
{
	struct seg_span keep = span(0x5eed, true, 0x5eed, true);
	uint32_t skip = 0x5eed;
	bool ok = seg_trim(&seg, nxt, wnd, &keep, &skip);
	CU_ASSERT_TRUE(ok);
	bool same = ok && keep.seq == want.seq && keep.syn == want.syn &&
		    keep.len == want.len && keep.fin == want.fin && skip == want_skip;
	CU_ASSERT_TRUE(same);
	if (!same)
		printf("\n  seg_trim(seq=%#x syn=%d len=%u fin=%d; nxt=%#x wnd=%u): "
		       "%s seq=%#x syn=%d len=%u fin=%d skip=%u, should keep "
		       "seq=%#x syn=%d len=%u fin=%d skip=%u",
		       (unsigned)seg.seq, seg.syn, (unsigned)seg.len, seg.fin,
		       (unsigned)nxt, (unsigned)wnd, ok ? "kept" : "refused (keep)",
		       (unsigned)keep.seq, keep.syn, (unsigned)keep.len, keep.fin,
		       (unsigned)skip, (unsigned)want.seq, want.syn, (unsigned)want.len,
		       want.fin, (unsigned)want_skip);
}

/* Kept whole: accepted, nothing cut. */
static void whole(struct seg_span seg, uint32_t nxt, uint32_t wnd)
{
	kept(seg, nxt, wnd, seg, 0);
}

static void inside(uint32_t n)
{
	whole(span(n, false, 1, false), n, W);           /* at the left edge */
	whole(span(n + W - 1, false, 1, false), n, W);   /* the window's last byte */
	whole(span(n, false, W, false), n, W);           /* exactly the window */
	whole(span(n + 2, false, 3, true), n, W);        /* bytes and a FIN */
	whole(span(n, false, W - 1, true), n, W);        /* the FIN on the last number */
	whole(span(n, false, 0, true), n, W);            /* a bare FIN */
	whole(span(n, true, W - 1, false), n, W);        /* a SYN at RCV.NXT */
}

static void a_segment_inside_the_window_is_kept_whole(void)
{
	for (size_t i = 0; i < NPLACES; i++)
		inside(PLACES[i]);
}

static void outside(uint32_t n)
{
	refused(span(n - 1, false, 1, false), n, W);     /* one old byte */
	refused(span(n - 5, false, 5, false), n, W);     /* ends just before RCV.NXT */
	refused(span(n - 5, false, 4, true), n, W);      /* its FIN too */
	refused(span(n - 1, false, 0, true), n, W);      /* a FIN received already */
	refused(span(n - 1, true, 0, false), n, W);      /* the SYN, again */
	refused(span(n + W, false, 1, false), n, W);     /* at the right edge */
	refused(span(n + W, false, 0, true), n, W);
	refused(span(n + W + 100, false, 1460, false), n, W);
	refused(span(n + 0x7fff0000u, false, 100, false), n, W);
}

static void old_and_future_segments_are_refused(void)
{
	for (size_t i = 0; i < NPLACES; i++)
		outside(PLACES[i]);
}

static void front(uint32_t n)
{
	/* old data sent again together with new: the old part goes */
	kept(span(n - 5, false, 6, false), n, W, span(n, false, 1, false), 5);
	kept(span(n - 100, false, 100 + W, false), n, W, span(n, false, W, false), 100);
	kept(span(n - 5000, false, 5005, false), n, 1000, span(n, false, 5, false), 5000);
	/* all of the bytes are old, the FIN is new */
	kept(span(n - 5, false, 5, true), n, W, span(n, false, 0, true), 5);
}

static void old_bytes_are_cut_from_the_front(void)
{
	for (size_t i = 0; i < NPLACES; i++)
		front(PLACES[i]);
	kept(span(0xfffffff0u, false, 0x15, false), 0, W, span(0, false, 5, false), 0x10);
}

static void back(uint32_t n)
{
	kept(span(n + W - 1, false, 2, false), n, W, span(n + W - 1, false, 1, false), 0);
	kept(span(n, false, W + 1, false), n, W, span(n, false, W, false), 0);
	kept(span(n + 4, false, 1460, false), n, W, span(n + 4, false, W - 4, false), 0);
}

static void bytes_past_the_window_are_cut_from_the_back(void)
{
	for (size_t i = 0; i < NPLACES; i++)
		back(PLACES[i]);
}

static void syn_first(uint32_t n)
{
	/* SYN at RCV.NXT - 1: the SYN goes, the bytes stay */
	kept(span(n - 1, true, 5, false), n, W, span(n, false, 5, false), 0);
	/* SYN and two bytes before RCV.NXT */
	kept(span(n - 3, true, 5, false), n, W, span(n, false, 3, false), 2);
	/* SYN, all the bytes old, a new FIN */
	kept(span(n - 4, true, 3, true), n, W, span(n, false, 0, true), 3);
}

static void a_syn_before_rcv_nxt_is_cut_first(void)
{
	for (size_t i = 0; i < NPLACES; i++)
		syn_first(PLACES[i]);
}

static void fin_first(uint32_t n)
{
	/* the bytes fill the window, the FIN lies on the right edge */
	kept(span(n, false, W, true), n, W, span(n, false, W, false), 0);
	/* one byte and the FIN past the edge: both go, the FIN first */
	kept(span(n + 1, false, W, true), n, W, span(n + 1, false, W - 1, false), 0);
	/* a SYN and the whole window of bytes: the FIN goes */
	kept(span(n, true, W - 1, true), n, W, span(n, true, W - 1, false), 0);
}

static void a_fin_past_the_window_is_cut_first(void)
{
	for (size_t i = 0; i < NPLACES; i++)
		fin_first(PLACES[i]);
}

/* A segment that covers the whole window and more on both sides: RFC
 * 9293's table refuses it (neither its first nor its last number is in
 * the window); the overlap test keeps the window's worth of it. */
static void straddler(uint32_t n)
{
	kept(span(n - 1, false, W + 2, false), n, W, span(n, false, W, false), 1);
	kept(span(n - 100, false, W + 200, true), n, W, span(n, false, W, false), 100);
	kept(span(n - 1, true, W + 1, true), n, W, span(n, false, W, false), 0);
	kept(span(n - 7, false, W + 50, false), n, 1, span(n, false, 1, false), 7);
}

static void the_straddler_is_kept_and_cut_at_both_ends(void)
{
	for (size_t i = 0; i < NPLACES; i++)
		straddler(PLACES[i]);
}

/* RCV.WND = 0: only a segment at RCV.NXT is accepted, and it keeps no
 * SYN, byte or FIN, only what its header says (its ACK). */
static void zero_window(uint32_t n)
{
	kept(span(n, false, 1, false), n, 0, span(n, false, 0, false), 0);
	kept(span(n, false, 1000, true), n, 0, span(n, false, 0, false), 0);
	kept(span(n, true, 5, true), n, 0, span(n, false, 0, false), 0);
	kept(span(n, false, 0, true), n, 0, span(n, false, 0, false), 0);
	whole(span(n, false, 0, false), n, 0);           /* the bare ACK */
	refused(span(n - 1, false, 2, false), n, 0);     /* would cover RCV.NXT */
	refused(span(n - 1, false, 1, false), n, 0);
	refused(span(n + 1, false, 1, false), n, 0);
	refused(span(n + 1, false, 0, false), n, 0);
	refused(span(n - 1, false, 0, false), n, 0);
}

static void a_zero_window_keeps_only_the_ack(void)
{
	for (size_t i = 0; i < NPLACES; i++)
		zero_window(PLACES[i]);
}

/* SEG.LEN = 0 follows the RFC's table: in the window, or at RCV.NXT
 * when the window is zero (above). */
static void empty(uint32_t n)
{
	whole(span(n, false, 0, false), n, W);
	whole(span(n + W - 1, false, 0, false), n, W);
	whole(span(n + 3, false, 0, false), n, W);
	refused(span(n - 1, false, 0, false), n, W);
	refused(span(n + W, false, 0, false), n, W);
	whole(span(n, false, 0, false), n, 1);
	refused(span(n + 1, false, 0, false), n, 1);
}

static void empty_segments_follow_the_rfc_table(void)
{
	for (size_t i = 0; i < NPLACES; i++)
		empty(PLACES[i]);
	whole(span(0, false, 0, false), WRAP, W);        /* past 2^32, still inside */
	whole(span(5, false, 0, false), WRAP, W);
	refused(span(6, false, 0, false), WRAP, W);
}

/* The slow way: walk the numbers the segment occupies one at a time,
 * and keep those that lie in the window. */
static bool reference(struct seg_span seg, uint32_t nxt, uint32_t wnd,
		      struct seg_span *keep, uint32_t *skip)
{
	uint32_t n = (uint32_t)seg.syn + seg.len + (uint32_t)seg.fin;
	if (n == 0) {
		bool ok = wnd == 0 ? seg.seq == nxt : (uint32_t)(seg.seq - nxt) < wnd;
		if (ok) {
			*keep = seg;
			*skip = 0;
		}
		return ok;
	}
	if (wnd == 0) {
		if (seg.seq != nxt)
			return false;
		*keep = span(nxt, false, 0, false);
		*skip = 0;
		return true;
	}
	bool any = false;
	struct seg_span k = span(0, false, 0, false);
	uint32_t first_byte = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t x = seg.seq + i;
		if ((uint32_t)(x - nxt) >= wnd)
			continue;                /* outside the window */
		bool is_syn = seg.syn && i == 0;
		bool is_fin = seg.fin && i == n - 1;
		if (!any)
			k.seq = x;
		if (is_syn)
			k.syn = true;
		else if (is_fin)
			k.fin = true;
		else if (k.len++ == 0)
			first_byte = i - (uint32_t)seg.syn;
		any = true;
	}
	if (!any)
		return false;
	*keep = k;
	if (k.len > 0)
		*skip = first_byte;
	else                                 /* bytes all old, or none */
		*skip = SEQ_LT(seg.seq, nxt) ? MIN(seg.len, nxt - seg.seq - (uint32_t)seg.syn) : 0;
	return true;
}

static uint32_t next_random(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*x >> 32);
}

static void agrees_with_a_slow_reference_at_random(void)
{
	uint64_t x = 20240515;
	int mismatches = 0, refusals = 0, cuts = 0;
	for (int i = 0; i < 30000; i++) {
		uint32_t nxt;
		switch (next_random(&x) % 3) {
		case 0: nxt = next_random(&x); break;
		case 1: nxt = 0xffffffffu - next_random(&x) % 2000; break;   /* wraps */
		default: nxt = next_random(&x) % 2000; break;               /* just past 0 */
		}
		uint32_t wnd = next_random(&x) % 5 == 0 ? 0 : 1 + next_random(&x) % 1500;
		struct seg_span seg = span(nxt + next_random(&x) % 6001 - 3000,
					   next_random(&x) % 8 == 0,
					   next_random(&x) % 4 == 0 ? 0 : 1 + next_random(&x) % 2500,
					   next_random(&x) % 4 == 0);
		struct seg_span want = span(0, false, 0, false), got = want;
		uint32_t want_skip = 0, got_skip = 0;
		bool want_ok = reference(seg, nxt, wnd, &want, &want_skip);
		bool got_ok = seg_trim(&seg, nxt, wnd, &got, &got_skip);
		bool same = want_ok == got_ok &&
			    (!want_ok || (want.seq == got.seq && want.syn == got.syn &&
					  want.len == got.len && want.fin == got.fin &&
					  want_skip == got_skip));
		if (!same && mismatches++ == 0)
			kept(seg, nxt, wnd, want, want_skip);   /* prints the difference */
		if (!want_ok)
			refusals++;
		else if (want.len + want.syn + want.fin < seg.len + seg.syn + seg.fin)
			cuts++;
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	CU_ASSERT_TRUE(refusals > 1000 && cuts > 1000);   /* the draw tries both */
}

static const struct suite_test tests[] = {
	TEST(a_segment_inside_the_window_is_kept_whole),
	TEST(old_and_future_segments_are_refused),
	TEST(old_bytes_are_cut_from_the_front),
	TEST(bytes_past_the_window_are_cut_from_the_back),
	TEST(a_syn_before_rcv_nxt_is_cut_first),
	TEST(a_fin_past_the_window_is_cut_first),
	TEST(the_straddler_is_kept_and_cut_at_both_ends),
	TEST(a_zero_window_keeps_only_the_ack),
	TEST(empty_segments_follow_the_rfc_table),
	TEST(agrees_with_a_slow_reference_at_random),
};

int main(void)
{
	return run_suite("exercise 3.1 trimming to the window", tests, sizeof tests / sizeof tests[0]);
}
