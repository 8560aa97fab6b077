/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#include "base.h"

void oom(void)
{
        fputs("out of memory\n", stderr);
        abort();
}

void *xcalloc(size_t n, size_t size)
{
        void *p = calloc(n, size);
        if (p == NULL)
                oom();
        return p;
}
