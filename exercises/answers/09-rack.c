/* Exercise 9.2: reference RACK loss detection (RFC 8985 section 6.2). */
#include <string.h>
#include "rack.h"

void rack_init(struct rack *r)
{
	memset(r, 0, sizeof *r);
	r->min_rtt = UINT64_MAX;
}

void rack_sent(struct rack *r, uint32_t seq, uint32_t len, uint64_t now)
{
	for (int i = 0; i < r->nseg; i++)
		if (r->seg[i].start == seq) {           /* a retransmission */
			r->seg[i].xmit_time = now;
			r->seg[i].retransmitted = true;
			r->seg[i].lost = false;
			return;
		}
	if (r->nseg == RACK_MAX_SEGS || len == 0)
		return;
	r->seg[r->nseg++] = (struct rack_seg){ .start = seq, .end = seq + len, .xmit_time = now };
}

/* RACK_sent_after: was (t1, seq1) sent after (t2, seq2)?  Segments sent
 * in the same instant are ordered by their sequence numbers. */
static bool sent_after(uint64_t t1, uint32_t seq1, uint64_t t2, uint32_t seq2)
{
	return t1 > t2 || (t1 == t2 && rack_seq_lt(seq2, seq1));
}

/* A segment has been delivered (ACKed or SACKed) at `now`: is it the
 * latest sent, so far, of those whose RTT sample can be trusted? */
static void delivered(const struct rack *r, const struct rack_seg *s, uint64_t now,
		      struct rack_seg *best, bool *found)
{
	uint64_t rtt = now - s->xmit_time;
	if (s->retransmitted && r->min_rtt != UINT64_MAX && rtt < r->min_rtt)
		return;                 /* too soon: the ACK is for the original */
	if (!*found || sent_after(s->xmit_time, s->end, best->xmit_time, best->end)) {
		*best = *s;
		*found = true;
	}
}

static int detect(struct rack *r, uint64_t now, uint64_t *timer)
{
	*timer = 0;
	if (!r->valid)
		return 0;
	uint64_t reo_wnd = r->min_rtt / 4;
	int lost = 0;
	for (int i = 0; i < r->nseg; i++) {
		struct rack_seg *s = &r->seg[i];
		if (s->sacked || s->lost || !sent_after(r->xmit_time, r->end_seq, s->xmit_time, s->end))
			continue;
		uint64_t deadline = s->xmit_time + r->rtt + reo_wnd;
		if (deadline <= now) {
			s->lost = true;
			lost++;
		} else if (deadline > *timer) {
			*timer = deadline;
		}
	}
	return lost;
}

int rack_ack(struct rack *r, uint32_t ack, const struct rack_block *sack, int nsack,
	     uint64_t now, uint64_t *timer)
{
	struct rack_seg best;
	bool found = false;
	int k = 0;
	for (int i = 0; i < r->nseg; i++) {
		struct rack_seg s = r->seg[i];
		if (!rack_seq_lt(ack, s.end)) {         /* cumulatively acknowledged */
			if (!s.sacked)
				delivered(r, &s, now, &best, &found);
			continue;
		}
		for (int b = 0; b < nsack && !s.sacked; b++)
			if (!rack_seq_lt(s.start, sack[b].start) && !rack_seq_lt(sack[b].end, s.end)) {
				s.sacked = true;
				s.lost = false;
				delivered(r, &s, now, &best, &found);
			}
		r->seg[k++] = s;
	}
	r->nseg = k;
	if (found) {
		r->rtt = now - best.xmit_time;
		if (r->rtt < r->min_rtt)
			r->min_rtt = r->rtt;
		if (!r->valid || sent_after(best.xmit_time, best.end, r->xmit_time, r->end_seq)) {
			r->xmit_time = best.xmit_time;
			r->end_seq = best.end;
		}
		r->valid = true;
	}
	return detect(r, now, timer);
}

int rack_timer(struct rack *r, uint64_t now, uint64_t *timer)
{
	return detect(r, now, timer);
}
