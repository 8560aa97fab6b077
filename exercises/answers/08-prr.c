/* Exercise 8.2: reference Proportional Rate Reduction (RFC 6937 section 3.1). */
#include "prr.h"

void prr_start(struct prr *p, uint32_t ssthresh, uint32_t snd_una, uint32_t snd_nxt,
	       uint32_t mss, enum prr_bound bound)
{
	p->ssthresh = ssthresh;
	p->recover_fs = snd_nxt - snd_una;          /* modulo 2^32 */
	p->prr_delivered = 0;
	p->prr_out = 0;
	p->mss = mss;
	p->bound = bound;
}

uint32_t prr_on_ack(struct prr *p, uint32_t delivered, uint32_t pipe)
{
	int64_t sndcnt;
	p->prr_delivered += delivered;
	if (pipe > p->ssthresh) {
		/* proportional: ssthresh / RecoverFS of what was delivered, rounded up */
		uint64_t num = (uint64_t)p->prr_delivered * p->ssthresh;
		uint64_t allowed = p->recover_fs ? (num + p->recover_fs - 1) / p->recover_fs : 0;
		sndcnt = (int64_t)allowed - p->prr_out;
	} else {
		int64_t limit = (int64_t)p->prr_delivered - p->prr_out;
		if (p->bound == PRR_SSRB)
			limit = (limit > (int64_t)delivered ? limit : (int64_t)delivered) + p->mss;
		int64_t room = (int64_t)p->ssthresh - pipe;
		sndcnt = room < limit ? room : limit;
	}
	return sndcnt > 0 ? (uint32_t)sndcnt : 0;
}

void prr_sent(struct prr *p, uint32_t bytes)
{
	p->prr_out += bytes;
}
