/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#ifndef APPS_H
#define APPS_H
#include "host.h"

#define APP(name, fn) void fn(struct tcb *l, enum tcp_event ev, void *arg);
APP("hold", hold_listen_event)
APP("hello", hello_accept)
APP("count", count_accept)
APP("echo", echo_accept)
APP("discard", discard_accept)
APP("chargen", chargen_accept)
APP("sink", sink_accept)
APP("http", http_accept)
#undef APP

int app_start(struct host *h, const char *spec, char *err, size_t errlen);
int app_connect(struct host *h, const char *spec, char *err, size_t errlen);
const char *addr_str(uint32_t a, char *buf);
void hold_conn_event(struct tcb *t, enum tcp_event ev, void *arg);
void hold_closing(struct tcb *t, enum tcp_event ev);
void app_set_http_root(const char *dir);
int send_start(struct host *h, unsigned long long bytes, uint32_t addr, uint16_t port);
#endif
