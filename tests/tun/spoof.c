/* spoof IFACE STACK PEER PEERPORT COUNT: a blind attacker that is not quite
 * blind.  It watches IFACE (the test's TUN device, through an AF_PACKET
 * socket) for a segment of the connection between STACK and PEER:PEERPORT
 * sent by STACK, takes the connection's numbers from it (the stack's port,
 * its SEG.SEQ, its RCV.NXT in SEG.ACK, its window), and then sends COUNT
 * forged segments to STACK with PEER's address and port, through a raw
 * socket, one every 500 microseconds, re-reading the numbers from the
 * newest segment seen before each one, in turn:
 *   RST   at RCV.NXT + 1 .. RCV.NXT + window - 1: in the window, never exact;
 *   SYN   at a random sequence number;
 *   data  100 bytes at RCV.NXT + 1 .. RCV.NXT + window - 1, with an ACK
 *         2^28 below the stack's SEG.SEQ: below SND.UNA - MAX.SND.WND.
 * It then watches one more second and prints what it sent and how many
 * empty ACKs (no data, no SYN, FIN or RST) the stack sent PEER from the
 * first forged segment on: the answers the campaign drew.  For the tests in
 * tests/tun (t12-blind.sh) only, inside the test's own network namespace;
 * the stack's RCV.NXT must not move (it sends, the peer only acknowledges),
 * so that no reset can land on it exactly. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "inet_csum.h"
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint32_t stack, peer;
static uint16_t peer_port, stack_port;
static uint32_t seq, rcv_nxt, wnd;       /* from the newest segment of the stack */
static int known;
static long answers;                     /* empty ACKs from the stack, counted when counting */
static int counting;

/* read what the packet socket holds (waiting up to WAIT seconds for the
 * first packet if WAIT > 0); take the numbers from the stack's segments */
static void drain(int ps, double wait)
{
	uint8_t b[65536];
	double until = now() + wait;
	for (;;) {
		ssize_t n = recv(ps, b, sizeof b, MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return;
			if (now() >= until)
				return;
			usleep(200);
			continue;
		}
		if (n < 40 || b[0] >> 4 != 4 || b[9] != 6)
			continue;
		size_t ihl = (size_t)(b[0] & 15) * 4, tot = get16(b + 2);
		if (tot > (size_t)n || ihl + 20 > tot)
			continue;
		const uint8_t *t = b + ihl;
		size_t doff = (size_t)(t[12] >> 4) * 4;
		if (get32(b + 12) != stack || get32(b + 16) != peer || get16(t + 2) != peer_port || !(t[13] & 0x10))
			continue;
		if (t[13] & 0x07)                /* SYN, FIN or RST: not the numbers we want */
			continue;
		stack_port = get16(t);
		seq = get32(t + 4);
		rcv_nxt = get32(t + 8);
		wnd = get16(t + 14);             /* unscaled: no larger than the real window */
		known = 1;
		if (counting && tot == ihl + doff)
			answers++;
		until = 0;                       /* got one: drain the rest without waiting */
	}
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: spoof IFACE STACK PEER PEERPORT COUNT\n");
		return 2;
	}
	struct in_addr a;
	if (inet_pton(AF_INET, argv[2], &a) != 1)
		return 2;
	stack = ntohl(a.s_addr);
	if (inet_pton(AF_INET, argv[3], &a) != 1)
		return 2;
	peer = ntohl(a.s_addr);
	peer_port = (uint16_t)atoi(argv[4]);
	long count = atol(argv[5]);
	if (count < 1 || count > 100000)
		return 2;
	int ps = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (ps < 0) {
		perror("spoof: packet socket");
		return 1;
	}
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = (int)if_nametoindex(argv[1]) };
	if (ll.sll_ifindex == 0 || bind(ps, (struct sockaddr *)&ll, sizeof ll) < 0) {
		perror("spoof: bind to the device");
		return 1;
	}
	int rs = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (rs < 0) {
		perror("spoof: raw socket");
		return 1;
	}
	drain(ps, 20);
	if (!known) {
		fprintf(stderr, "spoof: no segment of the connection seen in 20 s\n");
		return 1;
	}
	printf("spoof: learned port %u, SEG.SEQ %u, RCV.NXT %u, window %u\n", stack_port, seq, rcv_nxt, wnd);
	srandom((unsigned)time(NULL));
	long sent[3] = { 0, 0, 0 };
	counting = 1;
	for (long i = 0; i < count; i++) {
		drain(ps, 0);
		uint8_t pkt[20 + 20 + 100];
		memset(pkt, 0, sizeof pkt);
		int kind = (int)(i % 3);
		size_t len = kind == 2 ? 100 : 0;
		uint32_t w = wnd < 2 ? 2 : wnd;
		uint32_t s = rcv_nxt + 1 + (uint32_t)random() % (w - 1), ack = 0;
		uint8_t flags = 0x04;            /* RST */
		if (kind == 1) {
			s = (uint32_t)random();
			flags = 0x02;            /* SYN */
		} else if (kind == 2) {
			ack = seq - (1u << 28);
			flags = 0x18;            /* ACK, PSH */
		}
		pkt[0] = 0x45;
		put16(pkt + 2, (uint16_t)(40 + len));
		put16(pkt + 4, (uint16_t)i);
		pkt[8] = 64;
		pkt[9] = 6;
		put32(pkt + 12, peer);
		put32(pkt + 16, stack);
		put16(pkt + 10, csum(pkt, 20, 0));
		uint8_t *t = pkt + 20;
		put16(t, peer_port);
		put16(t + 2, stack_port);
		put32(t + 4, s);
		put32(t + 8, ack);
		t[12] = 5 << 4;
		t[13] = flags;
		put16(t + 14, 65535);
		for (size_t k = 0; k < len; k++)
			t[20 + k] = 'x';
		uint8_t pseudo[12 + 20 + 100];
		memcpy(pseudo, pkt + 12, 8);
		pseudo[8] = 0;
		pseudo[9] = 6;
		put16(pseudo + 10, (uint16_t)(20 + len));
		memcpy(pseudo + 12, t, 20 + len);
		put16(t + 16, csum(pseudo, 12 + 20 + len, 0));
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(stack) };
		if (sendto(rs, pkt, 40 + len, 0, (struct sockaddr *)&to, sizeof to) < 0) {
			perror("spoof: sendto");
			return 1;
		}
		sent[kind]++;
		usleep(500);
	}
	drain(ps, 1);
	double end = now() + 1;
	while (now() < end)
		drain(ps, end - now());
	printf("spoof: sent %ld RSTs, %ld SYNs, %ld data segments with an old ACK; the stack sent %ld empty ACKs meanwhile\n",
	       sent[0], sent[1], sent[2], answers);
	return 0;
}
