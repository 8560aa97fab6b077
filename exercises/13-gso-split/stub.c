/* Exercise 13.2: cutting a GSO packet goes here (see README.md). */
#include <string.h>
#include "gsocut.h"

/* what a reader without offloads would do: take the packet as it is */
size_t gso_cut(const uint8_t *pkt, size_t len, size_t seg,
	       uint8_t (*out)[GSO_SEG_MAX], size_t *lens, size_t max)
{
	(void)seg;
	if (max == 0 || len > GSO_SEG_MAX)
		return 0;
	memcpy(out[0], pkt, len);
	lens[0] = len;
	return 1;
}
