/* Exercise 13.3: the suite for a hash table that doubles incrementally. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "suite.h"
#include "growtable.h"

enum { N = 20000 };
static struct gt_node nodes[N];

/* Keys spread like a keyed hash (splitmix64 of i). */
static uint64_t key_of(uint64_t i)
{
	uint64_t z = i + 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void shuffle(uint32_t *v, uint32_t n, uint64_t seed)
{
	for (uint32_t i = n - 1; i > 0; i--) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		uint32_t j = (uint32_t)((seed >> 33) % (i + 1)), tmp = v[i];
		v[i] = v[j];
		v[j] = tmp;
	}
}

/* Nodes on the chains of both arrays, checking that each is in its bucket. */
static size_t nodes_on_chains(const struct gt_table *t, bool *misplaced)
{
	size_t k = 0;
	for (size_t b = 0; b < t->cur_n; b++)
		for (const struct gt_node *n = t->cur[b]; n != NULL; n = n->next, k++)
			*misplaced |= (n->key & (t->cur_n - 1)) != b;
	for (size_t b = 0; t->old != NULL && b < t->old_n; b++)
		for (const struct gt_node *n = t->old[b]; n != NULL; n = n->next, k++)
			*misplaced |= (n->key & (t->old_n - 1)) != b || b < t->moved;
	return k;
}

static void every_node_inserted_is_found_and_the_count_is_right(void)
{
	struct gt_table t;
	gt_init(&t, 16);
	for (uint32_t i = 0; i < N; i++) {
		nodes[i].key = key_of(i);
		gt_insert(&t, &nodes[i]);
	}
	CU_ASSERT_EQUAL(t.count, N);
	for (uint32_t i = 0; i < N; i++)
		CU_ASSERT_PTR_EQUAL_FATAL(gt_find(&t, key_of(i)), &nodes[i]);
	CU_ASSERT_PTR_NULL(gt_find(&t, key_of(N)));
	bool misplaced = false;
	CU_ASSERT_EQUAL(nodes_on_chains(&t, &misplaced), N);
	CU_ASSERT_FALSE(misplaced);
	gt_free(&t);
}

static void crossing_the_load_starts_a_doubling_that_moves_nothing_yet(void)
{
	struct gt_table t;
	gt_init(&t, 64);
	for (uint32_t i = 0; i < 64; i++) {
		nodes[i].key = key_of(i);
		gt_insert(&t, &nodes[i]);
	}
	CU_ASSERT_PTR_NULL(t.old);                  /* 64 in 64 buckets: not yet */
	CU_ASSERT_EQUAL(t.cur_n, 64);
	nodes[64].key = key_of(64);
	gt_insert(&t, &nodes[64]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t.old);
	CU_ASSERT_EQUAL(t.old_n, 64);
	CU_ASSERT_EQUAL(t.cur_n, 128);
	CU_ASSERT_EQUAL(t.moved, 0);
	bool misplaced = false;
	CU_ASSERT_EQUAL(nodes_on_chains(&t, &misplaced), 65);
	CU_ASSERT_FALSE(misplaced);
	gt_free(&t);
}

static void each_operation_moves_a_few_buckets_and_the_last_frees_the_old_array(void)
{
	struct gt_table t;
	gt_init(&t, 64);
	for (uint32_t i = 0; i <= 64; i++) {
		nodes[i].key = key_of(i);
		gt_insert(&t, &nodes[i]);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(t.old);
	/* 64 old buckets, 4 a step: 16 operations, of every kind */
	for (int op = 1; op <= 16; op++) {
		switch (op % 3) {
		case 0: CU_ASSERT_PTR_NOT_NULL(gt_find(&t, key_of((uint64_t)op))); break;
		case 1: CU_ASSERT_PTR_NULL(gt_find(&t, key_of(1000 + (uint64_t)op))); break;
		case 2: CU_ASSERT_PTR_NULL(gt_remove(&t, key_of(1000 + (uint64_t)op))); break;
		}
		if (op < 16) {
			CU_ASSERT_PTR_NOT_NULL_FATAL(t.old);
			CU_ASSERT_EQUAL(t.moved, (size_t)op * GT_MOVE_PER_OP);
			bool misplaced = false;
			CU_ASSERT_EQUAL(nodes_on_chains(&t, &misplaced), 65);
			CU_ASSERT_FALSE(misplaced);
		}
	}
	CU_ASSERT_PTR_NULL(t.old);
	CU_ASSERT_EQUAL(t.cur_n, 128);
	bool misplaced = false;
	CU_ASSERT_EQUAL(nodes_on_chains(&t, &misplaced), 65);
	CU_ASSERT_FALSE(misplaced);
	gt_free(&t);
}

static void find_and_remove_work_on_both_arrays_during_a_doubling(void)
{
	struct gt_table t;
	gt_init(&t, 1024);
	for (uint32_t i = 0; i <= 1024; i++) {
		nodes[i].key = key_of(i);
		gt_insert(&t, &nodes[i]);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(t.old);
	/* 256 operations to finish: these 240 run while both arrays hold nodes */
	for (uint32_t i = 0; i < 80; i++) {
		uint32_t gone = i * 10, kept = i * 10 + 5;
		CU_ASSERT_PTR_EQUAL(gt_remove(&t, key_of(gone)), &nodes[gone]);
		CU_ASSERT_PTR_NULL(gt_find(&t, key_of(gone)));
		CU_ASSERT_PTR_EQUAL(gt_find(&t, key_of(kept)), &nodes[kept]);
	}
	CU_ASSERT_PTR_NOT_NULL(t.old);
	CU_ASSERT_EQUAL(t.count, 1025 - 80);
	bool misplaced = false;
	CU_ASSERT_EQUAL(nodes_on_chains(&t, &misplaced), 1025 - 80);
	CU_ASSERT_FALSE(misplaced);
	gt_free(&t);
}

static void inserts_and_removes_in_random_order_keep_every_lookup_right(void)
{
	static uint32_t order[N];
	static bool in[N];
	memset(in, 0, sizeof in);
	for (uint32_t i = 0; i < N; i++) {
		order[i] = i;
		nodes[i].key = key_of(i);
	}
	shuffle(order, N, 3);
	struct gt_table t;
	gt_init(&t, 8);
	size_t doublings = 0;
	for (uint32_t k = 0; k < N; k++) {
		bool was = t.old != NULL;
		gt_insert(&t, &nodes[order[k]]);
		in[order[k]] = true;
		doublings += !was && t.old != NULL;
		if (k % 3 == 2) {                       /* every third step, remove one made before */
			uint32_t e = order[k / 2];
			if (in[e]) {
				CU_ASSERT_PTR_EQUAL_FATAL(gt_remove(&t, key_of(e)), &nodes[e]);
				in[e] = false;
			}
		}
		if (k % 997 == 0)
			for (uint32_t i = 0; i < N; i++)
				CU_ASSERT_PTR_EQUAL_FATAL(gt_find(&t, key_of(i)), in[i] ? &nodes[i] : NULL);
	}
	CU_ASSERT_TRUE(doublings >= 10);
	size_t left = 0;
	for (uint32_t i = 0; i < N; i++)
		left += in[i];
	CU_ASSERT_EQUAL(t.count, left);
	/* empty it: it does not shrink */
	size_t size = t.cur_n;
	for (uint32_t i = 0; i < N; i++)
		if (in[i])
			CU_ASSERT_PTR_EQUAL(gt_remove(&t, key_of(i)), &nodes[i]);
	CU_ASSERT_EQUAL(t.count, 0);
	CU_ASSERT_TRUE(t.cur_n >= size);
	gt_free(&t);
}

static const struct suite_test tests[] = {
	TEST(every_node_inserted_is_found_and_the_count_is_right),
	TEST(crossing_the_load_starts_a_doubling_that_moves_nothing_yet),
	TEST(each_operation_moves_a_few_buckets_and_the_last_frees_the_old_array),
	TEST(find_and_remove_work_on_both_arrays_during_a_doubling),
	TEST(inserts_and_removes_in_random_order_keep_every_lookup_right),
};

int main(void)
{
	return run_suite("exercise 13.3 a growing table", tests, sizeof tests / sizeof tests[0]);
}
