/* Exercise 2.2: bounded IPv4 fragment reassembly (see README.md). */
#ifndef REASM_H
#define REASM_H
#include "pkb.h"

struct reasm_cfg {
	size_t max_datagrams;   /* datagrams pending at once, at least 1 */
	usec_t timeout;         /* lifetime of a datagram, from its first fragment */
	size_t max_size;        /* largest datagram, header included (capped
	                           at PKB_DATA_MAX and at 65535) */
};

struct reasm_stats {
	uint64_t fragments;     /* fragments received */
	uint64_t reassembled;   /* datagrams completed and returned */
	uint64_t timeouts;      /* datagrams given up by the timer */
	uint64_t overlaps;      /* datagrams dropped for overlapping or
	                           contradictory fragments */
	uint64_t too_big;       /* fragments refused for making their datagram
	                           larger than the limit */
	uint64_t evicted;       /* datagrams dropped to make room */
	uint64_t duplicates;    /* fragments ignored as exact duplicates */
	uint64_t malformed;     /* non-final fragments whose payload is not a
	                           positive multiple of 8 bytes */
};

struct reasm;   /* yours to define */

struct reasm *reasm_create(const struct reasm_cfg *cfg);
void reasm_destroy(struct reasm *r);
struct pkb *reasm_input(struct reasm *r, struct pkb *p, usec_t now);
void reasm_expire(struct reasm *r, usec_t now);
const struct reasm_stats *reasm_stats(const struct reasm *r);
size_t reasm_pending(const struct reasm *r);
#endif
