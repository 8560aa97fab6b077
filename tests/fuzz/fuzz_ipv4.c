/* libFuzzer harness: IPv4 and ICMP input (chapter 2; later chapters add
 * what lies above IP to the same path).  Each input is handed to a fresh
 * host as a received packet; the clock then runs for a while so that any
 * reply is sent and any timer fires.  Every packet buffer must be freed.
 *
 * The first byte of an input is not part of the packet: its low bits ask
 * the harness to fix checksums up after the fuzzer's mutations, so that
 * mutated packets get past the checksum checks and reach the code behind
 * them.  bit 0: the IPv4 header checksum; bit 1: the ICMP checksum;
 * bit 2: the TCP checksum, with its pseudo-header (chapter 3).
 *
 * If bit 7 of that byte is set, the rest is a sequence of packets, each
 * preceded by its length in two bytes (big-endian), delivered one after
 * another a millisecond apart, so that a SYN and what follows it reach
 * the state machine together.  The host listens on port 80. */
#include "host.h"
#include "checksum.h"
#include <stdlib.h>

static void sink_send(struct netdev *dev, struct pkb *p)
{
	(void)dev;
	pkb_free(p);
}

static void sink_destroy(struct netdev *dev)
{
	free(dev);
}

static const struct netdev_ops sink_ops = { sink_send, sink_destroy };

static void fix_checksums(uint8_t flags, uint8_t *b, size_t len)
{
	if (len < IP_HDR_MIN)
		return;
	size_t hlen = ip_get(b, IP_IHL) * 4;
	if (hlen < IP_HDR_MIN || hlen > len)
		return;
	size_t total = ip_get(b, IP_TOTAL_LENGTH);
	if ((flags & 4) && ip_get(b, IP_PROTOCOL) == IPPROTO_TCP_ &&
	    total >= hlen + TCP_HDR_MIN && total <= len) {
		uint8_t *t = b + hlen;
		tcp_set(t, TCP_CHECKSUM, 0);
		tcp_set(t, TCP_CHECKSUM, tcp_checksum(ip_get(b, IP_SRC), ip_get(b, IP_DST),
						      t, total - hlen));
	}
	if (flags & 2) {
		if (ip_get(b, IP_PROTOCOL) == IPPROTO_ICMP_ && total >= hlen + 4 && total <= len) {
			b[hlen + 2] = b[hlen + 3] = 0;
			uint16_t c = inet_checksum(b + hlen, total - hlen);
			b[hlen + 2] = (uint8_t)(c >> 8);
			b[hlen + 3] = (uint8_t)c;
		}
	}
	if (flags & 1) {
		ip_set(b, IP_CHECKSUM, 0);
		ip_set(b, IP_CHECKSUM, inet_checksum(b, hlen));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size - 1 > PKB_DATA_MAX)
		return 0;
	size_t live = pkb_live();
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct netdev *dev = xcalloc(1, sizeof *dev);
	netdev_init(dev, &sink_ops, &l, "fuzz0", 1500);
	struct config cfg;
	config_default(&cfg);
	cfg.addr = 0x0a000002;
	struct host *h = host_create(&l, dev, &cfg);
	int err;
	tcp_listen(h, 80, 4, NULL, NULL, &err);
	const uint8_t *in = data + 1;
	size_t left = size - 1;
	while (left > 0) {
		size_t n = left;
		if (data[0] & 0x80) {
			if (left < 2)
				break;
			n = MIN((size_t)(in[0] << 8 | in[1]), left - 2);
			in += 2;
			left -= 2;
		}
		struct pkb *p = pkb_from(in, n);
		if (p != NULL) {
			fix_checksums(data[0], p->data, p->len);
			netdev_deliver(dev, p);
		}
		in += n;
		left -= n;
		loop_run_for(&l, MSEC(1));
	}
	loop_run_for(&l, SEC(120));
	host_destroy(h);
	loop_free(&l);
	if (pkb_live() != live)
		abort();          /* a packet buffer leaked */
	return 0;
}
