/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#ifndef NETDEV_H
#define NETDEV_H
#include "base.h"
#include "loop.h"
#include "pkb.h"

struct netdev;
typedef void (*netdev_rx_fn)(struct netdev *dev, struct pkb *p, void *arg);

struct netdev_ops {
        void (*send)(struct netdev *dev, struct pkb *p);   /* owns p from now on */
        void (*destroy)(struct netdev *dev);
};

struct netdev_stats {
        uint64_t tx_packets, tx_bytes, rx_packets, rx_bytes;
        uint64_t tx_dropped;   /* could not be sent (device busy, too big) */
        uint64_t rx_dropped;   /* arrived with nobody to hand them to */
};

struct netdev {
        const struct netdev_ops *ops;
        struct loop *loop;
        char name[32];
        unsigned mtu;
        netdev_rx_fn rx;
        void *rx_arg;
        struct netdev_stats stats;
};

void netdev_init(struct netdev *dev, const struct netdev_ops *ops,
                 struct loop *loop, const char *name, unsigned mtu);
void netdev_set_rx(struct netdev *dev, netdev_rx_fn rx, void *arg);
void netdev_send(struct netdev *dev, struct pkb *p);
void netdev_deliver(struct netdev *dev, struct pkb *p);
void netdev_destroy(struct netdev *dev);
#endif
