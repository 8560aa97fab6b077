/* Tangled from chapters/01-wire.nw, chapters/02-ipv4.nw, chapters/03-segments.nw by tools/tangle: edit those, not this file. */
#ifndef HOST_H
#define HOST_H
#include "netdev.h"
#include "ipv4.h"
#include "icmp.h"
#include "siphash.h"
#include "tcp.h"

struct config {
        bool verbose;               /* print a line for each unhandled packet */
        uint32_t addr;              /* our IPv4 address; 0: none */
        uint8_t ip_ttl;             /* TTL of datagrams we send (net.ipv4.ip_default_ttl) */
        struct sipkey secret;       /* keys every hash an attacker must not predict */
        size_t max_connections;     /* TCBs at most, of every state */
        uint16_t ephemeral_lo, ephemeral_hi;   /* net.ipv4.ip_local_port_range */
};

void config_default(struct config *cfg);

struct host_stats {
        uint64_t rx_packets;
        uint64_t unhandled;         /* taken by no layer */
        struct ip_stats ip;
        struct icmp_stats icmp;
        struct tcp_stats tcp;
};

struct host {
        struct loop *loop;
        struct netdev *dev;
        struct config cfg;
        struct host_stats stats;
        uint16_t ip_next_id;        /* identification of the next datagram we send */
        void (*on_echo_reply)(struct host *h, uint32_t from, const struct pkb *p, void *arg);
        void *echo_arg;
        struct tcp_table *tcp;
};

struct host *host_create(struct loop *loop, struct netdev *dev,
                         const struct config *cfg);
void host_destroy(struct host *h);
void host_print_stats(const struct host *h, FILE *f);

#endif
