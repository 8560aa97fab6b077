/* Tangled from chapters/05-closing.nw, chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include <errno.h>

void tcp_update_rcv_wnd(struct tcb *t)
{
        t->rcv_wnd = (uint32_t)MIN(ring_space(&t->rcvq), (size_t)65535);
}
void tcp_deliver_events(struct tcb *t)
{
        t->hold++;
        while (t->pending != 0 && !t->doomed) {
                int ev = __builtin_ctz(t->pending);
                t->pending &= ~(1u << ev);
                if (!t->orphan)
                        tcp_notify(t, (enum tcp_event)ev);
        }
        if (!t->doomed && t->ack_pending)
                tcp_send_ack(t);
        t->hold--;
        if (t->doomed && t->hold == 0)
                free(t);
}
static bool may_send(const struct tcb *t)
{
        return t->state == TCP_ESTABLISHED || t->state == TCP_CLOSE_WAIT ||
               t->state == TCP_FIN_WAIT_1 || t->state == TCP_CLOSING ||
               t->state == TCP_LAST_ACK;
}

static void send_data(struct tcb *t, uint32_t seq, size_t off, size_t n, bool fin)
{
        uint8_t data[PKB_DATA_MAX];
        struct segment s;
        uint8_t flags = TH_ACK;
        if (n > 0 && off + n == t->sndq.len)
                flags |= TH_PSH;
        if (fin)
                flags |= TH_FIN;
        tcp_segment_from(t, &s, seq, flags);
        if (n > 0)
                ring_peek(&t->sndq, off, data, n);
        s.data = data;
        s.len = n;
        tcp_send_segment(t->host, &s);
        if (!timer_armed(&t->rtx_timer))
                timer_arm_in(t->host->loop, &t->rtx_timer, t->rto);
}
static void resend_after_timeout(struct tcb *t)
{
        uint32_t data_end = t->snd_nxt - (t->fin_sent ? 1 : 0);
        if (SEQ_LT(t->rtx_nxt, t->snd_una))
                t->rtx_nxt = t->snd_una;
        while (SEQ_LT(t->rtx_nxt, data_end)) {
                uint32_t off = t->rtx_nxt - t->snd_una;
                if (off >= t->snd_wnd)
                        return;                  /* the rest when the window opens */
                size_t n = MIN(MIN((size_t)(data_end - t->rtx_nxt), (size_t)(t->snd_wnd - off)),
                               (size_t)t->snd_mss);
                bool fin = t->fin_sent && t->rtx_nxt + n == data_end;
                send_data(t, t->rtx_nxt, off, n, fin);
                t->rtx_nxt += (uint32_t)n;
                note_retransmission(t, t->rtx_nxt + fin);
        }
        t->going_back = false;
}

void tcp_output(struct tcb *t)
{
        if (t->going_back)
                resend_after_timeout(t);
        while (may_send(t) && !t->fin_sent) {
                uint32_t flight = t->snd_nxt - t->snd_una;
                size_t off = flight, avail = t->sndq.len > off ? t->sndq.len - off : 0;
                uint32_t usable = t->snd_wnd > flight ? t->snd_wnd - flight : 0;
                size_t n = MIN(MIN(avail, (size_t)usable), (size_t)t->snd_mss);
                bool fin = t->fin_queued && off + n == t->sndq.len;
                if (n == 0 && !fin)
                        return;
                send_data(t, t->snd_nxt, off, n, fin);
                if (!t->rtt_timing && n > 0) {
                        t->rtt_timing = true;
                        t->rtt_seq = t->snd_nxt;
                        t->rtt_start = loop_now(t->host->loop);
                }
                t->host->stats.tcp.bytes_out += n;
                t->snd_nxt += (uint32_t)n + fin;
                t->fin_sent = fin;
        }
}
void tcp_retransmit_first(struct tcb *t)
{
        t->rtt_timing = false;
        uint32_t flight = t->snd_nxt - t->snd_una;
        size_t data = flight - (t->fin_sent ? 1 : 0);
        size_t n = MIN(data, (size_t)t->snd_mss);
        bool fin = t->fin_sent && n == data;
        send_data(t, t->snd_una, 0, n, fin);
        note_retransmission(t, t->snd_una + (uint32_t)n + fin);
        timer_arm_in(t->host->loop, &t->rtx_timer, t->rto);
}
usec_t tcp_rto_after_ack(struct tcb *t)
{
        if (t->backed_off && SEQ_GT(t->snd_una, t->rtx_end) &&
            loop_now(t->host->loop) - t->rtx_at < tcp_rto_unbacked(t))
                t->backed_off = false;       /* answered beyond itself, in time */
        if (t->backed_off)
                return t->rto;
        if (t->srtt != 0)
                return tcp_rto_estimate(t);
        return t->host->cfg.rto_initial;
}
static void tcp_ack_data(struct tcb *t, const struct segment *seg, bool in_order)
{
        (void)seg;
        (void)in_order;
        if (in_order && t->host->cfg.delack > 0 && t->ooo == NULL && !t->ack_pending &&
            ++t->segs_unacked < 2) {
                if (!timer_armed(&t->delack_timer))
                        timer_arm_in(t->host->loop, &t->delack_timer, t->host->cfg.delack);
                return;
        }
        t->ack_pending = true;
}

void tcp_receive_text(struct tcb *t, const struct segment *seg)
{
        if (SEQ_GT(seg->seq, t->rcv_nxt)) {
                tcp_ack_data(t, seg, false);
                if (ooo_insert(t, seg))
                        return;
                t->host->stats.tcp.out_of_order_dropped++;
                return;
        }
        size_t skip = t->rcv_nxt - seg->seq;
        if (skip >= seg->len) {
                tcp_ack_data(t, seg, false);     /* a duplicate: only the ACK */
                return;
        }
        size_t n = ring_write(&t->rcvq, seg->data + skip, seg->len - skip);
        t->rcv_nxt += (uint32_t)n;
        t->host->stats.tcp.bytes_in += n;
        if (t->ooo != NULL) {
                size_t more = ooo_deliver(t);
                n += more;
                t->host->stats.tcp.bytes_in += more;
                if (more > 0)
                        t->ack_pending = true;       /* a gap closed: say so at once */
        }
        tcp_update_rcv_wnd(t);
        tcp_ack_data(t, seg, true);
        if (n > 0)
                t->pending |= TCP_PENDING(TCP_EV_READABLE);
}
void tcp_enter_time_wait(struct tcb *t)
{
        struct host *h = t->host;
        timer_cancel(h->loop, &t->rtx_timer);
        ring_free(&t->sndq);
        if (t->orphan || t->rcvq.len == 0)
                ring_free(&t->rcvq);
        if (h->tcp->tw_count > h->cfg.max_tw_buckets) {
                h->stats.tcp.tw_overflow++;
                if (h->tcp->tw_warned_at == 0 ||
                    loop_now(h->loop) - h->tcp->tw_warned_at >= SEC(1)) {
                        fprintf(stderr, "tcp: time wait bucket table overflow\n");
                        h->tcp->tw_warned_at = loop_now(h->loop) | 1;
                }
                tcp_set_state(t, T_OVERFLOW, TCP_CLOSED);
                tcb_destroy(t);
                return;
        }
        timer_arm_in(h->loop, &t->wait_timer, 2 * h->cfg.msl);
}
void tcp_fin_arrived(struct tcb *t)
{
        t->rcv_nxt++;
        t->fin_rcvd = true;
        t->ack_pending = true;
        t->pending |= TCP_PENDING(TCP_EV_PEER_CLOSED);
        switch (t->state) {
        case TCP_ESTABLISHED:
                tcp_set_state(t, T_RCV_FIN, TCP_CLOSE_WAIT);
                break;
        case TCP_FIN_WAIT_1:
                tcp_set_state(t, T_RCV_FIN, TCP_CLOSING);
                break;
        case TCP_FIN_WAIT_2:
                tcp_set_state(t, T_RCV_FIN, TCP_TIME_WAIT);
                tcp_enter_time_wait(t);
                break;
        default:
                break;
        }
}
void tcp_wait_timeout(struct timer *tm, void *arg)
{
        (void)tm;
        struct tcb *t = arg;
        if (t->state == TCP_TIME_WAIT) {
                tcp_set_state(t, T_2MSL, TCP_CLOSED);
                tcb_destroy(t);
        } else if (t->state == TCP_FIN_WAIT_2) {
                t->host->stats.tcp.fin_wait2_timeouts++;
                tcp_set_state(t, T_TIMEOUT, TCP_CLOSED);
                tcb_destroy(t);
        }
}
