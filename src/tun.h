/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#ifndef TUN_H
#define TUN_H
#include "netdev.h"

struct netdev *tun_open(struct loop *loop, const char *name,
                        char *err, size_t errlen);
#endif
