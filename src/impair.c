/* Tangled from chapters/01-wire.nw, chapters/11-odds.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "impair.h"
#include <ctype.h>
#include <errno.h>
#include "ipv4.h"
#include "icmp.h"
#include "checksum.h"
static void impair_too_big(struct impair *e, struct pkb *p);

void impair_cfg_default(struct impair_cfg *cfg)
{
        memset(cfg, 0, sizeof *cfg);
        cfg->queue_limit = 10000;
        cfg->reorder_gap = MSEC(1);
        cfg->seed = 1;
}

static void impair_timer_fired(struct timer *t, void *arg);

void impair_init(struct impair *e, struct loop *loop,
                 const struct impair_cfg *cfg, impair_out_fn out, void *arg)
{
        memset(e, 0, sizeof *e);
        e->cfg = *cfg;
        rng_seed(&e->rng, cfg->seed);
        e->loop = loop;
        e->out = out;
        e->out_arg = arg;
        timer_init(&e->timer, impair_timer_fired, e);
}

void impair_discard(struct impair *e)
{
        timer_cancel(e->loop, &e->timer);
        while (e->head != NULL) {
                struct pkb *p = e->head;
                e->head = p->next;
                pkb_free(p);
        }
        e->tail = NULL;
        e->queued = 0;
}
static bool released_before(const struct pkb *a, const struct pkb *b)
{
        return a->release < b->release ||
               (a->release == b->release && a->order < b->order);
}

static void impair_enqueue(struct impair *e, struct pkb *p, usec_t release)
{
        p->release = release;
        p->order = e->next_order++;
        p->next = NULL;
        if (e->tail == NULL) {
                e->head = e->tail = p;
        } else if (!released_before(p, e->tail)) {
                e->tail->next = p;
                e->tail = p;
        } else if (released_before(p, e->head)) {
                p->next = e->head;
                e->head = p;
        } else {
                struct pkb *q = e->head;
                while (!released_before(p, q->next))
                        q = q->next;
                p->next = q->next;
                q->next = p;
        }
        e->queued++;
        if (e->head == p)
                timer_arm(e->loop, &e->timer, p->release);
}
static void impair_lose(struct impair *e, struct pkb *p);

static void impair_one(struct impair *e, struct pkb *p)
{
        usec_t now = loop_now(e->loop);
        if (e->cfg.corrupt > 0 && rng_chance(&e->rng, e->cfg.corrupt) && p->len > 0) {
                size_t bit = (size_t)rng_below(&e->rng, (uint64_t)p->len * 8);
                p->data[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                e->stats.corrupted++;
                p->csum_trusted = false;
                p->csum_partial = false;    /* the receiver sums it, and finds the damage */
        }
        usec_t start = now;
        if (e->cfg.rate_bps > 0) {
                start = MAX(now, e->link_free);
                p->sent = start;             /* when its first bit goes on the wire */
                e->link_free = start + (usec_t)p->len * 8 * USEC_PER_SEC / e->cfg.rate_bps;
                start = e->link_free;
        }
        if (e->cfg.lose != NULL && e->cfg.lose(e->cfg.lose_arg, p)) {
                e->stats.lost++;             /* it took its time on the wire, then
                                                vanished */
                impair_lose(e, p);
                return;
        }
        usec_t release = start + e->cfg.delay;
        if (e->cfg.reorder > 0 && rng_chance(&e->rng, e->cfg.reorder)) {
                release += e->cfg.reorder_gap;
                e->stats.reordered++;
        }
        impair_enqueue(e, p, release);
}

/* What counts against the queue's limit: without a rate, every packet
 * held; with one, those not yet wholly on the wire, as in a router. */
size_t impair_backlog(const struct impair *e)
{
        if (e->cfg.rate_bps == 0)
                return e->queued;
        usec_t now = loop_now(e->loop);
        size_t n = 0;
        for (const struct pkb *p = e->head; p != NULL; p = p->next)
                n += p->sent + (usec_t)p->len * 8 * USEC_PER_SEC / e->cfg.rate_bps > now;
        return n;
}

static void impair_lose(struct impair *e, struct pkb *p)
{
        if (e->tap != NULL)
                e->tap(e->tap_arg, p, p->sent, 0, true);
        pkb_free(p);
}

void impair_submit(struct impair *e, struct pkb *p)
{
        e->stats.offered++;
        p->sent = loop_now(e->loop);
        if (e->cfg.mtu > 0 && p->len > e->cfg.mtu) {
                impair_too_big(e, p);
                return;
        }
        if (e->cfg.cut_for > 0 && p->sent >= e->cfg.cut_at &&
            p->sent - e->cfg.cut_at < e->cfg.cut_for) {
                e->stats.cut++;
                impair_lose(e, p);
                return;
        }
        if (e->cfg.loss > 0 && rng_chance(&e->rng, e->cfg.loss)) {
                e->stats.lost++;
                impair_lose(e, p);
                return;
        }
        if (((e->cfg.mark_above > 0 && impair_backlog(e) >= e->cfg.mark_above) ||
             (e->cfg.ce > 0 && rng_chance(&e->rng, e->cfg.ce))) && impair_mark_ce(p))
                e->stats.marked++;
        if (impair_backlog(e) >= e->cfg.queue_limit) {
                e->stats.queue_drops++;
                impair_lose(e, p);
                return;
        }
        struct pkb *copy = NULL;
        if (e->cfg.dup > 0 && rng_chance(&e->rng, e->cfg.dup))
                copy = pkb_clone(p);
        impair_one(e, p);
        if (copy != NULL && impair_backlog(e) < e->cfg.queue_limit) {
                e->stats.duplicated++;
                copy->sent = p->sent;
                impair_one(e, copy);
        } else {
                pkb_free(copy);
        }
}
static void impair_frag_needed(struct impair *e, const struct pkb *p)
{
        size_t hl = (size_t)(p->data[0] & 0x0f) * 4, quoted = hl + 8;
        struct pkb *r = pkb_alloc();
        uint8_t *ip = r != NULL ? pkb_put(r, IP_HDR_MIN + ICMP_HDR_LEN + quoted) : NULL;
        if (ip == NULL) {
                pkb_free(r);
                return;
        }
        uint8_t *m = ip + IP_HDR_MIN;
        memset(ip, 0, IP_HDR_MIN + ICMP_HDR_LEN);
        m[0] = ICMP_DEST_UNREACH;
        m[1] = ICMP_FRAG_NEEDED;
        m[6] = (uint8_t)(e->cfg.mtu >> 8);             /* RFC 1191 §4: next-hop MTU */
        m[7] = (uint8_t)e->cfg.mtu;
        memcpy(m + ICMP_HDR_LEN, p->data, quoted);
        uint16_t c = inet_checksum(m, ICMP_HDR_LEN + quoted);
        m[2] = (uint8_t)(c >> 8);
        m[3] = (uint8_t)c;
        uint32_t to = ip_get(p->data, IP_SRC);
        ip_set(ip, IP_VERSION, 4);
        ip_set(ip, IP_IHL, IP_HDR_MIN / 4);
        ip_set(ip, IP_TOTAL_LENGTH, (uint32_t)r->len);
        ip_set(ip, IP_TTL, 64);
        ip_set(ip, IP_PROTOCOL, IPPROTO_ICMP_);
        ip_set(ip, IP_SRC, (to & 0xffffff00u) | 254);  /* the router */
        ip_set(ip, IP_DST, to);
        ip_set(ip, IP_CHECKSUM, inet_checksum(ip, IP_HDR_MIN));
        e->too_big_told++;
        impair_submit(e->back, r);
}

static void impair_too_big(struct impair *e, struct pkb *p)
{
        e->too_big++;
        if (!e->cfg.mtu_silent && e->back != NULL && p->len >= IP_HDR_MIN &&
            p->data[0] >> 4 == 4 && p->len >= (size_t)(p->data[0] & 0x0f) * 4 + 8)
                impair_frag_needed(e, p);
        impair_lose(e, p);
}
bool impair_mark_ce(struct pkb *p)
{
        uint8_t *ip = p->data;
        if (p->len < 20 || ip[0] >> 4 != 4 || (ip[1] & 3) == 0)
                return false;                      /* not IPv4, or Not-ECT */
        uint16_t old = (uint16_t)(ip[0] << 8 | ip[1]);
        ip[1] |= 3;                                /* CE */
        uint16_t new = (uint16_t)(ip[0] << 8 | ip[1]);
        uint32_t sum = (uint16_t)~(ip[10] << 8 | ip[11]);
        sum += (uint16_t)~old;
        sum += new;
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        ip[10] = (uint8_t)(~sum >> 8);
        ip[11] = (uint8_t)~sum;
        return true;
}
static void impair_timer_fired(struct timer *t, void *arg)
{
        (void)t;
        struct impair *e = arg;
        usec_t now = loop_now(e->loop);
        while (e->head != NULL && e->head->release <= now) {
                struct pkb *p = e->head;
                e->head = p->next;
                if (e->head == NULL)
                        e->tail = NULL;
                e->queued--;
                p->next = NULL;
                e->stats.delivered++;
                if (e->tap != NULL)
                        e->tap(e->tap_arg, p, p->sent, now, false);
                e->out(p, e->out_arg);
        }
        if (e->head != NULL)
                timer_arm(e->loop, &e->timer, e->head->release);
}
static bool parse_number(const char *s, double *v, const char **rest)
{
        char *end;
        errno = 0;
        *v = strtod(s, &end);
        if (end == s || errno != 0 || *v < 0 || *v != *v)
                return false;
        *rest = end;
        return true;
}

static bool parse_prob(const char *s, double *out)
{
        double v;
        const char *unit;
        if (!parse_number(s, &v, &unit))
                return false;
        if (strcmp(unit, "%") == 0)
                v /= 100;
        else if (*unit != '\0')
                return false;
        if (v > 1)
                return false;
        *out = v;
        return true;
}

static bool parse_time(const char *s, usec_t *out)
{
        double v;
        const char *unit;
        if (!parse_number(s, &v, &unit))
                return false;
        double scale;
        if (strcmp(unit, "us") == 0)
                scale = 1;
        else if (strcmp(unit, "ms") == 0 || *unit == '\0')
                scale = 1e3;
        else if (strcmp(unit, "s") == 0)
                scale = 1e6;
        else
                return false;
        if (v * scale > 3600e6)
                return false;
        *out = (usec_t)(v * scale + 0.5);
        return true;
}

static bool parse_rate(const char *s, uint64_t *out)
{
        double v;
        const char *unit;
        if (!parse_number(s, &v, &unit))
                return false;
        double scale;
        if (strcmp(unit, "bps") == 0 || *unit == '\0')
                scale = 1;
        else if (strcmp(unit, "kbps") == 0)
                scale = 1e3;
        else if (strcmp(unit, "mbps") == 0)
                scale = 1e6;
        else if (strcmp(unit, "gbps") == 0)
                scale = 1e9;
        else
                return false;
        if (v * scale < 1 || v * scale > 1e12)
                return false;
        *out = (uint64_t)(v * scale);
        return true;
}
enum impair_kind {
        IMP_PROB, IMP_TIME, IMP_RATE, IMP_QUEUE, IMP_SEED,
        IMP_MTU,
};

static const struct {
        const char *key;
        enum impair_kind kind;
} impair_keys[] = {
        { "loss", IMP_PROB }, { "dup", IMP_PROB }, { "corrupt", IMP_PROB },
        { "reorder", IMP_PROB }, { "delay", IMP_TIME }, { "gap", IMP_TIME },
        { "rate", IMP_RATE }, { "queue", IMP_QUEUE }, { "cut", IMP_TIME },
        { "cutat", IMP_TIME }, { "seed", IMP_SEED },
        { "mtu", IMP_MTU }, { "blackhole", IMP_MTU },
        { "mark", IMP_QUEUE }, { "ce", IMP_PROB },
};

void impair_print_forms(FILE *f, int indent)
{
        static const char *const forms[] = {
                "loss, dup, corrupt, reorder: a probability, 5% or 0.05",
                "delay, gap, cut, cutat: 5ms, 250us or 2s; ms if no unit",
                "rate: bits per second, 10mbps, 500kbps or 1gbps",
                "queue: the most packets held at once, 100",
                "seed: a whole number, 7",
                "mtu, blackhole: the path's MTU in bytes, 1280 (blackhole: without ICMP)",
                "mark: mark ECT packets CE from this many queued, 20",
                "ce: the chance of marking an ECT packet CE, 5% or 0.05",
        };
        for (size_t i = 0; i < ARRAY_LEN(forms); i++)
                fprintf(f, "%*s%s\n", indent, "", forms[i]);
}

static void impair_explain(const char *key, const char *val, enum impair_kind kind,
                           char *err, size_t errlen)
{
        const char *k = key;
        switch (kind) {
        case IMP_PROB:
                snprintf(err, errlen, "%s=%s: %s is a probability, from 0%% to 100%%: "
                         "%s=5%% or %s=0.05", k, val, k, k, k);
                break;
        case IMP_TIME:
                snprintf(err, errlen, "%s=%s: %s is a time, at most an hour: %s=5ms, "
                         "%s=250us or %s=2s (ms if no unit)", k, val, k, k, k, k);
                break;
        case IMP_RATE:
                snprintf(err, errlen, "%s=%s: %s is in bits per second, from 1bps to "
                         "1000gbps: %s=10mbps, %s=500kbps or %s=1gbps", k, val, k, k, k, k);
                break;
        case IMP_QUEUE:
                snprintf(err, errlen, "%s=%s: %s is a number of packets, from 1 to "
                         "1000000: %s=100", k, val, k, k);
                break;
        case IMP_SEED:
                snprintf(err, errlen, "%s=%s: %s is a whole number: %s=7", k, val, k, k);
                break;
        case IMP_MTU:
                snprintf(err, errlen, "%s=%s: %s is a packet size in bytes, from 68 to 65535: "
                         "%s=1280", k, val, k, k);
                break;
        }
}
static bool impair_set(struct impair_cfg *cfg, const char *key, const char *val)
{
        if (strcmp(key, "mtu") == 0 || strcmp(key, "blackhole") == 0) {
                double v;
                const char *rest;
                if (!parse_number(val, &v, &rest) || *rest != '\0' || v < 68 || v > 65535 ||
                    v != (double)(unsigned)v)
                        return false;
                cfg->mtu = (unsigned)v;
                cfg->mtu_silent = key[0] == 'b';
                return true;
        }
        if (strcmp(key, "ce") == 0)
                return parse_prob(val, &cfg->ce);
        if (strcmp(key, "mark") == 0) {
                double v;
                const char *rest;
                if (!parse_number(val, &v, &rest) || *rest != '\0' || v < 1 || v > 1e6 ||
                    v != (double)(size_t)v)
                        return false;
                cfg->mark_above = (size_t)v;
                return true;
        }
        if (strcmp(key, "loss") == 0)
                return parse_prob(val, &cfg->loss);
        if (strcmp(key, "dup") == 0)
                return parse_prob(val, &cfg->dup);
        if (strcmp(key, "corrupt") == 0)
                return parse_prob(val, &cfg->corrupt);
        if (strcmp(key, "reorder") == 0)
                return parse_prob(val, &cfg->reorder);
        if (strcmp(key, "delay") == 0)
                return parse_time(val, &cfg->delay);
        if (strcmp(key, "gap") == 0)
                return parse_time(val, &cfg->reorder_gap);
        if (strcmp(key, "rate") == 0)
                return parse_rate(val, &cfg->rate_bps);
        if (strcmp(key, "cut") == 0)
                return parse_time(val, &cfg->cut_for);
        if (strcmp(key, "cutat") == 0)
                return parse_time(val, &cfg->cut_at);
        if (strcmp(key, "queue") == 0) {
                double v;
                const char *rest;
                if (!parse_number(val, &v, &rest) || *rest != '\0' || v < 1 || v > 1e6 ||
                    v != (double)(size_t)v)
                        return false;
                cfg->queue_limit = (size_t)v;
                return true;
        }
        char *end;                           /* the seed */
        errno = 0;
        unsigned long long v = strtoull(val, &end, 0);
        if (*val == '\0' || *val == '-' || *end != '\0' || errno != 0)
                return false;
        cfg->seed = v;
        return true;
}
int impair_parse(struct impair_cfg *cfg, const char *spec,
                 char *err, size_t errlen)
{
        if (*spec == '\0') {
                snprintf(err, errlen, "an empty impairment: write KEY=VALUE,..., "
                         "e.g. loss=5%%,delay=5ms");
                return -1;
        }
        unsigned given = 0;
        const char *s = spec;
        for (;;) {
                char item[64];
                size_t n = strcspn(s, ",");
                if (n == 0) {
                        snprintf(err, errlen, "'%s': an empty item (two commas, or one at "
                                 "an end)", spec);
                        return -1;
                }
                if (n >= sizeof item) {
                        snprintf(err, errlen,
                                 "'%.20s...': an item too long to be KEY=VALUE", s);
                        return -1;
                }
                memcpy(item, s, n);
                item[n] = '\0';
                char *val = strchr(item, '=');
                if (val == NULL) {
                        snprintf(err, errlen,
                                 "'%s': expected KEY=VALUE, e.g. loss=5%%", item);
                        return -1;
                }
                *val++ = '\0';
                size_t k = 0;
                while (k < ARRAY_LEN(impair_keys) && strcmp(item, impair_keys[k].key) != 0)
                        k++;
                if (k == ARRAY_LEN(impair_keys)) {
                        snprintf(err, errlen, "%s=%s: unknown impairment '%s' (known:",
                                 item, val, item);
                        for (size_t i = 0; i < ARRAY_LEN(impair_keys); i++)
                                snprintf(err + strlen(err), errlen - strlen(err), " %s%s",
                                         impair_keys[i].key,
                                         i + 1 < ARRAY_LEN(impair_keys) ? "," : ")");
                        return -1;
                }
                if (given & (1u << k)) {
                        snprintf(err, errlen, "%s=%s: %s is given twice", item, val, item);
                        return -1;
                }
                given |= 1u << k;
                if (!impair_set(cfg, item, val)) {
                        impair_explain(item, val, impair_keys[k].kind, err, errlen);
                        return -1;
                }
                s += n;
                if (*s == '\0')
                        return 0;
                s++;                             /* past the comma */
        }
}
struct impair_dev {
        struct netdev dev;
        struct netdev *inner;
        struct impair outbound, inbound;
};

static void impair_dev_send(struct netdev *dev, struct pkb *p)
{
        struct impair_dev *d = (struct impair_dev *)dev;
        impair_submit(&d->outbound, p);
}

static void impair_to_inner(struct pkb *p, void *arg)
{
        struct impair_dev *d = arg;
        netdev_send(d->inner, p);
}

static void impair_from_inner(struct netdev *inner, struct pkb *p, void *arg)
{
        (void)inner;
        struct impair_dev *d = arg;
        impair_submit(&d->inbound, p);
}

static void impair_to_stack(struct pkb *p, void *arg)
{
        struct impair_dev *d = arg;
        netdev_deliver(&d->dev, p);
}

static void impair_dev_destroy(struct netdev *dev)
{
        struct impair_dev *d = (struct impair_dev *)dev;
        impair_discard(&d->outbound);
        impair_discard(&d->inbound);
        netdev_destroy(d->inner);
        free(d);
}

static const struct netdev_ops impair_dev_ops = { impair_dev_send, impair_dev_destroy };
struct netdev *impair_wrap(struct netdev *inner, const struct impair_cfg *cfg)
{
        struct impair_dev *d = xcalloc(1, sizeof *d);
        netdev_init(&d->dev, &impair_dev_ops, inner->loop, inner->name, inner->mtu);
        d->inner = inner;
        d->dev.under = inner;        /* but none of its offloads: see above */
        struct impair_cfg in = *cfg;
        in.seed = cfg->seed ^ 0x5bd1e995a5a5a5a5ULL;
        impair_init(&d->outbound, inner->loop, cfg, impair_to_inner, d);
        impair_init(&d->inbound, inner->loop, &in, impair_to_stack, d);
        d->outbound.back = &d->inbound;
        d->inbound.back = &d->outbound;
        netdev_set_rx(inner, impair_from_inner, d);
        return &d->dev;
}

const struct impair_stats *impair_wrap_stats(const struct netdev *dev, bool inbound)
{
        const struct impair_dev *d = (const struct impair_dev *)dev;
        return inbound ? &d->inbound.stats : &d->outbound.stats;
}
