/* Helpers for the suites from chapter 3 on: crafting TCP segments. */
#include "testutil.h"
#include "ipv4.h"
#include "tcp_var.h"

size_t build_tcp(uint8_t *buf, uint32_t src, uint32_t dst, uint16_t sport,
		 uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
		 uint16_t wnd, const uint8_t *opt, size_t optlen,
		 const void *data, size_t len)
{
	uint8_t seg[1600];
	size_t hlen = TCP_HDR_MIN + optlen;
	memset(seg, 0, TCP_HDR_MIN);
	tcp_set(seg, TCP_SPORT, sport);
	tcp_set(seg, TCP_DPORT, dport);
	tcp_set(seg, TCP_SEQ, seq);
	tcp_set(seg, TCP_ACK, ack);
	tcp_set(seg, TCP_DOFF, (uint32_t)hlen / 4);
	tcp_set_flags(seg, flags);
	tcp_set(seg, TCP_WINDOW, wnd);
	if (optlen > 0)
		memcpy(seg + TCP_HDR_MIN, opt, optlen);
	if (len > 0)
		memcpy(seg + hlen, data, len);
	tcp_set(seg, TCP_CHECKSUM, tcp_checksum(src, dst, seg, hlen + len));
	return build_ipv4(buf, src, dst, IPPROTO_TCP_, seg, hlen + len);
}

bool testnet_pop_segment(struct testnet *tn, struct captured *c)
{
	struct pkb *p = testnet_pop(tn);
	if (p == NULL)
		return false;
	c->len = MIN(p->len, sizeof c->raw);
	memcpy(c->raw, p->data, c->len);
	pkb_free(p);
	if (c->len < IP_HDR_MIN || ip_get(c->raw, IP_PROTOCOL) != IPPROTO_TCP_)
		return false;
	size_t hl = ip_get(c->raw, IP_IHL) * 4;
	struct pkb *t = pkb_from(c->raw + hl, c->len - hl);
	uint64_t problems[TCP_OPT_PROBLEMS] = { 0 };
	int why = tcp_parse(c->raw, t, &c->seg, problems);
	/* point the payload into our copy, not the freed buffer */
	if (why < 0)
		c->seg.data = c->raw + hl + (size_t)(c->seg.data - t->data);
	pkb_free(t);
	return why < 0;
}

void testnet_send(struct testnet *tn, struct seg_tmpl s)
{
	uint8_t pkt[1600];
	size_t n = build_tcp(pkt, s.src ? s.src : ADDR(10, 0, 0, 1), s.dst ? s.dst : ADDR(10, 0, 0, 2),
			     s.sport, s.dport, s.seq, s.ack, s.flags, s.wnd, s.opt, s.optlen,
			     s.data, s.len);
	testnet_inject(tn, pkt, n);
}
