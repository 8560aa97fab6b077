/* Tangled from chapters/01-wire.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef LOOP_H
#define LOOP_H
#include "base.h"
#include <signal.h>

enum clock_kind { CLOCK_REAL, CLOCK_VIRTUAL };

struct loop;
struct timer;
typedef void (*timer_fn)(struct timer *t, void *arg);

struct timer {
        usec_t when;          /* absolute expiry on the loop's clock */
        uint64_t seq;         /* arming order, breaks ties */
        size_t slot;          /* index in the heap, TIMER_IDLE when not armed */
        timer_fn fire;
        void *arg;
};
#define TIMER_IDLE ((size_t)-1)
#define LOOP_MAX_FDS 8
typedef void (*fd_ready_fn)(int fd, void *arg);

struct loop {
        enum clock_kind kind;
        usec_t now;               /* the time as of the last tick */
        usec_t wall_offset;       /* add to now for the time of day */
        struct timer **heap;
        size_t ntimers, heap_cap;
        uint64_t next_seq;
        uint64_t fired;           /* timers fired so far */
        struct {
                int fd;
                fd_ready_fn ready;
                void *arg;
        } fds[LOOP_MAX_FDS];
        size_t nfds;
        volatile sig_atomic_t stop;   /* set (even from a signal handler) to
                                         leave loop_run */
        struct {
                void (*fn)(void *arg);
                void *arg;
        } turn_end[4];              /* called when a turn ends, the last registered first */
        size_t nturn_end;
        uint64_t turns;             /* turns run: each began with one poll */
};
void loop_init(struct loop *l, enum clock_kind kind);
void loop_free(struct loop *l);
usec_t loop_now(const struct loop *l);
usec_t loop_wallclock(const struct loop *l);
void loop_refresh(struct loop *l);     /* a real clock: read it again now */

void timer_init(struct timer *t, timer_fn fire, void *arg);
void timer_arm(struct loop *l, struct timer *t, usec_t when);
void timer_arm_in(struct loop *l, struct timer *t, usec_t delay);
void timer_cancel(struct loop *l, struct timer *t);
bool timer_armed(const struct timer *t);

int loop_add_fd(struct loop *l, int fd, fd_ready_fn ready, void *arg);
void loop_remove_fd(struct loop *l, int fd);

void loop_run_until(struct loop *l, usec_t deadline);
void loop_run_for(struct loop *l, usec_t duration);
void loop_run(struct loop *l);
int loop_at_turn_end(struct loop *l, void (*fn)(void *arg), void *arg);
void loop_forget_turn_end(struct loop *l, void (*fn)(void *arg), void *arg);
#endif
