/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include <errno.h>

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
        if (tcp_unlink(&l->syn_q, c)) {
                l->syn_q_len--;
        } else if (tcp_unlink(&l->acc_head, c)) {
                l->acc_q_len--;
                l->acc_tail = l->acc_head;
                while (l->acc_tail != NULL && l->acc_tail->qnext != NULL)
                        l->acc_tail = l->acc_tail->qnext;
        }
        c->parent = NULL;
}

void tcp_to_accept_queue(struct tcb *l, struct tcb *c)
{
        if (tcp_unlink(&l->syn_q, c))
                l->syn_q_len--;
        if (l->acc_tail != NULL)
                l->acc_tail->qnext = c;
        else
                l->acc_head = c;
        l->acc_tail = c;
        l->acc_q_len++;
}
struct tcb *tcp_listen(struct host *h, uint16_t port, int backlog,
                       tcp_event_fn fn, void *arg, int *err)
{
        if (port == 0 || tcb_lookup(h, 0, port, 0, 0) != NULL) {
                *err = EADDRINUSE;
                return NULL;
        }
        struct tcb *l = tcb_create(h, 0, port, 0, 0);
        if (l == NULL) {
                *err = ENOBUFS;
                return NULL;
        }
        l->backlog = backlog < 1 ? 1 : backlog;
        l->on_event = fn;
        l->ev_arg = arg;
        tcp_set_state(l, T_LISTEN, TCP_LISTEN);
        return l;
}
struct tcb *tcp_accept(struct tcb *l)
{
        struct tcb *c = l->acc_head;
        if (c == NULL)
                return NULL;
        l->acc_head = c->qnext;
        if (l->acc_head == NULL)
                l->acc_tail = NULL;
        l->acc_q_len--;
        c->qnext = NULL;
        c->parent = NULL;
        return c;
}

void tcp_set_handler(struct tcb *t, tcp_event_fn fn, void *arg)
{
        t->on_event = fn;
        t->ev_arg = arg;
}
struct tcb *tcp_connect(struct host *h, uint32_t raddr, uint16_t rport,
                        tcp_event_fn fn, void *arg, int *err)
{
        return tcp_connect_from(h, 0, raddr, rport, fn, arg, err);
}

struct tcb *tcp_connect_from(struct host *h, uint16_t lport, uint32_t raddr,
                             uint16_t rport, tcp_event_fn fn, void *arg, int *err)
{
        if (lport == 0 && h->cfg.addr != 0)
                lport = tcp_pick_port(h, raddr, rport);
        if (lport == 0 || h->cfg.addr == 0) {
                *err = EADDRNOTAVAIL;
                return NULL;
        }
        if (tcb_lookup(h, h->cfg.addr, lport, raddr, rport) != NULL) {
                *err = EADDRINUSE;           /* that 4-tuple is taken */
                return NULL;
        }
        struct tcb *t = tcb_create(h, h->cfg.addr, lport, raddr, rport);
        if (t == NULL) {
                *err = ENOBUFS;
                return NULL;
        }
        t->on_event = fn;
        t->ev_arg = arg;
        t->iss = tcp_isn(h, t->laddr, lport, raddr, rport);
        t->snd_una = t->iss;
        t->snd_nxt = t->iss + 1;
        h->stats.tcp.active_opens++;
        tcp_set_state(t, T_CONNECT, TCP_SYN_SENT);
        tcp_send_syn(t);
        return t;
}
long tcp_send(struct tcb *t, const void *data, size_t len)
{
        if (t->fin_queued)
                return -EPIPE;
        size_t n = ring_write(&t->sndq, data, len);
        tcp_output(t);
        return (long)n;
}
size_t tcp_recv(struct tcb *t, void *buf, size_t len)
{
        uint32_t before = t->rcv_wnd;
        size_t n = ring_read(&t->rcvq, buf, len);
        tcp_update_rcv_wnd(t);
        if (before < t->snd_mss && t->rcv_wnd >= t->snd_mss && !t->fin_rcvd &&
            (t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 ||
             t->state == TCP_FIN_WAIT_2))
                tcp_send_ack(t);
        return n;
}

bool tcp_eof(const struct tcb *t)
{
        return t->fin_rcvd && t->rcvq.len == 0;
}
void tcp_shutdown(struct tcb *t)
{
        if (t->fin_queued)
                return;
        if (t->state == TCP_SYN_SENT) {
                t->fin_queued = true;        /* acted on when the SYN-ACK comes */
                return;
        }
        if (t->state == TCP_ESTABLISHED) {
                t->fin_queued = true;
                tcp_set_state(t, T_CLOSE, TCP_FIN_WAIT_1);
        } else if (t->state == TCP_CLOSE_WAIT) {
                t->fin_queued = true;
                tcp_set_state(t, T_CLOSE, TCP_LAST_ACK);
        } else {
                return;
        }
        tcp_output(t);
}
void tcp_close(struct tcb *t)
{
        if (t->state == TCP_CLOSED)
                return;                      /* already ended: nothing to do */
        t->on_event = NULL;
        if (t->state == TCP_LISTEN) {
                while (t->syn_q != NULL)
                        tcb_destroy(t->syn_q);
                struct tcb *c;
                while ((c = tcp_accept(t)) != NULL)
                        tcp_abort(c);
                tcp_set_state(t, T_CLOSE, TCP_CLOSED);
                tcb_destroy(t);
                return;
        }
        if (t->state == TCP_SYN_SENT) {
                tcp_set_state(t, T_CLOSE, TCP_CLOSED);
                tcb_destroy(t);
                return;
        }
        if (t->rcvq.len > 0 || t->state == TCP_SYN_RECEIVED) {
                if (t->rcvq.len > 0)
                        t->host->stats.tcp.aborts_on_close++;
                tcp_abort(t);
                return;
        }
        t->orphan = true;
        tcp_shutdown(t);
        if (t->state == TCP_FIN_WAIT_2)
                timer_arm_in(t->host->loop, &t->wait_timer, t->host->cfg.fin_timeout);
}
void tcp_abort(struct tcb *t)
{
        if (t->state == TCP_LISTEN) {
                tcp_close(t);                /* its queued connections go too */
                return;
        }
        if (t->state == TCP_CLOSED)
                return;                      /* already ended: nothing to do */
        t->on_event = NULL;
        switch (t->state) {
        case TCP_SYN_RECEIVED:
        case TCP_ESTABLISHED:
        case TCP_FIN_WAIT_1:
        case TCP_FIN_WAIT_2:
        case TCP_CLOSE_WAIT: {
                struct segment s;
                tcp_segment_from(t, &s, t->snd_nxt, TH_RST);
                tcp_send_segment(t->host, &s);
                break;
        }
        default:
                break;
        }
        if (t->state != TCP_CLOSED)
                tcp_set_state(t, t->state == TCP_LISTEN || t->state == TCP_SYN_SENT ?
                              T_CLOSE : T_ABORT, TCP_CLOSED);
        tcb_destroy(t);
}
