/* Exercise 4.1: stateless SYN cookies (see README.md). */
#ifndef SYNCOOKIE_H
#define SYNCOOKIE_H
#include "base.h"      /* usec_t, SEC */
#include "siphash.h"   /* struct sipkey, siphash */
#include "tcp_wire.h"      /* SEQ_LT and friends, should you need them */

/* The connection as the client's segments name it, in host byte order:
 * saddr and sport are the client's, daddr and dport the listener's. */
struct cookie_tuple {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};

/* The MSS values a cookie can carry, smallest first. A client's MSS is
 * rounded DOWN to the nearest entry; one below the first entry gets the
 * first (536, the MSS every IPv4 host must accept). */
#define COOKIE_MSS_VALUES { 536, 1300, 1440, 1460 }
#define COOKIE_NMSS 4

/* Time is cut into periods of 64 s: period number now / COOKIE_PERIOD.
 * A cookie made in period p is accepted in periods p, p + 1 and p + 2,
 * and in no other. */
#define COOKIE_PERIOD  SEC(64)
#define COOKIE_MAX_AGE 2

/* The ISN for our SYN-ACK answering a SYN of tuple t that carried the
 * client's ISN client_isn and MSS option client_mss (the caller passes
 * 536 if the SYN had none), at time now. It encodes the MSS (as an index
 * into COOKIE_MSS_VALUES) and the period, authenticated with a keyed hash
 * of the 4-tuple, the client's ISN, the MSS index and the period. */
uint32_t cookie_make(const struct sipkey *key, const struct cookie_tuple *t,
                     uint32_t client_isn, uint16_t client_mss, usec_t now);

/* Given the final ACK of the handshake of tuple t (SEG.SEQ - 1 is the
 * client's ISN, SEG.ACK - 1 the cookie) arriving at time now: the MSS the
 * cookie encoded if cookie_make would have produced it for this tuple, this
 * client ISN and a period at most COOKIE_MAX_AGE periods before now's;
 * otherwise 0. */
uint16_t cookie_check(const struct sipkey *key, const struct cookie_tuple *t,
                      uint32_t ack_seq, uint32_t ack_ack, usec_t now);
#endif
