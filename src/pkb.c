/* Tangled from chapters/01-wire.nw, chapters/11-odds.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "pkb.h"

struct pkb_stats pkb_stats;
static size_t pkb_limit = 16384;
static struct pkb *pkb_kept_list[2];        /* freed buffers, handed out first: */
static size_t pkb_kept[2], pkb_keep_max;    /* [0] of PKB_DATA_MAX, [1] of PKB_DATA_WIDE */

static int pkb_kind(size_t data_max)
{
        return data_max == PKB_DATA_MAX ? 0 : data_max == PKB_DATA_WIDE ? 1 : -1;
}

static size_t pkb_kept_bound(int kind)
{
        return kind == 0 ? pkb_keep_max : pkb_keep_max / 16;   /* 256: 16 of 64 KiB */
}

void pkb_set_keep(size_t n)
{
        pkb_keep_max = n;
        for (int k = 0; k < 2; k++)
                while (pkb_kept[k] > pkb_kept_bound(k)) {   /* give back what is over */
                        struct pkb *p = pkb_kept_list[k];
                        pkb_kept_list[k] = p->next;
                        pkb_kept[k]--;
                        free(p);
                }
}

size_t pkb_kept_now(void)
{
        return pkb_kept[0] + pkb_kept[1];
}

void pkb_set_limit(size_t limit)
{
        pkb_limit = limit;
}

struct pkb *pkb_alloc(void)
{
        return pkb_alloc_data(PKB_DATA_MAX);
}

struct pkb *pkb_alloc_data(size_t data_max)
{
        if (pkb_stats.live >= pkb_limit) {
                pkb_stats.refused++;
                return NULL;
        }
        struct pkb *p = NULL;
        int kind = pkb_kind(data_max);
        if (kind >= 0 && pkb_kept_list[kind] != NULL) {
                p = pkb_kept_list[kind];
                pkb_kept_list[kind] = p->next;
                pkb_kept[kind]--;
                pkb_stats.reused++;
        }
        if (p == NULL)
                p = malloc(sizeof *p + PKB_HEADROOM + data_max);
        if (p == NULL)
                oom();
        p->size = PKB_HEADROOM + data_max;
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
        struct pkb *c = pkb_alloc_data(p->size - PKB_HEADROOM);
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
        int kind = pkb_kind(p->size - PKB_HEADROOM);
        if (kind >= 0 && pkb_kept[kind] < pkb_kept_bound(kind)) {
                p->next = pkb_kept_list[kind];
                pkb_kept_list[kind] = p;
                pkb_kept[kind]++;
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
        if (n > (size_t)(p->buf + p->size - end))
                return NULL;
        p->len += n;
        return end;
}
