/* Tangled from chapters/01-wire.nw, chapters/02-ipv4.nw, chapters/03-segments.nw, chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/08-congestion.nw, chapters/09-sack.nw, chapters/10-timestamps.nw, chapters/11-odds.nw, chapters/12-attack.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "host.h"

void config_default(struct config *cfg)
{
        memset(cfg, 0, sizeof *cfg);
        cfg->ip_ttl = 64;
        cfg->secret.k0 = 0x0706050403020100ULL;
        cfg->secret.k1 = 0x0f0e0d0c0b0a0908ULL;
        cfg->max_connections = 65536;
        cfg->ephemeral_lo = 32768;
        cfg->ephemeral_hi = 60999;
        cfg->max_tw_buckets = 180000;
        cfg->invalid_ratelimit = MSEC(500);
        cfg->challenge_ack_limit = 1000;
        cfg->header_prediction = true;
        cfg->ack_batch = true;
        cfg->table_grow = true;
        cfg->port_tries = 1024;
        cfg->pkb_keep = 256;
        cfg->lookup_cache = true;
        cfg->syn_retries = 5;
        cfg->synack_retries = 5;
        cfg->max_syn_backlog = 256;
        cfg->abort_on_overflow = false;
        cfg->listen_backlog = 128;
        cfg->syncookies = true;
        cfg->min_snd_mss = 48;
        cfg->rto_initial = SEC(1);
        cfg->rto_max = SEC(120);
        cfg->msl = SEC(30);
        cfg->fin_timeout = SEC(60);
        cfg->retries2 = 15;
        cfg->delack = MSEC(200);
        cfg->rto_min = SEC(1);
        cfg->persist_max = SEC(60);
        cfg->keepalive = false;
        cfg->keepalive_idle = SEC(2 * 3600);
        cfg->keepalive_intvl = SEC(75);
        cfg->keepalive_probes = 9;
        cfg->rcvbuf = 65535;
        cfg->sndbuf = 65536;
        cfg->ooo_max = 256;
        cfg->rcvbuf = 256u << 10;            /* chapter 4's 64 KiB, now scaled */
        cfg->sndbuf = 256u << 10;
        cfg->ooo_max = 4096;                 /* a window's worth of segments */
        cfg->window_scaling = true;
        cfg->nodelay = false;
        cfg->mem_max = (size_t)256 << 20;
        cfg->dupthresh = 3;
        cfg->cc = &tcp_cc_none;
        cfg->init_cwnd = 10;
        cfg->limited_transmit = true;
        cfg->slow_start_after_idle = true;
        cfg->cc = &tcp_cc_newreno;
        cfg->sack = true;
        cfg->timestamps = true;
        cfg->eifel = true;
        cfg->pmtu_min = 552;
        cfg->blackhole_rtos = 2;
        cfg->ecn = 2;
}

void print_drops(FILE *f, const uint64_t *counts, const char *const *names, int n)
{
        for (int i = 0; i < n; i++)
                if (counts[i] > 0)
                        fprintf(f, "    %llu dropped: %s\n",
                                (unsigned long long)counts[i], names[i]);
}
static void host_turn_end(void *arg)
{
        tcp_turn_end(arg);
}
static void host_input(struct netdev *dev, struct pkb *p, void *arg)
{
        (void)dev;
        struct host *h = arg;
        h->stats.rx_packets++;
        if (p->len >= 1 && p->data[0] >> 4 != 6) {
                ip_input(h, p);
                return;
        }
        h->stats.unhandled++;
        if (h->cfg.verbose) {
                printf("%s: unhandled packet of %zu bytes:", h->dev->name, p->len);
                for (size_t i = 0; i < MIN(p->len, (size_t)20); i++)
                        printf(" %02x", p->data[i]);
                printf("%s\n", p->len > 20 ? " ..." : "");
        }
        pkb_free(p);
}
struct host *host_create(struct loop *loop, struct netdev *dev,
                         const struct config *cfg)
{
        struct host *h = xcalloc(1, sizeof *h);
        h->loop = loop;
        h->dev = dev;
        h->cfg = *cfg;
        h->ip_next_id = (uint16_t)(h->cfg.addr * 2654435761u >> 16);
        h->tcp = xcalloc(1, sizeof *h->tcp);
        h->tcp->nbuckets = TCP_HASH_BUCKETS;
        h->tcp->bucket = xcalloc(h->tcp->nbuckets, sizeof *h->tcp->bucket);
        h->tcp->transitions_taken = xcalloc(tcp_ntransitions, sizeof *h->tcp->transitions_taken);
        timer_init(&h->tcp_mem_wake, tcp_mem_wake, h);
        if (loop->kind == CLOCK_REAL && loop_at_turn_end(loop, host_turn_end, h) == 0)
                h->turns = true;
        pkb_set_keep(h->cfg.pkb_keep);
        netdev_set_rx(dev, host_input, h);
        return h;
}

void host_destroy(struct host *h)
{
        if (h == NULL)
                return;
        for (size_t b = 0; b < h->tcp->nbuckets; b++)
                while (h->tcp->bucket[b] != NULL)
                        tcb_destroy(h->tcp->bucket[b]);
        free(h->tcp->transitions_taken);
        free(h->tcp->bucket);
        free(h->tcp);
        timer_cancel(h->loop, &h->tcp_mem_wake);
        if (h->turns)
                loop_forget_turn_end(h->loop, host_turn_end, h);
        netdev_destroy(h->dev);
        free(h);
}
void host_print_stats(const struct host *h, FILE *f)
{
        const struct netdev_stats *d = &h->dev->stats;
        fprintf(f, "Device %s:\n", h->dev->name);
        fprintf(f, "    %llu packets received, %llu bytes\n",
                (unsigned long long)d->rx_packets, (unsigned long long)d->rx_bytes);
        fprintf(f, "    %llu packets sent, %llu bytes\n",
                (unsigned long long)d->tx_packets, (unsigned long long)d->tx_bytes);
        fprintf(f, "    %llu outgoing packets dropped\n",
                (unsigned long long)d->tx_dropped);
        fprintf(f, "Host:\n");
        fprintf(f, "    %llu packets taken by no protocol\n",
                (unsigned long long)h->stats.unhandled);
        const struct ip_stats *ips = &h->stats.ip;
        fprintf(f, "Ip:\n");
        fprintf(f, "    %llu total packets received\n", (unsigned long long)ips->in_receives);
        print_drops(f, ips->in_drops, ip_drop_names, IP_DROP_KINDS);
        if (ips->in_ttl_zero > 0)
                fprintf(f, "    %llu arrived with TTL 0 (accepted)\n",
                        (unsigned long long)ips->in_ttl_zero);
        fprintf(f, "    %llu with unknown protocol\n", (unsigned long long)ips->in_unknown_protos);
        fprintf(f, "    %llu incoming packets delivered\n", (unsigned long long)ips->in_delivers);
        fprintf(f, "    %llu requests sent out\n", (unsigned long long)ips->out_requests);
        const struct icmp_stats *ic = &h->stats.icmp;
        fprintf(f, "Icmp:\n");
        fprintf(f, "    %llu ICMP messages received\n", (unsigned long long)ic->in_msgs);
        fprintf(f, "    %llu input ICMP message failed (bad checksum or length)\n",
                (unsigned long long)ic->in_errors);
        fprintf(f, "    input: %llu echo requests, %llu echo replies, "
                "%llu destination unreachable, %llu other\n",
                (unsigned long long)ic->in_echos, (unsigned long long)ic->in_echo_reps,
                (unsigned long long)ic->in_dest_unreachs, (unsigned long long)ic->in_other);
        fprintf(f, "    %llu ICMP messages sent\n", (unsigned long long)ic->out_msgs);
        fprintf(f, "    output: %llu echo replies, %llu echo requests, "
                "%llu destination unreachable, %llu errors suppressed\n",
                (unsigned long long)ic->out_echo_reps, (unsigned long long)ic->out_echos,
                (unsigned long long)ic->out_dest_unreachs,
                (unsigned long long)ic->out_errors_suppressed);
        const struct tcp_stats *ts = &h->stats.tcp;
        fprintf(f, "Tcp:\n");
        fprintf(f, "    %llu segments received\n", (unsigned long long)ts->in_segs);
        print_drops(f, ts->in_drops, tcp_drop_names, TCP_DROP_KINDS);
        fprintf(f, "    %llu options of unknown kind skipped, %llu of a wrong length, "
                "%llu option lists malformed\n",
                (unsigned long long)ts->opt_problems[TCP_OPT_UNKNOWN],
                (unsigned long long)ts->opt_problems[TCP_OPT_BAD_LENGTH],
                (unsigned long long)ts->opt_problems[TCP_OPT_MALFORMED]);
        fprintf(f, "    %llu segments sent, %llu resets sent\n",
                (unsigned long long)ts->out_segs, (unsigned long long)ts->out_rsts);
        fprintf(f, "    %llu segments to closed ports\n", (unsigned long long)ts->closed_port);
        fprintf(f, "    %llu active connection openings, %llu passive connection openings\n",
                (unsigned long long)ts->active_opens, (unsigned long long)ts->passive_opens);
        fprintf(f, "    %llu failed connection attempts, %llu open connections failed\n",
                (unsigned long long)ts->attempt_fails, (unsigned long long)ts->estab_resets);
        fprintf(f, "    %llu SYNs and %llu SYN-ACKs retransmitted\n",
                (unsigned long long)ts->syn_retransmits,
                (unsigned long long)ts->synack_retransmits);
        fprintf(f, "    %llu SYNs dropped: SYN queue full; %llu handshakes refused: "
                "accept queue full\n", (unsigned long long)ts->syn_queue_overflow,
                (unsigned long long)ts->accept_queue_overflow);
        fprintf(f, "    %llu half-open connections timed out\n",
                (unsigned long long)ts->half_open_timeouts);
        fprintf(f, "    %llu connections now, at most %llu\n",
                (unsigned long long)h->tcp->count, (unsigned long long)h->tcp->peak);
        fprintf(f, "    %llu ICMP errors remembered for a connection, %llu ignored\n",
                (unsigned long long)ts->icmp_accepted, (unsigned long long)ts->icmp_ignored);
        fprintf(f, "    %llu connections in TIME-WAIT now; %llu refused TIME-WAIT: table full\n",
                (unsigned long long)h->tcp->tw_count, (unsigned long long)ts->tw_overflow);
        fprintf(f, "    %llu reset on close with unread data, %llu on data after close\n",
                (unsigned long long)ts->aborts_on_close, (unsigned long long)ts->aborts_on_data);
        fprintf(f, "    %llu FIN-WAIT-2 timeouts, %llu connections timed out\n",
                (unsigned long long)ts->fin_wait2_timeouts, (unsigned long long)ts->timeouts);
        fprintf(f, "    %llu bytes received in order, %llu bytes sent\n",
                (unsigned long long)ts->bytes_in, (unsigned long long)ts->bytes_out);
        fprintf(f, "    %llu bytes held out of order (%llu segments that did not fit), "
                "%llu duplicate bytes\n", (unsigned long long)ts->ooo_queued,
                (unsigned long long)ts->ooo_overflow, (unsigned long long)ts->dup_bytes);
        fprintf(f, "    %llu delayed ACKs, %llu round-trip samples\n",
                (unsigned long long)ts->delayed_acks, (unsigned long long)ts->rtt_samples);
        fprintf(f, "    %llu duplicate ACKs received, %llu fast retransmits, %llu partial ACKs\n",
                (unsigned long long)ts->dup_acks, (unsigned long long)ts->fast_retransmits,
                (unsigned long long)ts->partial_acks);
        fprintf(f, "    %llu retransmission timeouts, %llu segments retransmitted\n",
                (unsigned long long)ts->rto_fired, (unsigned long long)ts->retransmitted_segs);
        fprintf(f, "    %llu window probes sent, %llu small segments held back "
                "(Nagle, silly window), %llu window-scale shifts above 14 clamped\n",
                (unsigned long long)ts->persist_probes, (unsigned long long)ts->small_held,
                (unsigned long long)ts->ws_clamped);
        fprintf(f, "    %llu duplicate ACKs that only echoed a recovery (RFC 6582)\n",
                (unsigned long long)ts->dupacks_after_recovery);
        fprintf(f, "    %llu D-SACKs sent, %llu received (%llu for retransmitted bytes); "
                "%llu SACK blocks ignored, %llu rescue retransmissions\n",
                (unsigned long long)ts->dsacks_sent, (unsigned long long)ts->dsacks_received,
                (unsigned long long)ts->dsack_for_retransmissions,
                (unsigned long long)ts->sack_blocks_ignored,
                (unsigned long long)ts->rescue_retransmits);
        fprintf(f, "    %llu bytes retransmitted\n", (unsigned long long)ts->retransmitted_bytes);
        fprintf(f, "    %llu segments dropped by PAWS, %llu spurious retransmissions undone\n",
                (unsigned long long)ts->paws_rejected, (unsigned long long)ts->spurious_undone);
        fprintf(f, "    %llu echoes older than a retransmission not taken as round trips\n",
                (unsigned long long)ts->rtt_echo_refused);
        fprintf(f, "    %llu segments with urgent data taken, %llu sent\n",
                (unsigned long long)ts->urgent_in, (unsigned long long)ts->urgent_out);
        fprintf(f, "    %llu keepalive probes; connections reset by keepalive: %llu\n",
                (unsigned long long)ts->keepalive_probes, (unsigned long long)ts->keepalive_drops);
        fprintf(f, "    %llu MSS reductions on ICMP fragmentation needed, %llu on a suspected "
                "black hole\n", (unsigned long long)ts->pmtu_lowered,
                (unsigned long long)ts->blackholes);
        fprintf(f, "    %llu connections with ECN, %llu segments marked CE received\n",
                (unsigned long long)ts->ecn_connections, (unsigned long long)ts->ecn_ce_received);
        fprintf(f, "    %llu ACKs with ECE received, %llu window reductions for them\n",
                (unsigned long long)ts->ecn_echoes, (unsigned long long)ts->ecn_reductions);
        fprintf(f, "    %llu challenge ACKs sent\n", (unsigned long long)ts->challenge_acks);
        fprintf(f, "    %llu ACKs below SND.UNA - MAX.SND.WND dropped, "
                "%llu answers to invalid segments\n"
                "      held back by the connection's limit, %llu challenge ACKs by the host's\n",
                (unsigned long long)ts->ack_too_old, (unsigned long long)ts->answers_limited,
                (unsigned long long)ts->challenges_limited);
        fprintf(f, "    %llu SYN cookies sent, %llu valid ones returned, %llu invalid\n",
                (unsigned long long)ts->syncookies_sent, (unsigned long long)ts->syncookies_ok,
                (unsigned long long)ts->syncookies_failed);
        fprintf(f, "    %llu MSS options below the floor raised to it\n",
                (unsigned long long)ts->mss_raised);
        fprintf(f, "    %zu bytes of buffer memory held, at most %zu; "
                "%llu buffers refused at the cap\n",
                h->tcp_mem, h->tcp_mem_peak, (unsigned long long)ts->mem_refused);
        fprintf(f, "    %llu ACKs and %llu data segments predicted (the fast path)\n",
                (unsigned long long)ts->predicted_acks, (unsigned long long)ts->predicted_data);
        fprintf(f, "    %llu ACKs of a second segment deferred to the end of the turn, "
                "%llu ACKs sent there\n", (unsigned long long)ts->acks_batched,
                (unsigned long long)ts->batch_acks);
        fprintf(f, "    %llu ports tried by connect, %llu connects found none free\n",
                (unsigned long long)ts->port_probes, (unsigned long long)ts->port_none);
        fprintf(f, "    %llu doublings of the connection table\n",
                (unsigned long long)ts->table_grown);
        fprintf(f, "    %llu lookups answered by the last connection found\n",
                (unsigned long long)ts->lookup_hits);
        {
                const struct netdev *bottom = h->dev;
                while (bottom->under != NULL)
                        bottom = bottom->under;
                const struct netdev_offload_stats *o = &bottom->offload;
                if (o->tso_writes + o->gso_reads + o->csum_trusted > 0)
                        fprintf(f, "    offloads: %llu TSO writes carrying %llu segments, %llu GSO "
                                "packets read carrying %llu, %llu checksums taken on the "
                                "kernel's word\n",
                                (unsigned long long)o->tso_writes, (unsigned long long)o->tso_segs,
                                (unsigned long long)o->gso_reads, (unsigned long long)o->gso_segs,
                                (unsigned long long)o->csum_trusted);
        }
}
