/* Exercise 1.3: a hashed timer wheel (see README.md). */
#ifndef WHEEL_H
#define WHEEL_H
#include "base.h"

struct wtimer;
typedef void (*wtimer_fn)(struct wtimer *t, void *arg);

struct wtimer {
	usec_t when;          /* the tick boundary it fires at */
	uint64_t seq;         /* arming order */
	struct wtimer *next, *prev;
	bool armed;
	wtimer_fn fire;
	void *arg;
};

struct wheel {
	usec_t tick;          /* length of a tick */
	usec_t now;           /* the wheel's time */
	size_t nslots;
	struct wtimer **slot; /* nslots list heads */
	uint64_t next_seq;
};

void wheel_init(struct wheel *w, usec_t tick, size_t nslots);
void wheel_free(struct wheel *w);
void wtimer_init(struct wtimer *t, wtimer_fn fire, void *arg);
void wheel_arm(struct wheel *w, struct wtimer *t, usec_t when);
void wheel_cancel(struct wheel *w, struct wtimer *t);
void wheel_advance(struct wheel *w, usec_t now);
bool wheel_armed(const struct wtimer *t);
#endif
