/* Tangled from chapters/03-segments.nw, chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/08-congestion.nw, chapters/09-sack.nw, chapters/10-timestamps.nw, chapters/11-odds.nw, chapters/12-attack.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef TCP_VAR_H
#define TCP_VAR_H
#include "tcp_wire.h"
#include "loop.h"
#include "tcp.h"
#include "ring.h"

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

enum {
        TF_PASSIVE = 1 << 0,        /* opened by a listener */
        TF_FIN_QUEUED = 1 << 2,     /* the application has closed its sending side */
        TF_FIN_SENT = 1 << 3,       /* our FIN has gone (it may be retransmitted) */
        TF_FIN_RCVD = 1 << 4,       /* the peer's FIN has been taken */
        TF_ORPHAN = 1 << 5,         /* the application has let go */
        TF_DOOMED = 1 << 6,         /* destroyed while held: freed when let go */
        TF_RST = 1 << 9,            /* the connection is being aborted: send a reset */
        TF_FIN_PENDING = 1 << 10,   /* the peer's FIN came beyond a gap */
        TF_WS_SENT = 1 << 16,       /* our SYN offered window scaling */
        TF_WS_OK = 1 << 17,         /* both SYNs did: the shifts are in force */
        TF_SACK_OK = 1 << 18,       /* both SYNs carried SACK-permitted (RFC 2018) */
        TF_TS_OK = 1 << 19,         /* both SYNs carried timestamps (RFC 7323) */
        TF_COOKIE = 1 << 28,        /* a SYN-ACK with a SYN cookie: nothing is kept */
        TF_ACKNOW = 1 << 1,         /* an ACK is owed and must go now */
        TF_DELACK = 1 << 7,         /* an ACK is owed for in-order data; it may wait */
        TF_ACK_BATCHED = 1 << 20,   /* in the host's ack_batch: an ACK waits for the turn's end */
        TF_RTX_FORCE = 1 << 8,      /* the next resend goes even into a full window */
        TF_RTT_TIMING = 1 << 11,    /* a segment is being timed */
        TF_BACKED_OFF = 1 << 12,    /* the RTO was doubled and is kept for now */
        TF_IN_RECOVERY = 1 << 13,   /* retransmitting after a loss */
        TF_PROBING = 1 << 14,       /* a window probe's byte is out */
        TF_PUSH_SMALL = 1 << 15,    /* the persist timer overrides the silly-window hold */
        TF_NONE = 0
};
struct tcp_listen {
        struct tcb *syn_q;          /* half-open connections, newest first */
        struct tcb *acc_head, *acc_tail;
        int syn_q_len, acc_q_len, backlog;
};
enum tcp_timer_id {
        TT_REXMT,                   /* retransmission (of SYN, data or FIN) */
        TT_WAIT,                    /* TIME-WAIT's 2 MSL, or FIN-WAIT-2's timeout */
        TT_DELACK,                  /* the delayed ACK */
        TT_PERSIST,                 /* the persist timer: probe a closed window */
        TT_KEEP,                    /* keepalive: probe an idle connection */
        TT_COUNT
};
struct tcp_sockopts {
        size_t rcvbuf;              /* bytes of receive buffer */
        size_t sndbuf;              /* bytes of send buffer */
        bool nodelay;               /* TCP_NODELAY: small segments go at once */
        bool keepalive;             /* SO_KEEPALIVE */
        usec_t keep_idle;           /* TCP_KEEPIDLE */
        usec_t keep_intvl;          /* TCP_KEEPINTVL */
        int keep_cnt;               /* TCP_KEEPCNT */
};
struct ooo_seg {
        struct ooo_seg *next;
        uint32_t seq;
        uint32_t len;
        uint8_t data[];
};
struct tcp_cc_ops {
        const char *name;
        void (*init)(struct tcb *t);                    /* the connection opens */
        void (*on_ack)(struct tcb *t, uint32_t acked);  /* new data acked, not in
                                                           recovery */
        void (*on_dupack)(struct tcb *t);               /* a duplicate ACK, not the one that
                                                           starts recovery */
        void (*on_loss)(struct tcb *t);                 /* duplicate ACKs found a loss */
        bool (*on_partial_ack)(struct tcb *t, uint32_t acked);   /* false: recovery
                                                           ends here (Reno) */
        void (*on_recovery_end)(struct tcb *t);         /* the recovery point is acked */
        void (*on_rto)(struct tcb *t);                  /* the retransmission timer fired */
        void (*after_idle)(struct tcb *t);              /* sending again after a pause */
};
struct seq_range {
        uint32_t start, end;        /* [start, end) */
};
enum tcp_ecn_state {
        ECN_ASKED = 1 << 0,         /* our SYN was an ECN-setup SYN */
        ECN_OK = 1 << 1,            /* both SYNs agreed: ECN is in use */
        ECN_ECHO = 1 << 2,          /* receiver: a CE came; ECE on every ACK until CWR */
        ECN_SEND_CWR = 1 << 3,      /* sender: the next new data segment carries CWR */
        ECN_REDUCED = 1 << 4,       /* sender: has answered an echo for the window
                                       ending at ecn_recover */
};

struct tcb {
        struct tcb *hnext;          /* next in the same hash bucket */
        struct host *host;
        uint32_t laddr, raddr;
        uint16_t lport, rport;
        enum tcp_state state;
        unsigned flags;             /* TF_ bits, below */
        uint32_t iss, snd_una, snd_nxt, snd_wl1, snd_wl2;
        uint32_t snd_wnd;
        uint16_t snd_mss;           /* largest segment we may send: the peer's MSS */
        uint64_t bytes_acked;       /* by the peer, over the connection's life */
        uint8_t snd_wscale;         /* the peer's window shift (RFC 7323); 0 until chapter 7 */
        struct ring sndq;           /* from SND.UNA: sent and not acknowledged, then unsent */
        uint32_t max_sndwnd;        /* the largest window the peer has offered */
        uint32_t snd_up;            /* SND.UP: the byte after our urgent data */
        bool snd_up_set;            /* ...while it is not yet acknowledged */
        bool full_size_acked;       /* a full segment has crossed the path */
        uint32_t max_snd_wnd;       /* MAX.SND.WND: the largest window the peer offered */
        uint32_t irs, rcv_nxt, rcv_wnd;
        uint8_t rcv_wscale;         /* ours */
        struct ring rcvq;           /* in order, not yet read by the application */
        struct ooo_seg *ooo;        /* the reassembly queue, by sequence number */
        int ooo_count;
        uint32_t fin_seq;           /* a FIN beyond a gap is here (TF_FIN_PENDING) */
        int segs_unacked;           /* in-order segments received since our last ACK */
        uint32_t rcv_adv;           /* the right edge of the window we last advertised */
        struct seq_range sack_rep[TCP_MAX_SACK];   /* the blocks last reported, newest first */
        int nsack_rep;
        struct seq_range dsack;     /* a duplicate to report in the next ACK (RFC 2883) */
        bool dsack_pending;
        uint32_t rcv_up;            /* RCV.UP: the byte after the urgent data (RFC 6093) */
        bool rcv_up_set;            /* ...once an urgent pointer has arrived */
        usec_t answered_at;         /* when we last answered an invalid segment */
        bool answered;              /* ... if ever */
        size_t mem_charged;         /* what this connection counts for in tcp_mem */
        bool mem_waiting;           /* refused a send buffer: wake it when memory frees */
        usec_t rto;                 /* the retransmission timeout in force */
        int rtx_count;              /* retransmissions of the same segment so far */
        usec_t srtt, rttvar;        /* 0 until the first sample */
        uint32_t rtt_seq;           /* the segment being timed (TF_RTT_TIMING)... */
        usec_t rtt_start;           /* ...since then */
        usec_t rtx_at;              /* when we last retransmitted */
        struct timer timer[TT_COUNT];
        int persist_shift;          /* probes since the window closed: the backoff */
        int probes_unanswered;      /* probes sent since the peer last answered */
        usec_t heard_at;            /* when the peer last sent an acceptable segment */
        int keep_sent;              /* keepalive probes sent since then */
        uint32_t rtx_nxt, rtx_end;  /* being retransmitted: the next byte, and the end */
        int dupacks;                /* duplicate ACKs in a row */
        uint32_t recover;           /* in recovery (TF_IN_RECOVERY) until this is acknowledged */
        struct seq_range *sb;       /* the scoreboard: SACKed ranges above SND.UNA, in order */
        int nsb;
        uint32_t high_rxt;          /* the end of the highest retransmission (RFC 6675 HighRxt) */
        bool high_rxt_set;          /* ...once there has been one */
        uint32_t rescue_rxt;        /* RFC 6675 RescueRxt, if rescue_valid */
        bool sack_news;             /* the ACK being processed SACKed new data */
        bool rescue_valid;
        const struct tcp_cc_ops *cc;
        uint32_t cwnd, ssthresh;    /* bytes */
        usec_t last_send;           /* when data last went out, to see an idle pause */
        uint32_t ca_acked;          /* bytes acked toward the next SMSS of growth (RFC 3465) */
        bool after_rto;             /* in the slow start that follows a timeout */
        bool timeout_recovery;      /* the recovery in progress began with a timeout */
        uint32_t fast_ssthresh;     /* ssthresh set by the fast recovery in progress; 0: none */
        uint32_t lt_start;          /* SND.NXT at the first duplicate ACK (limited transmit) */
        uint32_t lt_allow;          /* bytes limited transmit may send beyond cwnd */
        bool recover_valid;         /* recover is the end of an earlier recovery (RFC 6582) */
        uint32_t traced[3];         /* cwnd, ssthresh, flight as last reported */
        uint64_t cc_priv[8];        /* the algorithm's own state (CUBIC's) */
        bool eifel_armed;           /* the episode's first retransmission is being watched */
        bool eifel_first;           /* the next retransmission is the episode's first */
        uint32_t eifel_seq;         /* its sequence number */
        uint32_t eifel_tsval;       /* and its TSval */
        uint32_t prior_cwnd, prior_ssthresh;   /* before the episode's response */
        uint8_t ecn;                /* ECN_ bits */
        uint32_t ecn_recover;       /* SND.NXT when the sender last answered an echo */
        struct tcp_sockopts so;
        uint32_t ts_offset;         /* added to the clock in our TSvals: hides the uptime */
        uint32_t ts_recent;         /* TS.Recent: the peer's timestamp we echo */
        usec_t ts_recent_at;        /* when it was last updated */
        uint32_t last_ack_sent;     /* Last.ACK.sent: RCV.NXT in our last ACK */
        uint32_t ts_resent;         /* TSval of our latest retransmission */
        bool ts_resent_set;
        tcp_event_fn on_event;
        void *ev_arg;
        int error;                  /* ECONNREFUSED, ETIMEDOUT, ECONNRESET, EHOSTUNREACH,
                                       ... or 0 */
        int soft_error;             /* the last ICMP error about it, reported if it times out */
        struct tcb *parent;         /* the listener of a connection not yet accepted */
        struct tcb *qnext;          /* next in the listener's SYN or accept queue */
        struct tcp_listen *listen;  /* a listener's queues; NULL for a connection */
        int hold;                   /* being processed: do not free yet */
        unsigned pending;           /* events to tell the application (bit per event) */
};

#define TCP_HASH_BUCKETS 4096       /* buckets at the start: a power of two */

struct tcp_table {
        struct tcb **bucket;        /* nbuckets chains */
        size_t nbuckets;
        size_t count;
        uint32_t next_ephemeral;    /* RFC 6056 algorithm 3's counter */
        size_t peak;                /* most TCBs at once, for the statistics */
        uint64_t *transitions_taken;   /* one counter per row of tcp_transitions */
        size_t tw_count;            /* connections in TIME-WAIT */
        usec_t tw_warned_at;        /* when the overflow was last reported */
        struct tcb *last;           /* the connection the last lookup found */
};
struct tcp_stats {
        uint64_t in_segs;
        uint64_t in_drops[TCP_DROP_KINDS];
        uint64_t opt_problems[TCP_OPT_PROBLEMS];
        uint64_t out_segs, out_rsts, out_no_buffer;
        uint64_t table_full;        /* a TCB refused: max_connections reached */
        uint64_t closed_port;       /* segments for a port with no listener */
        uint64_t refused_transitions;
        uint64_t active_opens, passive_opens, attempt_fails, estab_resets;
        uint64_t syn_retransmits, synack_retransmits;
        uint64_t syn_queue_overflow, accept_queue_overflow;
        uint64_t half_open_timeouts, syn_data_dropped, challenge_acks;
        uint64_t icmp_accepted, icmp_ignored;   /* ICMP errors about connections */
        uint64_t ack_too_old;       /* below SND.UNA - MAX.SND.WND (RFC 5961 §5.2) */
        uint64_t answers_limited;   /* an answer to an invalid segment held back: per connection */
        uint64_t challenges_limited;   /* a challenge ACK held back: per host */
        uint64_t syncookies_sent, syncookies_ok, syncookies_failed;
        uint64_t mss_raised;        /* a peer's MSS below min_snd_mss */
        uint64_t port_probes;       /* ports tried by connect */
        uint64_t port_none;         /* connects that found no free port */
        uint64_t table_grown;       /* doublings of the connection table */
        uint64_t tw_overflow, fin_wait2_timeouts, aborts_on_close, aborts_on_data;
        uint64_t timeouts;
        uint64_t out_of_order_dropped, bytes_in, bytes_out;
        uint64_t ooo_queued, ooo_overflow, dup_bytes;
        uint64_t delayed_acks;
        uint64_t persist_probes, small_held, ws_clamped;
        uint64_t rtt_echo_refused;
        uint64_t paws_rejected;
        uint64_t urgent_in, urgent_out;   /* segments with URG taken, and sent */
        uint64_t keepalive_probes, keepalive_drops;
        uint64_t ecn_connections, ecn_ce_received;
        uint64_t mem_refused;       /* a buffer refused at mem_max */
        uint64_t predicted_acks, predicted_data;   /* segments that took the fast path */
        uint64_t acks_batched;      /* second segments whose ACK waited for the end of the turn */
        uint64_t batch_acks;        /* ACKs sent at the end of a turn for such segments */
        uint64_t lookup_hits;       /* lookups answered by the last connection found */
        uint64_t retransmitted_segs;
        uint64_t rtt_samples;
        uint64_t dup_acks, fast_retransmits, partial_acks;
        uint64_t rto_fired;
        uint64_t dupacks_after_recovery;
        uint64_t dsacks_sent, dsacks_received, sack_blocks_ignored;
        uint64_t dsack_for_retransmissions;
        uint64_t rescue_retransmits;
        uint64_t retransmitted_bytes;
        uint64_t spurious_undone;
        uint64_t pmtu_lowered, blackholes;
        uint64_t ecn_echoes, ecn_reductions;
};
struct tcb *tcb_lookup(struct host *h, uint32_t laddr, uint16_t lport,
                       uint32_t raddr, uint16_t rport);
struct tcb *tcb_create(struct host *h, uint32_t laddr, uint16_t lport,
                       uint32_t raddr, uint16_t rport);
void tcb_destroy(struct tcb *t);
uint16_t tcp_pick_port(struct host *h, uint32_t raddr, uint16_t rport);
void tcp_respond(struct host *h, const struct segment *to, uint32_t seq,
                 uint32_t ack, uint8_t flags);
void tcp_send_reset(struct host *h, const struct segment *seg);
uint32_t tcp_tuple_hash(struct host *h, uint32_t laddr, uint16_t lport,
                        uint32_t raddr, uint16_t rport, uint8_t use);
uint32_t tcp_isn(struct host *h, uint32_t laddr, uint16_t lport,
                 uint32_t raddr, uint16_t rport);
void tcp_notify(struct tcb *t, enum tcp_event ev);
void tcp_fail(struct tcb *t, int error);
int tcp_timeout_error(const struct tcb *t);
void tcp_ctlinput(struct host *h, uint8_t code, uint16_t next_mtu,
                  const uint8_t *quoted, size_t len);
void tcp_deliver_events(struct tcb *t);
#define TCP_PENDING(ev) (1u << (ev))
uint16_t tcp_pmtu_plateau_below(uint32_t len);
uint32_t tcp_pmtu_current(const struct tcb *t);
bool tcp_pmtu_lower(struct tcb *t, uint32_t mtu);
void tcp_frag_needed(struct tcb *t, uint32_t seq, uint16_t mtu, uint32_t quoted_len);
void tcp_mem_sync(struct tcb *t);
void tcp_mem_release(struct tcb *t);
void tcp_mem_wake(struct timer *tm, void *arg);
bool tcp_mem_room(struct tcb *t, size_t bytes);
void tcp_table_grow(struct host *h);
size_t tcp_table_longest(const struct host *h);
void tcp_input(struct host *h, const uint8_t *ip, struct pkb *p);
void tcp_remember_syn(struct tcb *t, const struct segment *seg);
void tcp_segment_arrives(struct tcb *t, const struct segment *seg);
void tcp_challenge_ack(struct tcb *t);
void tcp_receive_text(struct tcb *t, const struct segment *seg);
void tcp_fin_arrived(struct tcb *t);
void tcp_enter_time_wait(struct tcb *t);
void tcp_dupack_arrived(struct tcb *t);
void tcp_new_ack_arrived(struct tcb *t, uint32_t acked);
void tcp_urgent_arrived(struct tcb *t, const struct segment *seg);
void tcp_ecn_syn_arrived(struct tcb *t, const struct segment *seg);
void tcp_ecn_segment_arrived(struct tcb *t, const struct segment *seg);
void tcp_ecn_ack_arrived(struct tcb *t, const struct segment *seg);
bool tcp_answer_allowed(struct tcb *t);
bool tcp_challenge_budget(struct host *h);
struct hp_view {
        bool established;           /* the state is ESTABLISHED */
        uint8_t flags;              /* the segment's control bits */
        uint32_t seq, ack;          /* SEG.SEQ, SEG.ACK */
        size_t len;                 /* the text's length */
        uint32_t wnd;               /* the window it offers, scaled */
        bool other_options;         /* an option but timestamps: MSS, WS, SACK */
        bool ts_present, ts_agreed; /* it carries timestamps; the connection uses them */
        bool ce;                    /* it arrived marked Congestion Experienced */
        uint32_t rcv_nxt, snd_una, snd_nxt, snd_wnd;
        bool recovering;            /* loss recovery, or a SACK scoreboard in use */
        bool reassembling;          /* data waits beyond a gap */
        bool persisting;            /* the persist timer runs, or a probe is out */
        bool unusual;               /* a FIN beyond a gap, no application, a new
                                       largest window not yet on record */
        size_t rcv_space;           /* room in the receive buffer */
};
bool hp_predict(const struct hp_view *v);
bool tcp_fast_path(struct tcb *t, const struct segment *seg);
#define TCP_MAXWIN 65535            /* the largest 16-bit window field */
uint32_t tcp_rcv_window(const struct tcb *t);
uint16_t tcp_window_field(const struct tcb *t);
uint32_t tcp_peer_window(const struct tcb *t, const struct segment *seg);
void tcp_segment_from(struct tcb *t, struct segment *s, uint32_t seq, uint8_t flags);
uint16_t tcp_path_mss(const struct tcb *t);
void tcp_send_syn(struct tcb *t);
void tcp_output(struct tcb *t);
void tcp_ack_now(struct tcb *t);
uint32_t tcp_send_window(const struct tcb *t);
void tcp_retransmit(struct tcb *t, uint32_t from, uint32_t to);
size_t seg_data_max(const struct tcb *t);
bool tcp_send_probe(struct tcb *t);
uint8_t tcp_wscale_wanted(const struct tcb *t);
void tcp_ecn_syn_flags(struct tcb *t, struct segment *s);
void tcp_ecn_data_segment(struct tcb *t, struct segment *s);
bool tcp_ack_batch(struct tcb *t);
void tcp_ack_batch_forget(struct tcb *t);
void tcp_turn_end(struct host *h);
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

bool tcp_set_state(struct tcb *t, enum tcp_trigger why, enum tcp_state to);
#define TCP_DEFAULT_MSS 536
void tcp_timer_fired(struct timer *tm, void *arg);
void tcp_timer_arm(struct tcb *t, enum tcp_timer_id id, usec_t delay);
void tcp_timer_stop(struct tcb *t, enum tcp_timer_id id);
bool tcp_timer_armed(const struct tcb *t, enum tcp_timer_id id);
void tcp_timer_rexmt(struct tcb *t);
usec_t tcp_rto_after_ack(struct tcb *t);
void tcp_timer_wait(struct tcb *t);
void tcp_timer_delack(struct tcb *t);
#define TCP_CLOCK_G MSEC(1)
usec_t tcp_rto_estimate(const struct tcb *t);
void tcp_rtt_sample(struct tcb *t, usec_t r);
usec_t tcp_rto_unbacked(const struct tcb *t);
void tcp_persist_arm(struct tcb *t);
void tcp_timer_persist(struct tcb *t);
void tcp_timer_keep(struct tcb *t);
void tcp_keepalive_restart(struct tcb *t);
bool tcp_blackhole_suspected(const struct tcb *t);
bool ooo_insert(struct tcb *t, const struct segment *seg);
size_t ooo_deliver(struct tcb *t);
void ooo_free(struct tcb *t);
void tcp_unqueue(struct tcb *l, struct tcb *c);
void tcp_to_accept_queue(struct tcb *l, struct tcb *c);
void syncache_add(struct tcb *l, const struct segment *seg);
struct tcb *syncache_half_open(struct tcb *l, const struct segment *seg, uint32_t iss);
uint32_t syncookie_make(struct host *h, const struct segment *syn, usec_t now);
uint16_t syncookie_check(struct host *h, const struct segment *ack, usec_t now);
uint32_t syncookie_tsval(const struct tcb *t, uint32_t now);
void syncookie_answer(struct tcb *l, const struct segment *syn);
bool syncookie_accept(struct tcb *l, const struct segment *ack);
extern const struct tcp_cc_ops tcp_cc_none;
#define TCP_INFINITE_SSTHRESH 0x7fffffffu
uint32_t tcp_initial_window(const struct tcb *t);
uint32_t tcp_flight_size(const struct tcb *t);
void tcp_cc_reno_grow(struct tcb *t, uint32_t acked);
void tcp_cc_enter_recovery(struct tcb *t, uint32_t ssthresh);
void tcp_cc_inflate(struct tcb *t);
void tcp_cc_partial_ack(struct tcb *t, uint32_t acked);
void tcp_cc_exit_recovery(struct tcb *t);
void tcp_cc_timeout(struct tcb *t, uint32_t ssthresh);
void tcp_cc_restart(struct tcb *t);
uint32_t half_the_flight_of(const struct tcb *t);
extern const struct tcp_cc_ops tcp_cc_newreno, tcp_cc_reno, tcp_cc_cubic;
double cubic_window(double w_max, double k, double t);
const struct tcp_cc_ops *tcp_cc_find(const char *name);
void tcp_cc_print_names(FILE *f);
void tcp_cc_report(struct tcb *t);
void tcp_cc_trace_line(void *file, const struct tcb *t);
#define TCP_SCOREBOARD_MAX 64
enum sack_step { SACK_RETRANSMIT, SACK_NEW_DATA, SACK_STOP };
enum sack_step tcp_sack_next_seg(struct tcb *t, struct seq_range *r, bool *rescue);
void tcp_sack_arrived(struct tcb *t, uint32_t seq);
bool tcp_sack_queued(const struct tcb *t, uint32_t seq, uint32_t len);
int tcp_sack_blocks_max(const struct tcb *t);
void tcp_sack_fill(struct tcb *t, struct tcp_options *o);
void tcp_sack_update(struct tcb *t, const struct segment *seg);
bool tcp_sack_is_lost(const struct tcb *t, uint32_t seq);
uint32_t tcp_sack_pipe(const struct tcb *t);
bool tcp_sack_recovery(const struct tcb *t);
bool tcp_sack_held(const struct tcb *t, uint32_t seq, uint32_t *end);
#define TS_LT(a, b) ((int32_t)((a) - (b)) < 0)
#define TS_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)
uint32_t tcp_ts_offset(struct host *h, uint32_t laddr, uint16_t lport,
                       uint32_t raddr, uint16_t rport);
uint32_t tcp_ts_now(const struct tcb *t);
bool tcp_ts_echo_predates_resend(struct tcb *t, const struct segment *seg);
void tcp_rtt_sample_scaled(struct tcb *t, usec_t r, uint32_t expected);
void tcp_eifel_episode(struct tcb *t);
void tcp_eifel_check(struct tcb *t, const struct segment *seg);
#endif
