/* Tangled from chapters/04-opening.nw, chapters/05-closing.nw, chapters/06-delivery.nw, chapters/07-flow.nw, chapters/11-odds.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "apps.h"
#include <errno.h>
#include "sha256.h"

const char *addr_str(uint32_t a, char *buf)
{
        snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
        return buf;
}
void hold_conn_event(struct tcb *t, enum tcp_event ev, void *arg)
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

void hold_listen_event(struct tcb *l, enum tcp_event ev, void *arg)
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
void hold_closing(struct tcb *t, enum tcp_event ev)
{
        if (ev == TCP_EV_READABLE) {
                uint8_t buf[4096];
                while (tcp_recv(t, buf, sizeof buf) > 0)
                        ;                        /* held connections discard data */
        }
        if (tcp_eof(t)) {
                char a[16];
                printf("hold: %s:%u closed; closing too\n",
                       addr_str(t->raddr, a), t->rport);
                fflush(stdout);
                tcp_close(t);
        }
}
void hello_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        struct tcb *c;
        if (ev != TCP_EV_ACCEPTABLE)
                return;
        while ((c = tcp_accept(l)) != NULL) {
                static const char msg[] = "hello from tcpstack\n";
                tcp_send(c, msg, sizeof msg - 1);
                tcp_close(c);            /* we close first: FIN after the line */
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

void count_accept(struct tcb *l, enum tcp_event ev, void *arg)
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
static void app_accept_all(struct tcb *l, tcp_event_fn fn, size_t state_size)
{
        struct tcb *c;
        while ((c = tcp_accept(l)) != NULL) {
                void *st = state_size ? xcalloc(1, state_size) : NULL;
                tcp_set_handler(c, fn, st);
                fn(c, TCP_EV_READABLE, st);
        }
}

/* After the peer's FIN, close once everything queued has been sent; an
 * error, or the end of the connection, frees the state. Returns true if
 * the connection is finished. */
static bool app_finish(struct tcb *t, enum tcp_event ev, void *state)
{
        if (ev == TCP_EV_ERROR || ev == TCP_EV_CLOSED) {
                free(state);
                return true;
        }
        if (tcp_eof(t)) {
                tcp_set_handler(t, NULL, NULL);
                free(state);
                tcp_close(t);
                return true;
        }
        return false;
}
static void echo_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        uint8_t buf[4096];
        if (ev != TCP_EV_ERROR) {
                for (;;) {
                        size_t room = ring_space(&t->sndq);
                        size_t n = tcp_recv(t, buf, MIN(room, sizeof buf));
                        if (n == 0)
                                break;
                        tcp_send(t, buf, n);
                }
        }
        app_finish(t, ev, arg);
}

static void discard_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        uint8_t buf[4096];
        if (ev != TCP_EV_ERROR)
                while (tcp_recv(t, buf, sizeof buf) > 0)
                        ;
        app_finish(t, ev, arg);
}

static void chargen_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        uint8_t buf[4096];
        size_t *line = arg;
        if (ev == TCP_EV_ERROR || ev == TCP_EV_CLOSED) {
                free(arg);
                return;
        }
        while (tcp_recv(t, buf, sizeof buf) > 0)
                ;                        /* RFC 864: input is discarded */
        if (app_finish(t, ev, arg))
                return;
        while (ring_space(&t->sndq) >= 74) {
                char l[74];
                for (int i = 0; i < 72; i++)
                        l[i] = (char)(' ' + 1 + (*line + (size_t)i) % 94);
                l[72] = '\r';
                l[73] = '\n';
                tcp_send(t, l, sizeof l);
                (*line)++;
        }
}

void echo_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        if (ev == TCP_EV_ACCEPTABLE)
                app_accept_all(l, echo_event, 0);
}

void discard_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        if (ev == TCP_EV_ACCEPTABLE)
                app_accept_all(l, discard_event, 0);
}

void chargen_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        if (ev == TCP_EV_ACCEPTABLE)
                app_accept_all(l, chargen_event, sizeof(size_t));
}
struct sink {
        struct sha256 hash;
        unsigned long long bytes;
        usec_t start;
};

static void sink_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct sink *s = arg;
        uint8_t buf[8192];
        size_t n;
        if (ev == TCP_EV_ERROR) {
                printf("sink: connection failed: %s after %llu bytes\n",
                       strerror(t->error), s->bytes);
                fflush(stdout);
                free(s);
                return;
        }
        if (s->start == 0) {
                sha256_init(&s->hash);
                s->start = loop_now(t->host->loop) | 1;
        }
        while ((n = tcp_recv(t, buf, sizeof buf)) > 0) {
                sha256_update(&s->hash, buf, n);
                s->bytes += n;
        }
        if (tcp_eof(t)) {
                uint8_t d[32];
                char hex[65], a[16];
                sha256_final(&s->hash, d);
                sha256_hex(d, hex);
                double secs = (double)(loop_now(t->host->loop) - s->start) / 1e6;
                printf("sink: %s:%u sent %llu bytes sha256 %s in %.3f s\n",
                       addr_str(t->raddr, a), t->rport, s->bytes, hex, secs);
                fflush(stdout);
        }
        app_finish(t, ev, s);
}

void sink_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        if (ev == TCP_EV_ACCEPTABLE)
                app_accept_all(l, sink_event, sizeof(struct sink));
}
#define HTTP_REQ_MAX 4096
#define HTTP_HASH_SLICE (256 * 1024)

struct http {
        char req[HTTP_REQ_MAX + 1];
        size_t req_len;
        unsigned long long left, pos;   /* of a generated body */
        FILE *file;                     /* or of a file */
        bool close_after;
        struct tcb *t;
        struct timer job;               /* hashing a body, a slice a turn */
        bool hashing, head_only;
        unsigned long long hash_n, hashed;
        struct sha256 sha;
};

static const char *http_root;

static uint8_t http_body_byte(unsigned long long i)
{
        return (uint8_t)(i + i / 65536);
}

/* The n bytes of the body from position pos. */
static void http_body_fill(uint8_t *buf, unsigned long long pos, size_t n)
{
        static uint8_t pattern[256 + 16384];       /* byte j is j mod 256 */
        if (pattern[255] == 0)
                for (size_t j = 0; j < sizeof pattern; j++)
                        pattern[j] = (uint8_t)j;
        while (n > 0) {
                size_t k = (size_t)MIN((unsigned long long)MIN(n, (size_t)16384),
                                       65536 - pos % 65536);
                memcpy(buf, pattern + ((pos + pos / 65536) & 255), k);   /* within one block */
                buf += k;
                pos += k;
                n -= k;
        }
        return;
        for (size_t j = 0; j < n; j++)
                buf[j] = http_body_byte(pos + j);
}

static unsigned long long http_cached_n = ~0ULL;
static char http_cached_hash[65];

/* Hash the next slice of the body; true when the hash is complete. */
static bool http_hash_slice(struct http *h)
{
        uint8_t buf[4096];
        size_t budget = HTTP_HASH_SLICE;
        while (budget > 0 && h->hashed < h->hash_n) {
                size_t k = (size_t)MIN((unsigned long long)MIN(sizeof buf, budget),
                                       h->hash_n - h->hashed);
                http_body_fill(buf, h->hashed, k);
                sha256_update(&h->sha, buf, k);
                h->hashed += k;
                budget -= k;
        }
        if (h->hashed < h->hash_n)
                return false;
        uint8_t d[32];
        sha256_final(&h->sha, d);
        sha256_hex(d, http_cached_hash);
        http_cached_n = h->hash_n;
        return true;
}
static void http_pump(struct tcb *t, struct http *h)
{
        uint8_t buf[8192];
        while (ring_space(&t->sndq) > 0 && (h->left > 0 || h->file != NULL)) {
                size_t n = MIN(ring_space(&t->sndq), sizeof buf);
                if (h->file != NULL) {
                        n = fread(buf, 1, n, h->file);
                        if (n == 0) {
                                fclose(h->file);
                                h->file = NULL;
                                break;
                        }
                } else {
                        n = (size_t)MIN((unsigned long long)n, h->left);
                        http_body_fill(buf, h->pos, n);
                        h->pos += n;
                        h->left -= n;
                }
                tcp_send(t, buf, n);
        }
        if (h->left == 0 && h->file == NULL && h->close_after)
                tcp_shutdown(t);
}

static void http_reply(struct tcb *t, struct http *h, int code, const char *reason,
                       unsigned long long length, const char *extra)
{
        char head[512];
        int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nServer: tcpstack\r\n"
                         "Content-Length: %llu\r\n%s%s\r\n", code, reason, length, extra,
                         h->close_after ? "Connection: close\r\n" : "");
        tcp_send(t, head, (size_t)n);
}

static void http_generated_reply(struct tcb *t, struct http *h)
{
        char extra[128];
        snprintf(extra, sizeof extra, "Content-Type: application/octet-stream\r\n"
                 "X-Body-SHA256: %s\r\n", http_cached_hash);
        http_reply(t, h, 200, "OK", h->hash_n, extra);
        h->left = h->head_only ? 0 : h->hash_n;
        h->pos = 0;
}
static void http_answer(struct tcb *t, struct http *h)
{
        char method[8], path[1024], version[16];
        h->close_after = strstr(h->req, "\r\nConnection: close") != NULL ||
                         strstr(h->req, "\r\nconnection: close") != NULL;
        if (sscanf(h->req, "%7s %1023s %15s", method, path, version) != 3 ||
            strncmp(version, "HTTP/1.", 7) != 0) {
                h->close_after = true;
                http_reply(t, h, 400, "Bad Request", 0, "");
                return;
        }
        bool head_only = strcmp(method, "HEAD") == 0;
        if (!head_only && strcmp(method, "GET") != 0) {
                http_reply(t, h, 405, "Method Not Allowed", 0, "Allow: GET, HEAD\r\n");
                return;
        }
        unsigned long long n;
        char tail;
        if (sscanf(path, "/bytes/%llu%c", &n, &tail) == 1 && n <= (1ULL << 30)) {
                h->head_only = head_only;
                h->hash_n = n;
                if (n == http_cached_n) {
                        http_generated_reply(t, h);
                        return;
                }
                h->hashing = true;              /* the reply waits for the job */
                h->hashed = 0;
                sha256_init(&h->sha);
                timer_arm_in(t->host->loop, &h->job, 1);
                return;
        }
        char file[1200];
        if (http_root != NULL && path[0] == '/' && strstr(path, "..") == NULL &&
            snprintf(file, sizeof file, "%s%s", http_root, path) < (int)sizeof file) {
                FILE *f = fopen(file, "rb");
                if (f != NULL && fseek(f, 0, SEEK_END) == 0) {
                        long size = ftell(f);
                        rewind(f);
                        if (size >= 0) {
                                http_reply(t, h, 200, "OK", (unsigned long long)size, "");
                                if (head_only)
                                        fclose(f);
                                else
                                        h->file = f;
                                return;
                        }
                }
                if (f != NULL)
                        fclose(f);
        }
        static const char msg[] = "not found\n";
        http_reply(t, h, 404, "Not Found", sizeof msg - 1, "Content-Type: text/plain\r\n");
        if (!head_only)
                tcp_send(t, msg, sizeof msg - 1);
}
static void http_job(struct timer *tm, void *arg);

static void http_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct http *h = arg;
        if (ev == TCP_EV_ERROR || ev == TCP_EV_CLOSED) {
                if (h->file != NULL)
                        fclose(h->file);
                timer_cancel(t->host->loop, &h->job);
                free(h);
                return;
        }
        if (h->t == NULL) {
                h->t = t;
                timer_init(&h->job, http_job, h);
        }
        if (h->hashing)
                return;                              /* the job carries on */
        http_pump(t, h);
        while (h->left == 0 && h->file == NULL && !h->close_after && !h->hashing &&
               ring_space(&t->sndq) >= 1024) {      /* room for a head and a short body */
                size_t n = tcp_recv(t, h->req + h->req_len, HTTP_REQ_MAX - h->req_len);
                h->req_len += n;
                h->req[h->req_len] = '\0';
                char *end = strstr(h->req, "\r\n\r\n");
                if (end == NULL) {
                        if (h->req_len == HTTP_REQ_MAX) {
                                h->close_after = true;
                                http_reply(t, h, 431, "Request Header Fields Too Large",
                                           0, "");
                                tcp_shutdown(t);
                        }
                        break;
                }
                http_answer(t, h);
                size_t used = (size_t)(end + 4 - h->req);
                memmove(h->req, h->req + used, h->req_len - used + 1);
                h->req_len -= used;
                http_pump(t, h);
        }
        if (h->left == 0 && h->file == NULL && !h->hashing &&
            (tcp_eof(t) || h->close_after)) {
                if (h->close_after)
                        tcp_shutdown(t);
                if (tcp_eof(t))
                        app_finish(t, ev, h);
        }
}

static void http_job(struct timer *tm, void *arg)
{
        struct http *h = arg;
        if (!http_hash_slice(h)) {
                timer_arm_in(h->t->host->loop, tm, 1);      /* the next slice, next turn */
                return;
        }
        h->hashing = false;
        http_generated_reply(h->t, h);
        http_event(h->t, TCP_EV_WRITABLE, h);
}

void http_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        if (ev == TCP_EV_ACCEPTABLE)
                app_accept_all(l, http_event, sizeof(struct http));
}
void app_set_http_root(const char *dir)
{
        http_root = dir;
}
struct sender {
        unsigned long long left, pos;
        struct sha256 hash;
};

static void send_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct sender *s = arg;
        char a[16];
        if (ev == TCP_EV_ERROR) {
                printf("send: to %s:%u failed: %s\n", addr_str(t->raddr, a), t->rport,
                       strerror(t->error));
                fflush(stdout);
                free(s);
                return;
        }
        uint8_t buf[8192];
        while (tcp_recv(t, buf, sizeof buf) > 0)
                ;
        while (s->left > 0 && ring_space(&t->sndq) > 0) {
                size_t n = (size_t)MIN(
                        (unsigned long long)MIN(sizeof buf, ring_space(&t->sndq)),
                        s->left);
                http_body_fill(buf, s->pos, n);
                sha256_update(&s->hash, buf, n);
                tcp_send(t, buf, n);
                s->pos += n;
                s->left -= n;
        }
        if (s->left == 0) {
                uint8_t d[32];
                char hex[65];
                sha256_final(&s->hash, d);
                sha256_hex(d, hex);
                printf("send: %llu bytes to %s:%u sha256 %s\n", s->pos,
                       addr_str(t->raddr, a), t->rport, hex);
                fflush(stdout);
                tcp_set_handler(t, NULL, NULL);
                free(s);
                tcp_close(t);
        }
}
int send_start(struct host *h, unsigned long long bytes, uint32_t addr, uint16_t port)
{
        struct sender *s = xcalloc(1, sizeof *s);
        s->left = bytes;
        sha256_init(&s->hash);
        int e;
        if (tcp_connect(h, addr, port, send_event, s, &e) == NULL) {
                free(s);
                return -e;
        }
        return 0;
}
struct slowsink {
        struct sink sink;           /* the count, the hash, the start */
        struct tcb *t;
        struct timer tick;
};

static size_t slow_read_bytes = 16384;
static usec_t slow_read_every = MSEC(100);

static void slowsink_tick(struct timer *tm, void *arg)
{
        struct slowsink *s = arg;
        struct tcb *t = s->t;
        static uint8_t buf[65536];           /* one read, one window update */
        size_t want = slow_read_bytes, n;
        while (want > 0 && (n = tcp_recv(t, buf, MIN(want, sizeof buf))) > 0) {
                sha256_update(&s->sink.hash, buf, n);
                s->sink.bytes += n;
                want -= n;
        }
        if (!tcp_eof(t)) {
                timer_arm_in(t->host->loop, tm, slow_read_every);
                return;
        }
        uint8_t d[32];
        char hex[65], a[16];
        sha256_final(&s->sink.hash, d);
        sha256_hex(d, hex);
        printf("slowsink: %s:%u sent %llu bytes sha256 %s in %.3f s\n",
               addr_str(t->raddr, a), t->rport, s->sink.bytes, hex,
               (double)(loop_now(t->host->loop) - s->sink.start) / 1e6);
        fflush(stdout);
        app_finish(t, TCP_EV_READABLE, s);
}

static void slowsink_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct slowsink *s = arg;
        if (ev == TCP_EV_ERROR || ev == TCP_EV_CLOSED) {
                if (ev == TCP_EV_ERROR)
                        printf("slowsink: connection failed: %s after %llu bytes\n",
                               strerror(t->error), s->sink.bytes);
                fflush(stdout);
                if (s->t != NULL)
                        timer_cancel(t->host->loop, &s->tick);
                free(s);
                return;
        }
        if (s->t == NULL) {                  /* just accepted: start the clock */
                s->t = t;
                sha256_init(&s->sink.hash);
                s->sink.start = loop_now(t->host->loop) | 1;
                timer_init(&s->tick, slowsink_tick, s);
                timer_arm_in(t->host->loop, &s->tick, slow_read_every);
        }
}

void slowsink_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        if (ev == TCP_EV_ACCEPTABLE)
                app_accept_all(l, slowsink_event, sizeof(struct slowsink));
}

void app_set_slow_read(size_t bytes, usec_t every)
{
        slow_read_bytes = bytes;
        slow_read_every = every;
}
struct urgent {
        struct sha256 hash;
        unsigned long long bytes;
        unsigned long long mark[32];        /* stream offsets of the urgent bytes */
        int nmarks;
        bool started;
};

static void urgent_note(struct urgent *u, long m)
{
        unsigned long long at = u->bytes + (unsigned long long)m;
        if (m >= 0 && (u->nmarks == 0 || u->mark[u->nmarks - 1] != at) &&
            u->nmarks < (int)ARRAY_LEN(u->mark))
                u->mark[u->nmarks++] = at;
}

static void urgent_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct urgent *u = arg;
        uint8_t buf[8192];
        size_t n;
        if (ev == TCP_EV_ERROR) {
                printf("urgent: connection failed: %s after %llu bytes\n",
                       strerror(t->error), u->bytes);
                fflush(stdout);
                free(u);
                return;
        }
        if (!u->started) {
                sha256_init(&u->hash);
                u->started = true;
        }
        do {
                urgent_note(u, tcp_urgent_mark(t));
                n = tcp_recv(t, buf, sizeof buf);
                sha256_update(&u->hash, buf, n);
                u->bytes += n;
        } while (n > 0);
        if (tcp_eof(t)) {
                uint8_t d[32];
                char hex[65], a[16];
                sha256_final(&u->hash, d);
                sha256_hex(d, hex);
                printf("urgent: %s:%u sent %llu bytes sha256 %s, urgent bytes at",
                       addr_str(t->raddr, a), t->rport, u->bytes, hex);
                for (int i = 0; i < u->nmarks; i++)
                        printf(" %llu", u->mark[i]);
                printf("%s\n", u->nmarks == 0 ? " none" : "");
                fflush(stdout);
        }
        app_finish(t, ev, u);
}

void urgent_accept(struct tcb *l, enum tcp_event ev, void *arg)
{
        (void)arg;
        if (ev == TCP_EV_ACCEPTABLE)
                app_accept_all(l, urgent_event, sizeof(struct urgent));
}
struct oob_sender {
        size_t half;                /* bytes before the urgent byte, and after it */
};

static void oob_sender_event(struct tcb *t, enum tcp_event ev, void *arg)
{
        struct oob_sender *o = arg;
        if (ev == TCP_EV_ERROR) {
                printf("oob: connection failed: %s\n", strerror(t->error));
                fflush(stdout);
                free(o);
                return;
        }
        if (ev == TCP_EV_CONNECTED) {
                static uint8_t data[2][30000];
                struct sha256 hash;
                uint8_t d[32], urgent = '!';
                char hex[65];
                for (size_t i = 0; i < o->half; i++) {
                        data[0][i] = (uint8_t)(i * 7 + 3);
                        data[1][i] = (uint8_t)(i * 13 + 5);
                }
                sha256_init(&hash);
                sha256_update(&hash, data[0], o->half);
                sha256_update(&hash, &urgent, 1);
                sha256_update(&hash, data[1], o->half);
                sha256_final(&hash, d);
                sha256_hex(d, hex);
                bool ok = tcp_send(t, data[0], o->half) == (long)o->half &&
                          tcp_send_urgent(t, &urgent, 1) == 1 &&
                          tcp_send(t, data[1], o->half) == (long)o->half;
                tcp_shutdown(t);
                printf("oob: %s %zu bytes sha256 %s, the urgent byte at %zu\n",
                       ok ? "sent" : "could not queue", 2 * o->half + 1, hex, o->half);
                fflush(stdout);
        }
        while (tcp_recv(t, (uint8_t[512]){ 0 }, 512) > 0)
                ;
        app_finish(t, ev, o);
}

int oob_send_start(struct host *h, size_t half, uint32_t addr, uint16_t port)
{
        struct oob_sender *o = xcalloc(1, sizeof *o);
        o->half = half;
        int e;
        if (tcp_connect(h, addr, port, oob_sender_event, o, &e) == NULL) {
                free(o);
                return -e;
        }
        return 0;
}
