/* Exercise 5.1: what close() does under SO_LINGER (see README.md). */
#ifndef LINGER_H
#define LINGER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base.h"      /* usec_t, SEC, MSEC */
#include "tcp_var.h"       /* enum tcp_state, SEQ_LT and friends */

/* The socket option, as the application set it: SO_LINGER's l_onoff and
 * l_linger (which the sockets API gives in seconds). */
struct linger_opt {
	bool on;
	usec_t timeout;
};

/* What close() can see of its connection at one moment. The view is
 * consistent: snd_nxt counts our FIN once the FIN has been sent, so
 * "everything we sent, the FIN included, is acknowledged" is
 * fin_sent && unsent == 0 && snd_una == snd_nxt; and the state is the one
 * such a send buffer goes with (FIN-WAIT-2 and TIME-WAIT have their FIN
 * acknowledged, FIN-WAIT-1, CLOSING and LAST-ACK do not). */
struct close_view {
	enum tcp_state state;
	uint32_t snd_una;   /* SND.UNA: oldest sequence number not yet acknowledged */
	uint32_t snd_nxt;   /* SND.NXT: next sequence number to send */
	size_t unsent;      /* bytes queued by the application, not sent yet */
	bool fin_sent;      /* our FIN has gone out (it may not be acknowledged) */
	size_t unread;      /* bytes received that the application never read */
};

enum linger_verdict {
	LINGER_RETURN_NOW,  /* return without waiting; the stack finishes the
	                       close in the background */
	LINGER_WAIT,        /* keep the application blocked in close() */
	LINGER_DONE,        /* return: nothing is left for close() to wait for */
	LINGER_ABORT,       /* abort: discard both buffers, reset the peer if the
	                       state calls for it (tcp_abort), free the TCB */
};

/* What close(), called at time since, should do at time now (now >= since)
 * on the connection c under the linger setting o. The rules, in the order
 * they apply, are in README.md. */
enum linger_verdict linger_decide(const struct linger_opt *o, const struct close_view *c,
                                  usec_t since, usec_t now);
#endif
