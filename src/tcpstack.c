/* Tangled from chapters/01-wire.nw, chapters/02-ipv4.nw, chapters/03-segments.nw, chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/08-congestion.nw, chapters/09-sack.nw, chapters/10-timestamps.nw, chapters/11-odds.nw, chapters/12-attack.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "base.h"
#include "loop.h"
#include "tun.h"
#include "impair.h"
#include "pcap.h"
#include "host.h"
#include "cmdline.h"
#include <arpa/inet.h>
#include <sys/random.h>
#include "apps.h"
#include <sys/stat.h>
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
        const char *http_root;
        const char *slow_read;
};
enum { OPT_DEVICE, OPT_APPS, OPT_TCP, OPT_IMPAIR, OPT_OUTPUT };
static const char *const stack_groups[] = {
        [OPT_DEVICE] = "the device and the address",
        [OPT_APPS] = "applications",
        [OPT_TCP] = "TCP settings",
        [OPT_IMPAIR] = "impairment, by the stack itself, in both directions",
        [OPT_OUTPUT] = "output",
};

static const struct cmd_option stack_options[] = {
        { .group = OPT_DEVICE, .name = "--tun", .arg = "NAME",
          .help = "the TUN device to use, created if absent (needs\n"
                  "CAP_NET_ADMIN); required" },
        { .group = OPT_DEVICE, .name = "--addr", .arg = "ADDR",
          .help = "the stack's IPv4 address, e.g. 10.0.0.2" },
        { .group = OPT_APPS, .name = "--serve", .arg = "APP:PORT", .repeatable = true,
          .help = "run application APP on PORT (repeatable), one of:",
          .more = app_print_list },
        { .group = OPT_APPS, .name = "--connect", .arg = "ADDR:PORT", .repeatable = true,
          .help = "open a connection to ADDR:PORT and hold it\n(repeatable)" },
        { .group = OPT_TCP, .name = "--syn-retries", .arg = "N",
          .help = "SYN retransmissions before giving up (default 5)" },
        { .group = OPT_TCP, .name = "--synack-retries", .arg = "N",
          .help = "SYN-ACK retransmissions (default 5)" },
        { .group = OPT_TCP, .name = "--backlog", .arg = "N",
          .help = "accept queue of each application (default 128)" },
        { .group = OPT_TCP, .name = "--max-syn-backlog", .arg = "N",
          .help = "SYN queue limit (default 256)" },
        { .group = OPT_TCP, .name = "--abort-on-overflow",
          .help = "reset, rather than ignore, a handshake that finds\nthe accept queue full" },
        { .group = OPT_TCP, .name = "--msl", .arg = "SECONDS",
          .help = "maximum segment lifetime; TIME-WAIT is twice it\n(default 30)" },
        { .group = OPT_APPS, .name = "--connect", .arg = "send:BYTES@ADDR:PORT", .repeatable = true,
          .help = "connect, send BYTES bytes, close, and print their\nSHA-256 (repeatable)" },
        { .group = OPT_APPS, .name = "--http-root", .arg = "DIR",
          .help = "the directory whose files the http application\nserves" },
        { .group = OPT_TCP, .name = "--rto-min", .arg = "MS",
          .help = "lowest retransmission timeout (default 1000;\nLinux: 200)" },
        { .group = OPT_TCP, .name = "--delack", .arg = "MS",
          .help = "longest delay of an ACK (default 200; 0: never)" },
        { .group = OPT_TCP, .name = "--rcvbuf", .arg = "BYTES",
          .help = "receive buffer of each connection, the largest\n"
                  "window it offers (default 262144)" },
        { .group = OPT_TCP, .name = "--sndbuf", .arg = "BYTES",
          .help = "send buffer of each connection (default 262144)" },
        { .group = OPT_TCP, .name = "--no-window-scaling",
          .help = "no window scale option (RFC 7323): windows of\nat most 65535 bytes" },
        { .group = OPT_TCP, .name = "--nodelay",
          .help = "TCP_NODELAY on every connection: no Nagle" },
        { .group = OPT_APPS, .name = "--slow-read", .arg = "BYTES/MS",
          .help = "the slowsink application reads BYTES every MS\n"
                  "milliseconds (default 16384/100)" },
        { .group = OPT_TCP, .name = "--cc", .arg = "NAME",
          .help = "congestion control: newreno (default), reno,\ncubic or none" },
        { .group = OPT_TCP, .name = "--iw", .arg = "N",
          .help = "initial window in segments, 1 to 100 (default 10)" },
        { .group = OPT_OUTPUT, .name = "--trace-cwnd", .arg = "FILE",
          .help = "write each change of a connection's cwnd,\nssthresh and flight to FILE" },
        { .group = OPT_TCP, .name = "--no-sack",
          .help = "no selective acknowledgment (RFC 2018)" },
        { .group = OPT_TCP, .name = "--no-timestamps",
          .help = "no timestamps option (RFC 7323)" },
        { .group = OPT_APPS, .name = "--connect", .arg = "oob:BYTES@ADDR:PORT", .repeatable = true,
          .help = "connect, send BYTES bytes, the middle one as urgent\ndata, close, and print "
                  "their SHA-256 (repeatable)" },
        { .group = OPT_TCP, .name = "--keepalive", .arg = "IDLE,INTVL,CNT",
          .help = "probe idle connections: after IDLE s, every INTVL s,\nreset after CNT "
                  "unanswered (Linux: 7200,75,9)" },
        { .group = OPT_TCP, .name = "--no-blackhole",
          .help = "no lowering of the MSS after repeated timeouts" },
        { .group = OPT_TCP, .name = "--ecn", .arg = "N",
          .help = "ECN (RFC 3168): 0 off, 1 ask and accept,\n2 accept only (the default)" },
        { .group = OPT_TCP, .name = "--no-syncookies",
          .help = "drop SYNs when the SYN queue is full, rather than answer with cookies" },
        { .group = OPT_TCP, .name = "--mem-max", .arg = "BYTES",
          .help = "buffer memory of all connections together (default 268435456)" },
        { .group = OPT_TCP, .name = "--no-ack-batch",
          .help = "acknowledge every second segment at once, not\nat the end of the loop's turn" },
        { .group = OPT_DEVICE, .name = "--offload",
          .help = "a virtio-net header on the TUN device: segments\n"
                  "glued into TSO packets, GSO packets read (chapter 13)" },
        { .group = OPT_DEVICE, .name = "--no-offload",
          .help = "no virtio-net header: each packet alone (the default)" },
        { .group = OPT_DEVICE, .name = "--offload-refused",
          .help = "ask for the header, then act as if the kernel\n"
                  "refused the offloads (tests the fallback)" },
        { .group = OPT_TCP, .name = "--no-table-grow",
          .help = "keep the connection table at its first size" },
        { .group = OPT_TCP, .name = "--port-tries", .arg = "N",
          .help = "ports one connect tries at most (0: the whole range)" },
        { .group = OPT_TCP, .name = "--no-pkb-keep",
          .help = "free every packet buffer to the C library" },
        { .group = OPT_TCP, .name = "--no-lookup-cache",
          .help = "no memory of the last connection found" },
        { .group = OPT_TCP, .name = "--no-header-prediction",
          .help = "no fast path for in-order ACKs and data" },
        { .group = OPT_IMPAIR, .name = "--impair", .arg = "SPEC",
          .help = "KEY=VALUE,... with each key at most once, e.g.\n"
                  "loss=5%,delay=5ms,dup=1%,reorder=2%,seed=7",
          .more = impair_print_forms },
        { .group = OPT_OUTPUT, .name = "--pcap", .arg = "FILE",
          .help = "write every packet sent and received to FILE" },
        { .group = OPT_OUTPUT, .name = "--verbose",
          .help = "print a line for every packet no protocol takes" },
        { .group = OPT_OUTPUT, .name = "--help", .help = "show this text" },
};

static void stack_usage(FILE *f)
{
        fprintf(f,
                "usage: tcpstack --tun NAME [options]\n"
                "Runs the stack on the TUN device NAME (created if absent) until\n"
                "interrupted, then prints its statistics.\n");
        cmdline_usage(f, stack_options, ARRAY_LEN(stack_options), stack_groups,
                      ARRAY_LEN(stack_groups));
}
static long spec_port(const char *spec)       /* of a spec app_start accepted */
{
        return strtol(strrchr(spec, ':') + 1, NULL, 10);
}
/* BYTES/MS, two whole numbers; false if val is not of that form */
static bool parse_rate(const char *val, unsigned long long *bytes, unsigned long *ms)
{
        char *end;
        if (val[0] < '0' || val[0] > '9')
                return false;
        errno = 0;
        *bytes = strtoull(val, &end, 10);
        if (*end != '/' || end[1] < '0' || end[1] > '9')
                return false;
        *ms = strtoul(end + 1, &end, 10);
        return *end == '\0' && errno == 0;
}
static int parse_stack_args(struct stack_opts *o, int argc, char **argv)
{
        struct cmdline cl;
        cmdline_init(&cl, "tcpstack", stack_options, ARRAY_LEN(stack_options),
                     argc, argv, 1);
        const char *opt, *val;
        int r;
        while ((r = cmdline_next(&cl, &opt, &val)) > 0) {
                if (strcmp(opt, "--help") == 0) {
                        stack_usage(stdout);
                        exit(0);
                } else if (strcmp(opt, "--tun") == 0) {
                        if (!tun_name_valid(val))
                                return cmdline_error(&cl, opt, val,
                                        "expected an interface name, 1 to 15 characters "
                                        "without '/', ':' or spaces, e.g. tun0");
                        o->tun = val;
                } else if (strcmp(opt, "--pcap") == 0) {
                        o->pcap = val;
                } else if (strcmp(opt, "--impair") == 0) {
                        if (cmdline_impair(&cl, opt, val, &o->impair) < 0)
                                return -1;
                        o->impaired = true;
                } else if (strcmp(opt, "--verbose") == 0) {
                        o->cfg.verbose = true;
                }
                else if (strcmp(opt, "--addr") == 0) {
                        struct in_addr a;
                        if (inet_pton(AF_INET, val, &a) != 1)
                                return cmdline_error(&cl, opt, val,
                                                     "expected an IPv4 address, e.g. 10.0.0.2");
                        o->cfg.addr = ntohl(a.s_addr);
                        if (o->cfg.addr == 0 || o->cfg.addr >> 28 >= 14 || o->cfg.addr >> 24 == 127)
                                return cmdline_error(&cl, opt, val, "not an address a host may have "
                                                     "(0.0.0.0, 127.x.x.x, multicast and class E are not)");
                }
                else if (strcmp(opt, "--serve") == 0 || strcmp(opt, "--connect") == 0) {
                        bool serve = opt[2] == 's';
                        int *n = serve ? &o->nserve : &o->nconnect;
                        if (*n == 16)
                                return cmdline_error(&cl, opt, val, "at most 16 of %s", opt);
                        (serve ? o->serve : o->connect_to)[(*n)++] = val;
                } else if (strcmp(opt, "--syn-retries") == 0) {
                        if (cmdline_int(&cl, opt, val, 0, 20, &o->cfg.syn_retries) < 0)
                                return -1;
                } else if (strcmp(opt, "--synack-retries") == 0) {
                        if (cmdline_int(&cl, opt, val, 0, 20, &o->cfg.synack_retries) < 0)
                                return -1;
                } else if (strcmp(opt, "--backlog") == 0) {
                        if (cmdline_int(&cl, opt, val, 1, 65535, &o->cfg.listen_backlog) < 0)
                                return -1;
                } else if (strcmp(opt, "--max-syn-backlog") == 0) {
                        if (cmdline_int(&cl, opt, val, 1, 65535, &o->cfg.max_syn_backlog) < 0)
                                return -1;
                } else if (strcmp(opt, "--abort-on-overflow") == 0) {
                        o->cfg.abort_on_overflow = true;
                }
                else if (strcmp(opt, "--msl") == 0) {
                        int s;
                        if (cmdline_int(&cl, opt, val, 0, 3600, &s) < 0)
                                return -1;
                        o->cfg.msl = SEC(s);
                }
                else if (strcmp(opt, "--http-root") == 0) {
                        struct stat st;
                        if (stat(val, &st) != 0)
                                return cmdline_error(&cl, opt, val, "%s (expected the directory of the "
                                                     "http application's files)", strerror(errno));
                        if (!S_ISDIR(st.st_mode))
                                return cmdline_error(&cl, opt, val, "not a directory (expected the "
                                                     "directory of the http application's files)");
                        o->http_root = val;
                        app_set_http_root(val);
                } else if (strcmp(opt, "--rto-min") == 0 || strcmp(opt, "--delack") == 0) {
                        int ms;
                        if (cmdline_int(&cl, opt, val, 0, 60000, &ms) < 0)
                                return -1;
                        if (opt[2] == 'r')
                                o->cfg.rto_min = MSEC(ms);
                        else
                                o->cfg.delack = MSEC(ms);
                }
                else if (strcmp(opt, "--rcvbuf") == 0 || strcmp(opt, "--sndbuf") == 0) {
                        long long bytes;
                        if (cmdline_number(&cl, opt, val, 2048, 1LL << 30, &bytes) < 0)
                                return -1;
                        *(opt[2] == 'r' ? &o->cfg.rcvbuf : &o->cfg.sndbuf) = (size_t)bytes;
                } else if (strcmp(opt, "--no-window-scaling") == 0) {
                        o->cfg.window_scaling = false;
                } else if (strcmp(opt, "--nodelay") == 0) {
                        o->cfg.nodelay = true;
                }
                else if (strcmp(opt, "--slow-read") == 0) {
                        unsigned long long bytes;
                        unsigned long ms;
                        if (!parse_rate(val, &bytes, &ms) || bytes < 1 || bytes > (1ULL << 30) ||
                            ms < 1 || ms > 60000)
                                return cmdline_error(&cl, opt, val, "expected BYTES/MS: read BYTES (1 to "
                                                     "1073741824) every MS milliseconds (1 to 60000), "
                                                     "e.g. 32768/500");
                        o->slow_read = val;
                        app_set_slow_read((size_t)bytes, MSEC(ms));
                }
                else if (strcmp(opt, "--cc") == 0) {
                        if ((o->cfg.cc = tcp_cc_find(val)) == NULL)
                                return cmdline_error(&cl, opt, val,
                                                     "no such algorithm (newreno, reno, cubic or none)");
                } else if (strcmp(opt, "--iw") == 0) {
                        if (cmdline_int(&cl, opt, val, 1, 100, &o->cfg.init_cwnd) < 0)
                                return -1;
                } else if (strcmp(opt, "--trace-cwnd") == 0) {
                        FILE *f = fopen(val, "w");
                        if (f == NULL)
                                return cmdline_error(&cl, opt, val, "%s", strerror(errno));
                        o->cfg.cc_watch = tcp_cc_trace_line;
                        o->cfg.cc_watch_arg = f;
                }
                else if (strcmp(opt, "--no-sack") == 0) {
                        o->cfg.sack = false;
                }
                else if (strcmp(opt, "--no-timestamps") == 0) {
                        o->cfg.timestamps = false;
                }
                else if (strcmp(opt, "--keepalive") == 0) {
                        int idle, intvl, cnt, end = 0;
                        if (sscanf(val, "%d,%d,%d%n", &idle, &intvl, &cnt, &end) != 3 || val[end] != '\0' ||
                            idle < 1 || idle > 32767 || intvl < 1 || intvl > 32767 || cnt < 1 || cnt > 127)
                                return cmdline_error(&cl, opt, val,
                                                     "expected IDLE,INTVL,CNT: seconds from 1 to 32767, "
                                                     "and a count from 1 to 127, e.g. 7200,75,9");
                        o->cfg.keepalive = true;
                        o->cfg.keepalive_idle = SEC(idle);
                        o->cfg.keepalive_intvl = SEC(intvl);
                        o->cfg.keepalive_probes = cnt;
                }
                else if (strcmp(opt, "--no-blackhole") == 0) {
                        o->cfg.blackhole_rtos = 0;
                }
                else if (strcmp(opt, "--ecn") == 0) {
                        if (cmdline_int(&cl, opt, val, 0, 2, &o->cfg.ecn) < 0)
                                return -1;
                }
                else if (strcmp(opt, "--no-syncookies") == 0) {
                        o->cfg.syncookies = false;
                }
                else if (strcmp(opt, "--mem-max") == 0) {
                        long long bytes;
                        if (cmdline_number(&cl, opt, val, 65536, 1LL << 40, &bytes) < 0)
                                return -1;
                        o->cfg.mem_max = (size_t)bytes;
                }
                else if (strcmp(opt, "--no-ack-batch") == 0) {
                        o->cfg.ack_batch = false;
                }
                else if (strcmp(opt, "--offload") == 0) {
                        tun_set_offload(TUN_OFFLOAD_ON);
                } else if (strcmp(opt, "--no-offload") == 0) {
                        tun_set_offload(TUN_OFFLOAD_OFF);
                } else if (strcmp(opt, "--offload-refused") == 0) {
                        tun_set_offload(TUN_OFFLOAD_REFUSED);
                }
                else if (strcmp(opt, "--no-table-grow") == 0) {
                        o->cfg.table_grow = false;
                } else if (strcmp(opt, "--port-tries") == 0) {
                        long long v;
                        if (cmdline_number(&cl, opt, val, 0, 65536, &v) < 0)
                                return -1;
                        o->cfg.port_tries = (uint32_t)v;
                }
                else if (strcmp(opt, "--no-pkb-keep") == 0) {
                        o->cfg.pkb_keep = 0;
                } else if (strcmp(opt, "--no-lookup-cache") == 0) {
                        o->cfg.lookup_cache = false;
                }
                else if (strcmp(opt, "--no-header-prediction") == 0) {
                        o->cfg.header_prediction = false;
                }
                else {
                        abort();                 /* a row of the table without its case */
                }
        }
        if (r < 0)
                return -1;
        if (o->tun == NULL) {
                fprintf(stderr, "tcpstack: --tun NAME is required, e.g. --tun tun0\n");
                return -1;
        }
        if (getrandom(&o->cfg.secret, sizeof o->cfg.secret, 0) != sizeof o->cfg.secret) {
                fprintf(stderr, "tcpstack: cannot read random bytes for the secret key\n");
                return -1;
        }
        if ((o->nserve > 0 || o->nconnect > 0) && o->cfg.addr == 0) {
                fprintf(stderr, "tcpstack: --serve and --connect need --addr ADDR, the "
                        "stack's own address\n");
                return -1;
        }
        char err[256];
        for (int i = 0; i < o->nserve + o->nconnect; i++) {
                bool serve = i < o->nserve;
                const char *spec = serve ? o->serve[i] : o->connect_to[i - o->nserve];
                if ((serve ? app_start(NULL, spec, err, sizeof err)
                           : app_connect(NULL, spec, err, sizeof err)) < 0)
                        return cmdline_error(&cl, serve ? "--serve" : "--connect", spec, "%s", err);
                for (int j = 0; serve && j < i; j++)
                        if (spec_port(o->serve[j]) == spec_port(spec))
                                return cmdline_error(&cl, "--serve", spec,
                                                     "port %ld is already served by --serve %s",
                                                     spec_port(spec), o->serve[j]);
        }
        bool serves_http = false;
        for (int i = 0; i < o->nserve; i++)
                serves_http |= strncmp(o->serve[i], "http:", 5) == 0;
        if (o->http_root != NULL && !serves_http)
                return cmdline_error(&cl, "--http-root", o->http_root, "no http application "
                                     "to serve it: add --serve http:PORT");
        bool serves_slowsink = false;
        for (int i = 0; i < o->nserve; i++)
                serves_slowsink |= strncmp(o->serve[i], "slowsink:", 9) == 0;
        if (o->slow_read != NULL && !serves_slowsink)
                return cmdline_error(&cl, "--slow-read", o->slow_read, "no slowsink "
                                     "application to read at that rate: add --serve slowsink:PORT");
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
                fprintf(stderr, "usage: tcpstack --tun NAME [options] (tcpstack --help "
                        "lists the options)\n");
                return 2;
        }
        char err[512];
        loop_init(&stack_loop, CLOCK_REAL);
        struct netdev *dev = tun_open(&stack_loop, o.tun, err, sizeof err);
        if (dev == NULL) {
                fprintf(stderr, "tcpstack: %s\n", err);
                return 1;
        }
        if (o.impaired) {
                o.impair.cut_at += loop_now(&stack_loop);   /* from now, not from boot */
                dev = impair_wrap(dev, &o.impair);
        }
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
                        fprintf(stderr, "tcpstack: %s %s: %s\n", serve ? "--serve" : "--connect",
                                spec, err);
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
