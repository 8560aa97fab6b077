/* Tangled from chapters/08-congestion.nw by tools/tangle: edit those, not this file. */
/* Reno and NewReno congestion control: RFC 5681 and RFC 6582. */
#include "host.h"

static void newreno_init(struct tcb *t)
{
        t->cwnd = tcp_initial_window(t);
        t->ssthresh = TCP_INFINITE_SSTHRESH;
        t->ca_acked = 0;
}

static void newreno_on_loss(struct tcb *t)
{
        tcp_cc_enter_recovery(t, half_the_flight_of(t));
}

static bool newreno_on_partial_ack(struct tcb *t, uint32_t acked)
{
        tcp_cc_partial_ack(t, acked);
        return true;
}

static void newreno_on_rto(struct tcb *t)
{
        tcp_cc_timeout(t, half_the_flight_of(t));
}

static bool reno_on_partial_ack(struct tcb *t, uint32_t acked)
{
        (void)acked;
        t->cwnd = t->ssthresh;
        t->fast_ssthresh = 0;
        t->recover_valid = false;
        return false;
}

const struct tcp_cc_ops tcp_cc_newreno = {
        .name = "newreno",
        .init = newreno_init,
        .on_ack = tcp_cc_reno_grow,
        .on_dupack = tcp_cc_inflate,
        .on_loss = newreno_on_loss,
        .on_partial_ack = newreno_on_partial_ack,
        .on_recovery_end = tcp_cc_exit_recovery,
        .on_rto = newreno_on_rto,
        .after_idle = tcp_cc_restart,
};

const struct tcp_cc_ops tcp_cc_reno = {
        .name = "reno",
        .init = newreno_init,
        .on_ack = tcp_cc_reno_grow,
        .on_dupack = tcp_cc_inflate,
        .on_loss = newreno_on_loss,
        .on_partial_ack = reno_on_partial_ack,
        .on_recovery_end = tcp_cc_exit_recovery,
        .on_rto = newreno_on_rto,
        .after_idle = tcp_cc_restart,
};
