/* Tangled from chapters/06-delivery.nw, chapters/08-congestion.nw by tools/tangle: edit those, not this file. */
#include "host.h"

static void none_init(struct tcb *t)
{
        t->cwnd = UINT32_MAX;
        t->ssthresh = UINT32_MAX;
}

const struct tcp_cc_ops tcp_cc_none = { .name = "none", .init = none_init };
uint32_t tcp_initial_window(const struct tcb *t)
{
        uint32_t n = (uint32_t)t->host->cfg.init_cwnd, mss = t->snd_mss;
        return MIN(n * mss, MAX(2 * mss, n * 1460));
}
static bool cwnd_in_use(const struct tcb *t, uint32_t acked)
{
        uint32_t flight_before = t->snd_nxt - t->snd_una + acked;
        return flight_before >= t->cwnd / 2;
}

void tcp_cc_reno_grow(struct tcb *t, uint32_t acked)
{
        uint32_t mss = t->snd_mss;
        if (!cwnd_in_use(t, acked))
                return;
        if (t->cwnd < t->ssthresh) {                         /* slow start */
                uint32_t limit = t->after_rto ? mss : 2 * mss;
                t->cwnd += MIN(acked, limit);
                return;
        }
        t->after_rto = false;                                /* congestion avoidance */
        t->ca_acked += acked;
        if (t->ca_acked >= t->cwnd) {
                t->ca_acked -= t->cwnd;
                t->cwnd += mss;
        }
}
void tcp_cc_enter_recovery(struct tcb *t, uint32_t ssthresh)
{
        t->ssthresh = ssthresh;
        t->fast_ssthresh = ssthresh;
        t->cwnd = ssthresh + (uint32_t)t->host->cfg.dupthresh * t->snd_mss;
        t->ca_acked = 0;
        t->timeout_recovery = false;
}

void tcp_cc_inflate(struct tcb *t)
{
        if ((t->flags & TF_IN_RECOVERY) && !t->timeout_recovery)
                t->cwnd += t->snd_mss;       /* not after a timeout: nothing was inflated */
}
uint32_t tcp_flight_size(const struct tcb *t)
{
        if (t->dupacks > 0 && SEQ_GEQ(t->lt_start, t->snd_una) &&
            SEQ_LT(t->lt_start, t->snd_nxt))
                return t->lt_start - t->snd_una;
        return t->snd_nxt - t->snd_una;
}

static uint32_t half_the_flight(const struct tcb *t)
{
        return MAX(tcp_flight_size(t) / 2, 2u * t->snd_mss);
}
void tcp_cc_partial_ack(struct tcb *t, uint32_t acked)
{
        if (t->timeout_recovery) {
                tcp_cc_reno_grow(t, acked);
                return;
        }
        t->cwnd = t->cwnd > acked + t->snd_mss ? t->cwnd - acked : t->snd_mss;
        if (acked >= t->snd_mss)
                t->cwnd += t->snd_mss;
}

void tcp_cc_exit_recovery(struct tcb *t)
{
        t->fast_ssthresh = 0;
        if (t->timeout_recovery) {
                t->timeout_recovery = false;
                return;
        }
        uint32_t flight = t->snd_nxt - t->snd_una;
        t->cwnd = MIN(t->ssthresh, MAX(flight, (uint32_t)t->snd_mss) + t->snd_mss);
        t->ca_acked = 0;
}
void tcp_cc_timeout(struct tcb *t, uint32_t ssthresh)
{
        if (t->fast_ssthresh != 0) {         /* a retransmission of fast recovery
                                                was lost */
                uint32_t flight = MAX(t->snd_nxt - t->snd_una, 1u);
                uint64_t again = (uint64_t)t->fast_ssthresh * ssthresh / flight;
                ssthresh = MIN(ssthresh, MAX((uint32_t)again, 2u * t->snd_mss));
                t->fast_ssthresh = 0;
        }
        if (t->rtx_count <= 1)               /* not when the same segment times out again */
                t->ssthresh = ssthresh;
        t->cwnd = t->snd_mss;
        t->ca_acked = 0;
        t->after_rto = true;
        t->timeout_recovery = true;
}
void tcp_cc_restart(struct tcb *t)
{
        if (t->host->cfg.slow_start_after_idle)
                t->cwnd = MIN(t->cwnd, tcp_initial_window(t));
}
uint32_t half_the_flight_of(const struct tcb *t)
{
        return half_the_flight(t);
}
static const struct tcp_cc_ops *const tcp_cc_algorithms[] = {
        &tcp_cc_newreno, &tcp_cc_reno, &tcp_cc_cubic, &tcp_cc_none,
};

const struct tcp_cc_ops *tcp_cc_find(const char *name)
{
        for (size_t i = 0; i < ARRAY_LEN(tcp_cc_algorithms); i++)
                if (strcmp(tcp_cc_algorithms[i]->name, name) == 0)
                        return tcp_cc_algorithms[i];
        return NULL;
}

void tcp_cc_print_names(FILE *f)
{
        for (size_t i = 0; i < ARRAY_LEN(tcp_cc_algorithms); i++)
                fprintf(f, "%s%s", i ? ", " : "", tcp_cc_algorithms[i]->name);
}
void tcp_cc_report(struct tcb *t)
{
        uint32_t now[3] = { t->cwnd, t->ssthresh, t->snd_nxt - t->snd_una };
        if (t->host->cfg.cc_watch == NULL || memcmp(now, t->traced, sizeof now) == 0)
                return;
        memcpy(t->traced, now, sizeof now);
        t->host->cfg.cc_watch(t->host->cfg.cc_watch_arg, t);
}
void tcp_cc_trace_line(void *file, const struct tcb *t)
{
        static bool started;
        static usec_t origin;
        usec_t now = loop_now(t->host->loop);
        if (!started) {
                started = true;
                origin = now;
        }
        uint32_t ss = t->ssthresh >= TCP_INFINITE_SSTHRESH ? 0 : t->ssthresh;
        fprintf(file, "cwnd %.6f %u %u %u %u\n", (double)(now - origin) / 1e6,
                (unsigned)t->lport, (unsigned)t->cwnd, (unsigned)ss,
                (unsigned)(t->snd_nxt - t->snd_una));
}
