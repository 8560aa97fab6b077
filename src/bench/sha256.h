/* Tangled from chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#ifndef SHA256_H
#define SHA256_H
#include "base.h"

struct sha256 {
        uint32_t h[8];
        uint64_t bytes;
        uint8_t block[64];
        size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t digest[32]);
void sha256_hex(const uint8_t digest[32], char hex[65]);
#endif
