/* Tangled from chapters/01-wire.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
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
        unsigned gso_max;           /* the largest packet the device cuts into segments; 0: none */
        bool csum_offload;          /* it finishes TCP checksums and vouches for those it
                                       delivers */
        struct netdev_offload_stats {
                uint64_t tso_writes;        /* packets of several segments handed to the device */
                uint64_t tso_segs;          /* the segments they carried */
                uint64_t gso_reads;         /* packets of several segments taken from the device */
                uint64_t gso_segs;          /* the segments they were cut into */
                uint64_t csum_trusted;      /* packets whose TCP checksum was taken on the
                                               kernel's word */
        } offload;
        struct netdev *under;       /* a wrapper's device underneath (a capture, impairment) */
};

void netdev_init(struct netdev *dev, const struct netdev_ops *ops,
                 struct loop *loop, const char *name, unsigned mtu);
void netdev_set_rx(struct netdev *dev, netdev_rx_fn rx, void *arg);
void netdev_send(struct netdev *dev, struct pkb *p);
void netdev_deliver(struct netdev *dev, struct pkb *p);
void netdev_destroy(struct netdev *dev);
struct gso_glue {
        uint8_t *buf;               /* the packet being glued (room for 64 KiB) */
        size_t len;                 /* its length so far */
        size_t nseg, seg;           /* segments glued, and the payload of the first */
        size_t hlen;                /* IP and TCP header bytes */
        uint32_t next_seq;          /* the sequence number the next segment must have */
        uint16_t next_id;           /* and its IP identification */
        bool closed;                /* a short or pushed segment ended it */
};
bool gso_glue_add(struct gso_glue *g, const uint8_t *p, size_t len, size_t max);
size_t gso_glue_finish(struct gso_glue *g);
typedef void (*gso_emit_fn)(struct pkb *p, void *arg);
size_t gso_split(const uint8_t *p, size_t len, size_t seg, bool sum,
                 gso_emit_fn emit, void *arg);
#endif
