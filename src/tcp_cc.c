/* Tangled from chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#include "host.h"

static void none_init(struct tcb *t)
{
        t->cwnd = UINT32_MAX;
        t->ssthresh = UINT32_MAX;
}

const struct tcp_cc_ops tcp_cc_none = { .name = "none", .init = none_init };
