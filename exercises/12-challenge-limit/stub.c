/* Exercise 12.1: your limits go here (see README.md). */
#include "challenge.h"

unsigned answer_budget(const struct sipkey *key, unsigned limit, uint64_t second)
{
	(void)key;
	(void)second;
	return limit;
}

bool answer_allowed(struct answer_host *h, struct answer_conn *c, enum answer_kind kind,
                    size_t len, uint64_t now)
{
	(void)h;
	(void)c;
	(void)kind;
	(void)len;
	(void)now;
	return true;
}
