/* tools/tunpump: the speed of a bare TUN device, as a ceiling for the
 * stack's figures in `make bench`.
 *   tunpump read NAME SECONDS   count the bytes the kernel hands over
 *   tunpump write NAME SECONDS  write 1400-byte UDP datagrams to 10.0.0.1
 * as fast as possible for SECONDS, then print bytes per second.  Run only
 * inside the namespace that make bench creates. */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

int main(int argc, char **argv)
{
	if (argc != 4 || (strcmp(argv[1], "read") != 0 && strcmp(argv[1], "write") != 0)) {
		fprintf(stderr, "usage: tunpump read|write NAME SECONDS\n");
		return 2;
	}
	int fd = open("/dev/net/tun", O_RDWR);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", argv[2]);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("tunpump: /dev/net/tun");
		return 1;
	}
	double secs = atof(argv[3]);
	printf("ready\n");
	fflush(stdout);
	uint8_t pkt[2048];
	unsigned long long bytes = 0;
	double t0 = 0, end = 0;
	if (argv[1][0] == 'r') {
		for (;;) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			if (poll(&p, 1, t0 == 0 ? 20000 : 100) <= 0 && (t0 == 0 || now() > end))
				break;
			ssize_t n = read(fd, pkt, sizeof pkt);
			if (n <= 0 || pkt[0] >> 4 != 4)
				continue;
			if (t0 == 0) {
				t0 = now();
				end = t0 + secs;
			}
			if (now() > end)
				break;
			bytes += (unsigned long long)n;
		}
	} else {
		sleep(1);                    /* let the script bring the device up */
		memset(pkt, 0, 1428);
		pkt[0] = 0x45; pkt[2] = 1428 >> 8; pkt[3] = 1428 & 255;
		pkt[8] = 64; pkt[9] = 17;
		pkt[12] = 10; pkt[15] = 2; pkt[16] = 10; pkt[19] = 1;
		uint16_t c = csum(pkt, 20);
		pkt[10] = (uint8_t)(c >> 8); pkt[11] = (uint8_t)c;
		pkt[20] = 0x30; pkt[21] = 0x39; pkt[22] = 0; pkt[23] = 9;
		pkt[24] = (1408) >> 8; pkt[25] = 1408 & 255;   /* UDP, no checksum */
		t0 = now();
		end = t0 + secs;
		while (now() < end)
			for (int i = 0; i < 256; i++)
				if (write(fd, pkt, 1428) == 1428)
					bytes += 1428;
	}
	double dt = (t0 == 0 ? 0 : (end < now() ? end : now()) - t0);
	printf("%.1f\n", dt > 0 ? (double)bytes / dt / 1e6 : 0.0);
	return 0;
}
