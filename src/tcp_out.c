/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include <errno.h>

uint32_t tcp_isn(struct host *h, uint32_t laddr, uint16_t lport,
                 uint32_t raddr, uint16_t rport)
{
        uint8_t b[13];
        put_be32(b, laddr);
        put_be32(b + 4, raddr);
        b[8] = (uint8_t)(lport >> 8); b[9] = (uint8_t)lport;
        b[10] = (uint8_t)(rport >> 8); b[11] = (uint8_t)rport;
        b[12] = 'I';                 /* keep F apart from the table's hash */
        uint32_t m = (uint32_t)(loop_now(h->loop) / 4);
        return m + (uint32_t)siphash(&h->cfg.secret, b, sizeof b);
}
void tcp_segment_from(const struct tcb *t, struct segment *s,
                      uint32_t seq, uint8_t flags)
{
        memset(s, 0, sizeof *s);
        s->src = t->laddr;
        s->dst = t->raddr;
        s->sport = t->lport;
        s->dport = t->rport;
        s->seq = seq;
        s->flags = flags;
        if (flags & TH_ACK)
                s->ack = t->rcv_nxt;
        s->wnd = (uint16_t)MIN(t->rcv_wnd, (uint32_t)65535);
        if (flags & TH_ACK)
                ((struct tcb *)t)->ack_pending = false;
        if (flags & TH_ACK) {
                ((struct tcb *)t)->segs_unacked = 0;
                timer_cancel(t->host->loop, &((struct tcb *)t)->delack_timer);
        }
}
void tcp_send_syn(struct tcb *t)
{
        struct segment s;
        uint8_t flags = TH_SYN | (t->state == TCP_SYN_RECEIVED ? TH_ACK : 0);
        tcp_segment_from(t, &s, t->iss, flags);
        s.opt.mss_present = true;
        s.opt.mss = (uint16_t)(t->host->dev->mtu - IP_HDR_MIN - TCP_HDR_MIN);
        tcp_send_segment(t->host, &s);
        timer_arm_in(t->host->loop, &t->rtx_timer, t->rto);
}

void tcp_send_ack(struct tcb *t)
{
        struct segment s;
        tcp_segment_from(t, &s, t->snd_nxt, TH_ACK);
        tcp_send_segment(t->host, &s);
}
void tcp_notify(struct tcb *t, enum tcp_event ev)
{
        if (t->on_event != NULL)
                t->on_event(t, ev, t->ev_arg);
}

void tcp_fail(struct tcb *t, int error)
{
        t->error = error;
        if (t->snd_una != t->iss)        /* our SYN was acknowledged: it was open */
                t->host->stats.tcp.estab_resets++;
        else
                t->host->stats.tcp.attempt_fails++;
        tcp_notify(t, TCP_EV_ERROR);
        tcb_destroy(t);
}
void tcp_rtx_timeout(struct timer *tm, void *arg)
{
        (void)tm;
        struct tcb *t = arg;
        struct tcp_stats *st = &t->host->stats.tcp;
        if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED) {
                int retries = t->passive ? t->host->cfg.synack_retries
                                         : t->host->cfg.syn_retries;
                if (t->rtx_count >= retries) {
                        tcp_set_state(t, T_TIMEOUT, TCP_CLOSED);
                        if (t->passive)
                                st->half_open_timeouts++;
                        tcp_fail(t, ETIMEDOUT);
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
                tcp_fail(t, ETIMEDOUT);
                return;
        }
        t->rtx_count++;
        t->rto = MIN(2 * t->rto, t->host->cfg.rto_max);
        tcp_retransmit_first(t);
        t->backed_off = true;
        t->in_recovery = true;
        t->recover = t->snd_nxt;
        t->dupacks = 0;
        t->rtx_nxt = t->rtx_end;
        t->going_back = true;
        tcp_output(t);
        st->rto_fired++;
}
