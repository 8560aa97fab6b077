/* Tangled from chapters/02-ipv4.nw, chapters/03-segments.nw, chapters/11-odds.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include "checksum.h"

const struct field ip_fields[IP_NFIELDS] = {
        [IP_VERSION]      = { "version",         0,  4 },
        [IP_IHL]          = { "IHL",             4,  4 },
        [IP_DSCP]         = { "DSCP",            8,  6 },
        [IP_ECN]          = { "ECN",            14,  2 },
        [IP_TOTAL_LENGTH] = { "total length",   16, 16 },
        [IP_ID]           = { "identification", 32, 16 },
        [IP_RESERVED]     = { "0",              48,  1 },
        [IP_DF]           = { "DF",             49,  1 },
        [IP_MF]           = { "MF",             50,  1 },
        [IP_FRAG_OFFSET]  = { "fragment offset", 51, 13 },
        [IP_TTL]          = { "time to live",   64,  8 },
        [IP_PROTOCOL]     = { "protocol",       72,  8 },
        [IP_CHECKSUM]     = { "header checksum", 80, 16 },
        [IP_SRC]          = { "source address", 96, 32 },
        [IP_DST]          = { "destination address", 128, 32 },
};
const char *const ip_drop_names[IP_DROP_KINDS] = {
        [IP_DROP_TRUNCATED]     = "shorter than an IPv4 header",
        [IP_DROP_VERSION]       = "with a version other than 4",
        [IP_DROP_HEADER_LENGTH] = "with a bad header length",
        [IP_DROP_TOTAL_LENGTH]  = "with a bad total length",
        [IP_DROP_CHECKSUM]      = "with a bad header checksum",
        [IP_DROP_OPTIONS]       = "with malformed options",
        [IP_DROP_SOURCE]        = "from a broadcast, multicast or reserved source",
        [IP_DROP_NOT_OURS]      = "addressed to someone else",
        [IP_DROP_FRAGMENT]      = "fragments (not reassembled)",
};
static bool martian_source(uint32_t src)
{
        uint32_t top = src >> 24;
        return src == 0 || src == 0xffffffffu || top == 127 ||
               top >= 224;                  /* multicast 224/4 and class E 240/4 */
}

static bool options_well_formed(const uint8_t *opt, size_t len)
{
        size_t i = 0;
        while (i < len) {
                uint8_t kind = opt[i];
                if (kind == 0)                      /* end of option list */
                        return true;
                if (kind == 1) {                    /* no-operation */
                        i++;
                        continue;
                }
                if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len)
                        return false;
                i += opt[i + 1];
        }
        return true;
}
static int ip_check(const struct host *h, const struct pkb *p)
{
        const uint8_t *ip = p->data;
        if (p->len < IP_HDR_MIN)
                return IP_DROP_TRUNCATED;
        if (ip_get(ip, IP_VERSION) != 4)
                return IP_DROP_VERSION;
        size_t hlen = ip_get(ip, IP_IHL) * 4;
        if (hlen < IP_HDR_MIN || hlen > p->len)
                return IP_DROP_HEADER_LENGTH;
        size_t total = ip_get(ip, IP_TOTAL_LENGTH);
        if (total < hlen || total > p->len)
                return IP_DROP_TOTAL_LENGTH;
        if (inet_checksum(ip, hlen) != 0)
                return IP_DROP_CHECKSUM;
        if (!options_well_formed(ip + IP_HDR_MIN, hlen - IP_HDR_MIN))
                return IP_DROP_OPTIONS;
        if (martian_source(ip_get(ip, IP_SRC)))
                return IP_DROP_SOURCE;
        if (h->cfg.addr == 0 || ip_get(ip, IP_DST) != h->cfg.addr)
                return IP_DROP_NOT_OURS;
        if (ip_get(ip, IP_MF) || ip_get(ip, IP_FRAG_OFFSET) != 0)
                return IP_DROP_FRAGMENT;
        return -1;
}

void ip_input(struct host *h, struct pkb *p)
{
        h->stats.ip.in_receives++;
        int why = ip_check(h, p);
        if (why >= 0) {
                h->stats.ip.in_drops[why]++;
                pkb_free(p);
                return;
        }
        const uint8_t *ip = p->data;
        if (ip_get(ip, IP_TTL) == 0)
                h->stats.ip.in_ttl_zero++;
        p->len = ip_get(ip, IP_TOTAL_LENGTH);    /* trim link-layer padding */
        pkb_pull(p, ip_get(ip, IP_IHL) * 4);
        uint8_t proto = (uint8_t)ip_get(ip, IP_PROTOCOL);
        if (proto == IPPROTO_ICMP_) {
                h->stats.ip.in_delivers++;
                icmp_input(h, ip, p);
                return;
        }
        if (proto == IPPROTO_TCP_) {
                h->stats.ip.in_delivers++;
                tcp_input(h, ip, p);
                return;
        }
        h->stats.ip.in_unknown_protos++;
        icmp_send_error(h, ip, p, ICMP_DEST_UNREACH, ICMP_PROTO_UNREACH);
        pkb_free(p);
}
void ip_output(struct host *h, uint8_t proto, uint32_t dst, struct pkb *p)
{
        size_t len = p->len + IP_HDR_MIN;
        uint8_t *ip = pkb_push(p, IP_HDR_MIN);
        if (ip == NULL || len > 0xffff) {
                h->stats.ip.out_no_buffer++;
                pkb_free(p);
                return;
        }
        memset(ip, 0, IP_HDR_MIN);
        ip_set(ip, IP_VERSION, 4);
        ip_set(ip, IP_IHL, IP_HDR_MIN / 4);
        ip_set(ip, IP_TOTAL_LENGTH, (uint32_t)len);
        ip_set(ip, IP_ID, h->ip_next_id++);
        ip_set(ip, IP_DF, 1);
        ip_set(ip, IP_TTL, h->cfg.ip_ttl ? h->cfg.ip_ttl : 64);
        ip_set(ip, IP_PROTOCOL, proto);
        ip_set(ip, IP_SRC, h->cfg.addr);
        ip_set(ip, IP_DST, dst);
        ip_set(ip, IP_ECN, p->ecn);
        p->ecn = 0;
        ip_set(ip, IP_CHECKSUM, inet_checksum(ip, IP_HDR_MIN));
        h->stats.ip.out_requests++;
        netdev_send(h->dev, p);
}
