/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/11-odds.nw by tools/tangle: edit those, not this file. */
#include "apps.h"
#include <errno.h>
#include <arpa/inet.h>

struct app {
        const char *name;
        const char *what;
        tcp_event_fn on_listen;
};

static const struct app apps[] = {
#define APP(name, fn, what) { name, what, fn },
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
};

void app_print_list(FILE *f, int indent)
{
        for (size_t i = 0; i < ARRAY_LEN(apps); i++)
                fprintf(f, "%*s%-8s %s\n", indent + 2, "", apps[i].name, apps[i].what);
}

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
        if (colon == NULL) {
                snprintf(err, errlen, "expected APP:PORT, e.g. hold:80");
                return -1;
        }
        size_t len = (size_t)(colon - spec), i = 0;
        while (i < ARRAY_LEN(apps) &&
               (strlen(apps[i].name) != len || strncmp(apps[i].name, spec, len) != 0))
                i++;
        if (i == ARRAY_LEN(apps)) {
                snprintf(err, errlen, "unknown application '%.*s' (known:", (int)len, spec);
                for (size_t j = 0; j < ARRAY_LEN(apps); j++)
                        snprintf(err + strlen(err), errlen - strlen(err), " %s%s",
                                 apps[j].name, j + 1 < ARRAY_LEN(apps) ? "," : ")");
                return -1;
        }
        uint16_t port;
        if (parse_port(colon + 1, &port) < 0) {
                snprintf(err, errlen, "the port must be a number from 1 to 65535");
                return -1;
        }
        int e;
        if (h == NULL)
                return 0;                        /* only checking the spec */
        if (tcp_listen(h, port, h->cfg.listen_backlog, apps[i].on_listen,
                       NULL, &e) == NULL) {
                snprintf(err, errlen, "cannot listen on port %u: %s", port, strerror(e));
                return -1;
        }
        return 0;
}

static int parse_addr_port(const char *spec, uint32_t *addr, uint16_t *port,
                           char *err, size_t errlen)
{
        char buf[32];
        const char *colon = strrchr(spec, ':');
        struct in_addr a;
        if (colon == NULL || (size_t)(colon - spec) >= sizeof buf) {
                snprintf(err, errlen, "expected ADDR:PORT, e.g. 10.0.0.1:5000");
                return -1;
        }
        if (parse_port(colon + 1, port) < 0) {
                snprintf(err, errlen, "the port must be a number from 1 to 65535");
                return -1;
        }
        memcpy(buf, spec, (size_t)(colon - spec));
        buf[colon - spec] = '\0';
        if (inet_pton(AF_INET, buf, &a) != 1) {
                snprintf(err, errlen, "'%s' is not an IPv4 address (expected ADDR:PORT, "
                         "e.g. 10.0.0.1:5000)", buf);
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
                        snprintf(err, errlen, "expected send:BYTES@ADDR:PORT with BYTES at most "
                                 "2^40, e.g. send:1000000@10.0.0.1:5000");
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
        if (strncmp(spec, "oob:", 4) == 0) {
                char *at;
                errno = 0;
                unsigned long bytes = strtoul(spec + 4, &at, 10);
                uint32_t addr;
                uint16_t port;
                if (at == spec + 4 || *at != '@' || errno != 0 || bytes < 1 || bytes > 60000) {
                        snprintf(err, errlen, "expected oob:BYTES@ADDR:PORT with BYTES from 1 to "
                                 "60000, e.g. oob:10001@10.0.0.1:5000");
                        return -1;
                }
                if (parse_addr_port(at + 1, &addr, &port, err, errlen) < 0)
                        return -1;
                if (h == NULL)
                        return 0;
                int e = oob_send_start(h, (size_t)(bytes - 1) / 2, addr, port);
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
