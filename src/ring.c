/* Tangled from chapters/05-closing.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "ring.h"

void ring_init(struct ring *r, size_t cap)
{
        r->buf = NULL;
        r->cap = cap;
        r->head = r->len = 0;
}

void ring_free(struct ring *r)
{
        free(r->buf);
        r->buf = NULL;
        r->head = r->len = 0;
}

size_t ring_space(const struct ring *r)
{
        return r->cap - r->len;
}

size_t ring_write(struct ring *r, const void *data, size_t n)
{
        n = MIN(n, ring_space(r));
        if (n == 0)
                return 0;
        if (r->buf == NULL && (r->buf = malloc(r->cap)) == NULL)
                oom();
        size_t tail = (r->head + r->len) % r->cap;
        size_t first = MIN(n, r->cap - tail);
        memcpy(r->buf + tail, data, first);
        memcpy(r->buf, (const uint8_t *)data + first, n - first);
        r->len += n;
        return n;
}

void ring_peek(const struct ring *r, size_t off, void *dst, size_t n)
{
        size_t at = (r->head + off) % r->cap;
        size_t first = MIN(n, r->cap - at);
        memcpy(dst, r->buf + at, first);
        memcpy((uint8_t *)dst + first, r->buf, n - first);
}

size_t ring_read(struct ring *r, void *dst, size_t n)
{
        n = MIN(n, r->len);
        if (n > 0)
                ring_peek(r, 0, dst, n);
        ring_drop(r, n);
        return n;
}

void ring_drop(struct ring *r, size_t n)
{
        n = MIN(n, r->len);
        r->head = (r->head + n) % (r->cap ? r->cap : 1);
        r->len -= n;
}
const uint8_t *ring_span(const struct ring *r, size_t off, size_t n)
{
        size_t at = (r->head + off) % r->cap;
        return n <= r->cap - at ? r->buf + at : NULL;
}
