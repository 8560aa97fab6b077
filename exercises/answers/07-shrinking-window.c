/* Exercise 7.1: reference shrunk-window finder (RFC 9293 3.8.6, RFC 7323 2.4). */
#include "shrink.h"

long shrink_find(const struct adv *a, size_t n, unsigned shift, uint32_t *back)
{
	uint32_t furthest = 0;   /* the furthest right edge so far */
	for (size_t i = 0; i < n; i++) {
		/* the window in bytes: 65535 << 14 still fits in 32 bits */
		uint32_t wnd = a[i].syn ? a[i].wnd : (uint32_t)a[i].wnd << shift;
		uint32_t edge = a[i].ack + wnd;         /* modulo 2^32 */
		if (i == 0 || SEQ_GT(edge, furthest)) {
			furthest = edge;
			continue;
		}
		/* at or left of the furthest edge, on the circle */
		uint32_t gap = furthest - edge;
		if (gap >= (uint32_t)1 << shift) {
			if (back)
				*back = gap;
			return (long)i;
		}
	}
	return -1;
}
