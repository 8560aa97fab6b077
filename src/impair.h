/* Tangled from chapters/01-wire.nw, chapters/11-odds.nw by tools/tangle: edit those, not this file. */
#ifndef IMPAIR_H
#define IMPAIR_H
#include "netdev.h"
#include "rng.h"

struct impair_cfg {
        double loss, dup, corrupt, reorder;   /* probabilities, 0..1 */
        usec_t delay;                         /* added to every packet */
        usec_t reorder_gap;                   /* extra hold for a reordered packet */
        uint64_t rate_bps;                    /* 0: unlimited */
        size_t queue_limit;                   /* packets held at once (with a
                                                 rate: waiting for the wire or on it) */
        usec_t cut_at, cut_for;               /* the link carries nothing in this span */
        uint64_t seed;
        /* an experiment's own loss rule: lose exactly the packets it picks */
        bool (*lose)(void *arg, const struct pkb *p);
        void *lose_arg;
        unsigned mtu;                         /* 0: none; longer packets do not pass */
        bool mtu_silent;                      /* ...and no ICMP says so: a black hole */
        size_t mark_above;          /* 0, or mark ECT packets CE from this many queued */
        double ce;                  /* the chance of marking an ECT packet CE */
};

struct impair_stats {
        uint64_t offered, delivered, lost, duplicated, corrupted, reordered;
        uint64_t queue_drops, cut;
        uint64_t marked;
};

typedef void (*impair_out_fn)(struct pkb *p, void *arg);
typedef void (*impair_tap_fn)(void *arg, const struct pkb *p, usec_t sent,
                              usec_t arrived, bool lost);

struct impair {
        struct impair_cfg cfg;
        struct rng rng;
        struct loop *loop;
        impair_out_fn out;
        void *out_arg;
        struct pkb *head, *tail;
        size_t queued;
        uint64_t next_order;
        usec_t link_free;
        struct timer timer;
        struct impair_stats stats;
        impair_tap_fn tap;          /* if set, told the fate of every packet */
        void *tap_arg;
        struct impair *back;        /* the other direction, for a router's ICMP */
        uint64_t too_big, too_big_told;
};
void impair_cfg_default(struct impair_cfg *cfg);
void impair_init(struct impair *e, struct loop *loop,
                 const struct impair_cfg *cfg, impair_out_fn out, void *arg);
void impair_submit(struct impair *e, struct pkb *p);
void impair_discard(struct impair *e);
size_t impair_backlog(const struct impair *e);
int impair_parse(struct impair_cfg *cfg, const char *spec,
                 char *err, size_t errlen);
void impair_print_forms(FILE *f, int indent);
struct netdev *impair_wrap(struct netdev *inner, const struct impair_cfg *cfg);
const struct impair_stats *impair_wrap_stats(const struct netdev *dev, bool inbound);
bool impair_mark_ce(struct pkb *p);
#endif
