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
                t->host->stats.tcp.dup_bytes += SEQ_MIN(e, q->seq + q->len) -
                        SEQ_MAX(s, q->seq);
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
