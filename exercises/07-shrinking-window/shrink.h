/* Exercise 7.1: finding a shrunk window (see README.md). */
#ifndef SHRINK_H
#define SHRINK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "tcp_wire.h"      /* SEQ_LT and friends */

/* One advertisement, as the receiver sent it: the acknowledgment number
 * (RCV.NXT) and the 16-bit window field of the same segment. */
struct adv {
	uint32_t ack;               /* the acknowledgment number */
	uint16_t wnd;               /* the window field, as on the wire */
	bool syn;                   /* the segment carried SYN: its window is not scaled */
};

/* Reads the advertisements a[0..n-1] in the order they were sent, by a
 * receiver whose window scale is shift (0 to 14; RFC 7323). The window
 * of a segment is wnd << shift bytes, except on a SYN, where it is wnd.
 * Its right edge is ack + window, modulo 2^32.
 *
 * Returns the index of the first advertisement whose right edge lies
 * left of the furthest right edge advertised before it by 2^shift bytes
 * or more, and sets *back (if back is not NULL) to how many bytes left
 * of that furthest edge it lies. A step back of fewer than 2^shift
 * bytes is the rounding of a scaled window, which RFC 7323 2.4 allows:
 * not a shrink. Returns -1, and leaves *back alone, if no advertisement
 * shrinks the window. */
long shrink_find(const struct adv *a, size_t n, unsigned shift, uint32_t *back);
#endif
