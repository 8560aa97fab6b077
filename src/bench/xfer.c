/* Tangled from chapters/06-delivery.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "xfer.h"
#include "simlink.h"
#include <errno.h>
#include <math.h>

struct side {
        struct tcb *t;
        size_t sent, rcvd, total, bad;
        uint32_t seed;
        bool opened, done, eof, closed;
        bool redial;                /* the attempt to connect timed out: try again */
        int errors, redials;
};

static uint8_t pattern(uint32_t seed, size_t i)
{
        return (uint8_t)((i * 131 + seed) ^ (i >> 9));
}

static void side_pump(struct side *s)
{
        uint8_t buf[4096];
        while (s->t != NULL && s->sent < s->total) {
                size_t n = MIN(sizeof buf, s->total - s->sent);
                for (size_t j = 0; j < n; j++)
                        buf[j] = pattern(s->seed, s->sent + j);
                long k = tcp_send(s->t, buf, n);
                if (k <= 0)
                        break;
                s->sent += (size_t)k;
        }
        if (s->t != NULL && s->sent == s->total && !s->done) {
                s->done = true;
                tcp_shutdown(s->t);
        }
        if (s->t != NULL && s->done && s->eof && !s->closed) {
                s->closed = true;
                tcp_close(s->t);
                s->t = NULL;
        }
}

static void side_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct side *s = arg;
        if (ev == TCP_EV_ERROR && !s->opened && t->error == ETIMEDOUT && s->redials < 3) {
                s->t = NULL;
                s->redial = true;
                return;
        }
        if (ev == TCP_EV_ERROR || ev == TCP_EV_CLOSED) {
                s->errors += ev == TCP_EV_ERROR;
                s->t = NULL;
                s->closed = true;
                return;
        }
        s->t = t;
        s->opened = true;
        uint8_t buf[4096];
        size_t n;
        while ((n = tcp_recv(t, buf, sizeof buf)) > 0) {
                for (size_t j = 0; j < n; j++)
                        s->bad += buf[j] != pattern(s->seed ^ 0xff, s->rcvd + j);
                s->rcvd += n;
        }
        if (tcp_eof(t))
                s->eof = true;
        side_pump(s);
}

static void side_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        struct tcb *c;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        while ((c = tcp_accept(l)) != NULL) {
                tcp_set_handler(c, side_event, arg);
                side_event(c, TCP_EV_WRITABLE, arg);
        }
}
const char *const xfer_outcome_names[XFER_OUTCOMES] = {
        [XFER_EXACT] = "exact", [XFER_WRONG] = "wrong bytes", [XFER_FAILED] = "failed",
        [XFER_HUNG] = "hung", [XFER_LEFT_OPEN] = "left open",
};

void xfer_cfg_default(struct xfer_cfg *c)
{
        memset(c, 0, sizeof *c);
        impair_cfg_default(&c->link);
        config_default(&c->host);
        c->bytes = 1 << 20;
        c->seed = 1;
        c->stall_limit = SEC(1800);
        c->drain_limit = SEC(7200);
}

static uint64_t mix(uint64_t seed, uint64_t what)
{
        struct rng r;
        rng_seed(&r, seed * 0x9e3779b97f4a7c15ULL + what);
        return rng_next(&r);
}

static void find_wrapping_secret(struct host *a, uint32_t raddr)
{
        for (uint64_t k = 1;; k++) {
                a->cfg.secret.k0 = k;
                if (tcp_isn(a, a->cfg.addr, 40000, raddr, 80) > 0xffffffffu - 40000)
                        return;
        }
}

void xfer_run(const struct xfer_cfg *c, struct xfer_result *r)
{
        memset(r, 0, sizeof *r);
        struct loop l;
        loop_init(&l, CLOCK_VIRTUAL);
        struct impair_cfg ab = c->link, ba = c->link;
        ab.seed = mix(c->seed, 1);
        ba.seed = mix(c->seed, 2);
        unsigned mtu = 1500;
        if (c->mtu > 0)
                mtu = c->mtu;
        struct simlink *link = simlink_create(&l, &ab, &ba, mtu);
        if (c->offload) {
                simlink_end(link, 0)->csum_offload = true;
                simlink_end(link, 1)->csum_offload = true;
        }
        struct config ca = c->host, cb = c->host;
        ca.addr = 0x0a000001;
        cb.addr = 0x0a000002;
        ca.secret.k0 ^= mix(c->seed, 3);
        cb.secret.k0 ^= mix(c->seed, 4);
        struct host *a = host_create(&l, simlink_end(link, 0), &ca);
        struct host *b = host_create(&l, simlink_end(link, 1), &cb);
        if (c->wrap)
                find_wrapping_secret(a, cb.addr);
        struct side sa = { .total = c->bytes, .seed = 0x11 };
        struct side sb = { .total = c->bytes, .seed = 0x11 ^ 0xff };
        int err;
        tcp_listen(b, 80, 4, side_accept, &sb, &err);
        sa.t = tcp_connect_from(a, 40000, cb.addr, 80, side_event, &sa, &err);
        r->iss = sa.t->iss;
        bool hung = false;
        size_t seen = 0;
        usec_t moved = 0;
        bool cut = false;
        while ((!sa.closed || !sb.closed) && sa.errors + sb.errors == 0) {
                loop_run_for(&l, MSEC(100));
                if (sa.redial) {
                        sa.redial = false;
                        sa.redials++;
                        sa.t = tcp_connect_from(a, 40000, cb.addr, 80, side_event, &sa, &err);
                }
                side_pump(&sa);
                if (c->cut_for > 0 && !cut && sa.rcvd >= c->bytes / 4) {
                        cut = true;
                        simlink_cut(link, loop_now(&l), c->cut_for);
                }
                if (c->watch != NULL)
                        c->watch(c->watch_arg, sa.t, loop_now(&l));
                size_t now_seen = sa.rcvd + sb.rcvd + sa.closed + sb.closed;
                if (now_seen != seen) {
                        seen = now_seen;
                        moved = loop_now(&l);
                } else if (loop_now(&l) - moved > c->stall_limit) {
                        hung = true;
                        break;
                }
        }
        r->took = loop_now(&l);
        while (!hung && a->tcp->count + b->tcp->count > 1 &&
               loop_now(&l) - r->took < c->drain_limit)
                loop_run_for(&l, SEC(1));
        r->left = a->tcp->count + b->tcp->count - 1;
        r->got[0] = sa.rcvd;
        r->got[1] = sb.rcvd;
        r->bad[0] = sa.bad;
        r->bad[1] = sb.bad;
        r->errors = sa.errors + sb.errors;
        r->redials = sa.redials;
        r->stats[0] = a->stats.tcp;
        r->stats[1] = b->stats.tcp;
        if (hung)
                r->outcome = XFER_HUNG;
        else if (r->errors > 0)
                r->outcome = XFER_FAILED;
        else if (sa.rcvd != c->bytes || sb.rcvd != c->bytes || sa.bad + sb.bad > 0)
                r->outcome = XFER_WRONG;
        else if (r->left > 0)
                r->outcome = XFER_LEFT_OPEN;
        else
                r->outcome = XFER_EXACT;
        host_destroy(a);
        host_destroy(b);
        loop_free(&l);
}
double padhye_seconds(double bytes, double mss, double p, double rtt, double t0,
                      double b, double wmax)
{
        double rate = wmax / rtt;                      /* segments a second */
        if (p > 0) {
                double loss = rtt * sqrt(2 * b * p / 3) +
                              t0 * MIN(1.0, 3 * sqrt(3 * b * p / 8)) * p * (1 + 32 * p * p);
                rate = MIN(rate, 1 / loss);
        }
        return bytes / mss / rate;
}
