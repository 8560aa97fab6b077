/* Tangled from chapters/01-wire.nw, chapters/02-ipv4.nw, chapters/03-segments.nw, chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#include "base.h"
#include "loop.h"
#include "tun.h"
#include "impair.h"
#include "pcap.h"
#include "host.h"
#include <arpa/inet.h>
#include <sys/random.h>
#include "apps.h"
#include <errno.h>
#include <signal.h>

struct stack_opts {
        const char *tun;
        const char *pcap;
        bool impaired;
        struct impair_cfg impair;
        struct config cfg;
        const char *serve[16];
        int nserve;
        const char *connect_to[16];
        int nconnect;
};
static void stack_usage(FILE *f)
{
        fprintf(f,
                "usage: tcpstack --tun NAME [options]\n"
                "Runs the stack on the TUN device NAME (created if absent) until\n"
                "interrupted, then prints its statistics.\n"
                "options:\n"
                "  --tun NAME        the TUN device to open (needs CAP_NET_ADMIN)\n"
                "  --pcap FILE       write every packet sent and received to FILE\n"
                "  --impair SPEC     impair both directions, e.g.\n"
                "                    loss=5%%,delay=5ms,dup=1%%,reorder=2%%,seed=7\n"
                "                    (keys: loss dup corrupt reorder delay gap rate queue cut cutat seed)\n"
                "  --verbose         print a line for every packet no protocol takes\n"
                "  --addr ADDR       the stack's IPv4 address, e.g. 10.0.0.2\n"
                "  --serve APP:PORT  run application APP on PORT (repeatable): hold\n"
                "  --connect ADDR:PORT  open a connection to ADDR:PORT and hold it\n"
                "  --syn-retries N   SYN retransmissions before giving up (default 5)\n"
                "  --synack-retries N  SYN-ACK retransmissions (default 5)\n"
                "  --backlog N       accept queue of each application (default 128)\n"
                "  --max-syn-backlog N  SYN queue limit (default 256)\n"
                "  --abort-on-overflow  reset, rather than ignore, a handshake that\n"
                "                    finds the accept queue full\n"
                "  --msl SECONDS     maximum segment lifetime; TIME-WAIT is twice it (default 30)\n"
                "                    applications from chapter 5: hello (send a line and\n"
                "                    close), count (read to the end, reply with the count)\n"
                "                    from chapter 6: echo, discard, chargen, sink, http\n"
                "  --http-root DIR   files the http application serves\n"
                "  --rto-min MS      lowest retransmission timeout (default 1000; Linux: 200)\n"
                "  --delack MS       longest delay of an ACK (default 200; 0: never delay)\n"
                "  --connect send:BYTES@ADDR:PORT  send BYTES to ADDR:PORT, print their SHA-256\n"
                "  --help            show this text\n");
}
static int parse_count(const char *opt, const char *val, int lo, int hi, int *out)
{
        char *end;
        errno = 0;
        long v = strtol(val, &end, 10);
        if (*val == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi) {
                fprintf(stderr, "tcpstack: %s needs a number from %d to %d, not '%s'\n",
                        opt, lo, hi, val);
                return -1;
        }
        *out = (int)v;
        return 0;
}
static int parse_stack_args(struct stack_opts *o, int argc, char **argv)
{
        char err[256];
        for (int i = 1; i < argc; i++) {
                const char *opt = argv[i];
                if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
                        stack_usage(stdout);
                        exit(0);
                }
                if (strcmp(opt, "--verbose") == 0) {
                        o->cfg.verbose = true;
                        continue;
                }
                if (strcmp(opt, "--abort-on-overflow") == 0) {
                        o->cfg.abort_on_overflow = true;
                        continue;
                }
                const char *val = i + 1 < argc ? argv[++i] : NULL;
                if (val == NULL) {
                        fprintf(stderr, "tcpstack: option %s needs a value\n", opt);
                        return -1;
                }
                if (strcmp(opt, "--tun") == 0) {
                        o->tun = val;
                } else if (strcmp(opt, "--pcap") == 0) {
                        o->pcap = val;
                } else if (strcmp(opt, "--impair") == 0) {
                        if (impair_parse(&o->impair, val, err, sizeof err) < 0) {
                                fprintf(stderr, "tcpstack: %s\n", err);
                                return -1;
                        }
                        o->impaired = true;
                }
                else if (strcmp(opt, "--addr") == 0) {
                        struct in_addr a;
                        if (inet_pton(AF_INET, val, &a) != 1) {
                                fprintf(stderr, "tcpstack: '%s' is not an IPv4 address\n", val);
                                return -1;
                        }
                        o->cfg.addr = ntohl(a.s_addr);
                        if (o->cfg.addr == 0 || o->cfg.addr >> 28 >= 14 || o->cfg.addr >> 24 == 127) {
                                fprintf(stderr, "tcpstack: %s cannot be the stack's address\n", val);
                                return -1;
                        }
                }
                else if (strcmp(opt, "--serve") == 0 || strcmp(opt, "--connect") == 0) {
                        bool serve = opt[2] == 's';
                        int *n = serve ? &o->nserve : &o->nconnect;
                        if (*n == 16) {
                                fprintf(stderr, "tcpstack: at most 16 of %s\n", opt);
                                return -1;
                        }
                        (serve ? o->serve : o->connect_to)[(*n)++] = val;
                } else if (strcmp(opt, "--syn-retries") == 0) {
                        if (parse_count(opt, val, 0, 20, &o->cfg.syn_retries) < 0)
                                return -1;
                } else if (strcmp(opt, "--synack-retries") == 0) {
                        if (parse_count(opt, val, 0, 20, &o->cfg.synack_retries) < 0)
                                return -1;
                } else if (strcmp(opt, "--backlog") == 0) {
                        if (parse_count(opt, val, 1, 65535, &o->cfg.listen_backlog) < 0)
                                return -1;
                } else if (strcmp(opt, "--max-syn-backlog") == 0) {
                        if (parse_count(opt, val, 1, 65535, &o->cfg.max_syn_backlog) < 0)
                                return -1;
                }
                else if (strcmp(opt, "--msl") == 0) {
                        int s;
                        if (parse_count(opt, val, 0, 3600, &s) < 0)
                                return -1;
                        o->cfg.msl = SEC(s);
                }
                else if (strcmp(opt, "--http-root") == 0) {
                        app_set_http_root(val);
                } else if (strcmp(opt, "--rto-min") == 0 || strcmp(opt, "--delack") == 0) {
                        int ms;
                        if (parse_count(opt, val, 0, 60000, &ms) < 0)
                                return -1;
                        if (opt[2] == 'r')
                                o->cfg.rto_min = MSEC(ms);
                        else
                                o->cfg.delack = MSEC(ms);
                }
                else {
                        fprintf(stderr, "tcpstack: unknown option '%s'\n", opt);
                        return -1;
                }
        }
        if (o->tun == NULL) {
                fprintf(stderr, "tcpstack: --tun NAME is required\n");
                return -1;
        }
        if (getrandom(&o->cfg.secret, sizeof o->cfg.secret, 0) != sizeof o->cfg.secret) {
                fprintf(stderr, "tcpstack: cannot read random bytes for the secret key\n");
                return -1;
        }
        if ((o->nserve > 0 || o->nconnect > 0) && o->cfg.addr == 0) {
                fprintf(stderr, "tcpstack: --serve and --connect need --addr\n");
                return -1;
        }
        for (int i = 0; i < o->nserve + o->nconnect; i++) {
                bool serve = i < o->nserve;
                const char *spec = serve ? o->serve[i] : o->connect_to[i - o->nserve];
                if ((serve ? app_start(NULL, spec, err, sizeof err)
                           : app_connect(NULL, spec, err, sizeof err)) < 0) {
                        fprintf(stderr, "tcpstack: %s\n", err);
                        return -1;
                }
        }
        return 0;
}
static struct loop stack_loop;

static void on_signal(int sig)
{
        (void)sig;
        stack_loop.stop = true;
}

int main(int argc, char **argv)
{
        struct stack_opts o;
        memset(&o, 0, sizeof o);
        impair_cfg_default(&o.impair);
        config_default(&o.cfg);
        if (parse_stack_args(&o, argc, argv) < 0) {
                stack_usage(stderr);
                return 2;
        }
        char err[512];
        loop_init(&stack_loop, CLOCK_REAL);
        struct netdev *dev = tun_open(&stack_loop, o.tun, err, sizeof err);
        if (dev == NULL) {
                fprintf(stderr, "tcpstack: %s\n", err);
                return 1;
        }
        if (o.impaired)
                dev = impair_wrap(dev, &o.impair);
        if (o.pcap != NULL) {
                struct netdev *w = pcap_wrap(dev, o.pcap, err, sizeof err);
                if (w == NULL) {
                        fprintf(stderr, "tcpstack: %s\n", err);
                        netdev_destroy(dev);
                        return 1;
                }
                dev = w;
        }
        struct host *h = host_create(&stack_loop, dev, &o.cfg);
        for (int i = 0; i < o.nserve + o.nconnect; i++) {
                bool serve = i < o.nserve;
                const char *spec = serve ? o.serve[i] : o.connect_to[i - o.nserve];
                if ((serve ? app_start(h, spec, err, sizeof err)
                           : app_connect(h, spec, err, sizeof err)) < 0) {
                        fprintf(stderr, "tcpstack: %s\n", err);
                        host_destroy(h);
                        loop_free(&stack_loop);
                        return 1;
                }
        }
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        fprintf(stderr, "tcpstack: running on %s; Ctrl-C to stop\n", dev->name);
        fflush(stderr);
        loop_run(&stack_loop);
        host_print_stats(h, stdout);
        host_destroy(h);
        loop_free(&stack_loop);
        return pcap_write_failures > 0;
}
