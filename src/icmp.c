/* Tangled from chapters/02-ipv4.nw, chapters/04-opening.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include "checksum.h"

static void icmp_echo_reply(struct host *h, const uint8_t *ip, struct pkb *p)
{
        uint32_t to = ip_get(ip, IP_SRC);
        p->data[0] = ICMP_ECHO_REPLY;
        p->data[1] = 0;
        p->data[2] = p->data[3] = 0;
        uint16_t c = inet_checksum(p->data, p->len);
        p->data[2] = (uint8_t)(c >> 8);
        p->data[3] = (uint8_t)c;
        h->stats.icmp.out_msgs++;
        h->stats.icmp.out_echo_reps++;
        ip_output(h, IPPROTO_ICMP_, to, p);
}
void icmp_input(struct host *h, const uint8_t *ip, struct pkb *p)
{
        h->stats.icmp.in_msgs++;
        if (p->len < ICMP_HDR_LEN || inet_checksum(p->data, p->len) != 0) {
                h->stats.icmp.in_errors++;
                pkb_free(p);
                return;
        }
        switch (p->data[0]) {
        case ICMP_ECHO_REQUEST:
                h->stats.icmp.in_echos++;
                icmp_echo_reply(h, ip, p);
                return;
        case ICMP_ECHO_REPLY:
                h->stats.icmp.in_echo_reps++;
                if (h->on_echo_reply != NULL)
                        h->on_echo_reply(h, ip_get(ip, IP_SRC), p, h->echo_arg);
                break;
        case ICMP_DEST_UNREACH:
                h->stats.icmp.in_dest_unreachs++;
                tcp_ctlinput(h, p->data[1], (uint16_t)(p->data[6] << 8 | p->data[7]),
                             p->data + ICMP_HDR_LEN, p->len - ICMP_HDR_LEN);
                break;
        default:
                h->stats.icmp.in_other++;
                break;
        }
        pkb_free(p);
}
static bool is_icmp_error(const uint8_t *ip, const struct pkb *p)
{
        if (ip_get(ip, IP_PROTOCOL) != IPPROTO_ICMP_ || p->len < 1)
                return false;
        switch (p->data[0]) {
        case ICMP_DEST_UNREACH: case 4: case 5:   /* source quench, redirect */
        case ICMP_TIME_EXCEEDED: case ICMP_PARAM_PROBLEM:
                return true;
        default:
                return false;
        }
}

void icmp_send_error(struct host *h, const uint8_t *ip, const struct pkb *p,
                     uint8_t type, uint8_t code)
{
        uint32_t src = ip_get(ip, IP_SRC), dst = ip_get(ip, IP_DST);
        if (is_icmp_error(ip, p) || dst != h->cfg.addr || src == 0 ||
            src == 0xffffffffu || src >> 28 >= 14 || src >> 24 == 127 ||
            ip_get(ip, IP_FRAG_OFFSET) != 0) {
                h->stats.icmp.out_errors_suppressed++;
                return;
        }
        size_t hlen = ip_get(ip, IP_IHL) * 4;
        size_t quoted = MIN(p->len, (size_t)8);
        struct pkb *e = pkb_alloc();
        if (e == NULL) {
                h->stats.ip.out_no_buffer++;
                return;
        }
        uint8_t *m = pkb_put(e, ICMP_HDR_LEN + hlen + quoted);
        memset(m, 0, ICMP_HDR_LEN);
        m[0] = type;
        m[1] = code;
        memcpy(m + ICMP_HDR_LEN, ip, hlen);
        memcpy(m + ICMP_HDR_LEN + hlen, p->data, quoted);
        uint16_t c = inet_checksum(m, e->len);
        m[2] = (uint8_t)(c >> 8);
        m[3] = (uint8_t)c;
        h->stats.icmp.out_msgs++;
        if (type == ICMP_DEST_UNREACH)
                h->stats.icmp.out_dest_unreachs++;
        ip_output(h, IPPROTO_ICMP_, src, e);
}
void icmp_send_echo(struct host *h, uint32_t dst, uint16_t id, uint16_t seq,
                    const void *data, size_t len)
{
        struct pkb *p = pkb_alloc();
        uint8_t *m = p != NULL ? pkb_put(p, ICMP_HDR_LEN + len) : NULL;
        if (m == NULL) {
                pkb_free(p);
                h->stats.ip.out_no_buffer++;
                return;
        }
        m[0] = ICMP_ECHO_REQUEST;
        m[1] = 0;
        m[2] = m[3] = 0;
        m[4] = (uint8_t)(id >> 8);
        m[5] = (uint8_t)id;
        m[6] = (uint8_t)(seq >> 8);
        m[7] = (uint8_t)seq;
        memcpy(m + ICMP_HDR_LEN, data, len);
        uint16_t c = inet_checksum(m, p->len);
        m[2] = (uint8_t)(c >> 8);
        m[3] = (uint8_t)c;
        h->stats.icmp.out_msgs++;
        h->stats.icmp.out_echos++;
        ip_output(h, IPPROTO_ICMP_, dst, p);
}
