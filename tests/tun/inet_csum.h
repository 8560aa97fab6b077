/* tests/tun/inet_csum.h: the Internet checksum (RFC 1071) for the small
 * packet forgers of the TUN tests (synflood.c, spoof.c), which build their
 * IP and TCP headers by hand and are compiled on their own, outside the
 * stack: SUM is what earlier parts (a pseudo-header) already added. */
#ifndef INET_CSUM_H
#define INET_CSUM_H
#include <stddef.h>
#include <stdint.h>

static uint16_t csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
#endif
