/* Exercise 12.1: reference limits on the answers to invalid segments
 * (RFC 5961 7, RFC 9293 3.10.7.4; Linux's tcp_invalid_ratelimit and
 * tcp_challenge_ack_limit after CVE-2016-5696). */
#include "challenge.h"

unsigned answer_budget(const struct sipkey *key, unsigned limit, uint64_t second)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(second >> (8 * i));
	return limit + (unsigned)(siphash(key, b, sizeof b) % limit);
}

/* The connection's limit: one answer per interval.  An answer it allows
 * is recorded here, whether or not the host then allows it too: the
 * connection asked, and asks again no sooner than an interval later. */
static bool conn_allows(struct answer_host *h, struct answer_conn *c, uint64_t now)
{
	if (h->interval > 0 && c->answered && now - c->answered_at < h->interval) {
		h->conn_limited++;
		return false;
	}
	c->answered = true;
	c->answered_at = now;
	return true;
}

/* The host's limit: a budget a second, drawn afresh each second, so that
 * what one connection's answers leave of it says nothing to whoever
 * counts another's. */
static bool host_allows(struct answer_host *h, uint64_t now)
{
	if (h->limit == 0)
		return true;
	uint64_t second = now / CHALLENGE_SECOND;
	if (!h->started || second != h->second) {
		h->started = true;
		h->second = second;
		h->left = answer_budget(&h->key, h->limit, second);
	}
	if (h->left == 0) {
		h->host_limited++;
		return false;
	}
	h->left--;
	return true;
}

bool answer_allowed(struct answer_host *h, struct answer_conn *c, enum answer_kind kind,
                    size_t len, uint64_t now)
{
	if (kind == ANSWER_OUT_OF_WINDOW && len > 0)
		return true;               /* a retransmission waiting for its ACK */
	if (!conn_allows(h, c, now))
		return false;
	return kind != ANSWER_CHALLENGE || host_allows(h, now);
}
