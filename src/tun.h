/* Tangled from chapters/01-wire.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef TUN_H
#define TUN_H
#include "netdev.h"

#define TUN_CLONE "/dev/net/tun"

bool tun_name_valid(const char *name);
struct netdev *tun_open(struct loop *loop, const char *name,
                        char *err, size_t errlen);
struct netdev *tun_open_at(struct loop *loop, const char *clone, const char *name,
                           char *err, size_t errlen);
enum tun_offload { TUN_OFFLOAD_OFF, TUN_OFFLOAD_ON, TUN_OFFLOAD_REFUSED };
void tun_set_offload(enum tun_offload how);
#endif
