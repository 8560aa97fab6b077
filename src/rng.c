/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#include "rng.h"

void rng_seed(struct rng *r, uint64_t seed)
{
        r->state = seed;
}

uint64_t rng_next(struct rng *r)
{
        uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
        return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

bool rng_chance(struct rng *r, double p)
{
        if (p <= 0)
                return false;
        return (double)(rng_next(r) >> 11) * 0x1.0p-53 < p;
}
