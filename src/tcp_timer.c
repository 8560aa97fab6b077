/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/08-congestion.nw, chapters/09-sack.nw, chapters/10-timestamps.nw, chapters/11-odds.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include <errno.h>

void tcp_timer_rexmt(struct tcb *t)
{
        struct tcp_stats *st = &t->host->stats.tcp;
        if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED) {
                bool passive = t->flags & TF_PASSIVE;
                int retries = passive ? t->host->cfg.synack_retries
                                      : t->host->cfg.syn_retries;
                if (t->rtx_count >= retries) {
                        tcp_set_state(t, T_TIMEOUT, TCP_CLOSED);
                        if (passive)
                                st->half_open_timeouts++;
                        tcp_fail(t, tcp_timeout_error(t));
                        return;
                }
                t->rtx_count++;
                t->rto = MIN(2 * t->rto, t->host->cfg.rto_max);
                if (t->state == TCP_SYN_SENT)
                        st->syn_retransmits++;
                else
                        st->synack_retransmits++;
                tcp_send_syn(t);
                return;
        }
        if (t->snd_una == t->snd_nxt)
                return;                          /* nothing outstanding */
        if (t->rtx_count >= t->host->cfg.retries2) {
                st->timeouts++;
                tcp_set_state(t, T_TIMEOUT, TCP_CLOSED);
                tcp_fail(t, tcp_timeout_error(t));
                return;
        }
        t->rtx_count++;
        t->rto = MIN(2 * t->rto, t->host->cfg.rto_max);
        if (tcp_blackhole_suspected(t) &&
            tcp_pmtu_lower(t, tcp_pmtu_plateau_below(tcp_pmtu_current(t))))
                st->blackholes++;
        uint32_t end = SEQ_MIN(t->snd_una + (uint32_t)seg_data_max(t), t->snd_nxt);
        end = t->snd_nxt;
        tcp_eifel_episode(t);
        t->flags |= TF_BACKED_OFF;
        t->flags |= TF_IN_RECOVERY;
        t->recover = t->snd_nxt;
        t->dupacks = 0;
        if (t->cc->on_rto != NULL)
                t->cc->on_rto(t);
        st->rto_fired++;
        t->recover_valid = true;
        tcp_cc_report(t);
        t->nsb = 0;
        t->high_rxt = t->snd_una;
        t->high_rxt_set = true;
        tcp_retransmit(t, t->snd_una, end);
}
static void (*const tcp_timer_handler[TT_COUNT])(struct tcb *t) = {
        [TT_REXMT] = tcp_timer_rexmt,
        [TT_WAIT] = tcp_timer_wait,
        [TT_DELACK] = tcp_timer_delack,
        [TT_PERSIST] = tcp_timer_persist,
        [TT_KEEP] = tcp_timer_keep,
};

void tcp_timer_fired(struct timer *tm, void *arg)
{
        struct tcb *t = arg;
        tcp_timer_handler[tm - t->timer](t);
}

void tcp_timer_arm(struct tcb *t, enum tcp_timer_id id, usec_t delay)
{
        timer_arm_in(t->host->loop, &t->timer[id], delay);
}

void tcp_timer_stop(struct tcb *t, enum tcp_timer_id id)
{
        timer_cancel(t->host->loop, &t->timer[id]);
}

bool tcp_timer_armed(const struct tcb *t, enum tcp_timer_id id)
{
        return timer_armed(&t->timer[id]);
}
usec_t tcp_rto_after_ack(struct tcb *t)
{
        if ((t->flags & TF_BACKED_OFF) && SEQ_GT(t->snd_una, t->rtx_nxt) &&
            loop_now(t->host->loop) - t->rtx_at < tcp_rto_unbacked(t))
                t->flags &= ~(unsigned)TF_BACKED_OFF;       /* answered beyond itself, in time */
        if (t->flags & TF_BACKED_OFF)
                return t->rto;
        if (t->srtt != 0)
                return tcp_rto_estimate(t);
        return t->host->cfg.rto_initial;
}
void tcp_timer_wait(struct tcb *t)
{
        if (t->state == TCP_TIME_WAIT) {
                tcp_set_state(t, T_2MSL, TCP_CLOSED);
                tcb_destroy(t);
        } else if (t->state == TCP_FIN_WAIT_2) {
                t->host->stats.tcp.fin_wait2_timeouts++;
                tcp_set_state(t, T_TIMEOUT, TCP_CLOSED);
                tcb_destroy(t);
        }
}
void tcp_timer_delack(struct tcb *t)
{
        t->host->stats.tcp.delayed_acks++;
        tcp_ack_now(t);
}
usec_t tcp_rto_estimate(const struct tcb *t)
{
        usec_t rto = t->srtt + MAX(TCP_CLOCK_G, 4 * t->rttvar);
        return MIN(MAX(rto, t->host->cfg.rto_min), t->host->cfg.rto_max);
}

void tcp_rtt_sample(struct tcb *t, usec_t r)
{
        if (t->srtt == 0) {
                t->srtt = r;
                t->rttvar = r / 2;
        } else {
                usec_t diff = t->srtt > r ? t->srtt - r : r - t->srtt;
                t->rttvar = (3 * t->rttvar + diff) / 4;
                t->srtt = (7 * t->srtt + r) / 8;
        }
        t->rto = tcp_rto_estimate(t);
        t->host->stats.tcp.rtt_samples++;
}
usec_t tcp_rto_unbacked(const struct tcb *t)
{
        return t->srtt != 0 ? tcp_rto_estimate(t) : t->host->cfg.rto_initial;
}
void tcp_persist_arm(struct tcb *t)
{
        usec_t d = tcp_rto_unbacked(t);
        for (int i = 0; i < t->persist_shift && d < t->host->cfg.persist_max; i++)
                d *= 2;
        tcp_timer_arm(t, TT_PERSIST, MIN(d, t->host->cfg.persist_max));
}
void tcp_timer_persist(struct tcb *t)
{
        struct tcp_stats *st = &t->host->stats.tcp;
        if (t->probes_unanswered >= t->host->cfg.retries2) {
                st->timeouts++;              /* no answer: the peer is gone */
                tcp_set_state(t, T_TIMEOUT, TCP_CLOSED);
                tcp_fail(t, tcp_timeout_error(t));
                return;
        }
        if (tcp_send_window(t) > t->snd_nxt - t->snd_una) {
                t->flags |= TF_PUSH_SMALL;   /* open but small: send what it allows */
                tcp_output(t);
                t->flags &= ~(unsigned)TF_PUSH_SMALL;
                return;
        }
        if (!tcp_send_probe(t))
                return;
        t->probes_unanswered++;
        st->persist_probes++;
        if (t->persist_shift < 30)
                t->persist_shift++;
        tcp_persist_arm(t);
}
static void tcp_keepalive_give_up(struct tcb *t)
{
        struct segment s;
        t->host->stats.tcp.keepalive_drops++;
        tcp_segment_from(t, &s, t->snd_nxt, TH_RST | TH_ACK);
        tcp_send_segment(t->host, &s);
        tcp_set_state(t, T_TIMEOUT, TCP_CLOSED);
        tcp_fail(t, tcp_timeout_error(t));
}
static bool keepalive_may_probe(const struct tcb *t)
{
        return (t->state == TCP_ESTABLISHED || t->state == TCP_CLOSE_WAIT ||
                t->state == TCP_FIN_WAIT_2) && t->snd_una == t->snd_nxt && t->sndq.len == 0;
}

void tcp_timer_keep(struct tcb *t)
{
        if (!t->so.keepalive || t->state == TCP_LISTEN || t->state == TCP_TIME_WAIT)
                return;
        usec_t idle = loop_now(t->host->loop) - t->heard_at;
        if (!keepalive_may_probe(t) || idle < t->so.keep_idle) {
                tcp_timer_arm(t, TT_KEEP, idle < t->so.keep_idle ? t->so.keep_idle - idle
                                                           : t->so.keep_idle);
                return;
        }
        if (t->keep_sent >= t->so.keep_cnt) {
                tcp_keepalive_give_up(t);
                return;
        }
        struct segment s;
        tcp_segment_from(t, &s, t->snd_nxt - 1, TH_ACK);
        tcp_send_segment(t->host, &s);
        t->keep_sent++;
        t->host->stats.tcp.keepalive_probes++;
        tcp_timer_arm(t, TT_KEEP, t->so.keep_intvl);
}
void tcp_keepalive_restart(struct tcb *t)
{
        if (!t->so.keepalive) {
                tcp_timer_stop(t, TT_KEEP);
                return;
        }
        usec_t idle = loop_now(t->host->loop) - t->heard_at;
        tcp_timer_arm(t, TT_KEEP, idle < t->so.keep_idle ? t->so.keep_idle - idle : 0);
}
bool tcp_blackhole_suspected(const struct tcb *t)
{
        int rtos = t->host->cfg.blackhole_rtos;
        uint32_t data = t->snd_nxt - t->snd_una - ((t->flags & TF_FIN_SENT) ? 1 : 0);
        return rtos > 0 && !t->full_size_acked && t->rtx_count >= rtos &&
               data >= seg_data_max(t);
}
