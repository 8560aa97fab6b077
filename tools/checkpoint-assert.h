/* CUnit's assertions, reworded for a checkpoint (tools/checkpoint).  A
 * checkpoint build compiles the suites with this header included first,
 * so that a failed assertion records what a student needs to read: not
 * "CU_ASSERT_EQUAL(c.seg.flags,TH_RST)" but "c.seg.flags is ACK (0x10),
 * expected TH_RST = RST (0x4)".  Each operand is still evaluated once,
 * and compared exactly as CUnit compares it; the expected side is
 * evaluated a second time only to describe a failure.  The values are
 * described by cp_describe() in tools/checkpoint-runner.c, which knows
 * the chapter's state names and TCP flags. */
#ifndef CHECKPOINT_ASSERT_H
#define CHECKPOINT_ASSERT_H
#include <CUnit/CUnit.h>
#include <stddef.h>
#include <string.h>

/* The suites compile without warnings on their own; the temporaries below
 * can draw a sign-comparison warning that the original expression did not. */
#pragma GCC diagnostic ignored "-Wsign-compare"

struct cp_val {
	char kind;                  /* 'i' signed, 'u' unsigned, 'd' floating, 'p' pointer */
	long long i;
	unsigned long long u;
	double d;
	const volatile void *p;
};
static inline struct cp_val cp_val_i(long long v) { return (struct cp_val){ .kind = 'i', .i = v }; }
static inline struct cp_val cp_val_u(unsigned long long v) { return (struct cp_val){ .kind = 'u', .u = v }; }
static inline struct cp_val cp_val_d(long double v) { return (struct cp_val){ .kind = 'd', .d = (double)v }; }
static inline struct cp_val cp_val_p(const volatile void *v) { return (struct cp_val){ .kind = 'p', .p = v }; }
#define CP_VAL(x) _Generic((x), \
	_Bool: cp_val_u, char: cp_val_i, signed char: cp_val_i, short: cp_val_i, int: cp_val_i, \
	long: cp_val_i, long long: cp_val_i, unsigned char: cp_val_u, unsigned short: cp_val_u, \
	unsigned int: cp_val_u, unsigned long: cp_val_u, unsigned long long: cp_val_u, \
	float: cp_val_d, double: cp_val_d, long double: cp_val_d, default: cp_val_p)(x)

/* Write into buf the description of a failed comparison (how is "==",
 * "!=" or "streq"), of a failed truth test (how "true", "false", "null",
 * "nonnull"): see tools/checkpoint-runner.c. */
void cp_describe(char *buf, size_t n, const char *how, const char *actual, struct cp_val a,
		 const char *expected, struct cp_val e);

#define CP_COMPARE(actual, expected, atext, etext, equal, how, fatal) do { \
	__typeof__(actual) cp_a_ = (actual); \
	int cp_ok_ = (cp_a_ == (expected)) == (equal); \
	char cp_m_[600] = ""; \
	if (!cp_ok_) \
		cp_describe(cp_m_, sizeof cp_m_, how, atext, CP_VAL(cp_a_), etext, CP_VAL(expected)); \
	CU_assertImplementation(cp_ok_, __LINE__, cp_m_, __FILE__, "", fatal); \
} while (0)

#define CP_TRUTH(value, text, want, how, fatal) do { \
	int cp_ok_ = ((value) ? 1 : 0) == (want); \
	char cp_m_[600] = ""; \
	if (!cp_ok_) \
		cp_describe(cp_m_, sizeof cp_m_, how, text, cp_val_u(0), "", cp_val_u(0)); \
	CU_assertImplementation(cp_ok_, __LINE__, cp_m_, __FILE__, "", fatal); \
} while (0)

#define CP_STRING(actual, expected, fatal) do { \
	const char *cp_a_ = (const char *)(actual), *cp_e_ = (const char *)(expected); \
	int cp_ok_ = strcmp(cp_a_, cp_e_) == 0; \
	char cp_m_[600] = ""; \
	if (!cp_ok_) \
		cp_describe(cp_m_, sizeof cp_m_, "streq", #actual, cp_val_p(cp_a_), #expected, cp_val_p(cp_e_)); \
	CU_assertImplementation(cp_ok_, __LINE__, cp_m_, __FILE__, "", fatal); \
} while (0)

#define CP_DOUBLE(actual, expected, within, atext, etext, fatal) do { \
	double cp_a_ = (double)(actual), cp_e_ = (double)(expected), cp_w_ = (double)(within); \
	int cp_ok_ = (cp_a_ - cp_e_ <= (cp_w_ < 0 ? -cp_w_ : cp_w_)) && (cp_e_ - cp_a_ <= (cp_w_ < 0 ? -cp_w_ : cp_w_)); \
	char cp_m_[600] = ""; \
	if (!cp_ok_) \
		cp_describe(cp_m_, sizeof cp_m_, "==", atext, cp_val_d(cp_a_), etext, cp_val_d(cp_e_)); \
	CU_assertImplementation(cp_ok_, __LINE__, cp_m_, __FILE__, "", fatal); \
} while (0)

#undef CU_ASSERT
#undef CU_ASSERT_FATAL
#undef CU_ASSERT_TRUE
#undef CU_ASSERT_TRUE_FATAL
#undef CU_ASSERT_FALSE
#undef CU_ASSERT_FALSE_FATAL
#undef CU_ASSERT_EQUAL
#undef CU_ASSERT_EQUAL_FATAL
#undef CU_ASSERT_NOT_EQUAL
#undef CU_ASSERT_NOT_EQUAL_FATAL
#undef CU_ASSERT_PTR_EQUAL
#undef CU_ASSERT_PTR_EQUAL_FATAL
#undef CU_ASSERT_PTR_NULL
#undef CU_ASSERT_PTR_NULL_FATAL
#undef CU_ASSERT_PTR_NOT_NULL
#undef CU_ASSERT_PTR_NOT_NULL_FATAL
#undef CU_ASSERT_STRING_EQUAL
#undef CU_ASSERT_STRING_EQUAL_FATAL
#undef CU_ASSERT_DOUBLE_EQUAL
#undef CU_ASSERT_DOUBLE_EQUAL_FATAL
#define CU_ASSERT(v)                    CP_TRUTH(v, #v, 1, "true", CU_FALSE)
#define CU_ASSERT_FATAL(v)              CP_TRUTH(v, #v, 1, "true", CU_TRUE)
#define CU_ASSERT_TRUE(v)               CP_TRUTH(v, #v, 1, "true", CU_FALSE)
#define CU_ASSERT_TRUE_FATAL(v)         CP_TRUTH(v, #v, 1, "true", CU_TRUE)
#define CU_ASSERT_FALSE(v)              CP_TRUTH(v, #v, 0, "false", CU_FALSE)
#define CU_ASSERT_FALSE_FATAL(v)        CP_TRUTH(v, #v, 0, "false", CU_TRUE)
#define CU_ASSERT_EQUAL(a, e)           CP_COMPARE(a, e, #a, #e, 1, "==", CU_FALSE)
#define CU_ASSERT_EQUAL_FATAL(a, e)     CP_COMPARE(a, e, #a, #e, 1, "==", CU_TRUE)
#define CU_ASSERT_NOT_EQUAL(a, e)       CP_COMPARE(a, e, #a, #e, 0, "!=", CU_FALSE)
#define CU_ASSERT_NOT_EQUAL_FATAL(a, e) CP_COMPARE(a, e, #a, #e, 0, "!=", CU_TRUE)
#define CU_ASSERT_PTR_EQUAL(a, e)       CP_COMPARE((const volatile void *)(a), (const volatile void *)(e), #a, #e, 1, "==", CU_FALSE)
#define CU_ASSERT_PTR_EQUAL_FATAL(a, e) CP_COMPARE((const volatile void *)(a), (const volatile void *)(e), #a, #e, 1, "==", CU_TRUE)
#define CU_ASSERT_PTR_NULL(v)           CP_TRUTH((v) == NULL, #v, 1, "null", CU_FALSE)
#define CU_ASSERT_PTR_NULL_FATAL(v)     CP_TRUTH((v) == NULL, #v, 1, "null", CU_TRUE)
#define CU_ASSERT_PTR_NOT_NULL(v)       CP_TRUTH((v) != NULL, #v, 1, "nonnull", CU_FALSE)
#define CU_ASSERT_PTR_NOT_NULL_FATAL(v) CP_TRUTH((v) != NULL, #v, 1, "nonnull", CU_TRUE)
#define CU_ASSERT_STRING_EQUAL(a, e)    CP_STRING(a, e, CU_FALSE)
#define CU_ASSERT_STRING_EQUAL_FATAL(a, e) CP_STRING(a, e, CU_TRUE)
#define CU_ASSERT_DOUBLE_EQUAL(a, e, g) CP_DOUBLE(a, e, g, #a, #e " (within " #g ")", CU_FALSE)
#define CU_ASSERT_DOUBLE_EQUAL_FATAL(a, e, g) CP_DOUBLE(a, e, g, #a, #e " (within " #g ")", CU_TRUE)
#endif
