/* Tangled from chapters/01-wire.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "netdev.h"

void netdev_init(struct netdev *dev, const struct netdev_ops *ops,
                 struct loop *loop, const char *name, unsigned mtu)
{
        memset(dev, 0, sizeof *dev);
        dev->ops = ops;
        dev->loop = loop;
        snprintf(dev->name, sizeof dev->name, "%s", name);
        dev->mtu = mtu;
}

void netdev_set_rx(struct netdev *dev, netdev_rx_fn rx, void *arg)
{
        dev->rx = rx;
        dev->rx_arg = arg;
}

void netdev_send(struct netdev *dev, struct pkb *p)
{
        if (p->len > dev->mtu) {
                dev->stats.tx_dropped++;
                pkb_free(p);
                return;
        }
        dev->stats.tx_packets++;
        dev->stats.tx_bytes += p->len;
        dev->ops->send(dev, p);
}

void netdev_deliver(struct netdev *dev, struct pkb *p)
{
        dev->stats.rx_packets++;
        dev->stats.rx_bytes += p->len;
        if (dev->csum_offload && p->csum_partial)
                p->csum_trusted = true;
        if (dev->rx == NULL) {
                dev->stats.rx_dropped++;
                pkb_free(p);
                return;
        }
        dev->rx(dev, p, dev->rx_arg);
}

void netdev_destroy(struct netdev *dev)
{
        if (dev != NULL)
                dev->ops->destroy(dev);
}
#include "checksum.h"
enum { G_IP = 0, G_TCP = 20, G_FIN = 0x01, G_SYN = 0x02, G_RST = 0x04, G_PSH = 0x08,
       G_URG = 0x20, G_CWR = 0x80 };

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p) { return get16(p) << 16 | get16(p + 2); }
static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

static uint32_t pseudo_sum(const uint8_t *ip, size_t tcp_len)
{
        uint8_t ph[12];
        memcpy(ph, ip + 12, 8);                 /* source and destination */
        ph[8] = 0;
        ph[9] = 6;                              /* TCP */
        put16(ph + 10, (uint32_t)tcp_len);
        return csum_add(0, ph, sizeof ph);
}
static bool tcp4_headers(const uint8_t *p, size_t len, size_t *hlen)
{
        /* IPv4 without options, TCP, not a fragment */
        if (len < 40 || p[G_IP] != 0x45 || p[G_IP + 9] != 6 || get16(p + 2) != len ||
            (get16(p + 6) & 0x3fff) != 0)
                return false;
        size_t thl = (size_t)(p[G_TCP + 12] >> 4) * 4;
        if (thl < 20 || 20 + thl > len)
                return false;
        *hlen = 20 + thl;
        return true;
}
bool gso_glue_add(struct gso_glue *g, const uint8_t *p, size_t len, size_t max)
{
        size_t hl;
        if (!tcp4_headers(p, len, &hl) || len == hl ||
            (p[G_TCP + 13] & (G_SYN | G_RST | G_FIN | G_URG)))
                return false;                       /* only plain data segments are glued */
        size_t pay = len - hl;
        uint8_t flags = p[G_TCP + 13];
        if (g->nseg == 0) {
                if (len > max)
                        return false;
                memcpy(g->buf, p, len);
                g->len = len;
                g->nseg = 1;
                g->seg = pay;
                g->hlen = hl;
                g->next_seq = get32(p + G_TCP + 4) + (uint32_t)pay;
                g->next_id = (uint16_t)(get16(p + 4) + 1);
                g->closed = (flags & G_PSH) != 0;
                return true;
        }
        const uint8_t *h = g->buf;
        if (g->closed || hl != g->hlen || pay > g->seg || g->len + pay > max ||
            get32(p + G_TCP + 4) != g->next_seq || get16(p + 4) != g->next_id ||
            memcmp(p, h, 2) != 0 || memcmp(p + 6, h + 6, 4) != 0 ||
            memcmp(p + 12, h + 12, 8) != 0 ||                 /* the IP header */
            memcmp(p + G_TCP, h + G_TCP, 4) != 0 ||           /* ports */
            memcmp(p + G_TCP + 8, h + G_TCP + 8, 5) != 0 ||   /* ACK, data offset */
            (flags & ~G_PSH) != h[G_TCP + 13] ||
            memcmp(p + G_TCP + 14, h + G_TCP + 14, 2) != 0 || /* window */
            memcmp(p + G_TCP + 18, h + G_TCP + 18, hl - G_TCP - 18) != 0)   /* options */
                return false;
        memcpy(g->buf + g->len, p + hl, pay);
        g->len += pay;
        g->nseg++;
        g->next_seq += (uint32_t)pay;
        g->next_id++;
        if (pay < g->seg || (flags & G_PSH)) {
                g->closed = true;   /* the last segment: its PSH goes on the whole */
                g->buf[G_TCP + 13] |= flags & G_PSH;
        }
        return true;
}

size_t gso_glue_finish(struct gso_glue *g)
{
        if (g->nseg > 1) {
                uint8_t *ip = g->buf;
                put16(ip + 2, (uint32_t)g->len);
                put16(ip + 10, 0);
                put16(ip + 10, inet_checksum(ip, 20));
                /* the TCP checksum is left partial: the pseudo-header's sum, not
                   complemented; the kernel adds each segment's bytes to it */
                put16(ip + G_TCP + 16, (uint16_t)~csum_fold(pseudo_sum(ip, g->len - 20)));
        }
        size_t len = g->len;
        g->nseg = 0;
        g->len = 0;
        return len;
}
size_t gso_split(const uint8_t *p, size_t len, size_t seg, bool sum,
                 gso_emit_fn emit, void *arg)
{
        size_t hl;
        if (!tcp4_headers(p, len, &hl) || seg == 0 || hl + seg > PKB_DATA_MAX)
                return 0;
        size_t pay = len - hl, n = 0;
        uint32_t seq = get32(p + G_TCP + 4);
        uint16_t id = (uint16_t)get16(p + 4);
        for (size_t off = 0; off < pay || n == 0; off += seg) {
                size_t m = MIN(seg, pay - off);
                bool last = off + m == pay;
                struct pkb *q = pkb_alloc();
                if (q == NULL)
                        break;   /* the caller counts what is missing */
                uint8_t *d = pkb_put(q, hl + m);
                memcpy(d, p, hl);
                memcpy(d + hl, p + hl + off, m);
                put16(d + 2, (uint32_t)(hl + m));
                put16(d + 4, (uint32_t)(uint16_t)(id + n));
                put16(d + 10, 0);
                put16(d + 10, inet_checksum(d, 20));
                put32(d + G_TCP + 4, seq + (uint32_t)off);
                if (!last)
                        d[G_TCP + 13] &= (uint8_t)~(G_FIN | G_PSH);   /* only on the last */
                if (n > 0)
                        d[G_TCP + 13] &= (uint8_t)~G_CWR;            /* only on the first */
                if (sum) {
                        put16(d + G_TCP + 16, 0);
                        put16(d + G_TCP + 16, csum_fold(csum_add(pseudo_sum(d, hl - 20 + m),
                                                                 d + 20, hl - 20 + m)));
                } else {
                        q->csum_trusted = true;          /* the kernel's word, as the
                                                            header says */
                }
                n++;
                emit(q, arg);
                if (last)
                        break;
        }
        return n;
}
