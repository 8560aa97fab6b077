/* Exercise 9.1: reference D-SACK undo (RFC 2883 section 4, RFC 3708). */
#include <string.h>
#include "undo.h"

void undo_start(struct undo *u, uint32_t cwnd, uint32_t ssthresh)
{
	u->active = true;
	u->prior_cwnd = cwnd;
	u->prior_ssthresh = ssthresh;
	u->retransmitted = false;
	u->nleft = 0;
}

static bool le(uint32_t a, uint32_t b)
{
	return !undo_seq_lt(b, a);
}

void undo_retransmitted(struct undo *u, uint32_t seq, uint32_t len)
{
	if (!u->active || len == 0)
		return;
	uint32_t s = seq, e = seq + len;
	int i = 0;
	while (i < u->nleft && undo_seq_lt(u->left[i].end, s))
		i++;                                    /* wholly before, not touching */
	int j = i;
	while (j < u->nleft && le(u->left[j].start, e)) {
		if (undo_seq_lt(s, u->left[j].end) && undo_seq_lt(u->left[j].start, e)) {
			u->active = false;              /* the same bytes a second time */
			return;
		}
		if (undo_seq_lt(u->left[j].start, s))   /* touching: merge */
			s = u->left[j].start;
		if (undo_seq_lt(e, u->left[j].end))
			e = u->left[j].end;
		j++;
	}
	if (j == i && u->nleft == UNDO_MAX_RANGES) {
		u->active = false;                      /* too many to keep track of */
		return;
	}
	memmove(&u->left[i + 1], &u->left[j], sizeof u->left[0] * (size_t)(u->nleft - j));
	u->left[i].start = s;
	u->left[i].end = e;
	u->nleft += 1 - (j - i);
	u->retransmitted = true;
}

bool undo_dsack(struct undo *u, uint32_t start, uint32_t end, uint32_t *cwnd, uint32_t *ssthresh)
{
	if (!u->active || !undo_seq_lt(start, end))
		return false;
	struct undo_range out[2 * UNDO_MAX_RANGES];
	int n = 0;
	bool reported = false;
	for (int i = 0; i < u->nleft; i++) {
		struct undo_range r = u->left[i];
		if (le(r.end, start) || le(end, r.start)) {
			out[n++] = r;                   /* untouched */
			continue;
		}
		reported = true;
		if (undo_seq_lt(r.start, start))
			out[n++] = (struct undo_range){ r.start, start };
		if (undo_seq_lt(end, r.end))
			out[n++] = (struct undo_range){ end, r.end };
	}
	if (!reported)
		return false;                           /* not our bytes: a network duplicate */
	if (n > UNDO_MAX_RANGES) {
		u->active = false;
		return false;
	}
	memcpy(u->left, out, sizeof out[0] * (size_t)n);
	u->nleft = n;
	if (!u->retransmitted || n > 0)
		return false;
	if (*cwnd < u->prior_cwnd)
		*cwnd = u->prior_cwnd;
	if (*ssthresh < u->prior_ssthresh)
		*ssthresh = u->prior_ssthresh;
	u->active = false;
	return true;
}
