/* The CUnit runner of a checkpoint build (tools/checkpoint): the suites of
 * chapters 1..NN and the checkpoint's hidden suite, one test at a time, with
 * one line per event on the standard output, flushed at once, so that a
 * test that crashes the program or never ends can be named afterwards:
 *
 *   TEST n suite name     test n (counted from 1) starts
 *   PASS n                and passed
 *   FAIL n file:line: C   and failed; C is its first failed assertion
 *
 * (the fields separated by tabs: suite names have spaces).
 *
 * checkpoint-runner --list prints only the TEST lines; checkpoint-runner
 * --from N runs the tests from the Nth on (after a crash in test N - 1).
 * What the tests themselves print goes to the standard error, so that it
 * cannot break a line of the report.  A test that has not finished after
 * CHECKPOINT_TEST_SECONDS (default 30) is ended by SIGALRM: its TEST line
 * is then the last, with no result. */
#include <CUnit/CUnit.h>
#include <CUnit/TestRun.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "suites.h"
#include "checkpoint-assert.h"
#if CHAPTER >= 3
#include "tcp_var.h"
#endif

static unsigned current;
static FILE *out;   /* the report: the standard output as it was at start */

static void one_line(const char *s)
{
	for (; *s != '\0'; s++)
		putc(*s == '\n' ? ' ' : *s, out);
}

static void test_complete(const CU_pTest test, const CU_pSuite suite, const CU_pFailureRecord f)
{
	(void)test;
	(void)suite;
	if (f == NULL) {
		fprintf(out, "PASS\t%u\n", current);
	} else {
		fprintf(out, "FAIL\t%u\t%s:%u: ", current, f->strFileName ? f->strFileName : "?", f->uiLineNumber);
		one_line(f->strCondition ? f->strCondition : "?");
		putc('\n', out);
	}
	fflush(out);
}

/* ---- a failed assertion in words (tools/checkpoint-assert.h) ---------- */

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* A value as a student reads it: a state by its name, the flags of a
 * segment by theirs, a pointer as NULL or not. */
static void value(char *buf, size_t n, const char *expr, struct cp_val v)
{
	switch (v.kind) {
	case 'p':
		if (v.p == NULL)
			snprintf(buf, n, "NULL");
		else
			snprintf(buf, n, "%p", (const void *)v.p);
		return;
	case 'd':
		snprintf(buf, n, "%g", v.d);
		return;
	case 'i':
		if (v.i < 0) {
			snprintf(buf, n, "%lld", v.i);
			return;
		}
		v.u = (unsigned long long)v.i;
		break;
	}
#if CHAPTER >= 3
	if (ends_with(expr, "state") && v.u < TCP_NSTATES && tcp_state_names[v.u] != NULL) {
		snprintf(buf, n, "%s", tcp_state_names[v.u]);
		return;
	}
	if (ends_with(expr, "seg.flags") && v.u < 256) {
		static const char *const names[8] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
		size_t k = 0;
		buf[0] = '\0';
		for (int b = 0; b < 8; b++)
			if (v.u & (1u << b))
				k += (size_t)snprintf(buf + k, k < n ? n - k : 0, "%s%s", k ? "|" : "", names[b]);
		snprintf(buf + (k < n ? k : n - 1), k < n ? n - k : 1, "%s(0x%02llx)", k ? " " : "no flags ", v.u);
		return;
	}
#endif
	snprintf(buf, n, "%llu", v.u);
}

/* The text of an expression, shortened to fit a line. */
static const char *shorten(const char *e, char *buf, size_t n)
{
	if (strlen(e) < n)
		return e;
	snprintf(buf, n, "%.*s...", (int)n - 4, e);
	return buf;
}

void cp_describe(char *buf, size_t n, const char *how, const char *actual, struct cp_val a,
		 const char *expected, struct cp_val e)
{
	char av[96], ev[96], s1[160], s2[160];
	const char *at = shorten(actual, s1, sizeof s1), *et = shorten(expected, s2, sizeof s2);
	bool want_true = strcmp(how, "true") == 0;
	if (strcmp(how, "true") == 0 || strcmp(how, "false") == 0) {
		if (strncmp(actual, "testnet_pop_segment(", 20) == 0 || strncmp(actual, "next(", 5) == 0)
			snprintf(buf, n, want_true ? "the stack sent no segment here, where one was expected"
						   : "the stack sent a segment here, where none was expected");
		else
			snprintf(buf, n, "%s is %s, expected %s", at, want_true ? "false" : "true",
				 want_true ? "true" : "false");
		return;
	}
	if (strcmp(how, "null") == 0 || strcmp(how, "nonnull") == 0) {
		bool want_null = strcmp(how, "null") == 0;
		if (strncmp(actual, "tcb_lookup(", 11) == 0)
			snprintf(buf, n, want_null ? "a connection still exists (%s), where none was expected"
						   : "no connection exists (%s), where one was expected", at);
		else
			snprintf(buf, n, want_null ? "%s is not NULL, expected NULL" : "%s is NULL, expected a value", at);
		return;
	}
	if (strcmp(how, "streq") == 0) {
		snprintf(buf, n, "%s is \"%.80s\", expected \"%.80s\"", at, (const char *)a.p, (const char *)e.p);
		return;
	}
	value(av, sizeof av, actual, a);
	value(ev, sizeof ev, actual, e);   /* described as the actual side is */
	if (strcmp(how, "!=") == 0) {
		snprintf(buf, n, "%s is %s, expected anything but %s", at, av, et);
	} else if (strcmp(actual, "pkb_live()") == 0) {
		snprintf(buf, n, "packet buffers leaked: %s in use at the end of the test, %s at its start", av, ev);
	} else if (ends_with(actual, "refused_transitions")) {
		snprintf(buf, n, "a state change that is not in the table was tried %s time(s) (%s)", av, at);
	} else if (strcmp(et, ev) == 0) {
		snprintf(buf, n, "%s is %s, expected %s", at, av, ev);
	} else {
		snprintf(buf, n, "%s is %s, expected %s = %s", at, av, et, ev);
	}
}

int main(int argc, char **argv)
{
	unsigned from = 1;
	int list = 0;
	if (argc == 2 && strcmp(argv[1], "--list") == 0)
		list = 1;
	else if (argc == 3 && strcmp(argv[1], "--from") == 0)
		from = (unsigned)strtoul(argv[2], NULL, 10);
	else if (argc != 1) {
		fprintf(stderr, "usage: %s [--list | --from N]\n", argv[0]);
		return 2;
	}
	int fd = dup(STDOUT_FILENO);
	if (fd < 0 || (out = fdopen(fd, "w")) == NULL || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		return 2;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (size_t i = 0; i < sizeof registrars / sizeof registrars[0]; i++)
		registrars[i]();
	CU_set_test_complete_handler(test_complete);
	const char *limit = getenv("CHECKPOINT_TEST_SECONDS");
	unsigned seconds = limit != NULL ? (unsigned)strtoul(limit, NULL, 10) : 30;
	unsigned n = 0;
	for (CU_pSuite s = CU_get_registry()->pSuite; s != NULL; s = s->pNext) {
		for (CU_pTest t = s->pTest; t != NULL; t = t->pNext) {
			n++;
			if (n < from)
				continue;
			fprintf(out, "TEST\t%u\t%s\t%s\n", n, s->pName, t->pName);
			fflush(out);
			if (list)
				continue;
			current = n;
			alarm(seconds);
			CU_run_test(s, t);
			alarm(0);
		}
	}
	CU_cleanup_registry();
	return 0;
}
