/* Exercise 2.2: a reference bounded fragment reassembler. */
#include "reasm.h"
#include "checksum.h"
#include "ipv4.h"

/* A pending datagram. Its fragments are the pkbs themselves, chained
   through their next pointers in order of offset; what we need to know
   about each is read back from its header. */
struct pending {
	bool used;
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	usec_t born;            /* when its first fragment arrived */
	uint64_t seq;           /* creation order, to break ties of born */
	struct pkb *frags;
	size_t max_end;         /* highest payload end held */
	bool has_last;          /* the fragment with MF clear is held */
	size_t total;           /* payload length, once has_last */
	size_t first_hlen;      /* header length of the first fragment, or 0 */
};

struct reasm {
	struct reasm_cfg cfg;
	size_t limit;           /* largest datagram we build */
	struct pending *slot;   /* cfg.max_datagrams of them */
	size_t npending;
	uint64_t next_seq;
	struct reasm_stats stats;
};

static size_t frag_hlen(const struct pkb *p)
{
	return 4 * (size_t)ip_get(p->data, IP_IHL);
}

static size_t frag_off(const struct pkb *p)
{
	return 8 * (size_t)ip_get(p->data, IP_FRAG_OFFSET);
}

static size_t frag_end(const struct pkb *p)
{
	return frag_off(p) + ip_get(p->data, IP_TOTAL_LENGTH) - frag_hlen(p);
}

static bool frag_more(const struct pkb *p)
{
	return ip_get(p->data, IP_MF) != 0;
}

struct reasm *reasm_create(const struct reasm_cfg *cfg)
{
	struct reasm *r = xcalloc(1, sizeof *r);
	r->cfg = *cfg;
	r->cfg.max_datagrams = MAX(cfg->max_datagrams, (size_t)1);
	r->limit = MIN(MIN(cfg->max_size, (size_t)PKB_DATA_MAX), (size_t)65535);
	r->slot = xcalloc(r->cfg.max_datagrams, sizeof *r->slot);
	return r;
}

static void drop(struct reasm *r, struct pending *d)
{
	while (d->frags != NULL) {
		struct pkb *p = d->frags;
		d->frags = p->next;
		pkb_free(p);
	}
	d->used = false;
	r->npending--;
}

void reasm_destroy(struct reasm *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->cfg.max_datagrams; i++)
		if (r->slot[i].used)
			drop(r, &r->slot[i]);
	free(r->slot);
	free(r);
}

void reasm_expire(struct reasm *r, usec_t now)
{
	for (size_t i = 0; i < r->cfg.max_datagrams; i++) {
		struct pending *d = &r->slot[i];
		if (d->used && d->born + r->cfg.timeout <= now) {
			r->stats.timeouts++;
			drop(r, d);
		}
	}
}

static struct pending *find(struct reasm *r, const uint8_t *h)
{
	for (size_t i = 0; i < r->cfg.max_datagrams; i++) {
		struct pending *d = &r->slot[i];
		if (d->used && d->src == ip_get(h, IP_SRC) && d->dst == ip_get(h, IP_DST)
		    && d->proto == ip_get(h, IP_PROTOCOL) && d->id == ip_get(h, IP_ID))
			return d;
	}
	return NULL;
}

/* A slot for a new datagram, evicting the oldest pending one if all are
   taken. */
static struct pending *create(struct reasm *r, const uint8_t *h, usec_t now)
{
	struct pending *d = NULL;
	if (r->npending == r->cfg.max_datagrams) {
		for (size_t i = 0; i < r->cfg.max_datagrams; i++) {
			struct pending *e = &r->slot[i];
			if (d == NULL || e->born < d->born
			    || (e->born == d->born && e->seq < d->seq))
				d = e;
		}
		r->stats.evicted++;
		drop(r, d);
	} else {
		for (size_t i = 0; d == NULL; i++)
			if (!r->slot[i].used)
				d = &r->slot[i];
	}
	memset(d, 0, sizeof *d);
	d->used = true;
	d->src = ip_get(h, IP_SRC);
	d->dst = ip_get(h, IP_DST);
	d->proto = (uint8_t)ip_get(h, IP_PROTOCOL);
	d->id = (uint16_t)ip_get(h, IP_ID);
	d->born = now;
	d->seq = r->next_seq++;
	r->npending++;
	return d;
}

enum verdict { FITS, DUPLICATE, CONFLICT };

/* Whether a fragment [off, end) fits with those held: exactly one of them
   again, or overlapping one of them, or contradicting the end of the
   datagram (beyond the last fragment, or a second, different last one). */
static enum verdict check(const struct pending *d, size_t off, size_t end, bool more)
{
	for (const struct pkb *q = d->frags; q != NULL; q = q->next) {
		size_t qo = frag_off(q), qe = frag_end(q);
		if (qo == off && qe == end)
			return frag_more(q) == more ? DUPLICATE : CONFLICT;
		if (off < qe && qo < end)
			return CONFLICT;
	}
	if (!more && (d->has_last || end < d->max_end))
		return CONFLICT;
	if (more && d->has_last && end > d->total)
		return CONFLICT;
	return FITS;
}

static void insert(struct pending *d, struct pkb *p)
{
	struct pkb **at = &d->frags;
	while (*at != NULL && frag_off(*at) < frag_off(p))
		at = &(*at)->next;
	p->next = *at;
	*at = p;
	d->max_end = MAX(d->max_end, frag_end(p));
	if (!frag_more(p)) {
		d->has_last = true;
		d->total = frag_end(p);
	}
	if (frag_off(p) == 0)
		d->first_hlen = frag_hlen(p);
}

static bool complete(const struct pending *d)
{
	if (!d->has_last || d->first_hlen == 0)
		return false;
	size_t next = 0;
	for (const struct pkb *q = d->frags; q != NULL; q = q->next) {
		if (frag_off(q) != next)
			return false;
		next = frag_end(q);
	}
	return next == d->total;
}

/* The whole datagram: the first fragment's header, fixed up, and every
   fragment's payload in its place. */
static struct pkb *build(struct reasm *r, struct pending *d)
{
	struct pkb *out = pkb_alloc();
	uint8_t *h = out != NULL ? pkb_put(out, d->first_hlen + d->total) : NULL;
	if (h == NULL) {
		pkb_free(out);
		drop(r, d);
		return NULL;
	}
	memcpy(h, d->frags->data, d->first_hlen);
	for (const struct pkb *q = d->frags; q != NULL; q = q->next)
		memcpy(h + d->first_hlen + frag_off(q), q->data + frag_hlen(q),
		       frag_end(q) - frag_off(q));
	ip_set(h, IP_TOTAL_LENGTH, (uint32_t)out->len);
	ip_set(h, IP_MF, 0);
	ip_set(h, IP_FRAG_OFFSET, 0);
	ip_set(h, IP_CHECKSUM, 0);
	ip_set(h, IP_CHECKSUM, inet_checksum(h, d->first_hlen));
	r->stats.reassembled++;
	drop(r, d);
	return out;
}

struct pkb *reasm_input(struct reasm *r, struct pkb *p, usec_t now)
{
	bool more = frag_more(p);
	size_t off = frag_off(p), end = frag_end(p), hlen = frag_hlen(p);
	if (!more && off == 0)
		return p;                       /* not a fragment */
	r->stats.fragments++;
	reasm_expire(r, now);
	if (more && (end == off || (end - off) % 8 != 0)) {
		r->stats.malformed++;
		pkb_free(p);
		return NULL;
	}
	struct pending *d = find(r, p->data);
	if (hlen + end > r->limit) {
		r->stats.too_big++;
		if (d != NULL)
			drop(r, d);
		pkb_free(p);
		return NULL;
	}
	if (d == NULL)
		d = create(r, p->data, now);
	switch (check(d, off, end, more)) {
	case DUPLICATE:
		r->stats.duplicates++;
		pkb_free(p);
		return NULL;
	case CONFLICT:
		r->stats.overlaps++;
		drop(r, d);
		pkb_free(p);
		return NULL;
	case FITS:
		break;
	}
	insert(d, p);
	if (d->first_hlen != 0 && d->first_hlen + d->max_end > r->limit) {
		r->stats.too_big++;
		drop(r, d);
		return NULL;
	}
	return complete(d) ? build(r, d) : NULL;
}

const struct reasm_stats *reasm_stats(const struct reasm *r)
{
	return &r->stats;
}

size_t reasm_pending(const struct reasm *r)
{
	return r->npending;
}
