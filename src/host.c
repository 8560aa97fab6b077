/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#include "host.h"


void config_default(struct config *cfg)
{
        memset(cfg, 0, sizeof *cfg);
        
}


static void host_input(struct netdev *dev, struct pkb *p, void *arg)
{
        (void)dev;
        struct host *h = arg;
        h->stats.rx_packets++;
        
        h->stats.unhandled++;
        if (h->cfg.verbose) {
                printf("%s: unhandled packet of %zu bytes:", h->dev->name, p->len);
                for (size_t i = 0; i < MIN(p->len, (size_t)20); i++)
                        printf(" %02x", p->data[i]);
                printf("%s\n", p->len > 20 ? " ..." : "");
        }
        pkb_free(p);
}
struct host *host_create(struct loop *loop, struct netdev *dev,
                         const struct config *cfg)
{
        struct host *h = xcalloc(1, sizeof *h);
        h->loop = loop;
        h->dev = dev;
        h->cfg = *cfg;
        
        netdev_set_rx(dev, host_input, h);
        return h;
}

void host_destroy(struct host *h)
{
        if (h == NULL)
                return;
        
        netdev_destroy(h->dev);
        free(h);
}
void host_print_stats(const struct host *h, FILE *f)
{
        const struct netdev_stats *d = &h->dev->stats;
        fprintf(f, "Device %s:\n", h->dev->name);
        fprintf(f, "    %llu packets received, %llu bytes\n",
                (unsigned long long)d->rx_packets, (unsigned long long)d->rx_bytes);
        fprintf(f, "    %llu packets sent, %llu bytes\n",
                (unsigned long long)d->tx_packets, (unsigned long long)d->tx_bytes);
        fprintf(f, "    %llu outgoing packets dropped\n",
                (unsigned long long)d->tx_dropped);
        fprintf(f, "Host:\n");
        fprintf(f, "    %llu packets taken by no protocol\n",
                (unsigned long long)h->stats.unhandled);
        
}
