/* Tangled from chapters/01-wire.nw by tools/tangle: edit those, not this file. */
#ifndef PCAP_H
#define PCAP_H
#include "netdev.h"

#define PCAP_MAGIC       0xa1b2c3d4u
#define PCAP_LINKTYPE_RAW 101u
#define PCAP_SNAPLEN     65535u

struct pcap_writer {
        FILE *f;
        uint64_t records;
};

int pcap_open(struct pcap_writer *w, const char *path, char *err, size_t errlen);
void pcap_write(struct pcap_writer *w, usec_t when, const uint8_t *data, size_t len);
int pcap_close(struct pcap_writer *w);

struct pcap_reader {
        FILE *f;
        bool swapped;
        uint32_t linktype;
};

int pcap_read_open(struct pcap_reader *r, const char *path, char *err, size_t errlen);
int pcap_read_next(struct pcap_reader *r, usec_t *when, uint8_t *buf,
                   size_t cap, size_t *len);
void pcap_read_close(struct pcap_reader *r);
struct netdev *pcap_wrap(struct netdev *inner, const char *path,
                         char *err, size_t errlen);
extern unsigned pcap_write_failures;   /* captures that could not be written */
#endif
