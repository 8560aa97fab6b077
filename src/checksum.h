/* Tangled from chapters/02-ipv4.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef CHECKSUM_H
#define CHECKSUM_H
#include "base.h"

uint32_t csum_add(uint32_t sum, const void *data, size_t len);
uint16_t csum_fold(uint32_t sum);
uint16_t inet_checksum(const void *data, size_t len);
extern bool wire_fast;      /* declared with the fields too (field.h) */
uint32_t csum_add_words(uint32_t sum, const void *data, size_t len);
uint32_t csum_copy(uint32_t sum, void *dst, const void *src, size_t len);
#endif
