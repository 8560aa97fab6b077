/* Tangled from chapters/01-wire.nw, chapters/11-odds.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#ifndef PKB_H
#define PKB_H
#include "base.h"

#define PKB_HEADROOM 128
#define PKB_DATA_MAX 2048

struct pkb {
        uint8_t *data;        /* first byte of the packet */
        size_t len;           /* bytes from data on */
        struct pkb *next;     /* link for whichever queue holds it */
        usec_t release;       /* used by queues ordered by time */
        usec_t sent;          /* when it entered the link (for taps) */
        uint64_t order;       /* tie-break for equal release times */
        uint8_t ecn;          /* the ECN codepoint ip_output is to write */
        bool csum_trusted;    /* the device vouches for the TCP checksum: it is not summed */
        bool csum_partial;    /* the TCP checksum holds the pseudo-header's sum: the
                                 device finishes it */
        size_t size;          /* bytes of buf: PKB_HEADROOM + PKB_DATA_MAX, or more */
        uint8_t buf[];        /* the headroom, then the packet */
};

struct pkb_stats {
        uint64_t allocs;      /* buffers handed out */
        uint64_t refused;     /* allocations refused at the limit */
        size_t live;          /* buffers in use now */
        size_t peak;          /* most buffers in use at once */
        uint64_t reused;      /* handed out from the kept buffers */
};
extern struct pkb_stats pkb_stats;

void pkb_set_limit(size_t limit);
struct pkb *pkb_alloc(void);
struct pkb *pkb_alloc_data(size_t data_max);   /* room for more than PKB_DATA_MAX */
struct pkb *pkb_from(const void *bytes, size_t len);
struct pkb *pkb_clone(const struct pkb *p);
void pkb_free(struct pkb *p);
size_t pkb_live(void);
uint8_t *pkb_push(struct pkb *p, size_t n);
bool pkb_pull(struct pkb *p, size_t n);
uint8_t *pkb_put(struct pkb *p, size_t n);
#define PKB_DATA_WIDE 65536   /* a buffer for a segment of a 64 KiB link */
void pkb_set_keep(size_t n);
size_t pkb_kept_now(void);
#endif
