/* Exercise 7.2: Minshall's variant of Nagle's algorithm (see README.md). */
#ifndef NAGLE_H
#define NAGLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the sender knows about the segment it could send now. */
struct nagle_in {
	size_t len;                 /* bytes the segment would carry, what the window
	                               and the MSS allow of the queue */
	size_t queued;              /* bytes queued and not sent yet (len <= queued) */
	uint16_t mss;               /* the largest segment we may send */
	bool any_unacked;           /* some data sent is not acknowledged (Nagle) */
	bool small_unacked;         /* a segment shorter than mss sent is not acknowledged
	                               (Minshall; implies any_unacked) */
	bool nodelay;               /* TCP_NODELAY: Nagle's rule is off */
	bool fin;                   /* the segment would carry the FIN */
};

enum nagle_rule {
	NAGLE_CLASSIC,              /* RFC 896 / RFC 9293 3.8.6.2.1: hold while any data is unacked */
	NAGLE_MINSHALL,             /* Minshall: hold while a small segment is unacked */
};

/* Returns true if the segment may be sent now, false if it must wait:
 *
 * - nothing to send (len 0, no FIN): wait;
 * - a FIN goes at once, and so does a full segment (len >= mss);
 * - a short segment that leaves data queued (len < queued) is a sliver of
 *   the window: it waits, TCP_NODELAY or not;
 * - a short segment that empties the queue goes if TCP_NODELAY is set;
 *   otherwise it waits while any data is unacknowledged (NAGLE_CLASSIC)
 *   or while a short segment is (NAGLE_MINSHALL).
 *
 * Rules 3 and 4 of RFC 9293 3.8.6.2.1 (half the largest window, the
 * override timeout) are the caller's. */
bool nagle_send(const struct nagle_in *in, enum nagle_rule rule);
#endif
