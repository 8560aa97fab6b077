/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw by tools/tangle: edit those, not this file. */
#include "apps.h"
#include <errno.h>
#include <arpa/inet.h>

static const char *addr_str(uint32_t a, char *buf)
{
        snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
        return buf;
}
static void hold_closing(struct tcb *t, enum tcp_event ev)
{
        if (ev == TCP_EV_READABLE) {
                uint8_t buf[4096];
                while (tcp_recv(t, buf, sizeof buf) > 0)
                        ;                        /* held connections discard data */
        }
        if (tcp_eof(t)) {
                char a[16];
                printf("hold: %s:%u closed; closing too\n", addr_str(t->raddr, a), t->rport);
                fflush(stdout);
                tcp_close(t);
        }
}
static void hello_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        (void)ev;
        (void)arg;
        uint8_t buf[4096];
        while (tcp_recv(t, buf, sizeof buf) > 0)
                ;
        if (tcp_eof(t))
                tcp_close(t);
}

static void hello_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        struct tcb *c;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        while ((c = tcp_accept(l)) != NULL) {
                static const char msg[] = "hello from tcpstack\n";
                tcp_set_handler(c, hello_event, NULL);
                tcp_send(c, msg, sizeof msg - 1);
                tcp_shutdown(c);         /* we close first: FIN after the line */
                hello_event(c, TCP_EV_READABLE, NULL);
        }
}
struct counter {
        unsigned long long bytes;
};

static void count_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        (void)ev;
        struct counter *c = arg;
        uint8_t buf[4096];
        size_t n;
        while ((n = tcp_recv(t, buf, sizeof buf)) > 0)
                c->bytes += n;
        if (tcp_eof(t)) {
                char reply[64];
                int len = snprintf(reply, sizeof reply, "%llu bytes\n", c->bytes);
                tcp_send(t, reply, (size_t)len);
                tcp_set_handler(t, NULL, NULL);
                free(c);
                tcp_close(t);
        } else if (ev == TCP_EV_ERROR) {
                free(c);
        }
}

static void count_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        struct tcb *c;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        while ((c = tcp_accept(l)) != NULL) {
                struct counter *k = xcalloc(1, sizeof *k);
                tcp_set_handler(c, count_event, k);
                count_event(c, TCP_EV_READABLE, k);
        }
}
static void hold_conn_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        (void)arg;
        char a[16];
        if (ev == TCP_EV_ERROR)
                printf("hold: connection from %s:%u ended: %s\n",
                       addr_str(t->raddr, a), t->rport, strerror(t->error));
        else if (ev == TCP_EV_CONNECTED)
                printf("hold: connected to %s:%u\n", addr_str(t->raddr, a), t->rport);
        fflush(stdout);
        if (ev != TCP_EV_ERROR) {
                hold_closing(t, ev);
        }
}

static void hold_listen_event(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        struct tcb *c;
        char a[16];
        while ((c = tcp_accept(l)) != NULL) {
                tcp_set_handler(c, hold_conn_event, NULL);
                printf("hold: accepted %s:%u on port %u\n", addr_str(c->raddr, a),
                       c->rport, c->lport);
                fflush(stdout);
                hold_closing(c, TCP_EV_READABLE);
        }
}
struct app {
        const char *name;
        tcp_event_fn on_listen;
};

static const struct app apps[] = {
        { "hold", hold_listen_event },
        { "hello", hello_accept },
        { "count", count_accept },
};

static int parse_port(const char *s, uint16_t *port)
{
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (*s == '\0' || *end != '\0' || errno != 0 || v < 1 || v > 65535)
                return -1;
        *port = (uint16_t)v;
        return 0;
}

int app_start(struct host *h, const char *spec, char *err, size_t errlen)
{
        const char *colon = strchr(spec, ':');
        uint16_t port;
        if (colon == NULL || parse_port(colon + 1, &port) < 0) {
                snprintf(err, errlen, "'%s': expected APP:PORT, e.g. hold:80", spec);
                return -1;
        }
        for (size_t i = 0; i < ARRAY_LEN(apps); i++) {
                if (strlen(apps[i].name) == (size_t)(colon - spec) &&
                    strncmp(apps[i].name, spec, (size_t)(colon - spec)) == 0) {
                        int e;
                        if (tcp_listen(h, port, h->cfg.listen_backlog, apps[i].on_listen,
                                       NULL, &e) == NULL) {
                                snprintf(err, errlen, "cannot listen on port %u: %s", port, strerror(e));
                                return -1;
                        }
                        return 0;
                }
        }
        snprintf(err, errlen, "'%s': unknown application (known: hold", spec);
        for (size_t i = 1; i < ARRAY_LEN(apps); i++)
                snprintf(err + strlen(err), errlen - strlen(err), ", %s", apps[i].name);
        snprintf(err + strlen(err), errlen - strlen(err), ")");
        return -1;
}

int app_connect(struct host *h, const char *spec, char *err, size_t errlen)
{
        char addr[32];
        const char *colon = strrchr(spec, ':');
        uint16_t port;
        struct in_addr a;
        if (colon == NULL || (size_t)(colon - spec) >= sizeof addr ||
            parse_port(colon + 1, &port) < 0) {
                snprintf(err, errlen, "'%s': expected ADDR:PORT", spec);
                return -1;
        }
        memcpy(addr, spec, (size_t)(colon - spec));
        addr[colon - spec] = '\0';
        if (inet_pton(AF_INET, addr, &a) != 1) {
                snprintf(err, errlen, "'%s' is not an IPv4 address", addr);
                return -1;
        }
        int e;
        if (tcp_connect(h, ntohl(a.s_addr), port, hold_conn_event, NULL, &e) == NULL) {
                snprintf(err, errlen, "cannot connect to %s: %s", spec, strerror(e));
                return -1;
        }
        return 0;
}
