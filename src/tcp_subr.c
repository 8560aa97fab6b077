/* Tangled from chapters/03-segments.nw, chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/09-sack.nw, chapters/10-timestamps.nw, chapters/11-odds.nw, chapters/12-attack.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "host.h"
#include <errno.h>

static uint64_t tuple_hash(const struct host *h, uint32_t laddr, uint16_t lport,
                           uint32_t raddr, uint16_t rport)
{
        uint8_t b[12];
        put_be32(b, laddr);
        put_be32(b + 4, raddr);
        b[8] = (uint8_t)(lport >> 8); b[9] = (uint8_t)lport;
        b[10] = (uint8_t)(rport >> 8); b[11] = (uint8_t)rport;
        return siphash(&h->cfg.secret, b, sizeof b);
}

static struct tcb **tuple_chain(const struct host *h, uint32_t laddr, uint16_t lport,
                                uint32_t raddr, uint16_t rport)
{
        uint64_t x = tuple_hash(h, laddr, lport, raddr, rport);
        return &h->tcp->bucket[x & (h->tcp->nbuckets - 1)];
}

struct tcb *tcb_lookup(struct host *h, uint32_t laddr, uint16_t lport,
                       uint32_t raddr, uint16_t rport)
{
        struct tcb *c = h->tcp->last;
        if (c != NULL && c->lport == lport && c->rport == rport && c->laddr == laddr &&
            c->raddr == raddr) {
                h->stats.tcp.lookup_hits++;
                return c;
        }
        struct tcb *t = *tuple_chain(h, laddr, lport, raddr, rport);
        for (; t != NULL; t = t->hnext)
                if (t->laddr == laddr && t->lport == lport &&
                    t->raddr == raddr && t->rport == rport) {
                        if (h->cfg.lookup_cache)
                                h->tcp->last = t;
                        return t;
                }
        return NULL;
}
struct tcb *tcb_create(struct host *h, uint32_t laddr, uint16_t lport,
                       uint32_t raddr, uint16_t rport)
{
        if (h->tcp->count >= h->cfg.max_connections) {
                h->stats.tcp.table_full++;
                return NULL;
        }
        if (tcb_lookup(h, laddr, lport, raddr, rport) != NULL)
                return NULL;
        struct tcb *t = xcalloc(1, sizeof *t);
        t->host = h;
        t->laddr = laddr;
        t->lport = lport;
        t->raddr = raddr;
        t->rport = rport;
        t->state = TCP_CLOSED;
        t->so.rcvbuf = h->cfg.rcvbuf;
        t->so.sndbuf = h->cfg.sndbuf;
        t->so.nodelay = h->cfg.nodelay;
        t->so.keepalive = h->cfg.keepalive;
        t->so.keep_idle = h->cfg.keepalive_idle;
        t->so.keep_intvl = h->cfg.keepalive_intvl;
        t->so.keep_cnt = h->cfg.keepalive_probes;
        for (int i = 0; i < TT_COUNT; i++)
                timer_init(&t->timer[i], tcp_timer_fired, t);
        t->rto = h->cfg.rto_initial;
        t->snd_mss = TCP_DEFAULT_MSS;
        t->rcv_wnd = tcp_rcv_window(t);
        ring_init(&t->sndq, t->so.sndbuf);
        ring_init(&t->rcvq, t->so.rcvbuf);
        t->cc = h->cfg.cc;
        t->cc->init(t);
        t->ts_offset = tcp_ts_offset(h, t->laddr, t->lport, t->raddr, t->rport);
        t->heard_at = loop_now(h->loop);
        if (t->so.keepalive)
                tcp_timer_arm(t, TT_KEEP, t->so.keep_idle);
        struct tcb **chain = tuple_chain(h, laddr, lport, raddr, rport);
        t->hnext = *chain;
        *chain = t;
        h->tcp->count++;
        h->tcp->peak = MAX(h->tcp->peak, h->tcp->count);
        if (h->cfg.table_grow && h->tcp->count > h->tcp->nbuckets)
                tcp_table_grow(h);
        return t;
}

void tcb_destroy(struct tcb *t)
{
        struct host *h = t->host;
        if (!(t->flags & TF_ORPHAN) && t->on_event != NULL && t->error == 0) {
                tcp_event_fn fn = t->on_event;
                t->on_event = NULL;
                t->flags |= TF_ORPHAN;
                t->hold++;
                fn(t, TCP_EV_CLOSED, t->ev_arg);
                t->hold--;
        }
        struct tcb **pp = tuple_chain(h, t->laddr, t->lport, t->raddr, t->rport);
        while (*pp != t)
                pp = &(*pp)->hnext;
        *pp = t->hnext;
        h->tcp->count--;
        for (int i = 0; i < TT_COUNT; i++)
                tcp_timer_stop(t, i);
        if (t->parent != NULL)
                tcp_unqueue(t->parent, t);
        if (t->listen != NULL) {
                for (struct tcb *c = t->listen->syn_q; c != NULL; c = c->qnext)
                        c->parent = NULL;
                for (struct tcb *c = t->listen->acc_head; c != NULL; c = c->qnext)
                        c->parent = NULL;
                free(t->listen);
                t->listen = NULL;
        }
        ring_free(&t->sndq);
        ring_free(&t->rcvq);
        ooo_free(t);
        free(t->sb);
        t->sb = NULL;
        tcp_mem_release(t);
        if (t->flags & TF_ACK_BATCHED)
                tcp_ack_batch_forget(t);
        if (h->tcp->last == t)
                h->tcp->last = NULL;
        if (t->hold > 0) {
                t->flags |= TF_DOOMED;
                return;
        }
        free(t);
}
void tcp_table_grow(struct host *h)
{
        struct tcp_table *tb = h->tcp;
        size_t n = 2 * tb->nbuckets;
        struct tcb **nb = xcalloc(n, sizeof *nb);
        for (size_t b = 0; b < tb->nbuckets; b++)
                while (tb->bucket[b] != NULL) {
                        struct tcb *t = tb->bucket[b];
                        tb->bucket[b] = t->hnext;
                        uint64_t x = tuple_hash(h, t->laddr, t->lport, t->raddr, t->rport);
                        t->hnext = nb[x & (n - 1)];
                        nb[x & (n - 1)] = t;
                }
        free(tb->bucket);
        tb->bucket = nb;
        tb->nbuckets = n;
        h->stats.tcp.table_grown++;
}

size_t tcp_table_longest(const struct host *h)
{
        size_t longest = 0;
        for (size_t b = 0; b < h->tcp->nbuckets; b++) {
                size_t k = 0;
                for (const struct tcb *t = h->tcp->bucket[b]; t != NULL; t = t->hnext)
                        k++;
                longest = MAX(longest, k);
        }
        return longest;
}
static bool port_held(struct host *h, uint16_t port)
{
        return tcb_lookup(h, 0, port, 0, 0) != NULL;
}

uint16_t tcp_pick_port(struct host *h, uint32_t raddr, uint16_t rport)
{
        uint32_t lo = h->cfg.ephemeral_lo, hi = h->cfg.ephemeral_hi;
        uint32_t n = hi - lo + 1;
        uint8_t b[10];
        put_be32(b, h->cfg.addr);
        put_be32(b + 4, raddr);
        b[8] = (uint8_t)(rport >> 8);
        b[9] = (uint8_t)rport;
        uint32_t offset = (uint32_t)siphash(&h->cfg.secret, b, sizeof b);
        uint32_t tries = n;
        if (h->cfg.port_tries > 0)
                tries = MIN(tries, h->cfg.port_tries);
        for (uint32_t i = 0; i < tries; i++) {
                h->stats.tcp.port_probes++;
                uint16_t port = (uint16_t)(lo + (offset + h->tcp->next_ephemeral + i) % n);
                if (!port_held(h, port) &&
                    tcb_lookup(h, h->cfg.addr, port, raddr, rport) == NULL) {
                        h->tcp->next_ephemeral += i + 1;
                        return port;
                }
        }
        h->stats.tcp.port_none++;
        h->tcp->next_ephemeral += tries;
        return 0;
}
void tcp_respond(struct host *h, const struct segment *to, uint32_t seq,
                 uint32_t ack, uint8_t flags)
{
        struct segment r;
        memset(&r, 0, sizeof r);
        r.src = to->dst;
        r.dst = to->src;
        r.sport = to->dport;
        r.dport = to->sport;
        r.seq = seq;
        r.ack = ack;
        r.flags = flags;
        tcp_send_segment(h, &r);
}

void tcp_send_reset(struct host *h, const struct segment *seg)
{
        if (seg->flags & TH_RST)
                return;
        if (seg->flags & TH_ACK)
                tcp_respond(h, seg, seg->ack, 0, TH_RST);
        else
                tcp_respond(h, seg, 0, seg->seq + seg_len(seg), TH_RST | TH_ACK);
}
uint32_t tcp_tuple_hash(struct host *h, uint32_t laddr, uint16_t lport,
                        uint32_t raddr, uint16_t rport, uint8_t use)
{
        uint8_t b[13];
        put_be32(b, laddr);
        put_be32(b + 4, raddr);
        b[8] = (uint8_t)(lport >> 8); b[9] = (uint8_t)lport;
        b[10] = (uint8_t)(rport >> 8); b[11] = (uint8_t)rport;
        b[12] = use;
        return (uint32_t)siphash(&h->cfg.secret, b, sizeof b);
}

uint32_t tcp_isn(struct host *h, uint32_t laddr, uint16_t lport,
                 uint32_t raddr, uint16_t rport)
{
        uint32_t m = (uint32_t)(loop_now(h->loop) / 4);
        return m + tcp_tuple_hash(h, laddr, lport, raddr, rport, 'I');   /* apart from the
                                                                            table's hash */
}
void tcp_notify(struct tcb *t, enum tcp_event ev)
{
        if (t->on_event != NULL)
                t->on_event(t, ev, t->ev_arg);
}

void tcp_fail(struct tcb *t, int error)
{
        t->error = error;
        if (t->snd_una != t->iss)        /* our SYN was acknowledged: it was open */
                t->host->stats.tcp.estab_resets++;
        else
                t->host->stats.tcp.attempt_fails++;
        tcp_notify(t, TCP_EV_ERROR);
        tcb_destroy(t);
}
static int tcp_icmp_errno(uint8_t code)
{
        switch (code) {
        case ICMP_NET_UNREACH:   return ENETUNREACH;
        case ICMP_PROTO_UNREACH: return ENOPROTOOPT;
        case ICMP_PORT_UNREACH:  return ECONNREFUSED;
        }
        return EHOSTUNREACH;         /* host unreachable, and every other code */
}

void tcp_ctlinput(struct host *h, uint8_t code, uint16_t next_mtu, const uint8_t *q,
                  size_t len)
{
        (void)next_mtu;                      /* the MTU a router reports: chapter 11 */
        struct tcp_stats *st = &h->stats.tcp;
        size_t ihl = len > 0 ? (size_t)(q[0] & 0x0f) * 4 : 0;
        if (len < IP_HDR_MIN || (q[0] >> 4) != 4 || ihl < IP_HDR_MIN ||
            len < ihl + 8 || ip_get(q, IP_PROTOCOL) != IPPROTO_TCP_) {
                st->icmp_ignored++;          /* not about a TCP segment we can read */
                return;
        }
        const uint8_t *th = q + ihl;
        uint16_t sport = (uint16_t)(th[0] << 8 | th[1]);
        uint16_t dport = (uint16_t)(th[2] << 8 | th[3]);
        uint32_t seq = (uint32_t)th[4] << 24 | (uint32_t)th[5] << 16 |
                       (uint32_t)th[6] << 8 | th[7];
        struct tcb *t = tcb_lookup(h, ip_get(q, IP_SRC), sport, ip_get(q, IP_DST), dport);
        if (t == NULL || t->state == TCP_LISTEN ||
            SEQ_LT(seq, t->snd_una) || SEQ_GT(seq, t->snd_nxt)) {
                st->icmp_ignored++;          /* no such connection, or not its flight */
                return;
        }
        if (code == ICMP_FRAG_NEEDED) {
                tcp_frag_needed(t, seq, next_mtu, ip_get(q, IP_TOTAL_LENGTH));
                return;
        }
        st->icmp_accepted++;
        t->soft_error = tcp_icmp_errno(code);
}

int tcp_timeout_error(const struct tcb *t)
{
        return t->soft_error != 0 ? t->soft_error : ETIMEDOUT;
}
void tcp_deliver_events(struct tcb *t)
{
        t->hold++;
        while (t->pending != 0 && !(t->flags & TF_DOOMED)) {
                int ev = __builtin_ctz(t->pending);
                t->pending &= ~(1u << ev);
                if (!(t->flags & TF_ORPHAN))
                        tcp_notify(t, (enum tcp_event)ev);
        }
        if (!(t->flags & TF_DOOMED) && (t->flags & (TF_ACKNOW | TF_DELACK)))
                tcp_output(t);
        t->hold--;
        if ((t->flags & TF_DOOMED) && t->hold == 0)
                free(t);
}
static const uint16_t pmtu_plateaus[] = {
        65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68,
};

uint16_t tcp_pmtu_plateau_below(uint32_t len)
{
        for (size_t i = 0; i < ARRAY_LEN(pmtu_plateaus); i++)
                if (pmtu_plateaus[i] < len)
                        return pmtu_plateaus[i];
        return 68;
}
static uint32_t tcp_header_bytes(const struct tcb *t)
{
        return IP_HDR_MIN + TCP_HDR_MIN + ((t->flags & TF_TS_OK) ? 12 : 0);
}

uint32_t tcp_pmtu_current(const struct tcb *t)
{
        return t->snd_mss + tcp_header_bytes(t);
}

bool tcp_pmtu_lower(struct tcb *t, uint32_t mtu)
{
        mtu = MAX(mtu, (uint32_t)t->host->cfg.pmtu_min);
        if (mtu >= tcp_pmtu_current(t))
                return false;                /* never up, and never below the floor */
        t->snd_mss = (uint16_t)(mtu - tcp_header_bytes(t));
        return true;
}
void tcp_frag_needed(struct tcb *t, uint32_t seq, uint16_t mtu, uint32_t quoted_len)
{
        struct tcp_stats *st = &t->host->stats.tcp;
        if (mtu == 0)
                mtu = tcp_pmtu_plateau_below(quoted_len);   /* RFC 1191 §5: an old router */
        if (t->state < TCP_ESTABLISHED || !SEQ_LT(seq, t->snd_nxt) ||
            quoted_len <= mtu || !tcp_pmtu_lower(t, mtu)) {
                st->icmp_ignored++;          /* stale, forged, or about a SYN */
                return;
        }
        st->pmtu_lowered++;
        tcp_retransmit(t, t->snd_una, t->snd_nxt);
}
static size_t tcp_mem_held(const struct tcb *t)
{
        return (t->sndq.buf != NULL ? t->sndq.cap : 0) +
               (t->rcvq.buf != NULL ? t->rcvq.cap : 0) +
               (t->ooo != NULL ? t->rcvq.cap : 0);       /* a window at most */
}

static void tcp_mem_given_back(struct host *h)
{
        if (h->tcp_mem_waiters > 0 && !timer_armed(&h->tcp_mem_wake))
                timer_arm_in(h->loop, &h->tcp_mem_wake, 0);
}

void tcp_mem_sync(struct tcb *t)
{
        struct host *h = t->host;
        size_t held = tcp_mem_held(t), before = t->mem_charged;
        h->tcp_mem = h->tcp_mem - before + held;
        t->mem_charged = held;
        h->tcp_mem_peak = MAX(h->tcp_mem_peak, h->tcp_mem);
        if (held < before)
                tcp_mem_given_back(h);
}

void tcp_mem_release(struct tcb *t)
{
        struct host *h = t->host;
        h->tcp_mem -= t->mem_charged;
        if (t->mem_waiting) {
                t->mem_waiting = false;
                h->tcp_mem_waiters--;
        }
        if (t->mem_charged > 0)
                tcp_mem_given_back(h);
        t->mem_charged = 0;
}

/* one waiting connection at a time: its application may open or
 * close others, so the table is searched again after each */
void tcp_mem_wake(struct timer *tm, void *arg)
{
        struct host *h = arg;
        (void)tm;
        for (size_t b = 0; b < h->tcp->nbuckets && h->tcp_mem_waiters > 0; b++) {
                struct tcb *t = h->tcp->bucket[b];
                while (t != NULL && !t->mem_waiting)
                        t = t->hnext;
                if (t == NULL)
                        continue;
                t->mem_waiting = false;
                h->tcp_mem_waiters--;
                t->pending |= TCP_PENDING(TCP_EV_WRITABLE);
                tcp_deliver_events(t);
                b--;                                 /* this bucket again */
        }
}

bool tcp_mem_room(struct tcb *t, size_t bytes)
{
        struct host *h = t->host;
        if (h->tcp_mem + bytes <= h->cfg.mem_max)
                return true;
        h->stats.tcp.mem_refused++;
        return false;
}
