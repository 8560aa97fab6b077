/* Exercise 10.2: Eifel detection over a sequence of events (see README.md). */
#ifndef EIFEL_H
#define EIFEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum eifel_kind {
	EV_SEND,                    /* a new segment goes */
	EV_RESEND,                  /* a segment is retransmitted (timeout or fast retransmit) */
	EV_ACK,                     /* an ACK arrives */
};

/* One event at the sender, in the order they happened. */
struct eifel_event {
	enum eifel_kind kind;
	uint32_t seq;               /* SEND, RESEND: the segment's first byte; ACK: the ACK number */
	bool ts;                    /* the segment or ACK carries the timestamps option */
	uint32_t ts_val;            /* SEND, RESEND: its TSval; ACK: its TSecr */
};

enum eifel_verdict {
	EIFEL_NONE,                 /* this event decides nothing */
	EIFEL_GENUINE,              /* this ACK ends an episode: the retransmission was needed */
	EIFEL_SPURIOUS,             /* this ACK ends an episode: the original was not lost */
};

/* Runs the Eifel detection algorithm (RFC 3522) over ev[0..n-1] and
 * stores in verdict[i] what event i decided. An episode begins with a
 * retransmission while none is being watched; its first retransmission
 * (sequence number and TSval) is remembered, and later ones of the
 * same episode change nothing. The first ACK whose number is beyond
 * that retransmission's first byte (modulo 2^32) ends the episode:
 * spurious if it carries the option and its TSecr is older than the
 * retransmission's TSval (modulo 2^32), genuine otherwise. ACKs that do
 * not reach so far decide nothing. A retransmission that goes without
 * the option cannot be judged: its episode ends genuine at its ACK.
 * Returns the number of spurious episodes. */
size_t eifel_detect(const struct eifel_event *ev, size_t n, enum eifel_verdict *verdict);
#endif
