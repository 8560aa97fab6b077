/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw by tools/tangle: edit those, not this file. */
#include "host.h"

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
uint64_t tcp_transition_taken[ARRAY_LEN(tcp_transitions)];
uint64_t tcp_transition_refused;

bool tcp_set_state(struct tcb *t, enum tcp_trigger why, enum tcp_state to)
{
        for (size_t i = 0; i < tcp_ntransitions; i++) {
                const struct tcp_transition *r = &tcp_transitions[i];
                if (r->from == t->state && r->trigger == why && r->to == to) {
                        tcp_transition_taken[i]++;
                        enum tcp_state from = t->state;
                        t->state = to;
                        if (t->host->on_state != NULL)
                                t->host->on_state(t, from, to, t->host->state_arg);
                        if (to == TCP_TIME_WAIT)
                                t->host->tcp->tw_count++;
                        if (from == TCP_TIME_WAIT)
                                t->host->tcp->tw_count--;
                        (void)from;
                        return true;
                }
        }
        tcp_transition_refused++;
        fprintf(stderr, "tcp: refused transition %s --%s--> %s\n",
                tcp_state_names[t->state], tcp_trigger_names[why], tcp_state_names[to]);
        return false;
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

void tcp_print_state_dot(FILE *out, int chapter)
{
        bool used[TCP_NSTATES] = { false };
        char aside[TCP_NSTATES][160] = { { 0 } };   /* merged labels, per state */
        for (size_t i = 0; i < tcp_ntransitions; i++)
                if (drawn(&tcp_transitions[i], chapter))
                        used[tcp_transitions[i].from] = used[tcp_transitions[i].to] = true;
        fprintf(out, "digraph tcp {\n  rankdir=TB; nodesep=0.5; ranksep=0.45; size=\"7.5,9.5\";\n"
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
                fprintf(out, "  s%d -> s%d [label=\"%s\"%s%s%s];\n", r->from, r->to, r->label,
                        r->chapter == chapter ? ", color=\"#1f5fa0\", fontcolor=\"#1f5fa0\"" : "",
                        r->aside ? ", style=dashed" : "",
                        state_rank[r->to] < state_rank[r->from] ? ", constraint=false" : "");
        }
        bool any = false;
        for (int s = 0; s < TCP_NSTATES; s++)
                any = any || aside[s][0] != '\0';
        if (any) {
                fprintf(out, "  end [label=\"CLOSED\", style=\"rounded,dashed\"];\n"
                        "  { rank=sink; end; }\n");
                for (int s = 0; s < TCP_NSTATES; s++)
                        if (aside[s][0] != '\0')
                                fprintf(out, "  s%d -> end [label=\"%s\", style=dashed, color=\"#888888\", "
                                        "fontcolor=\"#666666\"];\n", s, aside[s]);
        }
        fprintf(out, "}\n");
}
