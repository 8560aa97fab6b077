/* Exercise 5.1: reference linger decision (the rules are in exercises/05-linger/README.md). */
#include "linger.h"

/* Everything we sent, the FIN included, has been acknowledged. SND.NXT
 * counts the FIN once it is sent, so SND.UNA reaching it says so; the
 * comparison is on the circle of sequence numbers, since both may have
 * wrapped past 2^32 (SND.UNA never passes SND.NXT). */
static bool all_acknowledged(const struct close_view *c)
{
	return c->fin_sent && c->unsent == 0 && !SEQ_LT(c->snd_una, c->snd_nxt);
}

enum linger_verdict linger_decide(const struct linger_opt *o, const struct close_view *c,
                                  usec_t since, usec_t now)
{
	/* 1. Data thrown away unread: the peer must not get a FIN, which
	 *    would say that all went well (RFC 9293 3.10.4, RFC 2525 2.17). */
	if (c->unread > 0)
		return LINGER_ABORT;
	/* 2. Without linger, close never waits, and never judges. */
	if (!o->on)
		return LINGER_RETURN_NOW;
	/* 3. No connection to finish (LISTEN, SYN-SENT), or one whose close
	 *    is over (TIME-WAIT): nothing to wait for, nobody to reset. */
	if (c->state == TCP_LISTEN || c->state == TCP_SYN_SENT || c->state == TCP_TIME_WAIT)
		return LINGER_DONE;
	/* 4. A zero linger time is the abortive close, whatever was acked. */
	if (o->timeout == 0)
		return LINGER_ABORT;
	/* 5. Success, even at the very moment the time runs out. */
	if (all_acknowledged(c))
		return LINGER_DONE;
	/* 6. Gone without its data acknowledged (reset, or retransmission
	 *    timeout): nothing will ever change, so do not wait. */
	if (c->state == TCP_CLOSED)
		return LINGER_ABORT;
	/* 7. Wait while time remains; abort once it has run out. */
	usec_t elapsed = now > since ? now - since : 0;
	return elapsed < o->timeout ? LINGER_WAIT : LINGER_ABORT;
}
