/* Tangled from chapters/10-timestamps.nw by tools/tangle: edit those, not this file. */
/* Timestamps: RFC 7323 (RTT measurement, PAWS), RFC 3522 and RFC 4015 (Eifel). */
#include "host.h"

uint32_t tcp_ts_offset(struct host *h, uint32_t laddr, uint16_t lport,
                       uint32_t raddr, uint16_t rport)
{
        return tcp_tuple_hash(h, laddr, lport, raddr, rport, 'T');   /* apart from the
                                                                        ISN's */
}

uint32_t tcp_ts_now(const struct tcb *t)
{
        return (uint32_t)(loop_now(t->host->loop) / 1000) + t->ts_offset;
}
void tcp_rtt_sample_scaled(struct tcb *t, usec_t r, uint32_t expected)
{
        if (t->srtt == 0 || expected <= 1) {
                tcp_rtt_sample(t, r);            /* chapter 6's, with its own gains */
                return;
        }
        int64_t srtt = (int64_t)t->srtt, rttvar = (int64_t)t->rttvar, m = (int64_t)r;
        int64_t diff = srtt > m ? srtt - m : m - srtt;
        rttvar += (diff - rttvar) / (4 * (int64_t)expected);   /* beta' = 1/4 / E */
        srtt += (m - srtt) / (8 * (int64_t)expected);           /* alpha' = 1/8 / E */
        t->rttvar = (usec_t)MAX(rttvar, 0);
        t->srtt = (usec_t)MAX(srtt, 1);
        t->rto = tcp_rto_estimate(t);
        t->host->stats.tcp.rtt_samples++;
}
bool tcp_ts_echo_predates_resend(struct tcb *t, const struct segment *seg)
{
        if (!t->ts_resent_set || !TS_LT(seg->opt.ts_ecr, t->ts_resent))
                return false;
        t->host->stats.tcp.rtt_echo_refused++;
        return true;
}
void tcp_eifel_episode(struct tcb *t)
{
        if (!(t->flags & TF_TS_OK) || !t->host->cfg.eifel || (t->flags & TF_IN_RECOVERY))
                return;
        t->prior_cwnd = t->cwnd;
        t->prior_ssthresh = t->ssthresh;
        t->eifel_first = true;
        t->eifel_armed = false;
}
void tcp_eifel_check(struct tcb *t, const struct segment *seg)
{
        if (!t->eifel_armed || !SEQ_GT(seg->ack, t->eifel_seq))
                return;
        t->eifel_armed = false;
        if (!seg->opt.ts_present || !TS_LT(seg->opt.ts_ecr, t->eifel_tsval))
                return;                          /* the retransmission was needed */
        t->host->stats.tcp.spurious_undone++;
        t->cwnd = MAX(t->cwnd, t->prior_cwnd);
        t->ssthresh = MAX(t->ssthresh, t->prior_ssthresh);
        t->flags &= ~(unsigned)TF_IN_RECOVERY;
        t->timeout_recovery = false;
        t->after_rto = false;
        t->dupacks = 0;
        t->rtx_end = t->rtx_nxt;                 /* no more of the resend */
}
