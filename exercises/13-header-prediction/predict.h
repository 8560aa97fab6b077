/* Exercise 13.1: header prediction (see README.md). */
#ifndef PREDICT_H
#define PREDICT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The control bits, as TCP's header orders them (FIN is the lowest). */
enum {
	HP_FIN = 0x01, HP_SYN = 0x02, HP_RST = 0x04, HP_PSH = 0x08,
	HP_ACK = 0x10, HP_URG = 0x20, HP_ECE = 0x40, HP_CWR = 0x80,
};

/* What the connection and the arriving segment say, once the segment has
 * passed RFC 9293's first check (sequence number, PAWS) and TS.Recent has
 * been updated.  Sequence numbers are 32-bit and wrap. */
struct hp_snapshot {
	bool established;           /* the connection is in ESTABLISHED */
	uint8_t flags;              /* the segment's control bits (HP_...) */
	uint32_t seq, ack;          /* SEG.SEQ, SEG.ACK */
	size_t len;                 /* the segment's text, in bytes */
	uint32_t wnd;               /* the window it offers, scaled */
	bool other_options;         /* it carries an option other than timestamps */
	bool ts_present;            /* it carries the timestamps option */
	bool ts_agreed;             /* the connection uses timestamps */
	bool ce;                    /* it arrived marked Congestion Experienced */
	uint32_t rcv_nxt, snd_una, snd_nxt, snd_wnd;
	bool recovering;            /* in loss recovery, or a SACK scoreboard in use */
	bool reassembling;          /* out-of-order data waits beyond a gap */
	bool persisting;            /* the persist timer runs, or a probe is out */
	bool unusual;               /* anything else the slow path must see */
	size_t rcv_space;           /* room in the receive buffer, in bytes */
};

enum hp_case {
	HP_SLOW,                    /* not predicted: the general path */
	HP_PURE_ACK,                /* an ACK of new data, nothing else */
	HP_PURE_DATA,               /* the next data, acknowledging nothing new */
};

/* Which case the segment is: see README.md for the rules. */
enum hp_case predict_header(const struct hp_snapshot *s);
#endif
