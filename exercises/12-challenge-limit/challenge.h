/* Exercise 12.1: limits on the answers to invalid segments (see README.md). */
#ifndef CHALLENGE_H
#define CHALLENGE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "siphash.h"   /* struct sipkey, siphash */

/* Times are in microseconds, on one clock that starts at 0. */
#define CHALLENGE_SECOND 1000000u

/* What the host keeps: its settings, its budget and its counters. */
struct answer_host {
	struct sipkey key;          /* the host's secret */
	uint64_t interval;          /* per connection: at most one answer per interval (0: no limit) */
	unsigned limit;             /* per host: challenge ACKs a second, at least (0: no limit) */
	/* the budget: yours to keep, zero at the start */
	bool started;               /* a budget has been drawn */
	uint64_t second;            /* ... for this second (now / CHALLENGE_SECOND) */
	unsigned left;              /* challenge ACKs it still allows */
	/* what the limits refused, each refusal counted once, by the limit that refused it */
	uint64_t conn_limited;
	uint64_t host_limited;
};

/* What a connection keeps: zero at the start. */
struct answer_conn {
	bool answered;              /* it has answered an invalid segment */
	uint64_t answered_at;       /* ... last at this time */
};

enum answer_kind {
	ANSWER_CHALLENGE,           /* a challenge ACK (RFC 5961 3, 4, 5): a RST or SYN
	                               that is not exact, an ACK too old */
	ANSWER_OUT_OF_WINDOW,       /* the ACK that answers a segment outside the
	                               window (RFC 9293 3.10.7.4, first check) */
};

/* The budget of the second `second` for a host with limit `limit` (> 0):
 * limit + (SipHash, under key, of the second as 8 bytes, least
 * significant first) mod limit.  Between limit and 2 limit - 1. */
unsigned answer_budget(const struct sipkey *key, unsigned limit, uint64_t second);

/* May the connection c of host h send the answer of the given kind to an
 * invalid segment that carries len bytes of data, at time now?  If so,
 * returns true, and the connection's and the host's state record it.  In
 * this order:
 *  - an out-of-window segment that carries data is always answered, and
 *    changes nothing;
 *  - the connection's limit: if it answered less than h->interval ago,
 *    the answer is refused and counted in h->conn_limited; otherwise the
 *    time of this answer is recorded;
 *  - for a challenge ACK only, the host's limit: at the first call in a
 *    new second (or the first call ever) the budget of that second is
 *    drawn with answer_budget; if none is left, the answer is refused and
 *    counted in h->host_limited; otherwise one is spent.
 * The connection's limit comes first, so that an answer it refuses does
 * not spend the host's budget. */
bool answer_allowed(struct answer_host *h, struct answer_conn *c, enum answer_kind kind,
                    size_t len, uint64_t now);
#endif
