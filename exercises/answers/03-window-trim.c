/* Exercise 3.1: a reference trim to the receive window. */
#include "trim.h"

bool seg_trim(const struct seg_span *seg, uint32_t rcv_nxt, uint32_t rcv_wnd,
	      struct seg_span *keep, uint32_t *skip)
{
	uint32_t seg_len = (uint32_t)seg->syn + seg->len + (uint32_t)seg->fin;
	uint32_t edge = rcv_nxt + rcv_wnd;           /* one past the window */
	if (seg_len == 0) {                          /* the RFC's first two rows */
		if (rcv_wnd == 0 ? seg->seq != rcv_nxt : !seq_in(seg->seq, rcv_nxt, edge))
			return false;
		*keep = *seg;
		*skip = 0;
		return true;
	}
	bool probe = rcv_wnd == 0 && seg->seq == rcv_nxt;
	bool overlaps = rcv_wnd > 0 && SEQ_LT(seg->seq, edge) &&
			SEQ_GT(seg->seq + seg_len, rcv_nxt);
	if (!probe && !overlaps)
		return false;

	struct seg_span k = *seg;
	uint32_t front = 0;                          /* numbers before RCV.NXT */
	if (SEQ_LT(seg->seq, rcv_nxt)) {
		front = rcv_nxt - seg->seq;
		k.seq = rcv_nxt;
	}
	if (front > 0 && k.syn) {                    /* the SYN is the first number */
		k.syn = false;
		front--;
	}
	*skip = MIN(front, k.len);                   /* then the oldest bytes */
	k.len -= *skip;

	uint32_t end = k.seq + (uint32_t)k.syn + k.len + (uint32_t)k.fin;
	uint32_t back = SEQ_GT(end, edge) ? end - edge : 0;
	if (back > 0 && k.fin) {                     /* the FIN is the last number */
		k.fin = false;
		back--;
	}
	uint32_t cut = MIN(back, k.len);             /* then the newest bytes */
	k.len -= cut;
	if (back > cut)                              /* a zero window: the SYN too */
		k.syn = false;
	*keep = k;
	return true;
}
