/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/11-odds.nw by tools/tangle: edit those, not this file. */
#ifndef APPS_H
#define APPS_H
#include "host.h"

#define APP(name, fn, what) void fn(struct tcb *l, enum tcp_event ev, void *arg);
APP("hold", hold_listen_event, "accept connections and hold them open")
APP("hello", hello_accept, "send a line, then close")
APP("count", count_accept, "read to the end, reply with the byte count")
APP("echo", echo_accept, "send back what arrives (RFC 862)")
APP("discard", discard_accept, "read and throw away (RFC 863)")
APP("chargen", chargen_accept, "send characters until closed (RFC 864)")
APP("sink", sink_accept, "read to the end, print count and SHA-256")
APP("http", http_accept, "GET /bytes/N, or a file from --http-root")
APP("slowsink", slowsink_accept, "sink, but reading slowly (--slow-read)")
APP("urgent", urgent_accept, "read in line; print count, SHA-256, urgent bytes")
#undef APP

int app_start(struct host *h, const char *spec, char *err, size_t errlen);
int app_connect(struct host *h, const char *spec, char *err, size_t errlen);
void app_print_list(FILE *f, int indent);
const char *addr_str(uint32_t a, char *buf);
void hold_conn_event(struct tcb *t, enum tcp_event ev, void *arg);
void hold_closing(struct tcb *t, enum tcp_event ev);
void app_set_http_root(const char *dir);
int send_start(struct host *h, unsigned long long bytes, uint32_t addr, uint16_t port);
void app_set_slow_read(size_t bytes, usec_t every);
int oob_send_start(struct host *h, size_t half, uint32_t addr, uint16_t port);
#endif
