/* Exercise 10.2: your Eifel detection goes here (see README.md). */
#include "eifel.h"

size_t eifel_detect(const struct eifel_event *ev, size_t n, enum eifel_verdict *verdict)
{
	(void)ev;
	for (size_t i = 0; i < n; i++)
		verdict[i] = EIFEL_NONE;
	return 0;
}
