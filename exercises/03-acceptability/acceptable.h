/* Exercise 3.1: the segment acceptability test (see README.md). */
#ifndef ACCEPTABLE_H
#define ACCEPTABLE_H
#include "tcp_wire.h"  /* SEQ_LT, SEQ_LEQ, SEQ_GT, SEQ_GEQ, seq_in */

/* Whether a segment occupying SEG.LEN sequence numbers from SEG.SEQ passes
 * RFC 9293 section 3.10.7.4's test against the receive window that starts
 * at RCV.NXT and is RCV.WND long (RCV.WND < 2^31). Everything is modulo
 * 2^32. */
bool seg_acceptable(uint32_t seg_seq, uint32_t seg_len, uint32_t rcv_nxt, uint32_t rcv_wnd);
#endif
