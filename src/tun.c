/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
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
static void tun_readable(int fd, void *arg)
{
        struct tun *t = arg;
        for (int i = 0; i < 64; i++) {
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
        if (write(t->fd, p->data, p->len) != (ssize_t)p->len)
                dev->stats.tx_dropped++;
        pkb_free(p);
}

static void tun_destroy(struct netdev *dev)
{
        struct tun *t = (struct tun *)dev;
        loop_remove_fd(dev->loop, t->fd);
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
        memcpy(ifr.ifr_name, name, strlen(name));
        if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
                tun_explain(errno, false, clone, name, err, errlen);
                close(fd);
                return NULL;
        }
        struct tun *t = xcalloc(1, sizeof *t);
        netdev_init(&t->dev, &tun_ops, loop, ifr.ifr_name, 1500);
        t->fd = fd;
        if (loop_add_fd(loop, fd, tun_readable, t) < 0) {
                snprintf(err, errlen, "too many descriptors in the event loop");
                close(fd);
                free(t);
                return NULL;
        }
        return &t->dev;
}
