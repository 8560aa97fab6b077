/* Exercise 2.2: the suite for fragment reassembly. */
#include "suite.h"
#include "reasm.h"
#include "checksum.h"
#include "ipv4.h"
#include "rng.h"

#define SRC 0x0a000001u   /* 10.0.0.1 */
#define DST 0x0a000002u   /* 10.0.0.2 */
#define UDP 17

static const struct reasm_cfg usual = { 16, SEC(30), 65535 };

/* A whole datagram, before fragmentation. */
struct dgram {
	uint8_t b[2 * PKB_DATA_MAX];
	size_t hlen, len;
};

static void make_dgram(struct dgram *d, uint16_t id, uint32_t dst, uint8_t proto,
                       size_t hlen, size_t payload, uint64_t seed)
{
	memset(d, 0, sizeof *d);
	d->hlen = hlen;
	d->len = hlen + payload;
	uint8_t *h = d->b;
	ip_set(h, IP_VERSION, 4);
	ip_set(h, IP_IHL, (uint32_t)hlen / 4);
	ip_set(h, IP_TOTAL_LENGTH, (uint32_t)d->len);
	ip_set(h, IP_ID, id);
	ip_set(h, IP_TTL, 64);
	ip_set(h, IP_PROTOCOL, proto);
	ip_set(h, IP_SRC, SRC);
	ip_set(h, IP_DST, dst);
	for (size_t i = IP_HDR_MIN; i < hlen; i++)
		h[i] = 1;                           /* options: NOPs */
	struct rng g;
	rng_seed(&g, seed);
	for (size_t i = hlen; i < d->len; i++)
		d->b[i] = (uint8_t)rng_next(&g);
	ip_set(h, IP_CHECKSUM, inet_checksum(h, hlen));
}

/* The fragment of d carrying payload bytes [off, off + len), as a router
   would cut it: the first fragment has the whole header, the others only
   its first twenty bytes (our options are not copied into fragments).
   Bytes beyond the end of d are filler. */
static struct pkb *frag(const struct dgram *d, size_t off, size_t len, bool more)
{
	uint8_t b[PKB_DATA_MAX];
	size_t hl = off == 0 ? d->hlen : IP_HDR_MIN;
	memcpy(b, d->b, hl);
	for (size_t i = 0; i < len; i++)
		b[hl + i] = d->hlen + off + i < d->len ? d->b[d->hlen + off + i] : 0xab;
	ip_set(b, IP_IHL, (uint32_t)hl / 4);
	ip_set(b, IP_TOTAL_LENGTH, (uint32_t)(hl + len));
	ip_set(b, IP_MF, more);
	ip_set(b, IP_FRAG_OFFSET, (uint32_t)(off / 8));
	ip_set(b, IP_CHECKSUM, 0);
	ip_set(b, IP_CHECKSUM, inet_checksum(b, hl));
	return pkb_from(b, hl + len);
}

/* Whether q is exactly d, with a valid header. */
static bool same(const struct pkb *q, const struct dgram *d)
{
	return q != NULL && q->len == d->len
	    && memcmp(q->data, d->b, d->len) == 0
	    && ip_get(q->data, IP_TOTAL_LENGTH) == d->len
	    && inet_checksum(q->data, d->hlen) == 0;
}

/* Feeds a fragment; true if nothing came out. */
static bool quiet(struct reasm *r, struct pkb *p, usec_t now)
{
	struct pkb *q = reasm_input(r, p, now);
	pkb_free(q);
	return q == NULL;
}

/* Feeds a fragment; true if out came exactly d. */
static bool completes(struct reasm *r, struct pkb *p, usec_t now, const struct dgram *d)
{
	struct pkb *q = reasm_input(r, p, now);
	bool ok = same(q, d);
	pkb_free(q);
	return ok;
}

static bool next_permutation(int *a, int n)
{
	int i = n - 2;
	while (i >= 0 && a[i] >= a[i + 1])
		i--;
	if (i < 0)
		return false;
	int j = n - 1;
	while (a[j] <= a[i])
		j--;
	int t = a[i]; a[i] = a[j]; a[j] = t;
	for (int lo = i + 1, hi = n - 1; lo < hi; lo++, hi--) {
		t = a[lo]; a[lo] = a[hi]; a[hi] = t;
	}
	return true;
}

static void five_fragments_in_every_order(void)
{
	static struct dgram d;
	make_dgram(&d, 0x1234, DST, UDP, 24, 997, 1);   /* with options */
	static const size_t off[5] = { 0, 208, 400, 640, 800 };
	static const size_t len[5] = { 208, 192, 240, 160, 197 };
	size_t start = pkb_live();
	int order[5] = { 0, 1, 2, 3, 4 };
	int orders = 0, good = 0, early = 0, bad_stats = 0;
	do {
		struct reasm *r = reasm_create(&usual);
		orders++;
		for (int k = 0; k < 5; k++) {
			int i = order[k];
			struct pkb *p = frag(&d, off[i], len[i], i != 4);
			if (k < 4)
				early += !quiet(r, p, MSEC(k));
			else
				good += completes(r, p, MSEC(k), &d);
		}
		const struct reasm_stats *s = reasm_stats(r);
		if (reasm_pending(r) != 0 || s->fragments != 5 || s->reassembled != 1)
			bad_stats++;
		reasm_destroy(r);
	} while (next_permutation(order, 5));
	CU_ASSERT_EQUAL(orders, 120);
	CU_ASSERT_EQUAL(good, 120);
	CU_ASSERT_EQUAL(early, 0);
	CU_ASSERT_EQUAL(bad_stats, 0);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

static void a_whole_datagram_passes_through(void)
{
	static struct dgram d;
	make_dgram(&d, 1, DST, UDP, 20, 300, 2);
	size_t start = pkb_live();
	struct reasm *r = reasm_create(&usual);
	struct pkb *p = pkb_from(d.b, d.len);
	struct pkb *q = reasm_input(r, p, 0);
	CU_ASSERT_PTR_EQUAL(q, p);
	CU_ASSERT_TRUE(same(q, &d));
	pkb_free(q);
	CU_ASSERT_EQUAL(reasm_stats(r)->fragments, 0);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);
	reasm_destroy(r);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

static void duplicates_are_ignored(void)
{
	static struct dgram d;
	make_dgram(&d, 2, DST, UDP, 20, 300, 3);
	size_t start = pkb_live();
	struct reasm *r = reasm_create(&usual);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 200, 100, false), 0));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 96, true), 1));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 200, 100, false), 2));   /* again */
	struct pkb *forged = frag(&d, 0, 96, true);
	forged->data[IP_HDR_MIN + 5] ^= 0xff;                     /* same place, other bytes */
	CU_ASSERT_TRUE(quiet(r, forged, 3));
	CU_ASSERT_EQUAL(reasm_pending(r), 1);
	CU_ASSERT_TRUE(completes(r, frag(&d, 96, 104, true), 4, &d));
	CU_ASSERT_EQUAL(reasm_stats(r)->duplicates, 2);
	CU_ASSERT_EQUAL(reasm_stats(r)->reassembled, 1);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);
	/* Once the datagram is done, nothing is remembered: a late copy
	   starts a new one. */
	CU_ASSERT_TRUE(quiet(r, frag(&d, 96, 104, true), 5));
	CU_ASSERT_EQUAL(reasm_pending(r), 1);
	CU_ASSERT_EQUAL(reasm_stats(r)->duplicates, 2);
	CU_ASSERT_EQUAL(reasm_stats(r)->fragments, 6);
	reasm_destroy(r);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

static void overlaps_drop_the_whole_datagram(void)
{
	static struct dgram d;
	make_dgram(&d, 3, DST, UDP, 20, 160, 4);
	struct piece { size_t off, len; bool more; };
	static const struct { struct piece held, bad; } cases[] = {
		{ { 0, 64, true },    { 32, 64, true } },    /* overlaps the end */
		{ { 0, 64, true },    { 16, 16, true } },    /* inside */
		{ { 0, 64, true },    { 0, 32, true } },     /* same start */
		{ { 64, 64, true },   { 96, 32, true } },    /* same end */
		{ { 64, 64, true },   { 64, 64, false } },   /* same place, other MF */
		{ { 128, 32, false }, { 160, 32, true } },   /* beyond the last */
		{ { 128, 32, false }, { 64, 64, false } },   /* a second last */
		{ { 64, 64, true },   { 32, 32, false } },   /* last, before the end */
	};
	size_t start = pkb_live();
	int wrong = 0;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct reasm *r = reasm_create(&usual);
		const struct piece *h = &cases[i].held, *b = &cases[i].bad;
		bool ok = quiet(r, frag(&d, h->off, h->len, h->more), 0)
		       && reasm_pending(r) == 1
		       && quiet(r, frag(&d, b->off, b->len, b->more), 1)
		       && reasm_pending(r) == 0
		       && reasm_stats(r)->overlaps == 1
		       && reasm_stats(r)->duplicates == 0;
		if (!ok)
			wrong++;
		reasm_destroy(r);
	}
	CU_ASSERT_EQUAL(wrong, 0);
	/* The datagram is forgotten: its later fragments start afresh, and
	   complete only if the ones thrown away come again. */
	struct reasm *r = reasm_create(&usual);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 64, true), 0));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 32, 64, true), 1));
	CU_ASSERT_EQUAL(reasm_pending(r), 0);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 64, 64, true), 2));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 128, 32, false), 3));
	CU_ASSERT_EQUAL(reasm_pending(r), 1);
	CU_ASSERT_TRUE(completes(r, frag(&d, 0, 64, true), 4, &d));
	CU_ASSERT_EQUAL(reasm_stats(r)->overlaps, 1);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);
	reasm_destroy(r);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

static void malformed_fragments_are_refused(void)
{
	static struct dgram d;
	make_dgram(&d, 4, DST, UDP, 20, 160, 5);
	size_t start = pkb_live();
	struct reasm *r = reasm_create(&usual);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 64, true), 0));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 64, 60, true), 1));      /* not a multiple of 8 */
	CU_ASSERT_TRUE(quiet(r, frag(&d, 64, 0, true), 2));       /* empty, yet not last */
	CU_ASSERT_EQUAL(reasm_stats(r)->malformed, 2);
	CU_ASSERT_EQUAL(reasm_pending(r), 1);                     /* the datagram lives on */
	static struct dgram e;
	make_dgram(&e, 5, DST, UDP, 20, 160, 6);
	CU_ASSERT_TRUE(quiet(r, frag(&e, 0, 36, true), 3));       /* creates nothing */
	CU_ASSERT_EQUAL(reasm_pending(r), 1);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 64, 64, true), 4));
	CU_ASSERT_TRUE(completes(r, frag(&d, 128, 32, false), 5, &d));
	CU_ASSERT_EQUAL(reasm_stats(r)->malformed, 3);
	CU_ASSERT_EQUAL(reasm_stats(r)->overlaps, 0);
	CU_ASSERT_EQUAL(reasm_stats(r)->fragments, 6);
	reasm_destroy(r);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

static void datagrams_time_out_exactly_on_time(void)
{
	static struct dgram d;
	make_dgram(&d, 6, DST, UDP, 20, 160, 7);
	const usec_t t0 = SEC(5), timeout = SEC(30);
	size_t start = pkb_live();

	/* The clock starts with the first fragment, not the latest. */
	struct reasm *r = reasm_create(&usual);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 64, true), t0));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 128, 32, false), t0 + SEC(20)));
	reasm_expire(r, t0 + timeout - 1);
	CU_ASSERT_EQUAL(reasm_pending(r), 1);
	CU_ASSERT_EQUAL(reasm_stats(r)->timeouts, 0);
	reasm_expire(r, t0 + timeout);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);
	CU_ASSERT_EQUAL(reasm_stats(r)->timeouts, 1);
	CU_ASSERT_EQUAL(pkb_live(), start);
	reasm_destroy(r);

	/* The last moment still counts... */
	r = reasm_create(&usual);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 64, true), t0));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 128, 32, false), t0 + 1));
	CU_ASSERT_TRUE(completes(r, frag(&d, 64, 64, true), t0 + timeout - 1, &d));
	CU_ASSERT_EQUAL(reasm_stats(r)->timeouts, 0);
	reasm_destroy(r);

	/* ...and a fragment arriving on time expires the old datagram before
	   it is taken in, even without a call to reasm_expire. */
	r = reasm_create(&usual);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 64, true), t0));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 128, 32, false), t0 + 1));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 64, 64, true), t0 + timeout));
	CU_ASSERT_EQUAL(reasm_stats(r)->timeouts, 1);
	CU_ASSERT_EQUAL(reasm_pending(r), 1);
	reasm_destroy(r);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

static void the_oldest_datagram_is_evicted_when_full(void)
{
	static struct dgram d[7];
	for (int i = 1; i <= 6; i++)
		make_dgram(&d[i], (uint16_t)(100 + i), DST, UDP, 20, 100, 10 + (uint64_t)i);
	size_t start = pkb_live();
	const struct reasm_cfg cfg = { 4, SEC(30), 65535 };
	struct reasm *r = reasm_create(&cfg);
	for (int i = 1; i <= 4; i++)
		CU_ASSERT_TRUE(quiet(r, frag(&d[i], 0, 64, true), MSEC(i)));
	CU_ASSERT_EQUAL(reasm_pending(r), 4);
	CU_ASSERT_TRUE(quiet(r, frag(&d[5], 0, 64, true), MSEC(5)));    /* evicts 1 */
	CU_ASSERT_EQUAL(reasm_pending(r), 4);
	CU_ASSERT_EQUAL(reasm_stats(r)->evicted, 1);
	CU_ASSERT_TRUE(completes(r, frag(&d[2], 64, 36, false), MSEC(6), &d[2]));
	CU_ASSERT_EQUAL(reasm_pending(r), 3);
	CU_ASSERT_TRUE(quiet(r, frag(&d[1], 64, 36, false), MSEC(7)));  /* 1 is gone */
	CU_ASSERT_EQUAL(reasm_pending(r), 4);
	CU_ASSERT_EQUAL(reasm_stats(r)->evicted, 1);
	CU_ASSERT_TRUE(quiet(r, frag(&d[6], 0, 64, true), MSEC(8)));    /* evicts 3 */
	CU_ASSERT_EQUAL(reasm_stats(r)->evicted, 2);
	CU_ASSERT_TRUE(completes(r, frag(&d[4], 64, 36, false), MSEC(9), &d[4]));
	CU_ASSERT_TRUE(completes(r, frag(&d[5], 64, 36, false), MSEC(10), &d[5]));
	CU_ASSERT_TRUE(quiet(r, frag(&d[3], 64, 36, false), MSEC(11)));  /* 3 is gone */
	CU_ASSERT_TRUE(completes(r, frag(&d[6], 64, 36, false), MSEC(12), &d[6]));
	CU_ASSERT_EQUAL(reasm_pending(r), 2);
	CU_ASSERT_EQUAL(reasm_stats(r)->evicted, 2);
	CU_ASSERT_EQUAL(reasm_stats(r)->reassembled, 4);
	reasm_destroy(r);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

static void datagrams_too_big_are_dropped(void)
{
	static struct dgram d;
	size_t start = pkb_live();

	/* The ping of death: offset 65512 plus 100 bytes is past 65535. */
	make_dgram(&d, 7, DST, UDP, 20, 100, 20);
	struct reasm *r = reasm_create(&usual);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 8189 * 8, 100, false), 0));
	CU_ASSERT_EQUAL(reasm_stats(r)->too_big, 1);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);
	reasm_destroy(r);

	/* max_size 65535 is capped at what a pkb holds: PKB_DATA_MAX. */
	make_dgram(&d, 8, DST, UDP, 20, PKB_DATA_MAX - 20, 21);
	r = reasm_create(&usual);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 1016, true), 0));
	CU_ASSERT_TRUE(completes(r, frag(&d, 1016, PKB_DATA_MAX - 20 - 1016, false), 1, &d));
	make_dgram(&d, 9, DST, UDP, 20, PKB_DATA_MAX - 20 + 8, 22);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 1016, true), 2));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 1016, PKB_DATA_MAX - 20 + 8 - 1016, false), 3));
	CU_ASSERT_EQUAL(reasm_stats(r)->too_big, 1);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);                 /* the first went too */
	reasm_destroy(r);

	/* A smaller limit: 1000 bytes fit, 1008 do not. */
	const struct reasm_cfg small = { 16, SEC(30), 1000 };
	r = reasm_create(&small);
	make_dgram(&d, 10, DST, UDP, 20, 980, 23);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 496, true), 0));
	CU_ASSERT_TRUE(completes(r, frag(&d, 496, 484, false), 1, &d));
	make_dgram(&d, 11, DST, UDP, 20, 988, 24);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 496, 480, true), 2));
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 496, true), 3));
	CU_ASSERT_EQUAL(reasm_pending(r), 1);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 976, 12, false), 4));
	CU_ASSERT_EQUAL(reasm_stats(r)->too_big, 1);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);

	/* The size counts the first fragment's header, options and all: the
	   last fragment alone fits (20 + 980), but with the first fragment's
	   24-byte header the datagram would be 1004 bytes. */
	make_dgram(&d, 12, DST, UDP, 24, 980, 25);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 496, 484, false), 5));
	CU_ASSERT_EQUAL(reasm_pending(r), 1);
	CU_ASSERT_TRUE(quiet(r, frag(&d, 0, 496, true), 6));
	CU_ASSERT_EQUAL(reasm_stats(r)->too_big, 2);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);
	CU_ASSERT_EQUAL(reasm_stats(r)->reassembled, 1);
	reasm_destroy(r);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

static void interleaved_datagrams_are_kept_apart(void)
{
	/* The same identification is reused with another protocol and
	   another destination: the key is all four fields. */
	static struct dgram d[4];
	make_dgram(&d[0], 7, DST, UDP, 20, 400, 30);
	make_dgram(&d[1], 8, DST, UDP, 24, 333, 31);
	make_dgram(&d[2], 7, DST, IPPROTO_TCP_, 20, 250, 32);
	make_dgram(&d[3], 7, DST + 1, UDP, 20, 180, 33);
	size_t cut[4][2] = { { 128, 256 }, { 64, 200 }, { 80, 160 }, { 8, 16 } };
	static const int sched[][2] = {   /* datagram, piece */
		{ 0, 2 }, { 1, 0 }, { 2, 1 }, { 3, 2 }, { 0, 0 }, { 1, 2 },
		{ 3, 0 }, { 2, 2 }, { 1, 1 }, { 3, 1 }, { 2, 0 }, { 0, 1 },
	};
	size_t start = pkb_live();
	struct reasm *r = reasm_create(&usual);
	int seen[4] = { 0 }, wrong = 0, done = 0;
	for (size_t k = 0; k < ARRAY_LEN(sched); k++) {
		int i = sched[k][0], j = sched[k][1];
		size_t lo = j == 0 ? 0 : cut[i][j - 1];
		size_t hi = j == 2 ? d[i].len - d[i].hlen : cut[i][j];
		struct pkb *p = frag(&d[i], lo, hi - lo, j != 2);
		bool last = ++seen[i] == 3;
		if (last)
			done += completes(r, p, MSEC(k), &d[i]);
		else
			wrong += !quiet(r, p, MSEC(k));
	}
	CU_ASSERT_EQUAL(done, 4);
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT_EQUAL(reasm_stats(r)->reassembled, 4);
	CU_ASSERT_EQUAL(reasm_stats(r)->fragments, 12);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);
	reasm_destroy(r);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

static void incomplete_datagrams_never_complete(void)
{
	static struct dgram a, b, c;
	make_dgram(&a, 20, DST, UDP, 20, 1580, 40);
	make_dgram(&b, 21, DST, UDP, 20, 1580, 41);
	make_dgram(&c, 22, DST, UDP, 20, 160, 42);
	size_t start = pkb_live();
	struct reasm *r = reasm_create(&usual);
	CU_ASSERT_TRUE(quiet(r, frag(&a, 1480, 100, false), 0));   /* a lone last */
	CU_ASSERT_TRUE(quiet(r, frag(&b, 0, 1480, true), 1));      /* a lone first */
	CU_ASSERT_TRUE(quiet(r, frag(&c, 0, 64, true), 2));        /* a hole */
	CU_ASSERT_TRUE(quiet(r, frag(&c, 128, 32, false), 3));
	CU_ASSERT_EQUAL(reasm_pending(r), 3);
	reasm_expire(r, SEC(30) - 1);
	CU_ASSERT_EQUAL(reasm_pending(r), 3);
	reasm_expire(r, SEC(30) + 3);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);
	CU_ASSERT_EQUAL(reasm_stats(r)->timeouts, 3);
	CU_ASSERT_EQUAL(reasm_stats(r)->reassembled, 0);
	CU_ASSERT_EQUAL(reasm_stats(r)->fragments, 4);
	CU_ASSERT_EQUAL(pkb_live(), start);
	reasm_destroy(r);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

/* Many datagrams, cut at random, their fragments shuffled and some lost:
   every datagram whose fragments all arrive comes out whole, the others
   time out, and no buffer is lost. */
enum { NDG = 300, BATCH = 6, MAXF = 64 };
static struct dgram many[NDG];
struct cut { int dg; size_t off, len; bool more; };

static void random_traffic_leaks_nothing(void)
{
	struct rng g;
	rng_seed(&g, 5722);
	size_t start = pkb_live();
	const struct reasm_cfg cfg = { 64, MSEC(200), 65535 };
	struct reasm *r = reasm_create(&cfg);
	static bool lost[NDG], got[NDG];
	static int fed[NDG];
	int wrong = 0, expect_timeouts = 0;
	usec_t now = 0;
	for (int base = 0; base < NDG; base += BATCH) {
		struct cut f[BATCH * MAXF];
		int nf = 0;
		for (int i = base; i < base + BATCH && i < NDG; i++) {
			size_t hlen = 20 + 4 * rng_below(&g, 3);
			size_t payload = 1 + rng_below(&g, PKB_DATA_MAX - hlen);
			make_dgram(&many[i], (uint16_t)(1000 + i), DST, UDP, hlen, payload, (uint64_t)i);
			lost[i] = got[i] = false;
			fed[i] = 0;
			for (size_t off = 0; off < payload; ) {
				size_t len = 8 * (8 + rng_below(&g, 100));
				bool more = off + len < payload;
				if (!more)
					len = payload - off;
				if (rng_chance(&g, 0.03))
					lost[i] = true;
				else
					f[nf++] = (struct cut){ i, off, len, more };
				off += len;
			}
		}
		for (int k = nf - 1; k > 0; k--) {
			int j = (int)rng_below(&g, (uint64_t)k + 1);
			struct cut t = f[k]; f[k] = f[j]; f[j] = t;
		}
		for (int k = 0; k < nf; k++) {
			now += MSEC(1);
			int i = f[k].dg;
			fed[i]++;
			struct pkb *q = reasm_input(r, frag(&many[i], f[k].off, f[k].len, f[k].more), now);
			if (q == NULL)
				continue;
			int id = (int)ip_get(q->data, IP_ID) - 1000;
			if (id < 0 || id >= NDG || lost[id] || got[id] || !same(q, &many[id]))
				wrong++;
			else
				got[id] = true;
			pkb_free(q);
		}
	}
	int whole = 0, missing = 0;
	for (int i = 0; i < NDG; i++) {
		whole += !lost[i];
		missing += !lost[i] && !got[i];
		expect_timeouts += lost[i] && fed[i] > 0;
	}
	reasm_expire(r, now + MSEC(200));
	CU_ASSERT_TRUE(whole > NDG / 2);
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT_EQUAL(missing, 0);
	CU_ASSERT_EQUAL(reasm_pending(r), 0);
	CU_ASSERT_EQUAL(reasm_stats(r)->timeouts, (uint64_t)expect_timeouts);
	CU_ASSERT_EQUAL(reasm_stats(r)->evicted, 0);
	CU_ASSERT_EQUAL(pkb_live(), start);
	reasm_destroy(r);
	CU_ASSERT_EQUAL(pkb_live(), start);
}

static const struct suite_test tests[] = {
	TEST(five_fragments_in_every_order),
	TEST(a_whole_datagram_passes_through),
	TEST(duplicates_are_ignored),
	TEST(overlaps_drop_the_whole_datagram),
	TEST(malformed_fragments_are_refused),
	TEST(datagrams_time_out_exactly_on_time),
	TEST(the_oldest_datagram_is_evicted_when_full),
	TEST(datagrams_too_big_are_dropped),
	TEST(interleaved_datagrams_are_kept_apart),
	TEST(incomplete_datagrams_never_complete),
	TEST(random_traffic_leaks_nothing),
};

int main(void)
{
	return run_suite("exercise 2.2 fragment reassembly", tests, sizeof tests / sizeof tests[0]);
}
