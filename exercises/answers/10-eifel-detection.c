/* Exercise 10.2: reference Eifel detection (RFC 3522). */
#include "eifel.h"

size_t eifel_detect(const struct eifel_event *ev, size_t n, enum eifel_verdict *verdict)
{
	bool armed = false;         /* an episode's first retransmission is watched */
	bool rtx_ts = false;        /* it carried the option */
	uint32_t rtx_seq = 0, rtx_tsval = 0;
	size_t spurious = 0;
	for (size_t i = 0; i < n; i++) {
		verdict[i] = EIFEL_NONE;
		const struct eifel_event *e = &ev[i];
		if (e->kind == EV_RESEND && !armed) {
			armed = true;                /* later ones of the episode change nothing */
			rtx_seq = e->seq;
			rtx_ts = e->ts;
			rtx_tsval = e->ts_val;
		} else if (e->kind == EV_ACK && armed && (int32_t)(e->seq - rtx_seq) > 0) {
			armed = false;
			/* the echo is older than the retransmission: the ACK was
			 * triggered by the original, which was not lost */
			if (rtx_ts && e->ts && (int32_t)(e->ts_val - rtx_tsval) < 0) {
				verdict[i] = EIFEL_SPURIOUS;
				spurious++;
			} else {
				verdict[i] = EIFEL_GENUINE;
			}
		}
	}
	return spurious;
}
