/* Exercise 13.2: cutting a GSO packet into its segments (see README.md). */
#ifndef GSOCUT_H
#define GSOCUT_H
#include <stddef.h>
#include <stdint.h>

#define GSO_SEG_MAX 2048             /* room for one segment */

/* Cuts the packet pkt of len bytes, which Linux handed over with a
 * virtio-net header saying VIRTIO_NET_HDR_GSO_TCPV4 and gso_size seg: an
 * IPv4 header of 20 bytes (no options), a TCP header (with its options),
 * and a payload of any length up to 64 KiB.  Writes the segments, in
 * order, to out[0], out[1], ..., and their lengths to lens[]: each the
 * two headers and the next seg bytes of payload (the last may be
 * shorter), with its own IP total length, IP identification (the
 * packet's, plus one for each segment before it), IP header checksum,
 * sequence number, and TCP checksum; CWR only on the first segment, PSH
 * and FIN only on the last; every other header byte as in pkt.  A packet
 * without payload is one segment.  Returns the number of segments, or 0,
 * writing nothing, when pkt is not such a packet (not IPv4 without
 * options, not TCP, a total length other than len, a TCP header longer
 * than the packet), when seg is 0 or a segment would not fit in
 * GSO_SEG_MAX, or when more than max segments would be needed. */
size_t gso_cut(const uint8_t *pkt, size_t len, size_t seg,
	       uint8_t (*out)[GSO_SEG_MAX], size_t *lens, size_t max);
#endif
