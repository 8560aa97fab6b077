/* Exercise 12.2: the suite for the IP identification. */
#include <stdio.h>
#include <string.h>
#include "suite.h"
#include "ipid.h"

#define TCP 6
#define UDP 17
#define ICMP 1

static const struct sipkey KEY = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
static const struct sipkey OTHER = { 0x1122334455667788ULL, 0x99aabbccddeeff00ULL };

static const uint32_t US = 0xc6336401u;      /* 198.51.100.1, the host */
static const uint32_t EVE = 0xcb007107u;     /* 203.0.113.7, who counts */

static struct ipid_host host(const struct sipkey *k, uint16_t next)
{
	struct ipid_host h;
	memset(&h, 0, sizeof h);
	h.key = *k;
	h.next = next;
	return h;
}

static uint16_t start(const struct sipkey *k, uint32_t src, uint32_t dst, uint8_t proto)
{
	struct ipid_host h = host(k, 0);
	struct ipid_flow f;
	ipid_flow_init(&h, &f, src, dst, proto);
	return f.next;
}

static void atomic_means_df_and_not_a_fragment(void)
{
	CU_ASSERT_TRUE(ipid_atomic(true, false, 0));
	CU_ASSERT_FALSE(ipid_atomic(false, false, 0));     /* may be fragmented on the way */
	CU_ASSERT_FALSE(ipid_atomic(true, true, 0));       /* the first fragment */
	CU_ASSERT_FALSE(ipid_atomic(true, false, 185));    /* the last fragment */
	CU_ASSERT_FALSE(ipid_atomic(true, true, 1));
	CU_ASSERT_FALSE(ipid_atomic(false, true, 0));
	CU_ASSERT_FALSE(ipid_atomic(false, false, 8191));
}

static void a_flows_ids_count_up_from_its_start(void)
{
	struct ipid_host h = host(&KEY, 100);
	struct ipid_flow f;
	ipid_flow_init(&h, &f, US, EVE, TCP);
	CU_ASSERT_EQUAL(f.src, US);
	CU_ASSERT_EQUAL(f.dst, EVE);
	CU_ASSERT_EQUAL(f.proto, TCP);
	uint16_t first = f.next;
	for (unsigned i = 0; i < 70000; i++) {
		uint16_t id = ipid_next(&h, &f, true);
		if (id != (uint16_t)(first + i)) {
			printf("\n  datagram %u of the flow: ID %#x, want %#x\n", i, id, (uint16_t)(first + i));
			CU_FAIL("the flow's IDs count up by one, modulo 2^16");
			break;
		}
	}
	CU_ASSERT_EQUAL(h.next, 100);          /* the host's counter did not move */
}

/* The start is a function of the key and the flow, and of nothing else. */
static void the_start_depends_on_the_key_and_the_flow_alone(void)
{
	struct ipid_host a = host(&KEY, 0), b = host(&KEY, 54321);
	struct ipid_flow fa, fb, other;
	/* whatever the host sent before */
	for (int i = 0; i < 777; i++)
		ipid_next(&b, NULL, false);
	ipid_flow_init(&b, &other, US, 0x0a000001u, UDP);
	for (int i = 0; i < 333; i++)
		ipid_next(&b, &other, true);
	ipid_flow_init(&a, &fa, US, EVE, TCP);
	ipid_flow_init(&b, &fb, US, EVE, TCP);
	CU_ASSERT_EQUAL(fa.next, fb.next);
	/* and the same again later */
	CU_ASSERT_EQUAL(start(&KEY, US, EVE, TCP), fa.next);
	/* another key, another start (one in 65,536 may agree by chance) */
	unsigned same = 0;
	for (uint32_t d = 0; d < 200; d++)
		same += start(&KEY, US, EVE + d, TCP) == start(&OTHER, US, EVE + d, TCP);
	CU_ASSERT_TRUE(same <= 2);
}

/* A flow that differs in one address bit, or only in its protocol, starts
 * anywhere: the starts of neighbouring flows look unrelated, in every bit. */
static void the_starts_of_neighbouring_flows_are_unrelated(void)
{
	unsigned ones[16] = { 0 }, same_step = 0, same_src = 0, same_proto = 0;
	const unsigned n = 4096;
	uint16_t prev = 0, prev_step = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint16_t s = start(&KEY, US, EVE + i, TCP);
		for (int b = 0; b < 16; b++)
			ones[b] += s >> b & 1;
		uint16_t step = (uint16_t)(s - prev);
		same_step += i > 1 && step == prev_step;       /* start = something + dst? */
		prev_step = step;
		prev = s;
		same_src += s == start(&KEY, US ^ (1u << (i % 32)), EVE + i, TCP);
		same_proto += s == start(&KEY, US, EVE + i, UDP);
	}
	for (int b = 0; b < 16; b++) {
		if (ones[b] < n * 40 / 100 || ones[b] > n * 60 / 100)
			printf("\n  bit %d of the start is set in %u of %u flows\n", b, ones[b], n);
		CU_ASSERT_TRUE(ones[b] >= n * 40 / 100 && ones[b] <= n * 60 / 100);
	}
	CU_ASSERT_TRUE(same_step <= 5);
	CU_ASSERT_TRUE(same_src <= 5);
	CU_ASSERT_TRUE(same_proto <= 5);
	/* source and destination are not interchangeable */
	unsigned swapped = 0;
	for (uint32_t i = 0; i < 200; i++)
		swapped += start(&KEY, US, EVE + i, TCP) == start(&KEY, EVE + i, US, TCP);
	CU_ASSERT_TRUE(swapped <= 2);
}

/* What Eve sees of her own flow is the same whatever else the host sends:
 * the idle scan has nothing to count. */
static void other_traffic_leaves_no_trace_in_a_flows_ids(void)
{
	struct ipid_host quiet = host(&KEY, 1), busy = host(&KEY, 1);
	struct ipid_flow eq, eb, others[50];
	ipid_flow_init(&quiet, &eq, US, EVE, TCP);
	ipid_flow_init(&busy, &eb, US, EVE, TCP);
	for (int k = 0; k < 50; k++)
		ipid_flow_init(&busy, &others[k], US, 0x0a000000u + (uint32_t)k, k % 2 ? TCP : UDP);
	for (int i = 0; i < 1000; i++) {
		uint16_t want = ipid_next(&quiet, &eq, true);
		for (int j = 0; j < i % 7; j++) {
			ipid_next(&busy, &others[(i + j) % 50], true);
			ipid_next(&busy, NULL, false);
			ipid_next(&busy, &others[j], false);
			ipid_next(&busy, NULL, true);
		}
		uint16_t got = ipid_next(&busy, &eb, true);
		if (got != want) {
			printf("\n  Eve's datagram %d: ID %#x on a busy host, %#x on a quiet one\n", i, got, want);
			CU_FAIL("another flow's datagrams changed Eve's IDs");
			break;
		}
	}
}

/* Non-atomic datagrams share chapter 2's counter, and atomic datagrams do
 * not move it: otherwise Eve, sending pings that come back without DF,
 * would count the host's TCP segments in between. */
static void the_hosts_counter_counts_only_non_atomic_datagrams(void)
{
	struct ipid_host h = host(&KEY, 0xfff0);
	struct ipid_flow f, g;
	ipid_flow_init(&h, &f, US, EVE, ICMP);
	ipid_flow_init(&h, &g, US, 0x0a000001u, TCP);
	uint16_t want = 0xfff0;
	for (int i = 0; i < 40; i++) {
		for (int j = 0; j < 10; j++) {
			ipid_next(&h, &g, true);
			ipid_next(&h, NULL, true);
		}
		/* a flow's non-atomic datagram takes the host's counter too */
		struct ipid_flow *which = i % 3 == 0 ? NULL : i % 3 == 1 ? &f : &g;
		uint16_t fnext = f.next, gnext = g.next;
		uint16_t id = ipid_next(&h, which, false);
		CU_ASSERT_EQUAL(id, want);
		CU_ASSERT_EQUAL(f.next, fnext);
		CU_ASSERT_EQUAL(g.next, gnext);
		want++;                                    /* across 0xffff to 0 */
	}
	CU_ASSERT_EQUAL(h.next, (uint16_t)(0xfff0 + 40));
}

static void an_atomic_datagram_of_no_flow_carries_zero(void)
{
	struct ipid_host h = host(&KEY, 1234);
	for (int i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(ipid_next(&h, NULL, true), 0);
	CU_ASSERT_EQUAL(h.next, 1234);
	CU_ASSERT_EQUAL(ipid_next(&h, NULL, false), 1234);
	CU_ASSERT_EQUAL(ipid_next(&h, NULL, false), 1235);
}

static const struct suite_test tests[] = {
	TEST(atomic_means_df_and_not_a_fragment),
	TEST(a_flows_ids_count_up_from_its_start),
	TEST(the_start_depends_on_the_key_and_the_flow_alone),
	TEST(the_starts_of_neighbouring_flows_are_unrelated),
	TEST(other_traffic_leaves_no_trace_in_a_flows_ids),
	TEST(the_hosts_counter_counts_only_non_atomic_datagrams),
	TEST(an_atomic_datagram_of_no_flow_carries_zero),
};

int main(void)
{
	return run_suite("exercise 12.2 IP identification", tests, sizeof tests / sizeof tests[0]);
}
