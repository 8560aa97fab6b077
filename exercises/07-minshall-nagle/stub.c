/* Exercise 7.2: your Nagle decision goes here (see README.md). */
#include "nagle.h"

bool nagle_send(const struct nagle_in *in, enum nagle_rule rule)
{
	(void)in;
	(void)rule;
	return true;
}
