/* Tangled from chapters/01-wire.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "pcap.h"
#include <errno.h>

static void put32(FILE *f, uint32_t v) { fwrite(&v, 4, 1, f); }
static void put16(FILE *f, uint16_t v) { fwrite(&v, 2, 1, f); }

int pcap_open(struct pcap_writer *w, const char *path, char *err, size_t errlen)
{
        w->records = 0;
        w->f = fopen(path, "wb");
        if (w->f == NULL) {
                snprintf(err, errlen, "cannot write capture %s: %s", path, strerror(errno));
                return -1;
        }
        put32(w->f, PCAP_MAGIC);
        put16(w->f, 2);
        put16(w->f, 4);
        put32(w->f, 0);              /* time zone offset: UTC */
        put32(w->f, 0);              /* timestamp accuracy: unused */
        put32(w->f, PCAP_SNAPLEN);
        put32(w->f, PCAP_LINKTYPE_RAW);
        return 0;
}

void pcap_write(struct pcap_writer *w, usec_t when, const uint8_t *data, size_t len)
{
        if (w->f == NULL)
                return;
        put32(w->f, (uint32_t)(when / USEC_PER_SEC));
        put32(w->f, (uint32_t)(when % USEC_PER_SEC));
        put32(w->f, (uint32_t)len);
        put32(w->f, (uint32_t)len);
        fwrite(data, 1, len, w->f);
        w->records++;
}

int pcap_close(struct pcap_writer *w)
{
        if (w->f == NULL)
                return 0;
        bool bad = ferror(w->f) != 0;
        bad = fclose(w->f) != 0 || bad;
        w->f = NULL;
        return bad ? -1 : 0;
}

int pcap_read_open(struct pcap_reader *r, const char *path, char *err, size_t errlen)
{
        uint32_t hdr[6];
        r->f = fopen(path, "rb");
        if (r->f == NULL) {
                snprintf(err, errlen, "cannot read capture %s: %s", path, strerror(errno));
                return -1;
        }
        if (fread(hdr, 4, 6, r->f) != 6 ||
            (hdr[0] != PCAP_MAGIC && hdr[0] != __builtin_bswap32(PCAP_MAGIC))) {
                snprintf(err, errlen, "%s is not a pcap file", path);
                fclose(r->f);
                r->f = NULL;
                return -1;
        }
        r->swapped = hdr[0] != PCAP_MAGIC;
        r->linktype = r->swapped ? __builtin_bswap32(hdr[5]) : hdr[5];
        return 0;
}

int pcap_read_next(struct pcap_reader *r, usec_t *when, uint8_t *buf,
                   size_t cap, size_t *len)
{
        uint32_t h[4];
        size_t got = fread(h, 1, sizeof h, r->f);
        if (got == 0 && feof(r->f))
                return 0;                    /* a clean end */
        if (got != sizeof h)
                return -1;                   /* a record header cut short */
        for (int i = 0; r->swapped && i < 4; i++)
                h[i] = __builtin_bswap32(h[i]);
        uint32_t sec = h[0], usec = h[1], incl = h[2];
        if (incl > cap || fread(buf, 1, incl, r->f) != incl)
                return -1;
        *when = (usec_t)sec * USEC_PER_SEC + usec;
        *len = incl;
        return 1;
}

void pcap_read_close(struct pcap_reader *r)
{
        if (r->f != NULL)
                fclose(r->f);
        r->f = NULL;
}
struct pcap_dev {
        struct netdev dev;
        struct netdev *inner;
        struct pcap_writer w;
        char path[256];
};

unsigned pcap_write_failures;

static void pcap_dev_send(struct netdev *dev, struct pkb *p)
{
        struct pcap_dev *d = (struct pcap_dev *)dev;
        loop_refresh(dev->loop);
        pcap_write(&d->w, loop_wallclock(dev->loop), p->data, p->len);
        netdev_send(d->inner, p);
}

static void pcap_from_inner(struct netdev *inner, struct pkb *p, void *arg)
{
        (void)inner;
        struct pcap_dev *d = arg;
        loop_refresh(d->dev.loop);
        pcap_write(&d->w, loop_wallclock(d->dev.loop), p->data, p->len);
        netdev_deliver(&d->dev, p);
}

static void pcap_dev_destroy(struct netdev *dev)
{
        struct pcap_dev *d = (struct pcap_dev *)dev;
        if (pcap_close(&d->w) < 0) {
                fprintf(stderr, "pcap: writing %s failed\n", d->path);
                pcap_write_failures++;
        }
        netdev_destroy(d->inner);
        free(d);
}

static const struct netdev_ops pcap_dev_ops = { pcap_dev_send, pcap_dev_destroy };

struct netdev *pcap_wrap(struct netdev *inner, const char *path,
                         char *err, size_t errlen)
{
        struct pcap_dev *d = xcalloc(1, sizeof *d);
        if (pcap_open(&d->w, path, err, errlen) < 0) {
                free(d);
                return NULL;
        }
        netdev_init(&d->dev, &pcap_dev_ops, inner->loop, inner->name, inner->mtu);
        d->inner = inner;
        d->dev.under = inner;
        d->dev.gso_max = inner->gso_max;
        d->dev.csum_offload = inner->csum_offload;
        snprintf(d->path, sizeof d->path, "%s", path);
        netdev_set_rx(inner, pcap_from_inner, d);
        return &d->dev;
}
