/* Tangled from chapters/01-wire.nw, chapters/02-ipv4.nw, chapters/03-segments.nw, chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/08-congestion.nw, chapters/09-sack.nw, chapters/10-timestamps.nw, chapters/11-odds.nw, chapters/12-attack.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef HOST_H
#define HOST_H
#include "netdev.h"
#include "ipv4.h"
#include "icmp.h"
#include "siphash.h"
#include "tcp_var.h"

struct config {
        bool verbose;               /* print a line for each unhandled packet */
        uint32_t addr;              /* our IPv4 address; 0: none */
        uint8_t ip_ttl;             /* TTL of datagrams we send (net.ipv4.ip_default_ttl) */
        struct sipkey secret;       /* keys every hash an attacker must not predict */
        size_t max_connections;     /* TCBs at most, of every state */
        uint16_t ephemeral_lo, ephemeral_hi;   /* net.ipv4.ip_local_port_range */
        uint64_t *transition_log;   /* if set: counts transitions across hosts (tests) */
        size_t max_tw_buckets;      /* net.ipv4.tcp_max_tw_buckets */
        usec_t invalid_ratelimit;   /* net.ipv4.tcp_invalid_ratelimit: per connection */
        unsigned challenge_ack_limit;   /* net.ipv4.tcp_challenge_ack_limit: per host,
                                           per second; 0: none */
        bool header_prediction;     /* the fast path for in-order ACKs and data */
        bool ack_batch;             /* the ACK of a turn's in-order segments waits for
                                       its end (GRO) */
        bool table_grow;            /* double the connection table when loaded */
        uint32_t port_tries;        /* ports one connect tries at most; 0: the whole range */
        size_t pkb_keep;            /* freed packet buffers kept for reuse */
        bool lookup_cache;          /* try the last connection found first */
        int syn_retries;            /* net.ipv4.tcp_syn_retries */
        int synack_retries;         /* net.ipv4.tcp_synack_retries */
        int max_syn_backlog;        /* net.ipv4.tcp_max_syn_backlog */
        bool abort_on_overflow;     /* net.ipv4.tcp_abort_on_overflow */
        bool two_way_handshake;     /* the experiment of chapter 4 only */
        int listen_backlog;         /* backlog of the applications' listeners */
        bool syncookies;            /* net.ipv4.tcp_syncookies: when the SYN queue is full */
        uint16_t min_snd_mss;       /* net.ipv4.tcp_min_snd_mss */
        usec_t rto_initial, rto_max;
        usec_t msl;                 /* maximum segment lifetime: TIME-WAIT is 2 * msl */
        usec_t fin_timeout;         /* net.ipv4.tcp_fin_timeout */
        int retries2;               /* net.ipv4.tcp_retries2 */
        usec_t delack;              /* longest an ACK may wait; 0: never wait */
        usec_t rto_min;             /* RFC 6298 (2.4): 1 s; Linux: 200 ms */
        usec_t persist_max;         /* the longest wait between window probes */
        bool keepalive;             /* SO_KEEPALIVE on new connections (RFC 1122: off) */
        usec_t keepalive_idle;      /* net.ipv4.tcp_keepalive_time */
        usec_t keepalive_intvl;     /* net.ipv4.tcp_keepalive_intvl */
        int keepalive_probes;       /* net.ipv4.tcp_keepalive_probes */
        size_t rcvbuf;              /* bytes of receive buffer: the window we offer */
        size_t sndbuf;              /* bytes of send buffer */
        int ooo_max;                /* segments at most in a reassembly queue */
        bool window_scaling;        /* net.ipv4.tcp_window_scaling */
        bool nodelay;               /* TCP_NODELAY for new connections */
        size_t mem_max;             /* buffer memory of all connections together (tcp_mem) */
        int dupthresh;              /* duplicate ACKs that mean a loss (RFC 5681: 3) */
        const struct tcp_cc_ops *cc;  /* the congestion control of new connections */
        int init_cwnd;              /* the initial window, in segments (RFC 6928: 10) */
        bool limited_transmit;      /* RFC 3042: new data on the first two duplicate ACKs */
        bool slow_start_after_idle; /* RFC 5681 4.1: the restart window after an idle RTO */
        void (*cc_watch)(void *arg, const struct tcb *t);   /* cwnd, ssthresh or flight changed */
        void *cc_watch_arg;
        bool sack;                  /* offer and use selective acknowledgment (RFC 2018) */
        bool timestamps;            /* offer and use the timestamps option (RFC 7323) */
        bool eifel;                 /* undo a spurious retransmission's response (RFC 3522/4015) */
        unsigned pmtu_min;          /* the smallest path MTU believed (Linux: min_pmtu, 552) */
        int blackhole_rtos;         /* timeouts in a row of a full segment that lower the
                                       MTU; 0: never (Linux: tcp_mtu_probing) */
        int ecn;                    /* 0 off, 1 ask and accept, 2 accept only (RFC 3168) */
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
        void (*on_state)(struct tcb *t, enum tcp_state from, enum tcp_state to, void *arg);
        void *state_arg;
        bool challenge_started;     /* a budget has been drawn... */
        uint64_t challenge_second;  /* ...for this second */
        unsigned challenge_left;    /* challenge ACKs the host may still send in it */
        size_t tcp_mem;             /* buffer memory the host's connections hold */
        size_t tcp_mem_peak;
        size_t tcp_mem_waiters;     /* connections refused a send buffer */
        struct timer tcp_mem_wake;  /* tells them when memory is given back */
        struct tcb *ack_batch[64];  /* connections whose ACK waits for the end of the turn */
        size_t nack_batch;
        bool turns;                 /* the loop calls host_turn_end at the end of each turn */
};

struct host *host_create(struct loop *loop, struct netdev *dev,
                         const struct config *cfg);
void host_destroy(struct host *h);
void host_print_stats(const struct host *h, FILE *f);
void print_drops(FILE *f, const uint64_t *counts, const char *const *names, int n);
#endif
