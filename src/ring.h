/* Tangled from chapters/05-closing.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef RING_H
#define RING_H
#include "base.h"

struct ring {
        uint8_t *buf;       /* allocated on first write */
        size_t cap, head, len;
};

void ring_init(struct ring *r, size_t cap);
void ring_free(struct ring *r);
size_t ring_space(const struct ring *r);
size_t ring_write(struct ring *r, const void *data, size_t n);
void ring_peek(const struct ring *r, size_t off, void *dst, size_t n);
size_t ring_read(struct ring *r, void *dst, size_t n);
void ring_drop(struct ring *r, size_t n);
const uint8_t *ring_span(const struct ring *r, size_t off, size_t n);
#endif
