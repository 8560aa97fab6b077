/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw by tools/tangle: edit those, not this file. */
#include "apps.h"
#include <errno.h>
#include <arpa/inet.h>

struct app {
        const char *name;
        tcp_event_fn on_listen;
};

static const struct app apps[] = {
#define APP(name, fn) { name, fn },
        APP("hold", hold_listen_event)
        APP("hello", hello_accept)
        APP("count", count_accept)
        APP("echo", echo_accept)
        APP("discard", discard_accept)
        APP("chargen", chargen_accept)
        APP("sink", sink_accept)
        APP("http", http_accept)
#undef APP
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
                        if (h == NULL)
                                return 0;                /* only checking the spec */
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

static int parse_addr_port(const char *spec, uint32_t *addr, uint16_t *port,
                           char *err, size_t errlen)
{
        char buf[32];
        const char *colon = strrchr(spec, ':');
        struct in_addr a;
        if (colon == NULL || (size_t)(colon - spec) >= sizeof buf ||
            parse_port(colon + 1, port) < 0) {
                snprintf(err, errlen, "'%s': expected ADDR:PORT", spec);
                return -1;
        }
        memcpy(buf, spec, (size_t)(colon - spec));
        buf[colon - spec] = '\0';
        if (inet_pton(AF_INET, buf, &a) != 1) {
                snprintf(err, errlen, "'%s' is not an IPv4 address", buf);
                return -1;
        }
        *addr = ntohl(a.s_addr);
        return 0;
}

int app_connect(struct host *h, const char *spec, char *err, size_t errlen)
{
        if (strncmp(spec, "send:", 5) == 0) {
                char *at;
                errno = 0;
                unsigned long long bytes = strtoull(spec + 5, &at, 10);
                uint32_t addr;
                uint16_t port;
                if (at == spec + 5 || *at != '@' || errno != 0 || bytes > (1ULL << 40)) {
                        snprintf(err, errlen, "'%s': expected send:BYTES@ADDR:PORT", spec);
                        return -1;
                }
                if (parse_addr_port(at + 1, &addr, &port, err, errlen) < 0)
                        return -1;
                if (h == NULL)
                        return 0;
                int e = send_start(h, bytes, addr, port);
                if (e < 0) {
                        snprintf(err, errlen, "cannot connect to %s: %s", at + 1, strerror(-e));
                        return -1;
                }
                return 0;
        }
        uint32_t addr;
        uint16_t port;
        if (parse_addr_port(spec, &addr, &port, err, errlen) < 0)
                return -1;
        if (h == NULL)
                return 0;
        int e;
        if (tcp_connect(h, addr, port, hold_conn_event, NULL, &e) == NULL) {
                snprintf(err, errlen, "cannot connect to %s: %s", spec, strerror(e));
                return -1;
        }
        return 0;
}
