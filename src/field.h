/* Tangled from chapters/02-ipv4.nw by tools/tangle: edit those, not this file. */
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
#endif
