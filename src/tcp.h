/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/07-flow.nw, chapters/08-congestion.nw, chapters/11-odds.nw by tools/tangle: edit those, not this file. */
#ifndef TCP_H
#define TCP_H
#include "base.h"
struct host;
struct tcb;

enum tcp_event {
        TCP_EV_CONNECTED,    /* the handshake completed */
        TCP_EV_ACCEPTABLE,   /* a listener's accept queue has a connection */
        TCP_EV_ERROR,        /* the connection failed; t->error says why */
        TCP_EV_READABLE,     /* data can be read with tcp_recv */
        TCP_EV_WRITABLE,     /* space has been freed in the send buffer */
        TCP_EV_PEER_CLOSED,  /* the peer sent FIN: end of stream after the data */
        TCP_EV_CLOSED,       /* the connection has ended; the TCB goes after this */
};
typedef void (*tcp_event_fn)(struct tcb *t, enum tcp_event ev, void *arg);

struct tcb *tcp_listen(struct host *h, uint16_t port, int backlog,
                       tcp_event_fn fn, void *arg, int *err);
struct tcb *tcp_accept(struct tcb *listener);
struct tcb *tcp_connect(struct host *h, uint32_t raddr, uint16_t rport,
                        tcp_event_fn fn, void *arg, int *err);
struct tcb *tcp_connect_from(struct host *h, uint16_t lport, uint32_t raddr,
                             uint16_t rport, tcp_event_fn fn, void *arg, int *err);
void tcp_set_handler(struct tcb *t, tcp_event_fn fn, void *arg);
long tcp_send(struct tcb *t, const void *data, size_t len);
size_t tcp_recv(struct tcb *t, void *buf, size_t len);
bool tcp_eof(const struct tcb *t);
void tcp_shutdown(struct tcb *t);
void tcp_close(struct tcb *t);
void tcp_abort(struct tcb *t);
long tcp_urgent_mark(const struct tcb *t);
long tcp_send_urgent(struct tcb *t, const void *data, size_t len);
enum tcp_sockopt {
        TCP_SO_SNDBUF,              /* bytes; only before any data is written */
        TCP_SO_RCVBUF,              /* bytes; only before any data arrives */
        TCP_SO_NODELAY,             /* 1: no Nagle (TCP_NODELAY); 0: Nagle */
        TCP_SO_KEEPALIVE,           /* 1: probe the connection when idle; 0: do not */
        TCP_SO_KEEPIDLE,            /* seconds without a word from the peer before a probe */
        TCP_SO_KEEPINTVL,           /* seconds between unanswered probes */
        TCP_SO_KEEPCNT,             /* unanswered probes before the connection is reset */
};
int tcp_setsockopt(struct tcb *t, enum tcp_sockopt opt, long value);
/* Choose the congestion control algorithm of connection t by name
 * ("newreno", "reno", "cubic", "none"), before it has sent data.
 * 0, -ENOENT for an unknown name, -EINVAL for a listener, -EBUSY once
 * data has been sent. */
int tcp_set_congestion(struct tcb *t, const char *name);
#endif
