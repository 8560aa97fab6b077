/* Tangled from chapters/03-segments.nw, chapters/11-odds.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include "checksum.h"

const struct field tcp_fields[TCP_NFIELDS] = {
        [TCP_SPORT]    = { "source port",            0, 16 },
        [TCP_DPORT]    = { "destination port",      16, 16 },
        [TCP_SEQ]      = { "sequence number",       32, 32 },
        [TCP_ACK]      = { "acknowledgment number", 64, 32 },
        [TCP_DOFF]     = { "data offset",           96,  4 },
        [TCP_RESERVED] = { "rsrvd",                100,  4 },
        [TCP_CWR]      = { "C",                    104,  1 },
        [TCP_ECE]      = { "E",                    105,  1 },
        [TCP_URG]      = { "U",                    106,  1 },
        [TCP_ACKBIT]   = { "A",                    107,  1 },
        [TCP_PSH]      = { "P",                    108,  1 },
        [TCP_RST]      = { "R",                    109,  1 },
        [TCP_SYN]      = { "S",                    110,  1 },
        [TCP_FIN]      = { "F",                    111,  1 },
        [TCP_WINDOW]   = { "window",               112, 16 },
        [TCP_CHECKSUM] = { "checksum",             128, 16 },
        [TCP_URGPTR]   = { "urgent pointer",       144, 16 },
};
void tcp_parse_options(const uint8_t *opt, size_t len, struct tcp_options *out,
                       uint64_t problems[TCP_OPT_PROBLEMS])
{
        memset(out, 0, sizeof *out);
        size_t i = 0;
        while (i < len) {
                uint8_t kind = opt[i];
                if (kind == 0)
                        break;
                if (kind == 1) {
                        i++;
                        continue;
                }
                if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len) {
                        problems[TCP_OPT_MALFORMED]++;
                        break;
                }
                uint8_t olen = opt[i + 1];
                const uint8_t *v = opt + i + 2;
                switch (kind) {
                case 2:
                        if (olen != 4)
                                goto bad_length;
                        out->mss_present = true;
                        out->mss = (uint16_t)(v[0] << 8 | v[1]);
                        break;
                case 3:
                        if (olen != 3)
                                goto bad_length;
                        out->ws_present = true;
                        out->ws = MIN(v[0], 14);
                        out->ws_clamped = v[0] > 14;
                        break;
                case 4:
                        if (olen != 2)
                                goto bad_length;
                        out->sack_permitted = true;
                        break;
                case 5:
                        if (olen < 10 || (olen - 2) % 8 != 0 || (olen - 2) / 8 > TCP_MAX_SACK)
                                goto bad_length;
                        out->nsack = (uint8_t)((olen - 2) / 8);
                        for (int k = 0; k < out->nsack; k++) {
                                out->sack[k].start = get_be32(v + 8 * k);
                                out->sack[k].end = get_be32(v + 8 * k + 4);
                        }
                        break;
                case 8:
                        if (olen != 10)
                                goto bad_length;
                        out->ts_present = true;
                        out->ts_val = get_be32(v);
                        out->ts_ecr = get_be32(v + 4);
                        break;
                default:
                        problems[TCP_OPT_UNKNOWN]++;
                        break;
                bad_length:
                        problems[TCP_OPT_BAD_LENGTH]++;
                        break;
                }
                i += olen;
        }
}
size_t tcp_write_options(uint8_t *buf, const struct tcp_options *o)
{
        uint8_t *p = buf;
        if (o->mss_present) {
                *p++ = 2; *p++ = 4;
                *p++ = (uint8_t)(o->mss >> 8); *p++ = (uint8_t)o->mss;
        }
        if (o->ts_present) {
                *p++ = 1; *p++ = 1; *p++ = 8; *p++ = 10;
                put_be32(p, o->ts_val);
                put_be32(p + 4, o->ts_ecr);
                p += 8;
        }
        if (o->ws_present) {
                *p++ = 1; *p++ = 3; *p++ = 3; *p++ = o->ws;
        }
        if (o->sack_permitted) {
                *p++ = 1; *p++ = 1; *p++ = 4; *p++ = 2;
        }
        size_t room = (size_t)(TCP_HDR_MAX - TCP_HDR_MIN - (p - buf) - 4) / 8;
        size_t n = MIN((size_t)o->nsack, room);
        if (n > 0) {
                *p++ = 1; *p++ = 1; *p++ = 5; *p++ = (uint8_t)(2 + 8 * n);
                for (size_t k = 0; k < n; k++) {
                        put_be32(p, o->sack[k].start);
                        put_be32(p + 4, o->sack[k].end);
                        p += 8;
                }
        }
        while ((p - buf) % 4 != 0)
                *p++ = 0;
        return (size_t)(p - buf);
}
uint16_t tcp_checksum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
        uint8_t pseudo[12];
        put_be32(pseudo, src);
        put_be32(pseudo + 4, dst);
        pseudo[8] = 0;
        pseudo[9] = IPPROTO_TCP_;
        pseudo[10] = (uint8_t)(len >> 8);
        pseudo[11] = (uint8_t)len;
        if (wire_fast) {
                uint32_t sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
                               IPPROTO_TCP_ + (uint32_t)len;
                return csum_fold(csum_add_words(sum, seg, len));
        }
        return csum_fold(csum_add(csum_add(0, pseudo, sizeof pseudo), seg, len));
}
const char *const tcp_drop_names[TCP_DROP_KINDS] = {
        [TCP_DROP_SHORT]    = "shorter than a TCP header",
        [TCP_DROP_OFFSET]   = "with a bad data offset",
        [TCP_DROP_CHECKSUM] = "with a bad checksum",
};

int tcp_parse(const uint8_t *ip, const struct pkb *p, struct segment *seg,
              uint64_t problems[TCP_OPT_PROBLEMS])
{
        const uint8_t *t = p->data;
        if (p->len < TCP_HDR_MIN)
                return TCP_DROP_SHORT;
        size_t doff = tcp_get(t, TCP_DOFF) * 4;
        if (doff < TCP_HDR_MIN || doff > p->len)
                return TCP_DROP_OFFSET;
        uint32_t src = ip_get(ip, IP_SRC), dst = ip_get(ip, IP_DST);
        bool check = true;
        check = !p->csum_trusted;
        if (check && tcp_checksum(src, dst, t, p->len) != 0)
                return TCP_DROP_CHECKSUM;
        seg->src = src;
        seg->dst = dst;
        seg->sport = (uint16_t)tcp_get(t, TCP_SPORT);
        seg->dport = (uint16_t)tcp_get(t, TCP_DPORT);
        seg->seq = tcp_get(t, TCP_SEQ);
        seg->ack = tcp_get(t, TCP_ACK);
        seg->flags = tcp_get_flags(t);
        seg->wnd = (uint16_t)tcp_get(t, TCP_WINDOW);
        seg->urp = (uint16_t)tcp_get(t, TCP_URGPTR);
        tcp_parse_options(t + TCP_HDR_MIN, doff - TCP_HDR_MIN, &seg->opt, problems);
        seg->data = t + doff;
        seg->len = p->len - doff;
        seg->ecn = (uint8_t)ip_get(ip, IP_ECN);
        return -1;
}
static uint16_t tcp_payload_and_checksum(const struct segment *s, uint8_t *t, size_t hlen)
{
        if (wire_fast) {
                uint16_t head = (uint16_t)~tcp_checksum(s->src, s->dst, t, hlen);
                return csum_fold((uint32_t)head + (uint32_t)s->len +
                                 csum_copy(0, t + hlen, s->data, s->len));
        }
        if (s->len > 0)
                memcpy(t + hlen, s->data, s->len);
        return tcp_checksum(s->src, s->dst, t, hlen + s->len);
}

void tcp_send_segment(struct host *h, const struct segment *s)
{
        uint8_t opts[TCP_HDR_MAX - TCP_HDR_MIN];
        size_t olen = tcp_write_options(opts, &s->opt);
        size_t hlen = TCP_HDR_MIN + olen;
        struct pkb *p = NULL;
        if (hlen + s->len > PKB_DATA_MAX)
                p = pkb_alloc_data(PKB_DATA_WIDE);
        if (p == NULL)
                p = pkb_alloc();
        uint8_t *t = p != NULL ? pkb_put(p, hlen + s->len) : NULL;
        if (t == NULL) {
                pkb_free(p);
                h->stats.tcp.out_no_buffer++;
                return;
        }
        memset(t, 0, TCP_HDR_MIN);
        tcp_set(t, TCP_SPORT, s->sport);
        tcp_set(t, TCP_DPORT, s->dport);
        tcp_set(t, TCP_SEQ, s->seq);
        tcp_set(t, TCP_ACK, s->ack);
        tcp_set(t, TCP_DOFF, (uint32_t)hlen / 4);
        tcp_set_flags(t, s->flags);
        tcp_set(t, TCP_WINDOW, s->wnd);
        tcp_set(t, TCP_URGPTR, s->urp);
        memcpy(t + TCP_HDR_MIN, opts, olen);
        bool partial = false;
        if (h->dev->gso_max > 0 || h->dev->csum_offload) {
                uint8_t ph[12] = { 0 };
                ph[0] = (uint8_t)(s->src >> 24);
                ph[1] = (uint8_t)(s->src >> 16);
                ph[2] = (uint8_t)(s->src >> 8);
                ph[3] = (uint8_t)s->src;
                ph[4] = (uint8_t)(s->dst >> 24);
                ph[5] = (uint8_t)(s->dst >> 16);
                ph[6] = (uint8_t)(s->dst >> 8);
                ph[7] = (uint8_t)s->dst;
                ph[9] = IPPROTO_TCP_;
                ph[10] = (uint8_t)(p->len >> 8);
                ph[11] = (uint8_t)p->len;
                tcp_set(t, TCP_CHECKSUM, (uint16_t)~csum_fold(csum_add(0, ph, sizeof ph)));
                p->csum_partial = true;
                partial = true;
        }
        if (!partial)
                tcp_set(t, TCP_CHECKSUM, tcp_payload_and_checksum(s, t, hlen));
        else if (s->len > 0)
                memcpy(t + hlen, s->data, s->len);        /* the device sums it */
        h->stats.tcp.out_segs++;
        if (s->flags & TH_RST)
                h->stats.tcp.out_rsts++;
        p->ecn = s->ecn;
        ip_output(h, IPPROTO_TCP_, s->dst, p);
}
