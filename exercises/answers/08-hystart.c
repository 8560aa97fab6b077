/* Exercise 8.1: reference HyStart++ (RFC 9406 section 4.2). */
#include "hystart.h"

void hystart_init(struct hystart *h)
{
	h->phase = HS_SLOW_START;
	h->last_round_min_rtt = HS_NONE;
	h->current_round_min_rtt = HS_NONE;
	h->rtt_sample_count = 0;
	h->css_baseline_min_rtt = HS_NONE;
	h->css_rounds = 0;
}

void hystart_round_start(struct hystart *h)
{
	if (h->phase == HS_AVOIDANCE)
		return;
	h->last_round_min_rtt = h->current_round_min_rtt;
	h->current_round_min_rtt = HS_NONE;
	h->rtt_sample_count = 0;
	if (h->phase == HS_CSS && ++h->css_rounds >= HS_CSS_ROUNDS)
		h->phase = HS_AVOIDANCE;            /* the caller: ssthresh = cwnd */
}

static uint64_t rtt_thresh(uint64_t last)
{
	uint64_t t = last / HS_MIN_RTT_DIVISOR;
	if (t > HS_MAX_RTT_THRESH)
		t = HS_MAX_RTT_THRESH;
	return t < HS_MIN_RTT_THRESH ? HS_MIN_RTT_THRESH : t;
}

uint32_t hystart_on_ack(struct hystart *h, uint32_t acked, uint32_t smss, uint64_t rtt)
{
	if (h->phase == HS_AVOIDANCE)
		return 0;
	uint64_t limit = (uint64_t)HS_L * smss;
	uint32_t grow = acked < limit ? acked : (uint32_t)limit;
	if (h->phase == HS_CSS)
		grow /= HS_CSS_GROWTH_DIVISOR;
	if (rtt != 0) {
		if (rtt < h->current_round_min_rtt)
			h->current_round_min_rtt = rtt;
		h->rtt_sample_count++;
	}
	if (h->rtt_sample_count < HS_N_RTT_SAMPLE)
		return grow;
	if (h->phase == HS_SLOW_START) {
		if (h->current_round_min_rtt != HS_NONE && h->last_round_min_rtt != HS_NONE &&
		    h->current_round_min_rtt >= h->last_round_min_rtt + rtt_thresh(h->last_round_min_rtt)) {
			h->css_baseline_min_rtt = h->current_round_min_rtt;
			h->phase = HS_CSS;
			h->css_rounds = 0;
		}
	} else if (h->current_round_min_rtt < h->css_baseline_min_rtt) {
		h->css_baseline_min_rtt = HS_NONE;  /* the exit was spurious */
		h->phase = HS_SLOW_START;
		h->css_rounds = 0;
	}
	return grow;
}

void hystart_on_loss(struct hystart *h)
{
	h->phase = HS_AVOIDANCE;
}
