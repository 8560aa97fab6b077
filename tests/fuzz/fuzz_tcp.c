/* libFuzzer harness: a TCP conversation.  The input is a program for a
 * scripted peer (10.0.0.1) and for the applications on the host under
 * test (10.0.0.2, listening on port 80): segments built from fields the
 * input chooses, with sequence and acknowledgment numbers taken relative
 * to what the host last sent (so that most of them fall inside its
 * windows and reach the deep states), raw packets, advances of the
 * clock, and application calls: connect, accept, write, read, shutdown,
 * close, abort.  After each step every TCB is checked against the
 * invariants below; at the end the clock runs for ten minutes, the host
 * is destroyed, and every packet buffer must have been freed.
 *
 * Each step is one opcode byte and its arguments; a step whose arguments
 * run past the end of the input is not taken. */
#include "host.h"
#include "checksum.h"
#include "tcp_var.h"
#include <stdlib.h>
#include <string.h>

#define PEER  0x0a000001u
#define HOST  0x0a000002u
#define SLOTS 4

struct fuzz {
	struct loop loop;
	struct host *h;
	struct tcb *slot[SLOTS];            /* the applications' connections */
	struct tcb *listener;
	/* what the host last sent: the peer aims its numbers from these */
	uint32_t host_seq, host_ack;
	uint16_t host_port, peer_port;
	size_t sent;
};

static struct fuzz *the_fuzz;           /* for the device's send upcall */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The device: every packet the host sends is looked at, then freed. */
static void peer_hears(struct netdev *dev, struct pkb *p)
{
	(void)dev;
	struct fuzz *f = the_fuzz;
	if (p->len >= IP_HDR_MIN + TCP_HDR_MIN && ip_get(p->data, IP_PROTOCOL) == IPPROTO_TCP_) {
		const uint8_t *t = p->data + ip_get(p->data, IP_IHL) * 4;
		f->host_port = (uint16_t)(t[0] << 8 | t[1]);
		f->peer_port = (uint16_t)(t[2] << 8 | t[3]);
		size_t hl = (size_t)(t[12] >> 4) * 4, il = ip_get(p->data, IP_IHL) * 4;
		size_t data = p->len > il + hl ? p->len - il - hl : 0;
		f->host_seq = get32(t + 4) + (uint32_t)data + ((t[13] & (TH_SYN | TH_FIN)) ? 1 : 0);
		f->host_ack = get32(t + 8);
	}
	f->sent++;
	pkb_free(p);
}

static void peer_destroy(struct netdev *dev)
{
	free(dev);
}

static const struct netdev_ops peer_ops = { peer_hears, peer_destroy };

/* The applications: a connection that ends is forgotten. */
static void app_event(struct tcb *t, enum tcp_event ev, void *arg)
{
	struct fuzz *f = arg;
	if (ev == TCP_EV_ERROR || ev == TCP_EV_CLOSED)
		for (int i = 0; i < SLOTS; i++)
			if (f->slot[i] == t)
				f->slot[i] = NULL;
}

static int free_slot(struct fuzz *f)
{
	for (int i = 0; i < SLOTS; i++)
		if (f->slot[i] == NULL)
			return i;
	return -1;
}

/* Invariants every TCB keeps between steps. */
static void check_tcb(const struct tcb *t)
{
	if (t->state == TCP_LISTEN || t->state == TCP_CLOSED)
		return;
	if (SEQ_GT(t->snd_una, t->snd_nxt))
		abort();          /* acknowledged beyond what was sent */
	if (t->state != TCP_SYN_SENT && t->state != TCP_SYN_RECEIVED &&
	    (size_t)(t->snd_nxt - t->snd_una) > t->sndq.len + 2)
		abort();          /* in flight, but no longer in the send buffer (SYN and FIN take one each) */
	if (t->rcvq.len > t->rcvq.cap)
		abort();          /* more held than the buffer has room for */
}

static void check_all(const struct fuzz *f)
{
	for (size_t b = 0; b < TCP_HASH_BUCKETS; b++)
		for (const struct tcb *t = f->h->tcp->bucket[b]; t != NULL; t = t->hnext)
			check_tcb(t);
}

/* A segment from the peer: FLAGS, then the sequence and acknowledgment
 * numbers as signed offsets from what the host expects and has sent,
 * the window, options and data. */
static void send_segment(struct fuzz *f, const uint8_t *a, const uint8_t *opt, size_t optlen,
			 size_t datalen, bool to_listener)
{
	static uint8_t buf[IP_HDR_MIN + 60 + 1500];
	static const uint8_t zeros[1500];
	uint8_t flags = a[0];
	int16_t dseq = (int16_t)(a[1] << 8 | a[2]), dack = (int16_t)(a[3] << 8 | a[4]);
	uint16_t wnd = (uint16_t)(a[5] << 8 | a[6]);
	optlen &= ~(size_t)3;
	uint8_t *ip = buf, *t = buf + IP_HDR_MIN;
	size_t tl = TCP_HDR_MIN + optlen + datalen;
	memset(buf, 0, IP_HDR_MIN + TCP_HDR_MIN);
	ip_set(ip, IP_VERSION, 4);
	ip_set(ip, IP_IHL, 5);
	ip_set(ip, IP_TOTAL_LENGTH, (uint32_t)(IP_HDR_MIN + tl));
	ip_set(ip, IP_TTL, 64);
	ip_set(ip, IP_PROTOCOL, IPPROTO_TCP_);
	ip_set(ip, IP_SRC, PEER);
	ip_set(ip, IP_DST, HOST);
	uint16_t sport = to_listener ? (uint16_t)(1024 + a[7]) : f->peer_port;
	uint16_t dport = to_listener ? 80 : f->host_port;
	tcp_set(t, TCP_SPORT, sport);
	tcp_set(t, TCP_DPORT, dport);
	tcp_set(t, TCP_SEQ, f->host_ack + (uint32_t)(int32_t)dseq);
	tcp_set(t, TCP_ACK, f->host_seq + (uint32_t)(int32_t)dack);
	tcp_set(t, TCP_DOFF, (uint32_t)(TCP_HDR_MIN + optlen) / 4);
	tcp_set_flags(t, flags);
	tcp_set(t, TCP_WINDOW, wnd);
	memcpy(t + TCP_HDR_MIN, opt, optlen);
	memcpy(t + TCP_HDR_MIN + optlen, zeros, datalen);
	tcp_set(t, TCP_CHECKSUM, tcp_checksum(PEER, HOST, t, tl));
	ip_set(ip, IP_CHECKSUM, inet_checksum(ip, IP_HDR_MIN));
	struct pkb *p = pkb_from(buf, IP_HDR_MIN + tl);
	if (p != NULL)
		netdev_deliver(f->h->dev, p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t live = pkb_live();
	struct fuzz *f = xcalloc(1, sizeof *f);
	the_fuzz = f;
	loop_init(&f->loop, CLOCK_VIRTUAL);
	struct netdev *dev = xcalloc(1, sizeof *dev);
	netdev_init(dev, &peer_ops, &f->loop, "fuzz0", 1500);
	struct config cfg;
	config_default(&cfg);
	cfg.addr = HOST;
	f->h = host_create(&f->loop, dev, &cfg);
	int err;
	f->listener = tcp_listen(f->h, 80, 4, NULL, NULL, &err);
	static uint8_t buf[65536];
	size_t i = 0;
	while (i < size) {
		uint8_t op = data[i++];
		const uint8_t *a = data + i;
		size_t left = size - i;
		int s = op >> 4 & (SLOTS - 1);
		struct tcb *t = f->slot[s];
		switch (op & 0x0f) {
		case 0: case 1: case 2: case 3: {            /* a segment from the peer */
			if (left < 10)
				goto done;
			size_t optlen = MIN((size_t)(a[8] % 44), left - 10);
			size_t datalen = MIN((size_t)a[9] * 8, (size_t)1400);
			send_segment(f, a, a + 10, optlen, datalen, (op & 0x0f) == 3);
			i += 10 + optlen;
			break;
		}
		case 4:                                     /* time passes */
			if (left < 2)
				goto done;
			loop_run_for(&f->loop, (usec_t)(a[0] << 8 | a[1]) * (a[0] & 0x80 ? MSEC(100) : MSEC(1)));
			i += 2;
			break;
		case 5: {                                   /* the host connects to the peer */
			int k = free_slot(f);
			if (left < 1)
				goto done;
			if (k >= 0)
				f->slot[k] = tcp_connect(f->h, PEER, (uint16_t)(5000 + a[0]), app_event, f, &err);
			i += 1;
			break;
		}
		case 6: {                                   /* accept */
			int k = free_slot(f);
			struct tcb *c;
			if (k >= 0 && (c = tcp_accept(f->listener)) != NULL) {
				tcp_set_handler(c, app_event, f);
				f->slot[k] = c;
			}
			break;
		}
		case 7:                                     /* write */
			if (left < 2)
				goto done;
			if (t != NULL)
				tcp_send(t, buf, (size_t)(a[0] << 8 | a[1]));
			i += 2;
			break;
		case 8:                                     /* read */
			if (left < 2)
				goto done;
			if (t != NULL)
				tcp_recv(t, buf, (size_t)(a[0] << 8 | a[1]) + 1);
			i += 2;
			break;
		case 9:
			if (t != NULL)
				tcp_shutdown(t);
			break;
		case 10: case 11:                           /* close (or abort) and forget */
			if (t != NULL) {
				f->slot[s] = NULL;
				tcp_set_handler(t, NULL, NULL);
				if ((op & 0x0f) == 10)
					tcp_close(t);
				else
					tcp_abort(t);
			}
			break;
		case 12: {                                  /* a raw packet, checksums fixed */
			if (left < 1)
				goto done;
			size_t n = MIN((size_t)a[0] + 20, left - 1);
			memcpy(buf, a + 1, n);
			if (n >= IP_HDR_MIN) {
				ip_set(buf, IP_SRC, PEER);
				ip_set(buf, IP_DST, HOST);
				ip_set(buf, IP_CHECKSUM, 0);
				ip_set(buf, IP_CHECKSUM, inet_checksum(buf, MIN(n, (size_t)ip_get(buf, IP_IHL) * 4)));
			}
			struct pkb *p = pkb_from(buf, n);
			if (p != NULL)
				netdev_deliver(f->h->dev, p);
			i += 1 + n;
			break;
		}
		default:                                    /* a millisecond */
			loop_run_for(&f->loop, MSEC(1));
			break;
		}
		check_all(f);
	}
done:
	loop_run_for(&f->loop, SEC(600));
	check_all(f);
	host_destroy(f->h);
	loop_free(&f->loop);
	free(f);
	if (pkb_live() != live)
		abort();          /* a packet buffer leaked */
	return 0;
}
