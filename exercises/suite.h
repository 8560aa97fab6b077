/* The runner shared by the exercises' suites.  A test.c holds its tests
 * and a table of them, name and function, and its main() hands the table
 * to run_suite():
 *
 *	static const struct suite_test tests[] = {
 *		TEST(ports_stay_in_the_range),
 *		{ "a port in use is never returned", never_returns_a_port_in_use },
 *	};
 *
 *	int main(void)
 *	{
 *		return run_suite("exercise 3.2 port selection", tests, sizeof tests / sizeof tests[0]);
 *	}
 *
 * TEST(f) names a test after its function; a name in words, as in the
 * second line, is for a test whose function name would say less.
 * run_suite() makes the table one CUnit suite and runs it with CUnit's
 * basic report: a line for each test, its name and its verdict, each
 * failed assertion with its line of test.c, then the summary (which
 * tools/check-exercises and tools/grade read).  It returns the program's
 * exit status:
 *
 *	0  every test of the table ran and passed, and there was at least one;
 *	1  a test failed, or did not run;
 *	2  the suite could not be set up: CUnit could not make its registry
 *	   or add a test to it (the message says why).
 */
#ifndef EXERCISE_SUITE_H
#define EXERCISE_SUITE_H
#include <CUnit/Basic.h>
#include <stddef.h>
#include <stdio.h>

struct suite_test {
	const char *name;     /* as the report prints it */
	CU_TestFunc run;
};

/* A test that the report names by its function: { "f", f }. */
#define TEST(f) { #f, f }

/* A suite that cannot be set up runs no test. */
static inline int suite_not_set_up(const char *suite, const char *what)
{
	fprintf(stderr, "%s: cannot set up %s: %s\n", suite, what, CU_get_error_msg());
	CU_cleanup_registry();
	return 2;
}

static inline int run_suite(const char *name, const struct suite_test *tests, size_t n)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return suite_not_set_up(name, "CUnit's registry");
	CU_pSuite s = CU_add_suite(name, NULL, NULL);
	if (s == NULL)
		return suite_not_set_up(name, "the suite");
	for (size_t i = 0; i < n; i++)
		if (CU_add_test(s, tests[i].name, tests[i].run) == NULL)
			return suite_not_set_up(name, tests[i].name);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned run = CU_get_number_of_tests_run();
	unsigned failed = CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return n > 0 && run == n && failed == 0 ? 0 : 1;
}
#endif
