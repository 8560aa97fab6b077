/* Chapter 1, the wire: packet buffers, timers on a virtual clock, the
 * impairment engine, the simulated link, the impairment wrapper, pcap. */
#include "testutil.h"
#include "loop.h"
#include "impair.h"
#include "simlink.h"
#include "pcap.h"
#include "tun.h"
#include <math.h>
#include <unistd.h>

/* ---- packet buffers ---------------------------------------------------- */

static void pkb_push_pull_put_stay_in_bounds(void)
{
	LEAK_CHECK_BEGIN;
	struct pkb *p = pkb_alloc();
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL(pkb_put(p, 100));
	CU_ASSERT_EQUAL(p->len, 100);
	CU_ASSERT_PTR_NOT_NULL(pkb_push(p, PKB_HEADROOM));
	CU_ASSERT_EQUAL(p->len, 100 + PKB_HEADROOM);
	CU_ASSERT_PTR_NULL(pkb_push(p, 1));          /* no headroom left */
	CU_ASSERT_TRUE(pkb_pull(p, PKB_HEADROOM));
	CU_ASSERT_FALSE(pkb_pull(p, 101));           /* more than there is */
	CU_ASSERT_PTR_NULL(pkb_put(p, PKB_DATA_MAX)); /* no tailroom for that */
	CU_ASSERT_PTR_NOT_NULL(pkb_put(p, PKB_DATA_MAX - 100));
	CU_ASSERT_EQUAL(p->len, PKB_DATA_MAX);
	CU_ASSERT_PTR_NULL(pkb_from(p->data, PKB_DATA_MAX + 1));
	pkb_free(p);
	LEAK_CHECK_END;
}

static void pkb_pool_refuses_beyond_its_limit(void)
{
	LEAK_CHECK_BEGIN;
	size_t base = pkb_live();
	uint64_t refused = pkb_stats.refused;
	pkb_set_limit(base + 3);
	struct pkb *a = pkb_alloc(), *b = pkb_alloc(), *c = pkb_alloc();
	CU_ASSERT_PTR_NOT_NULL(a);
	CU_ASSERT_PTR_NOT_NULL(b);
	CU_ASSERT_PTR_NOT_NULL(c);
	CU_ASSERT_PTR_NULL(pkb_alloc());
	CU_ASSERT_PTR_NULL(pkb_clone(a));
	CU_ASSERT_EQUAL(pkb_stats.refused, refused + 2);
	pkb_free(a);
	struct pkb *d = pkb_alloc();
	CU_ASSERT_PTR_NOT_NULL(d);
	pkb_free(b);
	pkb_free(c);
	pkb_free(d);
	pkb_set_limit(16384);
	LEAK_CHECK_END;
}

static void pkb_clone_keeps_headroom_and_bytes(void)
{
	LEAK_CHECK_BEGIN;
	struct pkb *p = pkb_from("abcdef", 6);
	pkb_pull(p, 2);
	struct pkb *c = pkb_clone(p);
	CU_ASSERT_EQUAL(c->len, 4);
	CU_ASSERT_EQUAL(memcmp(c->data, "cdef", 4), 0);
	CU_ASSERT_EQUAL(c->data - c->buf, p->data - p->buf);
	pkb_free(p);
	pkb_free(c);
	LEAK_CHECK_END;
}

/* ---- timers ------------------------------------------------------------ */

struct fired {
	int id[64];
	usec_t at[64];
	int n;
	struct loop *loop;
};

struct tagged_timer {
	struct timer t;
	int id;
	struct fired *log;
};

static void record_fire(struct timer *t, void *arg)
{
	(void)t;
	struct tagged_timer *tt = arg;
	tt->log->id[tt->log->n] = tt->id;
	tt->log->at[tt->log->n] = loop_now(tt->log->loop);
	tt->log->n++;
}

static void timers_fire_in_order_at_their_virtual_times(void)
{
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct fired log = { .loop = &l };
	struct tagged_timer t[5];
	usec_t when[5] = { MSEC(30), MSEC(10), MSEC(20), MSEC(10), SEC(5) };
	for (int i = 0; i < 5; i++) {
		t[i].id = i;
		t[i].log = &log;
		timer_init(&t[i].t, record_fire, &t[i]);
		timer_arm(&l, &t[i].t, when[i]);
	}
	loop_run_until(&l, MSEC(25));
	CU_ASSERT_EQUAL(log.n, 3);
	CU_ASSERT_EQUAL(log.id[0], 1);   /* 10 ms, armed before timer 3 */
	CU_ASSERT_EQUAL(log.id[1], 3);   /* 10 ms, armed after timer 1 */
	CU_ASSERT_EQUAL(log.id[2], 2);   /* 20 ms */
	CU_ASSERT_EQUAL(log.at[0], MSEC(10));
	CU_ASSERT_EQUAL(log.at[1], MSEC(10));
	CU_ASSERT_EQUAL(log.at[2], MSEC(20));
	CU_ASSERT_EQUAL(loop_now(&l), MSEC(25));   /* the clock stops at the deadline */
	timer_cancel(&l, &t[4].t);
	CU_ASSERT_FALSE(timer_armed(&t[4].t));
	loop_run_until(&l, SEC(10));
	CU_ASSERT_EQUAL(log.n, 4);
	CU_ASSERT_EQUAL(log.id[3], 0);
	CU_ASSERT_EQUAL(log.at[3], MSEC(30));
	CU_ASSERT_EQUAL(loop_now(&l), SEC(10));
	loop_free(&l);
}

static void rearming_moves_a_timer_behind_its_equals(void)
{
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct fired log = { .loop = &l };
	struct tagged_timer t[3];
	for (int i = 0; i < 3; i++) {
		t[i].id = i;
		t[i].log = &log;
		timer_init(&t[i].t, record_fire, &t[i]);
		timer_arm(&l, &t[i].t, MSEC(7));
	}
	timer_arm(&l, &t[0].t, MSEC(7));   /* now armed last */
	loop_run_until(&l, MSEC(7));
	CU_ASSERT_EQUAL(log.n, 3);
	CU_ASSERT_EQUAL(log.id[0], 1);
	CU_ASSERT_EQUAL(log.id[1], 2);
	CU_ASSERT_EQUAL(log.id[2], 0);
	loop_free(&l);
}

struct periodic {
	struct timer t;
	struct loop *loop;
	int count;
	usec_t last;
};

static void periodic_fire(struct timer *t, void *arg)
{
	struct periodic *p = arg;
	p->count++;
	p->last = loop_now(p->loop);
	if (p->count < 10)
		timer_arm_in(p->loop, t, MSEC(100));
}

static void a_timer_can_rearm_itself_from_its_callback(void)
{
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct periodic p = { .loop = &l };
	timer_init(&p.t, periodic_fire, &p);
	timer_arm(&l, &p.t, 0);
	loop_run(&l);                   /* returns when no timer is left */
	CU_ASSERT_EQUAL(p.count, 10);
	CU_ASSERT_EQUAL(p.last, MSEC(900));
	CU_ASSERT_EQUAL(l.fired, 10);
	loop_free(&l);
}

static void many_timers_with_cancellations_fire_sorted(void)
{
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	enum { N = 500 };
	static struct tagged_timer t[N];
	static usec_t when[N];
	struct fired log = { .loop = &l };   /* only counts are used here */
	struct rng r;
	rng_seed(&r, 42);
	for (int i = 0; i < N; i++) {
		t[i].id = i;
		t[i].log = &log;
		timer_init(&t[i].t, NULL, &t[i]);
		when[i] = rng_below(&r, SEC(1));
		timer_arm(&l, &t[i].t, when[i]);
	}
	for (int i = 0; i < N; i += 3)
		timer_cancel(&l, &t[i].t);
	/* pop them by hand: each root must be no earlier than the last */
	usec_t last = 0;
	int popped = 0;
	while (l.ntimers > 0) {
		struct timer *root = l.heap[0];
		CU_ASSERT_TRUE(root->when >= last);
		CU_ASSERT_TRUE(((struct tagged_timer *)root->arg)->id % 3 != 0);
		last = root->when;
		timer_cancel(&l, root);
		popped++;
	}
	CU_ASSERT_EQUAL(popped, N - (N + 2) / 3);
	loop_free(&l);
}

/* ---- the simulated link ------------------------------------------------ */

/* A receiver that records the tag (in the first 4 bytes, repeated in the
 * next 4) and arrival time of
 * every packet, and whether it matches what was sent. */
struct arrivals {
	uint32_t tag[40000];
	usec_t at[40000];
	long n, damaged;
	size_t len;
	struct loop *loop;
};

static void arrival(struct netdev *dev, struct pkb *p, void *arg)
{
	(void)dev;
	struct arrivals *a = arg;
	uint32_t tag, copy;
	memcpy(&tag, p->data, 4);
	memcpy(&copy, p->data + 4, 4);
	bool intact = p->len == a->len && tag == copy;
	for (size_t i = 8; intact && i < p->len; i++)
		intact = p->data[i] == (uint8_t)(tag + i);
	if (!intact)
		a->damaged++;
	if (a->n < 40000) {
		a->tag[a->n] = tag;
		a->at[a->n] = loop_now(a->loop);
	}
	a->n++;
	pkb_free(p);
}

static struct pkb *tagged_packet(uint32_t tag, size_t len)
{
	struct pkb *p = pkb_alloc();
	uint8_t *b = pkb_put(p, len);
	memcpy(b, &tag, 4);
	memcpy(b + 4, &tag, 4);
	for (size_t i = 8; i < len; i++)
		b[i] = (uint8_t)(tag + i);
	return p;
}

/* Send n packets of len bytes from a to b, one every `gap`, run until all
 * have had time to arrive, and leave the arrivals in *a. */
static const struct impair_stats *run_link(const struct impair_cfg *cfg, long n,
					   size_t len, usec_t gap, struct arrivals *arr)
{
	static struct impair_stats stats;
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct impair_cfg quiet;
	impair_cfg_default(&quiet);
	struct simlink *link = simlink_create(&l, cfg, &quiet, 1500);
	memset(arr, 0, sizeof *arr);
	arr->loop = &l;
	arr->len = len;
	netdev_set_rx(simlink_end(link, 1), arrival, arr);
	for (long i = 0; i < n; i++) {
		loop_run_until(&l, (usec_t)i * gap);
		netdev_send(simlink_end(link, 0), tagged_packet((uint32_t)i, len));
	}
	loop_run_for(&l, SEC(60));
	stats = *simlink_stats(link, 0);
	netdev_destroy(simlink_end(link, 0));
	netdev_destroy(simlink_end(link, 1));
	loop_free(&l);
	return &stats;
}

static struct arrivals arr1, arr2;

static void link_delivers_after_exactly_the_configured_delay(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.delay = MSEC(5);
	run_link(&c, 3, 100, MSEC(2), &arr1);
	CU_ASSERT_EQUAL(arr1.n, 3);
	CU_ASSERT_EQUAL(arr1.at[0], MSEC(5));
	CU_ASSERT_EQUAL(arr1.at[1], MSEC(7));
	CU_ASSERT_EQUAL(arr1.at[2], MSEC(9));
	LEAK_CHECK_END;
}

static void rate_limit_serialises_packets_back_to_back(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.rate_bps = 8000000;       /* 1000 bytes take 1 ms */
	c.delay = MSEC(10);
	run_link(&c, 4, 1000, 0, &arr1);   /* all four at t = 0 */
	CU_ASSERT_EQUAL(arr1.n, 4);
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(arr1.tag[i], (uint32_t)i);
		CU_ASSERT_EQUAL(arr1.at[i], MSEC(11 + i));
	}
	LEAK_CHECK_END;
}

static void full_queue_drops_and_counts(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.rate_bps = 8000000;
	c.queue_limit = 10;
	const struct impair_stats *s = run_link(&c, 50, 1000, 0, &arr1);
	CU_ASSERT_EQUAL(arr1.n, 10);
	CU_ASSERT_EQUAL(s->queue_drops, 40);
	CU_ASSERT_EQUAL(s->delivered, 10);
	LEAK_CHECK_END;
}

/* Over n packets the observed count of an event with probability p must be
 * within 5 standard deviations of n*p (a false alarm about once in 3.5
 * million runs; the runs are deterministic anyway). */
static bool near_rate(uint64_t observed, long n, double p)
{
	double mean = n * p, sd = sqrt(n * p * (1 - p));
	return observed >= mean - 5 * sd && observed <= mean + 5 * sd;
}

static void loss_matches_its_rate_and_receiver_agrees(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.loss = 0.10;
	c.seed = 11;
	const struct impair_stats *s = run_link(&c, 20000, 64, 100, &arr1);
	CU_ASSERT_TRUE(near_rate(s->lost, 20000, 0.10));
	CU_ASSERT_EQUAL(arr1.n, 20000 - (long)s->lost);
	CU_ASSERT_EQUAL(arr1.damaged, 0);
	LEAK_CHECK_END;
}

static void duplication_matches_its_rate(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.dup = 0.05;
	c.seed = 12;
	const struct impair_stats *s = run_link(&c, 20000, 64, 100, &arr1);
	CU_ASSERT_TRUE(near_rate(s->duplicated, 20000, 0.05));
	CU_ASSERT_EQUAL(arr1.n, 20000 + (long)s->duplicated);
	/* a duplicate arrives right behind its original */
	long pairs = 0;
	for (long i = 1; i < arr1.n; i++)
		pairs += arr1.tag[i] == arr1.tag[i - 1];
	CU_ASSERT_EQUAL(pairs, (long)s->duplicated);
	LEAK_CHECK_END;
}

static void reordering_matches_its_rate(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.reorder = 0.02;
	c.reorder_gap = MSEC(1);
	c.seed = 13;
	/* one packet every 100 us: a packet held back 1 ms is overtaken by
	 * about ten others, so every held-back packet arrives out of order */
	const struct impair_stats *s = run_link(&c, 20000, 64, 100, &arr1);
	CU_ASSERT_TRUE(near_rate(s->reordered, 20000, 0.02));
	CU_ASSERT_EQUAL(arr1.n, 20000);
	long late = 0;
	uint32_t highest = 0;
	for (long i = 0; i < arr1.n; i++) {
		if (arr1.tag[i] < highest)
			late++;
		highest = MAX(highest, arr1.tag[i]);
	}
	CU_ASSERT_EQUAL(late, (long)s->reordered);
	LEAK_CHECK_END;
}

static void corruption_flips_exactly_one_bit(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.corrupt = 0.03;
	c.seed = 14;
	const struct impair_stats *s = run_link(&c, 20000, 64, 100, &arr1);
	CU_ASSERT_TRUE(near_rate(s->corrupted, 20000, 0.03));
	/* the receiver's check catches a flip anywhere: in the payload
	 * directly, in either copy of the tag because they then differ */
	CU_ASSERT_EQUAL(arr1.damaged, (long)s->corrupted);
	CU_ASSERT_EQUAL(arr1.n, 20000);
	LEAK_CHECK_END;
}

static struct arrivals one_bit;

static void one_bit_receiver(struct netdev *dev, struct pkb *p, void *arg)
{
	(void)dev;
	(void)arg;
	int bits = 0;
	for (size_t i = 0; i < p->len; i++)
		bits += __builtin_popcount(p->data[i]);
	one_bit.tag[one_bit.n++] = (uint32_t)bits;
	pkb_free(p);
}

static void corrupted_packet_differs_by_one_bit(void)
{
	LEAK_CHECK_BEGIN;
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct impair_cfg c, q;
	impair_cfg_default(&c);
	impair_cfg_default(&q);
	c.corrupt = 1.0;
	struct simlink *link = simlink_create(&l, &c, &q, 1500);
	netdev_set_rx(simlink_end(link, 1), one_bit_receiver, NULL);
	one_bit.n = 0;
	for (int i = 0; i < 100; i++) {
		struct pkb *p = pkb_alloc();
		memset(pkb_put(p, 200), 0, 200);
		netdev_send(simlink_end(link, 0), p);
	}
	loop_run_for(&l, SEC(1));
	CU_ASSERT_EQUAL(one_bit.n, 100);
	for (int i = 0; i < one_bit.n; i++)
		CU_ASSERT_EQUAL(one_bit.tag[i], 1);
	netdev_destroy(simlink_end(link, 0));
	netdev_destroy(simlink_end(link, 1));
	loop_free(&l);
	LEAK_CHECK_END;
}

static void same_seed_same_fate_other_seed_other_fate(void)
{
	LEAK_CHECK_BEGIN;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.loss = 0.1;
	c.dup = 0.05;
	c.reorder = 0.05;
	c.corrupt = 0.02;
	c.delay = MSEC(3);
	c.seed = 99;
	run_link(&c, 5000, 64, 200, &arr1);
	run_link(&c, 5000, 64, 200, &arr2);
	CU_ASSERT_EQUAL(arr1.n, arr2.n);
	CU_ASSERT_EQUAL(arr1.damaged, arr2.damaged);
	CU_ASSERT_EQUAL(memcmp(arr1.tag, arr2.tag, sizeof arr1.tag), 0);
	CU_ASSERT_EQUAL(memcmp(arr1.at, arr2.at, sizeof arr1.at), 0);
	c.seed = 100;
	run_link(&c, 5000, 64, 200, &arr2);
	CU_ASSERT_NOT_EQUAL(memcmp(arr1.tag, arr2.tag, sizeof arr1.tag), 0);
	LEAK_CHECK_END;
}

static void destroying_a_link_frees_packets_in_flight(void)
{
	LEAK_CHECK_BEGIN;
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.delay = SEC(1);
	struct simlink *link = simlink_create(&l, &c, &c, 1500);
	for (int i = 0; i < 10; i++) {
		netdev_send(simlink_end(link, 0), tagged_packet(1, 64));
		netdev_send(simlink_end(link, 1), tagged_packet(2, 64));
	}
	CU_ASSERT_TRUE(pkb_live() >= live_at_start_ + 20);
	netdev_destroy(simlink_end(link, 1));
	loop_run_for(&l, SEC(2));   /* b is gone: a's packets have nowhere to go */
	netdev_destroy(simlink_end(link, 0));
	loop_free(&l);
	LEAK_CHECK_END;
}

static void oversized_packet_is_dropped_at_send(void)
{
	LEAK_CHECK_BEGIN;
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct impair_cfg c;
	impair_cfg_default(&c);
	struct simlink *link = simlink_create(&l, &c, &c, 1000);
	netdev_send(simlink_end(link, 0), tagged_packet(1, 1001));
	CU_ASSERT_EQUAL(simlink_end(link, 0)->stats.tx_dropped, 1);
	CU_ASSERT_EQUAL(simlink_end(link, 0)->stats.tx_packets, 0);
	netdev_destroy(simlink_end(link, 0));
	netdev_destroy(simlink_end(link, 1));
	loop_free(&l);
	LEAK_CHECK_END;
}

static void count_up(struct netdev *dev, struct pkb *p, void *arg);

struct tap_log {
	long lost, arrived, wrong_time;
	usec_t delay;
};

static void tap_record(void *arg, const struct pkb *p, usec_t sent, usec_t arrived, bool lost)
{
	(void)p;
	struct tap_log *t = arg;
	if (lost) {
		t->lost++;
	} else {
		t->arrived++;
		if (arrived - sent != t->delay)
			t->wrong_time++;
	}
}

static void tap_sees_every_fate_with_its_times(void)
{
	LEAK_CHECK_BEGIN;
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct impair_cfg c, q;
	impair_cfg_default(&c);
	impair_cfg_default(&q);
	c.loss = 0.3;
	c.delay = MSEC(7);
	c.seed = 21;
	struct simlink *link = simlink_create(&l, &c, &q, 1500);
	struct tap_log t = { .delay = MSEC(7) };
	simlink_set_tap(link, 0, tap_record, &t);
	long got = 0;
	netdev_set_rx(simlink_end(link, 1), count_up, &got);
	for (int i = 0; i < 1000; i++) {
		netdev_send(simlink_end(link, 0), tagged_packet((uint32_t)i, 64));
		loop_run_for(&l, MSEC(1));
	}
	loop_run_for(&l, SEC(1));
	CU_ASSERT_EQUAL(t.lost, (long)simlink_stats(link, 0)->lost);
	CU_ASSERT_EQUAL(t.arrived, got);
	CU_ASSERT_EQUAL(t.lost + t.arrived, 1000);
	CU_ASSERT_EQUAL(t.wrong_time, 0);
	netdev_destroy(simlink_end(link, 0));
	netdev_destroy(simlink_end(link, 1));
	loop_free(&l);
	LEAK_CHECK_END;
}

/* ---- the impairment wrapper -------------------------------------------- */

/* A device that records what is sent through it and can be made to
 * "receive" packets on demand. */
struct fake_dev {
	struct netdev dev;
	long sent;
};

static void fake_send(struct netdev *dev, struct pkb *p)
{
	((struct fake_dev *)dev)->sent++;
	pkb_free(p);
}

static void fake_destroy(struct netdev *dev)
{
	(void)dev;
}

static const struct netdev_ops fake_ops = { fake_send, fake_destroy };

static void count_up(struct netdev *dev, struct pkb *p, void *arg)
{
	(void)dev;
	(*(long *)arg)++;
	pkb_free(p);
}

static void wrapper_impairs_both_directions(void)
{
	LEAK_CHECK_BEGIN;
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct fake_dev fake;
	netdev_init(&fake.dev, &fake_ops, &l, "fake0", 1500);
	fake.sent = 0;
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.loss = 0.25;
	c.delay = MSEC(10);
	c.queue_limit = 10000;
	c.seed = 5;
	struct netdev *w = impair_wrap(&fake.dev, &c);
	long received = 0;
	netdev_set_rx(w, count_up, &received);
	for (int i = 0; i < 4000; i++) {
		netdev_send(w, tagged_packet((uint32_t)i, 64));
		netdev_deliver(&fake.dev, tagged_packet((uint32_t)i, 64));
	}
	CU_ASSERT_EQUAL(fake.sent, 0);     /* nothing before the delay */
	CU_ASSERT_EQUAL(received, 0);
	loop_run_for(&l, MSEC(10));
	const struct impair_stats *out = impair_wrap_stats(w, false);
	const struct impair_stats *in = impair_wrap_stats(w, true);
	CU_ASSERT_EQUAL(fake.sent, 4000 - (long)out->lost);
	CU_ASSERT_EQUAL(received, 4000 - (long)in->lost);
	CU_ASSERT_TRUE(near_rate(out->lost, 4000, 0.25));
	CU_ASSERT_TRUE(near_rate(in->lost, 4000, 0.25));
	CU_ASSERT_NOT_EQUAL(out->lost, in->lost);   /* independent streams */
	netdev_destroy(w);
	loop_free(&l);
	LEAK_CHECK_END;
}

static void impairment_specs_parse_or_fail_clearly(void)
{
	struct impair_cfg c;
	char err[256];
	impair_cfg_default(&c);
	CU_ASSERT_EQUAL(impair_parse(&c, "loss=5%,delay=5ms,dup=1%,reorder=2%,seed=7",
				     err, sizeof err), 0);
	CU_ASSERT_DOUBLE_EQUAL(c.loss, 0.05, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(c.dup, 0.01, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(c.reorder, 0.02, 1e-12);
	CU_ASSERT_EQUAL(c.delay, MSEC(5));
	CU_ASSERT_EQUAL(c.seed, 7);
	CU_ASSERT_EQUAL(impair_parse(&c, "rate=10mbps,delay=250us,gap=2,corrupt=0.5,queue=50",
				     err, sizeof err), 0);
	CU_ASSERT_EQUAL(c.rate_bps, 10000000);
	CU_ASSERT_EQUAL(c.delay, 250);
	CU_ASSERT_EQUAL(c.reorder_gap, MSEC(2));
	CU_ASSERT_DOUBLE_EQUAL(c.corrupt, 0.5, 1e-12);
	CU_ASSERT_EQUAL(c.queue_limit, 50);
	const char *bad[] = { "loss", "loss=", "loss=150%", "loss=-1%", "loss=abc",
			      "delay=5parsecs", "jitter=5ms", "loss=5%,,dup=1%",
			      "rate=0", "queue=0", "queue=2.5", "seed=-3", "seed=x",
			      "delay=nan", "=5", "", ",", "loss=5%,", ",loss=5%",
			      "loss=5%,loss=6%", "delay=5ms,dup=1%,delay=5ms", "loss=5" };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL(impair_parse(&c, bad[i], err, sizeof err), -1);
		CU_ASSERT_NOT_EQUAL(err[0], '\0');
	}
	/* the message names the item and the form its key takes */
	impair_parse(&c, "dup=1%,loss=5", err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "loss=5: loss is a probability"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "loss=5% or loss=0.05"));
	impair_parse(&c, "delay=5parsecs", err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "delay=5ms, delay=250us or delay=2s"));
	impair_parse(&c, "loss=5%,loss=6%", err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "loss=6%: loss is given twice"));
	impair_parse(&c, "", err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "an empty impairment"));
	impair_parse(&c, "jitter=5ms", err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown impairment 'jitter' (known: loss,"));
}

/* ---- pcap -------------------------------------------------------------- */

static void pcap_records_read_back_intact(void)
{
	char path[] = "/tmp/tcplit-pcap-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	char err[256];
	struct pcap_writer w;
	CU_ASSERT_EQUAL_FATAL(pcap_open(&w, path, err, sizeof err), 0);
	static uint8_t pkt[1500];
	size_t lens[] = { 20, 1, 1500, 60, 0, 777 };
	for (size_t i = 0; i < ARRAY_LEN(lens); i++) {
		for (size_t j = 0; j < lens[i]; j++)
			pkt[j] = (uint8_t)(i * 31 + j);
		pcap_write(&w, SEC(1700000000) + i * 1234567, pkt, lens[i]);
	}
	CU_ASSERT_EQUAL(w.records, ARRAY_LEN(lens));
	pcap_close(&w);

	struct pcap_reader r;
	CU_ASSERT_EQUAL_FATAL(pcap_read_open(&r, path, err, sizeof err), 0);
	CU_ASSERT_EQUAL(r.linktype, PCAP_LINKTYPE_RAW);
	static uint8_t buf[2048];
	for (size_t i = 0; i < ARRAY_LEN(lens); i++) {
		usec_t when;
		size_t len;
		CU_ASSERT_EQUAL(pcap_read_next(&r, &when, buf, sizeof buf, &len), 1);
		CU_ASSERT_EQUAL(len, lens[i]);
		CU_ASSERT_EQUAL(when, SEC(1700000000) + i * 1234567);
		for (size_t j = 0; j < len; j++)
			if (buf[j] != (uint8_t)(i * 31 + j)) {
				CU_FAIL("byte differs");
				break;
			}
	}
	usec_t when;
	size_t len;
	CU_ASSERT_EQUAL(pcap_read_next(&r, &when, buf, sizeof buf, &len), 0);
	pcap_read_close(&r);

	/* a truncated file is reported as damaged, not read past its end */
	CU_ASSERT_EQUAL(truncate(path, 24 + 16 + 20 + 16 + 1 + 16 + 100), 0);
	CU_ASSERT_EQUAL_FATAL(pcap_read_open(&r, path, err, sizeof err), 0);
	int rc;
	int records = 0;
	while ((rc = pcap_read_next(&r, &when, buf, sizeof buf, &len)) == 1)
		records++;
	CU_ASSERT_EQUAL(records, 2);
	CU_ASSERT_EQUAL(rc, -1);
	pcap_read_close(&r);
	unlink(path);
}

static void pcap_reader_rejects_other_files(void)
{
	char path[] = "/tmp/tcplit-notpcap-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, "this is not a capture file at all", 33), 33);
	close(fd);
	struct pcap_reader r;
	char err[256] = "";
	CU_ASSERT_EQUAL(pcap_read_open(&r, path, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a pcap"));
	CU_ASSERT_EQUAL(pcap_read_open(&r, "/nonexistent/x.pcap", err, sizeof err), -1);
	unlink(path);
}

static void pcap_wrapper_records_both_directions(void)
{
	LEAK_CHECK_BEGIN;
	char path[] = "/tmp/tcplit-wrap-XXXXXX";
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	struct impair_cfg c;
	impair_cfg_default(&c);
	c.delay = MSEC(3);
	struct simlink *link = simlink_create(&l, &c, &c, 1500);
	char err[256];
	struct netdev *a = pcap_wrap(simlink_end(link, 0), path, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	struct netdev *b = simlink_end(link, 1);
	long got_a = 0, got_b = 0;
	netdev_set_rx(a, count_up, &got_a);
	netdev_set_rx(b, count_up, &got_b);
	netdev_send(a, tagged_packet(1, 40));   /* a -> b at 0, arrives at 3 ms */
	loop_run_until(&l, MSEC(5));
	netdev_send(b, tagged_packet(2, 50));   /* b -> a at 5, arrives at 8 ms */
	loop_run_until(&l, MSEC(10));
	CU_ASSERT_EQUAL(got_a, 1);
	CU_ASSERT_EQUAL(got_b, 1);
	netdev_destroy(a);
	netdev_destroy(b);
	loop_free(&l);

	struct pcap_reader r;
	CU_ASSERT_EQUAL_FATAL(pcap_read_open(&r, path, err, sizeof err), 0);
	uint8_t buf[2048];
	usec_t when;
	size_t len;
	CU_ASSERT_EQUAL(pcap_read_next(&r, &when, buf, sizeof buf, &len), 1);
	CU_ASSERT_EQUAL(len, 40);
	CU_ASSERT_EQUAL(when, 0);
	CU_ASSERT_EQUAL(pcap_read_next(&r, &when, buf, sizeof buf, &len), 1);
	CU_ASSERT_EQUAL(len, 50);
	CU_ASSERT_EQUAL(when, MSEC(8));
	CU_ASSERT_EQUAL(pcap_read_next(&r, &when, buf, sizeof buf, &len), 0);
	pcap_read_close(&r);
	unlink(path);
	LEAK_CHECK_END;
}

/* ---- the command lines ------------------------------------------------- */

/* Every command-line error exits with status 2 and a message that names
 * the option and the form it accepts.  None of these command lines gets
 * as far as opening a device. */
static void an_unknown_option_is_named(void)
{
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--verbos"),
				     "tcpstack: unknown option --verbos (did you mean --verbose?)"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--verbos"),
				     "unknown option --verbos"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun=t0"),
				     "unknown option --tun=t0: write --tun NAME, with a space"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--frobnicate"),
				     "unknown option --frobnicate (tcpstack --help lists the options)"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("tun0"),
				     "unexpected argument 'tun0': options start with --"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("wire", "--verbos"),
				     "tcpsim: unknown option --verbos"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("wire", "--sed", "3"),
				     "unknown option --sed (did you mean --seed?)"));
}

static void an_option_needs_a_value_that_is_not_empty(void)
{
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun"),
				     "option --tun needs a value: --tun NAME"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", ""),
				     "option --tun needs a value, not an empty string: --tun NAME"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "--verbose"),
				     "option --tun needs a value: --tun NAME"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--pcap", ""),
				     "option --pcap needs a value, not an empty string: --pcap FILE"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("wire", "--count"),
				     "option --count needs a value: --count N"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("wire", "--trace", ""),
				     "option --trace needs a value, not an empty string"));
}

static void an_option_given_twice_is_refused(void)
{
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "a", "--tun", "b"),
				     "tcpstack: --tun given twice: it may appear once"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--impair", "loss=1%",
						      "--impair", "delay=5ms"),
				     "--impair given twice"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--verbose", "--verbose"),
				     "--verbose given twice"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("wire", "--seed", "1", "--seed", "2"),
				     "tcpsim: --seed given twice"));
}

static void the_device_name_is_checked_before_anything_opens(void)
{
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--verbose"),
				     "tcpstack: --tun NAME is required, e.g. --tun tun0"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "a/b"),
				     "--tun a/b: expected an interface name, 1 to 15 characters"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "sixteen-letters!"),
				     "--tun sixteen-letters!: expected an interface name"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "tun 0"),
				     "expected an interface name"));
	CU_ASSERT_TRUE(tun_name_valid("tun0"));
	CU_ASSERT_TRUE(tun_name_valid("fifteen-letters"));
	CU_ASSERT_TRUE(tun_name_valid("tun%d"));
	CU_ASSERT_FALSE(tun_name_valid(""));
	CU_ASSERT_FALSE(tun_name_valid(".."));
	CU_ASSERT_FALSE(tun_name_valid("tun:0"));
}

static void an_impairment_error_shows_the_accepted_forms(void)
{
	const char *const *loss5 = ARGS("--tun", "t0", "--impair", "loss=5");
	CU_ASSERT_TRUE(usage_refused("tcpstack", loss5, "tcpstack: --impair loss=5: loss is "
				     "a probability, from 0% to 100%: loss=5% or loss=0.05"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", loss5, "--impair takes KEY=VALUE,... with "
				     "each key at most once:"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", loss5, "  delay, gap, cut, cutat: 5ms, "
				     "250us or 2s; ms if no unit"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--impair", "loss=5%,loss=6%"),
				     "--impair loss=6%: loss is given twice"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--impair", ""),
				     "option --impair needs a value, not an empty string: --impair SPEC"));
	CU_ASSERT_TRUE(usage_refused("tcpstack", ARGS("--tun", "t0", "--impair", "loss=5%,"),
				     "--impair 'loss=5%,': an empty item"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("wire", "--impair", "rate=fast"),
				     "tcpsim: --impair rate=fast: rate is in bits per second"));
}

static void tcpsim_wants_a_scenario_and_counts_it_allows(void)
{
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS(NULL), "tcpsim: which scenario?"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("--seed", "3", "wire"),
				     "tcpsim: the scenario comes first, then the options"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("nosuch"),
				     "tcpsim: no scenario called 'nosuch'"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("wire", "--count", "0"),
				     "tcpsim: --count 0: expected a whole number from 1 to"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("wire", "--count", "99999999"),
				     "tcpsim: --count 99999999: too many for wire (1 to 10000000)"));
	CU_ASSERT_TRUE(usage_refused("tcpsim", ARGS("wire", "--seed", "x"),
				     "tcpsim: --seed x: expected a whole number from 0 to"));
}

static size_t count_of(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

static void help_lists_the_options_under_their_purpose(void)
{
	static char out[16384];
	CU_ASSERT_EQUAL(run_program("tcpstack", ARGS("--help"), out, sizeof out), 0);
	const char *device = strstr(out, "\nthe device and the address:\n  --tun NAME ");
	const char *impair = strstr(out, "\nimpairment, by the stack itself, in both directions:\n"
				    "  --impair SPEC ");
	const char *output = strstr(out, "\noutput:\n  --");
	const char *pcap = strstr(out, "\n  --pcap FILE ");
	CU_ASSERT_TRUE(device != NULL && impair != NULL && output != NULL &&
		       device < impair && impair < output && output < pcap);
	CU_ASSERT_EQUAL(count_of(out, "loss, dup, corrupt, reorder: a probability"), 1);
	CU_ASSERT_EQUAL(run_program("tcpsim", ARGS("--help"), out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nthe run:\n  --seed N "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nscenarios:\n  wire "));
}

/* The TUN device's failures say what to do.  The path of the clone
 * device is a parameter so that a file that is not one can stand in. */
static void tun_errors_say_what_to_do(void)
{
	struct loop l;
	loop_init(&l, CLOCK_VIRTUAL);
	char err[512] = "";
	CU_ASSERT_PTR_NULL(tun_open_at(&l, "/dev/null", "tcplit0", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "TUNSETIFF for tcplit0: Inappropriate ioctl for device. "
				      "/dev/null is not the TUN/TAP clone device"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "is the tun module loaded?"));
	CU_ASSERT_PTR_NULL(tun_open_at(&l, "/nonexistent/net/tun", "tcplit0", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot open /nonexistent/net/tun: No such file or "
				      "directory. The TUN/TAP clone device is missing"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "modprobe tun"));
	CU_ASSERT_PTR_NULL(tun_open(&l, "a/b", err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "'a/b' is not an interface name"));
	loop_free(&l);
}

void register_ch01(void)
{
	static const struct test_entry pkb_tests[] = {
		TEST(pkb_push_pull_put_stay_in_bounds),
		TEST(pkb_pool_refuses_beyond_its_limit),
		TEST(pkb_clone_keeps_headroom_and_bytes),
	};
	static const struct test_entry timer_tests[] = {
		TEST(timers_fire_in_order_at_their_virtual_times),
		TEST(rearming_moves_a_timer_behind_its_equals),
		TEST(a_timer_can_rearm_itself_from_its_callback),
		TEST(many_timers_with_cancellations_fire_sorted),
	};
	static const struct test_entry link_tests[] = {
		TEST(link_delivers_after_exactly_the_configured_delay),
		TEST(rate_limit_serialises_packets_back_to_back),
		TEST(full_queue_drops_and_counts),
		TEST(loss_matches_its_rate_and_receiver_agrees),
		TEST(duplication_matches_its_rate),
		TEST(reordering_matches_its_rate),
		TEST(corruption_flips_exactly_one_bit),
		TEST(corrupted_packet_differs_by_one_bit),
		TEST(same_seed_same_fate_other_seed_other_fate),
		TEST(destroying_a_link_frees_packets_in_flight),
		TEST(oversized_packet_is_dropped_at_send),
		TEST(tap_sees_every_fate_with_its_times),
		TEST(wrapper_impairs_both_directions),
		TEST(impairment_specs_parse_or_fail_clearly),
	};
	static const struct test_entry pcap_tests[] = {
		TEST(pcap_records_read_back_intact),
		TEST(pcap_reader_rejects_other_files),
		TEST(pcap_wrapper_records_both_directions),
	};
	add_suite("ch01 packet buffers", pkb_tests, ARRAY_LEN(pkb_tests));
	add_suite("ch01 timers", timer_tests, ARRAY_LEN(timer_tests));
	add_suite("ch01 simulated link", link_tests, ARRAY_LEN(link_tests));
	static const struct test_entry cmdline_tests[] = {
		TEST(an_unknown_option_is_named),
		TEST(an_option_needs_a_value_that_is_not_empty),
		TEST(an_option_given_twice_is_refused),
		TEST(the_device_name_is_checked_before_anything_opens),
		TEST(an_impairment_error_shows_the_accepted_forms),
		TEST(tcpsim_wants_a_scenario_and_counts_it_allows),
		TEST(help_lists_the_options_under_their_purpose),
		TEST(tun_errors_say_what_to_do),
	};
	add_suite("ch01 pcap", pcap_tests, ARRAY_LEN(pcap_tests));
	add_suite("ch01 command lines", cmdline_tests, ARRAY_LEN(cmdline_tests));
}
