/* Exercise 13.1: your prediction goes here (see README.md). */
#include "predict.h"

enum hp_case predict_header(const struct hp_snapshot *s)
{
	(void)s;
	return HP_SLOW;             /* never predicted: always correct, never fast */
}
