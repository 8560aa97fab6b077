/* Exercise 11.1: your keepalive schedule goes here (see README.md). */
#include "keepalive.h"

enum ka_action ka_fire(const struct keepalive *k, struct ka_conn *c, bool busy, uint64_t now,
		       uint64_t *next)
{
	(void)c;
	(void)busy;
	*next = now + k->idle;
	return KA_WAIT;
}

void ka_heard(struct ka_conn *c, uint64_t now)
{
	(void)c;
	(void)now;
}
