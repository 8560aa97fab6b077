/* Tangled from chapters/01-wire.nw, chapters/02-ipv4.nw, chapters/03-segments.nw, chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/08-congestion.nw, chapters/09-sack.nw, chapters/10-timestamps.nw, chapters/11-odds.nw, chapters/12-attack.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "base.h"
#include "loop.h"
#include "impair.h"
#include "simlink.h"
#include "pcap.h"
#include "host.h"
#include "cmdline.h"
#include "ipv4.h"
#include "checksum.h"
#include "tcp.h"
#include "xfer.h"
#include <malloc.h>
#include <time.h>
static double bulk_memcpy_seconds(size_t total);   /* chapter 13 */
#include <errno.h>

struct sim_opts {
        struct impair_cfg link;     /* both directions start from this */
        uint64_t seed;
        long count;                 /* scenario-specific size; 0: its default */
        const char *pcap;
        const char *trace;
        const struct tcp_cc_ops *cc;   /* --cc: both hosts' congestion control */
        long as_of;                 /* --as-of N: later chapters' settings off; 0: all on */
        bool no_sack;               /* --no-sack: neither host offers SACK */
        bool no_timestamps;         /* --no-timestamps */
        bool no_eifel;              /* --no-eifel */
        bool no_blackhole;          /* --no-blackhole */
        int ecn;                    /* --ecn N as N + 1; 0: the configuration's */
        bool offload;               /* --offload: the link finishes and vouches for checksums */
        bool no_table_grow;         /* --no-table-grow */
        long port_tries;            /* --port-tries N; -1: the default */
        bool no_pkb_keep, no_lookup_cache;   /* --no-pkb-keep, --no-lookup-cache */
        long mtu;                   /* --mtu: the simulated link's MTU; 0: 1500 */
        bool no_header_prediction;  /* --no-header-prediction */
};
static FILE *trace_open(const char *path)
{
        FILE *f = fopen(path, "w");
        if (f == NULL)
                fprintf(stderr, "tcpsim: cannot write %s: %s\n", path, strerror(errno));
        return f;
}

static int trace_close(FILE *f, const char *path)
{
        bool bad = ferror(f) != 0;
        if (fclose(f) != 0 || bad) {
                fprintf(stderr, "tcpsim: writing %s failed: %s\n", path,
                        bad ? "write error" : strerror(errno));
                return -1;
        }
        return 0;
}
#define SCENARIO(name, fn, what, count, max) static int fn(const struct sim_opts *o);
SCENARIO("wire", scenario_wire,
         "probes across a simulated link: loss, delay, reordering (ch. 1)",
         200, 10000000)
SCENARIO("ping", scenario_ping, "host a pings host b once a second across the link (ch. 2)",
         5, 1024)
SCENARIO("ipv4-header", scenario_ipv4_header,
         "print the IPv4 header table as Graphviz (ch. 2)",
         0, 0)
SCENARIO("tcp-header", scenario_tcp_header,
         "print the TCP header table as Graphviz (ch. 3)",
         0, 0)
SCENARIO("handshake", scenario_handshake,
         "b listens, a connects; --trace writes a ladder (ch. 4)",
         0, 0)
SCENARIO("states", scenario_states,
         "print the state machine as Graphviz, as of chapter --count (ch. 4)",
         99, 99)
SCENARIO("old-syn", scenario_old_syn_3,
         "an old duplicate SYN meets the three-way handshake (ch. 4)",
         0, 0)
SCENARIO("old-syn-two-way", scenario_old_syn_2,
         "the same against a two-way handshake (ch. 4)",
         0, 0)
SCENARIO("close", scenario_close_four,
         "a sends and closes; b closes 5 ms after end of stream (ch. 5)",
         0, 0)
SCENARIO("close-three", scenario_close_three,
         "the same, b closing at once: FIN and ACK together (ch. 5)",
         0, 0)
SCENARIO("close-simultaneous", scenario_close_simul,
         "both close at the same instant (ch. 5)",
         0, 0)
SCENARIO("close-unread", scenario_close_unread,
         "b closes with a's data unread: a reset (ch. 5)",
         0, 0)
SCENARIO("half-close", scenario_close_half,
         "a sends and shuts down; b replies, then closes (ch. 5)",
         0, 0)
SCENARIO("time-wait", scenario_tw,
         "an old segment meets a reconnection, TIME-WAIT 2 MSL (ch. 5)",
         0, 0)
SCENARIO("time-wait-zero", scenario_tw_zero,
         "the same with TIME-WAIT shortened to zero (ch. 5)",
         0, 0)
SCENARIO("rtt", scenario_rtt, "RFC 6298 and RFC 793 estimators on the same samples (ch. 6)",
         0, 0)
SCENARIO("seed-example", scenario_seed_example,
         "five 1460-byte segments, the third lost (--count 7: seven) (ch. 6)",
         5, 40)
SCENARIO("soak", scenario_soak,
         "two stacks, 1 MiB each way, --count seeds at 0-20% loss (ch. 6)",
         300, 100000)
SCENARIO("bulk", scenario_bulk,
         "move --count bytes from a to b; bytes per CPU-second (ch. 6)",
         64 << 20, 1L << 34)
SCENARIO("idle", scenario_idle, "open --count connections; memory each (ch. 6)",
         1000, 20000)
SCENARIO("seed-nagle", scenario_seed_nagle,
         "--count blocks of 4 KB, written as each is sent, Nagle on (ch. 7)",
         4, 1000)
SCENARIO("seed-nodelay", scenario_seed_nodelay, "the same with TCP_NODELAY (ch. 7)",
         4, 1000)
SCENARIO("slow-reader", scenario_slow_reader,
         "a reader that stops, then reads slowly: probes, --count bytes (ch. 7)",
         262144, 1L << 26)
SCENARIO("bottleneck", scenario_bottleneck,
         "--count flows through a 10 Mbit/s link and a queue (ch. 8)",
         1, 4)
SCENARIO("slow-start", scenario_slow_start,
         "slow start from ten segments, the fourth lost (ch. 8)",
         23, 40)
SCENARIO("seed-sack", scenario_seed_sack,
         "ten segments, the first lost; --no-sack without SACK (ch. 9)",
         0, 0)
SCENARIO("three-losses", scenario_three_losses,
         "three losses in one window; --trace: time-sequence (ch. 9)",
         0, 0)
SCENARIO("sack-table", scenario_sack_table,
         "1 MiB each way at 1, 5, 10% loss, with and without SACK (ch. 9)",
         10, 200)
SCENARIO("delay-jump", scenario_delay_jump,
         "the delay jumps for a second: Eifel on, --no-eifel off (ch. 10)",
         0, 0)
SCENARIO("paws-wrap", scenario_paws_wrap,
         "an old duplicate one wrap later, without and with PAWS (ch. 10)",
         0, 0)
SCENARIO("path-mtu", scenario_path_mtu,
         "a path MTU of 1280, with ICMP and as a black hole (ch. 11)",
         0, 0)
SCENARIO("blind-reset", scenario_blind_reset,
         "100,000 in-window resets during a transfer, limits off and on (ch. 12)",
         0, 0)
SCENARIO("syn-flood", scenario_syn_flood,
         "--count forged SYNs, a real client amid them; cookies off, on (ch. 12)",
         100000, 1000000)
SCENARIO("cookie", scenario_cookie,
         "a SYN cookie handshake, then a forged reset and its challenge ACK (ch. 12)",
         0, 0)
SCENARIO("copy-sum", scenario_copy_sum,
         "memcpy and the word-wise checksum over --count bytes (ch. 13)",
         4194304, 1073741824)
SCENARIO("scale", scenario_scale,
         "1k, 10k, ... --count idle connections: memory, lookups, ports (ch. 13)",
         100000, 1000000)
#undef SCENARIO
struct scenario {
        const char *name;
        const char *what;
        int (*run)(const struct sim_opts *o);
        long count_default, count_max;      /* 0, 0: takes no --count */
};

static const struct scenario scenarios[] = {
#define SCENARIO(name, fn, what, count, max) { name, what, fn, count, max },
        SCENARIO("wire", scenario_wire,
                 "probes across a simulated link: loss, delay, reordering (ch. 1)",
                 200, 10000000)
        SCENARIO("ping", scenario_ping, "host a pings host b once a second across the link (ch. 2)",
                 5, 1024)
        SCENARIO("ipv4-header", scenario_ipv4_header,
                 "print the IPv4 header table as Graphviz (ch. 2)",
                 0, 0)
        SCENARIO("tcp-header", scenario_tcp_header,
                 "print the TCP header table as Graphviz (ch. 3)",
                 0, 0)
        SCENARIO("handshake", scenario_handshake,
                 "b listens, a connects; --trace writes a ladder (ch. 4)",
                 0, 0)
        SCENARIO("states", scenario_states,
                 "print the state machine as Graphviz, as of chapter --count (ch. 4)",
                 99, 99)
        SCENARIO("old-syn", scenario_old_syn_3,
                 "an old duplicate SYN meets the three-way handshake (ch. 4)",
                 0, 0)
        SCENARIO("old-syn-two-way", scenario_old_syn_2,
                 "the same against a two-way handshake (ch. 4)",
                 0, 0)
        SCENARIO("close", scenario_close_four,
                 "a sends and closes; b closes 5 ms after end of stream (ch. 5)",
                 0, 0)
        SCENARIO("close-three", scenario_close_three,
                 "the same, b closing at once: FIN and ACK together (ch. 5)",
                 0, 0)
        SCENARIO("close-simultaneous", scenario_close_simul,
                 "both close at the same instant (ch. 5)",
                 0, 0)
        SCENARIO("close-unread", scenario_close_unread,
                 "b closes with a's data unread: a reset (ch. 5)",
                 0, 0)
        SCENARIO("half-close", scenario_close_half,
                 "a sends and shuts down; b replies, then closes (ch. 5)",
                 0, 0)
        SCENARIO("time-wait", scenario_tw,
                 "an old segment meets a reconnection, TIME-WAIT 2 MSL (ch. 5)",
                 0, 0)
        SCENARIO("time-wait-zero", scenario_tw_zero,
                 "the same with TIME-WAIT shortened to zero (ch. 5)",
                 0, 0)
        SCENARIO("rtt", scenario_rtt, "RFC 6298 and RFC 793 estimators on the same samples (ch. 6)",
                 0, 0)
        SCENARIO("seed-example", scenario_seed_example,
                 "five 1460-byte segments, the third lost (--count 7: seven) (ch. 6)",
                 5, 40)
        SCENARIO("soak", scenario_soak,
                 "two stacks, 1 MiB each way, --count seeds at 0-20% loss (ch. 6)",
                 300, 100000)
        SCENARIO("bulk", scenario_bulk,
                 "move --count bytes from a to b; bytes per CPU-second (ch. 6)",
                 64 << 20, 1L << 34)
        SCENARIO("idle", scenario_idle, "open --count connections; memory each (ch. 6)",
                 1000, 20000)
        SCENARIO("seed-nagle", scenario_seed_nagle,
                 "--count blocks of 4 KB, written as each is sent, Nagle on (ch. 7)",
                 4, 1000)
        SCENARIO("seed-nodelay", scenario_seed_nodelay, "the same with TCP_NODELAY (ch. 7)",
                 4, 1000)
        SCENARIO("slow-reader", scenario_slow_reader,
                 "a reader that stops, then reads slowly: probes, --count bytes (ch. 7)",
                 262144, 1L << 26)
        SCENARIO("bottleneck", scenario_bottleneck,
                 "--count flows through a 10 Mbit/s link and a queue (ch. 8)",
                 1, 4)
        SCENARIO("slow-start", scenario_slow_start,
                 "slow start from ten segments, the fourth lost (ch. 8)",
                 23, 40)
        SCENARIO("seed-sack", scenario_seed_sack,
                 "ten segments, the first lost; --no-sack without SACK (ch. 9)",
                 0, 0)
        SCENARIO("three-losses", scenario_three_losses,
                 "three losses in one window; --trace: time-sequence (ch. 9)",
                 0, 0)
        SCENARIO("sack-table", scenario_sack_table,
                 "1 MiB each way at 1, 5, 10% loss, with and without SACK (ch. 9)",
                 10, 200)
        SCENARIO("delay-jump", scenario_delay_jump,
                 "the delay jumps for a second: Eifel on, --no-eifel off (ch. 10)",
                 0, 0)
        SCENARIO("paws-wrap", scenario_paws_wrap,
                 "an old duplicate one wrap later, without and with PAWS (ch. 10)",
                 0, 0)
        SCENARIO("path-mtu", scenario_path_mtu,
                 "a path MTU of 1280, with ICMP and as a black hole (ch. 11)",
                 0, 0)
        SCENARIO("blind-reset", scenario_blind_reset,
                 "100,000 in-window resets during a transfer, limits off and on (ch. 12)",
                 0, 0)
        SCENARIO("syn-flood", scenario_syn_flood,
                 "--count forged SYNs, a real client amid them; cookies off, on (ch. 12)",
                 100000, 1000000)
        SCENARIO("cookie", scenario_cookie,
                 "a SYN cookie handshake, then a forged reset and its challenge ACK (ch. 12)",
                 0, 0)
        SCENARIO("copy-sum", scenario_copy_sum,
                 "memcpy and the word-wise checksum over --count bytes (ch. 13)",
                 4194304, 1073741824)
        SCENARIO("scale", scenario_scale,
                 "1k, 10k, ... --count idle connections: memory, lookups, ports (ch. 13)",
                 100000, 1000000)
#undef SCENARIO
};
enum { SIM_RUN, SIM_OUTPUT };
static const char *const sim_groups[] = {
        [SIM_RUN] = "the run",
        [SIM_OUTPUT] = "output",
};

static const struct cmd_option sim_options[] = {
        { .group = SIM_RUN, .name = "--seed", .arg = "N",
          .help = "seed for every random choice (default 1)" },
        { .group = SIM_RUN, .name = "--impair", .arg = "SPEC",
          .help = "impair the link both ways: KEY=VALUE,... with each\n"
                  "key at most once, e.g. loss=5%,delay=10ms",
          .more = impair_print_forms },
        { .group = SIM_RUN, .name = "--count", .arg = "N",
          .help = "how many probes, bytes or connections (each\n"
                  "scenario has its default and its limit)" },
        { .group = SIM_RUN, .name = "--cc", .arg = "NAME",
          .help = "congestion control of both hosts: newreno (the\ndefault), reno, cubic or none" },
        { .group = SIM_RUN, .name = "--as-of", .arg = "N",
          .help = "the stack as of chapter N: what later chapters\n"
                  "add is switched off (figures of earlier chapters)" },
        { .group = SIM_RUN, .name = "--no-sack",
          .help = "neither host offers selective acknowledgment" },
        { .group = SIM_RUN, .name = "--no-timestamps",
          .help = "neither host offers the timestamps option" },
        { .group = SIM_RUN, .name = "--no-eifel",
          .help = "no undo of a spurious retransmission's response" },
        { .group = SIM_RUN, .name = "--no-blackhole",
          .help = "no lowering of the MSS after repeated timeouts (black holes)" },
        { .group = SIM_RUN, .name = "--ecn", .arg = "N",
          .help = "ECN on both hosts: 0 off, 1 ask and accept,\n2 accept only (the default)" },
        { .group = SIM_RUN, .name = "--offload",
          .help = "checksum offload on the simulated link, as on\n"
                  "a veth pair: partial checksums, taken as checked" },
        { .group = SIM_RUN, .name = "--no-table-grow",
          .help = "keep the connection table at its first size" },
        { .group = SIM_RUN, .name = "--port-tries", .arg = "N",
          .help = "ports one connect tries at most (0: all)" },
        { .group = SIM_RUN, .name = "--no-pkb-keep",
          .help = "free every packet buffer to the C library (ch. 13)" },
        { .group = SIM_RUN, .name = "--no-lookup-cache",
          .help = "no memory of the last connection found (ch. 13)" },
        { .group = SIM_RUN, .name = "--mtu", .arg = "N",
          .help = "the simulated link's MTU, 576 to 65535 (default 1500)" },
        { .group = SIM_RUN, .name = "--no-header-prediction",
          .help = "no fast path for in-order ACKs and data (ch. 13)" },
        { .group = SIM_OUTPUT, .name = "--pcap", .arg = "FILE",
          .help = "write a capture: the receiver's in wire, host a's where two "
                  "hosts talk" },
        { .group = SIM_OUTPUT, .name = "--trace", .arg = "FILE",
          .help = "write the scenario's trace (for figures)" },
        { .group = SIM_OUTPUT, .name = "--help", .help = "show this text" },
};

static void sim_usage(FILE *f)
{
        fprintf(f, "usage: tcpsim SCENARIO [options]\n"
                "       tcpsim --list\n");
        cmdline_usage(f, sim_options, ARRAY_LEN(sim_options), sim_groups,
                      ARRAY_LEN(sim_groups));
        fprintf(f, "\nscenarios:\n");
        for (size_t i = 0; i < ARRAY_LEN(scenarios); i++)
                fprintf(f, "  %-16s %s\n", scenarios[i].name, scenarios[i].what);
}

static const struct scenario *find_scenario(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "tcpsim: which scenario? (tcpsim --list names them)\n");
                return NULL;
        }
        for (size_t i = 0; i < ARRAY_LEN(scenarios); i++)
                if (strcmp(argv[1], scenarios[i].name) == 0)
                        return &scenarios[i];
        if (argv[1][0] == '-')
                fprintf(stderr, "tcpsim: the scenario comes first, then the options: "
                        "tcpsim SCENARIO [options]\n");
        else
                fprintf(stderr, "tcpsim: no scenario called '%s' (tcpsim --list names "
                        "them)\n", argv[1]);
        return NULL;
}

static int parse_sim_args(struct sim_opts *o, int argc, char **argv)
{
        struct cmdline cl;
        cmdline_init(&cl, "tcpsim", sim_options, ARRAY_LEN(sim_options), argc, argv, 2);
        const char *opt, *val;
        int r;
        while ((r = cmdline_next(&cl, &opt, &val)) > 0) {
                long long v;
                if (strcmp(opt, "--help") == 0) {
                        sim_usage(stdout);
                        exit(0);
                } else if (strcmp(opt, "--seed") == 0) {
                        if (cmdline_number(&cl, opt, val, 0, 17179869184LL, &v) < 0)
                                return -1;
                        o->seed = (uint64_t)v;
                } else if (strcmp(opt, "--count") == 0) {
                        if (cmdline_number(&cl, opt, val, 1, 17179869184LL, &v) < 0)
                                return -1;
                        o->count = (long)v;
                } else if (strcmp(opt, "--impair") == 0) {
                        if (cmdline_impair(&cl, opt, val, &o->link) < 0)
                                return -1;
                } else if (strcmp(opt, "--pcap") == 0) {
                        o->pcap = val;
                } else if (strcmp(opt, "--trace") == 0) {
                        o->trace = val;
                }
                else if (strcmp(opt, "--cc") == 0) {
                        if ((o->cc = tcp_cc_find(val)) == NULL)
                                return cmdline_error(&cl, opt, val,
                                                     "no such algorithm (newreno, reno, cubic or none)");
                }
                else if (strcmp(opt, "--as-of") == 0) {
                        long long v;
                        if (cmdline_number(&cl, opt, val, 1, 99, &v) < 0)
                                return -1;
                        o->as_of = (long)v;
                }
                else if (strcmp(opt, "--no-sack") == 0) {
                        o->no_sack = true;
                }
                else if (strcmp(opt, "--no-timestamps") == 0) {
                        o->no_timestamps = true;
                }
                else if (strcmp(opt, "--no-eifel") == 0) {
                        o->no_eifel = true;
                }
                else if (strcmp(opt, "--no-blackhole") == 0) {
                        o->no_blackhole = true;
                }
                else if (strcmp(opt, "--ecn") == 0) {
                        long long v;
                        if (cmdline_number(&cl, opt, val, 0, 2, &v) < 0)
                                return -1;
                        o->ecn = (int)v + 1;
                }
                else if (strcmp(opt, "--offload") == 0) {
                        o->offload = true;
                }
                else if (strcmp(opt, "--no-table-grow") == 0) {
                        o->no_table_grow = true;
                } else if (strcmp(opt, "--port-tries") == 0) {
                        long long v;
                        if (cmdline_number(&cl, opt, val, 0, 65536, &v) < 0)
                                return -1;
                        o->port_tries = (long)v + 1;
                }
                else if (strcmp(opt, "--no-pkb-keep") == 0) {
                        o->no_pkb_keep = true;
                } else if (strcmp(opt, "--no-lookup-cache") == 0) {
                        o->no_lookup_cache = true;
                }
                else if (strcmp(opt, "--mtu") == 0) {
                        long long v;
                        if (cmdline_number(&cl, opt, val, 576, 65535, &v) < 0)
                                return -1;
                        o->mtu = (long)v;
                }
                else if (strcmp(opt, "--no-header-prediction") == 0) {
                        o->no_header_prediction = true;
                }
                else {
                        abort();                 /* a row of the table without its case */
                }
        }
        return r;
}
static int check_count(struct sim_opts *o, const struct scenario *sc)
{
        if (o->count == 0) {
                o->count = sc->count_default;
                return 0;
        }
        if (sc->count_max == 0) {
                fprintf(stderr, "tcpsim: --count %ld: scenario %s takes no --count\n",
                        o->count, sc->name);
                return -1;
        }
        if (o->count > sc->count_max) {
                fprintf(stderr, "tcpsim: --count %ld: too many for %s (1 to %ld)\n",
                        o->count, sc->name, sc->count_max);
                return -1;
        }
        return 0;
}

int main(int argc, char **argv)
{
        if (argc >= 2 && (strcmp(argv[1], "--list") == 0 ||
                          strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                sim_usage(stdout);
                return 0;
        }
        struct sim_opts o;
        memset(&o, 0, sizeof o);
        impair_cfg_default(&o.link);
        o.seed = 1;
        const struct scenario *sc = find_scenario(argc, argv);
        if (sc == NULL || parse_sim_args(&o, argc, argv) < 0 || check_count(&o, sc) < 0) {
                fprintf(stderr, "usage: tcpsim SCENARIO [options] (tcpsim --help lists "
                        "the scenarios and the options)\n");
                return 2;
        }
        if (o.seed == 1 && o.link.seed != 1)
                o.seed = o.link.seed;        /* --impair ...,seed=N is --seed N */
        int status = sc->run(&o);
        return status != 0 ? status : pcap_write_failures > 0;
}
struct probe_log {
        long sent;
        long received, duplicates, reordered, damaged;
        long highest;               /* highest probe number seen */
        unsigned char *seen;        /* how many times each probe arrived */
        FILE *trace;
        struct loop *loop;
};

static struct pkb *make_probe(long n, usec_t now)
{
        static const uint8_t hdr[20] = {
                0x45, 0, 0, 32, 0, 0, 0x40, 0, 64, 253, 0, 0,
                10, 0, 0, 1, 10, 0, 0, 2 };
        struct pkb *p = pkb_alloc();
        if (p == NULL)
                return NULL;
        uint8_t *b = pkb_put(p, 32);
        memcpy(b, hdr, sizeof hdr);
        b[4] = (uint8_t)(n >> 8);   /* identification: the probe number */
        b[5] = (uint8_t)n;
        put_be32(b + 20, (uint32_t)n);
        put_be32(b + 24, (uint32_t)(now >> 32));
        put_be32(b + 28, (uint32_t)now);
        field_set(b, &ip_fields[IP_CHECKSUM], inet_checksum(b, IP_HDR_MIN));
        return p;
}
static void probe_arrived(struct netdev *dev, struct pkb *p, void *arg)
{
        (void)dev;
        struct probe_log *log = arg;
        usec_t now = loop_now(log->loop);
        long n = p->len == 32 ? (long)get_be32(p->data + 20) : -1;
        usec_t sent = p->len == 32 ?
                (usec_t)get_be32(p->data + 24) << 32 | get_be32(p->data + 28) : 0;
        bool intact = n >= 0 && n < log->sent && sent == MSEC(n);
        if (intact) {                    /* byte for byte the probe n was */
                struct pkb *want = make_probe(n, sent);
                intact = want != NULL && memcmp(want->data, p->data, 32) == 0;
                pkb_free(want);
        }
        log->received++;
        if (!intact) {
                log->damaged++;
                if (log->trace)
                        fprintf(log->trace, "damaged %.3f\n", (double)now / 1000);
        } else {
                if (log->seen[n]++ > 0)
                        log->duplicates++;
                else if (n < log->highest)
                        log->reordered++;
                log->highest = MAX(log->highest, n);
                if (log->trace)
                        fprintf(log->trace, "probe %ld %.3f %.3f\n", n,
                                (double)sent / 1000, (double)now / 1000);
        }
        pkb_free(p);
}
struct prober {
        struct netdev *dev;
        struct timer timer;
        long next, count;
        struct loop *loop;
};

static void send_probe(struct timer *t, void *arg)
{
        struct prober *pr = arg;
        struct pkb *p = make_probe(pr->next, loop_now(pr->loop));
        if (p != NULL)
                netdev_send(pr->dev, p);
        if (++pr->next < pr->count)
                timer_arm_in(pr->loop, t, MSEC(1));
}

static int scenario_wire(const struct sim_opts *o)
{
        struct loop loop;
        loop_init(&loop, CLOCK_VIRTUAL);
        struct impair_cfg ab = o->link, ba = o->link;
        ab.seed = o->seed;
        ba.seed = o->seed + 1;
        struct simlink *link = simlink_create(&loop, &ab, &ba, 1500);
        struct netdev *a = simlink_end(link, 0), *b = simlink_end(link, 1);
        char err[256];
        if (o->pcap != NULL && (b = pcap_wrap(b, o->pcap, err, sizeof err)) == NULL) {
                fprintf(stderr, "tcpsim: %s\n", err);
                netdev_destroy(a);
                netdev_destroy(simlink_end(link, 1));
                return 1;
        }
        long count = o->count;
        struct probe_log log = { .sent = count, .loop = &loop };
        if (o->trace != NULL && (log.trace = trace_open(o->trace)) == NULL) {
                netdev_destroy(a);
                netdev_destroy(b);
                return 1;
        }
        log.seen = xcalloc((size_t)count, 1);
        netdev_set_rx(b, probe_arrived, &log);
        struct prober pr = { .dev = a, .next = 0, .count = count, .loop = &loop };
        timer_init(&pr.timer, send_probe, &pr);
        timer_arm(&loop, &pr.timer, 0);
        loop_run_until(&loop, MSEC(count) + o->link.delay + o->link.reorder_gap + SEC(10));
        const struct impair_stats *s = simlink_stats(link, 0);
        long distinct = log.received - log.duplicates - log.damaged;
        printf("wire: %ld probes sent, one per ms, seed %llu\n", count,
               (unsigned long long)o->seed);
        printf("link:     %llu lost, %llu duplicated, %llu corrupted, %llu held back, "
               "%llu queue drops\n",
               (unsigned long long)s->lost, (unsigned long long)s->duplicated,
               (unsigned long long)s->corrupted, (unsigned long long)s->reordered,
               (unsigned long long)s->queue_drops);
        printf("receiver: %ld arrived (%ld distinct, %ld duplicates, %ld damaged), "
               "%ld out of order, %ld never arrived\n",
               log.received, distinct, log.duplicates, log.damaged, log.reordered,
               count - distinct);
        if (log.trace) {
                for (long n = 0; n < count; n++)
                        if (log.seen[n] == 0)
                                fprintf(log.trace, "lost %ld %.3f\n", n,
                                        (double)MSEC(n) / 1000);
        }
        int status = log.trace != NULL ? trace_close(log.trace, o->trace) : 0;
        free(log.seen);
        netdev_destroy(a);
        netdev_destroy(b);
        loop_free(&loop);
        return status < 0;
}
struct pinger {
        struct host *from;
        uint32_t to;
        struct timer timer;
        int seq, count, replies;
        usec_t sent_at[1024];
        unsigned char seen[1024];
};

static void ping_reply(struct host *h, uint32_t from, const struct pkb *p, void *arg)
{
        (void)from;
        struct pinger *pg = arg;
        if (p->len < ICMP_HDR_LEN)
                return;
        int seq = p->data[6] << 8 | p->data[7];
        if (seq >= pg->count)
                return;
        double rtt = (double)(loop_now(h->loop) - pg->sent_at[seq]) / 1000;
        printf("%zu bytes from 10.0.0.2: icmp_seq=%d time=%.1f ms%s\n",
               p->len, seq, rtt, pg->seen[seq] ? " (DUP!)" : "");
        if (!pg->seen[seq]++)
                pg->replies++;
}

static void ping_send(struct timer *t, void *arg)
{
        struct pinger *pg = arg;
        static const char data[56] = "tcpsim ping payload";
        pg->sent_at[pg->seq] = loop_now(pg->from->loop);
        icmp_send_echo(pg->from, pg->to, 0x7c5, (uint16_t)pg->seq, data, sizeof data);
        if (++pg->seq < pg->count)
                timer_arm_in(pg->from->loop, t, SEC(1));
}
struct sim_pair {
        struct loop loop;
        struct simlink *link;
        struct host *a, *b;
        usec_t delay;               /* of the link, each way */
};

/* The settings of a host that the command line may change; chapter 8
 * adds the first (--cc). */
static void sim_apply_options(const struct sim_opts *o, struct config *cfg)
{
        (void)o;
        (void)cfg;
        if (o->cc != NULL)
                cfg->cc = o->cc;
        if (o->as_of > 0 && o->as_of < 7)
                cfg->window_scaling = false;
        if (o->as_of > 0 && o->as_of < 8)
                cfg->cc = &tcp_cc_none;
        if (o->no_sack || (o->as_of > 0 && o->as_of < 9))
                cfg->sack = false;
        if (o->no_timestamps || (o->as_of > 0 && o->as_of < 10))
                cfg->timestamps = false;
        if (o->no_eifel)
                cfg->eifel = false;
        if (o->no_blackhole || (o->as_of > 0 && o->as_of < 11))
                cfg->blackhole_rtos = 0;
        if (o->ecn > 0)
                cfg->ecn = o->ecn - 1;
        if (o->as_of > 0 && o->as_of < 11)
                cfg->ecn = 0;
        if (o->as_of > 0 && o->as_of < 12)
                cfg->syncookies = false;
        if (o->no_table_grow || (o->as_of > 0 && o->as_of < 13))
                cfg->table_grow = false;
        if (o->port_tries > 0)
                cfg->port_tries = (uint32_t)(o->port_tries - 1);
        if (o->as_of > 0 && o->as_of < 13)
                cfg->port_tries = 0;
        if (o->no_pkb_keep || (o->as_of > 0 && o->as_of < 13))
                cfg->pkb_keep = 0;
        if (o->no_lookup_cache || (o->as_of > 0 && o->as_of < 13))
                cfg->lookup_cache = false;
        if (o->no_header_prediction || (o->as_of > 0 && o->as_of < 13))
                cfg->header_prediction = false;
        if (o->as_of > 0 && o->as_of < 13)
                wire_fast = false;          /* chapter 2's fields and checksum */
}

static int sim_pair_init(struct sim_pair *s, const struct sim_opts *o,
                         const struct config *cfg, usec_t default_delay)
{
        loop_init(&s->loop, CLOCK_VIRTUAL);
        struct impair_cfg ab = o->link, ba = o->link;
        if (o->link.delay == 0)
                ab.delay = ba.delay = default_delay;
        ab.seed = o->seed;
        ba.seed = o->seed + 1;
        unsigned mtu = 1500;
        if (o->mtu > 0)
                mtu = (unsigned)o->mtu;
        s->link = simlink_create(&s->loop, &ab, &ba, mtu);
        s->delay = ab.delay;
        struct netdev *da = simlink_end(s->link, 0);
        char err[256];
        if (o->pcap != NULL) {
                struct netdev *w = pcap_wrap(da, o->pcap, err, sizeof err);
                if (w == NULL) {
                        fprintf(stderr, "tcpsim: %s\n", err);
                        netdev_destroy(da);
                        netdev_destroy(simlink_end(s->link, 1));
                        return -1;
                }
                da = w;
        }
        struct config ca = *cfg, cb = *cfg;
        sim_apply_options(o, &ca);
        sim_apply_options(o, &cb);
        ca.addr = 0x0a000001;
        cb.addr = 0x0a000002;
        s->a = host_create(&s->loop, da, &ca);
        s->b = host_create(&s->loop, simlink_end(s->link, 1), &cb);
        if (o->offload) {
                simlink_end(s->link, 0)->csum_offload = true;
                simlink_end(s->link, 1)->csum_offload = true;
        }
        return 0;
}

static void sim_pair_free(struct sim_pair *s)
{
        host_destroy(s->a);
        host_destroy(s->b);
        loop_free(&s->loop);
}
static int scenario_ping(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        struct sim_pair s;
        if (sim_pair_init(&s, o, &cfg, 0) < 0)
                return 1;
        static struct pinger pg;
        memset(&pg, 0, sizeof pg);
        pg.from = s.a;
        pg.to = 0x0a000002;
        pg.count = (int)o->count;
        s.a->on_echo_reply = ping_reply;
        s.a->echo_arg = &pg;
        timer_init(&pg.timer, ping_send, &pg);
        timer_arm(&s.loop, &pg.timer, 0);
        printf("PING 10.0.0.2 from 10.0.0.1: 56 data bytes\n");
        loop_run_until(&s.loop, SEC(pg.count) + SEC(5));
        printf("--- 10.0.0.2 ping statistics ---\n");
        printf("%d packets transmitted, %d received, %d%% packet loss\n",
               pg.count, pg.replies, 100 * (pg.count - pg.replies) / pg.count);
        sim_pair_free(&s);
        return 0;
}

static int scenario_ipv4_header(const struct sim_opts *o)
{
        (void)o;
        field_print_dot(stdout, "IPv4 header (RFC 791)", ip_fields, IP_NFIELDS);
        return 0;
}
static int scenario_tcp_header(const struct sim_opts *o)
{
        (void)o;
        field_print_dot(stdout, "TCP header (RFC 9293)", tcp_fields, TCP_NFIELDS);
        return 0;
}
static const int state_rank[TCP_NSTATES] = {
        [TCP_CLOSED] = 0, [TCP_LISTEN] = 1, [TCP_SYN_SENT] = 1,
        [TCP_SYN_RECEIVED] = 2, [TCP_ESTABLISHED] = 3,
        [TCP_FIN_WAIT_1] = 4, [TCP_CLOSE_WAIT] = 4,
        [TCP_FIN_WAIT_2] = 5, [TCP_CLOSING] = 5, [TCP_LAST_ACK] = 5,
        [TCP_TIME_WAIT] = 6,
};
static bool drawn(const struct tcp_transition *r, int chapter)
{
        return r->chapter > 0 && r->chapter <= chapter;
}

static void tcp_print_state_dot(FILE *out, int chapter)
{
        bool used[TCP_NSTATES] = { false };
        char aside[TCP_NSTATES][160] = { { 0 } };   /* merged labels, per state */
        for (size_t i = 0; i < tcp_ntransitions; i++)
                if (drawn(&tcp_transitions[i], chapter))
                        used[tcp_transitions[i].from] = used[tcp_transitions[i].to] = true;
        fprintf(out, "digraph tcp {\n"
                "  rankdir=TB; nodesep=0.5; ranksep=0.45; size=\"7.5,9.5\";\n"
                "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fa\", "
                "fontname=\"Helvetica\", fontsize=11];\n"
                "  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (int s = 0; s < TCP_NSTATES; s++)
                if (used[s])
                        fprintf(out, "  s%d [label=\"%s\"];\n", s, tcp_state_names[s]);
        for (int r = 0; r < TCP_NSTATES; r++) {
                fprintf(out, "  { rank=same;");
                for (int s = 0; s < TCP_NSTATES; s++)
                        if (used[s] && state_rank[s] == r)
                                fprintf(out, " s%d;", s);
                fprintf(out, " }\n");
        }
        for (size_t i = 0; i < tcp_ntransitions; i++) {
                const struct tcp_transition *r = &tcp_transitions[i];
                if (!drawn(r, chapter))
                        continue;
                if (r->aside && r->to == TCP_CLOSED) {
                        char *a = aside[r->from];
                        if (strstr(a, r->label) == NULL)
                                snprintf(a + strlen(a), sizeof aside[0] - strlen(a), "%s%s",
                                         a[0] ? "\\n" : "", r->label);
                        continue;
                }
                fprintf(out, "  s%d -> s%d [label=\"%s\"%s%s%s];\n",
                        r->from, r->to, r->label,
                        r->chapter == chapter ?
                                ", color=\"#1f5fa0\", fontcolor=\"#1f5fa0\"" : "",
                        r->aside ? ", style=dashed" : "",
                        state_rank[r->to] < state_rank[r->from] ?
                                ", constraint=false" : "");
        }
        bool any = false;
        for (int s = 0; s < TCP_NSTATES; s++)
                any = any || aside[s][0] != '\0';
        if (any) {
                fprintf(out, "  end [label=\"CLOSED\", style=\"rounded,dashed\"];\n"
                        "  { rank=sink; end; }\n");
                for (int s = 0; s < TCP_NSTATES; s++)
                        if (aside[s][0] != '\0')
                                fprintf(out, "  s%d -> end [label=\"%s\", style=dashed, "
                                        "color=\"#888888\", fontcolor=\"#666666\"];\n",
                                        s, aside[s]);
        }
        fprintf(out, "}\n");
}
struct ladder {
        FILE *f;
        const char *path;
        bool failed;                /* the trace could not be opened */
        struct loop *loop;
        struct host *a, *b;
        usec_t delay;               /* the link's, to draw lost segments */
        uint32_t isn[2];            /* first sequence number seen from each side */
        bool have_isn[2];
        struct ladder_rec *rec;     /* what will be drawn, written at the end */
        size_t nrec, caprec;
        char pending[2][96];        /* state changes not yet written, per side */
        usec_t pending_at[2];
        int drop_nth_data;          /* lose this data segment (1 = the first), 0: none */
        int data_seen;
};

struct ladder_rec {
        char kind;                  /* 's': a segment, 't': a state */
        int side, lost;
        usec_t t1, t2;              /* sent and arrived, or when the state began */
        char label[128];
};

#define LADDER_GAP MSEC(30)

static void ladder_record(struct ladder *lad, char kind, int side, usec_t t1, usec_t t2,
                          bool lost, const char *label)
{
        if (lad->nrec == lad->caprec) {
                lad->caprec = lad->caprec ? 2 * lad->caprec : 64;
                lad->rec = realloc(lad->rec, lad->caprec * sizeof *lad->rec);
                if (lad->rec == NULL)
                        oom();
        }
        struct ladder_rec *r = &lad->rec[lad->nrec++];
        r->kind = kind;
        r->side = side;
        r->t1 = t1;
        r->t2 = t2;
        r->lost = lost;
        snprintf(r->label, sizeof r->label, "%s", label);
}

static int cmp_usec(const void *a, const void *b)
{
        usec_t x = *(const usec_t *)a, y = *(const usec_t *)b;
        return x < y ? -1 : x > y;
}
static void ladder_write(struct ladder *lad)
{
        usec_t limit = MAX(LADDER_GAP, 4 * lad->delay);
        size_t nt = 0;
        usec_t *t = malloc((2 * lad->nrec + 1) * sizeof *t);
        if (t == NULL)
                oom();
        for (size_t i = 0; i < lad->nrec; i++) {
                t[nt++] = lad->rec[i].t1;
                if (lad->rec[i].kind == 's')
                        t[nt++] = lad->rec[i].t2;
        }
        qsort(t, nt, sizeof *t, cmp_usec);
        /* cut[i]: how much is removed before t[i] */
        usec_t *cut = calloc(nt + 1, sizeof *cut);
        if (cut == NULL)
                oom();
        for (size_t i = 1; i < nt; i++) {
                usec_t gap = t[i] - t[i - 1];
                cut[i] = cut[i - 1] + (gap > limit ? gap - limit : 0);
                if (gap > limit)
                        fprintf(lad->f, "gap %.3f %.0f\n",
                                (double)(t[i - 1] - cut[i - 1] + limit / 2) / 1000,
                                (double)gap / 1000);
        }
        for (size_t i = 0; i < lad->nrec; i++) {
                struct ladder_rec *r = &lad->rec[i];
                usec_t d[2];
                for (int k = 0; k < 2; k++) {
                        usec_t x = k == 0 ? r->t1 : r->t2;
                        usec_t *at = bsearch(&x, t, nt, sizeof *t, cmp_usec);
                        d[k] = at != NULL ? x - cut[at - t] : x;
                }
                if (r->kind == 's')
                        fprintf(lad->f, "seg %d %.3f %.3f %d \"%s\"\n", r->side,
                                (double)d[0] / 1000, (double)d[1] / 1000,
                                r->lost, r->label);
                else
                        fprintf(lad->f, "state %d %.3f \"%s\"\n", r->side,
                                (double)d[0] / 1000, r->label);
        }
        free(cut);
        free(t);
}

static void ladder_describe(struct ladder *lad, int from, const struct pkb *p,
                            char *buf, size_t len)
{
        const uint8_t *ip = p->data;
        size_t hl = ip_get(ip, IP_IHL) * 4;
        if (p->len < hl + TCP_HDR_MIN || ip_get(ip, IP_PROTOCOL) != IPPROTO_TCP_) {
                snprintf(buf, len, "IP %zu bytes", p->len);
                return;
        }
        const uint8_t *t = ip + hl;
        uint8_t fl = tcp_get_flags(t);
        uint32_t seq = tcp_get(t, TCP_SEQ), ack = tcp_get(t, TCP_ACK);
        if (!lad->have_isn[from] && (fl & TH_SYN)) {
                lad->isn[from] = seq;
                lad->have_isn[from] = true;
        }
        int n = snprintf(buf, len, "%s%s%s%s%s",
                         fl & TH_SYN ? "SYN " : "", fl & TH_FIN ? "FIN " : "",
                         fl & TH_RST ? "RST " : "", fl & TH_PSH ? "PSH " : "",
                         fl & TH_ACK ? "ACK " : "");
        n += snprintf(buf + n, len - (size_t)n, "seq=%u", seq - lad->isn[from]);
        if (fl & TH_ACK)
                n += snprintf(buf + n, len - (size_t)n, " ack=%u",
                              ack - lad->isn[1 - from]);
        size_t dl = p->len - hl - tcp_get(t, TCP_DOFF) * 4;
        if (dl > 0)
                n += snprintf(buf + n, len - (size_t)n, " len=%zu", dl);
        {
                struct tcp_options o;
                uint64_t problems[TCP_OPT_PROBLEMS] = { 0 };
                memset(&o, 0, sizeof o);
                size_t ol = tcp_get(t, TCP_DOFF) * 4 - TCP_HDR_MIN;
                tcp_parse_options(t + TCP_HDR_MIN, ol, &o, problems);
                for (int k = 0; k < o.nsack && (size_t)n < len; k++)
                        n += snprintf(buf + n, len - (size_t)n, "%s%u-%u", k ? "," : " SACK=",
                                      o.sack[k].start - lad->isn[1 - from],
                                      o.sack[k].end - lad->isn[1 - from]);
        }
}

static void ladder_tap(struct ladder *lad, int from, const struct pkb *p,
                       usec_t sent, usec_t arrived, bool lost)
{
        char what[128];
        ladder_describe(lad, from, p, what, sizeof what);
        if (lost)                        /* drawn as if it had arrived */
                arrived = sent + lad->delay;
        ladder_record(lad, 's', from, sent, arrived, lost, what);
}

static void ladder_tap_a(void *arg, const struct pkb *p, usec_t sent, usec_t arrived,
                         bool lost)
{
        ladder_tap(arg, 0, p, sent, arrived, lost);
}

static void ladder_tap_b(void *arg, const struct pkb *p, usec_t sent, usec_t arrived,
                         bool lost)
{
        ladder_tap(arg, 1, p, sent, arrived, lost);
}

static void ladder_flush(struct ladder *lad, int side)
{
        if (lad->pending[side][0] != '\0')
                ladder_record(lad, 't', side, lad->pending_at[side], 0, false,
                              lad->pending[side]);
        lad->pending[side][0] = '\0';
}

static void ladder_state(struct tcb *t, enum tcp_state from, enum tcp_state to, void *arg)
{
        struct ladder *lad = arg;
        if (lad->f == NULL || (from == TCP_CLOSED && to == TCP_LISTEN && t->rport != 0))
                return;                      /* a new half-open copy of a listener */
        int side = t->host == lad->a ? 0 : 1;
        usec_t now = loop_now(lad->loop);
        if (lad->pending[side][0] != '\0' && lad->pending_at[side] == now) {
                size_t n = strlen(lad->pending[side]);
                snprintf(lad->pending[side] + n, sizeof lad->pending[side] - n,
                         ", %s", tcp_state_names[to]);
                return;                      /* several changes at one instant */
        }
        ladder_flush(lad, side);
        snprintf(lad->pending[side], sizeof lad->pending[side], "%s", tcp_state_names[to]);
        lad->pending_at[side] = now;
}
static void ladder_open(struct ladder *lad, struct sim_pair *s, const char *path)
{
        memset(lad, 0, sizeof *lad);
        lad->loop = &s->loop;
        lad->a = s->a;
        lad->b = s->b;
        lad->delay = MAX(s->delay, MSEC(1));
        if (path == NULL)
                return;
        lad->path = path;
        lad->f = trace_open(path);
        if (lad->f == NULL) {
                lad->failed = true;
                return;
        }
        simlink_set_tap(s->link, 0, ladder_tap_a, lad);
        simlink_set_tap(s->link, 1, ladder_tap_b, lad);
        s->a->on_state = s->b->on_state = ladder_state;
        s->a->state_arg = s->b->state_arg = lad;
}

/* Returns -1 if the trace could not be written. */
static int ladder_close(struct ladder *lad)
{
        if (lad->f == NULL)
                return lad->failed ? -1 : 0;
        ladder_flush(lad, 0);
        ladder_flush(lad, 1);
        ladder_write(lad);
        int status = trace_close(lad->f, lad->path);
        free(lad->rec);
        lad->f = NULL;
        return status;
}
static void report_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        (void)arg;
        char a[16];
        snprintf(a, sizeof a, "%u", t->lport);
        if (ev == TCP_EV_CONNECTED)
                printf("%.3f s: a: connected from port %s\n",
                       (double)loop_now(t->host->loop) / 1e6, a);
        else if (ev == TCP_EV_ERROR)
                printf("%.3f s: a: connect failed: %s\n",
                       (double)loop_now(t->host->loop) / 1e6, strerror(t->error));
}

static void accept_all(struct tcb *l, enum tcp_event ev, void *arg)
{
        int *accepted = arg;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        struct tcb *c;
        while ((c = tcp_accept(l)) != NULL) {
                (*accepted)++;
                printf("%.3f s: b: accepted a connection from port %u\n",
                       (double)loop_now(l->host->loop) / 1e6, c->rport);
        }
}

static int scenario_handshake(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        struct sim_pair s;
        if (sim_pair_init(&s, o, &cfg, MSEC(10)) < 0)
                return 1;
        struct ladder lad;
        ladder_open(&lad, &s, o->trace);
        int accepted = 0, err;
        tcp_listen(s.b, 80, 16, accept_all, &accepted, &err);
        tcp_connect(s.a, s.b->cfg.addr, 80, report_event, NULL, &err);
        loop_run_until(&s.loop, SEC(70));
        printf("a: %s; b: %d accepted\n", s.a->tcp->count == 1 ? "1 connection" :
               "no connection", accepted);
        int status = ladder_close(&lad);
        sim_pair_free(&s);
        return status < 0;
}

static int scenario_states(const struct sim_opts *o)
{
        tcp_print_state_dot(stdout, (int)o->count);
        return 0;
}
static void inject_old_syn(struct sim_pair *s, uint32_t seq)
{
        struct segment syn;
        memset(&syn, 0, sizeof syn);
        syn.src = s->a->cfg.addr;
        syn.dst = s->b->cfg.addr;
        syn.sport = 40000;
        syn.dport = 80;
        syn.seq = seq;
        syn.flags = TH_SYN;
        syn.wnd = 65535;
        syn.opt.mss_present = true;
        syn.opt.mss = 1460;
        tcp_send_segment(s->a, &syn);    /* as a's old incarnation sent it */
}

static int scenario_old_syn(const struct sim_opts *o, bool two_way)
{
        struct config cfg;
        config_default(&cfg);
        cfg.two_way_handshake = two_way;
        struct sim_pair s;
        if (sim_pair_init(&s, o, &cfg, MSEC(10)) < 0)
                return 1;
        struct ladder lad;
        ladder_open(&lad, &s, o->trace);
        int accepted = 0, err;
        tcp_listen(s.b, 80, 16, accept_all, &accepted, &err);
        inject_old_syn(&s, 0x5eed0000);
        loop_run_until(&s.loop, SEC(1));
        printf("%s handshake: b's application accepted %d connection%s; "
               "b now holds %zu TCB%s besides its listener\n",
               two_way ? "two-way" : "three-way", accepted, accepted == 1 ? "" : "s",
               s.b->tcp->count - 1, s.b->tcp->count - 1 == 1 ? "" : "s");
        int status = ladder_close(&lad);
        sim_pair_free(&s);
        return status < 0;
}

static int scenario_old_syn_3(const struct sim_opts *o)
{
        return scenario_old_syn(o, false);
}

static int scenario_old_syn_2(const struct sim_opts *o)
{
        return scenario_old_syn(o, true);
}
struct closer {
        struct loop *loop;
        struct tcb *conn;
        struct timer later;
        usec_t delay;               /* how long after end of stream to close */
        bool read_data;             /* false: leave data unread */
        bool reply;                 /* at end of stream, reply with the count */
        size_t got;
        char first[32];             /* the first bytes received, for the report */
};

static void closer_close(struct timer *tm, void *arg)
{
        (void)tm;
        struct closer *c = arg;
        if (c->conn != NULL)
                tcp_close(c->conn);
        c->conn = NULL;
}

/* Both sides of the close scenarios report an error the same way. */
static bool ended_by_error(struct tcb *t, enum tcp_event ev, char side, struct tcb **conn)
{
        if (ev != TCP_EV_ERROR)
                return false;
        printf("%.3f s: %c: connection ended: %s\n",
               (double)loop_now(t->host->loop) / 1e6, side, strerror(t->error));
        *conn = NULL;
        return true;
}

static void closer_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct closer *c = arg;
        if (ended_by_error(t, ev, 'b', &c->conn))
                return;
        uint8_t buf[4096];
        size_t n;
        while (c->read_data && (n = tcp_recv(t, buf, sizeof buf)) > 0) {
                if (c->got < sizeof c->first - 1) {
                        size_t k = MIN(n, sizeof c->first - 1 - c->got);
                        memcpy(c->first + c->got, buf, k);
                }
                c->got += n;
        }
        if (tcp_eof(t) && c->reply && c->conn == t) {
                char reply[32];
                int k = snprintf(reply, sizeof reply, "%zu bytes\n", c->got);
                tcp_send(t, reply, (size_t)k);
        }
        if (tcp_eof(t) && c->conn == t && c->delay == 0) {
                tcp_close(t);                /* at once: inside the event */
                c->conn = NULL;
        } else if (tcp_eof(t) && !timer_armed(&c->later) && c->conn == t) {
                timer_arm_in(c->loop, &c->later, c->delay);
        }
}

static void closer_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        struct closer *c = arg;
        struct tcb *t;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        while ((t = tcp_accept(l)) != NULL) {
                c->conn = t;
                tcp_set_handler(t, closer_event, c);
                closer_event(t, TCP_EV_READABLE, c);
        }
}
enum close_kind { CLOSE_FOUR, CLOSE_THREE, CLOSE_SIMULTANEOUS, CLOSE_UNREAD, CLOSE_HALF };

struct client {
        struct loop *loop;
        enum close_kind kind;
        struct tcb *conn;
        char reply[64];
        size_t got;
};

static void client_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct client *c = arg;
        if (ended_by_error(t, ev, 'a', &c->conn))
                return;
        if (ev == TCP_EV_CONNECTED) {
                static const char req[] = "hello";
                tcp_send(t, req, sizeof req - 1);
                if (c->kind == CLOSE_HALF)
                        tcp_shutdown(t);
                else if (c->kind != CLOSE_SIMULTANEOUS)
                        tcp_close(t);
                if (c->kind != CLOSE_HALF && c->kind != CLOSE_SIMULTANEOUS)
                        c->conn = NULL;
                return;
        }
        size_t n;
        uint8_t buf[64];
        while ((n = tcp_recv(t, buf, sizeof buf)) > 0) {
                memcpy(c->reply + c->got, buf, MIN(n, sizeof c->reply - 1 - c->got));
                c->got += MIN(n, sizeof c->reply - 1 - c->got);
        }
        if (tcp_eof(t) && c->conn == t) {
                printf("%.3f s: a: end of stream after \"%.*s\"; closing\n",
                       (double)loop_now(c->loop) / 1e6,
                       (int)strcspn(c->reply, "\n"), c->reply);
                tcp_close(t);
                c->conn = NULL;
        }
}
static void close_both(struct timer *tm, void *arg)
{
        (void)tm;
        struct tcb **conns = arg;
        if (conns[0] != NULL)
                tcp_close(conns[0]);
        if (conns[1] != NULL)
                tcp_close(conns[1]);
}

static int scenario_close(const struct sim_opts *o, enum close_kind kind)
{
        struct config cfg;
        config_default(&cfg);
        cfg.msl = MSEC(100);
        struct sim_pair s;
        if (sim_pair_init(&s, o, &cfg, MSEC(10)) < 0)
                return 1;
        struct ladder lad;
        ladder_open(&lad, &s, o->trace);
        struct closer srv = { .loop = &s.loop, .read_data = kind != CLOSE_UNREAD,
                              .reply = kind == CLOSE_HALF,
                              .delay = kind == CLOSE_FOUR ? MSEC(5) : 0 };
        timer_init(&srv.later, closer_close, &srv);
        struct client cli = { .loop = &s.loop, .kind = kind };
        int err;
        tcp_listen(s.b, 80, 4, closer_accept, &srv, &err);
        cli.conn = tcp_connect(s.a, s.b->cfg.addr, 80, client_event, &cli, &err);
        struct timer both;
        struct tcb *conns[2];
        if (kind == CLOSE_SIMULTANEOUS) {
                loop_run_until(&s.loop, MSEC(40));
                conns[0] = cli.conn;
                conns[1] = srv.conn;
                srv.conn = NULL;
                timer_init(&both, close_both, conns);
                timer_arm(&s.loop, &both, MSEC(50));
        }
        if (kind == CLOSE_UNREAD) {
                loop_run_until(&s.loop, MSEC(45));
                timer_arm(&s.loop, &srv.later, MSEC(50));     /* closes, data unread */
        }
        loop_run_until(&s.loop, SEC(1));
        printf("b read %zu bytes%s%.*s%s; TCBs left: a %zu, b %zu (b's listener)\n",
               srv.got, srv.got ? " (\"" : "", (int)strlen(srv.first), srv.first,
               srv.got ? "\")" : "", s.a->tcp->count, s.b->tcp->count);
        int status = ladder_close(&lad);
        sim_pair_free(&s);
        return status < 0;
}

static int scenario_close_four(const struct sim_opts *o)
{
        return scenario_close(o, CLOSE_FOUR);
}

static int scenario_close_three(const struct sim_opts *o)
{
        return scenario_close(o, CLOSE_THREE);
}

static int scenario_close_simul(const struct sim_opts *o)
{
        return scenario_close(o, CLOSE_SIMULTANEOUS);
}

static int scenario_close_unread(const struct sim_opts *o)
{
        return scenario_close(o, CLOSE_UNREAD);
}

static int scenario_close_half(const struct sim_opts *o)
{
        return scenario_close(o, CLOSE_HALF);
}
struct tw_experiment {
        struct pkb *old;            /* the delayed copy, kept by the network */
        uint32_t want_seq;
        struct closer srv;
};

static void tw_tap(void *arg, const struct pkb *p, usec_t sent, usec_t arrived, bool lost)
{
        (void)sent;
        (void)arrived;
        (void)lost;
        struct tw_experiment *x = arg;
        size_t hl = ip_get(p->data, IP_IHL) * 4;
        if (x->old == NULL && ip_get(p->data, IP_PROTOCOL) == IPPROTO_TCP_ &&
            p->len > hl + TCP_HDR_MIN && tcp_get(p->data + hl, TCP_SEQ) == x->want_seq)
                x->old = pkb_clone(p);
}

static int scenario_time_wait(const struct sim_opts *o, bool zero)
{
        struct config cfg;
        config_default(&cfg);
        if (zero)
                cfg.msl = 0;
        struct sim_opts oo = *o;
        oo.link.delay = MSEC(1);             /* this experiment's timing needs it */
        struct sim_pair s;
        if (sim_pair_init(&s, &oo, &cfg, MSEC(1)) < 0)
                return 1;
        struct tw_experiment x = { .srv = { .loop = &s.loop, .read_data = true } };
        timer_init(&x.srv.later, closer_close, &x.srv);
        int err;
        tcp_listen(s.b, 80, 4, closer_accept, &x.srv, &err);
        struct tcb *a = tcp_connect_from(s.a, 40000, s.b->cfg.addr, 80, NULL, NULL, &err);
        x.want_seq = a->iss + 1 + 14600;
        simlink_set_tap(s.link, 0, tw_tap, &x);
        loop_run_until(&s.loop, MSEC(5));
        static uint8_t old[20 * 1460];
        memset(old, 'O', sizeof old);
        tcp_send(a, old, sizeof old);
        tcp_close(a);
        loop_run_until(&s.loop, MSEC(58) + 400);
        printf("old connection: %zu bytes delivered to b, closed; a has %zu TCB%s (%s)\n",
               x.srv.got, s.a->tcp->count, s.a->tcp->count == 1 ? "" : "s",
               s.a->tcp->count ? "TIME-WAIT" : "TIME-WAIT already over");
        x.srv.got = 0;
        memset(x.srv.first, 0, sizeof x.srv.first);
        struct tcb *n = tcp_connect_from(s.a, 40000, s.b->cfg.addr, 80, NULL, NULL, &err);
        if (n == NULL)
                printf("%.1f ms: a cannot reconnect from port 40000: %s\n",
                       (double)loop_now(&s.loop) / 1000, strerror(err));
        else
                printf("%.1f ms: a reconnects from port 40000 with ISN old + %u\n",
                       (double)loop_now(&s.loop) / 1000, n->iss - (x.want_seq - 1 - 14600));
        loop_run_for(&s.loop, MSEC(3));
        if (x.old != NULL) {
                printf("%.1f ms: the delayed old segment "
                       "(seq old + 14601, 1460 bytes) arrives\n",
                       (double)loop_now(&s.loop) / 1000);
                netdev_send(s.a->dev, x.old);      /* through the link, to b */
                x.old = NULL;
        }
        loop_run_for(&s.loop, MSEC(3));
        if (n != NULL && n->state == TCP_ESTABLISHED) {
                static const char fresh[100] = { [0 ... 99] = 'N' };
                tcp_send(n, fresh, sizeof fresh);
        }
        loop_run_for(&s.loop, MSEC(50));
        printf("b's application read %zu bytes on the new connection, "
               "starting \"%.12s\"%s\n",
               x.srv.got, x.srv.first,
               x.srv.got && x.srv.first[0] == 'O' ? ": data of the OLD connection" : "");
        printf("resets sent by b: %llu\n", (unsigned long long)s.b->stats.tcp.out_rsts);
        pkb_free(x.old);
        sim_pair_free(&s);
        return 0;
}

static int scenario_tw(const struct sim_opts *o)
{
        return scenario_time_wait(o, false);
}

static int scenario_tw_zero(const struct sim_opts *o)
{
        return scenario_time_wait(o, true);
}
struct rto793 {
        double srtt, alpha, beta;
        usec_t lbound, ubound;
};
static usec_t rto793_update(struct rto793 *e, usec_t sample);
static usec_t rto793_update(struct rto793 *e, usec_t sample)
{
        e->srtt = e->srtt == 0 ? (double)sample
                               : e->alpha * e->srtt + (1 - e->alpha) * (double)sample;
        double rto = e->beta * e->srtt;
        return (usec_t)MIN(MAX(rto, (double)e->lbound), (double)e->ubound);
}
static int scenario_rtt(const struct sim_opts *o)
{
        struct rng r;
        rng_seed(&r, o->seed);
        struct host h;
        memset(&h, 0, sizeof h);
        config_default(&h.cfg);
        h.cfg.rto_min = MSEC(200);
        struct tcb t;
        memset(&t, 0, sizeof t);
        t.host = &h;
        struct rto793 e = { .alpha = 0.875, .beta = 2.0, .lbound = MSEC(200),
                            .ubound = SEC(60) };
        FILE *f = NULL;
        if (o->trace != NULL && (f = trace_open(o->trace)) == NULL)
                return 1;
        int early6298 = 0, early793 = 0;
        double ratio6298 = 0, ratio793 = 0;
        for (int i = 0; i < 180; i++) {
                usec_t sample;
                if (i < 60)                           /* a quiet path */
                        sample = MSEC(100) + rng_below(&r, MSEC(10));
                else if (i < 120)                     /* a congested one */
                        sample = MSEC(150) + rng_below(&r, MSEC(20)) +
                                 (rng_chance(&r, 0.2) ? rng_below(&r, MSEC(250)) : 0);
                else                                  /* a long, quiet one */
                        sample = MSEC(300) + rng_below(&r, MSEC(10));
                /* the timeouts in force when this segment was sent */
                usec_t rto6298 = t.rto ? t.rto : SEC(1);
                usec_t rto793 = i ? (usec_t)MIN(MAX(e.beta * e.srtt, (double)e.lbound),
                                                (double)e.ubound) : SEC(1);
                if (i >= 60 && i < 120) {
                        early6298 += sample > rto6298;
                        early793 += sample > rto793;
                }
                if (i >= 150) {
                        ratio6298 += (double)rto6298 / (double)sample / 30;
                        ratio793 += (double)rto793 / (double)sample / 30;
                }
                tcp_rtt_sample(&t, sample);
                rto793_update(&e, sample);
                if (f != NULL)
                        fprintf(f, "%d %.1f %.1f %.1f\n", i, (double)sample / 1000,
                                (double)rto6298 / 1000, (double)rto793 / 1000);
        }
        if (f != NULL && trace_close(f, o->trace) < 0)
                return 1;
        printf("congested path (samples 60-119): the timeout fired before the ACK "
               "%d times with RFC 6298, %d with RFC 793\n", early6298, early793);
        printf("long quiet path (samples 150-179): timeout / round trip = %.2f with "
               "RFC 6298, %.2f with RFC 793\n", ratio6298, ratio793);
        return 0;
}
static bool ladder_should_drop(void *arg, const struct pkb *p)
{
        struct ladder *lad = arg;
        if (lad->drop_nth_data == 0)
                return false;
        size_t hl = ip_get(p->data, IP_IHL) * 4;
        if (ip_get(p->data, IP_PROTOCOL) != IPPROTO_TCP_ || p->len <= hl + TCP_HDR_MIN)
                return false;
        size_t dl = p->len - hl - tcp_get(p->data + hl, TCP_DOFF) * 4;
        if (dl == 0)
                return false;
        return ++lad->data_seen == lad->drop_nth_data;
}
static void keep_handle(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct tcb **handle = arg;
        *handle = ev == TCP_EV_ERROR || ev == TCP_EV_CLOSED ? NULL : t;
}

static int scenario_seed_example(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        cfg.delack = 0;            /* acknowledge every segment, as in the seed */
        struct ladder lad;
        struct sim_opts lo = *o;
        if (lo.link.rate_bps == 0)
                lo.link.rate_bps = 2000000; /* 2 Mbit/s: 6 ms a segment, a burst
                                               spreads out */
        lo.link.lose = ladder_should_drop;
        lo.link.lose_arg = &lad;
        struct sim_pair s;
        if (sim_pair_init(&s, &lo, &cfg, MSEC(10)) < 0)
                return 1;
        int nseg = (int)o->count;
        ladder_open(&lad, &s, o->trace);
        lad.drop_nth_data = 3;
        struct closer srv = { .loop = &s.loop, .read_data = true };
        timer_init(&srv.later, closer_close, &srv);
        int err;
        tcp_listen(s.b, 80, 4, closer_accept, &srv, &err);
        struct tcb *a = NULL;
        a = tcp_connect(s.a, s.b->cfg.addr, 80, keep_handle, &a, &err);
        loop_run_until(&s.loop, MSEC(25));
        static uint8_t data[40 * 1460];
        memset(data, 'x', sizeof data);
        size_t total = (size_t)nseg * 1460;
        if (a != NULL)
                tcp_send(a, data, total);
        usec_t start = loop_now(&s.loop);
        while (a != NULL && srv.got < total && loop_now(&s.loop) < SEC(30))
                loop_run_for(&s.loop, MSEC(1));
        if (srv.got != total) {
                printf("%d segments of 1460 bytes, the third lost: only %zu of %zu bytes "
                       "delivered\n", nseg, srv.got, total);
                ladder_close(&lad);
                sim_pair_free(&s);
                return 1;
        }
        usec_t took = loop_now(&s.loop) - start;
        loop_run_for(&s.loop, 3 * s.delay);  /* the receiver's last ACK, for the ladder */
        printf("%d segments of 1460 bytes, the third lost: all delivered %.0f ms after "
               "the first was sent; %llu duplicate ACKs, %llu fast retransmit%s, "
               "%llu timeout%s\n",
               nseg, (double)took / 1000,
               (unsigned long long)s.a->stats.tcp.dup_acks,
               (unsigned long long)s.a->stats.tcp.fast_retransmits,
               s.a->stats.tcp.fast_retransmits == 1 ? "" : "s",
               (unsigned long long)(s.a->stats.tcp.syn_retransmits +
                                    s.a->stats.tcp.rto_fired),
               s.a->stats.tcp.rto_fired == 1 ? "" : "s");
        int status = ladder_close(&lad);
        sim_pair_free(&s);
        return status < 0;
}
/* The largest window the receiver can offer, in segments: its buffer,
   or what the window field can say, the smaller, with the options the
   runs are made with. */
static double soak_wmax(const struct sim_opts *o)
{
        struct xfer_cfg c;
        xfer_cfg_default(&c);
        sim_apply_options(o, &c.host);
        size_t field = 65535;                   /* the header's 16 bits */
        if (c.host.window_scaling)
                field = (size_t)65535 << 14;
        return (double)MIN(c.host.rcvbuf, field) / 1460;
}

static void soak_model_curve(FILE *f, double wmax)
{
        fprintf(f, "\n\n");
        for (double p = 0.002; p <= 0.25; p *= 1.1)
                fprintf(f, "%g %.3f\n", p * 100,
                        padhye_seconds(1 << 20, 1460, p, 0.020, 1.0, 2, wmax));
}
static int compare_usec(const void *x, const void *y)
{
        usec_t a = *(const usec_t *)x, b = *(const usec_t *)y;
        return a < b ? -1 : a > b;
}

static int scenario_soak(const struct sim_opts *o)
{
        static const double losses[] = { 0, 0.01, 0.05, 0.10, 0.20 };
        long seeds = o->count;
        FILE *trace = NULL;
        if (o->trace != NULL && (trace = trace_open(o->trace)) == NULL)
                return 1;
        usec_t *times = xcalloc((size_t)seeds, sizeof *times);
        double medians[ARRAY_LEN(losses)];
        int bad = 0, redials = 0;
        printf("%5s %5s %6s %5s %6s %5s %5s %10s %9s %9s\n", "loss", "runs", "exact",
               "wrong", "failed", "hung", "left", "median", "worst", "model");
        for (size_t li = 0; li < ARRAY_LEN(losses); li++) {
                int count[XFER_OUTCOMES] = { 0 };
                size_t ntimes = 0;
                usec_t worst = 0;
                for (long k = 0; k < seeds; k++) {
                        struct xfer_cfg c;
                        xfer_cfg_default(&c);
                        sim_apply_options(o, &c.host);
                        c.seed = o->seed + (uint64_t)k;
                        c.link.delay = MSEC(10);
                        c.link.reorder = 0.05;
                        c.link.reorder_gap = MSEC(3);
                        c.link.dup = 0.02;
                        c.link.corrupt = 0.01;
                        c.link.loss = losses[li];
                        bool cut = c.seed % 10 == 0;
                        if (cut)
                                c.cut_for = SEC(60);
                        struct xfer_result r;
                        xfer_run(&c, &r);
                        count[r.outcome]++;
                        worst = MAX(worst, r.took);
                        if (!cut)
                                times[ntimes++] = r.took;
                        redials += r.redials;
                        if (r.outcome != XFER_EXACT) {
                                bad++;
                                printf("  loss %g%% seed %llu: %s (a got %zu, b got %zu, %zu TCBs left)\n",
                                       losses[li] * 100, (unsigned long long)c.seed,
                                       xfer_outcome_names[r.outcome], r.got[0], r.got[1], r.left);
                        }
                        if (trace != NULL)
                                fprintf(trace, "%g %llu %d %.3f %s\n", losses[li] * 100,
                                        (unsigned long long)c.seed, cut, (double)r.took / 1e6,
                                        r.outcome == XFER_EXACT ? "exact" : "bad");
                }
                qsort(times, ntimes, sizeof *times, compare_usec);
                double median = ntimes > 0 ? (double)times[ntimes / 2] / 1e6 : 0;
                medians[li] = median;
                double model = padhye_seconds(1 << 20, 1460, losses[li], 0.020, 1.0, 2, soak_wmax(o));
                printf("%4g%% %5ld %6d %5d %6d %5d %5d %8.1f s %7.1f s %7.1f s\n", losses[li] * 100,
                       seeds, count[XFER_EXACT], count[XFER_WRONG], count[XFER_FAILED],
                       count[XFER_HUNG], count[XFER_LEFT_OPEN], median, (double)worst / 1e6, model);
                fflush(stdout);
        }
        free(times);
        if (trace != NULL) {
                soak_model_curve(trace, soak_wmax(o));
                fprintf(trace, "\n\n");
                for (size_t li = 0; li < ARRAY_LEN(losses); li++)
                        fprintf(trace, "%g %.3f\n", losses[li] * 100, medians[li]);
        }
        if (trace != NULL && trace_close(trace, o->trace) < 0)
                return 1;
        printf("soak: %ld runs, %d not exact; %d attempt%s to connect timed out "
               "and %s redone\n",
               seeds * (long)ARRAY_LEN(losses), bad, redials, redials == 1 ? "" : "s",
               redials == 1 ? "was" : "were");
        return bad > 0;
}
static int scenario_bulk(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        struct sim_pair s;
        if (sim_pair_init(&s, o, &cfg, MSEC(1)) < 0)
                return 1;
        size_t total = (size_t)o->count;
        struct closer srv = { .loop = &s.loop, .read_data = true };
        timer_init(&srv.later, closer_close, &srv);
        int err;
        tcp_listen(s.b, 80, 4, closer_accept, &srv, &err);
        struct tcb *a = NULL;
        a = tcp_connect(s.a, s.b->cfg.addr, 80, keep_handle, &a, &err);
        loop_run_until(&s.loop, MSEC(10));
        static uint8_t chunk[65536];
        memset(chunk, 'b', sizeof chunk);
        size_t queued = 0;
        clock_t c0 = clock();
        while (a != NULL && srv.got < total && loop_now(&s.loop) < SEC(100000)) {
                while (queued < total) {
                        long k = tcp_send(a, chunk, MIN(sizeof chunk, total - queued));
                        if (k <= 0)
                                break;
                        queued += (size_t)k;
                }
                loop_run_for(&s.loop, MSEC(1));
        }
        double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
        if (srv.got < total) {
                printf("bulk: the connection ended after %zu of %zu bytes\n",
                       srv.got, total);
                sim_pair_free(&s);
                return 1;
        }
        printf("bulk: %zu bytes in %.3f s of virtual time and %.3f s of CPU: "
               "%.1f MB per CPU-second\n", srv.got, (double)loop_now(&s.loop) / 1e6, cpu,
               cpu > 0 ? (double)srv.got / cpu / 1e6 : 0.0);
        {
                double mcpu = bulk_memcpy_seconds(total);
                double gbit = cpu > 0 ? (double)srv.got * 8 / cpu / 1e9 : 0.0;
                double mgbit = mcpu > 0 ? (double)total * 8 / mcpu / 1e9 : 0.0;
                printf("bulk, beside memcpy: %.2f Gbit/s per CPU-second; memcpy of as many bytes "
                       "in 64 KiB blocks, %.2f Gbit/s: %.1f%% of it\n", gbit, mgbit,
                       mgbit > 0 ? 100 * gbit / mgbit : 0.0);
        }
        sim_pair_free(&s);
        return 0;
}

static int scenario_idle(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        int n = (int)o->count, err;
        struct sim_opts big = *o;                /* room in the link for the whole burst */
        big.link.queue_limit = MAX(big.link.queue_limit, 4 * (size_t)n);
        struct sim_pair s;
        if (sim_pair_init(&s, &big, &cfg, 0) < 0)
                return 1;
        s.b->cfg.max_syn_backlog = n;
        tcp_listen(s.b, 80, n, NULL, NULL, &err);
        loop_run_until(&s.loop, MSEC(10));
        struct mallinfo2 before = mallinfo2();
        for (int i = 0; i < n; i++)
                tcp_connect(s.a, s.b->cfg.addr, 80, NULL, NULL, &err);
        loop_run_for(&s.loop, SEC(5));
        struct mallinfo2 after = mallinfo2();
        size_t conns = 0;
        for (struct host *h = s.a; h != NULL; h = h == s.a ? s.b : NULL)
                for (size_t k = 0; k < h->tcp->nbuckets; k++)
                        for (struct tcb *t = h->tcp->bucket[k]; t != NULL; t = t->hnext)
                                conns += t->state == TCP_ESTABLISHED;
        if (conns != 2 * (size_t)n) {
                printf("idle: only %zu of %d connection ends established\n", conns, 2 * n);
                sim_pair_free(&s);
                return 1;
        }
        printf("idle: %zu established connection ends, %.0f bytes of heap each "
               "(struct tcb is %zu bytes)\n", conns,
               (double)(after.uordblks - before.uordblks) / (double)conns,
               sizeof(struct tcb));
        sim_pair_free(&s);
        return 0;
}
struct block_writer {
        struct tcb *t;
        long blocks, written;
        bool nodelay;
};

static void block_writer_next(struct block_writer *w)
{
        static uint8_t block[4096];
        struct tcb *t = w->t;
        if (t == NULL || w->written == w->blocks || t->sndq.len > t->snd_nxt - t->snd_una)
                return;                      /* done, or the last block not all sent */
        memset(block, 'a' + (int)(w->written % 26), sizeof block);
        if (tcp_send(t, block, sizeof block) == (long)sizeof block &&
            ++w->written == w->blocks)
                tcp_shutdown(t);
}

static void block_writer_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct block_writer *w = arg;
        if (ev == TCP_EV_ERROR || ev == TCP_EV_CLOSED) {
                w->t = NULL;
                return;
        }
        if (ev == TCP_EV_CONNECTED)
                tcp_setsockopt(t, TCP_SO_NODELAY, w->nodelay);
        block_writer_next(w);
}

static int scenario_seed_nagle_run(const struct sim_opts *o, bool nodelay)
{
        struct config cfg;
        config_default(&cfg);
        struct sim_opts lo = *o;
        if (lo.link.rate_bps == 0)
                lo.link.rate_bps = 10000000;     /* 10 Mbit/s: 1.2 ms a segment */
        struct sim_pair s;
        if (sim_pair_init(&s, &lo, &cfg, MSEC(1)) < 0)
                return 1;
        struct ladder lad;
        ladder_open(&lad, &s, o->trace);
        struct closer srv = { .loop = &s.loop, .read_data = true };
        timer_init(&srv.later, closer_close, &srv);
        int err;
        tcp_listen(s.b, 80, 4, closer_accept, &srv, &err);
        struct block_writer w = { .blocks = o->count, .nodelay = nodelay };
        w.t = tcp_connect(s.a, s.b->cfg.addr, 80, block_writer_event, &w, &err);
        size_t total = (size_t)o->count * 4096, seen = 0;
        usec_t start = 0;
        printf("%s: %ld blocks of 4096 bytes, MSS 1460, 10 Mbit/s, 1 ms each way\n",
               nodelay ? "TCP_NODELAY" : "Nagle", o->count);
        while (srv.got < total && loop_now(&s.loop) < SEC(60)) {
                loop_run_for(&s.loop, 100);          /* 100 µs */
                if (start == 0 && w.written > 0)
                        start = loop_now(&s.loop);
                while (seen < srv.got / 4096) {
                        seen++;
                        printf("  block %zu complete at b after %.1f ms\n", seen,
                               (double)(loop_now(&s.loop) - start) / 1000);
                }
        }
        loop_run_for(&s.loop, SEC(1));       /* the close, for the ladder */
        printf("%zu of %zu bytes in %.1f ms; %llu small segments held back at a\n",
               srv.got, total, (double)(loop_now(&s.loop) - SEC(1) - start) / 1000,
               (unsigned long long)s.a->stats.tcp.small_held);
        int status = ladder_close(&lad);
        sim_pair_free(&s);
        return status < 0 || srv.got != total;
}

static int scenario_seed_nagle(const struct sim_opts *o)
{
        return scenario_seed_nagle_run(o, false);
}

static int scenario_seed_nodelay(const struct sim_opts *o)
{
        return scenario_seed_nagle_run(o, true);
}
struct slow_reader {
        struct loop *loop;
        struct tcb *t;
        struct timer tick;
        size_t got;
        uint64_t sum;                        /* of byte i times (i + 1): order matters */
        bool done;
};

static void slow_reader_tick(struct timer *tm, void *arg)
{
        struct slow_reader *r = arg;
        uint8_t buf[4096];
        if (r->t == NULL)
                return;
        size_t n = tcp_recv(r->t, buf, sizeof buf);
        for (size_t i = 0; i < n; i++, r->got++)
                r->sum += (uint64_t)buf[i] * (r->got + 1);
        if (tcp_eof(r->t)) {
                tcp_close(r->t);
                r->t = NULL;
                r->done = true;
                return;
        }
        timer_arm_in(r->loop, tm, MSEC(50));
        (void)tm;
}

static void slow_reader_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        struct slow_reader *r = arg;
        struct tcb *t;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        while ((t = tcp_accept(l)) != NULL) {
                r->t = t;
                tcp_set_handler(t, keep_handle, &r->t);
                timer_arm_in(r->loop, &r->tick, SEC(10));  /* not reading, at first */
        }
}

struct seq_trace {
        FILE *f;
        uint32_t isn[2];
        bool have[2];
        int shift;                           /* b's window scale */
};

static void seq_trace_tap(struct seq_trace *st, int from, const struct pkb *p, usec_t sent)
{
        const uint8_t *ip = p->data;
        size_t hl = ip_get(ip, IP_IHL) * 4;
        if (st->f == NULL || ip_get(ip, IP_PROTOCOL) != IPPROTO_TCP_ ||
            p->len < hl + TCP_HDR_MIN)
                return;
        const uint8_t *th = ip + hl;
        uint8_t fl = tcp_get_flags(th);
        if (fl & TH_SYN) {
                st->isn[from] = tcp_get(th, TCP_SEQ) + 1;
                st->have[from] = true;
                return;
        }
        if (!st->have[0] || !st->have[1])
                return;
        size_t dl = p->len - hl - tcp_get(th, TCP_DOFF) * 4;
        double t = (double)sent / 1e6;
        if (from == 0 && dl > 0) {
                uint32_t s = tcp_get(th, TCP_SEQ) - st->isn[0];
                fprintf(st->f, "data %.6f %u %u\n", t, s, s + (uint32_t)dl);
        } else if (from == 1 && (fl & TH_ACK)) {
                uint32_t a = tcp_get(th, TCP_ACK) - st->isn[0];
                fprintf(st->f, "ack %.6f %u %u\n", t, a,
                        a + (tcp_get(th, TCP_WINDOW) << st->shift));
        }
}

static void seq_trace_a(void *arg, const struct pkb *p, usec_t sent, usec_t arrived,
                        bool lost)
{
        (void)arrived; (void)lost;
        seq_trace_tap(arg, 0, p, sent);
}

static void seq_trace_b(void *arg, const struct pkb *p, usec_t sent, usec_t arrived,
                        bool lost)
{
        (void)arrived; (void)lost;
        seq_trace_tap(arg, 1, p, sent);
}

static int scenario_slow_reader(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        cfg.rcvbuf = 65536;
        struct sim_pair s;
        if (sim_pair_init(&s, o, &cfg, MSEC(10)) < 0)
                return 1;
        struct seq_trace st = { 0 };
        while (st.shift < 14 && (65535u << st.shift) < cfg.rcvbuf)
                st.shift++;                  /* as tcp_wscale_wanted chooses it */
        if (o->trace != NULL) {
                if ((st.f = trace_open(o->trace)) == NULL) {
                        sim_pair_free(&s);
                        return 1;
                }
                simlink_set_tap(s.link, 0, seq_trace_a, &st);
                simlink_set_tap(s.link, 1, seq_trace_b, &st);
        }
        struct slow_reader r = { .loop = &s.loop };
        timer_init(&r.tick, slow_reader_tick, &r);
        int err;
        tcp_listen(s.b, 80, 4, slow_reader_accept, &r, &err);
        struct tcb *a = tcp_connect(s.a, s.b->cfg.addr, 80, keep_handle, &a, &err);
        size_t total = (size_t)o->count, sent = 0;
        uint64_t sum = 0;
        uint8_t chunk[8192];
        while (!r.done && loop_now(&s.loop) < SEC(600)) {
                while (a != NULL && a->state == TCP_ESTABLISHED && sent < total) {
                        size_t k = MIN(sizeof chunk, total - sent);
                        for (size_t i = 0; i < k; i++)
                                chunk[i] = (uint8_t)((sent + i) * 7 + (sent + i) / 251);
                        long n = tcp_send(a, chunk, k);
                        if (n <= 0)
                                break;
                        for (long i = 0; i < n; i++)
                                sum += (uint64_t)chunk[i] * (sent + (size_t)i + 1);
                        sent += (size_t)n;
                        if (sent == total)
                                tcp_shutdown(a);
                }
                loop_run_for(&s.loop, MSEC(1));
        }
        loop_run_for(&s.loop, SEC(130));     /* TIME-WAIT ends */
        bool exact = r.got == total && r.sum == sum;
        size_t left = s.a->tcp->count + s.b->tcp->count - 1;   /* less b's listener */
        printf("%zu of %zu bytes %s; a sent %llu window probes; %zu connections left\n",
               r.got, total, exact ? "byte-exact" : "WRONG",
               (unsigned long long)s.a->stats.tcp.persist_probes, left);
        int status = 0;
        if (st.f != NULL && trace_close(st.f, o->trace) < 0)
                status = 1;
        sim_pair_free(&s);
        return status || !exact || left != 0;
}
#define BN_FLOWS_MAX 4
#define BN_RUN SEC(30)
#define BN_STAGGER SEC(5)

struct bn_flow {
        int k;                               /* 1.. */
        struct tcb *snd, *rcv;
        usec_t start;
        size_t sent, got, got_mark, got_end, got_tick;
        uint64_t sum_sent, sum_got;          /* of byte i times (i + 1) */
        bool shut, done;
};

struct bottleneck {
        struct sim_pair s;
        struct bn_flow flow[BN_FLOWS_MAX];
        int n;
        FILE *trace;
        struct timer sample;
        int ticks;
};

static uint8_t bn_byte(const struct bn_flow *f, size_t i)
{
        return (uint8_t)(i * 7 + i / 251 + (size_t)f->k * 31);
}

static struct bn_flow *bn_flow_of_port(struct bottleneck *bn, uint16_t port)
{
        for (int i = 0; i < bn->n; i++)
                if (port == 40000 + bn->flow[i].k)
                        return &bn->flow[i];
        return NULL;
}

static void bn_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        struct bottleneck *bn = arg;
        struct tcb *t;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        while ((t = tcp_accept(l)) != NULL) {
                struct bn_flow *f = bn_flow_of_port(bn, t->rport);
                if (f == NULL) {
                        tcp_abort(t);
                        continue;
                }
                f->rcv = t;
                tcp_set_handler(t, keep_handle, &f->rcv);
        }
}

static void bn_watch(void *arg, const struct tcb *t)
{
        struct bottleneck *bn = arg;
        struct bn_flow *f = bn_flow_of_port(bn, t->lport);
        uint32_t ss = t->ssthresh >= TCP_INFINITE_SSTHRESH ? 0 : t->ssthresh;
        if (f != NULL && t->state == TCP_ESTABLISHED)
                fprintf(bn->trace, "cwnd %.4f %d %u %u %u\n",
                        (double)loop_now(&bn->s.loop) / 1e6, f->k, (unsigned)t->cwnd,
                        (unsigned)ss, (unsigned)(t->snd_nxt - t->snd_una));
}

static void bn_sample(struct timer *tm, void *arg)
{
        struct bottleneck *bn = arg;
        double now = (double)loop_now(&bn->s.loop) / 1e6;
        fprintf(bn->trace, "queue %.3f %zu\n", now, simlink_backlog(bn->s.link, 0));
        if (++bn->ticks % 50 == 0)
                for (int i = 0; i < bn->n; i++) {
                        struct bn_flow *f = &bn->flow[i];
                        fprintf(bn->trace, "rate %.3f %d %.3f\n", now, f->k,
                                (double)(f->got - f->got_tick) * 8 / 0.5 / 1e6);
                        f->got_tick = f->got;
                }
        timer_arm_in(&bn->s.loop, tm, MSEC(10));
}
static void bn_pump(struct bottleneck *bn, struct bn_flow *f, usec_t now)
{
        uint8_t buf[16384];
        if (f->snd == NULL && !f->shut && now >= f->start && f->sent == 0) {
                int err;
                f->snd = tcp_connect_from(bn->s.a, (uint16_t)(40000 + f->k),
                                          bn->s.b->cfg.addr, 80,
                                          keep_handle, &f->snd, &err);
        }
        while (f->snd != NULL && f->snd->state == TCP_ESTABLISHED && !f->shut) {
                if (now >= BN_RUN) {
                        tcp_shutdown(f->snd);
                        f->shut = true;
                        break;
                }
                for (size_t i = 0; i < sizeof buf; i++)
                        buf[i] = bn_byte(f, f->sent + i);
                long n = tcp_send(f->snd, buf, sizeof buf);
                if (n <= 0)
                        break;
                for (long i = 0; i < n; i++)
                        f->sum_sent += (uint64_t)buf[i] * (f->sent + (size_t)i + 1);
                f->sent += (size_t)n;
        }
        size_t n;
        while (f->rcv != NULL && (n = tcp_recv(f->rcv, buf, sizeof buf)) > 0) {
                for (size_t i = 0; i < n; i++)
                        f->sum_got += (uint64_t)buf[i] * (f->got + i + 1);
                f->got += n;
        }
        if (f->rcv != NULL && tcp_eof(f->rcv)) {
                tcp_close(f->rcv);
                f->rcv = NULL;
                f->done = true;
        }
}
static int scenario_bottleneck(const struct sim_opts *o)
{
        struct sim_opts lo = *o;
        struct impair_cfg dflt;
        impair_cfg_default(&dflt);
        if (lo.link.rate_bps == 0)
                lo.link.rate_bps = 10000000;
        if (lo.link.queue_limit == dflt.queue_limit)
                lo.link.queue_limit = 30;
        struct config cfg;
        config_default(&cfg);
        static struct bottleneck bn;
        memset(&bn, 0, sizeof bn);
        bn.n = (int)o->count;
        if (o->trace != NULL) {
                if ((bn.trace = trace_open(o->trace)) == NULL)
                        return 1;
                cfg.cc_watch = bn_watch;
                cfg.cc_watch_arg = &bn;
        }
        if (sim_pair_init(&bn.s, &lo, &cfg, MSEC(10)) < 0)
                return 1;
        for (int i = 0; i < bn.n; i++) {
                bn.flow[i].k = i + 1;
                bn.flow[i].start = (usec_t)i * BN_STAGGER;
        }
        int err;
        tcp_listen(bn.s.b, 80, 8, bn_accept, &bn, &err);
        if (bn.trace != NULL) {
                timer_init(&bn.sample, bn_sample, &bn);
                timer_arm_in(&bn.s.loop, &bn.sample, MSEC(10));
        }
        usec_t all_from = (usec_t)(bn.n - 1) * BN_STAGGER + SEC(5);
        bool marked = false, ended = false, done = false;
        uint64_t drops_mark = 0, drops_end = 0;
        while (!done && loop_now(&bn.s.loop) < BN_RUN + SEC(120)) {
                usec_t now = loop_now(&bn.s.loop);
                if (!marked && now >= all_from) {
                        marked = true;
                        for (int i = 0; i < bn.n; i++)
                                bn.flow[i].got_mark = bn.flow[i].got;
                        drops_mark = simlink_stats(bn.s.link, 0)->queue_drops;
                }
                done = true;
                for (int i = 0; i < bn.n; i++) {
                        bn_pump(&bn, &bn.flow[i], now);
                        done &= bn.flow[i].done;
                }
                if (!ended && now >= BN_RUN) {
                        ended = true;
                        for (int i = 0; i < bn.n; i++)
                                bn.flow[i].got_end = bn.flow[i].got;
                        drops_end = simlink_stats(bn.s.link, 0)->queue_drops;
                }
                loop_run_for(&bn.s.loop, MSEC(1));
        }
        if (bn.trace != NULL)
                timer_cancel(&bn.s.loop, &bn.sample);
        loop_run_for(&bn.s.loop, SEC(130));          /* TIME-WAIT ends */
        double span = (double)(BN_RUN - all_from) / 1e6, sum = 0, sumsq = 0;
        bool exact = done;
        printf("bottleneck: %d flow%s, %s, %.0f Mbit/s, %.0f ms each way, a queue of %zu packets, "
               "%.0f s\n", bn.n, bn.n > 1 ? "s" : "", bn.s.a->cfg.cc->name,
               (double)lo.link.rate_bps / 1e6, (double)bn.s.delay / 1e3, lo.link.queue_limit,
               (double)BN_RUN / 1e6);
        for (int i = 0; i < bn.n; i++) {
                struct bn_flow *f = &bn.flow[i];
                bool ok = f->done && f->got == f->sent && f->sum_got == f->sum_sent;
                double share = (double)(f->got_end - f->got_mark) * 8 / span / 1e6;
                exact &= ok;
                sum += share;
                sumsq += share * share;
                printf("flow %d: from %.0f s, %zu of %zu bytes %s, %.2f Mbit/s while all ran\n",
                       f->k, (double)f->start / 1e6, f->got, f->sent,
                       ok ? "byte-exact" : "WRONG", share);
        }
        const struct tcp_stats *st = &bn.s.a->stats.tcp;
        printf("Jain's fairness index while all ran: %.3f\n",
               sumsq > 0 ? sum * sum / (bn.n * sumsq) : 0);
        printf("link: %llu drops at the queue (%llu while all ran); goodput %.1f%% of its rate\n",
               (unsigned long long)simlink_stats(bn.s.link, 0)->queue_drops,
               (unsigned long long)(drops_end - drops_mark),
               sum * 1e6 / (double)lo.link.rate_bps * 100);
        if (lo.link.mark_above > 0 || bn.s.a->cfg.ecn == 1)
                printf("ECN: %llu packets marked CE at the queue; a: %llu ACKs with ECE, "
                       "%llu window reductions for them\n",
                       (unsigned long long)simlink_stats(bn.s.link, 0)->marked,
                       (unsigned long long)st->ecn_echoes, (unsigned long long)st->ecn_reductions);
        printf("a: %llu fast retransmits, %llu partial ACKs, %llu retransmission timeouts, "
               "%llu segments retransmitted\n", (unsigned long long)st->fast_retransmits,
               (unsigned long long)st->partial_acks, (unsigned long long)st->rto_fired,
               (unsigned long long)st->retransmitted_segs);
        size_t left = bn.s.a->tcp->count + bn.s.b->tcp->count - 1;   /* less b's listener */
        printf("%zu connections left\n", left);
        int status = 0;
        if (bn.trace != NULL && trace_close(bn.trace, o->trace) < 0)
                status = 1;
        sim_pair_free(&bn.s);
        return status || !exact || left != 0;
}
#define SS_LOST 4                    /* the data segment the link loses */

struct ss_run {
        int data_seen;
        struct host *a;
        FILE *trace;
};

static bool ss_lose(void *arg, const struct pkb *p)
{
        struct ss_run *r = arg;
        size_t hl = ip_get(p->data, IP_IHL) * 4;
        if (ip_get(p->data, IP_PROTOCOL) != IPPROTO_TCP_ || p->len <= hl + TCP_HDR_MIN)
                return false;
        if (p->len - hl - tcp_get(p->data + hl, TCP_DOFF) * 4 == 0)
                return false;
        return ++r->data_seen == SS_LOST;
}

static void ss_watch(void *arg, const struct tcb *t)
{
        struct ss_run *r = arg;
        uint32_t ss = t->ssthresh >= TCP_INFINITE_SSTHRESH ? 0 : t->ssthresh;
        if (t->host == r->a && t->state == TCP_ESTABLISHED)
                fprintf(r->trace, "cwnd %.6f 1 %u %u %u\n",
                        (double)loop_now(t->host->loop) / 1e6, (unsigned)t->cwnd,
                        (unsigned)ss, (unsigned)(t->snd_nxt - t->snd_una));
}
static int scenario_slow_start(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        cfg.delack = 0;                      /* an ACK for every segment */
        static struct ss_run r;
        memset(&r, 0, sizeof r);
        struct sim_opts lo = *o;
        if (lo.link.rate_bps == 0)
                lo.link.rate_bps = 10000000;
        lo.link.lose = ss_lose;
        lo.link.lose_arg = &r;
        if (o->trace != NULL) {
                if ((r.trace = trace_open(o->trace)) == NULL)
                        return 1;
                cfg.cc_watch = ss_watch;
                cfg.cc_watch_arg = &r;
        }
        struct sim_pair s;
        if (sim_pair_init(&s, &lo, &cfg, MSEC(10)) < 0)
                return 1;
        r.a = s.a;
        struct closer srv = { .loop = &s.loop, .read_data = true };
        timer_init(&srv.later, closer_close, &srv);
        int err;
        tcp_listen(s.b, 80, 4, closer_accept, &srv, &err);
        struct tcb *a = NULL;
        a = tcp_connect(s.a, s.b->cfg.addr, 80, keep_handle, &a, &err);
        loop_run_until(&s.loop, MSEC(25));
        static uint8_t data[40 * 1460];
        memset(data, 'x', sizeof data);
        size_t total = (size_t)o->count * 1460;
        if (a != NULL)
                tcp_send(a, data, total);
        usec_t start = loop_now(&s.loop);
        while (a != NULL && srv.got < total && loop_now(&s.loop) < SEC(30))
                loop_run_for(&s.loop, MSEC(1));
        usec_t took = loop_now(&s.loop) - start;
        loop_run_for(&s.loop, 3 * s.delay);  /* the last ACK */
        const struct tcp_stats *st = &s.a->stats.tcp;
        printf("%zu segments of 1460 bytes, the %dth lost, %s: %zu bytes delivered in %.0f ms; "
               "%llu duplicate ACKs, %llu fast retransmit%s, %llu timeout%s\n",
               (size_t)o->count, SS_LOST, s.a->cfg.cc->name, srv.got, (double)took / 1e3,
               (unsigned long long)st->dup_acks, (unsigned long long)st->fast_retransmits,
               st->fast_retransmits == 1 ? "" : "s", (unsigned long long)st->rto_fired,
               st->rto_fired == 1 ? "" : "s");
        if (a != NULL)
                printf("a: cwnd %u, ssthresh %u at the end\n", (unsigned)a->cwnd,
                       (unsigned)(a->ssthresh >= TCP_INFINITE_SSTHRESH ? 0 : a->ssthresh));
        int status = srv.got != total;
        if (r.trace != NULL && trace_close(r.trace, o->trace) < 0)
                status = 1;
        sim_pair_free(&s);
        return status;
}
static int scenario_seed_sack(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        cfg.delack = 0;
        struct ladder lad;
        struct sim_opts lo = *o;
        if (lo.link.rate_bps == 0)
                lo.link.rate_bps = 2000000;
        lo.link.lose = ladder_should_drop;
        lo.link.lose_arg = &lad;
        struct sim_pair s;
        if (sim_pair_init(&s, &lo, &cfg, MSEC(10)) < 0)
                return 1;
        ladder_open(&lad, &s, o->trace);
        lad.drop_nth_data = 1;
        struct closer srv = { .loop = &s.loop, .read_data = true };
        timer_init(&srv.later, closer_close, &srv);
        int err;
        tcp_listen(s.b, 80, 4, closer_accept, &srv, &err);
        struct tcb *a = tcp_connect(s.a, s.b->cfg.addr, 80, keep_handle, &a, &err);
        loop_run_until(&s.loop, MSEC(25));
        static uint8_t data[10 * 1460];
        memset(data, 's', sizeof data);
        if (a != NULL)
                tcp_send(a, data, sizeof data);
        usec_t start = loop_now(&s.loop);
        while (a != NULL && srv.got < sizeof data && loop_now(&s.loop) < SEC(30))
                loop_run_for(&s.loop, MSEC(1));
        usec_t took = loop_now(&s.loop) - start;
        loop_run_for(&s.loop, 3 * s.delay);
        const struct tcp_stats *st = &s.a->stats.tcp;
        printf("10 segments of 1460 bytes, the first lost, SACK %s: %zu bytes delivered in "
               "%.0f ms; %llu duplicate ACKs, %llu fast retransmit%s, "
               "%llu bytes retransmitted, %llu timeouts\n",
               (a != NULL && (a->flags & TF_SACK_OK)) ? "on" : "off", srv.got,
               (double)took / 1000, (unsigned long long)st->dup_acks,
               (unsigned long long)st->fast_retransmits,
               st->fast_retransmits == 1 ? "" : "s",
               (unsigned long long)st->retransmitted_bytes,
               (unsigned long long)st->rto_fired);
        int status = ladder_close(&lad);
        sim_pair_free(&s);
        return status < 0 || srv.got != sizeof data;
}
struct three_losses {
        int seen;
        struct seq_trace *st;
};

static bool three_losses_drop(void *arg, const struct pkb *p)
{
        struct three_losses *tl = arg;
        size_t hl = ip_get(p->data, IP_IHL) * 4;
        if (ip_get(p->data, IP_PROTOCOL) != IPPROTO_TCP_ || p->len <= hl + TCP_HDR_MIN)
                return false;
        if (p->len - hl - tcp_get(p->data + hl, TCP_DOFF) * 4 == 0)
                return false;
        tl->seen++;
        return tl->seen == 2 || tl->seen == 5 || tl->seen == 8;
}

static int scenario_three_losses(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        struct three_losses tl = { 0 };
        struct sim_opts lo = *o;
        if (lo.link.rate_bps == 0)
                lo.link.rate_bps = 10000000;
        lo.link.lose = three_losses_drop;
        lo.link.lose_arg = &tl;
        struct sim_pair s;
        if (sim_pair_init(&s, &lo, &cfg, MSEC(20)) < 0)
                return 1;
        struct seq_trace st = { 0 };
        if (o->trace != NULL) {
                if ((st.f = trace_open(o->trace)) == NULL) {
                        sim_pair_free(&s);
                        return 1;
                }
                simlink_set_tap(s.link, 0, seq_trace_a, &st);
                simlink_set_tap(s.link, 1, seq_trace_b, &st);
        }
        while (st.shift < 14 && (65535u << st.shift) < cfg.rcvbuf)
                st.shift++;
        struct closer srv = { .loop = &s.loop, .read_data = true };
        timer_init(&srv.later, closer_close, &srv);
        int err;
        tcp_listen(s.b, 80, 4, closer_accept, &srv, &err);
        struct tcb *a = tcp_connect(s.a, s.b->cfg.addr, 80, keep_handle, &a, &err);
        loop_run_until(&s.loop, MSEC(100));
        static uint8_t data[30 * 1460];
        memset(data, 't', sizeof data);
        if (a != NULL)
                tcp_send(a, data, sizeof data);
        usec_t start = loop_now(&s.loop);
        while (a != NULL && srv.got < sizeof data && loop_now(&s.loop) < SEC(30))
                loop_run_for(&s.loop, MSEC(1));
        usec_t took = loop_now(&s.loop) - start;
        loop_run_for(&s.loop, 3 * s.delay);
        const struct tcp_stats *sa = &s.a->stats.tcp;
        printf("30 segments, the 2nd, 5th and 8th lost, SACK %s: delivered in %.0f ms; "
               "%llu fast retransmit%s, %llu partial ACKs, %llu timeouts, "
               "%llu bytes retransmitted\n",
               s.a->cfg.sack ? "on" : "off", (double)took / 1000,
               (unsigned long long)sa->fast_retransmits,
               sa->fast_retransmits == 1 ? "" : "s",
               (unsigned long long)sa->partial_acks, (unsigned long long)sa->rto_fired,
               (unsigned long long)sa->retransmitted_bytes);
        int status = 0;
        if (st.f != NULL && trace_close(st.f, o->trace) < 0)
                status = 1;
        bool ok = srv.got == sizeof data;
        sim_pair_free(&s);
        return status || !ok;
}
static int compare_double(const void *x, const void *y)
{
        double a = *(const double *)x, b = *(const double *)y;
        return a < b ? -1 : a > b;
}

static int scenario_sack_table(const struct sim_opts *o)
{
        static const double losses[] = { 0.01, 0.05, 0.10 };
        long seeds = o->count;
        double *took = xcalloc((size_t)seeds, sizeof *took);
        double *rtx = xcalloc((size_t)seeds, sizeof *rtx);
        int bad = 0;
        printf("%13s %5s %12s %15s %18s\n", "loss each way", "SACK", "median time",
               "retransmitted", "timeouts per run");
        for (size_t li = 0; li < ARRAY_LEN(losses); li++) {
                for (int sack = 0; sack <= 1; sack++) {
                        double rtos = 0;
                        for (long k = 0; k < seeds; k++) {
                                struct xfer_cfg c;
                                xfer_cfg_default(&c);
                                sim_apply_options(o, &c.host);
                                c.host.sack = sack;
                                c.seed = o->seed + (uint64_t)k;
                                c.link.delay = MSEC(10);
                                c.link.loss = losses[li];
                                struct xfer_result r;
                                xfer_run(&c, &r);
                                bad += r.outcome != XFER_EXACT;
                                took[k] = (double)r.took / 1e6;
                                rtx[k] = (double)(r.stats[0].retransmitted_bytes +
                                                  r.stats[1].retransmitted_bytes) /
                                         (2.0 * (double)c.bytes) * 100;
                                rtos += (double)(r.stats[0].rto_fired +
                                                 r.stats[1].rto_fired) / 2;
                        }
                        qsort(took, (size_t)seeds, sizeof *took, compare_double);
                        qsort(rtx, (size_t)seeds, sizeof *rtx, compare_double);
                        printf("%12.0f%% %5s %10.1f s %14.1f%% %18.1f\n", losses[li] * 100,
                               sack ? "on" : "off", took[seeds / 2], rtx[seeds / 2],
                               rtos / (double)seeds);
                }
        }
        printf("\n%ld seeds each; %d run%s not byte-exact\n", seeds, bad,
               bad == 1 ? "" : "s");
        free(took);
        free(rtx);
        return bad > 0;
}
struct jump {
        FILE *trace;
        struct loop *loop;
};

static void jump_watch(void *arg, const struct tcb *t)
{
        struct jump *j = arg;
        uint32_t ss = t->ssthresh >= TCP_INFINITE_SSTHRESH ? 0 : t->ssthresh;
        if (t->rport == 80 && t->state == TCP_ESTABLISHED)
                fprintf(j->trace, "cwnd %.4f 1 %u %u %u\n",
                        (double)loop_now(j->loop) / 1e6, (unsigned)t->cwnd,
                        (unsigned)ss, (unsigned)(t->snd_nxt - t->snd_una));
}

static int scenario_delay_jump(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        struct jump j = { 0 };
        struct sim_opts lo = *o;
        if (lo.link.rate_bps == 0)
                lo.link.rate_bps = 10000000;
        struct sim_pair s;
        if (o->trace != NULL) {
                if ((j.trace = trace_open(o->trace)) == NULL)
                        return 1;
                cfg.cc_watch = jump_watch;
                cfg.cc_watch_arg = &j;
        }
        if (sim_pair_init(&s, &lo, &cfg, MSEC(20)) < 0)
                return 1;
        j.loop = &s.loop;
        struct closer srv = { .loop = &s.loop, .read_data = true };
        timer_init(&srv.later, closer_close, &srv);
        int err;
        tcp_listen(s.b, 80, 4, closer_accept, &srv, &err);
        struct tcb *a = tcp_connect(s.a, s.b->cfg.addr, 80, keep_handle, &a, &err);
        static uint8_t chunk[65536];
        memset(chunk, 'j', sizeof chunk);
        size_t sent = 0;
        bool jumped = false, back = false, shut = false;
        while (loop_now(&s.loop) < SEC(60) && (a != NULL || srv.conn != NULL)) {
                usec_t now = loop_now(&s.loop);
                if (!jumped && now >= SEC(4)) {
                        jumped = true;
                        simlink_set_delay(s.link, 0, MSEC(1500));
                        simlink_set_delay(s.link, 1, MSEC(1500));
                }
                if (!back && now >= SEC(5)) {
                        back = true;
                        simlink_set_delay(s.link, 0, s.delay);
                        simlink_set_delay(s.link, 1, s.delay);
                }
                while (a != NULL && a->state == TCP_ESTABLISHED && !shut) {
                        if (now >= SEC(12)) {
                                tcp_shutdown(a);
                                shut = true;
                                break;
                        }
                        long k = tcp_send(a, chunk, sizeof chunk);
                        if (k <= 0)
                                break;
                        sent += (size_t)k;
                }
                loop_run_for(&s.loop, MSEC(1));
        }
        const struct tcp_stats *st = &s.a->stats.tcp;
        printf("the delay jumps to 1500 ms from 4 s to 5 s, Eifel %s: %zu of %zu bytes "
               "delivered; %llu timeouts, %llu undone; %llu bytes sent twice\n",
               s.a->cfg.eifel ? "on" : "off", srv.got, sent,
               (unsigned long long)st->rto_fired,
               (unsigned long long)st->spurious_undone,
               (unsigned long long)st->retransmitted_bytes);
        int status = 0;
        if (j.trace != NULL && trace_close(j.trace, o->trace) < 0)
                status = 1;
        bool ok = srv.got == sent;
        sim_pair_free(&s);
        return status || !ok;
}
static int sim_twice(const struct sim_opts *o, const char *header,
                     int (*run)(const struct sim_opts *, bool), bool first)
{
        if (header != NULL)
                printf("%s\n", header);
        int bad = run(o, first);
        bad |= run(o, !first);
        return bad;
}
#define PAWS_PERIOD 251u            /* the pattern: byte k is k mod 251 */
#define PAWS_KEPT_AT (1u << 20)     /* the stream offset of the kept segment */

struct paws_wrap {
        uint32_t irs;               /* a's initial sequence number, as b saw it */
        bool taken;
        struct pkb *kept;           /* the copy the "router" holds */
        uint32_t kept_seq;
        usec_t kept_sent;           /* when the original went */
        usec_t delivered_at;
        struct timer deliver;
        struct loop *loop;
        struct netdev *to;
        uint8_t pattern[65536 + PAWS_PERIOD];
        unsigned long long got, wrong;
};

static uint32_t get32(const uint8_t *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void paws_tap(void *arg, const struct pkb *p, usec_t sent, usec_t arrived, bool lost)
{
        struct paws_wrap *w = arg;
        (void)arrived; (void)lost;
        if (w->taken || p->len < IP_HDR_MIN + TCP_HDR_MIN)
                return;
        const uint8_t *tcp = p->data + (p->data[0] & 0x0f) * 4;
        size_t hdr = (size_t)(p->data[0] & 0x0f) * 4 + (size_t)(tcp[12] >> 4) * 4;
        if (tcp[13] & TH_SYN)
                w->irs = get32(tcp + 4);
        else if (p->len > hdr && get32(tcp + 4) - (w->irs + 1) >= PAWS_KEPT_AT) {
                w->taken = true;
                w->kept = pkb_clone(p);
                w->kept_seq = get32(tcp + 4);
                w->kept_sent = sent;
        }
}

static void paws_deliver(struct timer *tm, void *arg)
{
        struct paws_wrap *w = arg;
        (void)tm;
        w->delivered_at = loop_now(w->loop);
        netdev_deliver(w->to, w->kept);
        w->kept = NULL;
}

static void paws_read(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct paws_wrap *w = arg;
        (void)ev;
        uint8_t buf[65536];
        size_t n;
        while ((n = tcp_recv(t, buf, sizeof buf)) > 0) {
                const uint8_t *want = w->pattern + w->got % PAWS_PERIOD;
                if (memcmp(buf, want, n) != 0)
                        for (size_t i = 0; i < n; i++)
                                w->wrong += buf[i] != want[i];
                w->got += n;
        }
        /* a wrap later, just short of the kept segment: the "router" lets it go */
        uint32_t ahead = w->kept_seq - t->rcv_nxt;
        if (w->kept != NULL && !timer_armed(&w->deliver) && w->got > (1ull << 31) &&
            ahead > 0 && ahead <= 64 * 1024)
                timer_arm_in(w->loop, &w->deliver, 0);
}

static void paws_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        struct tcb *t;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        while ((t = tcp_accept(l)) != NULL)
                tcp_set_handler(t, paws_read, arg);
}

static int paws_wrap_run(const struct sim_opts *o, bool timestamps)
{
        struct config cfg;
        config_default(&cfg);
        struct sim_opts lo = *o;
        lo.link.rate_bps = 10000000000ull;
        lo.no_timestamps = !timestamps;
        struct paws_wrap *w = xcalloc(1, sizeof *w);
        for (size_t i = 0; i < sizeof w->pattern; i++)
                w->pattern[i] = (uint8_t)(i % PAWS_PERIOD);
        struct sim_pair s;
        if (sim_pair_init(&s, &lo, &cfg, 50) < 0) {
                free(w);
                return 1;
        }
        w->loop = &s.loop;
        w->to = simlink_end(s.link, 1);
        timer_init(&w->deliver, paws_deliver, w);
        simlink_set_tap(s.link, 0, paws_tap, w);
        int err;
        tcp_listen(s.b, 80, 4, paws_accept, w, &err);
        struct tcb *a = tcp_connect(s.a, s.b->cfg.addr, 80, keep_handle, &a, &err);
        const unsigned long long total = (1ull << 32) + 2 * PAWS_KEPT_AT;
        unsigned long long queued = 0;
        while (a != NULL && w->got < total && loop_now(&s.loop) < SEC(600)) {
                while (queued < total) {
                        size_t n = (size_t)MIN(65536ull, total - queued);
                        long k = tcp_send(a, w->pattern + queued % PAWS_PERIOD, n);
                        if (k <= 0)
                                break;
                        queued += (unsigned long long)k;
                }
                loop_run_for(&s.loop, MSEC(1));
        }
        printf("%-10s %11llu %8.1f s %8.3f s %8.3f s %6llu %8llu\n",
               timestamps ? "on" : "off", w->got, (double)loop_now(&s.loop) / 1e6,
               (double)w->kept_sent / 1e6, (double)w->delivered_at / 1e6,
               (unsigned long long)s.b->stats.tcp.paws_rejected, w->wrong);
        bool ok = w->got == total && w->delivered_at != 0 &&
                  (timestamps ? w->wrong == 0 : w->wrong > 0);
        timer_cancel(&s.loop, &w->deliver);
        if (w->kept != NULL)
                pkb_free(w->kept);
        free(w);
        sim_pair_free(&s);
        return !ok;
}

static int scenario_paws_wrap(const struct sim_opts *o)
{
        return sim_twice(o, "timestamps  bytes read       took  copy sent  copy back  "
                         "PAWS  bytes wrong", paws_wrap_run, false);
}
#define PMTU_PERIOD 251u

struct pmtu_rx {
        struct tcb *conn;
        unsigned long long got, wrong;
        bool eof;
};

static void pmtu_read(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct pmtu_rx *r = arg;
        if (ev == TCP_EV_ERROR) {
                r->conn = NULL;
                return;
        }
        uint8_t buf[16384];
        size_t n;
        while ((n = tcp_recv(t, buf, sizeof buf)) > 0) {
                for (size_t i = 0; i < n; i++)
                        r->wrong += buf[i] != (uint8_t)((r->got + i) % PMTU_PERIOD);
                r->got += n;
        }
        if (tcp_eof(t) && r->conn == t) {
                r->eof = true;
                tcp_close(t);
                r->conn = NULL;
        }
}

static void pmtu_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        struct pmtu_rx *r = arg;
        struct tcb *t;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        while ((t = tcp_accept(l)) != NULL) {
                r->conn = t;
                tcp_set_handler(t, pmtu_read, r);
                pmtu_read(t, TCP_EV_READABLE, r);
        }
}
static int pmtu_run(const struct sim_opts *o, bool icmp)
{
        struct config cfg;
        config_default(&cfg);
        struct sim_opts lo = *o;
        if (lo.link.rate_bps == 0)
                lo.link.rate_bps = 10000000;
        if (lo.link.mtu == 0) {
                lo.link.mtu = 1280;
                lo.link.mtu_silent = !icmp;
        }
        struct sim_pair s;
        if (sim_pair_init(&s, &lo, &cfg, MSEC(20)) < 0)
                return 1;
        static uint8_t pattern[65536 + PMTU_PERIOD];
        for (size_t i = 0; i < sizeof pattern; i++)
                pattern[i] = (uint8_t)(i % PMTU_PERIOD);
        struct pmtu_rx rx = { 0 };
        int err;
        tcp_listen(s.b, 80, 4, pmtu_accept, &rx, &err);
        struct tcb *a = tcp_connect(s.a, s.b->cfg.addr, 80, keep_handle, &a, &err);
        const unsigned long long total = o->count > 0 ? (unsigned long long)o->count
                                                      : 2000000;
        unsigned long long queued = 0;
        unsigned mss_before = 0, mss_after = 0;
        usec_t started = 0, lowered = 0, settled = 0;
        while (!rx.eof && loop_now(&s.loop) < SEC(300) && (a != NULL || rx.conn != NULL)) {
                if (a != NULL && a->state == TCP_ESTABLISHED) {
                        if (mss_before == 0) {
                                mss_before = mss_after = a->snd_mss;
                                started = loop_now(&s.loop);
                        }
                        if (a->snd_mss != mss_after) {
                                settled = loop_now(&s.loop);
                                if (lowered == 0)
                                        lowered = settled;
                        }
                        mss_after = a->snd_mss;
                        while (queued < total) {
                                size_t n = (size_t)MIN(65536ull, total - queued);
                                long k = tcp_send(a, pattern + queued % PMTU_PERIOD, n);
                                if (k <= 0)
                                        break;
                                queued += (unsigned long long)k;
                        }
                        if (queued == total)
                                tcp_shutdown(a);
                }
                loop_run_for(&s.loop, MSEC(1));
        }
        const struct tcp_stats *st = &s.a->stats.tcp;
        printf("path MTU %u, %s: MSS %u -> %u", lo.link.mtu,
               lo.link.mtu_silent ? "a black hole" : "the router sends ICMP",
               mss_before, mss_after);
        if (lowered != 0 && settled != lowered)
                printf(", lowered %.3f s to %.3f s after the first data",
                       (double)(lowered - started) / 1e6,
                       (double)(settled - started) / 1e6);
        else if (lowered != 0)
                printf(", lowered %.3f s after the first data",
                       (double)(lowered - started) / 1e6);
        printf("\n  %llu lowerings on ICMP, %llu on timeouts; %llu timeouts; "
               "%llu of %llu bytes delivered in %.3f s, %llu wrong\n",
               (unsigned long long)st->pmtu_lowered, (unsigned long long)st->blackholes,
               (unsigned long long)st->rto_fired, rx.got, total,
               (double)loop_now(&s.loop) / 1e6, rx.wrong);
        bool ok = rx.eof && rx.got == total && rx.wrong == 0 && mss_after < mss_before &&
                  (lo.link.mtu_silent ? st->blackholes > 0 : st->pmtu_lowered > 0);
        sim_pair_free(&s);
        return !ok;
}

static int scenario_path_mtu(const struct sim_opts *o)
{
        return sim_twice(o, NULL, pmtu_run, true);
}
static struct pkb *sim_forge(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
                             uint32_t seq, unsigned flags, uint16_t wnd)
{
        uint8_t b[IP_HDR_MIN + TCP_HDR_MIN] = { 0 };
        uint8_t *th = b + IP_HDR_MIN;
        ip_set(b, IP_VERSION, 4);
        ip_set(b, IP_IHL, 5);
        ip_set(b, IP_TOTAL_LENGTH, sizeof b);
        ip_set(b, IP_TTL, 64);
        ip_set(b, IP_PROTOCOL, IPPROTO_TCP_);
        ip_set(b, IP_SRC, src);
        ip_set(b, IP_DST, dst);
        ip_set(b, IP_CHECKSUM, inet_checksum(b, IP_HDR_MIN));
        tcp_set(th, TCP_SPORT, sport);
        tcp_set(th, TCP_DPORT, dport);
        tcp_set(th, TCP_SEQ, seq);
        tcp_set(th, TCP_DOFF, 5);
        tcp_set_flags(th, flags);
        tcp_set(th, TCP_WINDOW, wnd);
        tcp_set(th, TCP_CHECKSUM, tcp_checksum(src, dst, th, TCP_HDR_MIN));
        return pkb_from(b, sizeof b);
}
struct blind {
        struct loop *loop;
        struct netdev *to;          /* b's end of the link */
        struct tcb *victim;         /* b's connection */
        struct rng rng;
        long sent, left;
        struct timer next;
};

static void blind_one(struct timer *tm, void *arg)
{
        struct blind *x = arg;
        (void)tm;
        if (x->victim != NULL && x->left > 0) {
                const struct tcb *t = x->victim;
                uint32_t guess = t->rcv_nxt + 1 +
                        (uint32_t)rng_below(&x->rng, MAX(t->rcv_wnd, 2u) - 1);
                struct pkb *p = sim_forge(t->raddr, t->rport, t->laddr, t->lport, guess,
                                          TH_RST, 0);
                if (p != NULL)
                        netdev_deliver(x->to, p);
                x->sent++;
                x->left--;
        }
        if (x->left > 0)
                timer_arm_in(x->loop, &x->next, 100);     /* 10,000 a second */
}

static int blind_run(const struct sim_opts *o, bool limits)
{
        struct config cfg;
        config_default(&cfg);
        if (!limits) {
                cfg.invalid_ratelimit = 0;
                cfg.challenge_ack_limit = 0;
        }
        struct sim_opts lo = *o;
        if (lo.link.rate_bps == 0)
                lo.link.rate_bps = 10000000;
        struct sim_pair s;
        if (sim_pair_init(&s, &lo, &cfg, MSEC(5)) < 0)
                return 1;
        struct closer srv = { .loop = &s.loop, .read_data = true };
        timer_init(&srv.later, closer_close, &srv);
        int err;
        tcp_listen(s.b, 80, 4, closer_accept, &srv, &err);
        struct tcb *a = tcp_connect(s.a, s.b->cfg.addr, 80, keep_handle, &a, &err);
        struct blind x = { .loop = &s.loop, .to = simlink_end(s.link, 1), .left = 100000 };
        rng_seed(&x.rng, o->seed);
        timer_init(&x.next, blind_one, &x);
        static uint8_t chunk[65536];
        const size_t total = 16u << 20;
        size_t queued = 0;
        bool shut = false;
        usec_t took = 0;
        while (loop_now(&s.loop) < SEC(60) && (a != NULL || srv.conn != NULL) &&
               took == 0) {
                if (x.victim == NULL && srv.conn != NULL) {
                        x.victim = srv.conn;
                        timer_arm_in(&s.loop, &x.next, 0);
                }
                if (srv.conn == NULL)
                        x.victim = NULL;
                while (a != NULL && a->state == TCP_ESTABLISHED && queued < total) {
                        long k = tcp_send(a, chunk, MIN(sizeof chunk, total - queued));
                        if (k <= 0)
                                break;
                        queued += (size_t)k;
                }
                if (a != NULL && queued == total && !shut) {
                        tcp_shutdown(a);
                        shut = true;
                }
                loop_run_for(&s.loop, MSEC(1));
                if (srv.got == total)
                        took = loop_now(&s.loop);
        }
        timer_cancel(&s.loop, &x.next);
        const struct tcp_stats *st = &s.b->stats.tcp;
        printf("%-10s %7ld %10llu %8llu %8llu %9s %6.1f s\n", limits ? "on" : "off", x.sent,
               (unsigned long long)st->challenge_acks,
               (unsigned long long)st->answers_limited,
               (unsigned long long)st->challenges_limited,
               srv.got == total ? "exact" : "SHORT", (double)took / 1e6);
        bool ok = srv.got == total && st->estab_resets == 0;
        sim_pair_free(&s);
        return !ok;
}

static int scenario_blind_reset(const struct sim_opts *o)
{
        return sim_twice(o, "limits      resets  challenges  held back: conn.  host  "
                         "transfer   took", blind_run, false);
}
struct flood {
        struct loop *loop;
        struct netdev *to;          /* b's end of the link */
        uint32_t dst;
        struct rng rng;
        long left, sent;
        struct timer next;
        /* the real client */
        struct tcb *conn;
        usec_t connected_at, answered_at;
        int error;
        char reply[32];
        size_t got;
};

static void flood_one(struct timer *tm, void *arg)
{
        struct flood *f = arg;
        (void)tm;
        for (int k = 0; k < 10 && f->left > 0; k++, f->left--, f->sent++) {
                uint32_t src = 0xc6120000u |   /* 198.18.0.0/16 */
                        (uint32_t)rng_below(&f->rng, 1u << 16);
                uint16_t sport = (uint16_t)(1024 + rng_below(&f->rng, 64000));
                struct pkb *p = sim_forge(src, sport, f->dst, 80,
                                          (uint32_t)rng_next(&f->rng), TH_SYN, 64240);
                if (p != NULL)
                        netdev_deliver(f->to, p);
        }
        if (f->left > 0)
                timer_arm_in(f->loop, &f->next, MSEC(1));    /* 10 a millisecond */
}

static void flood_client(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct flood *f = arg;
        if (ev == TCP_EV_ERROR) {
                f->error = t->error;
                f->conn = NULL;
                return;
        }
        if (ev == TCP_EV_CONNECTED) {
                f->connected_at = loop_now(f->loop);
                static const char req[] = "GET / HTTP/1.0\r\n\r\n";
                tcp_send(t, req, sizeof req - 1);
                tcp_shutdown(t);
                return;
        }
        size_t n;
        char buf[64];
        while ((n = tcp_recv(t, buf, sizeof buf)) > 0)
                for (size_t i = 0; i < n && f->got < sizeof f->reply - 1; i++)
                        f->reply[f->got++] = buf[i];
        if (tcp_eof(t) && f->conn == t) {
                f->answered_at = loop_now(f->loop);
                tcp_close(t);
                f->conn = NULL;
        }
}

static int flood_run(const struct sim_opts *o, bool cookies)
{
        struct config cfg;
        config_default(&cfg);
        cfg.syncookies = cookies;
        struct sim_opts lo = *o;
        lo.link.queue_limit = 100000;            /* the forged SYN-ACKs have room to go */
        struct sim_pair s;
        if (sim_pair_init(&s, &lo, &cfg, MSEC(10)) < 0)
                return 1;
        struct closer srv = { .loop = &s.loop, .read_data = true, .reply = true };
        timer_init(&srv.later, closer_close, &srv);
        int err;
        tcp_listen(s.b, 80, 128, closer_accept, &srv, &err);
        loop_run_for(&s.loop, MSEC(10));
        struct mallinfo2 before = mallinfo2();
        size_t heap_peak = before.uordblks;
        struct flood *f = xcalloc(1, sizeof *f);
        f->loop = &s.loop;
        f->to = simlink_end(s.link, 1);
        f->dst = s.b->cfg.addr;
        f->left = o->count;
        rng_seed(&f->rng, o->seed);
        timer_init(&f->next, flood_one, f);
        timer_arm_in(&s.loop, &f->next, 0);
        usec_t start = loop_now(&s.loop);
        bool dialled = false;
        while (loop_now(&s.loop) - start < SEC(90) &&
               !(dialled && f->conn == NULL && f->left == 0)) {
                if (!dialled && loop_now(&s.loop) - start >= SEC(5)) {
                        dialled = true;
                        f->conn = tcp_connect(s.a, s.b->cfg.addr, 80,
                                              flood_client, f, &err);
                }
                loop_run_for(&s.loop, MSEC(100));
                heap_peak = MAX(heap_peak, mallinfo2().uordblks);
        }
        timer_cancel(&s.loop, &f->next);
        const struct tcp_stats *st = &s.b->stats.tcp;
        char client[64];
        if (f->answered_at != 0)
                snprintf(client, sizeof client, "answered %.3f s after dialling",
                         (double)(f->answered_at - start - SEC(5)) / 1e6);
        else
                snprintf(client, sizeof client, "%s after %.0f s",
                         f->error ? strerror(f->error) : "no answer",
                         (double)(loop_now(&s.loop) - start - SEC(5)) / 1e6);
        printf("%-8s %7ld %8llu %8llu %6zu %7zu KiB  %s\n", cookies ? "on" : "off", f->sent,
               (unsigned long long)st->syn_queue_overflow,
               (unsigned long long)st->syncookies_sent,
               s.b->tcp->peak, (heap_peak - before.uordblks) / 1024, client);
        bool ok = cookies ? f->answered_at != 0 : true;
        free(f);
        sim_pair_free(&s);
        return !ok;
}

static int scenario_syn_flood(const struct sim_opts *o)
{
        return sim_twice(o, "cookies     SYNs  dropped  cookies  TCBs    heap peak  "
                         "the real client", flood_run, false);
}
/* a segment with a forged source, sent out of a's end of the link */
static void cookie_forge(struct netdev *dev, uint32_t src, uint16_t sport,
                         uint32_t dst, uint16_t dport, uint32_t seq, unsigned flags)
{
        struct pkb *p = sim_forge(src, sport, dst, dport, seq, flags,
                                  (flags & TH_RST) ? 0 : 64240);
        if (p != NULL)
                netdev_send(dev, p);
}
static void cookie_client(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct tcb **handle = arg;
        if (ev == TCP_EV_CONNECTED)
                tcp_send(t, "GET / HTTP/1.0\r\n\r\n\r\n", 20);
        *handle = ev == TCP_EV_ERROR || ev == TCP_EV_CLOSED ? NULL : t;
}
static int scenario_cookie(const struct sim_opts *o)
{
        struct config cfg;
        config_default(&cfg);
        struct sim_pair s;
        if (sim_pair_init(&s, o, &cfg, MSEC(10)) < 0)
                return 1;
        struct closer srv = { .loop = &s.loop, .read_data = true };
        timer_init(&srv.later, closer_close, &srv);
        int err;
        tcp_listen(s.b, 80, 1, closer_accept, &srv, &err);
        uint32_t forged = 0x0a000003;            /* 10.0.0.3: nobody */
        cookie_forge(s.a->dev, forged, 40000, s.b->cfg.addr, 80, 123456789, TH_SYN);
        loop_run_for(&s.loop, MSEC(1));
        struct tcb *a = tcp_connect(s.a, s.b->cfg.addr, 80, cookie_client, &a, &err);
        loop_run_for(&s.loop, MSEC(300));          /* the data, and b's delayed ACK of it */
        for (int i = 0; i < 2 && srv.conn != NULL; i++) {   /* two guesses, 10 ms apart */
                const struct tcb *t = srv.conn;
                cookie_forge(s.a->dev, t->raddr, t->rport, t->laddr, t->lport,
                             t->rcv_nxt + 1000 + 4000 * (uint32_t)i, TH_RST);
                loop_run_for(&s.loop, MSEC(10));
        }
        loop_run_for(&s.loop, MSEC(100));
        const struct tcp_stats *st = &s.b->stats.tcp;
        printf("b: %llu SYN cookies sent, %llu valid returned; %llu bytes received; "
               "%llu challenge ACKs, %llu held back; the connection %s\n",
               (unsigned long long)st->syncookies_sent,
               (unsigned long long)st->syncookies_ok, (unsigned long long)srv.got,
               (unsigned long long)st->challenge_acks,
               (unsigned long long)st->answers_limited,
               srv.conn != NULL && a != NULL ? "is open" : "was lost");
        bool ok = st->syncookies_ok == 1 && srv.got == 20 && st->challenge_acks == 1 &&
                  st->answers_limited == 1 && srv.conn != NULL;
        sim_pair_free(&s);
        return !ok;
}
static int scenario_copy_sum(const struct sim_opts *o)
{
        static uint8_t from[65536], to[PKB_DATA_MAX];
        const size_t piece = 1460;
        size_t total = (size_t)o->count, done = 0;
        uint32_t folded = 0;
        for (size_t i = 0; i < sizeof from; i++)
                from[i] = (uint8_t)(i * 7);
        while (done < total) {
                size_t n = MIN(piece, total - done);
                memcpy(to, from + done % (sizeof from - piece), n);
                folded += csum_fold(csum_add_words(0, to, n));
                done += n;
        }
        printf("copy-sum: %zu bytes copied and summed in %zu-byte pieces (%u)\n",
               done, piece, (unsigned)folded);
        return 0;
}
__attribute__((noinline)) static double bulk_memcpy_seconds(size_t total)
{
        static uint8_t from[1 << 20], to[1 << 20];
        memset(from, 'm', sizeof from);
        clock_t m0 = clock();
        for (size_t done = 0; done < total; done += 65536) {
                size_t at = done % sizeof from;
                memcpy(to + at, from + (sizeof from - 65536 - at), 65536);
                __asm__ volatile("" : : "r"(to) : "memory");   /* keep every copy */
        }
        return (double)(clock() - m0) / CLOCKS_PER_SEC;
}
static void scale_tcb_parts(void)
{
        const struct tcb *z = NULL;         /* for sizeof only */
        printf("struct tcb: %zu bytes, of which %zu for its %d timers, %zu for the\n"
               "congestion module's state, %zu for the socket options, %zu for the\n"
               "two ring headers, %zu for the SACK blocks to report\n",
               sizeof *z, sizeof z->timer, (int)TT_COUNT, sizeof z->cc_priv,
               sizeof z->so, sizeof z->sndq + sizeof z->rcvq, sizeof z->sack_rep);
}
static double cpu_ns(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static size_t scale_established(struct host *h, struct tcb **keep, size_t cap)
{
        size_t m = 0;
        for (size_t k = 0; k < h->tcp->nbuckets; k++)
                for (struct tcb *t = h->tcp->bucket[k]; t != NULL; t = t->hnext)
                        if (t->state == TCP_ESTABLISHED) {
                                if (m < cap)
                                        keep[m] = t;
                                m++;
                        }
        return m;
}
#define SCALE_BATCH 512             /* connects between runs of the loop */

static void scale_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        if (ev == TCP_EV_ACCEPTABLE)
                while (tcp_accept(l) != NULL)
                        ;
}
static int scale_one(const struct sim_opts *o, long n, FILE *trace)
{
        struct config cfg;
        config_default(&cfg);
        long range = cfg.ephemeral_hi - cfg.ephemeral_lo + 1;
        struct sim_pair s;
        if (sim_pair_init(&s, o, &cfg, 0) < 0)
                return 1;
        s.a->cfg.max_connections = s.b->cfg.max_connections = 2 * (size_t)(n + range);
        int err;
        for (long l = 0; l < (n + range - 1) / range; l++)
                tcp_listen(s.b, (uint16_t)(1000 + l), SCALE_BATCH, scale_accept,
                           NULL, &err);
        loop_run_until(&s.loop, MSEC(10));
        struct mallinfo2 before = mallinfo2();
        double slowest = 0;
        for (long i = 0; i < n; i++) {
                double t0 = cpu_ns();
                tcp_connect(s.a, s.b->cfg.addr, (uint16_t)(1000 + i / range),
                            NULL, NULL, &err);
                slowest = MAX(slowest, cpu_ns() - t0);
                if (i % SCALE_BATCH == SCALE_BATCH - 1)
                        loop_run_for(&s.loop, MSEC(1));
        }
        loop_run_for(&s.loop, SEC(1));
        struct mallinfo2 after = mallinfo2();
        size_t m = (size_t)n;
        struct tcb **v = xcalloc(m, sizeof *v);
        size_t ends = scale_established(s.a, v, 0) + scale_established(s.b, v, m);
        if (ends != 2 * m) {
                printf("scale: only %zu of %zu connection ends established\n", ends, 2 * m);
                host_print_stats(s.a, stdout);
                host_print_stats(s.b, stdout);
                free(v);
                sim_pair_free(&s);
                return 1;
        }
        double heap = (double)(after.uordblks - before.uordblks) / (double)ends;
        size_t timers = s.loop.ntimers;
        uint64_t x = 1;                             /* a linear congruential shuffle */
        for (size_t i = m - 1; i > 0; i--) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                size_t j = (size_t)((x >> 33) % (i + 1));
                struct tcb *tmp = v[i];
                v[i] = v[j];
                v[j] = tmp;
        }
        size_t rounds = MAX(m, (size_t)100000), found = 0;
        double t0 = cpu_ns();
        for (size_t i = 0; i < rounds; i++) {
                struct tcb *t = v[i % m];
                found += tcb_lookup(s.b, t->laddr, t->lport, t->raddr, t->rport) == t;
        }
        double lookup = (cpu_ns() - t0) / (double)rounds;
        if (found != rounds)
                printf("scale: %zu lookups of %zu found the wrong TCB\n", rounds - found, rounds);
        clock_t c0 = clock();
        for (size_t i = 0; i < m; i++) {
                tcp_setsockopt(v[i], TCP_SO_KEEPALIVE, 1);
                if (i % SCALE_BATCH == SCALE_BATCH - 1)
                        loop_run_for(&s.loop, MSEC(100));
        }
        loop_run_for(&s.loop, s.b->cfg.keepalive_idle + SEC(60));
        double keep_ms = (double)(clock() - c0) * 1e3 / CLOCKS_PER_SEC;
        uint32_t nowhere = s.b->cfg.addr + 1;
        for (long i = 1; tcp_connect(s.a, nowhere, 80, NULL, NULL, &err) != NULL; i++)
                if (i % SCALE_BATCH == 0)
                        loop_run_for(&s.loop, MSEC(1));
        tcp_connect(s.a, nowhere, 80, NULL, NULL, &err);      /* the first, untimed */
        uint64_t p0 = s.a->stats.tcp.port_probes;
        t0 = cpu_ns();
        for (int i = 0; i < 5; i++)
                tcp_connect(s.a, nowhere, 80, NULL, NULL, &err);
        double failed = (cpu_ns() - t0) / 5;
        double probes = (double)(s.a->stats.tcp.port_probes - p0) / 5;
        printf("%9ld %5.0f %8zu %7zu %6.0f %8.2f %8.1f %6.0f %6zu %9.1f\n", n, heap,
               s.b->tcp->nbuckets, tcp_table_longest(s.b), lookup, slowest / 1e6,
               failed / 1e3, probes, timers, keep_ms);
        if (trace != NULL)
                fprintf(trace, "%ld %.1f %.1f %zu %.2f\n", n, heap, lookup,
                        tcp_table_longest(s.b), failed / 1e3);
        free(v);
        sim_pair_free(&s);
        return 0;
}
static int scenario_scale(const struct sim_opts *o)
{
        scale_tcb_parts();
        printf("Per size: heap bytes per connection end; b's buckets and longest chain;\n"
               "ns per lookup; the slowest connect (ms); a connect that finds no port\n"
               "(us, probes); timers armed when idle; CPU ms for a round of keepalive\n"
               "on b's connections\n");
        printf("%9s %5s %8s %7s %6s %8s %8s %6s %6s %9s\n", "conns", "heap", "buckets",
               "longest", "lookup", "connect", "failed", "probes", "timers", "keepalive");
        FILE *trace = NULL;
        if (o->trace != NULL && (trace = trace_open(o->trace)) == NULL)
                return 1;
        int status = 0;
        for (long n = 1000; n <= o->count && status == 0; n *= 10)
                status = scale_one(o, n, trace);
        if (trace != NULL && trace_close(trace, o->trace) != 0)
                status = 1;
        return status;
}
