/* Tangled from chapters/04-opening.nw, chapters/12-attack.nw by tools/tangle: edit those, not this file. */
#include "host.h"

static bool tcp_unlink(struct tcb **head, struct tcb *c)
{
        for (; *head != NULL; head = &(*head)->qnext) {
                if (*head == c) {
                        *head = c->qnext;
                        c->qnext = NULL;
                        return true;
                }
        }
        return false;
}

void tcp_unqueue(struct tcb *l, struct tcb *c)
{
        struct tcp_listen *q = l->listen;
        if (tcp_unlink(&q->syn_q, c)) {
                q->syn_q_len--;
        } else if (tcp_unlink(&q->acc_head, c)) {
                q->acc_q_len--;
                q->acc_tail = q->acc_head;
                while (q->acc_tail != NULL && q->acc_tail->qnext != NULL)
                        q->acc_tail = q->acc_tail->qnext;
        }
        c->parent = NULL;
}

void tcp_to_accept_queue(struct tcb *l, struct tcb *c)
{
        struct tcp_listen *q = l->listen;
        if (tcp_unlink(&q->syn_q, c))
                q->syn_q_len--;
        if (q->acc_tail != NULL)
                q->acc_tail->qnext = c;
        else
                q->acc_head = c;
        q->acc_tail = c;
        q->acc_q_len++;
}
void syncache_add(struct tcb *l, const struct segment *seg)
{
        struct host *h = l->host;
        struct tcp_listen *q = l->listen;
        int syn_limit = MIN(q->backlog, h->cfg.max_syn_backlog);
        if (q->syn_q_len >= syn_limit) {
                if (h->cfg.syncookies && q->acc_q_len < q->backlog) {
                        syncookie_answer(l, seg);
                        return;
                }
                h->stats.tcp.syn_queue_overflow++;
                return;
        }
        if (q->acc_q_len >= q->backlog) {
                h->stats.tcp.accept_queue_overflow++;
                return;
        }
        struct tcb *c = syncache_half_open(l, seg, tcp_isn(h, seg->dst, seg->dport,
                                                           seg->src, seg->sport));
        if (c == NULL)
                return;
        tcp_send_syn(c);
        if (h->cfg.two_way_handshake) {
                tcp_set_state(c, T_TWO_WAY, TCP_ESTABLISHED);
                tcp_timer_stop(c, TT_REXMT);
                tcp_to_accept_queue(l, c);
                tcp_notify(l, TCP_EV_ACCEPTABLE);
        }
}
struct tcb *syncache_half_open(struct tcb *l, const struct segment *seg, uint32_t iss)
{
        struct host *h = l->host;
        struct tcp_listen *q = l->listen;
        struct tcb *c = tcb_create(h, seg->dst, seg->dport, seg->src, seg->sport);
        if (c == NULL)
                return NULL;
        tcp_set_state(c, T_LISTEN, TCP_LISTEN);
        c->flags |= TF_PASSIVE;
        c->parent = l;
        c->qnext = q->syn_q;
        q->syn_q = c;
        q->syn_q_len++;
        tcp_remember_syn(c, seg);
        if (seg->len > 0)
                h->stats.tcp.syn_data_dropped++;
        c->iss = iss;
        c->snd_una = c->iss;
        c->snd_nxt = c->iss + 1;
        c->snd_wnd = tcp_peer_window(c, seg);
        c->snd_wl1 = seg->seq;
        c->snd_wl2 = c->iss;
        h->stats.tcp.passive_opens++;
        tcp_set_state(c, T_RCV_SYN, TCP_SYN_RECEIVED);
        return c;
}
#define COOKIE_PERIOD SEC(64)
static const uint16_t cookie_mss[8] = { 536, 1024, 1220, 1300, 1360, 1400, 1440, 1460 };

/* client: the SYN's (or the ACK's) source; its ISN; the period; the MSS index */
static uint32_t cookie_mac(struct host *h, const struct segment *seg, uint32_t client_isn,
                           uint64_t period, unsigned mssi)
{
        uint8_t b[4 + 2 + 4 + 2 + 4 + 8 + 1];
        uint32_t w[4] = { seg->src, seg->sport, seg->dst, seg->dport };
        size_t k = 0;
        for (int i = 0; i < 4; i++)
                for (int j = (i % 2 ? 1 : 3); j >= 0; j--)
                        b[k++] = (uint8_t)(w[i] >> (8 * j));
        for (int j = 3; j >= 0; j--)
                b[k++] = (uint8_t)(client_isn >> (8 * j));
        for (int j = 7; j >= 0; j--)
                b[k++] = (uint8_t)(period >> (8 * j));
        b[k++] = (uint8_t)mssi;
        return (uint32_t)siphash(&h->cfg.secret, b, k) & 0xffffff;
}

uint32_t syncookie_make(struct host *h, const struct segment *syn, usec_t now)
{
        uint64_t period = now / COOKIE_PERIOD;
        uint16_t mss = syn->opt.mss_present ? syn->opt.mss : 536;
        unsigned i = 7;
        while (i > 0 && cookie_mss[i] > mss)
                i--;                          /* rounded down: never more than asked */
        return (uint32_t)(period % 32) << 27 | i << 24 |
               cookie_mac(h, syn, syn->seq, period, i);
}

uint16_t syncookie_check(struct host *h, const struct segment *ack, usec_t now)
{
        uint32_t cookie = ack->ack - 1;
        uint64_t period = now / COOKIE_PERIOD;
        unsigned i = cookie >> 24 & 7;
        for (uint64_t age = 0; age <= 2 && age <= period; age++)
                if ((cookie >> 27) == (period - age) % 32 &&
                    (cookie & 0xffffff) == cookie_mac(h, ack, ack->seq - 1,
                                                      period - age, i))
                        return cookie_mss[i];
        return 0;
}
#define COOKIE_OPTS_BITS 6
#define COOKIE_NO_WS 15u
#define COOKIE_SACK (1u << 4)

uint32_t syncookie_tsval(const struct tcb *t, uint32_t now)
{
        uint32_t bits = (t->flags & TF_WS_OK) ? t->snd_wscale : COOKIE_NO_WS;
        if (t->flags & TF_SACK_OK)
                bits |= COOKIE_SACK;
        uint32_t v = (now & ~((1u << COOKIE_OPTS_BITS) - 1)) | bits;
        return TS_LT(now, v) ? v - (1u << COOKIE_OPTS_BITS) : v;
}
void syncookie_answer(struct tcb *l, const struct segment *syn)
{
        struct host *h = l->host;
        struct segment s = *syn;
        if (!(s.opt.ts_present && h->cfg.timestamps))
                s.opt.ws_present = s.opt.sack_permitted = false;  /* no room to keep them */
        struct tcb *c = tcb_create(h, s.dst, s.dport, s.src, s.sport);
        if (c == NULL)
                return;
        tcp_set_state(c, T_LISTEN, TCP_LISTEN);
        c->flags |= TF_PASSIVE | TF_COOKIE;
        tcp_remember_syn(c, &s);
        c->iss = syncookie_make(h, syn, loop_now(h->loop));
        c->snd_una = c->iss;
        c->snd_nxt = c->iss + 1;
        c->snd_wnd = tcp_peer_window(c, &s);
        tcp_set_state(c, T_RCV_SYN, TCP_SYN_RECEIVED);
        tcp_send_syn(c);
        h->stats.tcp.syncookies_sent++;
        tcb_destroy(c);
}
bool syncookie_accept(struct tcb *l, const struct segment *ack)
{
        struct host *h = l->host;
        struct tcp_listen *q = l->listen;
        if (!h->cfg.syncookies || (ack->flags & (TH_SYN | TH_RST)))
                return false;
        uint16_t mss = syncookie_check(h, ack, loop_now(h->loop));
        if (mss == 0) {
                h->stats.tcp.syncookies_failed++;
                return false;
        }
        if (q->acc_q_len >= q->backlog) {
                h->stats.tcp.accept_queue_overflow++;
                return true;                     /* dropped: the client will resend */
        }
        struct segment syn = { .src = ack->src, .dst = ack->dst, .sport = ack->sport,
                               .dport = ack->dport, .seq = ack->seq - 1, .flags = TH_SYN,
                               .wnd = ack->wnd };
        syn.opt.mss_present = true;
        syn.opt.mss = mss;
        if (ack->opt.ts_present && h->cfg.timestamps) {
                uint32_t bits = ack->opt.ts_ecr & ((1u << COOKIE_OPTS_BITS) - 1);
                syn.opt.ts_present = true;
                syn.opt.ts_val = ack->opt.ts_val;
                syn.opt.ws_present = (bits & COOKIE_NO_WS) != COOKIE_NO_WS;
                syn.opt.ws = (uint8_t)(bits & COOKIE_NO_WS);
                syn.opt.sack_permitted = (bits & COOKIE_SACK) != 0;
        }
        struct tcb *c = syncache_half_open(l, &syn, ack->ack - 1);
        if (c == NULL)
                return true;
        h->stats.tcp.syncookies_ok++;
        tcp_segment_arrives(c, ack);
        return true;
}
