/* Tangled from chapters/03-segments.nw by tools/tangle: edit those, not this file. */
#include "siphash.h"

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
        v[0] += v[1]; v[1] = ROTL(v[1], 13); v[1] ^= v[0]; v[0] = ROTL(v[0], 32);
        v[2] += v[3]; v[3] = ROTL(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = ROTL(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = ROTL(v[1], 17); v[1] ^= v[2]; v[2] = ROTL(v[2], 32);
}

static uint64_t le64(const uint8_t *p, size_t n)
{
        uint64_t x = 0;
        for (size_t i = 0; i < n; i++)
                x |= (uint64_t)p[i] << (8 * i);
        return x;
}

uint64_t siphash(const struct sipkey *key, const void *data, size_t len)
{
        const uint8_t *m = data;
        uint64_t v[4] = {
                key->k0 ^ 0x736f6d6570736575ULL, key->k1 ^ 0x646f72616e646f6dULL,
                key->k0 ^ 0x6c7967656e657261ULL, key->k1 ^ 0x7465646279746573ULL,
        };
        size_t blocks = len / 8;
        for (size_t i = 0; i < blocks; i++) {
                uint64_t b = le64(m + 8 * i, 8);
                v[3] ^= b;
                sip_round(v);
                sip_round(v);
                v[0] ^= b;
        }
        uint64_t last = le64(m + 8 * blocks, len % 8) | (uint64_t)(len & 0xff) << 56;
        v[3] ^= last;
        sip_round(v);
        sip_round(v);
        v[0] ^= last;
        v[2] ^= 0xff;
        for (int i = 0; i < 4; i++)
                sip_round(v);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
}
