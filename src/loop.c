/* Tangled from chapters/01-wire.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "loop.h"
#include <errno.h>
#include <poll.h>
#include <time.h>

static usec_t read_clock(clockid_t id)
{
        struct timespec ts;
        clock_gettime(id, &ts);
        return (usec_t)ts.tv_sec * USEC_PER_SEC + (usec_t)ts.tv_nsec / 1000;
}

void loop_init(struct loop *l, enum clock_kind kind)
{
        memset(l, 0, sizeof *l);
        l->kind = kind;
        if (kind == CLOCK_REAL) {
                l->now = read_clock(CLOCK_MONOTONIC);
                l->wall_offset = read_clock(CLOCK_REALTIME) - l->now;
        }
}

void loop_free(struct loop *l)
{
        free(l->heap);
        l->heap = NULL;
        l->ntimers = l->heap_cap = 0;
}

usec_t loop_now(const struct loop *l)
{
        return l->now;
}

usec_t loop_wallclock(const struct loop *l)
{
        return l->now + l->wall_offset;
}

void loop_refresh(struct loop *l)
{
        if (l->kind == CLOCK_REAL)
                l->now = MAX(l->now, read_clock(CLOCK_MONOTONIC));
}
static bool timer_before(const struct timer *a, const struct timer *b)
{
        return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_place(struct loop *l, size_t i, struct timer *t)
{
        l->heap[i] = t;
        t->slot = i;
}

static void heap_up(struct loop *l, size_t i)
{
        struct timer *t = l->heap[i];
        while (i > 0) {
                size_t parent = (i - 1) / 2;
                if (!timer_before(t, l->heap[parent]))
                        break;
                heap_place(l, i, l->heap[parent]);
                i = parent;
        }
        heap_place(l, i, t);
}

static void heap_down(struct loop *l, size_t i)
{
        struct timer *t = l->heap[i];
        for (;;) {
                size_t child = 2 * i + 1;
                if (child >= l->ntimers)
                        break;
                if (child + 1 < l->ntimers &&
                    timer_before(l->heap[child + 1], l->heap[child]))
                        child++;
                if (!timer_before(l->heap[child], t))
                        break;
                heap_place(l, i, l->heap[child]);
                i = child;
        }
        heap_place(l, i, t);
}
void timer_init(struct timer *t, timer_fn fire, void *arg)
{
        t->when = 0;
        t->seq = 0;
        t->slot = TIMER_IDLE;
        t->fire = fire;
        t->arg = arg;
}

bool timer_armed(const struct timer *t)
{
        return t->slot != TIMER_IDLE;
}

void timer_arm(struct loop *l, struct timer *t, usec_t when)
{
        if (timer_armed(t))
                timer_cancel(l, t);
        if (l->ntimers == l->heap_cap) {
                size_t cap = l->heap_cap ? 2 * l->heap_cap : 64;
                struct timer **h = realloc(l->heap, cap * sizeof *h);
                if (h == NULL)
                        oom();
                l->heap = h;
                l->heap_cap = cap;
        }
        t->when = when;
        t->seq = l->next_seq++;
        heap_place(l, l->ntimers++, t);
        heap_up(l, t->slot);
}

void timer_arm_in(struct loop *l, struct timer *t, usec_t delay)
{
        timer_arm(l, t, l->now + delay);
}

void timer_cancel(struct loop *l, struct timer *t)
{
        if (!timer_armed(t))
                return;
        size_t i = t->slot;
        struct timer *last = l->heap[--l->ntimers];
        t->slot = TIMER_IDLE;
        if (last == t)
                return;
        heap_place(l, i, last);
        heap_down(l, i);
        heap_up(l, last->slot);
}
int loop_add_fd(struct loop *l, int fd, fd_ready_fn ready, void *arg)
{
        if (l->nfds == LOOP_MAX_FDS)
                return -1;
        l->fds[l->nfds].fd = fd;
        l->fds[l->nfds].ready = ready;
        l->fds[l->nfds].arg = arg;
        l->nfds++;
        return 0;
}

void loop_remove_fd(struct loop *l, int fd)
{
        for (size_t i = 0; i < l->nfds; i++) {
                if (l->fds[i].fd == fd) {
                        l->fds[i] = l->fds[--l->nfds];
                        return;
                }
        }
}
int loop_at_turn_end(struct loop *l, void (*fn)(void *arg), void *arg)
{
        if (l->nturn_end == sizeof l->turn_end / sizeof l->turn_end[0])
                return -1;
        l->turn_end[l->nturn_end].fn = fn;
        l->turn_end[l->nturn_end].arg = arg;
        l->nturn_end++;
        return 0;
}

void loop_forget_turn_end(struct loop *l, void (*fn)(void *arg), void *arg)
{
        for (size_t i = 0; i < l->nturn_end; i++) {
                if (l->turn_end[i].fn == fn && l->turn_end[i].arg == arg) {
                        memmove(&l->turn_end[i], &l->turn_end[i + 1],
                                (l->nturn_end - i - 1) * sizeof l->turn_end[0]);
                        l->nturn_end--;
                        return;
                }
        }
}
static void fire_due_timers(struct loop *l)
{
        while (l->ntimers > 0 && l->heap[0]->when <= l->now) {
                struct timer *t = l->heap[0];
                timer_cancel(l, t);
                l->fired++;
                t->fire(t, t->arg);
        }
}
static void loop_poll(struct loop *l, usec_t deadline)
{
        usec_t until = deadline;
        if (l->ntimers > 0)
                until = MIN(until, l->heap[0]->when);
        int timeout = 0;
        if (until > l->now) {
                usec_t ms = (until - l->now + 999) / 1000;
                timeout = ms > 1000 ? 1000 : (int)ms;
        }
        struct pollfd pfd[LOOP_MAX_FDS];
        size_t n = l->nfds;
        for (size_t i = 0; i < n; i++) {
                pfd[i].fd = l->fds[i].fd;
                pfd[i].events = POLLIN;
                pfd[i].revents = 0;
        }
        int r = poll(pfd, n, timeout);
        l->now = read_clock(CLOCK_MONOTONIC);
        if (r <= 0)
                return;   /* timeout, or EINTR from a signal: the caller looks at stop */
        for (size_t i = 0; i < n; i++) {
                if (!(pfd[i].revents & (POLLIN | POLLERR | POLLHUP)))
                        continue;
                /* look the descriptor up again: a callback may have removed one */
                for (size_t k = 0; k < l->nfds; k++) {
                        if (l->fds[k].fd == pfd[i].fd) {
                                l->fds[k].ready(pfd[i].fd, l->fds[k].arg);
                                break;
                        }
                }
        }
}

void loop_run_until(struct loop *l, usec_t deadline)
{
        if (l->kind == CLOCK_VIRTUAL) {
                while (!l->stop && l->ntimers > 0 && l->heap[0]->when <= deadline) {
                        l->now = MAX(l->now, l->heap[0]->when);
                        fire_due_timers(l);
                }
                if (!l->stop)
                        l->now = MAX(l->now, deadline);
                return;
        }
        while (!l->stop && l->now < deadline) {
                loop_poll(l, deadline);
                fire_due_timers(l);
                l->turns++;
                for (size_t i = l->nturn_end; i-- > 0;)
                        l->turn_end[i].fn(l->turn_end[i].arg);
        }
}

void loop_run_for(struct loop *l, usec_t duration)
{
        loop_run_until(l, l->now + duration);
}

void loop_run(struct loop *l)
{
        if (l->kind == CLOCK_VIRTUAL) {
                while (!l->stop && l->ntimers > 0) {
                        l->now = MAX(l->now, l->heap[0]->when);
                        fire_due_timers(l);
                }
                return;
        }
        while (!l->stop) {
                loop_poll(l, UINT64_MAX);
                fire_due_timers(l);
                l->turns++;
                for (size_t i = l->nturn_end; i-- > 0;)
                        l->turn_end[i].fn(l->turn_end[i].arg);
        }
}
