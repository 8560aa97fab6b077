/* Tangled from chapters/08-congestion.nw by tools/tangle: edit those, not this file. */
/* CUBIC congestion control: RFC 9438. */
#include <math.h>
#include "host.h"

#define CUBIC_C 0.4
#define CUBIC_BETA 0.7

struct cubic {
        double w_max;               /* segments: the window at the last reduction */
        double cwnd_prior;          /* segments: the window before it */
        double k;                   /* seconds from the epoch's start to W_max */
        double w_est;               /* segments: the Reno-friendly estimate */
        double w;                   /* segments: cwnd with its fraction */
        usec_t epoch;               /* the congestion avoidance stage began; 0: not yet */
        usec_t last_ack;            /* the previous ACK in congestion avoidance */
};
_Static_assert(sizeof(struct cubic) <= sizeof(((struct tcb *)0)->cc_priv),
               "struct cubic must fit in a TCB's cc_priv");

static struct cubic *cubic_of(struct tcb *t)
{
        return (struct cubic *)(void *)t->cc_priv;
}

double cubic_window(double w_max, double k, double t)
{
        double d = t - k;
        return CUBIC_C * d * d * d + w_max;
}
static void cubic_on_ack(struct tcb *t, uint32_t acked)
{
        struct cubic *c = cubic_of(t);
        double mss = t->snd_mss;
        if (t->cwnd < t->ssthresh) {
                tcp_cc_reno_grow(t, acked);      /* slow start, as Reno */
                return;
        }
        usec_t now = loop_now(t->host->loop);
        if (t->snd_nxt - t->snd_una + acked < t->cwnd / 2) {
                if (c->epoch != 0)               /* the window is not in use: */
                        c->epoch += now - c->last_ack;   /* the curve waits */
                c->last_ack = now;
                return;
        }
        c->last_ack = now;
        if ((uint32_t)(c->w * mss) != t->cwnd)
                c->w = t->cwnd / mss;            /* changed by recovery since */
        if (c->epoch == 0) {
                c->epoch = now;
                if (c->w < c->w_max) {
                        c->k = cbrt((c->w_max - c->w) / CUBIC_C);
                } else {
                        c->k = 0;
                        c->w_max = c->w;
                }
                c->w_est = c->w;
        }
        double el = (double)(now - c->epoch) / 1e6, rtt = (double)t->srtt / 1e6;
        double segs = acked / mss;
        double target = cubic_window(c->w_max, c->k, el + rtt);
        target = MIN(MAX(target, c->w), 1.5 * c->w);
        double alpha = c->w_est >= c->cwnd_prior ? 1.0 :
                3.0 * (1.0 - CUBIC_BETA) / (1.0 + CUBIC_BETA);
        c->w_est += alpha * segs / c->w;
        if (cubic_window(c->w_max, c->k, el) < c->w_est)
                c->w = MAX(c->w, c->w_est);      /* the Reno-friendly region */
        else
                c->w += (target - c->w) / c->w * segs;
        t->cwnd = (uint32_t)(c->w * mss);
}
static void cubic_reduce(struct tcb *t, bool timeout)
{
        struct cubic *c = cubic_of(t);
        double mss = t->snd_mss, w = t->cwnd / mss;
        c->epoch = 0;
        c->cwnd_prior = w;
        c->w_max = w < c->w_max ? w * (1.0 + CUBIC_BETA) / 2.0 : w;   /* fast convergence */
        uint32_t ssthresh = MAX((uint32_t)(tcp_flight_size(t) * CUBIC_BETA),
                                2u * t->snd_mss);
        if (timeout) {
                c->w_max = 0;                /* K = 0 from the window where avoidance
                                                starts */
                tcp_cc_timeout(t, ssthresh);
        } else {
                tcp_cc_enter_recovery(t, ssthresh);
        }
}

static void cubic_on_loss(struct tcb *t)
{
        cubic_reduce(t, false);
}

static void cubic_on_rto(struct tcb *t)
{
        cubic_reduce(t, true);
}

static void cubic_init(struct tcb *t)
{
        *cubic_of(t) = (struct cubic){ 0 };
        t->cwnd = tcp_initial_window(t);
        t->ssthresh = TCP_INFINITE_SSTHRESH;
        t->ca_acked = 0;
}

static void cubic_after_idle(struct tcb *t)
{
        cubic_of(t)->epoch = 0;
        tcp_cc_restart(t);
}

static bool cubic_on_partial_ack(struct tcb *t, uint32_t acked)
{
        tcp_cc_partial_ack(t, acked);
        return true;
}

const struct tcp_cc_ops tcp_cc_cubic = {
        .name = "cubic",
        .init = cubic_init,
        .on_ack = cubic_on_ack,
        .on_dupack = tcp_cc_inflate,
        .on_loss = cubic_on_loss,
        .on_partial_ack = cubic_on_partial_ack,
        .on_recovery_end = tcp_cc_exit_recovery,
        .on_rto = cubic_on_rto,
        .after_idle = cubic_after_idle,
};
