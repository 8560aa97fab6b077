/* Tangled from chapters/01-wire.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "tun.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct tun {
        struct netdev dev;
        int fd;
        bool vnet;                  /* every packet begins with a struct virtio_net_hdr */
        bool trust_csum;            /* take the header's NEEDS_CSUM and DATA_VALID on trust */
        uint8_t *rbuf;              /* a whole packet read at once, header first */
        uint8_t *tbuf;              /* the header and the packet being glued */
        struct gso_glue glue;
        bool glue_partial;          /* the first glued segment's checksum is partial */
};

static void tun_explain(int e, bool opening, const char *clone, const char *name,
                        char *err, size_t errlen)
{
        const char *why = strerror(e);
        if (opening && (e == ENOENT || e == ENXIO || e == ENODEV))
                snprintf(err, errlen, "cannot open %s: %s. The TUN/TAP clone device is "
                         "missing or has no driver: load the module with 'modprobe tun', "
                         "or give the container the device (docker run --device "
                         "/dev/net/tun)", clone, why);
        else if (opening && (e == EACCES || e == EPERM))
                snprintf(err, errlen, "cannot open %s: %s. Run as root (sudo), or let "
                         "this user read and write it (ls -l %s)", clone, why, clone);
        else if (opening)
                snprintf(err, errlen, "cannot open %s: %s", clone, why);
        else if (e == EPERM || e == EACCES)
                snprintf(err, errlen, "TUNSETIFF for %s: %s. Creating a TUN device needs "
                         "CAP_NET_ADMIN: run as root (sudo) or grant the capability "
                         "(sudo setcap cap_net_admin+ep build/bin/tcpstack)", name, why);
        else if (e == ENOTTY)
                snprintf(err, errlen, "TUNSETIFF for %s: %s. %s is not the TUN/TAP clone "
                         "device (ls -l shows the real one as a character device 10, "
                         "200); is the tun module loaded?", name, why, clone);
        else if (e == EINVAL)
                snprintf(err, errlen, "TUNSETIFF for %s: %s. Either %s is an interface "
                         "that is not a TUN device (ip -d link show %s), or %s is not the "
                         "TUN/TAP clone device", name, why, name, name, clone);
        else if (e == EBUSY)
                snprintf(err, errlen, "TUNSETIFF for %s: %s. Another program holds %s "
                         "(another tcpstack?)", name, why, name);
        else
                snprintf(err, errlen, "TUNSETIFF for %s: %s", name, why);
}
#include "checksum.h"
#include <linux/virtio_net.h>
#include <sys/uio.h>
#define TUN_VNET_LEN sizeof(struct virtio_net_hdr)
#define TUN_PKT_MAX 65535u

static enum tun_offload tun_offload_how = TUN_OFFLOAD_OFF;

void tun_set_offload(enum tun_offload how)
{
        tun_offload_how = how;
}

static void tun_flush(struct netdev *dev);

static void tun_turn_end(void *arg)
{
        tun_flush(arg);
}

static void tun_negotiate(struct tun *t)
{
        int size = (int)TUN_VNET_LEN;
        t->vnet = true;
        t->rbuf = xcalloc(1, TUN_VNET_LEN + TUN_PKT_MAX);
        t->tbuf = xcalloc(1, TUN_VNET_LEN + TUN_PKT_MAX);
        t->glue.buf = t->tbuf + TUN_VNET_LEN;
        const char *why = NULL;
        if (tun_offload_how == TUN_OFFLOAD_REFUSED)
                why = "refused on request (--offload-refused)";
        else if (ioctl(t->fd, TUNSETVNETHDRSZ, &size) < 0 ||
                 ioctl(t->fd, TUNSETOFFLOAD, (unsigned long)(TUN_F_CSUM | TUN_F_TSO4)) < 0)
                why = strerror(errno);
        else if (loop_at_turn_end(t->dev.loop, tun_turn_end, &t->dev) < 0)
                why = "no room in the loop for one more flush";
        if (why != NULL) {
                fprintf(stderr, "tcpstack: %s: no offloads (%s); each segment is written "
                        "on its own\n", t->dev.name, why);
                ioctl(t->fd, TUNSETOFFLOAD, 0ul);
                return;
        }
        t->dev.gso_max = TUN_PKT_MAX;
        t->trust_csum = true;
}
static void tun_flush(struct netdev *dev)
{
        struct tun *t = (struct tun *)dev;
        if (t->glue.nseg == 0)
                return;
        size_t nseg = t->glue.nseg, seg = t->glue.seg, hlen = t->glue.hlen;
        size_t len = gso_glue_finish(&t->glue);
        struct virtio_net_hdr h;
        memset(&h, 0, sizeof h);
        if (nseg == 1 && t->glue_partial) {
                h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
                h.csum_start = 20;
                h.csum_offset = 16;
        }
        if (nseg > 1) {
                h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
                h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
                h.hdr_len = (uint16_t)hlen;
                h.gso_size = (uint16_t)seg;
                h.csum_start = 20;
                h.csum_offset = 16;                 /* the TCP checksum field */
                dev->offload.tso_writes++;
                dev->offload.tso_segs += nseg;
        }
        memcpy(t->tbuf, &h, sizeof h);
        if (write(t->fd, t->tbuf, TUN_VNET_LEN + len) != (ssize_t)(TUN_VNET_LEN + len))
                dev->stats.tx_dropped++;
}

static void tun_send_vnet(struct tun *t, struct pkb *p)
{
        if (t->dev.gso_max > 0) {
                bool first = t->glue.nseg == 0;
                if (gso_glue_add(&t->glue, p->data, p->len, t->dev.gso_max)) {
                        if (first)
                                t->glue_partial = p->csum_partial;
                        pkb_free(p);
                        return;
                }
                tun_flush(&t->dev);             /* what is held goes first */
                if (gso_glue_add(&t->glue, p->data, p->len, t->dev.gso_max)) {
                        t->glue_partial = p->csum_partial;
                        pkb_free(p);
                        return;
                }
        }
        struct virtio_net_hdr h;
        memset(&h, 0, sizeof h);                /* a whole packet */
        if (p->csum_partial) {
                h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;   /* but for its TCP checksum */
                h.csum_start = 20;
                h.csum_offset = 16;
        }
        struct iovec iov[2] = { { &h, sizeof h }, { p->data, p->len } };
        if (writev(t->fd, iov, 2) != (ssize_t)(sizeof h + p->len))
                t->dev.stats.tx_dropped++;
        pkb_free(p);
}
static void tun_deliver_segment(struct pkb *p, void *arg)
{
        netdev_deliver(arg, p);
}

static bool tun_read_vnet(struct tun *t)
{
        ssize_t n = read(t->fd, t->rbuf, TUN_VNET_LEN + TUN_PKT_MAX);
        if (n <= 0)
                return false;
        loop_refresh(t->dev.loop);
        struct virtio_net_hdr h;
        if ((size_t)n <= TUN_VNET_LEN) {
                t->dev.stats.rx_dropped++;
                return true;
        }
        memcpy(&h, t->rbuf, sizeof h);
        uint8_t *pkt = t->rbuf + TUN_VNET_LEN;
        size_t len = (size_t)n - TUN_VNET_LEN;
        uint8_t gso = h.gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;
        bool trusted = (h.flags & (VIRTIO_NET_HDR_F_NEEDS_CSUM |
                                   VIRTIO_NET_HDR_F_DATA_VALID)) &&
                       t->trust_csum;
        if (trusted)
                t->dev.offload.csum_trusted++;
        if (gso == VIRTIO_NET_HDR_GSO_TCPV4) {
                size_t k = gso_split(pkt, len, h.gso_size, !trusted,
                                     tun_deliver_segment, &t->dev);
                if (k == 0) {
                        t->dev.stats.rx_dropped++;
                } else {
                        t->dev.offload.gso_reads++;
                        t->dev.offload.gso_segs += k;
                }
                return true;
        }
        if (gso != VIRTIO_NET_HDR_GSO_NONE || len > t->dev.mtu) {
                t->dev.stats.rx_dropped++;      /* UDP, IPv6: nothing we asked for */
                return true;
        }
        if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) && !trusted) {
                size_t at = (size_t)h.csum_start + h.csum_offset;
                if (at + 2 > len || h.csum_start > len) {
                        t->dev.stats.rx_dropped++;
                        return true;
                }
                /* the field holds the pseudo-header's sum: add the rest */
                uint16_t c = csum_fold(csum_add(0, pkt + h.csum_start, len - h.csum_start));
                pkt[at] = (uint8_t)(c >> 8);
                pkt[at + 1] = (uint8_t)c;
        }
        struct pkb *p = pkb_from(pkt, len);
        if (p == NULL) {
                t->dev.stats.rx_dropped++;
                return true;
        }
        p->csum_trusted = trusted;
        netdev_deliver(&t->dev, p);
        return true;
}
static void tun_readable(int fd, void *arg)
{
        struct tun *t = arg;
        for (int i = 0; i < 64; i++) {
                if (t->vnet) {
                        if (!tun_read_vnet(t))
                                return;                         /* EAGAIN: drained */
                        continue;
                }
                struct pkb *p = pkb_alloc();
                if (p == NULL) {
                        uint8_t scratch[PKB_DATA_MAX];
                        if (read(fd, scratch, sizeof scratch) < 0)
                                return;
                        t->dev.stats.rx_dropped++;
                        continue;
                }
                ssize_t n = read(fd, p->data, PKB_DATA_MAX);
                if (n <= 0) {
                        pkb_free(p);
                        return;   /* EAGAIN: drained */
                }
                if ((size_t)n > t->dev.mtu) {
                        t->dev.stats.rx_dropped++;
                        pkb_free(p);
                        continue;
                }
                p->len = (size_t)n;
                loop_refresh(t->dev.loop);   /* its own arrival time */
                netdev_deliver(&t->dev, p);
        }
}

static void tun_send(struct netdev *dev, struct pkb *p)
{
        struct tun *t = (struct tun *)dev;
        if (t->vnet) {
                tun_send_vnet(t, p);
                return;
        }
        if (write(t->fd, p->data, p->len) != (ssize_t)p->len)
                dev->stats.tx_dropped++;
        pkb_free(p);
}

static void tun_destroy(struct netdev *dev)
{
        struct tun *t = (struct tun *)dev;
        loop_remove_fd(dev->loop, t->fd);
        if (t->vnet) {
                tun_flush(dev);
                if (dev->gso_max > 0)
                        loop_forget_turn_end(dev->loop, tun_turn_end, dev);
                free(t->rbuf);
                free(t->tbuf);
        }
        close(t->fd);
        free(t);
}
static const struct netdev_ops tun_ops = { tun_send, tun_destroy };

bool tun_name_valid(const char *name)
{
        size_t n = strlen(name);
        return n > 0 && n < IFNAMSIZ && strcmp(name, ".") != 0 &&
               strcmp(name, "..") != 0 && strpbrk(name, "/: \t\n\v\f\r") == NULL;
}

struct netdev *tun_open(struct loop *loop, const char *name,
                        char *err, size_t errlen)
{
        return tun_open_at(loop, TUN_CLONE, name, err, errlen);
}

struct netdev *tun_open_at(struct loop *loop, const char *clone, const char *name,
                           char *err, size_t errlen)
{
        if (!tun_name_valid(name)) {
                snprintf(err, errlen, "'%s' is not an interface name: 1 to %d characters "
                         "without '/', ':' or spaces", name, IFNAMSIZ - 1);
                return NULL;
        }
        int fd = open(clone, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
                tun_explain(errno, true, clone, name, err, errlen);
                return NULL;
        }
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
        if (tun_offload_how != TUN_OFFLOAD_OFF)
                ifr.ifr_flags |= IFF_VNET_HDR;
        memcpy(ifr.ifr_name, name, strlen(name));
        if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
                tun_explain(errno, false, clone, name, err, errlen);
                close(fd);
                return NULL;
        }
        struct tun *t = xcalloc(1, sizeof *t);
        netdev_init(&t->dev, &tun_ops, loop, ifr.ifr_name, 1500);
        t->fd = fd;
        if (tun_offload_how != TUN_OFFLOAD_OFF)
                tun_negotiate(t);
        if (loop_add_fd(loop, fd, tun_readable, t) < 0) {
                snprintf(err, errlen, "too many descriptors in the event loop");
                close(fd);
                free(t);
                return NULL;
        }
        return &t->dev;
}
