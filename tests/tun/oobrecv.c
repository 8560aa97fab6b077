/* oobrecv PORT FILE: listens on PORT (every address), accepts one
 * connection and reads it to the end with SO_OOBINLINE, so that urgent
 * bytes stay in the stream; before every read it asks SIOCATMARK whether
 * the next byte is the urgent one, and prints "mark OFFSET" when it is
 * (Linux stops a read at the mark, so each mark is met).  What it read
 * goes to FILE.  Used only inside the test's own network namespace
 * (tests/tun/t11-urgent-keepalive.sh). */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: oobrecv PORT FILE\n");
		return 2;
	}
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])) };
	int one = 1;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	FILE *out = fopen(argv[2], "wb");
	if (out == NULL || l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(l, (struct sockaddr *)&me, sizeof me) < 0 || listen(l, 1) < 0) {
		perror("oobrecv");
		return 1;
	}
	int fd = accept(l, NULL, NULL);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one) < 0) {
		perror("oobrecv: accept");
		return 1;
	}
	unsigned long long off = 0, last = ~0ull;
	unsigned char buf[4096];
	for (;;) {
		int at = 0;
		if (ioctl(fd, SIOCATMARK, &at) < 0) {
			perror("oobrecv: SIOCATMARK");
			return 1;
		}
		if (at && off != last) {
			printf("mark %llu\n", off);
			last = off;
		}
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0) {
			perror("oobrecv: recv");
			return 1;
		}
		if (n == 0)
			break;
		fwrite(buf, 1, (size_t)n, out);
		off += (unsigned long long)n;
	}
	fclose(out);
	close(fd);
	close(l);
	return 0;
}
