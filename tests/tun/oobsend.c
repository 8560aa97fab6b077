/* oobsend DST PORT CHUNKS FILE: connects to DST:PORT and sends CHUNKS
 * pieces of 3,000 pseudo-random bytes; after every third piece it sends
 * one more byte with send(MSG_OOB) and pauses 150 ms.  Every byte it sent,
 * urgent ones included, in order, goes to FILE; the stream offset of each
 * urgent byte is printed on a line "oob OFFSET".  Then it shuts down its
 * sending side and reads until the other end closes.  Used only inside
 * the test's own network namespace (tests/tun/t11-urgent-keepalive.sh). */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int send_all(int fd, const unsigned char *p, size_t n, int flags)
{
	while (n > 0) {
		ssize_t k = send(fd, p, n, flags);
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: oobsend DST PORT CHUNKS FILE\n");
		return 2;
	}
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
	int chunks = atoi(argv[3]);
	FILE *out = fopen(argv[4], "wb");
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (out == NULL || fd < 0 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&to, sizeof to) < 0) {
		perror("oobsend");
		return 1;
	}
	uint32_t x = 12345;
	unsigned long long off = 0;
	unsigned char buf[3000];
	for (int i = 1; i <= chunks; i++) {
		for (size_t j = 0; j < sizeof buf; j++) {
			x = x * 1103515245u + 12345u;
			buf[j] = (unsigned char)(x >> 16);
		}
		if (send_all(fd, buf, sizeof buf, 0) < 0)
			goto failed;
		fwrite(buf, 1, sizeof buf, out);
		off += sizeof buf;
		if (i % 3 == 0) {
			unsigned char u = (unsigned char)('A' + i / 3);
			if (send_all(fd, &u, 1, MSG_OOB) < 0)
				goto failed;
			fwrite(&u, 1, 1, out);
			printf("oob %llu\n", off);
			off++;
			usleep(150000);
		}
	}
	fclose(out);
	shutdown(fd, SHUT_WR);
	while (read(fd, buf, sizeof buf) > 0)
		;
	close(fd);
	return 0;
failed:
	perror("oobsend: send");
	return 1;
}
