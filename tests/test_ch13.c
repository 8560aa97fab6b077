/* Chapter 13, speed: header prediction, fields by loads and stores, the
 * checksum with the copy, batching, offloads, many connections. */
#include "testutil.h"
#include "tcp_var.h"

/* ---- fastpath: header prediction, fields, checksum ---- */

/* ---- end of fastpath ---- */

/* ---- io: batching and offloads ---- */

/* ---- end of io ---- */

/* ---- scale: many connections ---- */

#include <errno.h>
#include <malloc.h>
#if defined(__SANITIZE_ADDRESS__)
size_t __sanitizer_get_current_allocated_bytes(void);   /* the runtime's own account */
#endif
#define SCALE_US   ADDR(10, 0, 0, 2)
#define SCALE_PEER ADDR(10, 0, 0, 1)

/* Bytes the program has allocated now (under AddressSanitizer, its own
 * account; otherwise the C library's). */
static size_t heap_in_use(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

/* The i-th of many distinct remote ends: address and port from i. */
static uint32_t scale_raddr(uint32_t i) { return ADDR(10, 1, 0, 0) + (i >> 6); }
static uint16_t scale_rport(uint32_t i) { return (uint16_t)(20000 + (i & 63)); }

static void shuffle(uint32_t *v, uint32_t n, uint64_t seed)
{
	for (uint32_t i = n - 1; i > 0; i--) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		uint32_t j = (uint32_t)((seed >> 33) % (i + 1)), tmp = v[i];
		v[i] = v[j];
		v[j] = tmp;
	}
}

static void lookups_stay_right_while_the_table_doubles_and_after_removals(void)
{
	enum { N = 20000 };
	struct config cfg = testnet_config();
	cfg.max_connections = N;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct host *h = tn.host;
	static uint32_t order[N];
	static struct tcb *made[N];
	for (uint32_t i = 0; i < N; i++)
		order[i] = i;
	shuffle(order, N, 7);
	size_t grown = 0;
	for (uint32_t k = 0; k < N; k++) {
		uint32_t i = order[k];
		size_t before = h->tcp->nbuckets;
		made[i] = tcb_create(h, SCALE_US, 80, scale_raddr(i), scale_rport(i));
		CU_ASSERT_PTR_NOT_NULL_FATAL(made[i]);
		if (h->tcp->nbuckets != before) {
			grown++;
			/* just after a doubling, everything made so far is found */
			for (uint32_t j = 0; j <= k; j++) {
				uint32_t e = order[j];
				CU_ASSERT_PTR_EQUAL_FATAL(tcb_lookup(h, SCALE_US, 80, scale_raddr(e),
								     scale_rport(e)), made[e]);
			}
		}
		CU_ASSERT_TRUE(h->tcp->count <= h->tcp->nbuckets);
	}
	CU_ASSERT_EQUAL(grown, 3);                  /* 4096 -> 32768 */
	CU_ASSERT_EQUAL(h->tcp->nbuckets, 32768);
	CU_ASSERT_EQUAL(h->stats.tcp.table_grown, 3);
	/* remove half, in another order: those are gone, the rest are found */
	shuffle(order, N, 11);
	for (uint32_t k = 0; k < N / 2; k++) {
		tcb_destroy(made[order[k]]);
		made[order[k]] = NULL;
	}
	for (uint32_t i = 0; i < N; i++)
		CU_ASSERT_PTR_EQUAL_FATAL(tcb_lookup(h, SCALE_US, 80, scale_raddr(i),
						     scale_rport(i)), made[i]);
	CU_ASSERT_EQUAL(h->tcp->count, N / 2);
	CU_ASSERT_EQUAL(h->tcp->nbuckets, 32768);   /* it does not shrink */
	testnet_free(&tn);
}

static size_t longest_chain_after(uint32_t n, bool grow)
{
	struct config cfg = testnet_config();
	cfg.max_connections = n;
	cfg.table_grow = grow;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	for (uint32_t i = 0; i < n; i++)
		tcb_create(tn.host, SCALE_US, 80, scale_raddr(i), scale_rport(i));
	CU_ASSERT_EQUAL(tn.host->tcp->count, n);
	size_t longest = tcp_table_longest(tn.host);
	testnet_free(&tn);
	return longest;
}

static void the_longest_chain_stays_short_as_the_table_grows(void)
{
	/* at 50,000 connections the fixed 4,096 buckets average 12 a chain;
	 * the growing table holds at most one TCB per bucket on average, and
	 * its longest chain (a count, not a time) stays in single figures */
	size_t fixed = longest_chain_after(50000, false);
	size_t grown = longest_chain_after(50000, true);
	CU_ASSERT_TRUE(fixed >= 20);
	CU_ASSERT_TRUE(grown <= 9);
	CU_ASSERT_TRUE(longest_chain_after(1000, true) <= 9);
}

/* Fill the ports of a 2,000-port range to the peer's port 80. */
static void fill_ports(struct testnet *tn)
{
	int err;
	for (int i = 0; i < 2000; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(tcp_connect(tn->host, SCALE_PEER, 80, NULL, NULL, &err));
		testnet_drain(tn);
	}
}

static void a_connect_that_finds_no_port_probes_at_most_port_tries(void)
{
	struct config cfg = testnet_config();
	cfg.ephemeral_lo = 40000;
	cfg.ephemeral_hi = 41999;
	cfg.port_tries = 64;
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct host *h = tn.host;
	fill_ports(&tn);
	int err = 0;
	uint64_t p0 = h->stats.tcp.port_probes;
	CU_ASSERT_PTR_NULL(tcp_connect(h, SCALE_PEER, 80, NULL, NULL, &err));
	CU_ASSERT_EQUAL(err, EADDRNOTAVAIL);
	CU_ASSERT_EQUAL(h->stats.tcp.port_probes - p0, 64);
	CU_ASSERT_EQUAL(h->stats.tcp.port_none, 1);
	/* a port freed anywhere in the range is found again within the
	 * attempts it takes the counter to come round: 2000 / 64 of them */
	tcb_destroy(tcb_lookup(h, SCALE_US, 41234, SCALE_PEER, 80));
	struct tcb *t = NULL;
	for (int k = 0; k <= 2000 / 64 + 1 && t == NULL; k++)
		t = tcp_connect(h, SCALE_PEER, 80, NULL, NULL, &err);
	CU_ASSERT_PTR_NOT_NULL(t);
	CU_ASSERT_EQUAL(t != NULL ? t->lport : 0, 41234);
	testnet_free(&tn);
}

static void without_a_bound_a_failing_connect_probes_the_whole_range(void)
{
	struct config cfg = testnet_config();
	cfg.ephemeral_lo = 40000;
	cfg.ephemeral_hi = 41999;
	cfg.port_tries = 0;                         /* chapter 3's search */
	struct testnet tn;
	testnet_init(&tn, &cfg);
	fill_ports(&tn);
	int err;
	uint64_t p0 = tn.host->stats.tcp.port_probes;
	CU_ASSERT_PTR_NULL(tcp_connect(tn.host, SCALE_PEER, 80, NULL, NULL, &err));
	CU_ASSERT_EQUAL(tn.host->stats.tcp.port_probes - p0, 2000);
	testnet_free(&tn);
}

static void an_idle_established_connection_costs_at_most_1_kib(void)
{
	enum { N = 5000 };
	struct config cfg = testnet_config();
	struct testnet tn;
	testnet_init(&tn, &cfg);
	struct host *h = tn.host;
	int err;
	size_t before = heap_in_use();
	for (int i = 0; i < N; i++) {
		struct tcb *t = tcp_connect(h, SCALE_PEER, 80, NULL, NULL, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		struct captured syn;
		CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&tn, &syn));
		testnet_send(&tn, SEG(.sport = 80, .dport = syn.seg.sport, .seq = 5000,
				      .ack = syn.seg.seq + 1, .flags = TH_SYN | TH_ACK, .wnd = 65535));
		testnet_drain(&tn);
		CU_ASSERT_EQUAL_FATAL(t->state, TCP_ESTABLISHED);
	}
	size_t per = (heap_in_use() - before) / N;
	CU_ASSERT_TRUE(per <= 1024);
	/* the TCB, and only its share of the table and the allocator's
	 * bookkeeping besides: no buffer, no queue, no scoreboard */
	CU_ASSERT_TRUE(per >= sizeof(struct tcb));
	CU_ASSERT_TRUE(per <= sizeof(struct tcb) + 64);
	testnet_free(&tn);
}

/* ---- end of scale ---- */

void register_ch13(void)
{
	/* fastpath: suites */

	/* io: suites */

	/* scale: suites */
	static const struct test_entry scale[] = {
		TEST(lookups_stay_right_while_the_table_doubles_and_after_removals),
		TEST(the_longest_chain_stays_short_as_the_table_grows),
		TEST(a_connect_that_finds_no_port_probes_at_most_port_tries),
		TEST(without_a_bound_a_failing_connect_probes_the_whole_range),
		TEST(an_idle_established_connection_costs_at_most_1_kib),
	};
	add_suite("ch13 many connections", scale, ARRAY_LEN(scale));
}
