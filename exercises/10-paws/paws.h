/* Exercise 10.1: PAWS as a pure function (see README.md). */
#ifndef PAWS_H
#define PAWS_H
#include <stdbool.h>
#include <stdint.h>

/* 24 days in milliseconds: TS.Recent older than this is not trusted
 * (RFC 7323 5.5). */
#define PAWS_IDLE_MS (24ull * 24 * 3600 * 1000)

/* What a receiver keeps of the peer's timestamps (RFC 7323 4.3). */
struct paws {
	uint32_t ts_recent;         /* TS.Recent: the peer's TSval we echo */
	uint64_t ts_recent_at;      /* when TS.Recent was last set, in ms */
	uint32_t last_ack_sent;     /* Last.ACK.sent: the ACK number we last sent */
};

/* What a segment of a synchronized connection that negotiated
 * timestamps brings. */
struct paws_seg {
	bool ts;                    /* it carries the timestamps option */
	bool rst;                   /* it carries RST */
	uint32_t tsval;             /* its TSval (meaningful only if ts) */
	uint32_t seq;               /* its sequence number */
};

enum paws_verdict {
	PAWS_ACCEPT,                /* on to the sequence number check */
	PAWS_STALE,                 /* TS.Recent was stale: replaced by the TSval, then on */
	PAWS_DROP_ACK,              /* R1: an old timestamp: drop and acknowledge */
	PAWS_DROP,                  /* no timestamps option on a non-RST segment: drop silently */
};

/* The test a segment meets before the sequence number check, at the time
 * now (ms, the same clock as ts_recent_at). In this order:
 *  - a RST is accepted whatever its timestamp, or without one;
 *  - a segment without the option is dropped silently (RFC 7323 3.2);
 *  - if TS.Recent was set more than PAWS_IDLE_MS before now, it is
 *    stale: set it to the segment's TSval (and ts_recent_at to now) and
 *    return PAWS_STALE;
 *  - a TSval older than TS.Recent, in the modulo-2^32 sense, is dropped
 *    and acknowledged (R1); TS.Recent is left as it is;
 *  - anything else is accepted.
 * Only PAWS_STALE changes *p. */
enum paws_verdict paws_check(struct paws *p, const struct paws_seg *s, uint64_t now);

/* The segment s has passed both tests and is acceptable: update
 * TS.Recent from it if its TSval is not older than TS.Recent and its
 * sequence number is at or before Last.ACK.sent (R3, RFC 7323 4.3),
 * and then set ts_recent_at to now. Returns whether it was updated. */
bool paws_accepted(struct paws *p, const struct paws_seg *s, uint64_t now);
#endif
