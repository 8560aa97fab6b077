/* Tangled from chapters/03-segments.nw by tools/tangle: edit those, not this file. */
#ifndef SIPHASH_H
#define SIPHASH_H
#include "base.h"

struct sipkey {
        uint64_t k0, k1;
};
uint64_t siphash(const struct sipkey *key, const void *data, size_t len);
#endif
