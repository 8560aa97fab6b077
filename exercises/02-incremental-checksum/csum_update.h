/* Exercise 2.1: incremental update of the Internet checksum (see README.md). */
#ifndef CSUM_UPDATE_H
#define CSUM_UPDATE_H
#include "base.h"

/* The checksum of a block whose 16-bit word old_word became new_word,
   given the block's old checksum: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'),
   in one's complement arithmetic. All values in host byte order. */
uint16_t csum_update16(uint16_t old_checksum, uint16_t old_word, uint16_t new_word);

/* Decrements the TTL of the IPv4 header at ip_header and updates its
   header checksum incrementally with csum_update16. A header whose TTL is
   already 0 is left as it is. */
void ip_decrement_ttl(uint8_t *ip_header);
#endif
