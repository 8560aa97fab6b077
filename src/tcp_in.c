/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include <errno.h>

static void remember_syn(struct tcb *t, const struct segment *seg)
{
        t->irs = seg->seq;
        t->rcv_nxt = seg->seq + 1;
        uint16_t mine = (uint16_t)(t->host->dev->mtu - IP_HDR_MIN - TCP_HDR_MIN);
        t->snd_mss = seg->opt.mss_present && seg->opt.mss > 0 ?
                MIN(seg->opt.mss, mine) : MIN((uint16_t)TCP_DEFAULT_MSS, mine);
}
static bool tcp_acceptable(const struct tcb *t, const struct segment *seg)
{
        uint32_t len = seg_len(seg), wnd = t->rcv_wnd;
        uint32_t nxt = t->rcv_nxt;
        if (len == 0 && wnd == 0)
                return seg->seq == nxt;
        if (len == 0)
                return seq_in(seg->seq, nxt, nxt + wnd);
        if (wnd == 0)
                return false;
        return seq_in(seg->seq, nxt, nxt + wnd) ||
               seq_in(seg->seq + len - 1, nxt, nxt + wnd);
}
static void tcp_reset_arrived(struct tcb *t)
{
        switch (t->state) {
        case TCP_SYN_RECEIVED:
                if (t->passive) {
                        tcp_set_state(t, T_RCV_RST, TCP_LISTEN);
                        tcb_destroy(t);
                } else {
                        tcp_set_state(t, T_RCV_RST, TCP_CLOSED);
                        tcp_fail(t, ECONNREFUSED);
                }
                return;
        case TCP_CLOSING:
        case TCP_LAST_ACK:
        case TCP_TIME_WAIT:
                tcp_set_state(t, T_RCV_RST, TCP_CLOSED);
                tcb_destroy(t);
                return;
        default:
                tcp_set_state(t, T_RCV_RST, TCP_CLOSED);
                tcp_fail(t, ECONNRESET);
                return;
        }
}
static void listen_input(struct tcb *l, const struct segment *seg)
{
        struct host *h = l->host;
        if (seg->flags & TH_RST)
                return;
        if (seg->flags & TH_ACK) {
                tcp_send_reset(h, seg);
                return;
        }
        if (!(seg->flags & TH_SYN))
                return;
        int syn_limit = MIN(l->backlog, h->cfg.max_syn_backlog);
        if (l->syn_q_len >= syn_limit) {
                h->stats.tcp.syn_queue_overflow++;
                return;
        }
        if (l->acc_q_len >= l->backlog) {
                h->stats.tcp.accept_queue_overflow++;
                return;
        }
        struct tcb *c = tcb_create(h, seg->dst, seg->dport, seg->src, seg->sport);
        if (c == NULL)
                return;
        tcp_set_state(c, T_LISTEN, TCP_LISTEN);
        c->passive = true;
        c->parent = l;
        c->qnext = l->syn_q;
        l->syn_q = c;
        l->syn_q_len++;
        remember_syn(c, seg);
        if (seg->len > 0)
                h->stats.tcp.syn_data_dropped++;
        c->iss = tcp_isn(h, c->laddr, c->lport, c->raddr, c->rport);
        c->snd_una = c->iss;
        c->snd_nxt = c->iss + 1;
        c->snd_wnd = seg->wnd;
        c->snd_wl1 = seg->seq;
        c->snd_wl2 = c->iss;
        h->stats.tcp.passive_opens++;
        tcp_set_state(c, T_RCV_SYN, TCP_SYN_RECEIVED);
        tcp_send_syn(c);
        if (h->cfg.two_way_handshake) {
                tcp_set_state(c, T_TWO_WAY, TCP_ESTABLISHED);
                timer_cancel(h->loop, &c->rtx_timer);
                tcp_to_accept_queue(l, c);
                tcp_notify(l, TCP_EV_ACCEPTABLE);
        }
}
static void syn_sent_input(struct tcb *t, const struct segment *seg)
{
        struct host *h = t->host;
        bool acceptable_ack = false;
        if (seg->flags & TH_ACK) {
                if (SEQ_LEQ(seg->ack, t->iss) || SEQ_GT(seg->ack, t->snd_nxt)) {
                        tcp_send_reset(h, seg);     /* does nothing for a RST */
                        return;
                }
                acceptable_ack = SEQ_LT(t->snd_una, seg->ack) && SEQ_LEQ(seg->ack, t->snd_nxt);
        }
        if (seg->flags & TH_RST) {
                if (acceptable_ack) {
                        tcp_set_state(t, T_RCV_RST, TCP_CLOSED);
                        tcp_fail(t, ECONNREFUSED);
                }
                return;
        }
        if (!(seg->flags & TH_SYN))
                return;
        remember_syn(t, seg);
        t->snd_wnd = seg->wnd;
        t->snd_wl1 = seg->seq;
        if (acceptable_ack) {
                t->snd_una = seg->ack;
                t->snd_wl2 = seg->ack;
                timer_cancel(h->loop, &t->rtx_timer);
                t->rtx_count = 0;
                t->rto = h->cfg.rto_initial;
                tcp_set_state(t, T_RCV_SYN_ACK, TCP_ESTABLISHED);
                tcp_send_ack(t);
                tcp_notify(t, TCP_EV_CONNECTED);
                if (t->state == TCP_ESTABLISHED && t->fin_queued)
                        tcp_set_state(t, T_CLOSE, TCP_FIN_WAIT_1);
                tcp_output(t);
                return;
        }
        tcp_set_state(t, T_RCV_SYN, TCP_SYN_RECEIVED);
        tcp_send_syn(t);
}
static bool handshake_complete(struct tcb *t, const struct segment *seg)
{
        struct host *h = t->host;
        struct tcb *l = t->parent;
        if (t->passive && l != NULL && l->acc_q_len >= l->backlog) {
                h->stats.tcp.accept_queue_overflow++;
                if (h->cfg.abort_on_overflow) {
                        tcp_send_reset(h, seg);
                        tcp_set_state(t, T_OVERFLOW, TCP_CLOSED);
                        tcb_destroy(t);
                }
                return false;
        }
        t->snd_una = seg->ack;
        t->snd_wnd = seg->wnd;
        t->snd_wl1 = seg->seq;
        t->snd_wl2 = seg->ack;
        timer_cancel(h->loop, &t->rtx_timer);
        t->rtx_count = 0;
        t->rto = h->cfg.rto_initial;
        tcp_set_state(t, T_RCV_ACK, TCP_ESTABLISHED);
        if (t->passive && l != NULL) {
                tcp_to_accept_queue(l, t);
                tcp_notify(l, TCP_EV_ACCEPTABLE);
        } else if (!t->passive) {
                tcp_notify(t, TCP_EV_CONNECTED);
        }
        return true;
}
static void synchronized_input(struct tcb *t, const struct segment *seg)
{
        if (t->state == TCP_SYN_RECEIVED && seg->seq == t->irs &&
            (seg->flags & (TH_SYN | TH_ACK | TH_RST | TH_FIN)) == TH_SYN) {
                t->host->stats.tcp.synack_retransmits++;
                tcp_send_syn(t);
                return;
        }
        if (t->state == TCP_TIME_WAIT && (seg->flags & TH_FIN) &&
            seg->seq + (uint32_t)seg->len + 1 == t->rcv_nxt) {
                tcp_send_ack(t);
                timer_arm_in(t->host->loop, &t->wait_timer, 2 * t->host->cfg.msl);
                return;
        }
        struct segment ack_only;
        if (!tcp_acceptable(t, seg)) {
                if (!(seg->flags & TH_RST))
                        tcp_send_ack(t);
                if (t->rcv_wnd != 0 || seg->seq != t->rcv_nxt || !(seg->flags & TH_ACK))
                        return;
                ack_only = *seg;             /* a zero window: keep the ACK, drop the rest */
                ack_only.len = 0;
                ack_only.flags &= (uint8_t)~(TH_SYN | TH_FIN | TH_PSH | TH_URG);
                seg = &ack_only;
        }
        if (seg->flags & TH_RST) {
                if (seg->seq != t->rcv_nxt) {
                        t->host->stats.tcp.challenge_acks++;
                        tcp_send_ack(t);
                        return;
                }
                tcp_reset_arrived(t);
                return;
        }
        if (seg->flags & TH_SYN) {
                t->host->stats.tcp.challenge_acks++;
                tcp_send_ack(t);
                return;
        }
        if (!(seg->flags & TH_ACK))
                return;
        if (t->state == TCP_SYN_RECEIVED) {
                if (!(SEQ_LT(t->snd_una, seg->ack) && SEQ_LEQ(seg->ack, t->snd_nxt))) {
                        tcp_send_reset(t->host, seg);
                        return;
                }
                if (!handshake_complete(t, seg) || t->state == TCP_CLOSED)
                        return;              /* not complete, or closed by the application */
        }
        if (SEQ_GT(seg->ack, t->snd_nxt)) {
                tcp_send_ack(t);
                return;
        }
        if (SEQ_LT(t->snd_una, seg->ack)) {
                uint32_t acked = seg->ack - t->snd_una;
                t->snd_una = seg->ack;
                (void)acked;
                bool fin_acked = t->fin_sent && t->snd_una == t->snd_nxt;
                ring_drop(&t->sndq, acked - (fin_acked ? 1 : 0));
                t->rtx_count = 0;
                t->rto = tcp_rto_after_ack(t);
                if (t->snd_una == t->snd_nxt)
                        timer_cancel(t->host->loop, &t->rtx_timer);
                else
                        timer_arm_in(t->host->loop, &t->rtx_timer, t->rto);
                if (acked > (fin_acked ? 1u : 0u))
                        t->pending |= TCP_PENDING(TCP_EV_WRITABLE);
                if (t->rtt_timing && SEQ_GT(t->snd_una, t->rtt_seq)) {
                        t->rtt_timing = false;
                        t->backed_off = false;
                        tcp_rtt_sample(t, loop_now(t->host->loop) - t->rtt_start);
                        if (t->snd_una != t->snd_nxt)
                                timer_arm_in(t->host->loop, &t->rtx_timer, t->rto);
                }
                t->dupacks = 0;
                if (t->in_recovery) {
                        if (SEQ_GEQ(t->snd_una, t->recover)) {
                                t->in_recovery = false;
                        } else {
                                t->host->stats.tcp.partial_acks++;
                                tcp_retransmit_first(t);
                        }
                }
        } else {
                if (seg->ack == t->snd_una && t->snd_una != t->snd_nxt && seg->len == 0 &&
                    !(seg->flags & (TH_SYN | TH_FIN)) && seg->wnd == t->snd_wnd) {
                        t->host->stats.tcp.dup_acks++;
                        if (++t->dupacks == 3 && !t->in_recovery) {
                                t->host->stats.tcp.fast_retransmits++;
                                t->in_recovery = true;
                                t->recover = t->snd_nxt;
                                tcp_retransmit_first(t);
                        }
                }
        }
        if (SEQ_LEQ(t->snd_una, seg->ack) &&
            (SEQ_LT(t->snd_wl1, seg->seq) ||
             (t->snd_wl1 == seg->seq && SEQ_LEQ(t->snd_wl2, seg->ack)))) {
                t->snd_wnd = seg->wnd;
                t->snd_wl1 = seg->seq;
                t->snd_wl2 = seg->ack;
        }
        if (t->fin_sent && t->snd_una == t->snd_nxt) {
                if (t->state == TCP_FIN_WAIT_1) {
                        tcp_set_state(t, T_RCV_ACK_OF_FIN, TCP_FIN_WAIT_2);
                        if (t->orphan)
                                timer_arm_in(t->host->loop, &t->wait_timer, t->host->cfg.fin_timeout);
                } else if (t->state == TCP_CLOSING) {
                        tcp_set_state(t, T_RCV_ACK_OF_FIN, TCP_TIME_WAIT);
                        tcp_enter_time_wait(t);
                        return;
                } else if (t->state == TCP_LAST_ACK) {
                        tcp_set_state(t, T_RCV_ACK_OF_FIN, TCP_CLOSED);
                        tcb_destroy(t);
                        return;
                }
        }
        tcp_output(t);
        if (seg->len > 0) {
                if (t->state != TCP_ESTABLISHED && t->state != TCP_FIN_WAIT_1 &&
                    t->state != TCP_FIN_WAIT_2)
                        return;                  /* after their FIN: RFC 9293 ignores it */
                if (t->orphan) {
                        t->host->stats.tcp.aborts_on_data++;
                        tcp_abort(t);
                        return;
                }
                tcp_receive_text(t, seg);
        }
        if ((seg->flags & TH_FIN) && !t->fin_rcvd) {
                uint32_t fin_seq = seg->seq + (uint32_t)seg->len;
                if (fin_seq == t->rcv_nxt)
                        tcp_fin_arrived(t);
                else if (SEQ_GT(fin_seq, t->rcv_nxt)) {
                        t->fin_pending = true;
                        t->fin_seq = fin_seq;
                }
        }
        if (t->fin_pending && !t->fin_rcvd && t->fin_seq == t->rcv_nxt) {
                t->fin_pending = false;
                tcp_fin_arrived(t);
        }
}
void tcp_segment_arrives(struct tcb *t, const struct segment *seg)
{
        t->hold++;
        switch (t->state) {
        case TCP_LISTEN:
                listen_input(t, seg);
                break;
        case TCP_SYN_SENT:
                syn_sent_input(t, seg);
                break;
        default:
                synchronized_input(t, seg);
                break;
        }
        t->hold--;
        tcp_deliver_events(t);
}
