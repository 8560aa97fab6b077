/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#ifndef TUN_H
#define TUN_H
#include "netdev.h"

#define TUN_CLONE "/dev/net/tun"

bool tun_name_valid(const char *name);
struct netdev *tun_open(struct loop *loop, const char *name,
                        char *err, size_t errlen);
struct netdev *tun_open_at(struct loop *loop, const char *clone, const char *name,
                           char *err, size_t errlen);
#endif
