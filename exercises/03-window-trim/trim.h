/* Exercise 3.1: accept a segment that overlaps the receive window, and
 * cut it to the part inside (see README.md). */
#ifndef TRIM_H
#define TRIM_H
#include "tcp_wire.h"  /* SEQ_LT, SEQ_LEQ, SEQ_GT, SEQ_GEQ, seq_in */

/* A segment as sequence space sees it. A SYN occupies the number seq;
 * the len bytes of data follow it (from seq + 1 after a SYN, from seq
 * otherwise); a FIN occupies the number after the last byte. So SEG.LEN,
 * the count of numbers the segment occupies, is syn + len + fin. */
struct seg_span {
	uint32_t seq;      /* SEG.SEQ */
	bool syn;
	uint32_t len;      /* bytes of data */
	bool fin;
};

/* Whether the segment *seg is acceptable to a receiver whose window is
 * the RCV.WND numbers from RCV.NXT on, and if it is, which part of it to
 * keep (README.md has the rules). Everything is modulo 2^32; RCV.WND and
 * SEG.LEN are below 2^31.
 *
 * An unacceptable segment: returns false and leaves *keep and *skip
 * alone. An acceptable one: returns true, with *keep the part inside
 * the window (keep->seq is SEG.SEQ moved past the numbers cut from the
 * front) and *skip the number of data bytes cut from the front, so that
 * the bytes kept are data[*skip] to data[*skip + keep->len - 1]. */
bool seg_trim(const struct seg_span *seg, uint32_t rcv_nxt, uint32_t rcv_wnd,
	      struct seg_span *keep, uint32_t *skip);
#endif
