/* Tangled from chapters/04-opening.nw by tools/tangle: edit those, not this file. */
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

