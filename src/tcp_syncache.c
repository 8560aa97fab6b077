/* Tangled from chapters/04-opening.nw by tools/tangle: edit those, not this file. */
#include "host.h"

static bool tcp_unlink(struct tcb **head, struct tcb *c)
{
        for (; *head != NULL; head = &(*head)->qnext) {
                if (*head == c) {
                        *head = c->qnext;
                        c->qnext = NULL;
                        return true;
                }
        }
        return false;
}

void tcp_unqueue(struct tcb *l, struct tcb *c)
{
        struct tcp_listen *q = l->listen;
        if (tcp_unlink(&q->syn_q, c)) {
                q->syn_q_len--;
        } else if (tcp_unlink(&q->acc_head, c)) {
                q->acc_q_len--;
                q->acc_tail = q->acc_head;
                while (q->acc_tail != NULL && q->acc_tail->qnext != NULL)
                        q->acc_tail = q->acc_tail->qnext;
        }
        c->parent = NULL;
}

void tcp_to_accept_queue(struct tcb *l, struct tcb *c)
{
        struct tcp_listen *q = l->listen;
        if (tcp_unlink(&q->syn_q, c))
                q->syn_q_len--;
        if (q->acc_tail != NULL)
                q->acc_tail->qnext = c;
        else
                q->acc_head = c;
        q->acc_tail = c;
        q->acc_q_len++;
}
void syncache_add(struct tcb *l, const struct segment *seg)
{
        struct host *h = l->host;
        struct tcp_listen *q = l->listen;
        int syn_limit = MIN(q->backlog, h->cfg.max_syn_backlog);
        if (q->syn_q_len >= syn_limit) {
                h->stats.tcp.syn_queue_overflow++;
                return;
        }
        if (q->acc_q_len >= q->backlog) {
                h->stats.tcp.accept_queue_overflow++;
                return;
        }
        struct tcb *c = tcb_create(h, seg->dst, seg->dport, seg->src, seg->sport);
        if (c == NULL)
                return;
        tcp_set_state(c, T_LISTEN, TCP_LISTEN);
        c->flags |= TF_PASSIVE;
        c->parent = l;
        c->qnext = q->syn_q;
        q->syn_q = c;
        q->syn_q_len++;
        tcp_remember_syn(c, seg);
        if (seg->len > 0)
                h->stats.tcp.syn_data_dropped++;
        c->iss = tcp_isn(h, c->laddr, c->lport, c->raddr, c->rport);
        c->snd_una = c->iss;
        c->snd_nxt = c->iss + 1;
        c->snd_wnd = tcp_peer_window(c, seg);
        c->snd_wl1 = seg->seq;
        c->snd_wl2 = c->iss;
        h->stats.tcp.passive_opens++;
        tcp_set_state(c, T_RCV_SYN, TCP_SYN_RECEIVED);
        tcp_send_syn(c);
        if (h->cfg.two_way_handshake) {
                tcp_set_state(c, T_TWO_WAY, TCP_ESTABLISHED);
                tcp_timer_stop(c, TT_REXMT);
                tcp_to_accept_queue(l, c);
                tcp_notify(l, TCP_EV_ACCEPTABLE);
        }
}
