/* Exercise 11.1: reference keepalive schedule (RFC 1122 4.2.3.6,
 * RFC 9293 3.8.4), as chapter 11's tcp_timer_keep runs it. */
#include "keepalive.h"

enum ka_action ka_fire(const struct keepalive *k, struct ka_conn *c, bool busy, uint64_t now,
		       uint64_t *next)
{
	uint64_t quiet = now - c->heard_at;
	if (busy || quiet < k->idle) {
		*next = quiet < k->idle ? c->heard_at + k->idle : now + k->idle;
		return KA_WAIT;
	}
	if (c->sent >= k->cnt)
		return KA_GIVE_UP;
	c->sent++;
	*next = now + k->intvl;
	return KA_PROBE;
}

void ka_heard(struct ka_conn *c, uint64_t now)
{
	c->heard_at = now;
	c->sent = 0;
}
