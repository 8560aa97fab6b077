/* Tangled from chapters/01-wire.nw, chapters/11-odds.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "pkb.h"

struct pkb_stats pkb_stats;
static size_t pkb_limit = 16384;
static struct pkb *pkb_kept_list;           /* freed buffers, handed out first */
static size_t pkb_kept, pkb_keep_max;

void pkb_set_keep(size_t n)
{
        pkb_keep_max = n;
        while (pkb_kept > n) {                 /* give back what the new bound leaves over */
                struct pkb *p = pkb_kept_list;
                pkb_kept_list = p->next;
                pkb_kept--;
                free(p);
        }
}

size_t pkb_kept_now(void)
{
        return pkb_kept;
}

void pkb_set_limit(size_t limit)
{
        pkb_limit = limit;
}

struct pkb *pkb_alloc(void)
{
        if (pkb_stats.live >= pkb_limit) {
                pkb_stats.refused++;
                return NULL;
        }
        struct pkb *p = NULL;
        if (pkb_kept_list != NULL) {
                p = pkb_kept_list;
                pkb_kept_list = p->next;
                pkb_kept--;
                pkb_stats.reused++;
        }
        if (p == NULL)
                p = malloc(sizeof *p);
        if (p == NULL)
                oom();
        p->data = p->buf + PKB_HEADROOM;
        p->len = 0;
        p->next = NULL;
        p->release = 0;
        p->sent = 0;
        p->order = 0;
        p->ecn = 0;
        p->csum_trusted = false;
        p->csum_partial = false;
        pkb_stats.allocs++;
        pkb_stats.live++;
        pkb_stats.peak = MAX(pkb_stats.peak, pkb_stats.live);
        return p;
}

struct pkb *pkb_from(const void *bytes, size_t len)
{
        if (len > PKB_DATA_MAX)
                return NULL;
        struct pkb *p = pkb_alloc();
        if (p == NULL)
                return NULL;
        memcpy(p->data, bytes, len);
        p->len = len;
        return p;
}

struct pkb *pkb_clone(const struct pkb *p)
{
        struct pkb *c = pkb_alloc();
        if (c == NULL)
                return NULL;
        c->data = c->buf + (p->data - p->buf);
        memcpy(c->data, p->data, p->len);
        c->len = p->len;
        return c;
}

void pkb_free(struct pkb *p)
{
        if (p == NULL)
                return;
        pkb_stats.live--;
        if (pkb_kept < pkb_keep_max) {
                p->next = pkb_kept_list;
                pkb_kept_list = p;
                pkb_kept++;
                return;
        }
        free(p);
}

size_t pkb_live(void)
{
        return pkb_stats.live;
}
uint8_t *pkb_push(struct pkb *p, size_t n)
{
        if ((size_t)(p->data - p->buf) < n)
                return NULL;
        p->data -= n;
        p->len += n;
        return p->data;
}

bool pkb_pull(struct pkb *p, size_t n)
{
        if (n > p->len)
                return false;
        p->data += n;
        p->len -= n;
        return true;
}

uint8_t *pkb_put(struct pkb *p, size_t n)
{
        uint8_t *end = p->data + p->len;
        if (n > (size_t)(p->buf + sizeof p->buf - end))
                return NULL;
        p->len += n;
        return end;
}
