/* Tangled from chapters/02-ipv4.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
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
        if (wire_fast)
                return csum_fold(csum_add_words(0, data, len));
        return csum_fold(csum_add(0, data, len));
}
static inline uint64_t csum_load64(const uint8_t *p)
{
        uint64_t w;
        memcpy(&w, p, 8);
        return w;
}

static inline uint64_t csum_add64(uint64_t acc, uint64_t w)
{
        acc += w;
        return acc + (acc < w);     /* the end-around carry */
}

static uint32_t csum_finish(uint32_t sum, uint64_t acc, const uint8_t *tail, size_t odd)
{
        if (odd) {
                uint8_t last[2] = { tail[0], 0 };     /* pad with a zero byte */
                uint16_t w;
                memcpy(&w, last, 2);
                acc = csum_add64(acc, w);
        }
        acc = (acc & 0xffffffffu) + (acc >> 32);
        acc = (acc & 0xffffffffu) + (acc >> 32);
        acc = (acc & 0xffff) + (acc >> 16);
        acc = (acc & 0xffff) + (acc >> 16);
        acc = (acc & 0xffff) + (acc >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        acc = (acc >> 8 | acc << 8) & 0xffff;     /* into the order chapter 2 sums in */
#endif
        return sum + (uint32_t)acc;
}
static uint64_t csum_tail16(uint64_t acc, const uint8_t *p, size_t n)
{
        for (; n >= 2; p += 2, n -= 2) {
                uint16_t w;
                memcpy(&w, p, 2);
                acc = csum_add64(acc, w);
        }
        return acc;
}

uint32_t csum_add_words(uint32_t sum, const void *data, size_t len)
{
        const uint8_t *p = data;
        uint64_t acc = 0;
        for (; len >= 32; p += 32, len -= 32) {
                acc = csum_add64(acc, csum_load64(p));
                acc = csum_add64(acc, csum_load64(p + 8));
                acc = csum_add64(acc, csum_load64(p + 16));
                acc = csum_add64(acc, csum_load64(p + 24));
        }
        for (; len >= 8; p += 8, len -= 8)
                acc = csum_add64(acc, csum_load64(p));
        acc = csum_tail16(acc, p, len & ~(size_t)1);
        return csum_finish(sum, acc, (len & 1) ? p + (len - 1) : p, len & 1);
}
uint32_t csum_copy(uint32_t sum, void *dst, const void *src, size_t len)
{
        const uint8_t *s = src;
        uint8_t *d = dst;
        uint64_t acc = 0;
        for (; len >= 32; s += 32, d += 32, len -= 32) {
                uint64_t w[4];
                memcpy(w, s, 32);
                memcpy(d, w, 32);
                acc = csum_add64(acc, w[0]);
                acc = csum_add64(acc, w[1]);
                acc = csum_add64(acc, w[2]);
                acc = csum_add64(acc, w[3]);
        }
        if (len > 0)
                memcpy(d, s, len);          /* the last 1..31 bytes */
        for (; len >= 8; s += 8, len -= 8)
                acc = csum_add64(acc, csum_load64(s));
        acc = csum_tail16(acc, s, len & ~(size_t)1);
        return csum_finish(sum, acc, (len & 1) ? s + (len - 1) : s, len & 1);
}
