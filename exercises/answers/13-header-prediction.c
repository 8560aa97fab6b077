/* Exercise 13.1: reference header prediction (Van Jacobson, 1990; the
 * conditions of chapter 13's hp_predict). */
#include "predict.h"

#define SEQ_LT(a, b)  ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)

enum hp_case predict_header(const struct hp_snapshot *s)
{
	if (!s->established || (s->flags & ~HP_PSH) != HP_ACK || s->seq != s->rcv_nxt)
		return HP_SLOW;
	if (s->wnd != s->snd_wnd || s->other_options || s->ts_present != s->ts_agreed || s->ce)
		return HP_SLOW;
	if (s->recovering || s->reassembling || s->persisting || s->unusual)
		return HP_SLOW;
	if (s->len == 0)
		return SEQ_LT(s->snd_una, s->ack) && SEQ_LEQ(s->ack, s->snd_nxt) ? HP_PURE_ACK : HP_SLOW;
	return s->ack == s->snd_una && s->len <= s->rcv_space ? HP_PURE_DATA : HP_SLOW;
}
