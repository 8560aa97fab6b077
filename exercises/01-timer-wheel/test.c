/* Exercise 1.3: the suite for the hashed timer wheel. */
#include "suite.h"
#include "wheel.h"

struct record {
	int id[64];
	usec_t at[64];
	int n;
	struct wheel *w;
};

struct tagged {
	struct wtimer t;
	int id;
	struct record *r;
};

static void note(struct wtimer *t, void *arg)
{
	(void)t;
	struct tagged *g = arg;
	g->r->id[g->r->n] = g->id;
	g->r->at[g->r->n] = g->r->w->now;
	g->r->n++;
}

static void setup(struct wheel *w, struct record *r, struct tagged *g, int n)
{
	memset(r, 0, sizeof *r);
	r->w = w;
	for (int i = 0; i < n; i++) {
		g[i].id = i;
		g[i].r = r;
		wtimer_init(&g[i].t, note, &g[i]);
	}
}

static void timers_fire_at_tick_boundaries_in_order(void)
{
	struct wheel w;
	struct record r;
	struct tagged g[4];
	wheel_init(&w, MSEC(10), 16);
	setup(&w, &r, g, 4);
	wheel_arm(&w, &g[0].t, MSEC(35));   /* fires at 40 */
	wheel_arm(&w, &g[1].t, MSEC(12));   /* fires at 20 */
	wheel_arm(&w, &g[2].t, MSEC(20));   /* fires at 20, armed after 1 */
	wheel_arm(&w, &g[3].t, MSEC(41));   /* fires at 50 */
	CU_ASSERT_TRUE(wheel_armed(&g[0].t));
	wheel_advance(&w, MSEC(19));
	CU_ASSERT_EQUAL(r.n, 0);
	wheel_advance(&w, MSEC(45));
	CU_ASSERT_EQUAL_FATAL(r.n, 3);
	CU_ASSERT_EQUAL(r.id[0], 1);
	CU_ASSERT_EQUAL(r.id[1], 2);
	CU_ASSERT_EQUAL(r.id[2], 0);
	CU_ASSERT_EQUAL(r.at[0], MSEC(20));
	CU_ASSERT_EQUAL(r.at[2], MSEC(40));
	CU_ASSERT_FALSE(wheel_armed(&g[0].t));
	CU_ASSERT_TRUE(wheel_armed(&g[3].t));
	CU_ASSERT_EQUAL(w.now, MSEC(45));
	wheel_free(&w);
}

static void far_timers_wait_for_their_round(void)
{
	struct wheel w;
	struct record r;
	struct tagged g[2];
	wheel_init(&w, MSEC(1), 8);          /* one revolution: 8 ms */
	setup(&w, &r, g, 2);
	wheel_arm(&w, &g[0].t, MSEC(3));
	wheel_arm(&w, &g[1].t, MSEC(3 + 8 * 5));   /* same slot, five rounds on */
	wheel_advance(&w, MSEC(20));
	CU_ASSERT_EQUAL(r.n, 1);
	wheel_advance(&w, MSEC(42));
	CU_ASSERT_EQUAL(r.n, 1);
	wheel_advance(&w, MSEC(43));
	CU_ASSERT_EQUAL_FATAL(r.n, 2);
	CU_ASSERT_EQUAL(r.at[1], MSEC(43));
	wheel_free(&w);
}

static void cancelled_timers_never_fire(void)
{
	struct wheel w;
	struct record r;
	struct tagged g[3];
	wheel_init(&w, MSEC(1), 4);
	setup(&w, &r, g, 3);
	for (int i = 0; i < 3; i++)
		wheel_arm(&w, &g[i].t, MSEC(2));
	wheel_cancel(&w, &g[1].t);
	wheel_cancel(&w, &g[1].t);           /* twice is harmless */
	wheel_arm(&w, &g[0].t, MSEC(3));     /* re-arming moves it */
	wheel_advance(&w, MSEC(10));
	CU_ASSERT_EQUAL_FATAL(r.n, 2);
	CU_ASSERT_EQUAL(r.id[0], 2);
	CU_ASSERT_EQUAL(r.id[1], 0);
	CU_ASSERT_EQUAL(r.at[1], MSEC(3));
	wheel_free(&w);
}

struct chain {
	struct wtimer t;
	struct wheel *w;
	int fired;
};

static void rearm_now(struct wtimer *t, void *arg)
{
	struct chain *c = arg;
	if (++c->fired < 3)
		wheel_arm(c->w, t, c->w->now);    /* due at once: same advance */
}

static void a_callback_may_rearm_for_now(void)
{
	struct wheel w;
	wheel_init(&w, MSEC(1), 4);
	struct chain c = { .w = &w };
	wtimer_init(&c.t, rearm_now, &c);
	wheel_arm(&w, &c.t, MSEC(5));
	wheel_advance(&w, MSEC(5));
	CU_ASSERT_EQUAL(c.fired, 3);
	CU_ASSERT_FALSE(wheel_armed(&c.t));
	wheel_free(&w);
}

enum { N = 2000 };
static usec_t due[N];
static int fired_count;
static usec_t last_fire;
static int wrong_time, out_of_order;
static struct wheel *rw;

static void check_fire(struct wtimer *t, void *arg)
{
	(void)t;
	int i = (int)(intptr_t)arg;
	usec_t expect = (due[i] + 99) / 100 * 100;   /* next tick boundary */
	if (rw->now != expect)
		wrong_time++;
	if (rw->now < last_fire)
		out_of_order++;
	last_fire = rw->now;
	fired_count++;
}

static void many_random_timers_fire_on_their_ticks(void)
{
	static struct wtimer t[N];
	struct wheel w;
	wheel_init(&w, 100, 64);             /* 100 us ticks, 6.4 ms a turn */
	rw = &w;
	uint64_t x = 12345;
	for (int i = 0; i < N; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		due[i] = (x >> 33) % SEC(1);
		wtimer_init(&t[i], check_fire, (void *)(intptr_t)i);
		wheel_arm(&w, &t[i], due[i]);
	}
	for (int i = 0; i < N; i += 4)
		wheel_cancel(&w, &t[i]);
	for (usec_t now = 777; now < SEC(1) + 1000; now += 777)
		wheel_advance(&w, now);
	CU_ASSERT_EQUAL(fired_count, N - N / 4);
	CU_ASSERT_EQUAL(wrong_time, 0);
	CU_ASSERT_EQUAL(out_of_order, 0);
	wheel_free(&w);
}

static const struct suite_test tests[] = {
	TEST(timers_fire_at_tick_boundaries_in_order),
	TEST(far_timers_wait_for_their_round),
	TEST(cancelled_timers_never_fire),
	TEST(a_callback_may_rearm_for_now),
	TEST(many_random_timers_fire_on_their_ticks),
};

int main(void)
{
	return run_suite("exercise 1.3 timer wheel", tests, sizeof tests / sizeof tests[0]);
}
