/* Exercise 7.2: reference Nagle decision, classic and Minshall's. */
#include "nagle.h"

bool nagle_send(const struct nagle_in *in, enum nagle_rule rule)
{
	if (in->fin)
		return true;                    /* the last piece: BSD and Linux send it */
	if (in->len == 0)
		return false;                   /* nothing to send */
	if (in->len >= in->mss)
		return true;                    /* 1: a full segment */
	if (in->len < in->queued)
		return false;                   /* a sliver of the window: wait */
	if (in->nodelay)
		return true;                    /* 2, Nagle off */
	/* 2: all that is queued, if nothing (small) is unacknowledged */
	return rule == NAGLE_MINSHALL ? !in->small_unacked : !in->any_unacked;
}
