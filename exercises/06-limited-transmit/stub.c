/* Exercise 6.1: your limited transmit goes here (see README.md). */
#include "limited.h"

size_t lt_on_dupack(struct lt_sender *s)
{
	(void)s;
	return 0;
}
