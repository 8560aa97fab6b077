/* Tangled from chapters/03-segments.nw, chapters/11-odds.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef TCP_WIRE_H
#define TCP_WIRE_H
#include "pkb.h"
#include "field.h"
struct host;

enum tcp_field {
        TCP_SPORT, TCP_DPORT, TCP_SEQ, TCP_ACK, TCP_DOFF, TCP_RESERVED,
        TCP_CWR, TCP_ECE, TCP_URG, TCP_ACKBIT, TCP_PSH, TCP_RST, TCP_SYN, TCP_FIN,
        TCP_WINDOW, TCP_CHECKSUM, TCP_URGPTR,
        TCP_NFIELDS
};
extern const struct field tcp_fields[TCP_NFIELDS];
#define TCP_HDR_MIN 20
#define TCP_HDR_MAX 60

static inline uint32_t tcp_get(const uint8_t *h, enum tcp_field f)
{
        if (wire_fast)
                return field_load(h, &tcp_fields[f]);
        return field_get(h, &tcp_fields[f]);
}

static inline void tcp_set(uint8_t *h, enum tcp_field f, uint32_t v)
{
        if (wire_fast) {
                field_store(h, &tcp_fields[f], v);
                return;
        }
        field_set(h, &tcp_fields[f], v);
}

enum {
        TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PSH = 0x08,
        TH_ACK = 0x10, TH_URG = 0x20, TH_ECE = 0x40, TH_CWR = 0x80,
};

static inline uint8_t tcp_get_flags(const uint8_t *h)
{
        uint8_t flags = 0;
        if (wire_fast)
                return h[13];
        for (int f = TCP_CWR; f <= TCP_FIN; f++)
                flags = (uint8_t)(flags << 1 | tcp_get(h, f));
        return flags;
}

static inline void tcp_set_flags(uint8_t *h, uint8_t flags)
{
        if (wire_fast) {
                h[13] = flags;
                return;
        }
        for (int f = TCP_FIN; f >= TCP_CWR; f--, flags >>= 1)
                tcp_set(h, f, flags & 1);
}
#define SEQ_LT(a, b)  ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b)  ((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) >= 0)
#define SEQ_MIN(a, b) (SEQ_LT(a, b) ? (a) : (b))
#define SEQ_MAX(a, b) (SEQ_GT(a, b) ? (a) : (b))

/* lo <= x < hi on the circle */
static inline bool seq_in(uint32_t x, uint32_t lo, uint32_t hi)
{
        return SEQ_LEQ(lo, x) && SEQ_LT(x, hi);
}
#define TCP_MAX_SACK 4

struct tcp_options {
        bool mss_present, ws_present, sack_permitted, ts_present;
        uint16_t mss;
        uint8_t ws;                 /* window scale shift */
        bool ws_clamped;            /* the shift sent was above 14 */
        uint32_t ts_val, ts_ecr;
        uint8_t nsack;
        struct { uint32_t start, end; } sack[TCP_MAX_SACK];
};

struct segment {
        uint32_t src, dst;          /* IPv4 addresses, host order */
        uint16_t sport, dport;
        uint32_t seq, ack;
        uint8_t flags;
        uint16_t wnd, urp;
        struct tcp_options opt;
        const uint8_t *data;        /* the payload */
        size_t len;                 /* its length in bytes */
        uint8_t ecn;                /* the IP header's ECN codepoint */
};

static inline uint32_t seg_len(const struct segment *s)
{
        return (uint32_t)s->len + !!(s->flags & TH_SYN) + !!(s->flags & TH_FIN);
}
enum tcp_opt_problem {
        TCP_OPT_UNKNOWN,            /* skipped by its length */
        TCP_OPT_BAD_LENGTH,         /* a known kind with the wrong length */
        TCP_OPT_MALFORMED,          /* length 0 or 1, or past the header */
        TCP_OPT_PROBLEMS
};
void tcp_parse_options(const uint8_t *opt, size_t len, struct tcp_options *out,
                       uint64_t problems[TCP_OPT_PROBLEMS]);
size_t tcp_write_options(uint8_t *buf, const struct tcp_options *o);
uint16_t tcp_checksum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len);
enum tcp_drop {
        TCP_DROP_SHORT,             /* shorter than a TCP header */
        TCP_DROP_OFFSET,            /* data offset < 5 or beyond the segment */
        TCP_DROP_CHECKSUM,
        TCP_DROP_KINDS
};
extern const char *const tcp_drop_names[TCP_DROP_KINDS];
int tcp_parse(const uint8_t *ip, const struct pkb *p, struct segment *seg,
              uint64_t problems[TCP_OPT_PROBLEMS]);
void tcp_send_segment(struct host *h, const struct segment *s);
#endif
