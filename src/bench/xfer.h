/* Tangled from chapters/06-delivery.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef XFER_H
#define XFER_H
#include "host.h"
#include "impair.h"

struct xfer_cfg {
        struct impair_cfg link;     /* each direction; its seeds come from seed */
        struct config host;         /* both hosts' settings */
        size_t bytes;               /* sent each way */
        uint64_t seed;              /* the link's faults and both hosts' secrets */
        bool wrap;                  /* a's initial sequence number just below 2^32 */
        usec_t cut_for;             /* cut the link this long when a has a quarter */
        usec_t stall_limit;         /* nothing moved for this long: hung */
        usec_t drain_limit;         /* how long the TCBs may outlive the applications */
        void (*watch)(void *arg, const struct tcb *a, usec_t now);   /* every step */
        void *watch_arg;
        unsigned mtu;               /* the link's MTU; 0: 1500 */
        bool offload;               /* checksum offload at both ends, as --offload */
};

enum xfer_outcome {
        XFER_EXACT, XFER_WRONG, XFER_FAILED, XFER_HUNG, XFER_LEFT_OPEN, XFER_OUTCOMES
};
extern const char *const xfer_outcome_names[XFER_OUTCOMES];

struct xfer_result {
        enum xfer_outcome outcome;
        usec_t took;                /* until both applications had closed */
        size_t got[2], bad[2];      /* bytes a and b received, and how many differed */
        int errors;                 /* connections reset or timed out */
        int redials;                /* connection attempts that timed out and were redone */
        size_t left;                /* TCBs (other than b's listener) at the end */
        uint32_t iss;               /* a's initial sequence number */
        struct tcp_stats stats[2];  /* a's and b's TCP counters at the end */
};

void xfer_cfg_default(struct xfer_cfg *c);
void xfer_run(const struct xfer_cfg *c, struct xfer_result *r);
double padhye_seconds(double bytes, double mss, double p, double rtt, double t0,
                      double b, double wmax);
#endif
