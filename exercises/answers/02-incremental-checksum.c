/* Exercise 2.1: a reference incremental checksum update (RFC 1624). */
#include "csum_update.h"
#include "checksum.h"
#include "ipv4.h"

/* ~HC is the one's complement sum of the block as it was; adding ~m takes
   the old word out and adding m' puts the new one in. csum_fold adds the
   carries back in and complements. The three addends are each below
   0x10000, so their sum fits in 32 bits. The sum of addends that are not
   all zero never folds to 0x0000 (+0), so the result is never 0xffff
   (-0) unless ~HC, ~m and m' are all zero. */
uint16_t csum_update16(uint16_t old_checksum, uint16_t old_word, uint16_t new_word)
{
	uint32_t sum = (uint32_t)(uint16_t)~old_checksum
	             + (uint32_t)(uint16_t)~old_word
	             + new_word;
	return csum_fold(sum);
}

/* The TTL is the high byte of the header's fifth 16-bit word (bytes 8 and
   9), whose low byte is the protocol: the changed word is the pair. */
void ip_decrement_ttl(uint8_t *ip_header)
{
	uint32_t ttl = ip_get(ip_header, IP_TTL);
	if (ttl == 0)
		return;
	uint16_t old_word = (uint16_t)(ip_header[8] << 8 | ip_header[9]);
	ip_set(ip_header, IP_TTL, ttl - 1);
	uint16_t new_word = (uint16_t)(ip_header[8] << 8 | ip_header[9]);
	uint16_t c = (uint16_t)ip_get(ip_header, IP_CHECKSUM);
	ip_set(ip_header, IP_CHECKSUM, csum_update16(c, old_word, new_word));
}
