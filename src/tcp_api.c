/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/07-flow.nw, chapters/08-congestion.nw, chapters/11-odds.nw, chapters/12-attack.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include <errno.h>

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
        l->listen = xcalloc(1, sizeof *l->listen);
        l->listen->backlog = backlog < 1 ? 1 : backlog;
        l->on_event = fn;
        l->ev_arg = arg;
        tcp_set_state(l, T_LISTEN, TCP_LISTEN);
        return l;
}
struct tcb *tcp_accept(struct tcb *l)
{
        struct tcp_listen *q = l->listen;
        struct tcb *c = q != NULL ? q->acc_head : NULL;
        if (c == NULL)
                return NULL;
        q->acc_head = c->qnext;
        if (q->acc_head == NULL)
                q->acc_tail = NULL;
        q->acc_q_len--;
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
        if (raddr == 0 || raddr >> 28 >= 14) {   /* 0.0.0.0, multicast, class E,
                                                    broadcast */
                *err = ENETUNREACH;
                return NULL;
        }
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
        if (t->flags & TF_FIN_QUEUED)
                return -EPIPE;
        if (t->sndq.buf == NULL && len > 0 && !tcp_mem_room(t, t->sndq.cap)) {
                if (!t->mem_waiting) {
                        t->mem_waiting = true;
                        t->host->tcp_mem_waiters++;
                }
                return 0;
        }
        size_t n = ring_write(&t->sndq, data, len);
        tcp_mem_sync(t);
        tcp_output(t);
        return (long)n;
}
size_t tcp_recv(struct tcb *t, void *buf, size_t len)
{
        uint32_t before = t->rcv_wnd, worth = t->snd_mss;
        size_t n = ring_read(&t->rcvq, buf, len);
        t->rcv_wnd = tcp_rcv_window(t);
        worth = (uint32_t)MIN((size_t)worth, t->so.rcvbuf / 2);
        if (before < worth && t->rcv_wnd >= worth && !(t->flags & TF_FIN_RCVD) &&
            (t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 ||
             t->state == TCP_FIN_WAIT_2))
                tcp_ack_now(t);
        return n;
}

bool tcp_eof(const struct tcb *t)
{
        return (t->flags & TF_FIN_RCVD) && t->rcvq.len == 0;
}
void tcp_shutdown(struct tcb *t)
{
        if (t->flags & TF_FIN_QUEUED)
                return;
        if (t->state == TCP_SYN_SENT) {
                t->flags |= TF_FIN_QUEUED;   /* acted on when the SYN-ACK comes */
                return;
        }
        if (t->state == TCP_ESTABLISHED) {
                t->flags |= TF_FIN_QUEUED;
                tcp_set_state(t, T_CLOSE, TCP_FIN_WAIT_1);
        } else if (t->state == TCP_CLOSE_WAIT) {
                t->flags |= TF_FIN_QUEUED;
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
                while (t->listen->syn_q != NULL)
                        tcb_destroy(t->listen->syn_q);
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
        t->flags |= TF_ORPHAN;
        tcp_shutdown(t);
        if (t->state == TCP_FIN_WAIT_2)
                tcp_timer_arm(t, TT_WAIT, t->host->cfg.fin_timeout);
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
        case TCP_CLOSE_WAIT:
                t->flags |= TF_RST;
                tcp_output(t);
                break;
        default:
                break;
        }
        if (t->state != TCP_CLOSED)
                tcp_set_state(t, t->state == TCP_LISTEN || t->state == TCP_SYN_SENT ?
                              T_CLOSE : T_ABORT, TCP_CLOSED);
        tcb_destroy(t);
}
int tcp_setsockopt(struct tcb *t, enum tcp_sockopt opt, long value)
{
        switch (opt) {
        case TCP_SO_SNDBUF:
        case TCP_SO_RCVBUF: {
                struct ring *r = opt == TCP_SO_SNDBUF ? &t->sndq : &t->rcvq;
                if (value < 1 || value > (1L << 30) || r->buf != NULL)
                        return -EINVAL;
                *(opt == TCP_SO_SNDBUF ? &t->so.sndbuf : &t->so.rcvbuf) = (size_t)value;
                ring_init(r, (size_t)value);
                if (opt == TCP_SO_RCVBUF)
                        t->rcv_wnd = tcp_rcv_window(t);
                return 0;
        }
        case TCP_SO_NODELAY:
                if (value != 0 && value != 1)
                        return -EINVAL;
                t->so.nodelay = value == 1;
                tcp_output(t);
                return 0;
        case TCP_SO_KEEPALIVE:
                if (value != 0 && value != 1)
                        return -EINVAL;
                t->so.keepalive = value == 1;
                tcp_keepalive_restart(t);
                return 0;
        case TCP_SO_KEEPIDLE:
        case TCP_SO_KEEPINTVL:
                if (value < 1 || value > 32767)
                        return -EINVAL;
                *(opt == TCP_SO_KEEPIDLE ? &t->so.keep_idle : &t->so.keep_intvl) = SEC(value);
                tcp_keepalive_restart(t);
                return 0;
        case TCP_SO_KEEPCNT:
                if (value < 1 || value > 127)
                        return -EINVAL;
                t->so.keep_cnt = (int)value;
                return 0;
        }
        return -EINVAL;
}
int tcp_set_congestion(struct tcb *t, const char *name)
{
        const struct tcp_cc_ops *cc = tcp_cc_find(name);
        if (cc == NULL)
                return -ENOENT;
        if (t->listen != NULL)
                return -EINVAL;              /* a listener's connections take the host's */
        if (SEQ_GT(t->snd_nxt, t->iss + 1))
                return -EBUSY;               /* data has been sent */
        t->cc = cc;
        t->cc->init(t);
        return 0;
}
long tcp_urgent_mark(const struct tcb *t)
{
        if (!t->rcv_up_set)
                return -1;
        uint32_t end = t->rcv_nxt - ((t->flags & TF_FIN_RCVD) ? 1 : 0);
        uint32_t next = end - (uint32_t)t->rcvq.len;    /* the next byte to read */
        if (!SEQ_GT(t->rcv_up, next))
                return -1;                       /* the urgent byte has been read */
        return (long)(t->rcv_up - 1 - next);
}
long tcp_send_urgent(struct tcb *t, const void *data, size_t len)
{
        if (t->flags & TF_FIN_QUEUED)
                return -EPIPE;
        if (t->state != TCP_ESTABLISHED && t->state != TCP_CLOSE_WAIT)
                return -ENOTCONN;
        size_t n = ring_write(&t->sndq, data, len);
        if (n == 0)
                return 0;
        t->snd_up = t->snd_una + (uint32_t)t->sndq.len;
        t->snd_up_set = true;
        t->flags |= TF_PUSH_SMALL;               /* not held back by Nagle */
        tcp_output(t);
        t->flags &= ~(unsigned)TF_PUSH_SMALL;
        return (long)n;
}
