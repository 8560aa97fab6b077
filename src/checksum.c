/* Tangled from chapters/02-ipv4.nw by tools/tangle: edit those, not this file. */
#include "checksum.h"

uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
        const uint8_t *p = data;
        while (len > 1) {
                sum += (uint32_t)p[0] << 8 | p[1];
                p += 2;
                len -= 2;
        }
        if (len == 1)
                sum += (uint32_t)p[0] << 8;     /* pad with a zero byte */
        return sum;
}

uint16_t csum_fold(uint32_t sum)
{
        while (sum >> 16)
                sum = (sum & 0xffff) + (sum >> 16);
        return (uint16_t)~sum;
}

uint16_t inet_checksum(const void *data, size_t len)
{
        return csum_fold(csum_add(0, data, len));
}
