/* Tangled from chapters/03-segments.nw, chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#ifndef TCP_H
#define TCP_H
#include "pkb.h"
#include "field.h"
struct host;
#include "loop.h"
struct tcb;
enum tcp_event {
        TCP_EV_CONNECTED,    /* the handshake completed */
        TCP_EV_ACCEPTABLE,   /* a listener's accept queue has a connection */
        TCP_EV_ERROR,        /* the connection failed; t->error says why */
        TCP_EV_READABLE,     /* data can be read with tcp_recv */
        TCP_EV_WRITABLE,     /* space has been freed in the send buffer */
        TCP_EV_PEER_CLOSED,  /* the peer sent FIN: end of stream after the data */
        TCP_EV_CLOSED,       /* the connection has ended; the TCB goes after this */
};
typedef void (*tcp_event_fn)(struct tcb *t, enum tcp_event ev, void *arg);
#include "ring.h"

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
        return field_get(h, &tcp_fields[f]);
}

static inline void tcp_set(uint8_t *h, enum tcp_field f, uint32_t v)
{
        field_set(h, &tcp_fields[f], v);
}

enum {
        TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PSH = 0x08,
        TH_ACK = 0x10, TH_URG = 0x20, TH_ECE = 0x40, TH_CWR = 0x80,
};

static inline uint8_t tcp_get_flags(const uint8_t *h)
{
        uint8_t flags = 0;
        for (int f = TCP_CWR; f <= TCP_FIN; f++)
                flags = (uint8_t)(flags << 1 | tcp_get(h, f));
        return flags;
}

static inline void tcp_set_flags(uint8_t *h, uint8_t flags)
{
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
enum tcp_state {
        TCP_CLOSED,
        TCP_LISTEN,
        TCP_SYN_SENT,
        TCP_SYN_RECEIVED,
        TCP_ESTABLISHED,
        TCP_FIN_WAIT_1,
        TCP_FIN_WAIT_2,
        TCP_CLOSE_WAIT,
        TCP_CLOSING,
        TCP_LAST_ACK,
        TCP_TIME_WAIT,
        TCP_NSTATES
};
extern const char *const tcp_state_names[TCP_NSTATES];

struct tcb {
        struct tcb *hnext;          /* next in the same hash bucket */
        struct host *host;
        uint32_t laddr, raddr;
        uint16_t lport, rport;
        enum tcp_state state;
        uint32_t iss, snd_una, snd_nxt, snd_wl1, snd_wl2;
        uint32_t snd_wnd;
        uint32_t irs, rcv_nxt, rcv_wnd;
        uint16_t snd_mss;           /* largest segment we may send: the peer's MSS */
        struct timer rtx_timer;
        usec_t rto;
        int rtx_count;
        bool passive;
        struct tcb *parent;         /* the listener of a connection not yet accepted */
        struct tcb *qnext;          /* next in the listener's SYN or accept queue */
        tcp_event_fn on_event;
        void *ev_arg;
        int error;                  /* ECONNREFUSED, ETIMEDOUT, ECONNRESET, or 0 */
        struct tcb *syn_q;          /* half-open connections, newest first */
        struct tcb *acc_head, *acc_tail;
        int syn_q_len, acc_q_len, backlog;
        struct ring sndq, rcvq;
        bool fin_queued, fin_sent, fin_rcvd, orphan;
        struct timer wait_timer;
        int hold;                   /* being processed: do not free yet */
        bool doomed;                /* destroyed while held */
        unsigned pending;           /* events to tell the application (bit per event) */
        bool ack_pending;           /* an ACK is owed to the peer */
        struct ooo_seg *ooo;        /* the reassembly queue, by sequence number */
        int ooo_count;
        bool fin_pending;           /* a FIN beyond a gap, at fin_seq */
        uint32_t fin_seq;
        struct timer delack_timer;
        int segs_unacked;           /* in-order segments received since our last ACK */
        usec_t srtt, rttvar;        /* 0 until the first sample */
        bool rtt_timing;            /* a segment is being timed... */
        uint32_t rtt_seq;           /* ...this one */
        usec_t rtt_start;
        bool backed_off;            /* the RTO was doubled and is kept for now */
        uint32_t rtx_end;           /* where the latest retransmission ended... */
        usec_t rtx_at;              /* ...and when it was sent */
        int dupacks;                /* duplicate ACKs in a row */
        bool in_recovery;           /* retransmitting after a loss... */
        uint32_t recover;           /* ...until this is acknowledged */
        uint32_t rtx_nxt;           /* after a timeout: the next byte to resend... */
        bool going_back;            /* ...while this is set */
};
#define TCP_HASH_BUCKETS 4096

struct tcp_table {
        struct tcb *bucket[TCP_HASH_BUCKETS];
        size_t count;
        uint32_t next_ephemeral;    /* RFC 6056 algorithm 3's counter */
        size_t peak;                /* most TCBs at once, for the statistics */
        size_t tw_count;            /* connections in TIME-WAIT */
        usec_t tw_warned_at;        /* when the overflow was last reported */
};

struct tcb *tcb_lookup(struct host *h, uint32_t laddr, uint16_t lport,
                       uint32_t raddr, uint16_t rport);
struct tcb *tcb_create(struct host *h, uint32_t laddr, uint16_t lport,
                       uint32_t raddr, uint16_t rport);
void tcb_destroy(struct tcb *t);
uint16_t tcp_pick_port(struct host *h, uint32_t raddr, uint16_t rport);
struct tcp_stats {
        uint64_t in_segs;
        uint64_t in_drops[TCP_DROP_KINDS];
        uint64_t opt_problems[TCP_OPT_PROBLEMS];
        uint64_t out_segs, out_rsts, out_no_buffer;
        uint64_t table_full;        /* a TCB refused: max_connections reached */
        uint64_t closed_port;       /* segments for a port with no listener */
        uint64_t active_opens, passive_opens, attempt_fails, estab_resets;
        uint64_t syn_retransmits, synack_retransmits;
        uint64_t syn_queue_overflow, accept_queue_overflow;
        uint64_t half_open_timeouts, syn_data_dropped, challenge_acks;
        uint64_t tw_overflow, fin_wait2_timeouts, aborts_on_close, aborts_on_data;
        uint64_t timeouts, out_of_order_dropped, bytes_in, bytes_out;
        uint64_t ooo_queued, ooo_overflow, dup_bytes;
        uint64_t delayed_acks;
        uint64_t rtt_samples;
        uint64_t dup_acks, fast_retransmits, partial_acks;
        uint64_t rto_fired;
};
void tcp_send_reset(struct host *h, const struct segment *seg);
void tcp_input(struct host *h, const uint8_t *ip, struct pkb *p);
enum tcp_trigger {
        T_LISTEN,            /* passive OPEN */
        T_CONNECT,           /* active OPEN */
        T_RCV_SYN,           /* a SYN arrives */
        T_RCV_SYN_ACK,       /* a SYN acknowledging ours arrives */
        T_RCV_ACK,           /* an ACK of our SYN arrives */
        T_RCV_RST,           /* an acceptable reset arrives */
        T_TIMEOUT,           /* retransmissions exhausted */
        T_OVERFLOW,          /* the accept queue is full (abort on overflow) */
        T_TWO_WAY,           /* the two-way handshake experiment */
        T_CLOSE,             /* the application closes (or shuts down sending) */
        T_ABORT,             /* the application aborts, or closes with unread data */
        T_RCV_FIN,           /* the peer's FIN arrives, in order */
        T_RCV_ACK_OF_FIN,    /* our FIN is acknowledged */
        T_2MSL,              /* TIME-WAIT ends */
        T_COUNT
};
extern const char *const tcp_trigger_names[T_COUNT];

struct tcp_transition {
        enum tcp_state from;
        enum tcp_trigger trigger;
        enum tcp_state to;
        const char *label;
        int chapter;         /* where it is introduced; 0: an experiment only */
        bool aside;          /* a reset, abort or timeout: drawn dashed */
};
extern const struct tcp_transition tcp_transitions[];
extern const size_t tcp_ntransitions;
extern uint64_t tcp_transition_taken[];
extern uint64_t tcp_transition_refused;

bool tcp_set_state(struct tcb *t, enum tcp_trigger why, enum tcp_state to);
void tcp_print_state_dot(FILE *out, int chapter);
#define TCP_DEFAULT_MSS 536
void tcp_rtx_timeout(struct timer *tm, void *arg);
struct tcb *tcp_listen(struct host *h, uint16_t port, int backlog,
                       tcp_event_fn fn, void *arg, int *err);
struct tcb *tcp_accept(struct tcb *listener);
struct tcb *tcp_connect(struct host *h, uint32_t raddr, uint16_t rport,
                        tcp_event_fn fn, void *arg, int *err);
struct tcb *tcp_connect_from(struct host *h, uint16_t lport, uint32_t raddr,
                             uint16_t rport, tcp_event_fn fn, void *arg, int *err);
void tcp_set_handler(struct tcb *t, tcp_event_fn fn, void *arg);
uint32_t tcp_isn(struct host *h, uint32_t laddr, uint16_t lport,
                 uint32_t raddr, uint16_t rport);
void tcp_segment_from(const struct tcb *t, struct segment *s,
                      uint32_t seq, uint8_t flags);
void tcp_send_syn(struct tcb *t);
void tcp_send_ack(struct tcb *t);
void tcp_notify(struct tcb *t, enum tcp_event ev);
void tcp_fail(struct tcb *t, int error);
void tcp_unqueue(struct tcb *l, struct tcb *c);
void tcp_segment_arrives(struct tcb *t, const struct segment *seg);
void tcp_to_accept_queue(struct tcb *l, struct tcb *c);
void tcp_update_rcv_wnd(struct tcb *t);
void tcp_wait_timeout(struct timer *tm, void *arg);
void tcp_deliver_events(struct tcb *t);
#define TCP_PENDING(ev) (1u << (ev))
void tcp_output(struct tcb *t);
void tcp_retransmit_first(struct tcb *t);
usec_t tcp_rto_after_ack(struct tcb *t);
void tcp_receive_text(struct tcb *t, const struct segment *seg);
void tcp_fin_arrived(struct tcb *t);
void tcp_enter_time_wait(struct tcb *t);
long tcp_send(struct tcb *t, const void *data, size_t len);
size_t tcp_recv(struct tcb *t, void *buf, size_t len);
bool tcp_eof(const struct tcb *t);
void tcp_shutdown(struct tcb *t);
void tcp_close(struct tcb *t);
void tcp_abort(struct tcb *t);
struct ooo_seg {
        struct ooo_seg *next;
        uint32_t seq;
        uint32_t len;
        uint8_t data[];
};
bool ooo_insert(struct tcb *t, const struct segment *seg);
size_t ooo_deliver(struct tcb *t);
void ooo_free(struct tcb *t);
void tcp_delack_timeout(struct timer *tm, void *arg);
#define TCP_CLOCK_G MSEC(1)
usec_t tcp_rto_estimate(const struct tcb *t);
void tcp_rtt_sample(struct tcb *t, usec_t r);
void note_retransmission(struct tcb *t, uint32_t end);
usec_t tcp_rto_unbacked(const struct tcb *t);
struct rto793 {
        double srtt, alpha, beta;
        usec_t lbound, ubound;
};
usec_t rto793_update(struct rto793 *e, usec_t sample);
#endif
