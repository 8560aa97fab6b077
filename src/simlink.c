/* Tangled from chapters/01-wire.nw, chapters/11-odds.nw by tools/tangle: edit those, not this file. */
#include "simlink.h"

struct simlink_end {
        struct netdev dev;
        struct simlink *link;
        int which;
        bool open;
        struct impair wire;       /* packets leaving this end */
};

struct simlink {
        struct simlink_end end[2];
};

static void simlink_send(struct netdev *dev, struct pkb *p)
{
        struct simlink_end *e = (struct simlink_end *)dev;
        impair_submit(&e->wire, p);
}

static void simlink_arrive(struct pkb *p, void *arg)
{
        struct simlink_end *from = arg;
        struct simlink_end *to = &from->link->end[1 - from->which];
        if (!to->open) {
                pkb_free(p);
                return;
        }
        netdev_deliver(&to->dev, p);
}
static void simlink_destroy(struct netdev *dev)
{
        struct simlink_end *e = (struct simlink_end *)dev;
        struct simlink *link = e->link;
        e->open = false;
        impair_discard(&e->wire);
        if (!link->end[0].open && !link->end[1].open)
                free(link);
}

static const struct netdev_ops simlink_ops = { simlink_send, simlink_destroy };

struct simlink *simlink_create(struct loop *loop, const struct impair_cfg *ab,
                               const struct impair_cfg *ba, unsigned mtu)
{
        struct simlink *link = xcalloc(1, sizeof *link);
        const struct impair_cfg *cfg[2] = { ab, ba };
        for (int i = 0; i < 2; i++) {
                struct simlink_end *e = &link->end[i];
                netdev_init(&e->dev, &simlink_ops, loop, i == 0 ? "sim-a" : "sim-b", mtu);
                e->link = link;
                e->which = i;
                e->open = true;
                impair_init(&e->wire, loop, cfg[i], simlink_arrive, e);
        }
        link->end[0].wire.back = &link->end[1].wire;
        link->end[1].wire.back = &link->end[0].wire;
        return link;
}

struct netdev *simlink_end(struct simlink *link, int which)
{
        return &link->end[which].dev;
}

const struct impair_stats *simlink_stats(const struct simlink *link, int from)
{
        return &link->end[from].wire.stats;
}

size_t simlink_backlog(const struct simlink *link, int from)
{
        return impair_backlog(&link->end[from].wire);
}

void simlink_set_delay(struct simlink *link, int from, usec_t delay)
{
        link->end[from].wire.cfg.delay = delay;
}

void simlink_set_tap(struct simlink *link, int from, impair_tap_fn tap, void *arg)
{
        link->end[from].wire.tap = tap;
        link->end[from].wire.tap_arg = arg;
}
void simlink_cut(struct simlink *link, usec_t at, usec_t length)
{
        for (int i = 0; i < 2; i++) {
                link->end[i].wire.cfg.cut_at = at;
                link->end[i].wire.cfg.cut_for = length;
        }
}
