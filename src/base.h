/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#ifndef BASE_H
#define BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t usec_t;   /* microseconds */

#define USEC_PER_MSEC ((usec_t)1000)
#define USEC_PER_SEC  ((usec_t)1000000)
#define MSEC(n) ((usec_t)(n) * USEC_PER_MSEC)
#define SEC(n)  ((usec_t)(n) * USEC_PER_SEC)

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void oom(void);
void *xcalloc(size_t n, size_t size);

#endif
