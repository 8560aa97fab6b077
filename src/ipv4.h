/* Tangled from chapters/02-ipv4.nw, chapters/11-odds.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef IPV4_H
#define IPV4_H
#include "pkb.h"
#include "field.h"
struct host;

enum ip_field {
        IP_VERSION, IP_IHL, IP_DSCP, IP_ECN, IP_TOTAL_LENGTH,
        IP_ID, IP_RESERVED, IP_DF, IP_MF, IP_FRAG_OFFSET,
        IP_TTL, IP_PROTOCOL, IP_CHECKSUM, IP_SRC, IP_DST,
        IP_NFIELDS
};
extern const struct field ip_fields[IP_NFIELDS];

#define IP_HDR_MIN 20
#define IP_HDR_MAX 60
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6

static inline uint32_t ip_get(const uint8_t *h, enum ip_field f)
{
        if (wire_fast)
                return field_load(h, &ip_fields[f]);
        return field_get(h, &ip_fields[f]);
}

static inline void ip_set(uint8_t *h, enum ip_field f, uint32_t v)
{
        if (wire_fast) {
                field_store(h, &ip_fields[f], v);
                return;
        }
        field_set(h, &ip_fields[f], v);
}

enum ip_drop {
        IP_DROP_TRUNCATED,      /* shorter than a minimal header */
        IP_DROP_VERSION,        /* not version 4 */
        IP_DROP_HEADER_LENGTH,  /* IHL < 5, or header longer than what arrived */
        IP_DROP_TOTAL_LENGTH,   /* total length < IHL, or > what arrived */
        IP_DROP_CHECKSUM,       /* header checksum wrong */
        IP_DROP_OPTIONS,        /* an option runs past the header */
        IP_DROP_SOURCE,         /* source is not a unicast address */
        IP_DROP_NOT_OURS,       /* destination is not our address */
        IP_DROP_FRAGMENT,       /* a fragment: we do not reassemble */
        IP_DROP_KINDS
};
extern const char *const ip_drop_names[IP_DROP_KINDS];

struct ip_stats {
        uint64_t in_receives;         /* datagrams handed to IP */
        uint64_t in_drops[IP_DROP_KINDS];
        uint64_t in_ttl_zero;         /* arrived with TTL 0 (accepted) */
        uint64_t in_unknown_protos;
        uint64_t in_delivers;         /* passed to ICMP or TCP */
        uint64_t out_requests;        /* datagrams sent */
        uint64_t out_no_buffer;
};
void ip_input(struct host *h, struct pkb *p);
void ip_output(struct host *h, uint8_t proto, uint32_t dst, struct pkb *p);
enum ip_ecn { IP_ECN_NOT_ECT = 0, IP_ECN_ECT1 = 1, IP_ECN_ECT0 = 2, IP_ECN_CE = 3 };
#endif
