/* Exercise 13.3: a hash table that doubles incrementally (see README.md). */
#ifndef GROWTABLE_H
#define GROWTABLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A node of the table, kept by the caller (as a TCB is): its key, which
 * is already a keyed hash, and the link of its chain. */
struct gt_node {
	uint64_t key;
	struct gt_node *next;
};

/* Old buckets moved to the new array at the start of each insert, find
 * and remove while a doubling is in progress. */
#define GT_MOVE_PER_OP 4

struct gt_table {
	struct gt_node **cur;       /* the buckets that new nodes go into */
	size_t cur_n;               /* how many: a power of two */
	struct gt_node **old;       /* during a doubling, the array being emptied; else NULL */
	size_t old_n;               /* its buckets (cur_n / 2) */
	size_t moved;               /* old buckets moved so far: old[0 .. moved-1] are empty */
	size_t count;               /* nodes in the table */
};

/* An empty table of `start` buckets (a power of two, at least 1). */
void gt_init(struct gt_table *t, size_t start);
/* Free the bucket arrays (the nodes are the caller's). */
void gt_free(struct gt_table *t);

/* The bucket of a key in an array of n buckets is key & (n - 1).
 *
 * Every operation (gt_insert, gt_find, gt_remove) first does a step of the
 * doubling in progress, if there is one: it moves the next GT_MOVE_PER_OP
 * buckets of the old array (fewer at the end; an empty bucket counts as
 * one) into cur, in index order, and when the last has been moved it
 * frees the old array and sets old to NULL.
 *
 * gt_insert puts n (whose key is not in the table) into cur.  Then, if no
 * doubling is in progress and count > cur_n, it starts one: cur becomes
 * old, and a new cur of twice as many buckets, all empty, is allocated;
 * nothing is moved yet.
 *
 * gt_find returns the node with that key, or NULL, looking in the old
 * array (if the key's old bucket has not been moved yet) and in cur.
 * gt_remove does the same, unlinks the node it finds and returns it.
 *
 * The table never shrinks. */
void gt_insert(struct gt_table *t, struct gt_node *n);
struct gt_node *gt_find(struct gt_table *t, uint64_t key);
struct gt_node *gt_remove(struct gt_table *t, uint64_t key);
#endif
