/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#ifndef HOST_H
#define HOST_H
#include "netdev.h"

struct config {
        bool verbose;               /* print a line for each unhandled packet */
        
};

void config_default(struct config *cfg);

struct host_stats {
        uint64_t rx_packets;
        uint64_t unhandled;         /* taken by no layer */
        
};

struct host {
        struct loop *loop;
        struct netdev *dev;
        struct config cfg;
        struct host_stats stats;
        
};

struct host *host_create(struct loop *loop, struct netdev *dev,
                         const struct config *cfg);
void host_destroy(struct host *h);
void host_print_stats(const struct host *h, FILE *f);

#endif
