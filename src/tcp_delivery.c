/* Tangled from chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#include "host.h"

static struct ooo_seg *ooo_piece(const struct segment *seg, uint32_t s, uint32_t e)
{
        struct ooo_seg *p = malloc(sizeof *p + (e - s));
        if (p == NULL)
                oom();
        p->next = NULL;
        p->seq = s;
        p->len = e - s;
        memcpy(p->data, seg->data + (s - seg->seq), e - s);
        return p;
}

bool ooo_insert(struct tcb *t, const struct segment *seg)
{
        uint32_t s = seg->seq, e = seg->seq + (uint32_t)seg->len;
        uint32_t wend = t->rcv_nxt + t->rcv_wnd;
        if (SEQ_GT(e, wend))
                e = wend;                    /* only what fits the window */
        if (!SEQ_LT(s, e))
                return false;
        struct ooo_seg **pp = &t->ooo;
        while (SEQ_LT(s, e)) {
                struct ooo_seg *q = *pp;
                if (q != NULL && SEQ_LEQ(q->seq + q->len, s)) {
                        pp = &q->next;           /* wholly before what is left */
                        continue;
                }
                uint32_t stop = (q == NULL || SEQ_LT(e, q->seq)) ? e : q->seq;
                if (SEQ_LT(s, stop)) {
                        if (t->ooo_count >= t->host->cfg.ooo_max) {
                                t->host->stats.tcp.ooo_overflow++;
                                return true;
                        }
                        struct ooo_seg *p = ooo_piece(seg, s, stop);
                        p->next = q;
                        *pp = p;
                        pp = &p->next;
                        t->ooo_count++;
                        t->host->stats.tcp.ooo_queued += stop - s;
                }
                if (q == NULL || SEQ_LEQ(e, q->seq))
                        break;
                t->host->stats.tcp.dup_bytes += SEQ_MIN(e, q->seq + q->len) - SEQ_MAX(s, q->seq);
                s = q->seq + q->len;
                pp = &q->next;
        }
        return true;
}
size_t ooo_deliver(struct tcb *t)
{
        size_t total = 0;
        while (t->ooo != NULL && SEQ_LEQ(t->ooo->seq, t->rcv_nxt)) {
                struct ooo_seg *q = t->ooo;
                t->ooo = q->next;
                t->ooo_count--;
                uint32_t skip = t->rcv_nxt - q->seq;
                if (skip < q->len) {
                        size_t n = ring_write(&t->rcvq, q->data + skip, q->len - skip);
                        t->rcv_nxt += (uint32_t)n;
                        total += n;
                }
                free(q);
        }
        return total;
}

void ooo_free(struct tcb *t)
{
        while (t->ooo != NULL) {
                struct ooo_seg *q = t->ooo;
                t->ooo = q->next;
                free(q);
        }
        t->ooo_count = 0;
}
void tcp_delack_timeout(struct timer *tm, void *arg)
{
        (void)tm;
        struct tcb *t = arg;
        t->host->stats.tcp.delayed_acks++;
        tcp_send_ack(t);
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
void note_retransmission(struct tcb *t, uint32_t end)
{
        t->rtx_end = end;
        t->rtx_at = loop_now(t->host->loop);
}
usec_t tcp_rto_unbacked(const struct tcb *t)
{
        return t->srtt != 0 ? tcp_rto_estimate(t) : t->host->cfg.rto_initial;
}
usec_t rto793_update(struct rto793 *e, usec_t sample)
{
        e->srtt = e->srtt == 0 ? (double)sample
                               : e->alpha * e->srtt + (1 - e->alpha) * (double)sample;
        double rto = e->beta * e->srtt;
        return (usec_t)MIN(MAX(rto, (double)e->lbound), (double)e->ubound);
}
