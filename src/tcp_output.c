/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/08-congestion.nw, chapters/09-sack.nw, chapters/10-timestamps.nw, chapters/11-odds.nw, chapters/12-attack.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "host.h"

uint32_t tcp_rcv_window(const struct tcb *t)
{
        size_t space = t->so.rcvbuf;            /* nothing has arrived yet */
        space -= t->rcvq.len;
        {
                uint32_t kept = SEQ_GT(t->rcv_adv, t->rcv_nxt) ? t->rcv_adv - t->rcv_nxt : 0;
                size_t enough = MIN(t->so.rcvbuf / 2, (size_t)t->snd_mss);
                if (space < (size_t)kept + enough)
                        space = kept;           /* keep the right edge: never back, not by a
                                                   sliver */
        }
        return (uint32_t)MIN(space, (size_t)TCP_MAXWIN << t->rcv_wscale);
}

uint16_t tcp_window_field(const struct tcb *t)
{
        return (uint16_t)MIN(t->rcv_wnd >> t->rcv_wscale, (uint32_t)TCP_MAXWIN);
}

uint32_t tcp_peer_window(const struct tcb *t, const struct segment *seg)
{
        if (seg->flags & TH_SYN)
                return seg->wnd;
        return (uint32_t)seg->wnd << t->snd_wscale;
}
uint8_t tcp_wscale_wanted(const struct tcb *t)
{
        uint8_t s = 0;
        while (s < 14 && ((size_t)TCP_MAXWIN << s) < t->so.rcvbuf)
                s++;
        return s;
}
void tcp_segment_from(struct tcb *t, struct segment *s, uint32_t seq, uint8_t flags)
{
        memset(s, 0, sizeof *s);
        s->src = t->laddr;
        s->dst = t->raddr;
        s->sport = t->lport;
        s->dport = t->rport;
        s->seq = seq;
        s->flags = flags;
        s->wnd = tcp_window_field(t);
        if (flags & TH_ACK) {
                s->ack = t->rcv_nxt;
                t->flags &= ~(unsigned)TF_ACKNOW;
                t->flags &= ~(unsigned)TF_DELACK;
                t->segs_unacked = 0;
                tcp_timer_stop(t, TT_DELACK);
                {
                        uint32_t edge = t->rcv_nxt + ((uint32_t)s->wnd << t->rcv_wscale);
                        if (SEQ_GT(edge, t->rcv_adv))
                                t->rcv_adv = edge;
                }
                if (t->flags & TF_SACK_OK)
                        tcp_sack_fill(t, &s->opt);
                if (t->flags & TF_TS_OK) {
                        s->opt.ts_present = true;
                        s->opt.ts_val = tcp_ts_now(t);
                        s->opt.ts_ecr = t->ts_recent;
                        t->last_ack_sent = t->rcv_nxt;
                }
                if ((t->ecn & ECN_ECHO) && !(flags & TH_SYN))
                        s->flags |= TH_ECE;
        }
        if (t->snd_up_set && !SEQ_GT(t->snd_up, t->snd_una))
                t->snd_up_set = false;               /* the urgent data is acknowledged */
        if (t->snd_up_set && SEQ_GT(t->snd_up, seq) && !(flags & (TH_SYN | TH_RST))) {
                s->flags |= TH_URG;
                s->urp = (uint16_t)MIN(t->snd_up - seq, 0xffffu);
                t->host->stats.tcp.urgent_out++;
        }
}
uint16_t tcp_path_mss(const struct tcb *t)
{
        return (uint16_t)(t->host->dev->mtu - IP_HDR_MIN - TCP_HDR_MIN);
}

void tcp_send_syn(struct tcb *t)
{
        struct segment s;
        uint8_t flags = TH_SYN | (t->state == TCP_SYN_RECEIVED ? TH_ACK : 0);
        tcp_segment_from(t, &s, t->iss, flags);
        s.opt.mss_present = true;
        s.opt.mss = tcp_path_mss(t);
        s.wnd = (uint16_t)MIN(t->rcv_wnd, (uint32_t)TCP_MAXWIN);   /* never scaled */
        if (t->state == TCP_SYN_SENT && t->host->cfg.window_scaling)
                t->flags |= TF_WS_SENT;
        if (t->state == TCP_SYN_SENT ? (t->flags & TF_WS_SENT) : (t->flags & TF_WS_OK)) {
                s.opt.ws_present = true;
                s.opt.ws = tcp_wscale_wanted(t);
        }
        if (t->state == TCP_SYN_SENT ? t->host->cfg.sack : (t->flags & TF_SACK_OK) != 0)
                s.opt.sack_permitted = true;
        if (t->state == TCP_SYN_SENT ? t->host->cfg.timestamps : (t->flags & TF_TS_OK) != 0) {
                s.opt.ts_present = true;
                s.opt.ts_val = tcp_ts_now(t);
                s.opt.ts_ecr = t->state == TCP_SYN_SENT ? 0 : t->ts_recent;
        }
        tcp_ecn_syn_flags(t, &s);
        if ((t->flags & TF_COOKIE) && s.opt.ts_present)
                s.opt.ts_val = syncookie_tsval(t, s.opt.ts_val);
        tcp_send_segment(t->host, &s);
        tcp_timer_arm(t, TT_REXMT, t->rto);
}
static bool may_send(const struct tcb *t)
{
        return t->state == TCP_ESTABLISHED || t->state == TCP_CLOSE_WAIT ||
               t->state == TCP_FIN_WAIT_1 || t->state == TCP_CLOSING ||
               t->state == TCP_LAST_ACK;
}

static void send_data(struct tcb *t, uint32_t seq, size_t n, bool fin)
{
        uint8_t data[PKB_DATA_MAX];
        struct segment s;
        size_t off = seq - t->snd_una;
        uint8_t flags = TH_ACK;
        if (n > 0 && off + n == t->sndq.len)
                flags |= TH_PSH;
        if (fin)
                flags |= TH_FIN;
        tcp_segment_from(t, &s, seq, flags);
        s.data = data;
        if (wire_fast && n > 0) {
                const uint8_t *span = ring_span(&t->sndq, off, n);
                if (span != NULL)
                        s.data = span;
        }
        if (n > sizeof data && s.data == data) {       /* longer than a packet buffer */
                static uint8_t wide[65536];
                ring_peek(&t->sndq, off, wide, n);
                s.data = wide;
        }
        if (n > 0 && s.data == data)
                ring_peek(&t->sndq, off, data, n);
        s.len = n;
        tcp_ecn_data_segment(t, &s);
        tcp_send_segment(t->host, &s);
        if (!tcp_timer_armed(t, TT_REXMT))
                tcp_timer_arm(t, TT_REXMT, t->rto);
}
size_t seg_data_max(const struct tcb *t)
{
        size_t opts = 0;
        if ((t->flags & TF_SACK_OK) && (t->dsack_pending || t->nsack_rep > 0))
                opts += 4 + 8 * (size_t)MIN(t->nsack_rep + (t->dsack_pending ? 1 : 0),
                                            tcp_sack_blocks_max(t));
        return t->snd_mss > opts ? t->snd_mss - opts : 1;
}
static bool resend_next(struct tcb *t)
{
        if (SEQ_LT(t->rtx_nxt, t->snd_una))
                t->rtx_nxt = t->snd_una;
        if (t->nsb > 0) {
                uint32_t sacked_end;
                while (SEQ_LT(t->rtx_nxt, t->rtx_end) && tcp_sack_held(t, t->rtx_nxt, &sacked_end))
                        t->rtx_nxt = sacked_end;
        }
        uint32_t data_end = t->snd_nxt - ((t->flags & TF_FIN_SENT) ? 1 : 0);
        uint32_t stop = SEQ_MIN(t->rtx_end, data_end);
        for (int i = 0; i < t->nsb; i++)
                if (SEQ_GT(t->sb[i].start, t->rtx_nxt)) {
                        stop = SEQ_MIN(stop, t->sb[i].start);
                        break;
                }
        size_t n = SEQ_LT(t->rtx_nxt, stop) ?
                MIN((size_t)(stop - t->rtx_nxt), seg_data_max(t)) : 0;
        if (!(t->flags & TF_RTX_FORCE)) {
                uint32_t off = t->rtx_nxt - t->snd_una, wnd = tcp_send_window(t);
                if (off >= wnd)
                        return false;               /* the window is full */
                n = MIN(n, (size_t)(wnd - off));
        }
        bool fin = (t->flags & TF_FIN_SENT) && SEQ_GEQ(t->rtx_end, data_end) &&
                   t->rtx_nxt + (uint32_t)n == data_end;
        if (n == 0 && !fin) {
                t->rtx_end = t->rtx_nxt;            /* nothing left of the range */
                return false;
        }
        t->flags &= ~(unsigned)TF_RTT_TIMING;
        t->rtx_at = loop_now(t->host->loop);
        if (!t->high_rxt_set || SEQ_GT(t->rtx_nxt + (uint32_t)n, t->high_rxt))
                t->high_rxt = t->rtx_nxt + (uint32_t)n;
        t->high_rxt_set = true;
        t->host->stats.tcp.retransmitted_bytes += n;
        if (t->flags & TF_TS_OK) {
                t->ts_resent = tcp_ts_now(t);
                t->ts_resent_set = true;
        }
        if (t->eifel_first) {
                t->eifel_first = false;
                t->eifel_armed = true;
                t->eifel_seq = t->rtx_nxt;
                t->eifel_tsval = tcp_ts_now(t);
        }
        send_data(t, t->rtx_nxt, n, fin);
        t->rtx_nxt += (uint32_t)n + fin;
        t->flags &= ~(unsigned)TF_RTX_FORCE;
        t->host->stats.tcp.retransmitted_segs++;
        return true;
}
static bool hold_small(const struct tcb *t, size_t n, size_t avail, uint32_t flight)
{
        if (t->flags & TF_PUSH_SMALL)
                return false;                /* 4: the override timeout */
        if (n >= seg_data_max(t))
                return false;                /* 1: a full segment */
        if (n >= MAX(t->max_sndwnd, t->snd_wnd) / 2)
                return false;                /* 3: half the largest window offered */
        if (n == avail)
                return flight > 0 && !t->so.nodelay;   /* 2, with Nagle */
        return true;                         /* a sliver of the window: wait */
}
static enum sack_step sack_send(struct tcb *t)
{
        struct seq_range r;
        bool rescue;
        enum sack_step step = tcp_sack_next_seg(t, &r, &rescue);
        if (step != SACK_RETRANSMIT)
                return step;
        uint32_t keep = t->high_rxt;
        t->rtx_nxt = r.start;
        t->rtx_end = SEQ_MIN(r.end, r.start + t->snd_mss);
        bool sent = resend_next(t);
        if (rescue)
                t->high_rxt = keep;
        return sent ? SACK_RETRANSMIT : SACK_STOP;
}
static void send_ack(struct tcb *t)
{
        struct segment s;
        tcp_segment_from(t, &s, t->snd_nxt, TH_ACK);
        tcp_send_segment(t->host, &s);
}

void tcp_output(struct tcb *t)
{
        if (t->flags & TF_RST) {
                struct segment s;
                tcp_segment_from(t, &s, t->snd_nxt, TH_RST);
                tcp_send_segment(t->host, &s);
                return;
        }
        while (may_send(t)) {
                if (tcp_sack_recovery(t) && !SEQ_LT(t->rtx_nxt, t->rtx_end)) {
                        enum sack_step step = sack_send(t);
                        if (step == SACK_RETRANSMIT)
                                continue;
                        if (step == SACK_STOP)
                                break;
                }
                if (SEQ_LT(t->rtx_nxt, t->rtx_end)) {
                        if (resend_next(t))
                                continue;
                        if (SEQ_LT(t->rtx_nxt, t->rtx_end))
                                break;              /* the rest waits for the window */
                }
                if (t->flags & TF_FIN_SENT)
                        break;
                uint32_t flight = t->snd_nxt - t->snd_una;
                size_t avail = t->sndq.len > flight ? t->sndq.len - flight : 0;
                uint32_t wnd = tcp_send_window(t);
                size_t n = MIN(MIN(avail, (size_t)(wnd > flight ? wnd - flight : 0)),
                               seg_data_max(t));
                bool fin = (t->flags & TF_FIN_QUEUED) && flight + n == t->sndq.len;
                if (n == 0 && !fin) {
                        if (avail > 0 && t->snd_una == t->snd_nxt && !tcp_timer_armed(t, TT_PERSIST))
                                tcp_persist_arm(t);
                        break;
                }
                if (!fin && hold_small(t, n, avail, flight)) {
                        t->host->stats.tcp.small_held++;
                        if (flight == 0 && !tcp_timer_armed(t, TT_PERSIST))
                                tcp_persist_arm(t);
                        break;
                }
                if (t->snd_una == t->snd_nxt && t->cc->after_idle != NULL &&
                    loop_now(t->host->loop) - t->last_send > t->rto)
                        t->cc->after_idle(t);
                send_data(t, t->snd_nxt, n, fin);
                if (!(t->flags & TF_RTT_TIMING) && n > 0) {
                        t->flags |= TF_RTT_TIMING;
                        t->rtt_seq = t->snd_nxt;
                        t->rtt_start = loop_now(t->host->loop);
                }
                t->last_send = loop_now(t->host->loop);
                if (t->snd_wnd > t->max_sndwnd)
                        t->max_sndwnd = t->snd_wnd;
                tcp_cc_report(t);
                if (t->flags & TF_TS_OK)
                        t->flags &= ~(unsigned)TF_RTT_TIMING;    /* timestamps measure instead */
                t->host->stats.tcp.bytes_out += n;
                t->snd_nxt += (uint32_t)n + fin;
                if (fin)
                        t->flags |= TF_FIN_SENT;
        }
        if (t->flags & TF_ACKNOW)
                send_ack(t);
        else if (t->flags & TF_DELACK) {
                if (t->host->cfg.delack > 0 && t->ooo == NULL) {
                        if (!tcp_timer_armed(t, TT_DELACK))
                                tcp_timer_arm(t, TT_DELACK, t->host->cfg.delack);
                        return;
                }
                send_ack(t);
        }
}

void tcp_ack_now(struct tcb *t)
{
        t->flags |= TF_ACKNOW;
        tcp_output(t);
}
uint32_t tcp_send_window(const struct tcb *t)
{
        uint32_t wnd = t->snd_wnd;
        wnd = MIN(wnd, t->cwnd);
        if (t->lt_allow > 0)
                wnd = MIN(t->snd_wnd, t->cwnd + t->lt_allow);
        if (tcp_sack_recovery(t)) {
                uint32_t pipe = tcp_sack_pipe(t), flight = t->snd_nxt - t->snd_una;
                wnd = MIN(t->snd_wnd, flight + (t->cwnd > pipe ? t->cwnd - pipe : 0));
        }
        return wnd;
}
void tcp_retransmit(struct tcb *t, uint32_t from, uint32_t to)
{
        t->rtx_nxt = from;
        t->rtx_end = to;
        t->flags |= TF_RTX_FORCE;
        tcp_output(t);
        tcp_timer_arm(t, TT_REXMT, t->rto);
}
bool tcp_send_probe(struct tcb *t)
{
        uint32_t flight = t->snd_nxt - t->snd_una;
        uint32_t seq = (t->flags & TF_PROBING) ? t->snd_una : t->snd_nxt;
        if (!may_send(t) || t->sndq.len <= (size_t)(seq - t->snd_una) ||
            (flight > 0 && !(t->flags & TF_PROBING)))
                return false;                /* nothing to probe with, or data in flight */
        send_data(t, seq, 1, false);
        if (!(t->flags & TF_PROBING)) {
                t->snd_nxt++;
                t->flags |= TF_PROBING;
        }
        tcp_timer_stop(t, TT_REXMT);         /* the persist timer repeats it */
        return true;
}
void tcp_ecn_syn_flags(struct tcb *t, struct segment *s)
{
        if (t->state == TCP_SYN_SENT) {
                if (t->host->cfg.ecn == 1 && t->rtx_count <= 1) {
                        s->flags |= TH_ECE | TH_CWR;        /* an ECN-setup SYN */
                        t->ecn |= ECN_ASKED;
                }
        } else if (t->ecn & ECN_OK) {
                s->flags |= TH_ECE;                     /* an ECN-setup SYN-ACK */
        }
}
void tcp_ecn_data_segment(struct tcb *t, struct segment *s)
{
        if (!(t->ecn & ECN_OK) || s->len == 0 || SEQ_LT(s->seq, t->snd_nxt) ||
            s->seq - t->snd_una >= tcp_send_window(t))
                return;         /* no ECN, no data, a retransmission or a window probe */
        s->ecn = IP_ECN_ECT0;
        if (t->ecn & ECN_SEND_CWR) {
                s->flags |= TH_CWR;
                t->ecn &= ~(unsigned)ECN_SEND_CWR;
        }
}
bool tcp_ack_batch(struct tcb *t)
{
        struct host *h = t->host;
        if (!h->turns || !h->cfg.ack_batch)
                return false;
        if (!(t->flags & TF_ACK_BATCHED)) {
                if (h->nack_batch == sizeof h->ack_batch / sizeof h->ack_batch[0])
                        return false;            /* no room: acknowledge now, as before */
                h->ack_batch[h->nack_batch++] = t;
                t->flags |= TF_ACK_BATCHED;
        }
        h->stats.tcp.acks_batched++;
        return true;
}

void tcp_ack_batch_forget(struct tcb *t)
{
        struct host *h = t->host;
        for (size_t i = 0; i < h->nack_batch; i++)
                if (h->ack_batch[i] == t)
                        h->ack_batch[i] = h->ack_batch[--h->nack_batch];
        t->flags &= ~(unsigned)TF_ACK_BATCHED;
}

void tcp_turn_end(struct host *h)
{
        while (h->nack_batch > 0) {
                struct tcb *t = h->ack_batch[--h->nack_batch];
                t->flags &= ~(unsigned)TF_ACK_BATCHED;
                if (t->segs_unacked >= 2) {          /* no segment of ours has carried it */
                        h->stats.tcp.batch_acks++;
                        tcp_ack_now(t);
                }
        }
}
