/* Tangled from chapters/02-ipv4.nw by tools/tangle: edit those, not this file. */
#ifndef ICMP_H
#define ICMP_H
#include "pkb.h"
struct host;

enum {
        ICMP_ECHO_REPLY = 0,
        ICMP_DEST_UNREACH = 3,
        ICMP_ECHO_REQUEST = 8,
        ICMP_TIME_EXCEEDED = 11,
        ICMP_PARAM_PROBLEM = 12,
};
enum {
        ICMP_NET_UNREACH = 0,
        ICMP_HOST_UNREACH = 1,
        ICMP_PROTO_UNREACH = 2,
        ICMP_PORT_UNREACH = 3,
        ICMP_FRAG_NEEDED = 4,
};
#define ICMP_HDR_LEN 8

struct icmp_stats {
        uint64_t in_msgs, in_errors;          /* received; of which malformed */
        uint64_t in_echos, in_echo_reps, in_dest_unreachs, in_other;
        uint64_t out_msgs, out_echo_reps, out_echos, out_dest_unreachs;
        uint64_t out_errors_suppressed;       /* errors we were not allowed to send */
};

void icmp_input(struct host *h, const uint8_t *ip, struct pkb *p);
void icmp_send_error(struct host *h, const uint8_t *ip, const struct pkb *p,
                     uint8_t type, uint8_t code);
void icmp_send_echo(struct host *h, uint32_t dst, uint16_t id, uint16_t seq,
                    const void *data, size_t len);
#endif
