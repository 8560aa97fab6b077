/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#ifndef SIMLINK_H
#define SIMLINK_H
#include "impair.h"

struct simlink;
struct simlink *simlink_create(struct loop *loop, const struct impair_cfg *ab,
                               const struct impair_cfg *ba, unsigned mtu);
struct netdev *simlink_end(struct simlink *link, int which);   /* 0: a, 1: b */
const struct impair_stats *simlink_stats(const struct simlink *link, int from);
size_t simlink_backlog(const struct simlink *link, int from);   /* packets queued */
void simlink_set_delay(struct simlink *link, int from, usec_t delay);   /* from now on */
void simlink_set_tap(struct simlink *link, int from, impair_tap_fn tap, void *arg);
void simlink_cut(struct simlink *link, usec_t at, usec_t length);
#endif
