/* Helpers shared by the chapter suites.  CHAPTER is the chapter of the
 * build (tools/build-chapter defines it): a helper for what a later
 * chapter introduces is declared only from that chapter on. */
#ifndef TESTUTIL_H
#define TESTUTIL_H
#include <CUnit/CUnit.h>
#include "pkb.h"

/* Every test starts and ends with the same number of live packet buffers:
 * a test that leaks one fails here. */
#define LEAK_CHECK_BEGIN size_t live_at_start_ = pkb_live()
#define LEAK_CHECK_END CU_ASSERT_EQUAL(pkb_live(), live_at_start_)

/* Add the tests of an array to a new suite. */
struct test_entry {
	const char *name;
	void (*fn)(void);
};

static inline void add_suite(const char *name, const struct test_entry *t, size_t n)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		CU_add_test(s, t[i].name, t[i].fn);
}
#define TEST(fn) { #fn, fn }

/* A test network: one host on a fake device that keeps whatever the host
 * sends, on a virtual clock.  A test injects crafted packets at chosen
 * times and examines exactly what the stack emits. */
#include "loop.h"
#include "host.h"

struct testdev;
struct testnet {
	struct loop loop;
	struct testdev *dev;
	struct host *host;
	struct pkb *sent_head, *sent_tail;
	size_t nsent;
};

struct config testnet_config(void);   /* the defaults, with address 10.0.0.2 */
void testnet_init(struct testnet *tn, const struct config *cfg);
void testnet_inject(struct testnet *tn, const void *bytes, size_t len);
struct pkb *testnet_pop(struct testnet *tn);   /* oldest unread sent packet */
void testnet_drain(struct testnet *tn);        /* free every sent packet */
void testnet_free(struct testnet *tn);

/* Build an IPv4 datagram (20-byte header, valid checksum) around a
 * payload into buf; returns its length. */
size_t build_ipv4(uint8_t *buf, uint32_t src, uint32_t dst, uint8_t proto,
		  const void *payload, size_t len);
/* Build an IPv4 datagram holding a TCP segment (valid checksums) into buf;
 * returns its length.  opt/optlen are raw option bytes (optlen a multiple
 * of 4).  (tests/util_ch03.c, from chapter 3 on) */
size_t build_tcp(uint8_t *buf, uint32_t src, uint32_t dst, uint16_t sport,
		 uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
		 uint16_t wnd, const uint8_t *opt, size_t optlen,
		 const void *data, size_t len);
#if CHAPTER >= 3
/* The next segment the stack sent, parsed, its bytes kept with it: false if
 * it sent nothing more, or something that is not a valid TCP segment. */
#include "tcp_var.h"
struct captured {
	struct segment seg;
	uint8_t raw[2048];
	size_t len;
};
bool testnet_pop_segment(struct testnet *tn, struct captured *c);
/* A crafted segment, by named fields (those left out are 0); src and dst
 * default to the peer, 10.0.0.1, and the host under test, 10.0.0.2. */
struct seg_tmpl {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	const uint8_t *opt;         /* raw option bytes, optlen a multiple of 4 */
	size_t optlen;
	const void *data;
	size_t len;
};
#define SEG(...) ((struct seg_tmpl){ __VA_ARGS__ })
#define TEXT(s) .data = (s), .len = sizeof(s) - 1    /* a string literal as data */
void testnet_send(struct testnet *tn, struct seg_tmpl s);
#endif
/* Run PROG, the chapter's tcpstack or tcpsim (beside the test runner), with
 * ARGS, a list ending in NULL; what it prints on its standard output and
 * error goes to out.  Returns its exit status, 128 + the signal that ended
 * it, or -1 if it could not be run; a program that has not finished after
 * 10 s is killed.  (tests/util_ch01.c) */
int run_program(const char *prog, const char *const args[], char *out, size_t outlen);
/* Whether PROG ARGS is refused as a command-line error (exit status 2)
 * with a message that contains WANT; if not, prints what happened. */
bool usage_refused(const char *prog, const char *const args[], const char *want);
#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

#define ADDR(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

#if CHAPTER >= 4
/* Every host the tests make counts its state transitions into this one
 * log as well as its own counters (testnet_config sets it), so that the
 * suites can prove that, together, they entered every state. */
extern uint64_t test_transition_log[256];
/* No transition outside the table was attempted on host h. */
#define NO_REFUSED_TRANSITIONS(h) CU_ASSERT_EQUAL((h)->stats.tcp.refused_transitions, 0)

/* What an application saw: a shared event function for the suites. */
struct app_log {
	int connected, acceptable, readable, writable, peer_closed, closed, errors;
	int last_error;
	struct tcb *conn;           /* the connection, until it ends */
	bool read;                  /* read data as it comes... */
	char data[256];             /* ...into here */
	size_t got;
};
void app_event(struct tcb *t, enum tcp_event ev, void *arg);

/* The stack opens a connection to a scripted peer at 10.0.0.1:80, which
 * completes the handshake; then the test plays the peer.  Its sequence
 * numbers in peer_send are relative to the peer's ISN (piss), the
 * acknowledgments to the stack's (iss); the window is the peer's, wnd,
 * unless the segment gives one.  The application does not read what
 * arrives unless app.read is set. */
struct peer {
	struct testnet tn;
	struct app_log app;
	struct tcb *t;              /* the stack's end */
	uint16_t port;              /* its local port */
	uint32_t iss, piss;
	uint16_t wnd;
};
void peer_open(struct peer *p, const struct config *cfg, uint16_t wnd, uint16_t mss);
void peer_send(struct peer *p, struct seg_tmpl s);
#endif
#endif
