/* Exercise 1.3: a reference hashed timer wheel. */
#include "wheel.h"

void wheel_init(struct wheel *w, usec_t tick, size_t nslots)
{
	memset(w, 0, sizeof *w);
	w->tick = tick;
	w->nslots = nslots;
	w->slot = xcalloc(nslots, sizeof *w->slot);
}

void wheel_free(struct wheel *w)
{
	free(w->slot);
	w->slot = NULL;
}

void wtimer_init(struct wtimer *t, wtimer_fn fire, void *arg)
{
	memset(t, 0, sizeof *t);
	t->fire = fire;
	t->arg = arg;
}

bool wheel_armed(const struct wtimer *t)
{
	return t->armed;
}

static size_t slot_of(const struct wheel *w, usec_t when)
{
	return (size_t)((when / w->tick) % w->nslots);
}

void wheel_cancel(struct wheel *w, struct wtimer *t)
{
	if (!t->armed)
		return;
	if (t->prev != NULL)
		t->prev->next = t->next;
	else
		w->slot[slot_of(w, t->when)] = t->next;
	if (t->next != NULL)
		t->next->prev = t->prev;
	t->next = t->prev = NULL;
	t->armed = false;
}

void wheel_arm(struct wheel *w, struct wtimer *t, usec_t when)
{
	wheel_cancel(w, t);
	/* round up to a tick boundary, and never earlier than the next one */
	usec_t at = (when + w->tick - 1) / w->tick * w->tick;
	usec_t next_tick = w->now / w->tick * w->tick + (w->now % w->tick ? w->tick : 0);
	if (at < next_tick)
		at = next_tick;
	t->when = at;
	t->seq = w->next_seq++;
	t->armed = true;
	/* keep each slot sorted by (when, seq): append after equals */
	struct wtimer **pp = &w->slot[slot_of(w, at)], *prev = NULL;
	while (*pp != NULL && ((*pp)->when < at || ((*pp)->when == at && (*pp)->seq < t->seq))) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	t->next = *pp;
	t->prev = prev;
	if (*pp != NULL)
		(*pp)->prev = t;
	*pp = t;
}

void wheel_advance(struct wheel *w, usec_t now)
{
	usec_t at = w->now / w->tick * w->tick;   /* the tick we are in */
	while (at <= now) {
		w->now = MAX(w->now, at);
		size_t s = slot_of(w, at);
		/* fire the due head until the slot has none left for this tick */
		while (w->slot[s] != NULL && w->slot[s]->when <= at) {
			struct wtimer *t = w->slot[s];
			wheel_cancel(w, t);
			t->fire(t, t->arg);
		}
		at += w->tick;
	}
	w->now = MAX(w->now, now);
}
