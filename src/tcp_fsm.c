/* Tangled from chapters/03-segments.nw, chapters/04-opening.nw, chapters/05-closing.nw by tools/tangle: edit those, not this file. */
#include "host.h"

const char *const tcp_state_names[TCP_NSTATES] = {
        [TCP_CLOSED] = "CLOSED",
        [TCP_LISTEN] = "LISTEN",
        [TCP_SYN_SENT] = "SYN-SENT",
        [TCP_SYN_RECEIVED] = "SYN-RECEIVED",
        [TCP_ESTABLISHED] = "ESTABLISHED",
        [TCP_FIN_WAIT_1] = "FIN-WAIT-1",
        [TCP_FIN_WAIT_2] = "FIN-WAIT-2",
        [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
        [TCP_CLOSING] = "CLOSING",
        [TCP_LAST_ACK] = "LAST-ACK",
        [TCP_TIME_WAIT] = "TIME-WAIT",
};
const char *const tcp_trigger_names[T_COUNT] = {
        [T_LISTEN] = "listen", [T_CONNECT] = "connect", [T_RCV_SYN] = "rcv SYN",
        [T_RCV_SYN_ACK] = "rcv SYN,ACK", [T_RCV_ACK] = "rcv ACK of SYN",
        [T_RCV_RST] = "rcv RST", [T_TIMEOUT] = "timeout", [T_OVERFLOW] = "overflow",
        [T_TWO_WAY] = "two-way",
        [T_CLOSE] = "close", [T_ABORT] = "abort", [T_RCV_FIN] = "rcv FIN",
        [T_RCV_ACK_OF_FIN] = "rcv ACK of FIN", [T_2MSL] = "2MSL timeout",
};

const struct tcp_transition tcp_transitions[] = {
        { TCP_CLOSED, T_LISTEN, TCP_LISTEN, "passive open", 4, false },
        { TCP_CLOSED, T_CONNECT, TCP_SYN_SENT, "active open / snd SYN", 4, false },
        { TCP_LISTEN, T_RCV_SYN, TCP_SYN_RECEIVED, "rcv SYN / snd SYN,ACK", 4, false },
        { TCP_SYN_SENT, T_RCV_SYN, TCP_SYN_RECEIVED, "rcv SYN / snd SYN,ACK", 4, false },
        { TCP_SYN_SENT, T_RCV_SYN_ACK, TCP_ESTABLISHED, "rcv SYN,ACK / snd ACK", 4, false },
        { TCP_SYN_RECEIVED, T_RCV_ACK, TCP_ESTABLISHED, "rcv ACK of SYN", 4, false },
        { TCP_SYN_RECEIVED, T_RCV_RST, TCP_LISTEN, "rcv RST (passive open)", 4, true },
        { TCP_SYN_RECEIVED, T_RCV_RST, TCP_CLOSED, "rcv RST (active open)", 4, true },
        { TCP_SYN_SENT, T_RCV_RST, TCP_CLOSED, "rcv RST,ACK: refused", 4, true },
        { TCP_SYN_SENT, T_TIMEOUT, TCP_CLOSED, "SYN retries exhausted", 4, true },
        { TCP_SYN_RECEIVED, T_TIMEOUT, TCP_CLOSED, "SYN,ACK retries exhausted", 4, true },
        { TCP_SYN_RECEIVED, T_OVERFLOW, TCP_CLOSED, "accept queue full / snd RST", 4, true },
        { TCP_ESTABLISHED, T_RCV_RST, TCP_CLOSED, "rcv RST", 4, true },
        { TCP_SYN_RECEIVED, T_TWO_WAY, TCP_ESTABLISHED, "(two-way handshake)", 0, false },
        { TCP_ESTABLISHED, T_CLOSE, TCP_FIN_WAIT_1, "close / snd FIN", 5, false },
        { TCP_ESTABLISHED, T_RCV_FIN, TCP_CLOSE_WAIT, "rcv FIN / snd ACK", 5, false },
        { TCP_FIN_WAIT_1, T_RCV_ACK_OF_FIN, TCP_FIN_WAIT_2, "rcv ACK of FIN", 5, false },
        { TCP_FIN_WAIT_1, T_RCV_FIN, TCP_CLOSING, "rcv FIN / snd ACK", 5, false },
        { TCP_FIN_WAIT_2, T_RCV_FIN, TCP_TIME_WAIT, "rcv FIN / snd ACK", 5, false },
        { TCP_CLOSING, T_RCV_ACK_OF_FIN, TCP_TIME_WAIT, "rcv ACK of FIN", 5, false },
        { TCP_TIME_WAIT, T_2MSL, TCP_CLOSED, "timeout = 2MSL", 5, false },
        { TCP_CLOSE_WAIT, T_CLOSE, TCP_LAST_ACK, "close / snd FIN", 5, false },
        { TCP_LAST_ACK, T_RCV_ACK_OF_FIN, TCP_CLOSED, "rcv ACK of FIN", 5, false },
        { TCP_LISTEN, T_CLOSE, TCP_CLOSED, "close", 5, false },
        { TCP_SYN_SENT, T_CLOSE, TCP_CLOSED, "close", 5, false },
        { TCP_SYN_RECEIVED, T_ABORT, TCP_CLOSED, "abort / snd RST", 5, true },
        { TCP_ESTABLISHED, T_ABORT, TCP_CLOSED, "abort / snd RST", 5, true },
        { TCP_FIN_WAIT_1, T_ABORT, TCP_CLOSED, "abort / snd RST", 5, true },
        { TCP_FIN_WAIT_2, T_ABORT, TCP_CLOSED, "abort / snd RST", 5, true },
        { TCP_CLOSE_WAIT, T_ABORT, TCP_CLOSED, "abort / snd RST", 5, true },
        { TCP_CLOSING, T_ABORT, TCP_CLOSED, "abort", 5, true },
        { TCP_LAST_ACK, T_ABORT, TCP_CLOSED, "abort", 5, true },
        { TCP_TIME_WAIT, T_ABORT, TCP_CLOSED, "abort", 5, true },
        { TCP_FIN_WAIT_1, T_RCV_RST, TCP_CLOSED, "rcv RST", 5, true },
        { TCP_FIN_WAIT_2, T_RCV_RST, TCP_CLOSED, "rcv RST", 5, true },
        { TCP_CLOSE_WAIT, T_RCV_RST, TCP_CLOSED, "rcv RST", 5, true },
        { TCP_CLOSING, T_RCV_RST, TCP_CLOSED, "rcv RST", 5, true },
        { TCP_LAST_ACK, T_RCV_RST, TCP_CLOSED, "rcv RST", 5, true },
        { TCP_TIME_WAIT, T_RCV_RST, TCP_CLOSED, "rcv RST", 5, true },
        { TCP_FIN_WAIT_2, T_TIMEOUT, TCP_CLOSED, "FIN-WAIT-2 timeout", 5, true },
        { TCP_TIME_WAIT, T_OVERFLOW, TCP_CLOSED, "TIME-WAIT table full", 5, true },
        { TCP_ESTABLISHED, T_TIMEOUT, TCP_CLOSED, "retries exhausted", 5, true },
        { TCP_FIN_WAIT_1, T_TIMEOUT, TCP_CLOSED, "retries exhausted", 5, true },
        { TCP_CLOSE_WAIT, T_TIMEOUT, TCP_CLOSED, "retries exhausted", 5, true },
        { TCP_CLOSING, T_TIMEOUT, TCP_CLOSED, "retries exhausted", 5, true },
        { TCP_LAST_ACK, T_TIMEOUT, TCP_CLOSED, "retries exhausted", 5, true },
};
const size_t tcp_ntransitions = ARRAY_LEN(tcp_transitions);

bool tcp_set_state(struct tcb *t, enum tcp_trigger why, enum tcp_state to)
{
        struct host *h = t->host;
        for (size_t i = 0; i < tcp_ntransitions; i++) {
                const struct tcp_transition *r = &tcp_transitions[i];
                if (r->from == t->state && r->trigger == why && r->to == to) {
                        h->tcp->transitions_taken[i]++;
                        if (h->cfg.transition_log != NULL)
                                h->cfg.transition_log[i]++;
                        enum tcp_state from = t->state;
                        t->state = to;
                        if (h->on_state != NULL)
                                h->on_state(t, from, to, h->state_arg);
                        if (to == TCP_TIME_WAIT)
                                h->tcp->tw_count++;
                        if (from == TCP_TIME_WAIT)
                                h->tcp->tw_count--;
                        return true;
                }
        }
        h->stats.tcp.refused_transitions++;
        fprintf(stderr, "tcp: refused transition %s --%s--> %s\n",
                tcp_state_names[t->state], tcp_trigger_names[why], tcp_state_names[to]);
        return false;
}
