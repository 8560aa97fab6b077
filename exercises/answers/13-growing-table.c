/* Exercise 13.3: the reference answer. */
#include <stdlib.h>
#include "growtable.h"

void gt_init(struct gt_table *t, size_t start)
{
	t->cur = calloc(start, sizeof *t->cur);
	t->cur_n = start;
	t->old = NULL;
	t->old_n = 0;
	t->moved = 0;
	t->count = 0;
}

void gt_free(struct gt_table *t)
{
	free(t->cur);
	free(t->old);
}

static void step(struct gt_table *t)
{
	if (t->old == NULL)
		return;
	for (int k = 0; k < GT_MOVE_PER_OP && t->moved < t->old_n; k++, t->moved++)
		while (t->old[t->moved] != NULL) {
			struct gt_node *n = t->old[t->moved];
			t->old[t->moved] = n->next;
			struct gt_node **b = &t->cur[n->key & (t->cur_n - 1)];
			n->next = *b;
			*b = n;
		}
	if (t->moved == t->old_n) {
		free(t->old);
		t->old = NULL;
		t->old_n = 0;
		t->moved = 0;
	}
}

/* The link that points at the node with this key, or NULL. */
static struct gt_node **slot(struct gt_table *t, uint64_t key)
{
	if (t->old != NULL && (key & (t->old_n - 1)) >= t->moved)
		for (struct gt_node **p = &t->old[key & (t->old_n - 1)]; *p != NULL; p = &(*p)->next)
			if ((*p)->key == key)
				return p;
	for (struct gt_node **p = &t->cur[key & (t->cur_n - 1)]; *p != NULL; p = &(*p)->next)
		if ((*p)->key == key)
			return p;
	return NULL;
}

void gt_insert(struct gt_table *t, struct gt_node *n)
{
	step(t);
	struct gt_node **b = &t->cur[n->key & (t->cur_n - 1)];
	n->next = *b;
	*b = n;
	t->count++;
	if (t->old == NULL && t->count > t->cur_n) {
		t->old = t->cur;
		t->old_n = t->cur_n;
		t->moved = 0;
		t->cur_n *= 2;
		t->cur = calloc(t->cur_n, sizeof *t->cur);
	}
}

struct gt_node *gt_find(struct gt_table *t, uint64_t key)
{
	step(t);
	struct gt_node **p = slot(t, key);
	return p != NULL ? *p : NULL;
}

struct gt_node *gt_remove(struct gt_table *t, uint64_t key)
{
	step(t);
	struct gt_node **p = slot(t, key);
	if (p == NULL)
		return NULL;
	struct gt_node *n = *p;
	*p = n->next;
	n->next = NULL;
	t->count--;
	return n;
}
