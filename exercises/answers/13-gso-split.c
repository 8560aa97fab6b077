/* Exercise 13.2: a reference answer (read it after trying). */
#include <string.h>
#include "gsocut.h"
#include "checksum.h"

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

size_t gso_cut(const uint8_t *pkt, size_t len, size_t seg,
	       uint8_t (*out)[GSO_SEG_MAX], size_t *lens, size_t max)
{
	if (len < 40 || pkt[0] != 0x45 || pkt[9] != 6 || get16(pkt + 2) != len)
		return 0;
	size_t hl = 20 + (size_t)(pkt[32] >> 4) * 4;
	if (hl < 40 || hl > len || seg == 0 || hl + seg > GSO_SEG_MAX)
		return 0;
	size_t pay = len - hl;
	size_t n = pay == 0 ? 1 : (pay + seg - 1) / seg;
	if (n > max)
		return 0;
	uint32_t seq = get16(pkt + 24) << 16 | get16(pkt + 26);
	uint32_t id = get16(pkt + 4);
	for (size_t k = 0; k < n; k++) {
		size_t off = k * seg, m = pay - off < seg ? pay - off : seg;
		uint8_t *d = out[k];
		memcpy(d, pkt, hl);
		memcpy(d + hl, pkt + hl + off, m);
		put16(d + 2, (uint32_t)(hl + m));
		put16(d + 4, (id + (uint32_t)k) & 0xffff);
		put16(d + 10, 0);
		put16(d + 10, inet_checksum(d, 20));
		uint32_t s = seq + (uint32_t)off;
		put16(d + 24, s >> 16);
		put16(d + 26, s & 0xffff);
		if (k + 1 < n)
			d[33] &= (uint8_t)~0x09;         /* PSH and FIN: the last only */
		if (k > 0)
			d[33] &= (uint8_t)~0x80;         /* CWR: the first only */
		uint8_t ph[12] = { 0 };
		memcpy(ph, d + 12, 8);
		ph[9] = 6;
		put16(ph + 10, (uint32_t)(hl - 20 + m));
		put16(d + 36, 0);
		put16(d + 36, csum_fold(csum_add(csum_add(0, ph, 12), d + 20, hl - 20 + m)));
		lens[k] = hl + m;
	}
	return n;
}
