/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#include "netdev.h"

void netdev_init(struct netdev *dev, const struct netdev_ops *ops,
                 struct loop *loop, const char *name, unsigned mtu)
{
        memset(dev, 0, sizeof *dev);
        dev->ops = ops;
        dev->loop = loop;
        snprintf(dev->name, sizeof dev->name, "%s", name);
        dev->mtu = mtu;
}

void netdev_set_rx(struct netdev *dev, netdev_rx_fn rx, void *arg)
{
        dev->rx = rx;
        dev->rx_arg = arg;
}

void netdev_send(struct netdev *dev, struct pkb *p)
{
        if (p->len > dev->mtu) {
                dev->stats.tx_dropped++;
                pkb_free(p);
                return;
        }
        dev->stats.tx_packets++;
        dev->stats.tx_bytes += p->len;
        dev->ops->send(dev, p);
}

void netdev_deliver(struct netdev *dev, struct pkb *p)
{
        dev->stats.rx_packets++;
        dev->stats.rx_bytes += p->len;
        if (dev->rx == NULL) {
                dev->stats.rx_dropped++;
                pkb_free(p);
                return;
        }
        dev->rx(dev, p, dev->rx_arg);
}

void netdev_destroy(struct netdev *dev)
{
        if (dev != NULL)
                dev->ops->destroy(dev);
}
