/* Tangled from chapters/03-segments.nw, chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/08-congestion.nw, chapters/09-sack.nw, chapters/10-timestamps.nw, chapters/11-odds.nw, chapters/12-attack.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include <errno.h>

void tcp_input(struct host *h, const uint8_t *ip, struct pkb *p)
{
        struct tcp_stats *st = &h->stats.tcp;
        st->in_segs++;
        struct segment seg;
        int why = tcp_parse(ip, p, &seg, st->opt_problems);
        if (why >= 0) {
                st->in_drops[why]++;
                pkb_free(p);
                return;
        }
        struct tcb *t = tcb_lookup(h, seg.dst, seg.dport, seg.src, seg.sport);
        if (t == NULL)
                t = tcb_lookup(h, 0, seg.dport, 0, 0);
        if (t != NULL) {
                tcp_segment_arrives(t, &seg);
                pkb_free(p);
                return;
        }
        st->closed_port++;
        tcp_send_reset(h, &seg);
        pkb_free(p);
}
void tcp_remember_syn(struct tcb *t, const struct segment *seg)
{
        t->irs = seg->seq;
        t->rcv_nxt = seg->seq + 1;
        uint16_t mine = tcp_path_mss(t);
        t->snd_mss = seg->opt.mss_present && seg->opt.mss > 0 ?
                MIN(seg->opt.mss, mine) : MIN((uint16_t)TCP_DEFAULT_MSS, mine);
        if (seg->opt.mss_present && seg->opt.mss < t->host->cfg.min_snd_mss) {
                t->snd_mss = MIN(t->host->cfg.min_snd_mss, tcp_path_mss(t));
                t->host->stats.tcp.mss_raised++;
        }
        t->rcv_adv = t->rcv_nxt;
        if (seg->opt.ws_present && ((t->flags & TF_PASSIVE) ? t->host->cfg.window_scaling
                                                           : (t->flags & TF_WS_SENT) != 0)) {
                t->flags |= TF_WS_OK;
                t->snd_wscale = seg->opt.ws;
                t->rcv_wscale = tcp_wscale_wanted(t);
                if (seg->opt.ws_clamped)
                        t->host->stats.tcp.ws_clamped++;
                t->rcv_wnd = tcp_rcv_window(t);
        }
        t->cc->init(t);
        if (seg->opt.sack_permitted && t->host->cfg.sack)
                t->flags |= TF_SACK_OK;
        if (seg->opt.ts_present && t->host->cfg.timestamps) {
                t->flags |= TF_TS_OK;
                t->ts_recent = seg->opt.ts_val;
                t->ts_recent_at = loop_now(t->host->loop);
        }
        if (t->flags & TF_TS_OK) {
                t->snd_mss -= 12;
                t->cc->init(t);
        }
        tcp_ecn_syn_arrived(t, seg);
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
void tcp_challenge_ack(struct tcb *t)
{
        if (!tcp_answer_allowed(t) || !tcp_challenge_budget(t->host))
                return;
        t->host->stats.tcp.challenge_acks++;
        tcp_ack_now(t);
}
static void tcp_reset_arrived(struct tcb *t)
{
        switch (t->state) {
        case TCP_SYN_RECEIVED:
                if (t->flags & TF_PASSIVE) {
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
        if (seg->flags & TH_RST)
                return;
        if (seg->flags & TH_ACK) {
                if (syncookie_accept(l, seg))
                        return;
                tcp_send_reset(l->host, seg);
                return;
        }
        if (!(seg->flags & TH_SYN))
                return;
        syncache_add(l, seg);
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
                acceptable_ack = SEQ_LT(t->snd_una, seg->ack) &&
                                 SEQ_LEQ(seg->ack, t->snd_nxt);
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
        tcp_remember_syn(t, seg);
        t->snd_wnd = tcp_peer_window(t, seg);
        t->snd_wl1 = seg->seq;
        if (acceptable_ack) {
                t->snd_una = seg->ack;
                t->snd_wl2 = seg->ack;
                tcp_timer_stop(t, TT_REXMT);
                t->rtx_count = 0;
                t->rto = h->cfg.rto_initial;
                tcp_set_state(t, T_RCV_SYN_ACK, TCP_ESTABLISHED);
                tcp_ack_now(t);
                tcp_notify(t, TCP_EV_CONNECTED);
                if (t->state == TCP_ESTABLISHED && (t->flags & TF_FIN_QUEUED))
                        tcp_set_state(t, T_CLOSE, TCP_FIN_WAIT_1);
                tcp_output(t);
                t->heard_at = loop_now(t->host->loop);   /* the SYN-ACK */
                return;
        }
        tcp_set_state(t, T_RCV_SYN, TCP_SYN_RECEIVED);
        tcp_send_syn(t);
}
static bool handshake_complete(struct tcb *t, const struct segment *seg)
{
        struct host *h = t->host;
        struct tcb *l = t->parent;
        bool passive = t->flags & TF_PASSIVE;
        if (passive && l != NULL && l->listen->acc_q_len >= l->listen->backlog) {
                h->stats.tcp.accept_queue_overflow++;
                if (h->cfg.abort_on_overflow) {
                        tcp_send_reset(h, seg);
                        tcp_set_state(t, T_OVERFLOW, TCP_CLOSED);
                        tcb_destroy(t);
                }
                return false;
        }
        t->snd_una = seg->ack;
        t->snd_wnd = tcp_peer_window(t, seg);
        t->snd_wl1 = seg->seq;
        t->snd_wl2 = seg->ack;
        tcp_timer_stop(t, TT_REXMT);
        t->rtx_count = 0;
        t->rto = h->cfg.rto_initial;
        tcp_set_state(t, T_RCV_ACK, TCP_ESTABLISHED);
        if (passive && l != NULL) {
                tcp_to_accept_queue(l, t);
                tcp_notify(l, TCP_EV_ACCEPTABLE);
        } else if (!passive) {
                tcp_notify(t, TCP_EV_CONNECTED);
        }
        return true;
}
static void ack_advances(struct tcb *t, const struct segment *seg)
{
        uint32_t acked = seg->ack - t->snd_una;
        t->snd_una = seg->ack;
        t->bytes_acked += acked;
        bool fin_acked = (t->flags & TF_FIN_SENT) && t->snd_una == t->snd_nxt;
        ring_drop(&t->sndq, acked - fin_acked);
        t->rtx_count = 0;
        t->rto = tcp_rto_after_ack(t);
        if (t->snd_una == t->snd_nxt)
                tcp_timer_stop(t, TT_REXMT);
        else
                tcp_timer_arm(t, TT_REXMT, t->rto);
        if (acked > (uint32_t)fin_acked)
                t->pending |= TCP_PENDING(TCP_EV_WRITABLE);
        if ((t->flags & TF_RTT_TIMING) && SEQ_GT(t->snd_una, t->rtt_seq)) {
                t->flags &= ~(unsigned)(TF_RTT_TIMING | TF_BACKED_OFF);
                tcp_rtt_sample(t, loop_now(t->host->loop) - t->rtt_start);
                if (t->snd_una != t->snd_nxt)
                        tcp_timer_arm(t, TT_REXMT, t->rto);
        }
        tcp_new_ack_arrived(t, acked);
        t->lt_allow = 0;
        tcp_cc_report(t);
        if ((t->flags & TF_TS_OK) && seg->opt.ts_present && seg->opt.ts_ecr != 0 &&
            TS_GEQ(tcp_ts_now(t), seg->opt.ts_ecr) && !tcp_ts_echo_predates_resend(t, seg)) {
                usec_t r = (usec_t)(tcp_ts_now(t) - seg->opt.ts_ecr) * 1000;
                uint32_t flight = t->snd_nxt - t->snd_una + acked;
                uint32_t expected = (flight + 2u * t->snd_mss - 1) / (2u * t->snd_mss);
                tcp_rtt_sample_scaled(t, MAX(r, (usec_t)1000) - 500, MAX(expected, 1u));
                t->flags &= ~(unsigned)TF_BACKED_OFF;
        }
        if (acked >= seg_data_max(t))
                t->full_size_acked = true;
}

static void ack_updates_window(struct tcb *t, const struct segment *seg)
{
        if (SEQ_LEQ(t->snd_una, seg->ack) &&
            (SEQ_LT(t->snd_wl1, seg->seq) ||
             (t->snd_wl1 == seg->seq && SEQ_LEQ(t->snd_wl2, seg->ack)))) {
                t->snd_wnd = tcp_peer_window(t, seg);
                t->snd_wl1 = seg->seq;
                t->snd_wl2 = seg->ack;
        }
        if (t->snd_wnd > t->max_sndwnd)
                t->max_sndwnd = t->snd_wnd;
        if (tcp_timer_armed(t, TT_PERSIST) || (t->flags & TF_PROBING)) {
                t->probes_unanswered = 0;
                if ((t->flags & TF_PROBING) && t->snd_nxt != t->snd_una) {
                        t->snd_nxt = t->snd_una;     /* the probe's byte was not taken */
                        t->dupacks = 0;
                }
                t->flags &= ~(unsigned)TF_PROBING;
                if (t->snd_wnd > 0) {
                        tcp_timer_stop(t, TT_PERSIST);
                        t->persist_shift = 0;
                }
        }
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
                tcp_ack_now(t);
                tcp_timer_arm(t, TT_WAIT, 2 * t->host->cfg.msl);
                return;
        }
        if ((t->flags & TF_TS_OK) && seg->opt.ts_present && !(seg->flags & TH_RST)) {
                if (loop_now(t->host->loop) - t->ts_recent_at > SEC(24 * 24 * 3600)) {
                        t->ts_recent = seg->opt.ts_val;   /* idle 24 days: TS.Recent is stale */
                        t->ts_recent_at = loop_now(t->host->loop);
                } else if (TS_LT(seg->opt.ts_val, t->ts_recent)) {
                        t->host->stats.tcp.paws_rejected++;
                        tcp_ack_now(t);
                        return;
                }
        }
        struct segment ack_only;
        if (!tcp_acceptable(t, seg)) {
                if ((t->flags & TF_SACK_OK) && seg->len > 0 && !(seg->flags & TH_RST) &&
                    SEQ_LEQ(seg->seq + (uint32_t)seg->len, t->rcv_nxt)) {
                        t->dsack.start = seg->seq;
                        t->dsack.end = seg->seq + (uint32_t)seg->len;
                        t->dsack_pending = true;
                }
                if (!(seg->flags & TH_RST) && (seg->len > 0 || tcp_answer_allowed(t)))
                        tcp_ack_now(t);
                if (t->rcv_wnd != 0 || seg->seq != t->rcv_nxt || !(seg->flags & TH_ACK))
                        return;
                ack_only = *seg;             /* a zero window: keep the ACK and URG, drop
                                                the rest */
                ack_only.len = 0;
                ack_only.flags &= (uint8_t)~(TH_SYN | TH_FIN | TH_PSH);
                seg = &ack_only;
        }
        if ((t->flags & TF_TS_OK) && seg->opt.ts_present && !(seg->flags & TH_RST) &&
            TS_GEQ(seg->opt.ts_val, t->ts_recent) && SEQ_LEQ(seg->seq, t->last_ack_sent)) {
                t->ts_recent = seg->opt.ts_val;
                t->ts_recent_at = loop_now(t->host->loop);
        }
        t->heard_at = loop_now(t->host->loop);
        t->keep_sent = 0;
        if (t->host->cfg.header_prediction && tcp_fast_path(t, seg))
                return;
        if (seg->flags & TH_RST) {
                if (seg->seq != t->rcv_nxt) {
                        tcp_challenge_ack(t);
                        return;
                }
                tcp_reset_arrived(t);
                return;
        }
        if (seg->flags & TH_SYN) {
                tcp_challenge_ack(t);
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
        t->max_snd_wnd = MAX(t->max_snd_wnd, t->snd_wnd);
        if (SEQ_LT(seg->ack, t->snd_una - t->max_snd_wnd)) {
                t->host->stats.tcp.ack_too_old++;
                tcp_challenge_ack(t);
                return;
        }
        if (SEQ_GT(seg->ack, t->snd_nxt)) {
                tcp_ack_now(t);
                return;
        }
        tcp_eifel_check(t, seg);
        t->sack_news = false;
        if ((t->flags & TF_SACK_OK) && (seg->opt.nsack > 0 || t->nsb > 0))
                tcp_sack_update(t, seg);
        if (SEQ_LT(t->snd_una, seg->ack)) {
                ack_advances(t, seg);
        } else {
                if (seg->ack == t->snd_una && t->snd_una != t->snd_nxt && seg->len == 0 &&
                    !(seg->flags & (TH_SYN | TH_FIN)) &&
                    (tcp_peer_window(t, seg) == t->snd_wnd ||
                     ((t->flags & TF_SACK_OK) && t->sack_news) || false))
                        tcp_dupack_arrived(t);
        }
        if (t->ecn & ECN_OK)
                tcp_ecn_ack_arrived(t, seg);
        ack_updates_window(t, seg);
        if ((t->flags & TF_FIN_SENT) && t->snd_una == t->snd_nxt) {
                if (t->state == TCP_FIN_WAIT_1) {
                        tcp_set_state(t, T_RCV_ACK_OF_FIN, TCP_FIN_WAIT_2);
                        if (t->flags & TF_ORPHAN)
                                tcp_timer_arm(t, TT_WAIT, t->host->cfg.fin_timeout);
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
        if (t->ecn & ECN_OK)
                tcp_ecn_segment_arrived(t, seg);
        if ((seg->flags & TH_URG) && (t->state == TCP_ESTABLISHED ||
            t->state == TCP_FIN_WAIT_1 || t->state == TCP_FIN_WAIT_2))
                tcp_urgent_arrived(t, seg);
        if (seg->len > 0) {
                if (t->state != TCP_ESTABLISHED && t->state != TCP_FIN_WAIT_1 &&
                    t->state != TCP_FIN_WAIT_2)
                        return;                  /* after their FIN: RFC 9293 ignores it */
                if (t->flags & TF_ORPHAN) {
                        t->host->stats.tcp.aborts_on_data++;
                        tcp_abort(t);
                        return;
                }
                tcp_receive_text(t, seg);
        }
        if ((seg->flags & TH_FIN) && !(t->flags & TF_FIN_RCVD)) {
                uint32_t fin_seq = seg->seq + (uint32_t)seg->len;
                if (fin_seq == t->rcv_nxt)
                        tcp_fin_arrived(t);
                else if (SEQ_GT(fin_seq, t->rcv_nxt)) {
                        t->flags |= TF_FIN_PENDING;
                        t->fin_seq = fin_seq;
                }
        }
        if ((t->flags & TF_FIN_PENDING) && !(t->flags & TF_FIN_RCVD) && t->fin_seq == t->rcv_nxt) {
                t->flags &= ~(unsigned)TF_FIN_PENDING;
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
        if (!(t->flags & TF_DOOMED))
                tcp_mem_sync(t);
        t->hold--;
        tcp_deliver_events(t);
}
static void owe_an_ack(struct tcb *t, bool in_order)
{
        t->flags |= in_order ? TF_DELACK : TF_ACKNOW;
        if (in_order && ++t->segs_unacked >= 2) {
                bool wait = false;
                wait = tcp_ack_batch(t);
                if (!wait)
                        t->flags |= TF_ACKNOW;
        }
}

void tcp_receive_text(struct tcb *t, const struct segment *seg)
{
        if (SEQ_GT(seg->seq, t->rcv_nxt)) {
                owe_an_ack(t, false);
                if (t->ooo == NULL && !tcp_mem_room(t, t->rcvq.cap))
                        return;
                if ((t->flags & TF_SACK_OK) && tcp_sack_queued(t, seg->seq, (uint32_t)seg->len)) {
                        t->dsack.start = seg->seq;
                        t->dsack.end = seg->seq + (uint32_t)seg->len;
                        t->dsack_pending = true;
                }
                if (ooo_insert(t, seg)) {
                        if (t->flags & TF_SACK_OK)
                                tcp_sack_arrived(t, seg->seq);
                        return;
                }
                t->host->stats.tcp.out_of_order_dropped++;
                return;
        }
        size_t skip = t->rcv_nxt - seg->seq;
        if (skip > 0 && (t->flags & TF_SACK_OK)) {
                t->dsack.start = seg->seq;
                t->dsack.end = seg->seq + (uint32_t)MIN(skip, seg->len);
                t->dsack_pending = true;
        }
        if (skip >= seg->len) {
                owe_an_ack(t, false);            /* a duplicate: only the ACK */
                return;
        }
        if (t->rcvq.buf == NULL && !tcp_mem_room(t, t->rcvq.cap))
                return;                              /* not taken: it will come again */
        size_t n = ring_write(&t->rcvq, seg->data + skip, seg->len - skip);
        t->rcv_nxt += (uint32_t)n;
        t->host->stats.tcp.bytes_in += n;
        if (t->ooo != NULL) {
                size_t more = ooo_deliver(t);
                n += more;
                t->host->stats.tcp.bytes_in += more;
                if (more > 0)
                        t->flags |= TF_ACKNOW;      /* a gap closed: say so at once */
        }
        t->rcv_wnd = tcp_rcv_window(t);
        owe_an_ack(t, true);
        if (n > 0)
                t->pending |= TCP_PENDING(TCP_EV_READABLE);
}
void tcp_enter_time_wait(struct tcb *t)
{
        struct host *h = t->host;
        tcp_timer_stop(t, TT_REXMT);
        ring_free(&t->sndq);
        if ((t->flags & TF_ORPHAN) || t->rcvq.len == 0)
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
        tcp_timer_arm(t, TT_WAIT, 2 * h->cfg.msl);
}
void tcp_fin_arrived(struct tcb *t)
{
        t->rcv_nxt++;
        t->flags |= TF_FIN_RCVD | TF_ACKNOW;
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
void tcp_dupack_arrived(struct tcb *t)
{
        t->host->stats.tcp.dup_acks++;
        t->dupacks++;
        if (tcp_sack_recovery(t))
                return;                              /* pipe, not inflation */
        if ((t->flags & TF_SACK_OK) && !(t->flags & TF_IN_RECOVERY) &&
            t->dupacks < t->host->cfg.dupthresh && tcp_sack_is_lost(t, t->snd_una))
                t->dupacks = t->host->cfg.dupthresh;   /* three segments SACKed above the hole */
        if (t->dupacks == t->host->cfg.dupthresh && !(t->flags & TF_IN_RECOVERY))
                tcp_eifel_episode(t);
        if (t->dupacks == 1)
                t->lt_start = t->snd_nxt;
        t->lt_allow = 0;
        if (t->host->cfg.limited_transmit && t->dupacks < t->host->cfg.dupthresh &&
            !(t->flags & TF_IN_RECOVERY))
                t->lt_allow = (uint32_t)t->dupacks * t->snd_mss;
        if (t->dupacks == t->host->cfg.dupthresh && !(t->flags & TF_IN_RECOVERY) &&
            t->recover_valid && !SEQ_GT(t->snd_una, t->recover)) {
                t->host->stats.tcp.dupacks_after_recovery++;
                return;                              /* the echo of the last recovery */
        }
        if (t->dupacks == t->host->cfg.dupthresh && !(t->flags & TF_IN_RECOVERY))
                t->recover_valid = true;             /* a recovery begins, below */
        if (t->dupacks == t->host->cfg.dupthresh && !(t->flags & TF_IN_RECOVERY)) {
                t->host->stats.tcp.fast_retransmits++;
                t->flags |= TF_IN_RECOVERY;
                t->recover = t->snd_nxt;
                if (t->cc->on_loss != NULL)
                        t->cc->on_loss(t);
                if (t->flags & TF_SACK_OK) {
                        t->cwnd = t->ssthresh;
                        t->high_rxt = t->snd_una;
                        t->high_rxt_set = true;
                        t->rescue_valid = false;
                }
                tcp_retransmit(t, t->snd_una, SEQ_MIN(t->snd_una + t->snd_mss, t->snd_nxt));
        } else if (t->cc->on_dupack != NULL) {
                t->cc->on_dupack(t);
        }
}
void tcp_new_ack_arrived(struct tcb *t, uint32_t acked)
{
        t->dupacks = 0;
        if (!(t->flags & TF_IN_RECOVERY)) {
                if (t->cc->on_ack != NULL)
                        t->cc->on_ack(t, acked);
        } else if (SEQ_GEQ(t->snd_una, t->recover)) {
                t->flags &= ~(unsigned)TF_IN_RECOVERY;
                if (t->cc->on_recovery_end != NULL)
                        t->cc->on_recovery_end(t);
        } else {
                t->host->stats.tcp.partial_acks++;
                if (tcp_sack_recovery(t))
                        return;
                if (t->cc->on_partial_ack != NULL && !t->cc->on_partial_ack(t, acked)) {
                        t->flags &= ~(unsigned)TF_IN_RECOVERY;
                        return;
                }
                if (SEQ_LT(t->rtx_nxt, t->rtx_end))
                        return;      /* a resend under way reaches the edge: it goes on */
                tcp_retransmit(t, t->snd_una, SEQ_MIN(t->snd_una + t->snd_mss, t->snd_nxt));
        }
}
void tcp_urgent_arrived(struct tcb *t, const struct segment *seg)
{
        uint32_t up = seg->seq + seg->urp;
        t->host->stats.tcp.urgent_in++;
        if (t->rcv_up_set && !SEQ_GT(up, t->rcv_up))
                return;                          /* nothing newer than the mark we have */
        t->rcv_up = up;
        t->rcv_up_set = true;
        t->pending |= TCP_PENDING(TCP_EV_READABLE);   /* tell the application */
}
void tcp_ecn_syn_arrived(struct tcb *t, const struct segment *seg)
{
        uint8_t f = seg->flags & (TH_ECE | TH_CWR);
        if (t->state == TCP_SYN_SENT) {
                if ((seg->flags & TH_ACK) && (t->ecn & ECN_ASKED) && f == TH_ECE)
                        t->ecn |= ECN_OK;
        } else if (f == (TH_ECE | TH_CWR) && t->host->cfg.ecn != 0) {
                t->ecn |= ECN_OK;
        }
        if (t->ecn & ECN_OK)
                t->host->stats.tcp.ecn_connections++;
}
void tcp_ecn_segment_arrived(struct tcb *t, const struct segment *seg)
{
        if (seg->flags & TH_CWR)
                t->ecn &= ~(unsigned)ECN_ECHO;
        if (seg->ecn == IP_ECN_CE) {
                t->host->stats.tcp.ecn_ce_received++;
                if (!(t->ecn & ECN_ECHO))
                        t->flags |= TF_ACKNOW;      /* tell the sender at once */
                t->ecn |= ECN_ECHO;
        }
}
void tcp_ecn_ack_arrived(struct tcb *t, const struct segment *seg)
{
        struct tcp_stats *st = &t->host->stats.tcp;
        if ((t->ecn & ECN_REDUCED) && SEQ_GT(seg->ack, t->ecn_recover))
                t->ecn &= ~(unsigned)ECN_REDUCED;       /* past the window that was
                                                           answered */
        if (!(seg->flags & TH_ECE) || (seg->flags & TH_SYN))
                return;
        st->ecn_echoes++;
        if (t->ecn & ECN_REDUCED)
                return;                                 /* this window has been answered */
        t->ecn |= ECN_REDUCED | ECN_SEND_CWR;
        t->ecn_recover = t->snd_nxt;
        if ((t->flags & TF_IN_RECOVERY) || t->cc->on_loss == NULL)
                return;                                 /* reduced for the loss already */
        st->ecn_reductions++;
        t->cc->on_loss(t);
        t->cwnd = t->ssthresh;
        t->ca_acked = 0;
        tcp_cc_report(t);
}
bool tcp_answer_allowed(struct tcb *t)
{
        usec_t now = loop_now(t->host->loop);
        if (t->answered && now - t->answered_at < t->host->cfg.invalid_ratelimit) {
                t->host->stats.tcp.answers_limited++;
                return false;
        }
        t->answered = true;
        t->answered_at = now;
        return true;
}

bool tcp_challenge_budget(struct host *h)
{
        uint64_t second = loop_now(h->loop) / SEC(1);
        unsigned limit = h->cfg.challenge_ack_limit;
        if (limit == 0)
                return true;                     /* no host-wide limit */
        if (second != h->challenge_second || !h->challenge_started) {
                uint8_t b[8];
                for (int i = 0; i < 8; i++)
                        b[i] = (uint8_t)(second >> (8 * i));
                h->challenge_started = true;
                h->challenge_second = second;
                h->challenge_left = limit +
                                    (unsigned)(siphash(&h->cfg.secret, b, 8) % limit);
        }
        if (h->challenge_left == 0) {
                h->stats.tcp.challenges_limited++;
                return false;
        }
        h->challenge_left--;
        return true;
}
bool hp_predict(const struct hp_view *v)
{
        if (!v->established || (v->flags & ~TH_PSH) != TH_ACK || v->seq != v->rcv_nxt)
                return false;
        if (v->wnd != v->snd_wnd || v->other_options ||
            v->ts_present != v->ts_agreed || v->ce)
                return false;
        if (v->recovering || v->reassembling || v->persisting || v->unusual)
                return false;
        if (v->len == 0)                          /* a pure ACK of new data */
                return SEQ_LT(v->snd_una, v->ack) && SEQ_LEQ(v->ack, v->snd_nxt);
        return v->ack == v->snd_una && v->len <= v->rcv_space;   /* pure data */
}
static void hp_view_of(const struct tcb *t, const struct segment *seg, struct hp_view *v)
{
        const struct tcp_options *o = &seg->opt;
        *v = (struct hp_view){
                .established = t->state == TCP_ESTABLISHED,
                .flags = seg->flags, .seq = seg->seq, .ack = seg->ack, .len = seg->len,
                .wnd = tcp_peer_window(t, seg),
                .other_options = o->mss_present || o->ws_present || o->sack_permitted ||
                                 o->nsack > 0,
                .ts_present = o->ts_present, .ts_agreed = (t->flags & TF_TS_OK) != 0,
                .ce = seg->ecn == IP_ECN_CE,
                .rcv_nxt = t->rcv_nxt, .snd_una = t->snd_una, .snd_nxt = t->snd_nxt,
                .snd_wnd = t->snd_wnd,
                .recovering = (t->flags & TF_IN_RECOVERY) || t->nsb > 0,
                .reassembling = t->ooo != NULL,
                .persisting = tcp_timer_armed(t, TT_PERSIST) || (t->flags & TF_PROBING),
                .unusual = (t->flags & (TF_FIN_PENDING | TF_ORPHAN)) ||
                           t->max_snd_wnd < t->snd_wnd,
                .rcv_space = ring_space(&t->rcvq),
        };
}
bool tcp_fast_path(struct tcb *t, const struct segment *seg)
{
        struct hp_view v;
        hp_view_of(t, seg, &v);
        if (!hp_predict(&v))
                return false;
        tcp_eifel_check(t, seg);
        t->sack_news = false;
        if (seg->len == 0) {
                t->host->stats.tcp.predicted_acks++;
                ack_advances(t, seg);
        } else {
                t->host->stats.tcp.predicted_data++;
        }
        if (t->ecn & ECN_OK)
                tcp_ecn_ack_arrived(t, seg);
        ack_updates_window(t, seg);
        tcp_output(t);
        if (seg->len > 0)
                tcp_receive_text(t, seg);
        return true;
}
