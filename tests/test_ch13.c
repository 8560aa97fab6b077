/* Chapter 13, speed: header prediction, fields by loads and stores, the
 * checksum with the copy, batching, offloads, many connections. */
#include "testutil.h"
#include "tcp_var.h"

/* ---- fastpath: header prediction, fields, checksum ---- */

/* ---- end of fastpath ---- */

/* ---- io: batching and offloads ---- */

/* ---- end of io ---- */

/* ---- scale: many connections ---- */

/* ---- end of scale ---- */

void register_ch13(void)
{
	/* fastpath: suites */

	/* io: suites */

	/* scale: suites */
}
