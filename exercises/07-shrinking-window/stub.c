/* Exercise 7.1: your shrunk-window finder goes here (see README.md). */
#include "shrink.h"

long shrink_find(const struct adv *a, size_t n, unsigned shift, uint32_t *back)
{
	(void)a;
	(void)n;
	(void)shift;
	(void)back;
	return -1;
}
