/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#ifndef RNG_H
#define RNG_H
#include "base.h"

struct rng {
        uint64_t state;
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint64_t rng_below(struct rng *r, uint64_t n);
bool rng_chance(struct rng *r, double p);
#endif
