/* Chapter 11, odds and ends: urgent data and PSH, keepalive, path MTU
 * (ICMP fragmentation needed, black holes, soft errors), and ECN. */
#include "testutil.h"
#include "tcp_var.h"

/* ==== urgent data, PSH and keepalive ==== */

static void register_ch11_urgent_keepalive(void)
{
}

/* ==== end of urgent data, PSH and keepalive ==== */


/* ==== path MTU ==== */

static void register_ch11_path_mtu(void)
{
}

/* ==== end of path MTU ==== */


/* ==== ECN ==== */

static void register_ch11_ecn(void)
{
}

/* ==== end of ECN ==== */


void register_ch11(void)
{
	register_ch11_urgent_keepalive();
	register_ch11_path_mtu();
	register_ch11_ecn();
}
