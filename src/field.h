/* Tangled from chapters/02-ipv4.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef FIELD_H
#define FIELD_H
#include "base.h"

struct field {
        const char *name;
        uint16_t bit;         /* offset from the start of the header, in bits */
        uint8_t width;        /* in bits, 1..32 */
};

uint32_t field_get(const uint8_t *hdr, const struct field *f);
void field_set(uint8_t *hdr, const struct field *f, uint32_t value);
void field_print_dot(FILE *out, const char *title,
                     const struct field *fields, size_t n);
extern bool wire_fast;      /* chapter 13's loads, stores and word-wise sums */

static inline uint32_t field_load16(const uint8_t *p)
{
        return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t field_load(const uint8_t *hdr, const struct field *f)
{
        const uint8_t *p = hdr + f->bit / 8;
        unsigned off = f->bit % 8;
        if (off == 0 && f->width == 32)
                return get_be32(p);
        if (off == 0 && f->width == 16)
                return field_load16(p);
        if (off == 0 && f->width == 8)
                return p[0];
        unsigned shift = 16 - off - f->width;    /* the field inside one 16-bit word */
        return field_load16(p) >> shift & ((1u << f->width) - 1);
}
static inline void field_store(uint8_t *hdr, const struct field *f, uint32_t v)
{
        uint8_t *p = hdr + f->bit / 8;
        unsigned off = f->bit % 8;
        if (off == 0 && f->width == 32) {
                put_be32(p, v);
                return;
        }
        if (off == 0 && f->width <= 16 && f->width % 8 == 0) {
                if (f->width == 16)
                        *p++ = (uint8_t)(v >> 8);
                *p = (uint8_t)v;
                return;
        }
        unsigned shift = 16 - off - f->width;
        uint32_t mask = ((1u << f->width) - 1) << shift;
        uint32_t w = (field_load16(p) & ~mask) | (v << shift & mask);
        p[0] = (uint8_t)(w >> 8);
        p[1] = (uint8_t)w;
}
#endif
