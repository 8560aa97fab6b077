/* Exercise 11.1: the keepalive schedule (see README.md). */
#ifndef KEEPALIVE_H
#define KEEPALIVE_H
#include <stdbool.h>
#include <stdint.h>

/* A connection's settings, times in ms. */
struct keepalive {
	uint64_t idle;              /* silence before the first probe (TCP_KEEPIDLE) */
	uint64_t intvl;             /* between unanswered probes (TCP_KEEPINTVL) */
	int cnt;                    /* unanswered probes before giving up (TCP_KEEPCNT) */
};

/* What the connection keeps for it. */
struct ka_conn {
	uint64_t heard_at;          /* when the peer last sent an acceptable segment, ms */
	int sent;                   /* probes sent since then */
};

enum ka_action {
	KA_WAIT,                    /* nothing to send now */
	KA_PROBE,                   /* send a probe */
	KA_GIVE_UP,                 /* reset the connection: the peer is gone */
};

/* The keepalive timer fires at now. `busy` says the connection cannot be
 * probed now (data of ours is outstanding, or it is in a state that is
 * not probed): then wait. Otherwise, in this order:
 *  - if the peer was heard from less than k->idle ago, wait;
 *  - if c->sent has reached k->cnt, give up;
 *  - else probe, and count the probe in c->sent.
 * *next is set to when the timer should fire again (absolute, ms):
 *  - after a probe, k->intvl from now;
 *  - after a wait, when the idle time since heard_at runs out, or, if that
 *    is not in the future (busy), k->idle from now;
 *  - after giving up it is left as it is.
 * Only a probe changes *c. */
enum ka_action ka_fire(const struct keepalive *k, struct ka_conn *c, bool busy, uint64_t now,
		       uint64_t *next);

/* An acceptable segment from the peer arrived at now: the idle clock
 * starts again and the probes sent are forgotten. */
void ka_heard(struct ka_conn *c, uint64_t now);
#endif
