/* Helpers for the suites from chapter 4 on: an application that records
 * its events, and a scripted peer for a connection the stack opened. */
#include "testutil.h"
#include "tcp_var.h"

uint64_t test_transition_log[256];

void app_event(struct tcb *t, enum tcp_event ev, void *arg)
{
	struct app_log *a = arg;
	switch (ev) {
	case TCP_EV_CONNECTED:
		a->connected++;
		a->conn = t;
		break;
	case TCP_EV_ACCEPTABLE:
		a->acceptable++;
		break;
	case TCP_EV_ERROR:
		a->errors++;
		a->last_error = t->error;
		a->conn = NULL;
		return;
#if CHAPTER >= 5
	case TCP_EV_READABLE:
		a->readable++;
		break;
	case TCP_EV_WRITABLE:
		a->writable++;
		break;
	case TCP_EV_PEER_CLOSED:
		a->peer_closed++;
		break;
	case TCP_EV_CLOSED:
		a->closed++;
		a->conn = NULL;
		return;
#endif
	}
#if CHAPTER >= 5
	if (a->read && a->got < sizeof a->data - 1)
		a->got += tcp_recv(t, a->data + a->got, sizeof a->data - 1 - a->got);
#endif
}

void peer_open(struct peer *p, const struct config *cfg, uint16_t wnd, uint16_t mss)
{
	memset(p, 0, sizeof *p);
	testnet_init(&p->tn, cfg);
	p->piss = 9000;
	p->wnd = wnd;
	int err;
	p->t = tcp_connect(p->tn.host, ADDR(10, 0, 0, 1), 80, app_event, &p->app, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->t);
	struct captured syn;
	CU_ASSERT_TRUE_FATAL(testnet_pop_segment(&p->tn, &syn));
	p->port = syn.seg.sport;
	p->iss = syn.seg.seq;
	const uint8_t mss_opt[4] = { 2, 4, (uint8_t)(mss >> 8), (uint8_t)mss };
	testnet_send(&p->tn, SEG(.sport = 80, .dport = p->port, .seq = p->piss, .ack = p->iss + 1,
				 .flags = TH_SYN | TH_ACK, .wnd = wnd,
				 .opt = mss ? mss_opt : NULL, .optlen = mss ? 4 : 0));
	testnet_drain(&p->tn);
	CU_ASSERT_EQUAL_FATAL(p->t->state, TCP_ESTABLISHED);
}

void peer_send(struct peer *p, struct seg_tmpl s)
{
	s.sport = 80;
	s.dport = p->port;
	s.seq += p->piss;
	s.ack += p->iss;
	if (s.wnd == 0)
		s.wnd = p->wnd;
	testnet_send(&p->tn, s);
}
