/* Exercise 3.1: a reference acceptability test. */
#include "acceptable.h"

bool seg_acceptable(uint32_t seg_seq, uint32_t seg_len, uint32_t rcv_nxt, uint32_t rcv_wnd)
{
	uint32_t edge = rcv_nxt + rcv_wnd;         /* one past the window */
	if (rcv_wnd == 0)                          /* only a bare ACK at RCV.NXT */
		return seg_len == 0 && seg_seq == rcv_nxt;
	if (seg_len == 0)
		return seq_in(seg_seq, rcv_nxt, edge);
	return seq_in(seg_seq, rcv_nxt, edge) ||
	       seq_in(seg_seq + seg_len - 1, rcv_nxt, edge);
}
