/* Helpers shared by the chapter suites. */
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
#endif
